package denials

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/tui/common"
)

type keyMap struct {
	Up, Down, Open, Deny, Lift, Approve, Refuse, View, State, Ground, Kind, NextPage, PrevPage, Refresh, Close, Confirm, Back key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	k := func(keys ...string) []string { return keys }
	return keyMap{
		Up:       b(k("up", "k"), "↑/k", "tui.key.up"),
		Down:     b(k("down", "j"), "↓/j", "tui.key.down"),
		Open:     b(k("enter"), "enter", "tui.den.key.open"),
		Deny:     b(k("n"), "n", "tui.den.key.deny"),
		Lift:     b(k("l"), "l", "tui.den.key.lift"),
		Approve:  b(k("y"), "y", "tui.den.key.approve"),
		Refuse:   b(k("x"), "x", "tui.den.key.refuse"),
		View:     b(k("v"), "v", "tui.den.key.view"),
		State:    b(k("s"), "s", "tui.den.key.state"),
		Ground:   b(k("g"), "g", "tui.den.key.ground"),
		Kind:     b(k("t"), "t", "tui.den.key.kind"),
		NextPage: b(k("]"), "]", "tui.den.key.next_page"),
		PrevPage: b(k("["), "[", "tui.den.key.prev_page"),
		Refresh:  b(k("r"), "r", "tui.key.refresh"),
		Close:    b(k("esc"), "esc", "tui.key.back"),
		Confirm:  b(k("enter"), "enter", "tui.key.confirm"),
		Back:     b(k("esc"), "esc", "tui.key.back"),
	}
}

// actions are the keys that can be used on the selected or open denial:
// approving and refusing are left out on one's own pending item.
func (m *Model) actions() []key.Binding {
	d := m.current()
	if d == nil {
		return nil
	}
	k := m.keys
	var out []key.Binding
	for _, x := range []struct {
		act action
		b   key.Binding
	}{{actLift, k.Lift}, {actApprove, k.Approve}, {actRefuse, k.Refuse}} {
		if m.blocker(x.act, d) == nil {
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
	case modeReason:
		return m.reason.ShortHelp()
	case modeConfirm:
		return []key.Binding{k.Confirm, k.Back}
	case modeDetail:
		return append(m.actions(), k.Close)
	}
	// The keys of the selected denial come first: the footer is cut at
	// the terminal's width.
	out := m.actions()
	if m.current() != nil {
		out = append(out, k.Open)
	}
	out = append(out, k.View, k.Deny)
	switch m.view {
	case viewDenials:
		out = append(out, k.State, k.Ground, k.Kind)
	case viewSweeps, viewDeathCheck:
		out = append(out, k.Refresh)
	}
	return out
}

// FullHelp returns every key of the current mode for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.sheet.FullHelp()
	case modeReason:
		return m.reason.FullHelp()
	case modeConfirm:
		return [][]key.Binding{{k.Confirm, k.Back}}
	case modeDetail:
		return [][]key.Binding{{k.Lift, k.Approve, k.Refuse, k.Close}, {k.Up, k.Down}}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.Open, k.View, k.Refresh},
		{k.State, k.Ground, k.Kind, k.NextPage, k.PrevPage},
		{k.Deny, k.Lift, k.Approve, k.Refuse},
	}
}
