package helpdesk

// The password resets of privileged accounts (an education institution's
// administrator, an agency employee) that wait for a second helpdesk or
// security person before any link is sent (issue 9), and below them the
// staff changes of an account's e-mail address that wait for a second
// helpdesk person or administrator (issue 13, pending_email.go). From the
// list, a opens them; y approves after a confirmation (not offered to the
// person who asked), n refuses with a note (a form).

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/theme"
)

// maxNote limits the note refusing a held reset or an e-mail change.
const maxNote = 1000

// PendingLoadedMsg carries the resets and the e-mail changes waiting for
// a second person.
type PendingLoadedMsg struct {
	Rows    []*domain.PendingReset
	Changes []*domain.EmailChange
	Err     error
}

// PendingDoneMsg carries the result of approving or refusing one; Change
// tells that ID is an e-mail change's.
type PendingDoneMsg struct {
	ID      int64
	Approve bool
	Change  bool
	Err     error
}

type pendingKeys struct {
	Up, Down, Approve, Refuse, Confirm, Back, Refresh key.Binding
}

// pending is the state of the sub-view.
type pending struct {
	shown   bool
	keys    pendingKeys
	rows    []*domain.PendingReset
	changes []*domain.EmailChange
	loaded  bool
	cur     int
	confirm bool
	busy    bool
	refusal *form.Model // the note of a refusal, while one is typed
}

func (m *Model) pendingState() *pending {
	if m.pend == nil {
		m.pend = &pending{}
	}
	b := func(k, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(k), key.WithHelp(help, m.c.T(desc)))
	}
	m.pend.keys = pendingKeys{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", m.c.T("tui.key.up"))),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", m.c.T("tui.key.down"))),
		Approve: b("y", "y", "tui.pr.key.approve"),
		Refuse:  b("n", "n", "tui.pr.key.refuse"),
		Confirm: b("enter", "enter", "tui.key.confirm"),
		Back:    b("esc", "esc", "tui.pr.key.back"),
		Refresh: b("r", "r", "tui.key.refresh"),
	}
	return m.pend
}

// pendingShown reports whether the sub-view is on screen.
func (m *Model) pendingShown() bool { return m.pend != nil && m.pend.shown }

// openPending shows what waits for a second person.
func (m *Model) openPending() tea.Cmd {
	p := m.pendingState()
	p.shown, p.confirm, p.refusal = true, false, nil
	return m.pendingLoadCmd()
}

func (m *Model) pendingLoadCmd() tea.Cmd {
	def, ctx := m.c.Services.Defence, m.c.Ctx
	return func() tea.Msg {
		rows, err := def.PendingResets(ctx)
		if err != nil {
			return PendingLoadedMsg{Err: err}
		}
		changes, err := def.PendingEmailChanges(ctx)
		return PendingLoadedMsg{Rows: rows, Changes: changes, Err: err}
	}
}

// pendingTyping reports whether the note or a confirmation has the
// keyboard.
func (m *Model) pendingTyping() bool { return m.pend.refusal != nil || m.pend.confirm }

// ownReset reports whether the held reset's own rule keeps the operator
// of this session from approving r (domain.PendingReset.ApprovalBlocker:
// they asked for it, or it is decided).
func (m *Model) ownReset(r *domain.PendingReset) bool {
	return r != nil && r.ApprovalBlocker(m.approver()) != nil
}

// selected is the reset under the cursor, nil when the cursor is on an
// e-mail change (selectedChange).
func (p *pending) selected() *domain.PendingReset {
	if p.cur < 0 || p.cur >= len(p.rows) {
		return nil
	}
	return p.rows[p.cur]
}

// mayApprove reports whether the operator may approve what is under the
// cursor.
func (m *Model) mayApprove() bool {
	p := m.pend
	r := p.selected()
	return r != nil && !m.ownReset(r) || m.mayApproveChange(p.selectedChange())
}

// pendingMsg takes in the sub-view's results.
func (m *Model) pendingMsg(msg tea.Msg) tea.Cmd {
	p := m.pendingState()
	switch msg := msg.(type) {
	case PendingLoadedMsg:
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		p.rows, p.changes, p.loaded = msg.Rows, msg.Changes, true
		p.cur = min(p.cur, max(p.count()-1, 0))
	case PendingDoneMsg:
		p.busy, p.confirm = false, false
		if msg.Err != nil {
			if p.refusal != nil {
				p.refusal.Busy = false
				p.refusal.SetError(msg.Err)
			}
			return tea.Batch(errorCmd(msg.Err), m.pendingLoadCmd())
		}
		p.refusal = nil
		status := common.StatusCmd("tui.pr.refused", msg.ID)
		switch {
		case msg.Change && msg.Approve:
			status = common.StatusCmd("tui.pe.approved", msg.ID)
		case msg.Change:
			status = common.StatusCmd("tui.pe.refused", msg.ID)
		case msg.Approve:
			status = common.StatusCmd("tui.pr.approved", msg.ID)
		}
		return tea.Batch(status, m.pendingLoadCmd())
	}
	return nil
}

func errorCmd(err error) tea.Cmd { return func() tea.Msg { return common.ErrorMsg{Err: err} } }

