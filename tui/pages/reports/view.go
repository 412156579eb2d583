package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/selecttable"
	"github.com/viaa/ppp/tui/theme"
)

func tableRows(rows [][]string) []table.Row {
	out := make([]table.Row, len(rows))
	for i, r := range rows {
		out[i] = table.Row(r)
	}
	return out
}

// minWidth is the width a column needs at least: a text column its
// room for a group's name, a figure its room for a number.
func minWidth(i int, col domain.ReportColumn) int {
	switch {
	case col.Kind == domain.ColumnText && i == 0:
		return 20
	case col.Kind == domain.ColumnText:
		return 10
	}
	return 10
}

// layout chooses the report's columns that fit the width: every text
// column, then the figures from the first one scrolled to, as many as
// fit; the focused figure is always among them. It rebuilds the table.
func (m *Model) layout() {
	r, c := m.report, m.c
	if r == nil {
		return
	}
	w := c.Width
	var text, figures []int
	for i, col := range r.Columns {
		if col.Kind == domain.ColumnText {
			text = append(text, i)
		} else {
			figures = append(figures, i)
		}
	}
	if m.focus < 0 && len(figures) > 0 {
		m.focus = figures[0]
		for _, i := range figures {
			if r.Columns[i].Kind == domain.ColumnCount {
				m.focus = i
				break
			}
		}
	}
	// The marker column and one space after each column.
	room := w - 2
	for _, i := range text {
		room -= minWidth(i, r.Columns[i]) + 1
	}
	fits := func(from, to int) bool { // figures[from:to] fit
		need := 0
		for _, i := range figures[from:to] {
			need += minWidth(i, r.Columns[i]) + 1
		}
		return need <= room
	}
	pos := max(slices.Index(figures, m.focus), 0)
	m.first = min(max(m.first, 0), pos)
	end := m.first
	for end < len(figures) && fits(m.first, end+1) {
		end++
	}
	for end <= pos && m.first < pos {
		m.first++
		for end < len(figures) && fits(m.first, end+1) {
			end++
		}
	}
	end = max(end, min(m.first+1, len(figures)))
	m.shown = append(append([]int{}, text...), figures[m.first:end]...)
	slices.Sort(m.shown)
	cols := make([]selecttable.Column, len(m.shown))
	titles := make([]string, len(m.shown))
	for j, i := range m.shown {
		cols[j] = selecttable.Column{Min: minWidth(i, r.Columns[i])}
		if r.Columns[i].Kind == domain.ColumnText {
			cols[j].Weight = 2
		}
		titles[j] = c.T(r.Columns[i].Key)
		if i == m.focus {
			titles[j] = theme.Marker + titles[j]
		}
	}
	cur := 0
	if m.table != nil {
		cur = max(m.table.Cursor(), 0)
	}
	m.table = selecttable.New(c.Styles, cols)
	m.table.SetTitles(titles)
	m.table.SetSize(w, max(c.Height-2, 3))
	rows := make([][]string, len(r.Rows))
	for k, row := range r.Rows {
		for _, i := range m.shown {
			rows[k] = append(rows[k], m.cellText(r.Columns[i], row[i]))
		}
	}
	m.table.SetRows(tableRows(rows))
	if cur < len(rows) {
		m.table.SetCursor(cur)
	}
}

// moveFocus moves the focused figure by d, scrolling the columns.
func (m *Model) moveFocus(d int) {
	var figures []int
	for i, col := range m.report.Columns {
		if col.Kind != domain.ColumnText {
			figures = append(figures, i)
		}
	}
	p := slices.Index(figures, m.focus) + d
	if p < 0 || p >= len(figures) {
		return
	}
	m.focus = figures[p]
	if p < m.first {
		m.first = p
	}
	m.layout()
}

// cellText is a cell as the screen shows it: a key translated, a count
// and a share in the operator's language, a duration in days, hours and
// minutes, "–" for a value that cannot be computed; text is data, drawn
// plain by the table.
func (m *Model) cellText(col domain.ReportColumn, cell domain.ReportCell) string {
	c := m.c
	if cell.Null {
		return "–"
	}
	switch col.Kind {
	case domain.ColumnCount:
		return c.Num(cell.Count)
	case domain.ColumnPercent:
		return c.Decimal(cell.Percent, 1) + "%"
	case domain.ColumnDuration:
		return duration(cell.Duration)
	}
	if cell.Key != "" {
		return c.T(cell.Key)
	}
	return cell.Text
}

func duration(d time.Duration) string {
	mins := int64(d / time.Minute)
	switch {
	case mins >= 24*60:
		return fmt.Sprintf("%dd %dh", mins/(24*60), mins%(24*60)/60)
	case mins >= 60:
		return fmt.Sprintf("%dh %02dm", mins/60, mins%60)
	}
	return fmt.Sprintf("%dm", mins)
}

