package rolerequests

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/tui/common"
)

type keyMap struct {
	// The list.
	Up, Down, Open, TakeNext, Search, Kind, KindBack, State, StateBack, Age, AgeBack, CycleBack, Next, Prev, Clear, Refresh, Apply, Leave key.Binding
	// The open request.
	Scroll, Page, Top, Bottom, Approve, Reject, Info, Resend, TakeOver, Reveal, Claim, Close key.Binding
	// The approval's confirmation.
	Confirm, Back key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	k := func(keys ...string) []string { return keys }
	return keyMap{
		Up:        b(k("up", "k"), "↑/k", "tui.key.up"),
		Down:      b(k("down", "j"), "↓/j", "tui.key.down"),
		Open:      b(k("enter"), "enter", "tui.rr.key.open"),
		TakeNext:  b(k("c"), "c", "tui.rr.key.take_next"),
		Search:    b(k("/"), "/", "tui.rr.key.search"),
		Kind:      b(k("f"), "f", "tui.rr.key.kind"),
		KindBack:  b(k("F"), "F", "tui.rr.key.back_cycle"),
		State:     b(k("s"), "s", "tui.rr.key.state"),
		StateBack: b(k("S"), "S", "tui.rr.key.back_cycle"),
		Age:       b(k("d"), "d", "tui.rr.key.age"),
		AgeBack:   b(k("D"), "D", "tui.rr.key.back_cycle"),
		CycleBack: b(k("F", "S", "D"), "F/S/D", "tui.rr.key.back_cycle"),
		Next:      b(k("n", "]"), "n", "tui.rr.key.next"),
		Prev:      b(k("p", "["), "p", "tui.rr.key.prev"),
		Clear:     b(k("x"), "x", "tui.rr.key.clear"),
		Refresh:   b(k("r"), "r", "tui.key.refresh"),
		Apply:     b(k("enter"), "enter", "tui.rr.key.apply"),
		Leave:     b(k("esc"), "esc", "tui.rr.key.leave"),

		Scroll:   b(k("up", "down"), "↑/↓", "tui.rr.key.scroll"),
		Page:     b(k("pgup", "pgdown"), "pgup/pgdn", "tui.rr.key.scroll"),
		Top:      key.NewBinding(key.WithKeys("home", "g")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G")),
		Approve:  b(k("a"), "a", "tui.rr.key.approve"),
		Reject:   b(k("r"), "r", "tui.rr.key.reject"),
		Info:     b(k("i"), "i", "tui.rr.key.info"),
		Resend:   b(k("e"), "e", "tui.rr.key.resend"),
		TakeOver: b(k("t"), "t", "tui.rr.key.takeover"),
		Reveal:   b(k("v"), "v", "tui.rr.key.reveal"),
		Claim:    b(k("c"), "c", "tui.rr.key.claim"),
		Close:    b(k("esc"), "esc", "tui.rr.key.close"),

		Confirm: b(k("enter"), "enter", "tui.key.confirm"),
		Back:    b(k("esc"), "esc", "tui.key.back"),
	}
}

// ShortHelp returns the keys of the current mode for the footer; on an
// open request only the actions that can be taken now.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.form.ShortHelp()
	case modeConfirm:
		return []key.Binding{k.Confirm, k.Back}
	case modeDetail:
		// The footer is narrow: short names here, the full ones in the
		// help overlay.
		short := func(b key.Binding, desc string) key.Binding {
			return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, m.c.T(desc)))
		}
		k.Info = short(k.Info, "tui.rr.short.info")
		k.Resend = short(k.Resend, "tui.rr.short.resend")
		k.TakeOver = short(k.TakeOver, "tui.rr.short.takeover")
		k.Reveal = short(k.Reveal, "tui.rr.short.reveal")
		k.Close = short(k.Close, "tui.rr.short.back")
		var out []key.Binding
		for _, a := range []struct {
			act action
			b   key.Binding
		}{{actApprove, k.Approve}, {actReject, k.Reject}, {actInfo, k.Info}, {actResend, k.Resend}, {actTakeOver, k.TakeOver}, {actClaim, k.Claim}} {
			if m.unavailable(a.act) == nil && !(a.act == actClaim && m.item.Owned) {
				out = append(out, a.b)
			}
		}
		out = append(out, k.Close)
		if m.unavailable(actReveal) == nil && !m.item.revealed {
			out = append(out, k.Reveal)
		}
		return out
	}
	if m.search.Typing {
		return []key.Binding{k.Apply, k.Leave}
	}
	return []key.Binding{k.Open, k.TakeNext, k.Search, k.Kind, k.State, k.Age, k.Next, k.Prev}
}

// FullHelp returns every key of the current mode for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.form.FullHelp()
	case modeConfirm:
		return [][]key.Binding{{k.Confirm, k.Back}}
	case modeDetail:
		return [][]key.Binding{
			{k.Approve, k.Reject, k.Info, k.Resend, k.TakeOver},
			{k.Claim, k.Reveal, k.Scroll, k.Page, k.Close},
		}
	}
	if m.search.Typing {
		return [][]key.Binding{{k.Apply, k.Leave}}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.Open, k.TakeNext, k.Next, k.Prev},
		{k.Search, k.Clear, k.Refresh},
		{k.Kind, k.State, k.Age, k.CycleBack},
	}
}
