// Package selecttable wraps the bubbles table so that the selected row is
// marked by a "›" in its own column as well as by the selected style: the
// selection stays visible on a terminal without colour or reverse video.
// Columns share the width by weight, and a page of rows is all it holds.
//
// Every cell is data and is made plain (domain/plain's Show) as the rows are
// set: escape sequences and control characters dropped, an over-long
// value cut to a display limit. bubbles' table cuts cells to their column
// byte-blind to escape sequences, so a cell must hold none at all; the cut
// before layout keeps a 100 KB value from costing a frame its time.
package selecttable

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain/plain"
	"github.com/viaa/ppp/tui/theme"
)

// Column describes a column: its title, the width it needs at least, and
// its share of any width left over.
type Column struct {
	Title  string
	Min    int
	Weight int
}

// Model is a table with a selection marker.
type Model struct {
	t      table.Model
	cols   []Column
	rows   []table.Row
	width  int
	height int
}

// KeyMap returns the table's movement keys. Letters other than j/k are left
// to the pages for their actions.
func KeyMap() table.KeyMap {
	none := key.NewBinding(key.WithDisabled())
	return table.KeyMap{
		LineUp:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "")),
		LineDown:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "")),
		PageUp:       key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdown", "")),
		HalfPageUp:   none,
		HalfPageDown: none,
		GotoTop:      key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "")),
		GotoBottom:   key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "")),
	}
}

// New returns an empty, focused table with the session's styles.
func New(st *theme.Styles, cols []Column) *Model {
	m := &Model{cols: cols}
	m.t = table.New(table.WithStyles(st.Table), table.WithKeyMap(KeyMap()), table.WithFocused(true))
	m.layout()
	return m
}

// SetTitles replaces the column titles (after a language change).
func (m *Model) SetTitles(titles []string) {
	for i := range m.cols {
		if i < len(titles) {
			m.cols[i].Title = titles[i]
		}
	}
	m.layout()
}

// SetSize sets the table's width and height, header included.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

// SetRows replaces the rows, each cell made plain; the cursor stays where
// it was when it can. rows is not changed.
func (m *Model) SetRows(rows []table.Row) {
	clean := make([]table.Row, len(rows))
	for i, r := range rows {
		clean[i] = make(table.Row, len(r))
		for j, cell := range r {
			clean[i][j] = plain.Show(cell)
		}
	}
	m.rows = clean
	cur := m.t.Cursor()
	m.render()
	if cur < 0 && len(rows) > 0 {
		m.t.SetCursor(0)
		m.render()
	}
}

// Len returns the number of rows.
func (m *Model) Len() int { return len(m.rows) }

// Cursor returns the index of the selected row, or -1 when there is none.
func (m *Model) Cursor() int {
	if len(m.rows) == 0 {
		return -1
	}
	return m.t.Cursor()
}

// SetCursor selects row i.
func (m *Model) SetCursor(i int) {
	m.t.SetCursor(i)
	m.render()
}

// Update moves the selection on the table's keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	before := m.t.Cursor()
	var cmd tea.Cmd
	m.t, cmd = m.t.Update(msg)
	if m.t.Cursor() != before {
		m.render()
	}
	return cmd
}

// View renders the header and the visible rows.
func (m *Model) View() string { return m.t.View() }

func (m *Model) render() {
	cur := min(m.t.Cursor(), len(m.rows)-1)
	out := make([]table.Row, len(m.rows))
	for i, r := range m.rows {
		mark := " "
		if i == cur {
			mark = theme.Marker
		}
		out[i] = append(table.Row{mark}, r...)
	}
	m.t.SetRows(out)
}

// layout shares the width among the columns: each cell is followed by one
// space of padding, and the marker column takes one cell plus its padding.
func (m *Model) layout() {
	avail := m.width - 2 - len(m.cols)
	minSum, weights := 0, 0
	for _, c := range m.cols {
		minSum += c.Min
		weights += c.Weight
	}
	extra := max(avail-minSum, 0)
	cols := []table.Column{{Title: " ", Width: 1}}
	used := 0
	for i, c := range m.cols {
		w := c.Min
		if minSum > avail && minSum > 0 {
			w = max(c.Min*max(avail, 0)/minSum, 1)
		} else if weights > 0 {
			w += extra * c.Weight / weights
		}
		if i == len(m.cols)-1 && avail > 0 {
			// The last column takes what rounding left over, or gives
			// back what the minimum widths overspent.
			w = max(avail-used, 1)
		}
		used += w
		cols = append(cols, table.Column{Title: c.Title, Width: w})
	}
	m.t.SetColumns(cols)
	m.t.SetWidth(max(m.width, 1))
	m.t.SetHeight(max(m.height, 2))
	m.render()
}
