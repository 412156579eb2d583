package queue

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// Search is the search of a queue's list: the field (Input), whether it
// has the keyboard (Typing), and the search the list shown was read with
// (Applied).
type Search struct {
	Input   textinput.Model
	Typing  bool
	Applied string
}

// newSearch returns the search of a queue's list, its field styled from
// the session's renderer and taking at most limit characters. Pasting is
// off: a search is typed.
func newSearch(c *common.Common, limit int) Search {
	ti := textinput.New()
	c.Styles.StyleInput(&ti)
	ti.Prompt = ""
	ti.CharLimit = limit
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	return Search{Input: ti}
}

// Line renders the search's line: a marker while the field has the
// keyboard, the label (the page's own word for a search) and the field.
func (s *Search) Line(c *common.Common, label string) string {
	mark := " "
	if s.Typing {
		mark = theme.Marker
	}
	return mark + c.Styles.Label.Render(label+":") + " " + s.Input.View()
}

// Focus gives the field the keyboard.
func (s *Search) Focus() tea.Cmd {
	s.Typing = true
	return s.Input.Focus()
}

// Clear empties the search and its field.
func (s *Search) Clear() {
	s.Applied = ""
	s.Input.SetValue("")
}

// Update handles a key while the field has the keyboard. Apply takes the
// text typed, made plain, as the search: applied is true and the list is to
// be read again. Leave puts back the search the list was read with. Both
// give the keyboard back; any other key edits the field.
func (s *Search) Update(msg tea.KeyMsg, apply, leave key.Binding) (applied bool, cmd tea.Cmd) {
	switch {
	case key.Matches(msg, apply):
		s.Typing = false
		s.Input.Blur()
		s.Applied = common.PlainLine(s.Input.Value())
		s.Input.SetValue(s.Applied)
		return true, nil
	case key.Matches(msg, leave):
		s.Typing = false
		s.Input.Blur()
		s.Input.SetValue(s.Applied)
		return false, nil
	}
	return false, common.UpdateInput(&s.Input, msg)
}

// newDetail returns the scrolling view of a queue's open item. It scrolls
// by line and by page only: the other keys belong to the item's actions.
func newDetail(c *common.Common) viewport.Model {
	vp := viewport.New(80, 10)
	vp.Style = c.Styles.Renderer.NewStyle()
	vp.KeyMap = viewport.KeyMap{
		PageDown: key.NewBinding(key.WithKeys("pgdown", " ")),
		PageUp:   key.NewBinding(key.WithKeys("pgup")),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		Up:       key.NewBinding(key.WithKeys("up", "k")),
	}
	return vp
}
