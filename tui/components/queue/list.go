package queue

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/common"
)

// PageMsg carries one page of a queue's list, read with filter Filter for
// a navigation starting at a keyset K. Its type parameters keep one
// queue's pages from reaching another queue's page (every page sees every
// message).
type PageMsg[K, F, R any] struct {
	gen    int
	nav    Nav
	at     K
	Filter F
	Rows   []R
	Err    error
}

// List is the shown page of a keyset-paged queue list: its rows (Rows),
// whether a page has been shown yet (Loaded), and where it and the pages
// before it start (the embedded Pager). K is the keyset, F the filter and
// R the type of a row. The zero value is the state before the first page.
type List[K, F, R any] struct {
	Pager[K, R]
	Rows   []R
	Loaded bool
}

// Load reads the page for navigation n starting at at with filter f, by
// read (the queue's list call, which errors as its service does); a
// PageMsg carries the answer. Every read begun before is superseded.
func (l *List[K, F, R]) Load(n Nav, at K, f F, read func(F) ([]R, error)) tea.Cmd {
	gen := l.Begin()
	return func() tea.Msg {
		rows, err := read(f)
		return PageMsg[K, F, R]{gen: gen, nav: n, at: at, Filter: f, Rows: rows, Err: err}
	}
}

// Show takes in a page read by Load, of at most size rows. An answer to a
// superseded read is dropped; a failed read returns the command that shows
// its error. Otherwise the rows become the shown ones (shown true) and
// cursor is the row to select: the one under the cursor before (cur), for
// a re-read of the same page, found by id.
func (l *List[K, F, R]) Show(msg PageMsg[K, F, R], size, cur int, id func(R) int64) (cursor int, shown bool, cmd tea.Cmd) {
	if !l.Current(msg.gen) {
		return 0, false, nil
	}
	if msg.Err != nil {
		return 0, false, errorCmd(msg.Err)
	}
	var keep int64
	if r, ok := l.Selected(cur); ok && msg.nav == Stay {
		keep = id(r)
	}
	l.Rows, l.Loaded = l.Apply(msg.nav, msg.at, msg.Rows, size), true
	return Cursor(msg.nav, l.Rows, cur, keep, id), true, nil
}

// Selected returns the row at index cur, and false when there is none.
func (l *List[K, F, R]) Selected(cur int) (R, bool) {
	if cur < 0 || cur >= len(l.Rows) {
		var zero R
		return zero, false
	}
	return l.Rows[cur], true
}

// Last returns the last row shown, when a page follows it: the row the
// next page starts after. It returns false on the last page.
func (l *List[K, F, R]) Last() (R, bool) {
	if !l.HasMore() || len(l.Rows) == 0 {
		var zero R
		return zero, false
	}
	return l.Rows[len(l.Rows)-1], true
}

// Body renders the list in w×h: a loading line before the first page,
// none (the page's own words, laid out) when the page shown is empty, and
// table (the table's view) otherwise.
func (l *List[K, F, R]) Body(c *common.Common, none, table string, w, h int) string {
	switch {
	case !l.Loaded:
		return common.FitBlock(c.Styles.Muted.Render(c.T("tui.loading")), w, h)
	case len(l.Rows) == 0:
		return common.FitBlock(c.Styles.Muted.Render(none), w, h)
	}
	return common.FitBlock(table, w, h)
}
