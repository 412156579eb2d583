package helpdesk

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/tui/common"
)

type keyMap struct {
	// The list.
	Up, Down, Open, Search, StateFilter, CategoryFilter, Next, Prev, Clear, Refresh, Apply, Leave key.Binding
	// The open request.
	Scroll, Page, Top, Bottom, Category, Reply, Reset, Suspend, Close key.Binding
	// A confirmation.
	Confirm, Back, Cycle, CycleBack key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	k := func(keys ...string) []string { return keys }
	return keyMap{
		Up:             b(k("up", "k"), "↑/k", "tui.key.up"),
		Down:           b(k("down", "j"), "↓/j", "tui.key.down"),
		Open:           b(k("enter"), "enter", "tui.hd.key.open"),
		Search:         b(k("/"), "/", "tui.hd.key.search"),
		StateFilter:    b(k("s"), "s", "tui.hd.key.state_filter"),
		CategoryFilter: b(k("c"), "c", "tui.hd.key.category_filter"),
		Next:           b(k("n", "]"), "n", "tui.hd.key.next"),
		Prev:           b(k("p", "["), "p", "tui.hd.key.prev"),
		Clear:          b(k("x"), "x", "tui.hd.key.clear"),
		Refresh:        b(k("r"), "r", "tui.key.refresh"),
		Apply:          b(k("enter"), "enter", "tui.hd.key.apply"),
		Leave:          b(k("esc"), "esc", "tui.hd.key.leave"),

		Scroll:   b(k("up", "down"), "↑/↓", "tui.hd.key.scroll"),
		Page:     b(k("pgup", "pgdown"), "pgup/pgdn", "tui.hd.key.scroll"),
		Top:      key.NewBinding(key.WithKeys("home", "g")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G")),
		Category: b(k("c"), "c", "tui.hd.key.category"),
		Reply:    b(k("R"), "R", "tui.hd.key.reply"),
		Reset:    b(k("p"), "p", "tui.hd.key.reset"),
		Suspend:  b(k("s"), "s", "tui.hd.key.suspend"),
		Close:    b(k("esc"), "esc", "tui.hd.key.close"),

		Confirm:   b(k("enter"), "enter", "tui.key.confirm"),
		Back:      b(k("esc"), "esc", "tui.key.back"),
		Cycle:     b(k("c", "right", "down", " "), "c/→", "tui.hd.key.cycle"),
		CycleBack: key.NewBinding(key.WithKeys("left", "up")),
	}
}

// ShortHelp returns the keys of the current mode for the footer; on an
// open request only the actions that can be taken now.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modePending:
		return m.pendingHelp()
	case modeSheet:
		return m.sheet.ShortHelp()
	case modeConfirm:
		if m.act == actCategory {
			return []key.Binding{k.Cycle, k.Confirm, k.Back}
		}
		return []key.Binding{k.Confirm, k.Back}
	case modeDetail:
		// The footer has room for the three actions a request is for;
		// the category and the rest are in the help overlay.
		short := func(b key.Binding, desc string) key.Binding {
			return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, m.c.T(desc)))
		}
		var out []key.Binding
		for _, a := range []struct {
			act action
			b   key.Binding
		}{{actReply, k.Reply}, {actReset, short(k.Reset, "tui.hd.short.reset")}, {actSuspend, k.Suspend}} {
			if m.unavailable(a.act) == nil {
				out = append(out, a.b)
			}
		}
		if len(out) == 0 {
			out = append(out, k.Close)
		}
		return out
	}
	if m.search.Typing {
		return []key.Binding{k.Apply, k.Leave}
	}
	return []key.Binding{k.Open, k.Search, k.StateFilter, k.CategoryFilter}
}

// FullHelp returns every key of the current mode for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modePending:
		return [][]key.Binding{m.pendingHelp()}
	case modeSheet:
		return m.sheet.FullHelp()
	case modeConfirm:
		return [][]key.Binding{{k.Cycle, k.Confirm, k.Back}}
	case modeDetail:
		return [][]key.Binding{
			{k.Reply, k.Category, k.Reset, k.Suspend},
			{k.Scroll, k.Page, k.Close},
		}
	}
	if m.search.Typing {
		return [][]key.Binding{{k.Apply, k.Leave}}
	}
	out := [][]key.Binding{
		{k.Up, k.Down, k.Open, k.Next, k.Prev},
		{k.Search, k.StateFilter, k.CategoryFilter, k.Clear, k.Refresh},
	}
	if p := m.pendingListHelp(); p != nil {
		out = append(out, p)
	}
	return out
}
