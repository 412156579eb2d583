package terms

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/viaa/ppp/tui/common"
)

type keyMap struct {
	// The list.
	Up, Down, Open, New, Diff, Submit, Publish, Return, Accept, Refresh key.Binding
	// The confirmation and the editor's questions.
	Confirm, Back, Discard key.Binding
	// The comparison and the acceptance view.
	Close, NextChange, PrevChange, AllLines, Scroll, Page, Top, Bottom, NextPage, PrevPage key.Binding
	// The editor.
	Save, Reload, Move, Jump, Cut key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	k := func(keys ...string) []string { return keys }
	return keyMap{
		Up:      b(k("up", "k"), "↑/k", "tui.key.up"),
		Down:    b(k("down", "j"), "↓/j", "tui.key.down"),
		Open:    b(k("enter"), "enter", "tui.terms.key.open"),
		New:     b(k("n"), "n", "tui.terms.key.new"),
		Diff:    b(k("d"), "d", "tui.terms.key.diff"),
		Submit:  b(k("s"), "s", "tui.terms.key.submit"),
		Publish: b(k("p"), "p", "tui.terms.key.publish"),
		Return:  b(k("b"), "b", "tui.terms.key.return"),
		Accept:  b(k("a"), "a", "tui.terms.key.accept"),
		Refresh: b(k("r"), "r", "tui.key.refresh"),

		Confirm: b(k("enter"), "enter", "tui.key.confirm"),
		Back:    b(k("esc"), "esc", "tui.key.back"),
		Discard: b(k("x"), "x", "tui.terms.key.discard"),

		Close:      b(k("esc"), "esc", "tui.terms.key.close"),
		NextChange: b(k("n", "]"), "n", "tui.terms.key.next_change"),
		PrevChange: b(k("N", "["), "N", "tui.terms.key.prev_change"),
		AllLines:   b(k("a"), "a", "tui.terms.key.all_lines"),
		Scroll:     b(k("up", "down"), "↑/↓", "tui.terms.key.scroll"),
		Page:       b(k("pgup", "pgdown"), "pgup/pgdn", "tui.terms.key.scroll"),
		Top:        key.NewBinding(key.WithKeys("home", "g")),
		Bottom:     key.NewBinding(key.WithKeys("end", "G")),
		NextPage:   b(k("n", "]"), "n", "tui.terms.key.next_page"),
		PrevPage:   b(k("p", "["), "p", "tui.terms.key.prev_page"),

		Save:   b(k("ctrl+s"), "ctrl+s", "tui.terms.key.save"),
		Reload: b(k("ctrl+r"), "ctrl+r", "tui.terms.key.reload"),
		Move:   b(k("pgup", "pgdown"), "pgup/pgdn", "tui.terms.key.page"),
		Jump:   b(k("ctrl+home", "ctrl+end"), "ctrl+home/end", "tui.terms.key.jump"),
		Cut:    b(k("ctrl+k"), "ctrl+k", "tui.terms.key.cut"),
	}
}

// ShortHelp returns the keys of the current mode for the footer; on the
// list only what can be done to the selected version.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.form.ShortHelp()
	case modeNote:
		return m.note.ShortHelp()
	case modeConfirm:
		return []key.Binding{k.Confirm, k.Back}
	case modeDiff:
		return []key.Binding{k.NextChange, k.PrevChange, k.AllLines, k.Page, k.Close}
	case modeAccept:
		return []key.Binding{k.NextPage, k.PrevPage, k.Refresh, k.Close}
	case modeEdit:
		es := m.edit
		switch {
		case es.prompt == promptLeave:
			return []key.Binding{k.Save, k.Discard, k.Back}
		case es.prompt == promptReload:
			return []key.Binding{k.Confirm, k.Back}
		case es.readOnly || !es.loaded:
			return []key.Binding{k.Page, k.Close}
		}
		return []key.Binding{k.Save, k.Close, k.Reload, k.Move}
	}
	// The next step for the selected version comes first: the footer is
	// narrow and cuts from the end.
	var out []key.Binding
	if v := m.selected(); v != nil {
		for _, a := range []struct {
			act action
			b   key.Binding
		}{{actPublish, k.Publish}, {actSubmit, k.Submit}, {actReturn, k.Return}, {actOpen, k.Open}, {actDiff, k.Diff}, {actAccept, k.Accept}} {
			if m.blocker(a.act, v) == nil {
				out = append(out, a.b)
			}
		}
	}
	return append(out, k.New)
}

// FullHelp returns every key of the current mode for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return m.form.FullHelp()
	case modeNote:
		return m.note.FullHelp()
	case modeConfirm:
		return [][]key.Binding{{k.Confirm, k.Back}}
	case modeDiff:
		return [][]key.Binding{{k.NextChange, k.PrevChange, k.AllLines}, {k.Scroll, k.Page, k.Close}}
	case modeAccept:
		return [][]key.Binding{{k.Up, k.Down, k.NextPage, k.PrevPage}, {k.Refresh, k.Close}}
	case modeEdit:
		return [][]key.Binding{{k.Save, k.Reload, k.Close}, {k.Move, k.Jump, k.Cut}}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.Open, k.New, k.Refresh},
		{k.Diff, k.Submit, k.Publish, k.Return, k.Accept},
	}
}