// View renders the page.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if c.Services.Reports == nil {
		return common.FitBlock(st.Muted.Render(c.T("tui.rpt.no_service")), w, h)
	}
	periodLine := c.T("tui.rpt.period", m.period.From.Format("2006-01-02"), m.period.To.Format("2006-01-02"))
	var b strings.Builder
	switch m.mode {
	case modePeriod:
		return common.FitBlock(m.form.View(w, h), w, h)
	case modeDrill:
		return m.drill.list.View()
	case modePick:
		b.WriteString(common.SpreadLine(st.Title.Render(c.T("tui.rpt.pick")), st.Muted.Render(periodLine), w))
		b.WriteString("\n")
		b.WriteString(common.FitBlock(m.pick.View(), w, max(h-3, 3)))
		if m.loading {
			b.WriteString("\n" + st.Muted.Render(c.T("tui.loading")))
		}
		return common.FitBlock(b.String(), w, h)
	}
	r := m.report
	period := c.T("tui.rpt.period", r.Period.From.Format("2006-01-02"), r.Period.To.Format("2006-01-02"))
	title := st.Title.Render(c.T("tui.rpt.title."+r.Name)) + "  " + st.Muted.Render(period)
	if m.loading {
		title += "  " + st.Muted.Render(c.T("tui.loading"))
	}
	if m.mode == modeCharts {
		b.WriteString(common.FitWidth(title, w))
		b.WriteString("\n")
		lines := m.chartLines(w)
		top := min(m.chartTop, max(len(lines)-(h-1), 0))
		m.chartTop = top
		b.WriteString(strings.Join(lines[top:], "\n"))
		return common.FitBlock(b.String(), w, h)
	}
	figures := 0
	for _, col := range r.Columns {
		if col.Kind != domain.ColumnText {
			figures++
		}
	}
	shownFigures := 0
	for _, i := range m.shown {
		if r.Columns[i].Kind != domain.ColumnText {
			shownFigures++
		}
	}
	right := ""
	if shownFigures < figures {
		right = st.Muted.Render(c.T("tui.rpt.columns", m.first+1, m.first+shownFigures, figures))
	}
	b.WriteString(common.SpreadLine(title, right, w))
	b.WriteString("\n")
	if len(r.Rows) == 0 {
		b.WriteString(st.Muted.Render(c.T("tui.rpt.none")))
	} else {
		b.WriteString(common.FitBlock(m.table.View(), w, max(h-2, 3)))
		b.WriteString("\n")
		b.WriteString(st.Muted.Render(c.T("tui.rpt.hint.table")))
	}
	return common.FitBlock(b.String(), w, h)
}

// chartLines are the report's bar charts, one per series, and its notes:
// each bar a label drawn plain (register text), a bar of block characters
// scaled to the width, and the value beside it.
func (m *Model) chartLines(w int) []string {
	c, st := m.c, m.c.Styles
	var lines []string
	for _, s := range m.report.Series {
		lines = append(lines, st.Label.Render(c.T(s.Key)))
		if len(s.Values) == 0 {
			lines = append(lines, "  "+st.Muted.Render(c.T("tui.rpt.none")), "")
			continue
		}
		labels := make([]string, len(s.Labels))
		labelW := 4
		for i, l := range s.Labels {
			switch {
			case i < len(s.LabelKeys) && s.LabelKeys[i] != "":
				labels[i] = c.T(s.LabelKeys[i])
			case l == "":
				labels[i] = c.T("report.group.unknown")
			default:
				labels[i] = common.Show(l)
			}
			labelW = max(labelW, ansi.StringWidth(labels[i]))
		}
		labelW = min(labelW, 18)
		top := slices.Max(s.Values)
		values := make([]string, len(s.Values))
		valueW := 0
		for i, v := range s.Values {
			values[i] = m.seriesValue(s.Kind, v)
			valueW = max(valueW, ansi.StringWidth(values[i]))
		}
		barW := max(w-labelW-valueW-4, 1)
		for i, v := range s.Values {
			n := 0
			if top > 0 {
				n = int(math.Round(v / top * float64(barW)))
			}
			label := labels[i]
			if ansi.StringWidth(label) > labelW {
				label = ansi.Truncate(label, labelW, "…")
			}
			label += strings.Repeat(" ", labelW-ansi.StringWidth(label))
			lines = append(lines, "  "+label+" "+strings.Repeat("█", n)+" "+values[i])
		}
		lines = append(lines, "")
	}
	if len(m.report.Notes) > 0 {
		lines = append(lines, st.Label.Render(c.T("tui.rpt.notes")))
		for _, n := range m.report.Notes {
			lines = append(lines, strings.Split(common.WrapAtSpaces("• "+c.T(n.Key, n.Args...), w), "\n")...)
		}
	}
	return lines
}

func (m *Model) seriesValue(kind domain.ColumnKind, v float64) string {
	switch kind {
	case domain.ColumnPercent:
		return m.c.Decimal(v, 1) + "%"
	case domain.ColumnDuration:
		return duration(time.Duration(v))
	}
	return m.c.Num(int64(v))
}
