package listview

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/tui/common"
)

type keyMap struct {
	c                                                               *common.Common
	Up, Down, PageUp, PageDown, Open, Refresh, Close, Confirm, Back key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	return keyMap{
		c:        c,
		Up:       b("↑/k", "tui.key.up", "up", "k"),
		Down:     b("↓/j", "tui.key.down", "down", "j"),
		PageUp:   b("pgup", "tui.key.up", "pgup"),
		PageDown: b("pgdn", "tui.key.down", "pgdown", " "),
		Open:     b("enter", "tui.key.open", "enter"),
		Refresh:  b("r", "tui.key.refresh", "r"),
		Close:    b("esc", "tui.key.back", "esc"),
		Confirm:  b("enter", "tui.key.confirm", "enter"),
		Back:     b("esc", "tui.key.back", "esc"),
	}
}

// binding is the key binding of keys with their words.
func (k keyMap) binding(keys []string, help string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(keys, "/"), k.c.T(help)))
}

// key is the action's binding with its words.
func (a *Action[T]) key(k keyMap) key.Binding { return k.binding(a.Keys, a.Help) }

func (k keyMap) own(x Key) key.Binding { return k.binding(x.Keys, x.Help) }

func (x Key) shown() bool { return x.Shown == nil || x.Shown() }

// offered returns the keys of the actions allowed on t now: on a row, or
// (free) without one.
func (m *Model[T]) offered(t T, ok, free bool) []key.Binding {
	var out []key.Binding
	for _, a := range m.spec.Actions {
		switch {
		case a.Free && !free, !a.Free && !ok, a.Detail && free:
		case a.Rule != nil && a.Rule(t) != nil:
		default:
			out = append(out, a.key(m.keys))
		}
	}
	return out
}

func (m *Model[T]) ownKeys() []key.Binding {
	var out []key.Binding
	for _, k := range m.spec.Keys {
		if k.shown() {
			out = append(out, m.keys.own(k))
		}
	}
	return out
}

// ShortHelp returns the keys of the current mode for the footer: in the
// list, what can be done to the selected row first (the footer is cut at
// the terminal's width).
func (m *Model[T]) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.form.ShortHelp()
	case modeConfirm:
		return []key.Binding{k.Confirm, k.Back}
	case modeDetail:
		return append(m.offered(m.target, true, false), k.Close)
	}
	t, ok := m.Selected()
	out := m.offered(t, ok, true)
	if ok && m.spec.Detail != nil {
		out = append(out, m.openKey())
	}
	out = append(out, m.ownKeys()...)
	if m.spec.Bulk != nil {
		out = append(out, m.markKeys.List()...)
	}
	if len(m.rows) > 1 {
		out = append(out, k.Up, k.Down)
	}
	return append(out, k.Refresh)
}

func (m *Model[T]) openKey() key.Binding {
	if m.spec.OpenHelp == "" {
		return m.keys.Open
	}
	return m.keys.binding([]string{"enter"}, m.spec.OpenHelp)
}

// FullHelp returns every key of the current mode for the help overlay.
func (m *Model[T]) FullHelp() [][]key.Binding {
	k := m.keys
	var all, inList []key.Binding
	for _, a := range m.spec.Actions {
		all = append(all, a.key(k))
		if !a.Detail {
			inList = append(inList, a.key(k))
		}
	}
	switch m.mode {
	case modeForm:
		return m.form.FullHelp()
	case modeConfirm:
		return [][]key.Binding{{k.Confirm, k.Back}}
	case modeDetail:
		return [][]key.Binding{append(all, k.Close), {k.Up, k.Down, k.PageUp, k.PageDown}}
	}
	list := []key.Binding{k.Up, k.Down}
	if m.spec.Detail != nil {
		list = append(list, m.openKey())
	}
	list = append(append(list, m.ownKeys()...), k.Refresh)
	if m.spec.Bulk != nil {
		list = append(list, m.markKeys.List()...)
	}
	return [][]key.Binding{list, inList}
}
