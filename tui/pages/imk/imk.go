// Package imk is the reviewers' queue of individual learning account (IMK)
// applications whose target-group eligibility check (¶26.4) needs a person:
// a searchable, keyset-paged list that shows why each one needs review and
// who holds it, and the detail of one application with every rule's
// verdict, its evidence, the register it came from and when it was
// fetched. Opening an application claims it for as long as it stays open
// (renewed, and given back on leaving); from the detail the reviewer
// fetches the register data again, approves or rejects with a reason, or
// reveals the personal code with a reason that goes to the audit log.
package imk

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/queue"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// PageSize is the number of applications on one page of the list.
const PageSize = 50

// Topic is the change-feed topic of IMK applications.
const Topic = domain.TopicIMK

// Timing.
const (
	// debounce gathers a burst of feed changes into one read.
	debounce = 250 * time.Millisecond
	// renewEvery renews the claim on the open application, well inside
	// domain.ClaimLease so that a failed renewal can be retried.
	renewEvery = 5 * time.Minute
)

// maxSearch limits what a reviewer types into the search; the limits of
// the forms are domain's (domain.IMKReasonMaxLength,
// domain.RevealReasonMaxLength), which the service checks too.
const maxSearch = 100

type mode int

const (
	modeList    mode = iota
	modeDetail       // one application is open
	modeForm         // a reason for a decision or a reveal
	modeConfirm      // the approval, waiting for enter or esc
)

type nav = queue.Nav

const (
	navReset = queue.Reset // a new search: back to the oldest
	navNext  = queue.Next
	navPrev  = queue.Prev
	navStay  = queue.Stay // read the page shown again
)

// keyset is where a page starts: after (applied, id); zero for the first.
type keyset struct {
	applied time.Time
	id      int64
}

// PageMsg carries one page of the queue.
type PageMsg = queue.PageMsg[keyset, domain.IMKFilter, *domain.IMKApplication]

// Why an application is read.
type why int

const (
	whyOpen     why = iota // opening it: claimed first
	whyReread              // it changed, or the database came back
	whyConflict            // a decision met a conflict
	whyClaim               // claimed on request (c)
)

// ItemMsg carries the open application as read for the detail.
type ItemMsg struct {
	gen      int
	why      why
	ID       int64
	App      *domain.IMKApplication
	Claimed  bool
	ClaimErr error
	Err      error
}

type (
	renewMsg    = queue.RenewMsg[*domain.IMKApplication]
	renewedMsg  = queue.RenewedMsg[*domain.IMKApplication]
	releasedMsg = queue.ReleasedMsg[*domain.IMKApplication]
)

// DoneMsg carries the result of an action on the open application.
type DoneMsg struct {
	gen  int
	act  action
	ID   int64
	App  *domain.IMKApplication // Refetch's answer
	Code string                 // a reveal's: the whole personal code
	Err  error
}

type refreshMsg struct{}

// item is the application open in the detail.
type item struct {
	queue.Lease
	app      *domain.IMKApplication
	loaded   bool
	revealed bool   // the personal code is shown in full, for this view only
	code     string // the code the reveal gave
	busy     bool   // a refetch is under way
	drafts   map[action]string
}

// Model is the IMK page.
type Model struct {
	c       *common.Common
	keys    keyMap
	mode    mode
	started bool
	width   int
	height  int

	search queue.Search
	list   queue.List[keyset, domain.IMKFilter, *domain.IMKApplication] // the page shown, where the pages before it start
	table  *selecttable.Model
	cols   []column
	feed   queue.Coalescer // feed changes waiting for the debounce

	item    *item
	openGen int
	vp      viewport.Model

	form        *form.Model
	act         action
	formVersion int64  // the version of the application when its form opened
	conflictAct action // the action that met the latest conflict
	reason      string
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	m.search = queue.NewSearch(c, maxSearch)
	m.vp = queue.NewDetail(c)
	m.cols = columnsFor(80)
	m.table = m.newTable()
	m.relabel()
	return m
}

// Init loads the first page.
func (m *Model) Init() tea.Cmd {
	m.started = true
	if m.c.Services.IMK == nil {
		return nil
	}
	return m.loadCmd(navReset, keyset{})
}

func (m *Model) live() bool { return m.started && m.c.Services.IMK != nil }

// SetSize lays the list and the detail out in the page area.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	if cols := columnsFor(width); fmt.Sprint(cols) != fmt.Sprint(m.cols) {
		m.cols = cols
		cur := m.table.Cursor()
		m.table = m.newTable()
		m.table.SetRows(m.tableRows())
		if cur >= 0 {
			m.table.SetCursor(cur)
		}
	}
	m.table.SetSize(width, listTableHeight(height))
	m.search.Input.Width = max(width/2, 10)
	m.layoutDetail()
}

// Typing reports whether a field has the keyboard.
func (m *Model) Typing() bool {
	return m.mode == modeForm || m.mode == modeConfirm || m.mode == modeList && m.search.Typing
}

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PageMsg:
		return m.showPage(msg)
	case ItemMsg:
		return m.itemRead(msg)
	case renewMsg:
		return m.claims().Renew(queue.LeaseOf(m.item), msg, m.closeItem)
	case renewedMsg:
		return m.claims().Renewed(queue.LeaseOf(m.item), msg, m.held, m.reread)
	case DoneMsg:
		return m.done(msg)
	case releasedMsg:
		return queue.Released(msg, m.reload)
	case common.ChangeMsg:
		if !m.live() || msg.Topic != Topic {
			return nil
		}
		return m.feed.Note(m.c.Tick, msg.ID, debounce, refreshMsg{})
	case refreshMsg:
		return queue.Refresh(m.feed.Fire(), queue.LeaseOf(m.item), m.reload, m.reread)
	case common.ReloadMsg:
		if !m.live() {
			return nil
		}
		return queue.Reload(queue.LeaseOf(m.item), m.reload, m.reread)
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

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeForm:
		return m.updateForm(msg)
	case modeConfirm:
		switch {
		case key.Matches(msg, m.keys.Confirm):
			return m.approve()
		case key.Matches(msg, m.keys.Back):
			m.mode = modeForm
		}
		return nil
	case modeDetail:
		return m.updateDetailKey(msg)
	}
	if m.search.Typing {
		return m.updateSearch(msg)
	}
	return m.updateListKey(msg)
}

// relabel rebuilds every text kept outside the catalog after a language
// change.
func (m *Model) relabel() {
	m.keys = newKeyMap(m.c)
	m.search.Input.Placeholder = m.c.T("tui.imk.hint.search")
	m.table.SetTitles(m.columnTitles())
	m.table.SetRows(m.tableRows())
	if m.form != nil {
		m.form.Relabel()
	}
	m.layoutDetail()
}
