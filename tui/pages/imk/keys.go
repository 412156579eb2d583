package imk

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/tui/common"
)

type keyMap struct {
	// The list.
	Up, Down, Open, Search, Next, Prev, Clear, Refresh, Apply, Leave key.Binding
	// The open application.
	Scroll, Page, Top, Bottom, Refetch, Approve, Reject, Reveal, Claim, Close key.Binding
	// The approval's confirmation.
	Confirm, Back key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	k := func(keys ...string) []string { return keys }
	return keyMap{
		Up:      b(k("up", "k"), "↑/k", "tui.key.up"),
		Down:    b(k("down", "j"), "↓/j", "tui.key.down"),
		Open:    b(k("enter"), "enter", "tui.imk.key.open"),
		Search:  b(k("/"), "/", "tui.imk.key.search"),
		Next:    b(k("n", "]"), "n", "tui.imk.key.next"),
		Prev:    b(k("p", "["), "p", "tui.imk.key.prev"),
		Clear:   b(k("x"), "x", "tui.imk.key.clear"),
		Refresh: b(k("r"), "r", "tui.key.refresh"),
		Apply:   b(k("enter"), "enter", "tui.imk.key.apply"),
		Leave:   b(k("esc"), "esc", "tui.imk.key.leave"),

		Scroll:  b(k("up", "down"), "↑/↓", "tui.imk.key.scroll"),
		Page:    b(k("pgup", "pgdown"), "pgup/pgdn", "tui.imk.key.scroll"),
		Top:     key.NewBinding(key.WithKeys("home", "g")),
		Bottom:  key.NewBinding(key.WithKeys("end", "G")),
		Refetch: b(k("f"), "f", "tui.imk.key.refetch"),
		Approve: b(k("a"), "a", "tui.imk.key.approve"),
		Reject:  b(k("r"), "r", "tui.imk.key.reject"),
		Reveal:  b(k("v"), "v", "tui.imk.key.reveal"),
		Claim:   b(k("c"), "c", "tui.imk.key.claim"),
		Close:   b(k("esc"), "esc", "tui.imk.key.close"),

		Confirm: b(k("enter"), "enter", "tui.key.confirm"),
		Back:    b(k("esc"), "esc", "tui.key.back"),
	}
}

// ShortHelp returns the keys of the current mode for the footer; on an
// open application only the actions that can be taken now.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.form.ShortHelp()
	case modeConfirm:
		return []key.Binding{k.Confirm, k.Back}
	case modeDetail:
		short := func(b key.Binding, desc string) key.Binding {
			return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, m.c.T(desc)))
		}
		var out []key.Binding
		for _, a := range []struct {
			act action
			b   key.Binding
		}{{actApprove, k.Approve}, {actReject, k.Reject}, {actRefetch, k.Refetch}, {actClaim, k.Claim}} {
			if m.unavailable(a.act) == nil && !(a.act == actClaim && m.item.Owned) {
				out = append(out, a.b)
			}
		}
		out = append(out, short(k.Close, "tui.imk.short.back"))
		if m.unavailable(actReveal) == nil && !m.item.revealed {
			out = append(out, short(k.Reveal, "tui.imk.short.reveal"))
		}
		return out
	}
	if m.search.Typing {
		return []key.Binding{k.Apply, k.Leave}
	}
	return []key.Binding{k.Open, k.Search, k.Next, k.Prev}
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
			{k.Refetch, k.Approve, k.Reject, k.Claim},
			{k.Reveal, k.Scroll, k.Page, k.Close},
		}
	}
	if m.search.Typing {
		return [][]key.Binding{{k.Apply, k.Leave}}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.Open, k.Next, k.Prev},
		{k.Search, k.Clear, k.Refresh},
	}
}
