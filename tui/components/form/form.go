// Package form is a small vertical form of labelled fields: text, password
// and a role checklist. It reports Submit or Cancel to the page that owns it
// and shows the page's error (every problem of a domain error) below the
// fields, in the session's language.
package form

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// Kind is the kind of a field.
type Kind int

// The kinds of field.
const (
	Text Kind = iota
	Password
	Roles
)

// Field describes one field: ID for the page, Label a catalog key, Hint an
// optional catalog key shown while the field is empty, Limit the most
// characters it takes (0: 256).
type Field struct {
	ID    string
	Label string
	Hint  string
	Kind  Kind
	Limit int
}

type field struct {
	Field
	input      textinput.Model
	roles      map[domain.Role]bool
	roleCursor int
}

// Result is what a key press did to the form.
type Result int

// Results of Update.
const (
	None Result = iota
	Submit
	Cancel
)

// Model is a form.
type Model struct {
	c      *common.Common
	title  string // catalog key
	args   []any
	fields []*field
	focus  int
	err    error
	errKey string
	Busy   bool // a submission is under way: keys other than esc are ignored
	keys   keyMap
}

// New returns a form with the given title (a catalog key, formatted with
// args) and fields, the first one focused.
func New(c *common.Common, title string, args []any, fields ...Field) *Model {
	m := &Model{c: c, title: title, args: args}
	for _, f := range fields {
		ff := &field{Field: f}
		if f.Kind == Roles {
			ff.roles = map[domain.Role]bool{}
		} else {
			ti := textinput.New()
			c.Styles.StyleInput(&ti)
			ti.Prompt = ""
			// ctrl+v would paste the server's clipboard, not the operator's;
			// the terminal's own (bracketed) paste still works.
			ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
			ti.CharLimit = f.Limit
			if ti.CharLimit == 0 {
				ti.CharLimit = 256
			}
			// A blinking cursor would redraw the screen twice a second.
			ti.Cursor.SetMode(cursor.CursorStatic)
			if f.Kind == Password {
				ti.EchoMode = textinput.EchoPassword
				ti.EchoCharacter = '•'
			}
			ff.input = ti
		}
		m.fields = append(m.fields, ff)
	}
	m.keys = newKeyMap(c)
	m.setFocus(0)
	return m
}

// Value returns the text of field id.
func (m *Model) Value(id string) string {
	if f := m.field(id); f != nil && f.Kind != Roles {
		return f.input.Value()
	}
	return ""
}

// SetValue sets the text of field id.
func (m *Model) SetValue(id, v string) {
	if f := m.field(id); f != nil && f.Kind != Roles {
		f.input.SetValue(v)
	}
}

// Roles returns the roles ticked in field id, in the order of domain.Roles.
func (m *Model) Roles(id string) []domain.Role {
	var out []domain.Role
	if f := m.field(id); f != nil && f.Kind == Roles {
		for _, r := range domain.Roles {
			if f.roles[r] {
				out = append(out, r)
			}
		}
	}
	return out
}

// SetRoles ticks exactly roles in field id.
func (m *Model) SetRoles(id string, roles []domain.Role) {
	if f := m.field(id); f != nil && f.Kind == Roles {
		f.roles = map[domain.Role]bool{}
		for _, r := range roles {
			f.roles[r] = true
		}
	}
}

// SetError shows err (nil clears it) below the fields.
func (m *Model) SetError(err error) { m.err, m.errKey = err, "" }

// SetErrorKey shows a catalog message below the fields.
func (m *Model) SetErrorKey(key string) { m.err, m.errKey = nil, key }

// Relabel rebuilds the key help after a language change.
func (m *Model) Relabel() { m.keys = newKeyMap(m.c) }

