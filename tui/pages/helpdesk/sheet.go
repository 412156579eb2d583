package helpdesk

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// A sheet is the form of a reply or a suspension request: choices shown
// on one line each ("‹ value ›", changed with ←/→) and one message of
// several lines. Like the shared form, the focused field carries the
// marker, problems show below the fields, and the page learns of Submit
// or Cancel. Choices stay on one line so that a reply fits 80×24.

type fieldKind int

const (
	choiceField fieldKind = iota
	areaField
)

type sheetField struct {
	id        string
	label     string // catalog key
	hint      string // catalog key
	kind      fieldKind
	limit     int
	choices   []string
	choiceKey string // catalog prefix of the choices' names
	choice    int
	area      textarea.Model
}

type sheetResult int

const (
	sheetNone sheetResult = iota
	sheetSubmit
	sheetCancel
)

type sheet struct {
	c      *common.Common
	title  string // catalog key
	args   []any
	intro  string // catalog key shown under the title; may be empty
	fields []*sheetField
	focus  int
	err    error
	errKey string
	busy   bool
	keys   sheetKeys
}

func newSheet(c *common.Common, title string, args []any, intro string, fields ...*sheetField) *sheet {
	s := &sheet{c: c, title: title, args: args, intro: intro, fields: fields, keys: newSheetKeys(c)}
	for _, f := range fields {
		if f.kind != areaField {
			continue
		}
		ta := textarea.New()
		c.Styles.StyleTextArea(&ta)
		ta.ShowLineNumbers = false
		ta.Prompt = "│ "
		ta.CharLimit = f.limit
		ta.MaxHeight = 0
		ta.Cursor.SetMode(cursor.CursorStatic)
		ta.KeyMap.Paste = key.NewBinding(key.WithDisabled())
		f.area = ta
	}
	s.setFocus(0)
	return s
}

func (s *sheet) field(id string) *sheetField {
	for _, f := range s.fields {
		if f.id == id {
			return f
		}
	}
	return nil
}

// value returns the cleaned text of a message, or the code chosen.
func (s *sheet) value(id string) string {
	f := s.field(id)
	switch {
	case f == nil:
		return ""
	case f.kind == areaField:
		return common.PlainText(f.area.Value())
	case f.choice >= 0 && f.choice < len(f.choices):
		return f.choices[f.choice]
	}
	return ""
}

// setValue fills a field: text, or the code to choose.
func (s *sheet) setValue(id, v string) {
	f := s.field(id)
	if f == nil {
		return
	}
	if f.kind == areaField {
		f.area.SetValue(v)
		return
	}
	for i, c := range f.choices {
		if c == v {
			f.choice = i
		}
	}
}

// values returns every field's raw value, to keep as a draft.
func (s *sheet) values() map[string]string {
	out := map[string]string{}
	for _, f := range s.fields {
		if f.kind == areaField {
			out[f.id] = f.area.Value()
		} else {
			out[f.id] = s.value(f.id)
		}
	}
	return out
}

func (s *sheet) setError(err error)     { s.err, s.errKey = err, "" }
func (s *sheet) setErrorKey(key string) { s.err, s.errKey = nil, key }
func (s *sheet) relabel()               { s.keys = newSheetKeys(s.c) }

func (s *sheet) setFocus(i int) tea.Cmd {
	if i < 0 || i >= len(s.fields) {
		return nil
	}
	var cmd tea.Cmd
	for j, f := range s.fields {
		if f.kind != areaField {
			continue
		}
		if j == i {
			cmd = f.area.Focus()
		} else {
			f.area.Blur()
		}
	}
	s.focus = i
	return cmd
}

// update handles a key press.
func (s *sheet) update(msg tea.Msg) (sheetResult, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return sheetNone, nil
	}
	if key.Matches(km, s.keys.Cancel) {
		return sheetCancel, nil
	}
	if s.busy {
		return sheetNone, nil
	}
	f := s.fields[s.focus]
	switch {
	case key.Matches(km, s.keys.Save):
		return sheetSubmit, nil
	case key.Matches(km, s.keys.Next):
		return sheetNone, s.setFocus(s.focus + 1)
	case key.Matches(km, s.keys.Prev):
		return sheetNone, s.setFocus(s.focus - 1)
	}
	if f.kind == choiceField {
		switch {
		case key.Matches(km, s.keys.Left):
			f.choice = (f.choice + len(f.choices) - 1) % len(f.choices)
		case key.Matches(km, s.keys.Right):
			f.choice = (f.choice + 1) % len(f.choices)
		case key.Matches(km, s.keys.Up):
			return sheetNone, s.setFocus(s.focus - 1)
		case key.Matches(km, s.keys.Down), key.Matches(km, s.keys.Submit):
			return sheetNone, s.setFocus(s.focus + 1)
		}
		return sheetNone, nil
	}
	// A message takes enter as a new line; ctrl+s sends it.
	return sheetNone, common.UpdateArea(&f.area, km)
}

