package form

import "github.com/charmbracelet/bubbles/key"

type keyMap struct {
	Next, Prev, Up, Down, Left, Right, Space key.Binding
	// Help entries: what the keys above do in the focused field.
	Pick, PickList, Move, Toggle key.Binding
	Submit, Save, Cancel         key.Binding
}

// translator is what the key map needs of common.Common.
type translator interface {
	T(key string, args ...any) string
}

func newKeyMap(c translator, saveKey string) keyMap {
	return keyMap{
		Next:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("tui.form.next"))),
		Prev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", c.T("tui.form.prev"))),
		Up:       key.NewBinding(key.WithKeys("up")),
		Down:     key.NewBinding(key.WithKeys("down")),
		Left:     key.NewBinding(key.WithKeys("left")),
		Right:    key.NewBinding(key.WithKeys("right")),
		Space:    key.NewBinding(key.WithKeys(" ")),
		Pick:     key.NewBinding(key.WithKeys("left", "right", " "), key.WithHelp("←/→", c.T("tui.form.pick"))),
		PickList: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", c.T("tui.form.pick"))),
		Move:     key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", c.T("tui.form.move"))),
		Toggle:   key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", c.T("tui.form.toggle"))),
		Submit:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T(saveKey))),
		Save:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T(saveKey))),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.form.cancel"))),
	}
}

// ShortHelp returns the keys of the focused field for the footer.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	f := m.fields[m.focus]
	var out []key.Binding
	switch {
	case f.Kind == Area && len(m.fields) == 1:
		return []key.Binding{k.Save, k.Cancel}
	case f.Kind == Area:
		return []key.Binding{k.Save, k.Next, k.Cancel}
	case f.Kind == Choice && f.List:
		out = []key.Binding{k.PickList}
	case f.Kind == Choice:
		out = []key.Binding{k.Pick}
	case f.isChecklist():
		out = []key.Binding{k.Toggle, k.Move}
	case f.Kind == Checkbox:
		out = []key.Binding{k.Toggle}
	}
	if len(m.fields) > 1 {
		out = append(out, k.Next)
	}
	// On the last field enter does what ctrl+s does; the footer is short.
	if m.focus == len(m.fields)-1 {
		return append(out, k.Submit, k.Cancel)
	}
	return append(out, k.Save, k.Cancel)
}

// FullHelp returns the form's keys for the help overlay: moving, the keys
// of the kinds of field it has, and leaving.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	move := []key.Binding{k.Next, k.Prev}
	has := map[*key.Binding]bool{}
	for _, f := range m.fields {
		switch {
		case f.Kind == Choice && f.List:
			has[&k.PickList] = true
		case f.Kind == Choice:
			has[&k.Pick] = true
		case f.isChecklist():
			has[&k.Toggle], has[&k.Move] = true, true
		case f.Kind == Checkbox:
			has[&k.Toggle] = true
		}
	}
	for _, b := range []*key.Binding{&k.Pick, &k.PickList, &k.Toggle, &k.Move} {
		if has[b] {
			move = append(move, *b)
		}
	}
	return [][]key.Binding{move, {k.Submit, k.Save, k.Cancel}}
}
