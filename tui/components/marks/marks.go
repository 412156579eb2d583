// Package marks is the marking of rows in a list for a bulk action
// (issue 17): space marks or unmarks the selected row, * marks the whole
// filter — every row it selects, resolved on the server, not only the
// rows read — and B opens the bulk action on what is marked. The list
// components (listview, queue) hold a Marks when their screen opts in
// with a Bulk field in its Spec; other screens see none of these keys.
package marks

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/common"
)

// Marker is drawn before a marked row's first cell; Unmarked before the
// others, so that the columns stay put.
const (
	Marker   = "● "
	Unmarked = "  "
)

// Marks are the rows marked in one list, or its whole filter.
type Marks struct {
	ids map[int64]bool
	all bool
}

// Toggle marks row id, or unmarks it; it ends a whole-filter mark.
func (m *Marks) Toggle(id int64) {
	m.all = false
	if m.ids == nil {
		m.ids = map[int64]bool{}
	}
	if m.ids[id] {
		delete(m.ids, id)
	} else {
		m.ids[id] = true
	}
}

// ToggleAll marks the whole filter, or unmarks everything when it was.
func (m *Marks) ToggleAll() {
	all := !m.all
	m.Clear()
	m.all = all
}

// Clear unmarks everything.
func (m *Marks) Clear() { m.ids, m.all = nil, false }

// All reports whether the whole filter is marked.
func (m *Marks) All() bool { return m.all }

// Marked reports whether row id is marked (every row is, with the whole
// filter).
func (m *Marks) Marked(id int64) bool { return m.all || m.ids[id] }

// IDs returns the rows marked, in order.
func (m *Marks) IDs() []int64 {
	out := make([]int64, 0, len(m.ids))
	for id := range m.ids {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Any reports whether anything is marked.
func (m *Marks) Any() bool { return m.all || len(m.ids) > 0 }

// Prefix returns what is drawn before row id's first cell.
func (m *Marks) Prefix(id int64) string {
	if m.Marked(id) {
		return Marker
	}
	return Unmarked
}

// Keys are the marking keys with their words.
type Keys struct{ Toggle, All, Open key.Binding }

// NewKeys returns the keys in c's language.
func NewKeys(c *common.Common) Keys {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	return Keys{
		Toggle: b("space", "tui.bulk.key.mark", " "),
		All:    b("*", "tui.bulk.key.mark_all", "*"),
		Open:   b("B", "tui.bulk.key.open", "B"),
	}
}

// List returns the keys for the help.
func (k Keys) List() []key.Binding { return []key.Binding{k.Toggle, k.All, k.Open} }

// Status says what is marked now on the status line.
func (m *Marks) Status() tea.Cmd {
	switch {
	case m.all:
		return common.StatusCmd("tui.bulk.marked_all")
	case len(m.ids) == 0:
		return func() tea.Msg { return common.StatusMsg{} }
	}
	return common.StatusCmd("tui.bulk.marked", len(m.ids))
}

// Update answers a marking key: selected is the row under the cursor
// (ok false when none). open is called with the rows marked, or with all
// for the whole filter, when B is pressed with something marked (the row
// under the cursor when nothing is). It reports whether the key was one
// of the marking keys.
func (m *Marks) Update(msg tea.KeyMsg, k Keys, selected int64, ok bool, open func(ids []int64, all bool) tea.Cmd) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, k.Toggle):
		if !ok {
			return nil, true
		}
		m.Toggle(selected)
		return m.Status(), true
	case key.Matches(msg, k.All):
		m.ToggleAll()
		return m.Status(), true
	case key.Matches(msg, k.Open):
		if !m.Any() {
			if !ok {
				return common.StatusCmd("tui.bulk.nothing_marked"), true
			}
			return open([]int64{selected}, false), true
		}
		return open(m.IDs(), m.all), true
	}
	return nil, false
}
