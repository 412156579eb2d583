package helpdesk

// The password resets of privileged accounts (an education institution's
// administrator, an agency employee) that wait for a second helpdesk or
// security person before any link is sent (issue 9), and below them the
// staff changes of an account's e-mail address that wait for a second
// helpdesk person or administrator (issue 13, pending_email.go). From the
// list, a opens them; y approves after a confirmation (not offered to the
// person who asked), n refuses with a note.

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

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
	Open, Up, Down, Approve, Refuse, Confirm, Back, Refresh key.Binding
}

// pending is the state of the pending-resets view.
type pending struct {
	keys     pendingKeys
	rows     []*domain.PendingReset
	changes  []*domain.EmailChange
	loaded   bool
	cur      int
	confirm  bool
	refusing bool
	note     textinput.Model
	noteErr  string
	busy     bool
}

func (m *Model) pendingState() *pending {
	if m.pend == nil {
		p := &pending{}
		ti := textinput.New()
		m.c.Styles.StyleInput(&ti)
		ti.Prompt = ""
		ti.CharLimit = maxNote
		ti.Cursor.SetMode(cursor.CursorStatic)
		p.note = ti
		m.pend = p
	}
	c := m.c
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	m.pend.keys = pendingKeys{
		Open:    b([]string{"a"}, "a", "tui.pr.key.open"),
		Up:      b([]string{"up", "k"}, "↑/k", "tui.key.up"),
		Down:    b([]string{"down", "j"}, "↓/j", "tui.key.down"),
		Approve: b([]string{"y"}, "y", "tui.pr.key.approve"),
		Refuse:  b([]string{"n"}, "n", "tui.pr.key.refuse"),
		Confirm: b([]string{"enter"}, "enter", "tui.key.confirm"),
		Back:    b([]string{"esc"}, "esc", "tui.pr.key.back"),
		Refresh: b([]string{"r"}, "r", "tui.key.refresh"),
	}
	return m.pend
}