// view renders the sheet in width × height cells.
func (s *sheet) view(width, height int) string {
	c, st := s.c, s.c.Styles
	var lines []string
	lines = append(lines, st.Title.Render(ansi.Truncate(c.T(s.title, s.args...), width, "…")))
	if s.intro != "" {
		lines = append(lines, strings.Split(common.WrapAtSpaces(c.T(s.intro), width), "\n")...)
	}
	lines = append(lines, "")
	labelW := 0
	for _, f := range s.fields {
		labelW = max(labelW, ansi.StringWidth(c.T(f.label)))
	}
	labelW = min(labelW+1, width/2)
	var tail []string
	if s.busy {
		tail = append(tail, st.Muted.Render(c.T("tui.hd.sending")))
	}
	if msg := s.errorText(); msg != "" {
		for _, l := range strings.Split(msg, "\n") {
			for _, w := range strings.Split(common.WrapAtSpaces(l, width), "\n") {
				tail = append(tail, st.Error.Render(w))
			}
		}
	}
	for i, f := range s.fields {
		focused := i == s.focus
		mark := "  "
		if focused {
			mark = theme.Marker + " "
		}
		label := c.T(f.label) + ":"
		pad := strings.Repeat(" ", max(labelW-ansi.StringWidth(label), 0)+1)
		if focused {
			label = st.Label.Render(label)
		}
		if f.kind == choiceField {
			v := c.T(f.choiceKey + f.choices[f.choice])
			if focused {
				v = st.Selected.Render("‹ " + v + " ›")
			} else {
				v = "  " + v
			}
			lines = append(lines, mark+label+pad+v)
			continue
		}
		count := st.Muted.Render(c.T("tui.hd.chars", f.area.Length(), f.limit))
		lines = append(lines, common.SpreadLine(mark+label, count, width))
		rows := max(height-len(lines)-len(tail)-(len(s.fields)-i-1)-1, 2)
		f.area.SetWidth(max(width-4, 10))
		f.area.SetHeight(rows)
		if f.hint != "" {
			f.area.Placeholder = c.T(f.hint)
		}
		for _, l := range strings.Split(f.area.View(), "\n") {
			lines = append(lines, "  "+l)
		}
	}
	if len(tail) > 0 {
		lines = append(lines, "")
		lines = append(lines, tail...)
	}
	return common.FitBlock(strings.Join(lines, "\n"), width, height)
}

func (s *sheet) errorText() string {
	switch {
	case s.err != nil:
		return s.c.Err(s.err)
	case s.errKey != "":
		return s.c.T(s.errKey)
	}
	return ""
}

func (s *sheet) shortHelp() []key.Binding {
	if s.fields[s.focus].kind == areaField {
		return []key.Binding{s.keys.Save, s.keys.Next, s.keys.Cancel}
	}
	return []key.Binding{s.keys.Pick, s.keys.Next, s.keys.Save, s.keys.Cancel}
}

func (s *sheet) fullHelp() [][]key.Binding {
	return [][]key.Binding{{s.keys.Next, s.keys.Prev, s.keys.Pick}, {s.keys.Save, s.keys.Cancel}}
}

type sheetKeys struct {
	Next, Prev, Up, Down, Left, Right, Pick, Submit, Save, Cancel key.Binding
}

func newSheetKeys(c *common.Common) sheetKeys {
	return sheetKeys{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("tui.form.next"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", c.T("tui.form.prev"))),
		Up:     key.NewBinding(key.WithKeys("up")),
		Down:   key.NewBinding(key.WithKeys("down")),
		Left:   key.NewBinding(key.WithKeys("left")),
		Right:  key.NewBinding(key.WithKeys("right", " ")),
		Pick:   key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", c.T("tui.hd.key.pick"))),
		Submit: key.NewBinding(key.WithKeys("enter")),
		Save:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("tui.hd.key.send"))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.form.cancel"))),
	}
}
