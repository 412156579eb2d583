// Package denials is the security officer's screen (¶24, ¶32): the
// denials of access in force, filtered by state, ground and subject kind
// and paged by id; one denial in full with its subject's whole history;
// denying access in a form that shows each problem under its field;
// restoring access with a reason; approving or refusing what another
// officer raised (four eyes: one's own is never offered); the runs of the
// scheduled sweeps; and the compliance view of the semi-annual death
// check against the Population Register (¶32.8).
package denials

import (
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// debounce gathers a burst of feed changes into one read.
const debounce = 250 * time.Millisecond

// topic is the change feed's topic of denials.
const topic = domain.TopicDenial

// pageSize is how many denials one page holds.
const pageSize = 50

// sweepRunsShown is how many sweep runs are read.
const sweepRunsShown = 50

// view is one of the page's lists.
type view int

const (
	viewDenials view = iota
	viewPending
	viewSweeps
	viewDeathCheck
)

var views = []view{viewDenials, viewPending, viewSweeps, viewDeathCheck}

type mode int

const (
	modeList    mode = iota
	modeDetail       // one denial with its subject's history
	modeForm         // denying access
	modeConfirm      // approving, waiting for enter or esc
	modeReason       // the reason of a lift or a refusal
)

type action int

const (
	actDeny action = iota
	actLift
	actApprove
	actRefuse
)

// stateFilter is one step of the state cycle.
type stateFilter struct {
	label  string // catalog key
	states []domain.DenialState
}

var stateFilters = []stateFilter{
	{"tui.den.filter.current", nil}, // the service's default: in force and lift pending
	{"tui.den.filter.pending", []domain.DenialState{domain.DenialPendingApproval, domain.DenialLiftPending}},
	{"tui.den.filter.lifted", []domain.DenialState{domain.DenialLifted}},
	{"tui.den.filter.cancelled", []domain.DenialState{domain.DenialCancelled}},
	{"tui.den.filter.all", []domain.DenialState{domain.DenialPendingApproval, domain.DenialInForce, domain.DenialLiftPending, domain.DenialLifted, domain.DenialCancelled}},
}

var subjectKinds = []domain.SubjectKind{domain.SubjectPlatformUser, domain.SubjectInstitution, domain.SubjectOperator}

// ListMsg carries a page of denials.
type ListMsg struct {
	gen  int
	Rows []*domain.Denial
	More bool
	Err  error
}

// PendingMsg carries what waits for a second officer.
type PendingMsg struct {
	gen  int
	Rows []*domain.Denial
	Err  error
}

// SweepsMsg carries the latest sweep runs.
type SweepsMsg struct {
	gen  int
	Runs []*domain.SweepRun
	Err  error
}

// ReportMsg carries the death check's compliance view.
type ReportMsg struct {
	gen    int
	Report *domain.DeathCheckReport
	Err    error
}

// HistoryMsg carries one denial and its subject's history.
type HistoryMsg struct {
	gen     int
	Denial  *domain.Denial
	History []*domain.Denial
	Err     error
}

// DoneMsg carries the result of denying, lifting, approving or refusing.
type DoneMsg struct {
	act    action
	ID     int64
	Denial *domain.Denial // the new denial, after denying
	Waits  bool           // a lift waits for a second officer
	Err    error
}

// refreshMsg fires once after a burst of changes.
type refreshMsg struct{}

// Model is the denials page.
type Model struct {
	c       *common.Common
	keys    keyMap
	view    view
	mode    mode
	back    mode // where a confirmation or a reason returns to
	started bool
	width   int
	height  int

	// The list of denials and its filters.
	state   int // index into stateFilters
	ground  int // 0: any; else domain.Grounds[ground-1]
	kind    int // 0: any; else subjectKinds[kind-1]
	before  []int64
	more    bool
	rows    []*domain.Denial
	loaded  bool
	list    *selecttable.Model
	pending []*domain.Denial
	pendOK  bool
	pend    *selecttable.Model
	runs    []*domain.SweepRun
	runsOK  bool
	runsTbl *selecttable.Model
	report  *domain.DeathCheckReport
	gen     int
	armed   bool

	target  *domain.Denial   // the one in the detail, confirmation or reason
	history []*domain.Denial // the target subject's history
	hgen    int
	top     int
	sheet   *form.Model // a new denial
	draft   form.Draft  // what the new denial's form held when it was left
	reason  *form.Model
	act     action // what the reason is for
	busy    bool
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c, width: 80, height: 20}
	// The table keeps and retitles its columns: each gets its own copy,
	// since every session has its own tables.
	m.list = selecttable.New(c.Styles, slices.Clone(denialColumns))
	m.pend = selecttable.New(c.Styles, slices.Clone(denialColumns))
	m.runsTbl = selecttable.New(c.Styles, slices.Clone(sweepColumns))
	m.relabel()
	return m
}

