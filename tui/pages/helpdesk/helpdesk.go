// Package helpdesk is the helpdesk's queue of requests (pieprasījumi) that
// arrived by mail at stars@viaa.gov.lv: a searchable, keyset-paged list
// filtered by state and category, and the detail of one request with its
// thread, its attachments as metadata, the account matched by the sender's
// confirmed address and the category the text suggested. Opening a request
// claims it for as long as it stays open (renewed, and given back on
// leaving); from the detail the helpdesk changes the category, replies
// from a template, issues a password reset whose link only the account's
// confirmed address receives, or asks the security officers to suspend
// the account (¶32.4). The queue component (tui/components/queue) does the
// listing, claiming and live updates; this package supplies the columns,
// filters, detail and actions, and the sub-view of what waits for a second
// person (pending.go).
package helpdesk

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
)

// PageSize is the number of requests on one page of the list.
const PageSize = 50

type (
	open       = queue.Open[*domain.Ticket, struct{}]
	act        = queue.Action[*domain.Ticket, struct{}]
	queueModel = queue.Model[*domain.Ticket, domain.TicketFilter, struct{}]
)

// Model is the helpdesk page: the queue component with the request's
// columns, filters, detail and actions, and the sub-view of resets and
// e-mail changes waiting for a second person.
type Model struct {
	*queueModel
	c    *common.Common
	pick domain.TicketCategory // the category a change offers
	pend *pending              // what waits for a second person
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	s := queue.Spec[*domain.Ticket, domain.TicketFilter, struct{}]{
		Role: domain.RoleHelpdesk, AlsoRoles: []domain.Role{domain.RoleSecurity}, Topic: domain.TopicTicket, PageSize: PageSize,
		Words: queue.Words{RoleOnly: "tui.hd.helpdesk_only", Title: "tui.hd.queue_title", Search: "tui.hd.search",
			Hint: "tui.hd.hint.search", None: "tui.hd.none", Yours: "tui.hd.claim.yours", Other: "tui.hd.claim.other",
			Free: "tui.hd.claim.free", Closed: "tui.hd.why.resolved", HeldBy: "tui.hd.held_by", Lost: "tui.hd.claim_lost",
			Changed: "tui.hd.conflict.changed", NotHeld: "tui.hd.why.not_claimed"},
		Columns: m.columns(), Filters: m.filters(), Filter: filter, Facts: facts, Summary: m.summary,
		Heading: m.heading, Body: m.body, Actions: m.actions(),
	}
	if svc := c.Services.Helpdesk; svc != nil {
		s.Service = queue.Service[*domain.Ticket, domain.TicketFilter, struct{}]{
			List: svc.ListTickets, Find: svc.FindTicket, Claim: svc.ClaimTicket, Release: svc.ReleaseTicket}
	}
	if c.Services.Defence != nil {
		s.ListKeys = []queue.ListKey{{Keys: []string{"a"}, Help: "tui.pr.key.open", Run: m.openPending}}
	}
	m.queueModel = queue.New(c, s)
	return m
}

// facts are what the queue component knows of a request.
func facts(t *domain.Ticket) queue.Facts {
	return queue.Facts{ID: t.ID, At: t.CreatedAt, Version: t.Version, Open: t.State != domain.TicketResolved,
		Holder: queue.Holder{ID: t.ClaimedBy, Name: t.ClaimedByName, Until: t.ClaimExpiresAt}}
}

// stateFilters are the steps of the state filter: a catalog key and the
// states it shows.
var stateFilters = []struct {
	key    string
	states []domain.TicketState
}{
	{"tui.hd.filter.open", []domain.TicketState{domain.TicketNew, domain.TicketInProgress}},
	{"tui.hd.state.new", []domain.TicketState{domain.TicketNew}},
	{"tui.hd.state.in_progress", []domain.TicketState{domain.TicketInProgress}},
	{"tui.hd.state.waiting", []domain.TicketState{domain.TicketWaiting}},
	{"tui.hd.state.resolved", []domain.TicketState{domain.TicketResolved}},
	{"tui.hd.filter.all", []domain.TicketState{domain.TicketNew, domain.TicketInProgress, domain.TicketWaiting, domain.TicketResolved}},
}

