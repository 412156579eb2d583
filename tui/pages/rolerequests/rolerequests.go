// Package rolerequests is the reviewers' queue of role requests (¶8,
// ¶27–¶29): a filtered, keyset-paged list that shows within a second who
// holds each request, and the detail of one request with its form data,
// e-mail confirmation, documents, duplicates and history. Opening a
// request claims it for as long as it stays open (the claim is renewed,
// and given back on leaving); from the detail the reviewer approves,
// rejects, asks for more information, resends the confirmation e-mail,
// takes a request over from an institution, or reveals a personal code
// with a reason that goes to the audit log.
package rolerequests

import (
	"slices"
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

// PageSize is the number of requests on one page of the list.
const PageSize = 50

// Timing.
const (
	// debounce gathers a burst of feed changes into one read; with the
	// feed's own delay a claim still shows within a second.
	debounce = 250 * time.Millisecond
	// renewEvery renews the claim on the open request, well inside
	// domain.ClaimLease so that a failed renewal has time to be retried.
	renewEvery = 5 * time.Minute
)

// maxSearch limits what a reviewer types into the search; the limits of
// the forms are domain's (domain.MessageMaxLength,
// domain.RevealReasonMaxLength), which the service checks too.
const maxSearch = 100

type mode int

const (
	modeList    mode = iota
	modeDetail       // one request is open
	modeForm         // a form about the open request
	modeConfirm      // the approval, waiting for enter or esc
)

type nav = queue.Nav

const (
	navReset = queue.Reset // a new filter: back to the oldest requests
	navNext  = queue.Next  // newer requests
	navPrev  = queue.Prev  // back to the page before
	navStay  = queue.Stay  // read the page shown again
)

// keyset is where a page starts: after (created, id); zero for the first.
type keyset struct {
	created time.Time
	id      int64
}

// PageMsg carries one page of the queue.
type PageMsg = queue.PageMsg[keyset, domain.RoleRequestFilter, *domain.RoleRequest]

// Why a request is read.
type why int

const (
	whyOpen     why = iota // opening it: claimed first
	whyReread              // it changed, or the database came back
	whyConflict            // a decision on it met a conflict
	whyClaim               // claimed on request (c, or after a take-over)
)

// ItemMsg carries the open request as read for the detail view.
type ItemMsg struct {
	gen        int
	why        why
	ID         int64
	Req        *domain.RoleRequest
	History    []*domain.RoleRequestEvent
	Duplicates []*domain.Duplicate
	Claimed    bool // this read claimed the request for the operator
	ClaimErr   error
	Err        error
}

// The claim's messages, kept apart from other queues' by the item type.
type (
	renewMsg    = queue.RenewMsg[*domain.RoleRequest]
	renewedMsg  = queue.RenewedMsg[*domain.RoleRequest]
	releasedMsg = queue.ReleasedMsg[*domain.RoleRequest]
)

// DoneMsg carries the result of an action on the open request.
type DoneMsg struct {
	gen  int
	act  action
	ID   int64
	Code string // a reveal's: the whole personal code
	Err  error
}

// refreshMsg fires once after a burst of changes.
type refreshMsg struct{}

// item is the request open in the detail view.
type item struct {
	queue.Lease
	req      *domain.RoleRequest
	history  []*domain.RoleRequestEvent
	dups     []*domain.Duplicate
	loaded   bool   // read in full (documents, history, duplicates)
	revealed bool   // the personal code is shown in full, for this view only
	code     string // the code the reveal gave
	busy     bool   // an action without a form is under way
	// drafts keep what was typed into a form that was closed, until the
	// request is closed or the action succeeds.
	drafts map[action]map[string]string
}

// Model is the role-request page.
type Model struct {
	c       *common.Common
	keys    keyMap
	mode    mode
	started bool
	width   int
	height  int

	search  queue.Search
	applied string                                                            // the search text the page shows
	kind    int                                                               // 0: every kind; i: domain.RoleRequestKinds[i-1]
	state   int                                                               // 0: the open states; i ≤ len: RoleRequestStates[i-1]; then all
	age     int                                                               // index into ageDays
	list    queue.List[keyset, domain.RoleRequestFilter, *domain.RoleRequest] // the page shown, where the pages before it start
	table   *selecttable.Model
	cols    []column
	feed    queue.Coalescer // feed changes waiting for the debounce

	item    *item
	openGen int
	vp      viewport.Model

	form        *form.Model
	act         action
	formVersion int64     // the version of the request when its form opened
	conflictAct action    // the action that met the latest conflict
	validUntil  time.Time // the approval waiting for confirmation
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
	if m.c.Services.RoleRequests == nil {
		return nil
	}
	return m.loadCmd(navReset, keyset{})
}

// live reports whether the page reads: once started, with a service.
func (m *Model) live() bool { return m.started && m.c.Services.RoleRequests != nil }

// SetSize lays the list and the detail out in the page area.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	if cols := columnsFor(width); !slices.Equal(cols, m.cols) {
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
	case nextMsg:
		return m.nextTaken(msg)
	case renewMsg:
		return m.claims().Renew(queue.LeaseOf(m.item), msg, m.closeItem)
	case renewedMsg:
		return m.claims().Renewed(queue.LeaseOf(m.item), msg, m.held, m.reread)
	case DoneMsg:
		return m.done(msg)
	case releasedMsg:
		return queue.Released(msg, m.reload)
	case common.ChangeMsg:
		if !m.live() || msg.Topic != domain.TopicRoleRequest {
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
	m.search.Input.Placeholder = m.c.T("tui.rr.hint.search")
	m.table.SetTitles(m.columnTitles())
	m.table.SetRows(m.tableRows())
	if m.form != nil {
		m.form.Relabel()
	}
	m.layoutDetail()
}
