package rolerequests

import (
	"github.com/viaa/ppp/tui/components/queue"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// ageDays are the steps of the waiting-time filter: any, then at least so
// many days.
var ageDays = []int{0, 1, 7, 14}

// openStates are the states the queue shows unless told otherwise.
func openStates() []domain.RoleRequestState {
	var out []domain.RoleRequestState
	for _, s := range domain.RoleRequestStates {
		if s.Open() {
			out = append(out, s)
		}
	}
	return out
}

// filter is the list's filter for the page starting after at; one row more
// than a page tells whether a next page exists.
func (m *Model) filter(at keyset) domain.RoleRequestFilter {
	f := domain.RoleRequestFilter{
		Search:       m.search.Applied,
		OlderThan:    time.Duration(ageDays[m.age]) * 24 * time.Hour,
		AfterCreated: at.created,
		AfterID:      at.id,
		Limit:        PageSize + 1,
	}
	if m.kind > 0 {
		f.Kinds = []domain.RoleRequestKind{domain.RoleRequestKinds[m.kind-1]}
	}
	switch {
	case m.state == 0:
		f.States = openStates()
	case m.state <= len(domain.RoleRequestStates):
		f.States = []domain.RoleRequestState{domain.RoleRequestStates[m.state-1]}
	default:
		f.States = slices.Clone(domain.RoleRequestStates)
	}
	return f
}

// loadCmd reads the page for n starting at at; a PageMsg carries it.
func (m *Model) loadCmd(n nav, at keyset) tea.Cmd {
	if !m.live() {
		return nil
	}
	svc, ctx := m.c.Services.RoleRequests, m.c.Ctx
	return m.list.Load(n, at, m.filter(at), func(f domain.RoleRequestFilter) ([]*domain.RoleRequest, error) { return svc.ListRoleRequests(ctx, f) })
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
func rowID(r *domain.RoleRequest) int64 { return r.ID }

// selected returns the request under the cursor, or nil.
func (m *Model) selected() *domain.RoleRequest {
	r, _ := m.list.Selected(m.table.Cursor())
	return r
}

func (m *Model) updateListKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	cycle := func(v *int, n, step int) tea.Cmd {
		*v = (*v + step + n) % n
		return m.loadCmd(navReset, keyset{})
	}
	kinds, states := len(domain.RoleRequestKinds)+1, len(domain.RoleRequestStates)+2
	switch {
	case key.Matches(msg, k.Open):
		if r := m.selected(); r != nil {
			return m.open(r)
		}
		return nil
	case key.Matches(msg, k.TakeNext):
		return m.takeNextCmd()
	case key.Matches(msg, k.Search):
		return m.search.Focus()
	case key.Matches(msg, k.Kind):
		return cycle(&m.kind, kinds, 1)
	case key.Matches(msg, k.KindBack):
		return cycle(&m.kind, kinds, -1)
	case key.Matches(msg, k.State):
		return cycle(&m.state, states, 1)
	case key.Matches(msg, k.StateBack):
		return cycle(&m.state, states, -1)
	case key.Matches(msg, k.Age):
		return cycle(&m.age, len(ageDays), 1)
	case key.Matches(msg, k.AgeBack):
		return cycle(&m.age, len(ageDays), -1)
	case key.Matches(msg, k.Clear):
		m.kind, m.state, m.age = 0, 0, 0
		m.search.Clear()
		return m.loadCmd(navReset, keyset{})
	case key.Matches(msg, k.Next):
		if last, ok := m.list.Last(); ok {
			return m.loadCmd(navNext, keyset{created: last.CreatedAt, id: last.ID})
		}
		return nil
	case key.Matches(msg, k.Prev):
		if at, ok := m.list.Prev(); ok {
			return m.loadCmd(navPrev, at)
		}
		return nil
	case key.Matches(msg, k.Refresh):
		return m.reload()
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

// column is one column of the list.
type column int

const (
	colKind column = iota
	colApplicant
	colWhere
	colAge
	colState
	colHolder
	colCode
)

var columnSpec = map[column]selecttable.Column{
	colKind:      {Min: 11, Weight: 0},
	colApplicant: {Min: 14, Weight: 3},
	colWhere:     {Min: 8, Weight: 3},
	colAge:       {Min: 11, Weight: 0},
	colState:     {Min: 14, Weight: 0},
	colHolder:    {Min: 12, Weight: 1},
	colCode:      {Min: 13, Weight: 0},
}

// columnsFor picks the columns that fit a width: the masked personal code
// on a wide screen, everything else at 80 columns, and fewer below.
func columnsFor(width int) []column {
	switch {
	case width >= 110:
		return []column{colKind, colApplicant, colCode, colWhere, colAge, colState, colHolder}
	case width >= 78:
		return []column{colKind, colApplicant, colWhere, colAge, colState, colHolder}
	case width >= 60:
		return []column{colKind, colApplicant, colAge, colState, colHolder}
	}
	return []column{colApplicant, colState, colHolder}
}

func (m *Model) newTable() *selecttable.Model {
	t := queue.NewTable(m.c, m.cols, columnSpec)
	t.SetTitles(m.columnTitles())
	t.SetSize(max(m.width, 1), listTableHeight(m.height))
	return t
}

func (m *Model) columnTitles() []string {
	return queue.Titles(m.c, m.cols, map[column]string{
		colKind: "tui.rr.col.kind", colApplicant: "tui.rr.col.applicant", colWhere: "tui.rr.col.where",
		colAge: "tui.rr.col.age", colState: "tui.rr.col.state", colHolder: "tui.rr.col.holder", colCode: "tui.rr.col.personal_code",
	})
}

func (m *Model) tableRows() []table.Row { return queue.TableRows(m.list.Rows, m.cols, m.cell) }

func (m *Model) cell(r *domain.RoleRequest, col column) string {
	c := m.c
	switch col {
	case colKind:
		return c.T("tui.rr.kind_short." + string(r.Form.Kind))
	case colApplicant:
		return r.ApplicantName()
	case colWhere:
		return where(r)
	case colAge:
		return c.Age(r.CreatedAt)
	case colState:
		return c.T("tui.rr.state." + string(r.State))
	case colHolder:
		return m.holder(r)
	case colCode:
		return domain.MaskPersonalCode(r.Form.PersonalCode)
	}
	return ""
}

// where is the institution or municipality a request is about.
func where(r *domain.RoleRequest) string {
	if r.Form.Kind == domain.KindMunicipalCoordinator && r.MunicipalityName != "" {
		return r.MunicipalityName
	}
	if r.InstitutionName != "" {
		return r.InstitutionName
	}
	if r.MunicipalityName != "" {
		return r.MunicipalityName
	}
	return r.Form.MunicipalityCode
}

// holder names who holds r now: "you", another operator, or nobody.
func (m *Model) holder(r *domain.RoleRequest) string {
	if r.ClaimedBy == 0 || !m.c.Clock().Before(r.ClaimExpiresAt) {
		return ""
	}
	if m.c.Operator != nil && r.ClaimedBy == m.c.Operator.ID {
		return m.c.T("tui.rr.you")
	}
	if r.ClaimedByName == "" {
		return "#" + itoa(r.ClaimedBy)
	}
	return r.ClaimedByName
}

// summaryLines is the height of the pane under the list that shows the
// selected request.
func summaryLines(h int) int {
	if h >= 14 {
		return 3
	}
	return 0
}

// listTableHeight leaves room for the search line, the filter line and the
// summary.
func listTableHeight(h int) int { return max(h-2-summaryLines(h), 3) }

// nextMsg is the answer of takeNextCmd: the request claimed, or why none.
type nextMsg struct {
	req *domain.RoleRequest
	err error
}

// takeNextCmd claims the oldest pending request nobody holds, of the kind
// the list is filtered to, as the queue's ClaimNext does for concurrent
// reviewers without their ever getting the same one; nextTaken opens it.
func (m *Model) takeNextCmd() tea.Cmd {
	svc, ctx := m.c.Services.RoleRequests, m.c.Ctx
	var kinds []domain.RoleRequestKind
	if m.kind > 0 {
		kinds = []domain.RoleRequestKind{domain.RoleRequestKinds[m.kind-1]}
	}
	return func() tea.Msg {
		r, err := svc.ClaimNext(ctx, kinds...)
		return nextMsg{req: r, err: err}
	}
}

// nextTaken opens the request takeNextCmd claimed, unless the reviewer
// has opened another meanwhile; "none waiting" and other errors go to the
// status line.
func (m *Model) nextTaken(msg nextMsg) tea.Cmd {
	if msg.err != nil {
		return errorCmd(msg.err)
	}
	if m.mode != modeList {
		return nil
	}
	return m.open(msg.req)
}
