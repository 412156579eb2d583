// Package denials is the security officer's screen (¶24, ¶32): the
// denials of access in force, filtered by state, ground and subject kind
// and paged by id; one denial in full with its subject's whole history;
// denying access in a form that shows each problem under its field;
// restoring access with a reason; approving or refusing what another
// officer raised (four eyes: one's own is never offered); the runs of the
// scheduled sweeps; and the compliance view of the semi-annual death
// check against the Population Register (¶32.8).
//
// The three lists (denials, what awaits approval, sweep runs) are each a
// listview.Spec; the page switches between them and draws the death
// check's view over the sweeps' list, whose read brings its report.
package denials

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// topic is the change feed's topic of denials.
const topic = domain.TopicDenial

// pageSize is how many denials one page holds.
const pageSize = 50

// sweepRunsShown is how many sweep runs are read.
const sweepRunsShown = 50

// view is one of the page's views.
type view int

const (
	viewDenials view = iota
	viewPending
	viewSweeps
	viewDeathCheck
)

var views = []view{viewDenials, viewPending, viewSweeps, viewDeathCheck}

// list is what the page asks of each of its lists.
type list interface {
	common.Page
	Form() *form.Model
}

// historyMsg carries the subject's history of the open denial.
type historyMsg struct {
	to      *Model
	gen     int
	id      int64
	history []*domain.Denial
	err     error
}

// Model is the denials page.
type Model struct {
	c      *common.Common
	view   view
	list   *listview.Model[*domain.Denial]   // the denials, filtered and paged
	pend   *listview.Model[*domain.Denial]   // what awaits a second officer
	sweeps *listview.Model[*domain.SweepRun] // the sweep runs, and the death check's report

	// The filters and the page of the list of denials.
	state  int // index into stateFilters
	ground int // 0: any; else domain.Grounds[ground-1]
	kind   int // 0: any; else subjectKinds[kind-1]
	before []int64
	more   bool

	report *domain.DeathCheckReport

	// The open denial's subject history.
	history   []*domain.Denial
	historyOf int64
	hgen      int

	// The form of a new denial while it is open, and what it held when
	// it was last left: every view's n opens it with that.
	denyForm *form.Model
	draft    form.Draft

	// The incident ticket the form's denial is raised from (¶32.6), while
	// the form handed over by the helpdesk screen is open or left; nil
	// for a denial of the officer's own.
	fromTicket *common.DenyFromTicketMsg
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	m.list = listview.New(c, m.denialSpec(false))
	m.pend = listview.New(c, m.denialSpec(true))
	m.sweeps = listview.New(c, m.sweepSpec())
	return m
}

func isSecurity(op *domain.Operator) bool { return op != nil && op.HasRole(domain.RoleSecurity) }

// cur is the list of the current view; the death check's view is drawn
// over the sweeps'.
func (m *Model) cur() list {
	switch m.view {
	case viewPending:
		return m.pend
	case viewSweeps, viewDeathCheck:
		return m.sweeps
	}
	return m.list
}

func (m *Model) lists() []list { return []list{m.list, m.pend, m.sweeps} }

// Init loads the lists.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.list.Init(), m.pend.Init(), m.sweeps.Init())
}

// SetSize lays the page out.
func (m *Model) SetSize(width, height int) {
	for _, l := range m.lists() {
		l.SetSize(width, height)
	}
}

// Typing reports whether a field has the keyboard.
func (m *Model) Typing() bool { return m.cur().Typing() }

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}

func clearStatus() tea.Msg { return common.StatusMsg{} }

// Update handles the page's messages: keys go to the current view's list,
// everything else to every list (each takes only its own answers).
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case historyMsg:
		if msg.to == m {
			return m.takeHistory(msg)
		}
		return nil
	case common.DenyFromTicketMsg:
		return m.denyFromTicket(msg)
	case tea.KeyMsg:
		cur := m.cur()
		if m.view == viewDeathCheck && !cur.Typing() && !slices.ContainsFunc(m.deathCheckKeys(), func(b key.Binding) bool { return key.Matches(msg, b) }) {
			return nil
		}
		if m.denyForm != nil && cur.Form() == m.denyForm && msg.Type == tea.KeyEsc {
			// Left: opening the form again brings back what was typed.
			m.draft, m.denyForm = m.denyForm.Draft(), nil
		}
		cmd = cur.Update(msg)
		if f := cur.Form(); f != nil && f == m.denyForm {
			noteKind(f)
		}
	default:
		var cmds []tea.Cmd
		for _, l := range m.lists() {
			cmds = append(cmds, l.Update(msg))
		}
		cmd = tea.Batch(cmds...)
	}
	if m.denyForm != nil && m.cur().Form() != m.denyForm {
		// Closed other than by esc: the denial was sent.
		m.draft, m.denyForm, m.fromTicket = nil, nil, nil
	}
	return cmd
}

// nextView goes to the next view.
func (m *Model) nextView() tea.Cmd {
	m.view = views[(int(m.view)+1)%len(views)]
	return clearStatus
}

// historyCmd reads the subject's history of denial d, open in a detail.
func (m *Model) historyCmd(d *domain.Denial) tea.Cmd {
	svc := m.c.Services.Denials
	if svc == nil {
		return nil
	}
	m.hgen++
	gen, ctx, id, kind, subject := m.hgen, m.c.Ctx, d.ID, d.SubjectKind, d.SubjectID
	return func() tea.Msg {
		hist, err := svc.SubjectHistory(ctx, kind, subject)
		return historyMsg{to: m, gen: gen, id: id, history: hist, err: err}
	}
}

func (m *Model) takeHistory(msg historyMsg) tea.Cmd {
	if msg.gen != m.hgen {
		return nil
	}
	if msg.err != nil {
		return errorCmd(msg.err)
	}
	m.history, m.historyOf = msg.history, msg.id
	return nil
}

// View renders the current view.
func (m *Model) View() string {
	if m.view == viewDeathCheck && isSecurity(m.c.Operator) && !m.sweeps.Typing() {
		w, h := m.c.Width, m.c.Height
		return common.FitBlock(m.viewBar(w)+"\n"+m.deathCheckView(w, h-1), w, h)
	}
	return m.cur().View()
}

// deathCheckKeys are the sweeps' keys that work in the death check's
// view: deny, the next view, refresh.
func (m *Model) deathCheckKeys() []key.Binding {
	var out []key.Binding
	for _, b := range m.sweeps.ShortHelp() {
		if k := b.Keys(); len(k) > 0 && (k[0] == "n" || k[0] == "v" || k[0] == "r") {
			out = append(out, b)
		}
	}
	return out
}

// ShortHelp returns the keys of the current view for the footer.
func (m *Model) ShortHelp() []key.Binding {
	if m.view == viewDeathCheck && !m.sweeps.Typing() {
		return m.deathCheckKeys()
	}
	return m.cur().ShortHelp()
}

// FullHelp returns every key of the current view for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	if m.view == viewDeathCheck && !m.sweeps.Typing() {
		return [][]key.Binding{m.deathCheckKeys()}
	}
	return m.cur().FullHelp()
}
