// Package helpdesk is the helpdesk's queue of requests (pieprasījumi) that
// arrived by mail at stars@viaa.gov.lv: a searchable, keyset-paged list
// filtered by state and category, and the detail of one request with its
// thread, its attachments as metadata, the account matched by the sender's
// confirmed address and the category the text suggested. Opening a request
// claims it for as long as it stays open (renewed, and given back on
// leaving); from the detail the helpdesk changes the category, replies
// from a template, issues a password reset whose link only the account's
// confirmed address receives, or asks the security officers to suspend
// the account (¶32.4).
package helpdesk

import (
	"fmt"
	"time"

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

// Topic is the change-feed topic of helpdesk requests.
const Topic = domain.TopicTicket

// noPasswordTemplate explains to a Latvija.gov.lv user that the account
// has no Platform password (¶14). The templates offered are
// domain.TicketReplyTemplates, each named in the catalog under
// "tui.hd.tmpl.".
const noPasswordTemplate = "helpdesk.no_password"

// Timing.
const (
	debounce   = 250 * time.Millisecond
	renewEvery = 5 * time.Minute
)

// Limits of what the helpdesk types here; a reply's and a suspension
// note's are domain's (domain.TicketReplyMaxLength,
// domain.SuspensionNoteMaxLength), which the service checks too.
const (
	maxNote   = 1000 // the note refusing a held reset or an e-mail change
	maxSearch = 100
)

type mode int

const (
	modeList    mode = iota
	modeDetail       // one request is open
	modeSheet        // a reply or a suspension note
	modeConfirm      // a category change or a password reset, waiting for enter
	modePending      // privileged resets waiting for a second person (pending.go)
)

type nav = queue.Nav

const (
	navReset = queue.Reset
	navNext  = queue.Next
	navPrev  = queue.Prev
	navStay  = queue.Stay
)

// keyset is where a page starts: after (created, id); zero for the first.
type keyset struct {
	at time.Time
	id int64
}

// PageMsg carries one page of the queue.
type PageMsg = queue.PageMsg[keyset, domain.TicketFilter, *domain.Ticket]

type why int

const (
	whyOpen why = iota
	whyReread
	whyConflict
)

// ItemMsg carries the open request as read for the detail.
type ItemMsg struct {
	gen      int
	why      why
	ID       int64
	Ticket   *domain.Ticket
	Claimed  bool
	ClaimErr error
	Err      error
}

// The claim's messages, kept apart from other queues' by the item type.
type (
	renewMsg    = queue.RenewMsg[*domain.Ticket]
	renewedMsg  = queue.RenewedMsg[*domain.Ticket]
	releasedMsg = queue.ReleasedMsg[*domain.Ticket]
)

// DoneMsg carries the result of an action on the open request.
type DoneMsg struct {
	gen int
	act action
	ID  int64
	Err error
}

type refreshMsg struct{}

// item is the request open in the detail.
type item struct {
	queue.Lease
	t      *domain.Ticket
	loaded bool
	busy   bool
	drafts map[action]map[string]string
}

// Model is the helpdesk page.
type Model struct {
	c       *common.Common
	keys    keyMap
	mode    mode
	started bool
	width   int
	height  int

	search   queue.Search
	state    int                                                     // index into stateFilters
	category int                                                     // 0: every category, else TicketCategories[category-1]
	list     queue.List[keyset, domain.TicketFilter, *domain.Ticket] // the page shown, where the pages before it start
	table    *selecttable.Model
	cols     []column
	feed     queue.Coalescer // feed changes waiting for the debounce

	item    *item
	openGen int
	vp      viewport.Model

	sheet   *form.Model
	act     action
	version int64 // the version of the request when the sheet or confirmation opened
	// conflictAct is the action that met the latest conflict.
	conflictAct action
	pick        domain.TicketCategory

	pend *pending // the resets waiting for a second person
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
	if m.c.Services.Helpdesk == nil {
		return nil
	}
	return m.loadCmd(navReset, keyset{})
}

func (m *Model) live() bool { return m.started && m.c.Services.Helpdesk != nil }

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
	return m.mode == modeSheet || m.mode == modeConfirm || m.mode == modeList && m.search.Typing ||
		m.mode == modePending && m.pendingTyping()
}

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PendingLoadedMsg, PendingDoneMsg:
		return m.pendingMsg(msg)
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
	case modePending:
		return m.updatePendingKey(msg)
	case modeSheet:
		return m.updateSheet(msg)
	case modeConfirm:
		return m.updateConfirm(msg)
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
	m.search.Input.Placeholder = m.c.T("tui.hd.hint.search")
	m.table.SetTitles(m.columnTitles())
	m.table.SetRows(m.tableRows())
	if m.sheet != nil {
		m.sheet.Relabel()
	}
	m.layoutDetail()
}
