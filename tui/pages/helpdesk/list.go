package helpdesk

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// stateFilter is one step of the state filter's cycle: a catalog key and
// the states it shows.
type stateFilter struct {
	key    string
	states []domain.TicketState
}

var stateFilters = []stateFilter{
	{"tui.hd.filter.open", []domain.TicketState{domain.TicketNew, domain.TicketInProgress}},
	{"tui.hd.state.new", []domain.TicketState{domain.TicketNew}},
	{"tui.hd.state.in_progress", []domain.TicketState{domain.TicketInProgress}},
	{"tui.hd.state.waiting", []domain.TicketState{domain.TicketWaiting}},
	{"tui.hd.state.resolved", []domain.TicketState{domain.TicketResolved}},
	{"tui.hd.filter.all", []domain.TicketState{domain.TicketNew, domain.TicketInProgress, domain.TicketWaiting, domain.TicketResolved}},
}

// filter is the list's filter for the page starting after at; one row more
// than a page tells whether a next page exists.
func (m *Model) filter(at keyset) domain.TicketFilter {
	f := domain.TicketFilter{
		States:  stateFilters[m.state].states,
		Search:  m.search.Applied,
		AfterAt: at.at,
		AfterID: at.id,
		Limit:   PageSize + 1,
	}
	if m.category > 0 {
		f.Categories = []domain.TicketCategory{domain.TicketCategories[m.category-1]}
	}
	return f
}

// loadCmd reads the page for n starting at at; a PageMsg carries it.
func (m *Model) loadCmd(n nav, at keyset) tea.Cmd {
	if !m.live() {
		return nil
	}
	svc, ctx := m.c.Services.Helpdesk, m.c.Ctx
	return m.list.Load(n, at, m.filter(at), func(f domain.TicketFilter) ([]*domain.Ticket, error) { return svc.ListTickets(ctx, f) })
}

// showPage shows a page read by loadCmd; a superseded one is dropped.
func (m *Model) showPage(msg PageMsg) tea.Cmd {
	cur, shown, cmd := m.list.Show(msg, PageSize, m.table.Cursor(), rowID)
	if shown {
		m.table.SetRows(m.tableRows())
		m.table.SetCursor(cur)
	}
	return cmd
}

// rowID is the id the cursor follows across a re-read.
func rowID(r *domain.Ticket) int64 { return r.ID }

// selected returns the request under the cursor, or nil.
func (m *Model) selected() *domain.Ticket {
	r, _ := m.list.Selected(m.table.Cursor())
	return r
}

func (m *Model) updateListKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Open):
		if r := m.selected(); r != nil {
			return m.open(r)
		}
		return nil
	case key.Matches(msg, k.Search):
		return m.search.Focus()
	case key.Matches(msg, k.Clear):
		m.state, m.category = 0, 0
		m.search.Clear()
		return m.loadCmd(navReset, keyset{})
	case key.Matches(msg, k.StateFilter):
		m.state = (m.state + 1) % len(stateFilters)
		return m.loadCmd(navReset, keyset{})
	case key.Matches(msg, k.CategoryFilter):
		m.category = (m.category + 1) % (len(domain.TicketCategories) + 1)
		return m.loadCmd(navReset, keyset{})
	case key.Matches(msg, k.Next):
		if last, ok := m.list.Last(); ok {
			return m.loadCmd(navNext, keyset{at: last.CreatedAt, id: last.ID})
		}
		return nil
	case key.Matches(msg, k.Prev):
		if at, ok := m.list.Prev(); ok {
			return m.loadCmd(navPrev, at)
		}
		return nil
	case key.Matches(msg, k.Refresh):
		return m.reload()
	case msg.String() == "a" && m.c.Services.Defence != nil:
		return m.openPending()
	}
	return m.table.Update(msg)
}

func (m *Model) updateSearch(msg tea.KeyMsg) tea.Cmd {
	applied, cmd := m.search.Update(msg, m.keys.Apply, m.keys.Leave)
	if applied {
		return m.loadCmd(navReset, keyset{})
	}
	return cmd
}