func (m *Model) field(id string) *field {
	for _, f := range m.fields {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func (m *Model) setFocus(i int) {
	if i < 0 || i >= len(m.fields) {
		return
	}
	for j, f := range m.fields {
		if f.Kind == Roles {
			continue
		}
		if j == i {
			f.input.Focus()
		} else {
			f.input.Blur()
		}
	}
	m.focus = i
}

// Update handles a key press.
func (m *Model) Update(msg tea.Msg) (Result, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return None, nil
	}
	if key.Matches(km, m.keys.Cancel) {
		return Cancel, nil
	}
	if m.Busy {
		return None, nil
	}
	f := m.fields[m.focus]
	switch {
	case key.Matches(km, m.keys.Save):
		return Submit, nil
	case key.Matches(km, m.keys.Submit):
		if m.focus == len(m.fields)-1 {
			return Submit, nil
		}
		m.setFocus(m.focus + 1)
		return None, nil
	case key.Matches(km, m.keys.Next):
		m.setFocus(m.focus + 1)
		return None, nil
	case key.Matches(km, m.keys.Prev):
		m.setFocus(m.focus - 1)
		return None, nil
	}
	if f.Kind == Roles {
		switch {
		case key.Matches(km, m.keys.Down):
			if f.roleCursor < len(domain.Roles)-1 {
				f.roleCursor++
			} else {
				m.setFocus(m.focus + 1)
			}
		case key.Matches(km, m.keys.Up):
			if f.roleCursor > 0 {
				f.roleCursor--
			} else {
				m.setFocus(m.focus - 1)
			}
		case key.Matches(km, m.keys.Toggle):
			r := domain.Roles[f.roleCursor]
			f.roles[r] = !f.roles[r]
		}
		return None, nil
	}
	switch {
	case key.Matches(km, m.keys.Down):
		m.setFocus(m.focus + 1)
		return None, nil
	case key.Matches(km, m.keys.Up):
		m.setFocus(m.focus - 1)
		return None, nil
	}
	return None, common.UpdateInput(&f.input, km)
}

// View renders the form in width × height cells.
func (m *Model) View(width, height int) string {
	st := m.c.Styles
	labelW := 0
	for _, f := range m.fields {
		labelW = max(labelW, ansi.StringWidth(m.c.T(f.Label)))
	}
	labelW = min(labelW+1, width/2)
	inputW := max(width-labelW-4, 4)

	var b strings.Builder
	b.WriteString(st.Title.Render(m.c.T(m.title, m.args...)))
	b.WriteString("\n\n")
	for i, f := range m.fields {
		mark := "  "
		if i == m.focus {
			mark = theme.Marker + " "
		}
		label := m.c.T(f.Label) + ":"
		label += strings.Repeat(" ", max(labelW-ansi.StringWidth(label), 0)+1)
		if i == m.focus {
			label = st.Label.Render(label)
		}
		if f.Kind == Roles {
			pad := strings.Repeat(" ", labelW+3)
			for j, r := range domain.Roles {
				box := "[ ] "
				if f.roles[r] {
					box = "[x] "
				}
				rm := "  "
				if i == m.focus && j == f.roleCursor {
					rm = theme.Marker + " "
				}
				text := box + m.c.RoleName(r)
				if i == m.focus && j == f.roleCursor {
					text = st.Selected.Render(text)
				}
				if j == 0 {
					b.WriteString(mark + label + rm + text + "\n")
				} else {
					b.WriteString(pad + rm + text + "\n")
				}
			}
			continue
		}
		f.input.Width = inputW - 1
		if f.Hint != "" {
			f.input.Placeholder = m.c.T(f.Hint)
		}
		b.WriteString(mark + label + f.input.View() + "\n")
	}
	if m.Busy {
		b.WriteString("\n" + st.Muted.Render(m.c.T("tui.form.saving")))
	}
	if msg := m.errorText(); msg != "" {
		b.WriteString("\n")
		for _, l := range strings.Split(msg, "\n") {
			b.WriteString(st.Error.Render(ansi.Wordwrap(l, width, " ")) + "\n")
		}
	}
	return common.FitBlock(b.String(), width, height)
}

func (m *Model) errorText() string {
	switch {
	case m.err != nil:
		return m.c.Err(m.err)
	case m.errKey != "":
		return m.c.T(m.errKey)
	}
	return ""
}

// ShortHelp returns the form's keys for the footer.
func (m *Model) ShortHelp() []key.Binding {
	if m.fields[m.focus].Kind == Roles {
		return []key.Binding{m.keys.Toggle, m.keys.Next, m.keys.Save, m.keys.Cancel}
	}
	return []key.Binding{m.keys.Next, m.keys.Submit, m.keys.Save, m.keys.Cancel}
}

// FullHelp returns the form's keys for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Next, m.keys.Prev, m.keys.Toggle}, {m.keys.Submit, m.keys.Save, m.keys.Cancel}}
}

type keyMap struct {
	Next, Prev, Up, Down, Toggle, Submit, Save, Cancel key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	return keyMap{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("tui.form.next"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", c.T("tui.form.prev"))),
		Up:     key.NewBinding(key.WithKeys("up")),
		Down:   key.NewBinding(key.WithKeys("down")),
		Toggle: key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", c.T("tui.form.toggle"))),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("tui.form.submit"))),
		Save:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("tui.form.save"))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.form.cancel"))),
	}
}