// filters are the list's: state (s) and category (c).
func (m *Model) filters() []queue.Filter {
	return []queue.Filter{
		{Key: "s", Help: "tui.hd.key.state_filter", Label: "tui.hd.filter.state", Steps: len(stateFilters),
			Name: func(i int) string { return m.c.T(stateFilters[i].key) }},
		{Key: "c", Help: "tui.hd.key.category_filter", Label: "tui.hd.filter.category", Steps: len(domain.TicketCategories) + 1,
			Name: func(i int) string {
				if i == 0 {
					return m.c.T("tui.hd.filter.all_categories")
				}
				return m.categoryName(domain.TicketCategories[i-1])
			}},
	}
}

// filter is the list's filter for the steps of the filters (state,
// category) and the page starting after at.
func filter(search string, steps []int, at queue.Keyset, limit int) domain.TicketFilter {
	f := domain.TicketFilter{States: stateFilters[steps[0]].states, Search: search, AfterAt: at.At, AfterID: at.ID, Limit: limit}
	if steps[1] > 0 {
		f.Categories = []domain.TicketCategory{domain.TicketCategories[steps[1]-1]}
	}
	return f
}

// Marks that read without colour.
const (
	markMatched = "✓" // the sender's confirmed address matches an account
	markRaw     = "⚠" // a message could not be parsed
)

// columns are the list's: all of them from 78 columns, fewer below.
func (m *Model) columns() []queue.Column[*domain.Ticket] {
	return []queue.Column[*domain.Ticket]{
		{Title: "tui.hd.col.subject", Min: 12, Weight: 3, Cell: subject},
		{Title: "tui.hd.col.sender", Min: 9, Weight: 2, From: 60, Cell: func(t *domain.Ticket) string { return t.From }},
		{Title: "tui.hd.col.category", Min: 10, Weight: 1, From: 78, Cell: func(t *domain.Ticket) string { return m.categoryName(t.Category) }},
		{Title: "tui.hd.col.state", Min: 9, From: 60, Cell: func(t *domain.Ticket) string { return m.stateName(t.State) }},
		{Title: "tui.hd.col.age", Min: 10, Cell: func(t *domain.Ticket) string { return m.c.Age(t.CreatedAt) }},
		{Title: "tui.hd.col.match", Min: 2, From: 78, Cell: func(t *domain.Ticket) string {
			if t.Account != nil {
				return markMatched
			}
			return ""
		}},
		{Title: "tui.hd.col.holder", Min: 7, Weight: 1, Cell: func(t *domain.Ticket) string { return m.Holder(t) }},
	}
}

// subject is the request's subject, plain: it is drawn in lines of the
// page's own making as well as in cells and messages.
func subject(t *domain.Ticket) string { return common.OrDash(t.Subject) }

func (m *Model) categoryName(c domain.TicketCategory) string {
	return m.c.Named("tui.hd.cat."+string(c), string(c))
}

func (m *Model) stateName(s domain.TicketState) string {
	return m.c.Named("tui.hd.state."+string(s), string(s))
}

// summary names the selected request under the list.
func (m *Model) summary(t *domain.Ticket) []string {
	return []string{
		strings.Join([]string{"#" + strconv.FormatInt(t.ID, 10), subject(t)}, " · "),
		strings.Join([]string{common.Show(t.From), m.categoryName(t.Category), m.accountName(t.Account)}, " · "),
	}
}

// Update handles the page's messages: the sub-view's own while it is
// shown, the queue's otherwise.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PendingLoadedMsg, PendingDoneMsg:
		return m.pendingMsg(msg)
	case tea.KeyMsg:
		if m.pendingShown() {
			return m.updatePendingKey(msg)
		}
	}
	return m.queueModel.Update(msg)
}

// View renders the sub-view while it is shown, the queue otherwise.
func (m *Model) View() string {
	c := m.c
	if m.pendingShown() && c.Operator != nil && c.Operator.HasRole(domain.RoleHelpdesk) {
		return m.pendingView(c.Width, c.Height)
	}
	return m.queueModel.View()
}

// Typing reports whether a field has the keyboard.
func (m *Model) Typing() bool {
	if m.pendingShown() {
		return m.pendingTyping()
	}
	return m.queueModel.Typing()
}

// ShortHelp returns the keys of the view shown for the footer.
func (m *Model) ShortHelp() []key.Binding {
	if m.pendingShown() {
		return m.pendingHelp()
	}
	return m.queueModel.ShortHelp()
}

// FullHelp returns every key of the view shown for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	if m.pendingShown() {
		return [][]key.Binding{m.pendingHelp()}
	}
	return m.queueModel.FullHelp()
}
