package reports

import (
	"context"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/listview"
)

type drillRow = *domain.ReportDrillRow

// drillList is the list behind one figure: a listview of a page of the
// drill at a time, n reading the next.
type drillList struct {
	list   *listview.Model[drillRow]
	drill  domain.ReportDrill
	title  string // what the figure is: its row and column, as shown
	period domain.ReportPeriod
	pages  []*domain.ReportDrillCursor // the cursor of each page read; nil: the first
	next   *domain.ReportDrillCursor
}

// openDrill opens the list behind the selected row's focused figure, or
// says that it names none.
func (m *Model) openDrill() tea.Cmd {
	r := m.report
	row := m.table.Cursor()
	if row < 0 || m.focus < 0 || row >= len(r.Rows) {
		return nil
	}
	cell := r.Rows[row][m.focus]
	if cell.Drill == nil {
		err := domain.Errorf(domain.EINVALID, "tui.rpt.no_drill", "this figure lists nothing")
		return func() tea.Msg { return common.ErrorMsg{Err: err} }
	}
	title := ""
	for i, col := range r.Columns {
		if col.Kind == domain.ColumnText && i < len(r.Rows[row]) {
			title += m.cellText(col, r.Rows[row][i]) + " / "
		}
	}
	title += m.c.T(r.Columns[m.focus].Key)
	m.drill = m.newDrill(*cell.Drill, r.Period, title)
	m.mode = modeDrill
	m.drill.list.SetSize(m.c.Width, m.c.Height)
	return m.drill.list.Init()
}

func (m *Model) newDrill(d domain.ReportDrill, period domain.ReportPeriod, title string) *drillList {
	c := m.c
	dl := &drillList{drill: d, title: title, period: period, pages: []*domain.ReportDrillCursor{nil}}
	svc := c.Services.Reports
	dl.list = listview.New(c, listview.Spec[drillRow]{
		None:      "tui.rpt.drill.none",
		NoService: "tui.rpt.no_service",
		ID:        func(r drillRow) int64 { return r.ID },
		Load: func() listview.Read[drillRow] {
			if svc == nil {
				return nil
			}
			after := dl.pages[len(dl.pages)-1]
			return func(ctx context.Context) ([]drillRow, func(), error) {
				page, err := svc.Drill(ctx, d, period, after)
				if err != nil {
					return nil, nil, err
				}
				rows := make([]drillRow, len(page.Rows))
				for i := range page.Rows {
					rows[i] = &page.Rows[i]
				}
				return rows, func() { dl.next = page.Next }, nil
			}
		},
		Above: func(w int) []string {
			head := c.T("tui.rpt.drill.title", c.T("tui.rpt.title."+d.Report), dl.title)
			return []string{common.SpreadLine(c.Styles.Title.Render(common.Show(head)),
				c.Styles.Muted.Render(c.T("tui.rpt.drill.page", len(dl.pages))), w)}
		},
		Columns: []listview.Column[drillRow]{
			{Title: "tui.rpt.drill.col.at", Min: 10, Cell: func(r drillRow) string { return r.At.In(domain.AgencyZone).Format("2006-01-02") }},
			{Title: "tui.rpt.drill.col.kind", Min: 12, Cell: func(r drillRow) string { return c.T("tui.rpt.kind." + r.Kind) }},
			{Title: "tui.rpt.drill.col.id", Min: 7, Cell: func(r drillRow) string { return strconv.FormatInt(r.ID, 10) }},
			{Title: "tui.rpt.drill.col.state", Min: 12, Cell: func(r drillRow) string { return r.State }},
			{Title: "tui.rpt.drill.col.subject", Min: 14, Weight: 1, Cell: func(r drillRow) string { return r.Subject }},
		},
		Keys: []listview.Key{
			{Keys: []string{"n"}, Help: "tui.rpt.key.next_page", Shown: func() bool { return dl.next != nil }, Run: func() tea.Cmd {
				dl.pages = append(dl.pages, dl.next)
				dl.next = nil
				return dl.list.Reload()
			}},
			{Keys: []string{"p"}, Help: "tui.rpt.key.prev_page", Shown: func() bool { return len(dl.pages) > 1 }, Run: func() tea.Cmd {
				dl.pages = dl.pages[:len(dl.pages)-1]
				return dl.list.Reload()
			}},
			{Keys: []string{"esc"}, Help: "tui.rpt.key.back", Run: func() tea.Cmd {
				m.mode, m.drill = modeReport, nil
				return nil
			}},
		},
	})
	return dl
}

type keyMap struct {
	Up, Down, Left, Right, Run, Period, Charts, Drill, Refresh, Back key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(keys []string, label, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, c.T(help)))
	}
	return keyMap{
		Up:      b([]string{"up", "k"}, "↑/k", "tui.key.up"),
		Down:    b([]string{"down", "j"}, "↓/j", "tui.key.down"),
		Left:    b([]string{"left", "h"}, "←/h", "tui.rpt.key.left"),
		Right:   b([]string{"right", "l"}, "→/l", "tui.rpt.key.right"),
		Run:     b([]string{"enter"}, "enter", "tui.rpt.key.run"),
		Period:  b([]string{"p"}, "p", "tui.rpt.key.period"),
		Charts:  b([]string{"c"}, "c", "tui.rpt.key.charts"),
		Drill:   b([]string{"enter"}, "enter", "tui.rpt.key.drill"),
		Refresh: b([]string{"r"}, "r", "tui.key.refresh"),
		Back:    b([]string{"esc"}, "esc", "tui.rpt.key.back"),
	}
}

// ShortHelp lists the keys of what is shown.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modePeriod:
		return m.form.ShortHelp()
	case modeDrill:
		return m.drill.list.ShortHelp()
	case modePick:
		return []key.Binding{k.Run, k.Period}
	case modeCharts:
		return []key.Binding{k.Up, k.Down, k.Charts, k.Period, k.Back}
	}
	return []key.Binding{k.Left, k.Right, k.Drill, k.Charts, k.Period, k.Back}
}

// FullHelp lists every key of the page.
func (m *Model) FullHelp() [][]key.Binding {
	switch m.mode {
	case modePeriod:
		return m.form.FullHelp()
	case modeDrill:
		return m.drill.list.FullHelp()
	}
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.Left, k.Right}, {k.Run, k.Drill, k.Charts, k.Period, k.Refresh, k.Back}}
}
