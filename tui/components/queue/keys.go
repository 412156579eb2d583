package queue

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/tui/common"
)

// filterKeys are the keys of one filter.
type filterKeys struct{ Next, Back key.Binding }

type keyMap struct {
	// The list.
	Up, Down, Open, TakeNext, Search, Next, Prev, Clear, Refresh, Apply, Leave key.Binding
	Filters                                                                    []filterKeys
	CycleBack                                                                  key.Binding // the filters' back keys, for the help
	List                                                                       []key.Binding
	// The open item.
	Scroll, Page, Top, Bottom, Close key.Binding
	Actions                          []key.Binding
	// A confirmation.
	Confirm, Back key.Binding
}

func newKeyMap[T, F, X any](c *common.Common, s Spec[T, F, X]) keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	k := func(keys ...string) []string { return keys }
	clearKey := "tui.queue.key.clear_search"
	if len(s.Filters) > 0 {
		clearKey = "tui.queue.key.clear"
	}
	km := keyMap{
		Up:       b(k("up", "k"), "↑/k", "tui.key.up"),
		Down:     b(k("down", "j"), "↓/j", "tui.key.down"),
		Open:     b(k("enter"), "enter", "tui.queue.key.open"),
		TakeNext: b(k("c"), "c", "tui.queue.key.take_next"),
		Search:   b(k("/"), "/", "tui.queue.key.search"),
		Next:     b(k("n", "]"), "n", "tui.queue.key.next"),
		Prev:     b(k("p", "["), "p", "tui.queue.key.prev"),
		Clear:    b(k("x"), "x", clearKey),
		Refresh:  b(k("r"), "r", "tui.key.refresh"),
		Apply:    b(k("enter"), "enter", "tui.queue.key.search"),
		Leave:    b(k("esc"), "esc", "tui.queue.key.leave"),

		Scroll: b(k("up", "down"), "↑/↓", "tui.queue.key.scroll"),
		Page:   b(k("pgup", "pgdown"), "pgup/pgdn", "tui.queue.key.scroll"),
		Top:    key.NewBinding(key.WithKeys("home", "g")),
		Bottom: key.NewBinding(key.WithKeys("end", "G")),
		Close:  b(k("esc"), "esc", "tui.queue.key.close"),

		Confirm: b(k("enter"), "enter", "tui.key.confirm"),
		Back:    b(k("esc"), "esc", "tui.key.back"),
	}
	var backs []string
	for _, f := range s.Filters {
		fk := filterKeys{Next: b(k(f.Key), f.Key, f.Help), Back: key.NewBinding(key.WithDisabled())}
		if f.Back != "" {
			fk.Back = b(k(f.Back), f.Back, "tui.queue.key.back_cycle")
			backs = append(backs, f.Back)
		}
		km.Filters = append(km.Filters, fk)
	}
	km.CycleBack = b(backs, strings.Join(backs, "/"), "tui.queue.key.back_cycle")
	for _, l := range s.ListKeys {
		km.List = append(km.List, b(l.Keys, l.Keys[0], l.Help))
	}
	for _, a := range s.Actions {
		km.Actions = append(km.Actions, b(a.Keys, a.Keys[0], a.Help))
	}
	return km
}

// short returns b with the catalog's words desc, shorter ones for the
// footer.
func (m *Model[T, F, X]) short(b key.Binding, desc string) key.Binding {
	if desc == "" {
		return b
	}
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, m.c.T(desc)))
}

// ShortHelp returns the keys of the current mode for the footer; on an
// open item only the actions that can be taken now.
func (m *Model[T, F, X]) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.form.ShortHelp()
	case modeConfirm:
		return m.confirmKeys()
	case modeDetail:
		var out []key.Binding
		for i, a := range m.spec.Actions {
			if !a.Quiet && m.offered(i) {
				out = append(out, m.short(k.Actions[i], a.Short))
			}
		}
		return append(out, m.short(k.Close, "tui.queue.short.back"))
	}
	if m.search.Typing {
		return []key.Binding{k.Apply, k.Leave}
	}
	out := []key.Binding{k.Open}
	if m.spec.Service.ClaimNext != nil {
		out = append(out, k.TakeNext)
	}
	out = append(out, k.Search)
	for _, f := range k.Filters {
		out = append(out, f.Next)
	}
	if m.spec.Bulk != nil {
		out = append(out, m.markKeys.List()...)
	}
	return append(out, k.Next, k.Prev)
}

// confirmKeys are the keys of a confirmation.
func (m *Model[T, F, X]) confirmKeys() []key.Binding {
	var out []key.Binding
	if a := m.spec.Actions[m.act]; a.ChooseHelp != nil {
		out = a.ChooseHelp()
	}
	return append(out, m.keys.Confirm, m.keys.Back)
}

// FullHelp returns every key of the current mode for the help overlay.
func (m *Model[T, F, X]) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.form.FullHelp()
	case modeConfirm:
		return [][]key.Binding{m.confirmKeys()}
	case modeDetail:
		return [][]key.Binding{k.Actions, {k.Scroll, k.Page, k.Close}}
	}
	if m.search.Typing {
		return [][]key.Binding{{k.Apply, k.Leave}}
	}
	move := []key.Binding{k.Up, k.Down, k.Open}
	if m.spec.Service.ClaimNext != nil {
		move = append(move, k.TakeNext)
	}
	out := [][]key.Binding{append(move, k.Next, k.Prev), {k.Search, k.Clear, k.Refresh}}
	if len(k.Filters) > 0 {
		var filters []key.Binding
		for _, f := range k.Filters {
			filters = append(filters, f.Next)
		}
		if len(k.CycleBack.Keys()) > 0 {
			filters = append(filters, k.CycleBack)
		}
		out = append(out, filters)
	}
	var own []key.Binding
	for i, b := range k.List {
		if m.spec.ListKeys[i].Run != nil {
			own = append(own, b)
		}
	}
	if len(own) > 0 {
		out = append(out, own)
	}
	if m.spec.Bulk != nil {
		out = append(out, m.markKeys.List())
	}
	return out
}
