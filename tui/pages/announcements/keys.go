package announcements

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/tui/common"
)

type keyMap struct {
	Up, Down, PageUp, PageDown, Open, New, Edit, Publish, Withdraw, Refresh, Close, Confirm, Back key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	k := func(keys ...string) []string { return keys }
	return keyMap{
		Up:       b(k("up", "k"), "↑/k", "tui.key.up"),
		Down:     b(k("down", "j"), "↓/j", "tui.key.down"),
		PageUp:   b(k("pgup"), "pgup", "tui.key.up"),
		PageDown: b(k("pgdown", " "), "pgdn", "tui.key.down"),
		Open:     b(k("enter"), "enter", "tui.ann.key.open"),
		New:      b(k("n"), "n", "tui.ann.key.new"),
		Edit:     b(k("e"), "e", "tui.ann.key.edit"),
		Publish:  b(k("p"), "p", "tui.ann.key.publish"),
		Withdraw: b(k("w"), "w", "tui.ann.key.withdraw"),
		Refresh:  b(k("r"), "r", "tui.key.refresh"),
		Close:    b(k("esc"), "esc", "tui.key.back"),
		Confirm:  b(k("enter"), "enter", "tui.key.confirm"),
		Back:     b(k("esc"), "esc", "tui.key.back"),
	}
}

// actions are the keys that can be used on a now.
func (m *Model) actions() []key.Binding {
	k := m.keys
	a := m.selected()
	if m.mode == modeDetail {
		a = m.target
	}
	if a == nil {
		return nil
	}
	var out []key.Binding
	for _, x := range []struct {
		act string
		b   key.Binding
	}{{"edit", k.Edit}, {"publish", k.Publish}, {"withdraw", k.Withdraw}} {
		if m.blocker(x.act, a) == nil {
			out = append(out, x.b)
		}
	}
	return out
}

// ShortHelp returns the keys of the current mode for the footer.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.sheet.ShortHelp()
	case modeWithdraw:
		return m.reason.ShortHelp()
	case modeConfirm:
		return []key.Binding{k.Confirm, k.Back}
	case modeDetail:
		return append(m.actions(), k.Close)
	}
	out := []key.Binding{k.New}
	if m.selected() != nil {
		out = append(out, k.Open)
	}
	return append(out, m.actions()...)
}

// FullHelp returns every key of the current mode for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.sheet.FullHelp()
	case modeWithdraw:
		return m.reason.FullHelp()
	case modeConfirm:
		return [][]key.Binding{{k.Confirm, k.Back}}
	case modeDetail:
		return [][]key.Binding{{k.Edit, k.Publish, k.Withdraw, k.Close}, {k.Up, k.Down, k.PageUp, k.PageDown}}
	}
	return [][]key.Binding{{k.Up, k.Down, k.Open, k.New, k.Refresh}, {k.Edit, k.Publish, k.Withdraw}}
}