// filterText names the filters in force, for the list's title line.
func (m *Model) filterText() string {
	s := m.c.T(stateFilters[m.state].key)
	if m.category > 0 {
		s += " · " + m.categoryName(domain.TicketCategories[m.category-1])
	}
	return s
}

// column is one column of the list.
type column int

const (
	colSubject column = iota
	colSender
	colCategory
	colState
	colAge
	colMatch
	colHolder
)

var columnSpec = map[column]selecttable.Column{
	colSubject:  {Min: 12, Weight: 3},
	colSender:   {Min: 9, Weight: 2},
	colCategory: {Min: 10, Weight: 1},
	colState:    {Min: 9, Weight: 0},
	colAge:      {Min: 10, Weight: 0},
	colMatch:    {Min: 2, Weight: 0},
	colHolder:   {Min: 7, Weight: 1},
}

// columnsFor picks the columns that fit a width: all of them from 78
// columns, fewer below.
func columnsFor(width int) []column {
	switch {
	case width >= 78:
		return []column{colSubject, colSender, colCategory, colState, colAge, colMatch, colHolder}
	case width >= 60:
		return []column{colSubject, colSender, colState, colAge, colHolder}
	}
	return []column{colSubject, colAge, colHolder}
}

func (m *Model) newTable() *selecttable.Model {
	t := queue.NewTable(m.c, m.cols, columnSpec)
	t.SetTitles(m.columnTitles())
	t.SetSize(max(m.width, 1), listTableHeight(m.height))
	return t
}

func (m *Model) columnTitles() []string {
	return queue.Titles(m.c, m.cols, map[column]string{
		colSubject: "tui.hd.col.subject", colSender: "tui.hd.col.sender", colCategory: "tui.hd.col.category",
		colState: "tui.hd.col.state", colAge: "tui.hd.col.age", colMatch: "tui.hd.col.match", colHolder: "tui.hd.col.holder",
	})
}

func (m *Model) tableRows() []table.Row { return queue.TableRows(m.list.Rows, m.cols, m.cell) }

// Marks that read without colour.
const (
	markMatched = "✓" // the sender's confirmed address matches an account
	markRaw     = "⚠" // a message could not be parsed
)

func (m *Model) cell(r *domain.Ticket, col column) string {
	switch col {
	case colSubject:
		return subject(r)
	case colSender:
		return r.From
	case colCategory:
		return m.categoryName(r.Category)
	case colState:
		return m.stateName(r.State)
	case colAge:
		return m.c.Age(r.CreatedAt)
	case colMatch:
		if r.Account != nil {
			return markMatched
		}
		return ""
	case colHolder:
		return m.holder(r)
	}
	return ""
}

// subject is the request's subject, plain: it is drawn in lines of the
// page's own making as well as in cells and messages.
func subject(r *domain.Ticket) string { return common.OrDash(r.Subject) }

func (m *Model) categoryName(c domain.TicketCategory) string {
	return m.optional("tui.hd.cat."+string(c), string(c))
}

func (m *Model) stateName(s domain.TicketState) string {
	return m.optional("tui.hd.state."+string(s), string(s))
}

// holder names who holds r now: "you", another operator, or nobody.
func (m *Model) holder(r *domain.Ticket) string {
	if r.ClaimedBy == 0 || !m.c.Clock().Before(r.ClaimExpiresAt) {
		return ""
	}
	if r.ClaimedBy == m.me() {
		return m.c.T("tui.hd.you")
	}
	if r.ClaimedByName == "" {
		return "#" + itoa(r.ClaimedBy)
	}
	return r.ClaimedByName
}

// summaryLines is the height of the pane under the list.
func summaryLines(h int) int {
	if h >= 14 {
		return 3
	}
	return 0
}

// listTableHeight leaves room for the title, the search line and the
// summary.
func listTableHeight(h int) int { return max(h-2-summaryLines(h), 3) }