func (m *Model) updatePendingKey(msg tea.KeyMsg) tea.Cmd {
	p := m.pendingState()
	k := p.keys
	r, c := p.selected(), p.selectedChange()
	switch {
	case p.refusal != nil:
		return m.updateRefusal(msg, r, c)
	case p.confirm:
		switch {
		case key.Matches(msg, k.Back):
			p.confirm = false
		case key.Matches(msg, k.Confirm) && !p.busy && m.mayApprove():
			p.busy = true
			def, ctx := m.c.Services.Defence, m.c.Ctx
			if c != nil {
				return func() tea.Msg {
					return PendingDoneMsg{ID: c.ID, Approve: true, Change: true, Err: def.ApproveEmailChange(ctx, c.ID)}
				}
			}
			return func() tea.Msg { return PendingDoneMsg{ID: r.ID, Approve: true, Err: def.ApproveReset(ctx, r.ID)} }
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		p.shown = false
	case key.Matches(msg, k.Up):
		p.cur = max(p.cur-1, 0)
	case key.Matches(msg, k.Down):
		p.cur = min(p.cur+1, max(p.count()-1, 0))
	case key.Matches(msg, k.Refresh):
		return m.pendingLoadCmd()
	case key.Matches(msg, k.Approve):
		p.confirm = m.mayApprove()
	case key.Matches(msg, k.Refuse) && (r != nil || c != nil):
		title, id := "tui.pr.refuse_title", int64(0)
		if r != nil {
			id = r.ID
		} else {
			title, id = "tui.pe.refuse_title", c.ID
		}
		p.refusal = form.New(m.c, title, []any{id}, form.Field{ID: "note", Label: "tui.pr.note", Limit: maxNote})
	}
	return nil
}

// updateRefusal drives the refusal's note: it is required; the refusal
// goes with it.
func (m *Model) updateRefusal(msg tea.KeyMsg, r *domain.PendingReset, c *domain.EmailChange) tea.Cmd {
	p := m.pend
	res, cmd := p.refusal.Update(msg)
	switch res {
	case form.Cancel:
		p.refusal = nil
	case form.Submit:
		note := p.refusal.Value("note")
		if note == "" {
			p.refusal.SetErrorKey("tui.pr.note_required")
			return nil
		}
		if p.busy || r == nil && c == nil {
			return nil
		}
		p.busy, p.refusal.Busy = true, true
		def, ctx := m.c.Services.Defence, m.c.Ctx
		if r == nil {
			return func() tea.Msg {
				return PendingDoneMsg{ID: c.ID, Change: true, Err: def.RefuseEmailChange(ctx, c.ID, note)}
			}
		}
		return func() tea.Msg { return PendingDoneMsg{ID: r.ID, Err: def.RefuseReset(ctx, r.ID, note)} }
	}
	return cmd
}

func (m *Model) pendingHelp() []key.Binding {
	p := m.pendingState()
	k := p.keys
	switch {
	case p.refusal != nil:
		return p.refusal.ShortHelp()
	case p.confirm:
		return []key.Binding{k.Confirm, k.Back}
	case p.selected() == nil && p.selectedChange() == nil:
		return []key.Binding{k.Refresh, k.Back}
	}
	out := []key.Binding{k.Up, k.Down}
	if m.mayApprove() {
		out = append(out, k.Approve)
	}
	return append(out, k.Refuse, k.Back)
}

func (m *Model) pendingView(w, h int) string {
	c, st, p := m.c, m.c.Styles, m.pendingState()
	if p.refusal != nil {
		return p.refusal.View(w, h)
	}
	r := p.selected()
	if x := p.selectedChange(); x != nil && p.confirm {
		return m.changeConfirmView(x, w, h)
	}
	if p.confirm && r != nil {
		return common.FitBlock(st.Title.Render(c.T("tui.pr.title"))+"\n\n"+common.WrapAtSpaces(c.T("tui.pr.confirm", r.ID, r.AccountName), w), w, h)
	}
	lines := []string{st.Title.Render(c.T("tui.pr.title")), st.Muted.Render(common.WrapAtSpaces(c.T("tui.pr.explain"), w)), ""}
	switch {
	case !p.loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.loading")))
	case len(p.rows) == 0:
		lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pr.none"), w)))
	default:
		for i, x := range p.rows {
			at := x.RequestedAt.Local().Format("2006-01-02 15:04")
			var row string
			if x.TicketID == 0 { // started from the person's account (issue 17), with a reason
				row = c.T("tui.pr.row_account", x.ID, x.AccountName, x.RequestedName, at)
			} else {
				row = c.T("tui.pr.row", x.ID, x.TicketID, x.AccountName, x.RequestedName, at)
			}
			lines = append(lines, common.FitWidth(mark(i == p.cur)+row, w))
		}
		if r != nil && r.TicketID == 0 && r.Reason != "" {
			lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pr.reason", r.Reason), w)))
		}
		if m.ownReset(r) {
			lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pr.own"), w)))
		}
	}
	if p.loaded {
		lines = append(lines, m.changesLines(w)...)
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// mark is what a row of the sub-view starts with: the marker on the row
// under the cursor.
func mark(selected bool) string {
	if selected {
		return theme.Marker + " "
	}
	return "  "
}