// openPending shows the resets waiting for a second person.
func (m *Model) openPending() tea.Cmd {
	if m.c.Services.Defence == nil {
		return nil
	}
	p := m.pendingState()
	p.confirm, p.refusing, p.noteErr = false, false, ""
	m.mode = modePending
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

// pendingTyping reports whether the refusal note has the keyboard.
func (m *Model) pendingTyping() bool { return m.pend != nil && (m.pend.refusing || m.pend.confirm) }

// ownReset reports whether the held reset's own rule keeps the operator
// of this session from approving r (domain.PendingReset.ApprovalBlocker:
// they asked for it, or it is decided).
func (m *Model) ownReset(r *domain.PendingReset) bool {
	return r != nil && r.ApprovalBlocker(m.approver()) != nil
}

// selected is the reset under the cursor, nil when the cursor is on an
// e-mail change (selectedChange).
func (p *pending) selected() *domain.PendingReset {
	if p == nil || p.cur < 0 || p.cur >= len(p.rows) {
		return nil
	}
	return p.rows[p.cur]
}

// pendingMsg takes in the view's results.
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
		p.busy = false
		if msg.Err != nil {
			if p.refusing {
				p.noteErr = m.c.Err(msg.Err)
			}
			p.confirm = false
			return tea.Batch(errorCmd(msg.Err), m.pendingLoadCmd())
		}
		p.confirm, p.refusing = false, false
		p.note.Blur()
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

func (m *Model) updatePendingKey(msg tea.KeyMsg) tea.Cmd {
	p := m.pendingState()
	k := p.keys
	r := p.selected()
	switch {
	case p.refusing:
		switch {
		case key.Matches(msg, k.Back):
			p.refusing, p.noteErr = false, ""
			p.note.Blur()
			return nil
		case key.Matches(msg, k.Confirm):
			note := strings.TrimSpace(p.note.Value())
			if note == "" {
				p.noteErr = m.c.T("tui.pr.note_required")
				return nil
			}
			if p.busy || r == nil && p.selectedChange() == nil {
				return nil
			}
			p.busy, p.noteErr = true, ""
			if r == nil {
				return m.refuseChangeCmd(p.selectedChange(), note)
			}
			def, ctx, id := m.c.Services.Defence, m.c.Ctx, r.ID
			return func() tea.Msg { return PendingDoneMsg{ID: id, Err: def.RefuseReset(ctx, id, note)} }
		}
		return common.UpdateInput(&p.note, msg)
	case p.confirm:
		switch {
		case key.Matches(msg, k.Back):
			p.confirm = false
		case key.Matches(msg, k.Confirm):
			if c := p.selectedChange(); c != nil && !p.busy && m.mayApproveChange(c) {
				p.busy = true
				return m.approveChangeCmd(c)
			}
			if p.busy || r == nil || m.ownReset(r) {
				return nil
			}
			p.busy = true
			def, ctx, id := m.c.Services.Defence, m.c.Ctx, r.ID
			return func() tea.Msg { return PendingDoneMsg{ID: id, Approve: true, Err: def.ApproveReset(ctx, id)} }
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		m.mode = modeList
	case key.Matches(msg, k.Up):
		p.cur = max(p.cur-1, 0)
	case key.Matches(msg, k.Down):
		p.cur = min(p.cur+1, max(p.count()-1, 0))
	case key.Matches(msg, k.Refresh):
		return m.pendingLoadCmd()
	case key.Matches(msg, k.Approve):
		if r != nil && !m.ownReset(r) || m.mayApproveChange(p.selectedChange()) {
			p.confirm = true
		}
	case key.Matches(msg, k.Refuse):
		if r != nil || p.selectedChange() != nil {
			p.refusing, p.noteErr = true, ""
			p.note.SetValue("")
			return p.note.Focus()
		}
	}
	return nil
}

func (m *Model) pendingHelp() []key.Binding {
	p := m.pendingState()
	k := p.keys
	switch {
	case p.refusing:
		return []key.Binding{k.Confirm, k.Back}
	case p.confirm:
		return []key.Binding{k.Confirm, k.Back}
	}
	r, c := p.selected(), p.selectedChange()
	if r == nil && c == nil {
		return []key.Binding{k.Refresh, k.Back}
	}
	out := []key.Binding{k.Up, k.Down}
	if r != nil && !m.ownReset(r) || m.mayApproveChange(c) {
		out = append(out, k.Approve)
	}
	return append(out, k.Refuse, k.Back)
}

func (m *Model) pendingView(w, h int) string {
	c, st := m.c, m.c.Styles
	p := m.pendingState()
	r := p.selected()
	if c := p.selectedChange(); c != nil && (p.refusing || p.confirm) {
		return m.changeDecisionView(c, w, h)
	}
	var lines []string
	switch {
	case p.refusing && r != nil:
		lines = append(lines, st.Title.Render(c.T("tui.pr.refuse_title", r.ID)), "",
			theme.Marker+st.Label.Render(c.T("tui.pr.note")+":")+" "+p.note.View())
		if p.noteErr != "" {
			lines = append(lines, "", st.Error.Render(common.WrapAtSpaces(p.noteErr, w)))
		}
		return common.FitBlock(strings.Join(lines, "\n"), w, h)
	case p.confirm && r != nil:
		lines = append(lines, st.Title.Render(c.T("tui.pr.title")), "",
			common.WrapAtSpaces(c.T("tui.pr.confirm", r.ID, r.AccountName), w))
		return common.FitBlock(strings.Join(lines, "\n"), w, h)
	}
	lines = append(lines, st.Title.Render(c.T("tui.pr.title")), st.Muted.Render(common.WrapAtSpaces(c.T("tui.pr.explain"), w)), "")
	switch {
	case !p.loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.loading")))
	case len(p.rows) == 0:
		lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pr.none"), w)))
		lines = append(lines, m.changesLines(w)...)
	default:
		for i, x := range p.rows {
			mark := "  "
			if i == p.cur {
				mark = theme.Marker + " "
			}
			lines = append(lines, common.FitWidth(mark+c.T("tui.pr.row", x.ID, x.TicketID, x.AccountName,
				x.RequestedName, x.RequestedAt.Local().Format("2006-01-02 15:04")), w))
		}
		if m.ownReset(r) {
			lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pr.own"), w)))
		}
		lines = append(lines, m.changesLines(w)...)
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// pendingListHelp is the list's key to the pending resets, when there are
// any to see.
func (m *Model) pendingListHelp() []key.Binding {
	if m.c.Services.Defence == nil {
		return nil
	}
	return []key.Binding{m.pendingState().keys.Open}
}
