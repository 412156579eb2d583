package queue

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/tui/common"
)

// View renders the current mode in the page area.
func (m *Model[T, F, X]) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if !m.spec.works(c.Operator) {
		return common.FitBlock(st.Error.Render(c.T(m.spec.Words.RoleOnly)), w, h)
	}
	switch m.mode {
	case modeForm:
		return m.form.View(w, h)
	case modeConfirm:
		return m.confirmView(w, h)
	case modeDetail:
		return detailView(c, m.detailHeader(w), m.vp, w, h)
	}
	return m.listView(w, h)
}

// headerLines is the height of the list's header: a title line when the
// screen has a title, the search line, the filter line when it has
// filters.
func (m *Model[T, F, X]) headerLines() int {
	n := 1
	if m.spec.Words.Title != "" {
		n++
	}
	if len(m.spec.Filters) > 0 {
		n++
	}
	return n
}

// summaryLines is the height of the pane under the list that names the
// selected item.
func summaryLines(h int) int {
	if h >= 14 {
		return 3
	}
	return 0
}

// tableHeight leaves room for the list's header and the summary.
func (m *Model[T, F, X]) tableHeight(h int) int {
	return max(h-m.headerLines()-summaryLines(h), 3)
}

func (m *Model[T, F, X]) listView(w, h int) string {
	c, st, words := m.c, m.c.Styles, m.spec.Words
	page := st.Muted.Render(c.T("tui.queue.page", m.list.Page()))
	search := m.search.Line(c, c.T(words.Search))
	var lines []string
	if words.Title != "" {
		lines = append(lines, common.SpreadLine(st.Title.Render(c.T(words.Title)), page, w), search)
	} else {
		lines = append(lines, common.SpreadLine(search, page, w))
	}
	if len(m.spec.Filters) > 0 {
		lines = append(lines, ansi.Truncate(m.filterLine(), w, "…"))
	}
	lines = append(lines, m.list.Body(c, common.WrapAtSpaces(c.T(words.None), w), m.table.View(), w, m.tableHeight(h)))
	if sh := summaryLines(h); sh > 0 {
		lines = append(lines, m.summary(w, sh))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// filterLine shows the filters with the keys that cycle them.
func (m *Model[T, F, X]) filterLine() string {
	c, st := m.c, m.c.Styles
	parts := make([]string, len(m.spec.Filters))
	for i, f := range m.spec.Filters {
		parts[i] = st.Muted.Render(f.Key) + " " + c.T(f.Label, f.Name(m.steps[i]))
	}
	return " " + strings.Join(parts, "  ")
}

// summary names the selected item under the list.
func (m *Model[T, F, X]) summary(w, h int) string {
	lines := []string{m.c.Styles.Muted.Render(strings.Repeat("─", w))}
	if r, ok := m.Selected(); ok {
		lines = append(lines, m.spec.Summary(r)...)
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// layout fits the detail's scrolling part under its header and fills it.
func (m *Model[T, F, X]) layout() {
	if m.open == nil {
		return
	}
	w := max(m.width, 1)
	layoutDetail(&m.vp, w, m.height, len(m.detailHeader(w)), m.spec.Body(m.open, w))
}

// detailHeader stays on screen while the detail scrolls: the item and its
// state, who holds it, the screen's banners, and why it cannot be decided.
func (m *Model[T, F, X]) detailHeader(w int) []string {
	c, st, o, words := m.c, m.c.Styles, m.open, m.spec.Words
	title, state := m.spec.Heading(o)
	lines := []string{common.SpreadLine(st.Title.Render(title), st.Label.Render(state), w)}
	held := o.holder.Other(m.me(), c.Clock())
	switch {
	case o.busy && o.busyKey != "":
		lines = append(lines, st.Muted.Render(c.T(o.busyKey)))
	case o.Owned:
		lines = append(lines, st.OK.Render(c.T(words.Yours, clockText(o.holder.Until))))
	case held:
		lines = append(lines, st.Banner.Render(ansi.Truncate(c.T(words.Other, o.holder.Name), w, "…")))
	case !o.Loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.queue.opening")))
	case m.spec.Facts(o.Item).Open:
		lines = append(lines, st.Muted.Render(c.T(words.Free)))
	case words.Closed != "":
		lines = append(lines, st.Muted.Render(c.T(words.Closed)))
	}
	if m.spec.Banners != nil {
		lines = append(lines, m.spec.Banners(o, w)...)
	}
	for i, a := range m.spec.Actions {
		if !a.Explains || held || !o.Loaded {
			continue
		}
		if err := m.refused(i); err != nil {
			wrapped := strings.Split(common.WrapAtSpaces(c.Err(err), w), "\n")
			for _, l := range wrapped[:min(len(wrapped), 2)] {
				lines = append(lines, st.Error.Render(l))
			}
		}
	}
	return lines
}

// confirmView is the confirmation of the action under way, and that it is
// being sent.
func (m *Model[T, F, X]) confirmView(w, h int) string {
	lines := m.spec.Actions[m.act].Confirm(m.open, w)
	if o := m.open; o.busy && o.busyKey != "" {
		lines = append(lines, m.c.Styles.Muted.Render(m.c.T(o.busyKey)))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// ConfirmLines lays out a confirmation: its title, the question (wrapped,
// as a banner) and the keys that answer it; each already in words.
func ConfirmLines(c *common.Common, title, question, keys string, w int) []string {
	st := c.Styles
	return []string{st.Title.Render(title), "", st.Banner.Render(common.WrapAtSpaces(question, w)), "", st.Muted.Render(keys)}
}

// clockText renders the time of day of t; "—" for none.
func clockText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("15:04")
}
