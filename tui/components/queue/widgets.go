package queue

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	"github.com/viaa/ppp/tui/common"
)

// NewSearch returns the search field of a queue's list, styled from the
// session's renderer, taking at most limit characters. Pasting is off:
// a search is typed.
func NewSearch(c *common.Common, limit int) textinput.Model {
	ti := textinput.New()
	c.Styles.StyleInput(&ti)
	ti.Prompt = ""
	ti.CharLimit = limit
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	return ti
}

// NewDetail returns the scrolling view of a queue's open item. It scrolls
// by line and by page only: the other keys belong to the item's actions.
func NewDetail(c *common.Common) viewport.Model {
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
