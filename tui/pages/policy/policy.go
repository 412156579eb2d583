// Package policy is the editors' and administrators' screen of the IMK
// target-group policy (¶26.4, issue 13): the list of versions, a version
// beside the one in force, and the second person's approval of a draft
// (with the date it takes effect) or its discarding. A draft is made on
// the command line (ppp imk policy draft, with the drafter's password);
// the approval happens only here, in the approver's own session, and is
// never offered to the drafter.
package policy

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// Topic is the change-feed topic of the target-group policy.
const Topic = domain.TopicIMKPolicy

// LoadedMsg carries the versions and the id of the one in force now (0
// when none is).
type LoadedMsg struct {
	Rows    []*domain.EligibilityPolicy
	InForce int64
	Err     error
}

// DoneMsg carries the result of approving (Approved set) or discarding a
// draft.
type DoneMsg struct {
	ID       int64
	Approved *domain.EligibilityPolicy
	Err      error
}

type mode int

const (
	modeList    mode = iota
	modeDetail       // a version beside the one in force
	modeDate         // the approval's effective date is typed
	modeConfirm      // approve or discard, confirmed with enter
)

type keyMap struct {
	Up, Down, Open, Refresh, Approve, Discard, Confirm, Back key.Binding
}

// Model is the policy page.
type Model struct {
	c       *common.Common
	keys    keyMap
	started bool
	loaded  bool
	rows    []*domain.EligibilityPolicy
	inForce int64
	cur     int

	mode       mode
	discarding bool        // the confirmation is of a discard, not an approval
	from       time.Time   // the approval's effective date; zero: now
	date       *form.Model // asks for it
	busy       bool
}

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	m.relabel()
	return m
}

func (m *Model) relabel() {
	c := m.c
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	m.keys = keyMap{
		Up:      b([]string{"up", "k"}, "↑/k", "tui.key.up"),
		Down:    b([]string{"down", "j"}, "↓/j", "tui.key.down"),
		Open:    b([]string{"enter"}, "enter", "tui.pol.key.open"),
		Refresh: b([]string{"r"}, "r", "tui.key.refresh"),
		Approve: b([]string{"a"}, "a", "tui.pol.key.approve"),
		Discard: b([]string{"x"}, "x", "tui.pol.key.discard"),
		Confirm: b([]string{"enter"}, "enter", "tui.key.confirm"),
		Back:    b([]string{"esc"}, "esc", "tui.key.back"),
	}
	if m.date != nil {
		m.date.Relabel()
	}
}

// fFrom is the field of the approval's effective date.
const fFrom = "from"

// openDate asks for the date the approval takes effect (empty: now).
func (m *Model) openDate() {
	m.mode = modeDate
	m.date = form.New(m.c, "", nil,
		form.Field{ID: fFrom, Label: "tui.pol.date", Hint: "tui.pol.date_hint", Kind: form.Date}).
		WithSave("tui.key.confirm")
}

// editor reports whether the operator works the policy: an editor or an
// administrator.
func (m *Model) editor() bool {
	op := m.c.Operator
	return op != nil && (op.HasRole(domain.RoleEditor) || op.HasRole(domain.RoleAdmin))
}

func (m *Model) live() bool { return m.started && m.c.Services.Policy != nil && m.editor() }

// me is the operator of this session as the services see it.
func (m *Model) me() int64 {
	if a := domain.ActorFrom(m.c.Ctx); a.OperatorID != 0 {
		return a.OperatorID
	}
	if m.c.Operator != nil {
		return m.c.Operator.ID
	}
	return 0
}

// Init reads the versions.
func (m *Model) Init() tea.Cmd {
	m.started = true
	if !m.live() {
		return nil
	}
	return m.loadCmd()
}

func (m *Model) loadCmd() tea.Cmd {
	svc, ctx, now := m.c.Services.Policy, m.c.Ctx, m.c.Clock()
	return func() tea.Msg {
		rows, err := svc.ListPolicies(ctx)
		if err != nil {
			return LoadedMsg{Err: err}
		}
		msg := LoadedMsg{Rows: rows}
		if cur, err := svc.PolicyInForce(ctx, now); err == nil {
			msg.InForce = cur.ID
		}
		return msg
	}
}

// SetSize is a no-op: the view uses Common's size.
func (m *Model) SetSize(int, int) {}

// Typing reports whether the date field has the keyboard.
func (m *Model) Typing() bool { return m.mode == modeDate }

func errorCmd(err error) tea.Cmd { return func() tea.Msg { return common.ErrorMsg{Err: err} } }

// selected is the version under the cursor.
func (m *Model) selected() *domain.EligibilityPolicy {
	if m.cur < 0 || m.cur >= len(m.rows) {
		return nil
	}
	return m.rows[m.cur]
}

// current is the version in force, nil when none is.
func (m *Model) current() *domain.EligibilityPolicy {
	for _, p := range m.rows {
		if p.ID == m.inForce {
			return p
		}
	}
	return nil
}

