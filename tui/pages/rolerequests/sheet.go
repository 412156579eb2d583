package rolerequests

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// A sheet is the form of one decision: single-line fields, a pick from a
// list and a multi-line message. It looks and answers like the shared
// form component (which has no list or multi-line field): the focused
// field carries the marker, problems show below the fields, and the page
// learns of Submit or Cancel.

type fieldKind int

const (
	lineField   fieldKind = iota // one line of text
	choiceField                  // one of a few codes
	areaField                    // a message of several lines
)

// sheetField describes a field: label and hint are catalog keys; choices
// are codes shown through choiceKey+code.
type sheetField struct {
	id        string
	label     string
	hint      string
	kind      fieldKind
	limit     int
	rows      int // areaField: lines shown
	choices   []string
	choiceKey string

	input  textinput.Model
	area   textarea.Model
	choice int
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
	intro  []string // catalog keys with their args, shown under the title
	introA [][]any
	fields []*sheetField
	focus  int
	err    error
	errKey string
	errArg []any
	busy   bool
	keys   sheetKeys
}

func newSheet(c *common.Common, title string, args []any, fields ...*sheetField) *sheet {
	s := &sheet{c: c, title: title, args: args, fields: fields, keys: newSheetKeys(c)}
	st := c.Styles
	for _, f := range fields {
		switch f.kind {
		case choiceField:
			f.choice = -1 // nothing is picked until the reviewer picks
		case lineField:
			ti := textinput.New()
			st.StyleInput(&ti)
			ti.Prompt = ""
			ti.CharLimit = f.limit
			// A blinking cursor would redraw the screen twice a second.
			ti.Cursor.SetMode(cursor.CursorStatic)
			// ctrl+v would read the server's clipboard, not the operator's;
			// the terminal's own paste arrives as bracketed paste.
			ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
			f.input = ti
		case areaField:
			ta := textarea.New()
			st.StyleTextArea(&ta)
			ta.ShowLineNumbers = false
			ta.Prompt = "│ "
			ta.CharLimit = f.limit
			ta.MaxHeight = 0
			ta.Cursor.SetMode(cursor.CursorStatic)
			ta.KeyMap.Paste = key.NewBinding(key.WithDisabled())
			f.area = ta
		}
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

// value returns the cleaned text of a text field, or the code picked in a
// choice field.
func (s *sheet) value(id string) string {
	f := s.field(id)
	if f == nil {
		return ""
	}
	switch f.kind {
	case lineField:
		return common.PlainLine(f.input.Value())
	case areaField:
		return common.PlainText(f.area.Value())
	}
	if f.choice >= 0 && f.choice < len(f.choices) {
		return f.choices[f.choice]
	}
	return ""
}

// setValue fills a field: text, or the code to pick.
func (s *sheet) setValue(id, v string) {
	f := s.field(id)
	if f == nil {
		return
	}
	switch f.kind {
	case lineField:
		f.input.SetValue(v)
		f.input.CursorEnd()
	case areaField:
		f.area.SetValue(v)
	case choiceField:
		for i, c := range f.choices {
			if c == v {
				f.choice = i
			}
		}
	}
}

// values returns every field's raw value, to keep as a draft.
func (s *sheet) values() map[string]string {
	out := map[string]string{}
	for _, f := range s.fields {
		switch f.kind {
		case lineField:
			out[f.id] = f.input.Value()
		case areaField:
			out[f.id] = f.area.Value()
		default:
			out[f.id] = s.value(f.id)
		}
	}
	return out
}

func (s *sheet) setError(err error)               { s.err, s.errKey, s.errArg = err, "", nil }
func (s *sheet) setErrorKey(key string, a ...any) { s.err, s.errKey, s.errArg = nil, key, a }
func (s *sheet) relabel()                         { s.keys = newSheetKeys(s.c) }

func (s *sheet) setFocus(i int) tea.Cmd {
	if i < 0 || i >= len(s.fields) {
		return nil
	}
	var cmd tea.Cmd
	for j, f := range s.fields {
		switch f.kind {
		case lineField:
			if j == i {
				cmd = f.input.Focus()
			} else {
				f.input.Blur()
			}
		case areaField:
			if j == i {
				cmd = f.area.Focus()
			} else {
				f.area.Blur()
			}
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
	last := s.focus == len(s.fields)-1
	switch {
	case key.Matches(km, s.keys.Save):
		return sheetSubmit, nil
	case key.Matches(km, s.keys.Next):
		return sheetNone, s.setFocus(s.focus + 1)
	case key.Matches(km, s.keys.Prev):
		return sheetNone, s.setFocus(s.focus - 1)
	}
	switch f.kind {
	case choiceField:
		switch {
		case key.Matches(km, s.keys.Up):
			f.choice = max(f.choice-1, 0)
		case key.Matches(km, s.keys.Down):
			f.choice = min(f.choice+1, len(f.choices)-1)
		case key.Matches(km, s.keys.Submit):
			if last {
				return sheetSubmit, nil
			}
			return sheetNone, s.setFocus(s.focus + 1)
		}
		return sheetNone, nil
	case lineField:
		switch {
		case key.Matches(km, s.keys.Submit):
			if last {
				return sheetSubmit, nil
			}
			return sheetNone, s.setFocus(s.focus + 1)
		case key.Matches(km, s.keys.Up):
			return sheetNone, s.setFocus(s.focus - 1)
		case key.Matches(km, s.keys.Down):
			return sheetNone, s.setFocus(s.focus + 1)
		}
		return sheetNone, common.UpdateInput(&f.input, km)
	}
	// A message takes enter as a new line; ctrl+s sends it.
	return sheetNone, common.UpdateArea(&f.area, km)
}

// view renders the sheet in width × height cells.
func (s *sheet) view(width, height int) string {
	c, st := s.c, s.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T(s.title, s.args...)))
	b.WriteString("\n")
	for i, k := range s.intro {
		b.WriteString(common.WrapAtSpaces(c.T(k, s.introA[i]...), width))
		b.WriteString("\n")
	}
	b.WriteString("\n")

	labelW := 0
	for _, f := range s.fields {
		if f.kind == lineField {
			labelW = max(labelW, ansi.StringWidth(c.T(f.label)))
		}
	}
	labelW = min(labelW+1, width/2)
	for i, f := range s.fields {
		focused := i == s.focus
		mark := "  "
		if focused {
			mark = theme.Marker + " "
		}
		label := c.T(f.label) + ":"
		if focused {
			label = st.Label.Render(label)
		}
		switch f.kind {
		case lineField:
			pad := strings.Repeat(" ", max(labelW-ansi.StringWidth(c.T(f.label)+":"), 0)+1)
			f.input.Width = max(width-labelW-5, 4)
			if f.hint != "" {
				f.input.Placeholder = c.T(f.hint)
			}
			b.WriteString(mark + label + pad + f.input.View() + "\n")
		case choiceField:
			b.WriteString(mark + label + "\n")
			for j, code := range f.choices {
				box := "( ) "
				if j == f.choice {
					box = "(•) "
				}
				rm := "    "
				text := box + c.T(f.choiceKey+code)
				if focused && j == f.choice {
					rm = "  " + theme.Marker + " "
					text = st.Selected.Render(text)
				}
				b.WriteString(rm + text + "\n")
			}
		case areaField:
			count := st.Muted.Render(c.T("tui.rr.chars", f.area.Length(), f.limit))
			b.WriteString(common.SpreadLine(mark+label, count, width) + "\n")
			f.area.SetWidth(max(width-4, 10))
			f.area.SetHeight(s.areaRows(f, width, height))
			if f.hint != "" {
				f.area.Placeholder = c.T(f.hint)
			}
			for _, l := range strings.Split(f.area.View(), "\n") {
				b.WriteString("  " + l + "\n")
			}
		}
	}
	if s.busy {
		b.WriteString("\n" + st.Muted.Render(c.T("tui.rr.sending")))
	}
	if msg := s.errorText(); msg != "" {
		b.WriteString("\n")
		for _, l := range strings.Split(msg, "\n") {
			b.WriteString(st.Error.Render(common.WrapAtSpaces(l, width)) + "\n")
		}
	}
	return common.FitBlock(b.String(), width, height)
}

// areaRows gives a message field the lines the rest of the sheet leaves,
// keeping room for the error below it.
func (s *sheet) areaRows(f *sheetField, width, height int) int {
	used := 3 + len(s.intro) // title, blank, error gap
	for _, g := range s.fields {
		switch g.kind {
		case lineField:
			used++
		case choiceField:
			used += 1 + len(g.choices)
		case areaField:
			used++
		}
	}
	used += 2 // an error line or two
	rows := max(height-used, 2)
	if f.rows > 0 {
		rows = min(rows, f.rows)
	}
	return rows
}

func (s *sheet) errorText() string {
	switch {
	case s.err != nil:
		return s.c.Err(s.err)
	case s.errKey != "":
		return s.c.T(s.errKey, s.errArg...)
	}
	return ""
}

func (s *sheet) shortHelp() []key.Binding {
	switch s.fields[s.focus].kind {
	case areaField:
		return []key.Binding{s.keys.Save, s.keys.Next, s.keys.Cancel}
	case choiceField:
		return []key.Binding{s.keys.Pick, s.keys.Next, s.keys.Save, s.keys.Cancel}
	}
	return []key.Binding{s.keys.Submit, s.keys.Next, s.keys.Save, s.keys.Cancel}
}

func (s *sheet) fullHelp() [][]key.Binding {
	return [][]key.Binding{{s.keys.Next, s.keys.Prev, s.keys.Pick}, {s.keys.Submit, s.keys.Save, s.keys.Cancel}}
}

type sheetKeys struct {
	Next, Prev, Up, Down, Pick, Submit, Save, Cancel key.Binding
}

func newSheetKeys(c *common.Common) sheetKeys {
	return sheetKeys{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("tui.form.next"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", c.T("tui.form.prev"))),
		Up:     key.NewBinding(key.WithKeys("up")),
		Down:   key.NewBinding(key.WithKeys("down")),
		Pick:   key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", c.T("tui.rr.key.pick"))),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("tui.rr.key.send"))),
		Save:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("tui.rr.key.send"))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.form.cancel"))),
	}
}

// sizeText renders a document size.
func sizeText(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KiB", (n+512)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1024*1024))
}
