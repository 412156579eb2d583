package imk

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// filter is the list's filter for the page starting after at; one row more
// than a page tells whether a next page exists.
func (m *Model) filter(at keyset) domain.IMKFilter {
	return domain.IMKFilter{
		States:       []domain.IMKState{domain.IMKNeedsReview},
		Search:       m.search.Applied,
		AfterApplied: at.applied,
		AfterID:      at.id,
		Limit:        PageSize + 1,
	}
}

// loadCmd reads the page for n starting at at; a PageMsg carries it.
func (m *Model) loadCmd(n nav, at keyset) tea.Cmd {
	if !m.live() {
		return nil
	}
	svc, ctx := m.c.Services.IMK, m.c.Ctx
	return m.list.Load(n, at, m.filter(at), func(f domain.IMKFilter) ([]*domain.IMKApplication, error) { return svc.ListIMK(ctx, f) })
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
func rowID(r *domain.IMKApplication) int64 { return r.ID }

// selected returns the application under the cursor, or nil.
func (m *Model) selected() *domain.IMKApplication {
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
		m.search.Clear()
		return m.loadCmd(navReset, keyset{})
	case key.Matches(msg, k.Next):
		if last, ok := m.list.Last(); ok {
			return m.loadCmd(navNext, keyset{applied: last.AppliedAt, id: last.ID})
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
	colApplicant column = iota
	colCode
	colWhy
	colAge
	colHolder
)

var columnSpec = map[column]selecttable.Column{
	colApplicant: {Min: 14, Weight: 3},
	colCode:      {Min: 13, Weight: 0},
	colWhy:       {Min: 12, Weight: 4},
	colAge:       {Min: 10, Weight: 0},
	colHolder:    {Min: 10, Weight: 1},
}

// columnsFor picks the columns that fit a width: all of them from 78
// columns, fewer below.
func columnsFor(width int) []column {
	switch {
	case width >= 78:
		return []column{colApplicant, colCode, colWhy, colAge, colHolder}
	case width >= 60:
		return []column{colApplicant, colWhy, colAge, colHolder}
	}
	return []column{colApplicant, colAge, colHolder}
}

func (m *Model) newTable() *selecttable.Model {
	t := queue.NewTable(m.c, m.cols, columnSpec)
	t.SetTitles(m.columnTitles())
	t.SetSize(max(m.width, 1), listTableHeight(m.height))
	return t
}

func (m *Model) columnTitles() []string {
	return queue.Titles(m.c, m.cols, map[column]string{
		colApplicant: "tui.imk.col.applicant", colCode: "tui.imk.col.code", colWhy: "tui.imk.col.why",
		colAge: "tui.imk.col.age", colHolder: "tui.imk.col.holder",
	})
}

func (m *Model) tableRows() []table.Row { return queue.TableRows(m.list.Rows, m.cols, m.cell) }

func (m *Model) cell(r *domain.IMKApplication, col column) string {
	switch col {
	case colApplicant:
		return applicant(r)
	case colCode:
		return domain.MaskPersonalCode(r.PersonalCode)
	case colWhy:
		return m.whyText(r)
	case colAge:
		return m.c.Age(r.AppliedAt)
	case colHolder:
		return m.holder(r)
	}
	return ""
}

// applicant is the applicant's name, plain: it is drawn in lines of the
// page's own making as well as in cells and messages.
func applicant(r *domain.IMKApplication) string {
	return common.Show(r.FirstName + " " + r.LastName)
}

// whyText names the rules that sent the application to review.
func (m *Model) whyText(r *domain.IMKApplication) string {
	if r.Evaluation == nil || len(r.Evaluation.ReviewWhy) == 0 {
		return "—"
	}
	names := make([]string, len(r.Evaluation.ReviewWhy))
	for i, rule := range r.Evaluation.ReviewWhy {
		names[i] = m.ruleName(rule)
	}
	return strings.Join(names, ", ")
}

// holder names who holds r now: "you", another operator, or nobody.
func (m *Model) holder(r *domain.IMKApplication) string {
	if r.ClaimedBy == 0 || !m.c.Clock().Before(r.ClaimExpiresAt) {
		return ""
	}
	if r.ClaimedBy == m.me() {
		return m.c.T("tui.imk.you")
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