// mayApprove asks the domain's rule whether this session's operator may
// approve p.
func (m *Model) mayApprove(p *domain.EligibilityPolicy) bool {
	return p != nil && p.ApprovalBlocker(m.me()) == nil
}

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case LoadedMsg:
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		var id int64
		if p := m.selected(); p != nil {
			id = p.ID
		}
		m.rows, m.inForce, m.loaded = msg.Rows, msg.InForce, true
		m.cur = min(m.cur, max(len(m.rows)-1, 0))
		for i, p := range m.rows {
			if p.ID == id {
				m.cur = i
			}
		}
		if m.mode != modeList && m.selected() == nil {
			m.mode = modeList
		}
		return nil
	case DoneMsg:
		return m.done(msg)
	case common.ChangeMsg:
		if m.live() && msg.Topic == Topic {
			return m.loadCmd()
		}
	case common.ReloadMsg:
		if m.live() {
			return m.loadCmd()
		}
	case common.LanguageMsg:
		m.relabel()
	case tea.KeyMsg:
		if !m.live() {
			return nil
		}
		return m.updateKey(msg)
	}
	return nil
}

func (m *Model) done(msg DoneMsg) tea.Cmd {
	m.busy = false
	if msg.Err != nil {
		m.mode = modeDetail
		return tea.Batch(errorCmd(msg.Err), m.loadCmd())
	}
	m.mode = modeList
	if msg.Approved != nil {
		return tea.Batch(common.StatusCmd("tui.pol.approved", msg.Approved.Version, m.fromText(msg.Approved)), m.loadCmd())
	}
	return tea.Batch(common.StatusCmd("tui.pol.discarded", msg.ID), m.loadCmd())
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	k, p := m.keys, m.selected()
	switch m.mode {
	case modeDate:
		res, cmd := m.date.Update(msg)
		switch res {
		case form.Cancel:
			m.mode, m.date = modeDetail, nil
			return nil
		case form.Submit:
			if !m.date.Check() {
				return nil
			}
			at, _ := m.date.Time(fFrom)
			m.from, m.discarding = m.effectiveFrom(at), false
			m.mode, m.date = modeConfirm, nil
			return nil
		}
		return cmd
	case modeConfirm:
		switch {
		case key.Matches(msg, k.Back):
			m.mode = modeDetail
		case key.Matches(msg, k.Confirm):
			if m.busy || p == nil {
				return nil
			}
			svc, ctx, id, from := m.c.Services.Policy, m.c.Ctx, p.ID, m.from
			if m.discarding {
				m.busy = true
				return func() tea.Msg { return DoneMsg{ID: id, Err: svc.DiscardPolicy(ctx, id)} }
			}
			if !m.mayApprove(p) {
				return nil
			}
			m.busy = true
			return func() tea.Msg {
				q, err := svc.ApprovePolicy(ctx, id, from)
				return DoneMsg{ID: id, Approved: q, Err: err}
			}
		}
		return nil
	case modeDetail:
		switch {
		case key.Matches(msg, k.Back):
			m.mode = modeList
		case key.Matches(msg, k.Approve):
			if m.mayApprove(p) {
				m.openDate()
			}
		case key.Matches(msg, k.Discard):
			if p != nil && p.State == domain.PolicyDraft {
				m.mode, m.discarding = modeConfirm, true
			}
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Up):
		m.cur = max(m.cur-1, 0)
	case key.Matches(msg, k.Down):
		m.cur = min(m.cur+1, max(len(m.rows)-1, 0))
	case key.Matches(msg, k.Refresh):
		return m.loadCmd()
	case key.Matches(msg, k.Open):
		if p != nil {
			m.mode = modeDetail
		}
	}
	return nil
}

// effectiveFrom is the approval's effective date typed as at (the start
// of that day in the Agency's time zone; zero when empty): today is now
// (the zero time). A day in the past is left to the service to refuse.
func (m *Model) effectiveFrom(at time.Time) time.Time {
	if at.IsZero() || at.Format(time.DateOnly) == m.c.Clock().Local().Format(time.DateOnly) {
		return time.Time{}
	}
	return at
}

// ShortHelp lists the keys of the current mode; the approval only where
// the rule allows it.
func (m *Model) ShortHelp() []key.Binding {
	k, p := m.keys, m.selected()
	switch m.mode {
	case modeDate:
		return m.date.ShortHelp()
	case modeConfirm:
		return []key.Binding{k.Confirm, k.Back}
	case modeDetail:
		var out []key.Binding
		if m.mayApprove(p) {
			out = append(out, k.Approve)
		}
		if p != nil && p.State == domain.PolicyDraft {
			out = append(out, k.Discard)
		}
		return append(out, k.Back)
	}
	if len(m.rows) == 0 {
		return []key.Binding{k.Refresh}
	}
	return []key.Binding{k.Up, k.Down, k.Open, k.Refresh}
}

// FullHelp lists every key of the current mode.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
