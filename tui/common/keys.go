package common

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/domain/i18n"
)

// KeyMap holds the keys that work on every screen. Its help texts come from
// the catalog, so it is rebuilt when the language changes.
type KeyMap struct {
	Quit      key.Binding // not while typing in a field
	ForceQuit key.Binding // always
	Help      key.Binding
	NextTab   key.Binding
	PrevTab   key.Binding
	Tab       [9]key.Binding // "1"…"9": the n-th visible screen
	Jump      key.Binding    // the jump list: every screen by name; not while typing in a field
	Language  key.Binding
	Back      key.Binding
}

// NewKeyMap returns the global key map with help texts from c. The language
// keys (F2, ctrl+l) are ones a text field never needs.
func NewKeyMap(c i18n.Catalog) KeyMap {
	k := KeyMap{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", c.T("tui.key.quit"))),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", c.T("tui.key.quit"))),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", c.T("tui.key.help"))),
		NextTab:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("tui.key.next_screen"))),
		PrevTab:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", c.T("tui.key.prev_screen"))),
		Language:  key.NewBinding(key.WithKeys("f2", "ctrl+l"), key.WithHelp("F2", c.T("tui.key.language"))),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.key.back"))),
		Jump:      key.NewBinding(key.WithKeys(":", "ctrl+p"), key.WithHelp(":", c.T("tui.key.jump"))),
	}
	for i := range k.Tab {
		d := string(rune('1' + i))
		k.Tab[i] = key.NewBinding(key.WithKeys(d), key.WithHelp(d, c.T("tui.key.screen_n")))
	}
	return k
}

// ShortHelp returns the global keys shown in the footer.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Jump, k.NextTab, k.Language, k.Quit}
}

// FullHelp returns the global keys shown in the help overlay.
func (k KeyMap) FullHelp() [][]key.Binding {
	tabs := key.NewBinding(key.WithKeys("1"), key.WithHelp("1…9", k.Tab[0].Help().Desc))
	jump := key.NewBinding(key.WithKeys(":"), key.WithHelp(":/ctrl+p", k.Jump.Help().Desc))
	return [][]key.Binding{{k.NextTab, k.PrevTab, tabs, jump}, {k.Help, k.Language, k.Back, k.Quit}}
}