// live reports whether the page reads: once started, with a service, for
// a security officer.
func (m *Model) live() bool {
	return m.started && m.c.Services.Denials != nil && m.isSecurity()
}

func (m *Model) isSecurity() bool {
	return m.c.Operator != nil && m.c.Operator.HasRole(domain.RoleSecurity)
}

// Init loads the lists.
func (m *Model) Init() tea.Cmd {
	m.started = true
	return m.loadCmd()
}

// SetSize lays the page out.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.list.SetSize(width, listTableHeight(height))
	m.pend.SetSize(width, listTableHeight(height)+1)
	m.runsTbl.SetSize(width, listTableHeight(height)+1)
}

// Typing reports whether a field has the keyboard.
func (m *Model) Typing() bool {
	switch m.mode {
	case modeForm, modeConfirm, modeReason:
		return true
	}
	return false
}

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}

func clearStatus() tea.Msg { return common.StatusMsg{} }

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ListMsg:
		return m.showList(msg)
	case PendingMsg:
		return m.showPending(msg)
	case SweepsMsg:
		if msg.gen != m.gen {
			return nil
		}
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		m.runs, m.runsOK = msg.Runs, true
		m.runsTbl.SetRows(m.sweepRows())
		return nil
	case ReportMsg:
		if msg.gen != m.gen {
			return nil
		}
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		m.report = msg.Report
		return nil
	case HistoryMsg:
		return m.showHistory(msg)
	case DoneMsg:
		return m.done(msg)
	case common.ChangeMsg:
		if !m.live() || msg.Topic != topic || m.armed {
			return nil
		}
		m.armed = true
		return m.c.Tick(debounce, func(time.Time) tea.Msg { return refreshMsg{} })
	case refreshMsg:
		m.armed = false
		return m.reloadCmd()
	case common.ReloadMsg:
		return m.reloadCmd()
	case common.LanguageMsg:
		m.relabel()
		return nil
	case tea.KeyMsg:
		if !m.live() {
			return nil
		}
		return m.updateKey(msg)
	}
	return nil
}

// reloadCmd reads the lists again and, when a denial is open, its history.
func (m *Model) reloadCmd() tea.Cmd {
	cmd := m.loadCmd()
	if m.target != nil && m.mode != modeForm {
		return tea.Batch(cmd, m.historyCmd(m.target))
	}
	return cmd
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeForm:
		return m.updateSheet(msg)
	case modeConfirm:
		return m.updateConfirm(msg)
	case modeReason:
		return m.updateReason(msg)
	case modeDetail:
		return m.updateDetail(msg)
	}
	return m.updateListKey(msg)
}

func (m *Model) relabel() {
	m.keys = newKeyMap(m.c)
	m.list.SetTitles(m.denialTitles())
	m.list.SetRows(m.denialRows(m.rows))
	m.pend.SetTitles(m.denialTitles())
	m.pend.SetRows(m.denialRows(m.pending))
	m.runsTbl.SetTitles(m.sweepTitles())
	m.runsTbl.SetRows(m.sweepRows())
	if m.sheet != nil {
		m.sheet.Relabel()
	}
	if m.reason != nil {
		m.reason.Relabel()
	}
}
