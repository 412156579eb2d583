package listview

import (
	"fmt"
	"strings"

	"github.com/viaa/ppp/tui/common"
)

// summaryFrom is the lowest page that shows the pane under the list.
const summaryFrom = 14

// View renders the current mode.
func (m *Model[T]) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if !m.allowed() {
		return common.FitBlock(st.Error.Render(c.T(m.spec.RoleOnly)), w, h)
	}
	if m.spec.NoService != "" && (m.spec.Load == nil || m.spec.Load() == nil) {
		return common.FitBlock(st.Muted.Render(c.T(m.spec.NoService)), w, h)
	}
	switch m.mode {
	case modeForm:
		return m.form.View(w, h)
	case modeConfirm:
		return m.confirmView(w, h)
	case modeDetail:
		return m.detailView(w, h)
	}
	return m.listView(w, h)
}

func (m *Model[T]) above(w int) []string {
	if m.spec.Above == nil {
		return nil
	}
	return m.spec.Above(w)
}

func (m *Model[T]) summaryLines(h int) int {
	if m.spec.Summary == nil || h < summaryFrom {
		return 0
	}
	return m.spec.SummaryLines
}

// tableHeight is the list's height under the lines above it and over the
// pane under it.
func (m *Model[T]) tableHeight(w, h int) int {
	return max(h-len(m.above(w))-m.summaryLines(h), 3)
}

func (m *Model[T]) listView(w, h int) string {
	c, st := m.c, m.c.Styles
	lines := m.above(w)
	tableH := m.tableHeight(w, h)
	switch {
	case !m.loaded:
		lines = append(lines, common.FitBlock(st.Muted.Render(c.T("tui.loading")), w, tableH))
	case len(m.rows) == 0:
		lines = append(lines, common.FitBlock(st.Muted.Render(common.WrapAtSpaces(c.T(m.spec.None), w)), w, tableH))
	default:
		m.table.SetSize(w, tableH)
		lines = append(lines, common.FitBlock(m.table.View(), w, tableH))
	}
	if sh := m.summaryLines(h); sh > 0 {
		pane := []string{st.Muted.Render(strings.Repeat("─", w))}
		t, ok := m.Selected()
		pane = append(pane, m.spec.Summary(t, ok, w)...)
		lines = append(lines, common.FitBlock(strings.Join(pane, "\n"), w, sh))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// detailView shows the open row: its head, and under it its body from the
// line the operator scrolled to, the line between them saying how far.
func (m *Model[T]) detailView(w, h int) string {
	head, body := m.spec.Detail(m.target, w)
	lines := append(head, "")
	room := max(h-len(lines), 1)
	m.top = min(m.top, max(len(body)-room, 0))
	if len(body) > room {
		lines[len(lines)-1] = common.SpreadLine("", m.c.Styles.Muted.Render(fmt.Sprintf("↕ %d/%d", m.top+1, len(body))), w)
	}
	lines = append(lines, body[m.top:]...)
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

func (m *Model[T]) confirmView(w, h int) string {
	a := m.spec.Actions[m.act]
	lines := a.Confirm(m.target, w)
	last := a.Hint
	if m.busy {
		last = a.Busy
	}
	if last != "" {
		lines = append(lines, "", m.c.Styles.Muted.Render(common.WrapAtSpaces(m.c.T(last), w)))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}
