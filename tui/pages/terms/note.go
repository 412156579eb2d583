package terms

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// A noteSheet asks for one text of a few lines: the summary of changes of
// a submission, or the note of a return to draft. The text is short, so
// bubbles' textarea serves; ctrl+s sends it, enter starts a new line.

type noteResult int

const (
	noteNone noteResult = iota
	noteSend
	noteCancel
)

type noteSheet struct {
	c       *common.Common
	title   string // catalog key
	args    []any
	intro   []string // already translated
	label   string   // catalog key
	hint    string   // catalog key
	sendKey string   // catalog key of what ctrl+s does
	limit   int
	area    textarea.Model
	err     error
	errKey  string
	busy    bool
	keys    noteKeys
}

type noteKeys struct{ Send, Cancel key.Binding }

func newNoteSheet(c *common.Common, title string, args []any, label, hint, sendKey string, limit int) *noteSheet {
	s := &noteSheet{c: c, title: title, args: args, label: label, hint: hint, sendKey: sendKey, limit: limit}
	ta := textarea.New()
	c.Styles.StyleTextArea(&ta)
	ta.ShowLineNumbers = false
	ta.Prompt = "│ "
	ta.CharLimit = limit
	ta.MaxHeight = 0
	ta.Cursor.SetMode(cursor.CursorStatic)
	// ctrl+v would paste the server's clipboard, not the operator's; the
	// terminal's own (bracketed) paste still works.
	ta.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	s.area = ta
	s.relabel()
	return s
}

func (s *noteSheet) relabel() {
	s.keys = noteKeys{
		Send:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", s.c.T(s.sendKey))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", s.c.T("tui.form.cancel"))),
	}
}

func (s *noteSheet) focus() tea.Cmd { return s.area.Focus() }

func (s *noteSheet) setValue(v string) {
	s.area.SetValue(common.PlainText(v))
}

// value returns the text without control characters, trimmed.
func (s *noteSheet) value() string { return strings.TrimSpace(common.PlainText(s.area.Value())) }

func (s *noteSheet) setError(err error)   { s.err, s.errKey = err, "" }
func (s *noteSheet) setErrorKey(k string) { s.err, s.errKey = nil, k }

func (s *noteSheet) update(msg tea.KeyMsg) (noteResult, tea.Cmd) {
	switch {
	case key.Matches(msg, s.keys.Cancel):
		if s.busy {
			return noteNone, nil
		}
		return noteCancel, nil
	case s.busy:
		return noteNone, nil
	case key.Matches(msg, s.keys.Send):
		return noteSend, nil
	}
	return noteNone, common.UpdateArea(&s.area, msg)
}

func (s *noteSheet) view(width, height int) string {
	c, st := s.c, s.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T(s.title, s.args...)))
	b.WriteString("\n")
	for _, l := range s.intro {
		b.WriteString(common.WrapAtSpaces(l, width))
		b.WriteString("\n")
	}
	b.WriteString("\n")
	count := st.Muted.Render(c.T("tui.terms.chars", s.area.Length(), s.limit))
	b.WriteString(common.SpreadLine(theme.Marker+" "+st.Label.Render(c.T(s.label)+":"), count, width))
	b.WriteString("\n")
	used := 4 + len(s.intro) + 3 // title, gaps, label, status, an error line or two
	s.area.SetWidth(max(width-4, 10))
	s.area.SetHeight(min(max(height-used, 2), 8))
	s.area.Placeholder = c.T(s.hint)
	for _, l := range strings.Split(s.area.View(), "\n") {
		b.WriteString("  " + l + "\n")
	}
	if s.busy {
		b.WriteString("\n" + st.Muted.Render(c.T("tui.terms.sending")))
	}
	msg := ""
	switch {
	case s.err != nil:
		msg = c.Err(s.err)
	case s.errKey != "":
		msg = c.T(s.errKey)
	}
	if msg != "" {
		b.WriteString("\n")
		for _, l := range strings.Split(msg, "\n") {
			b.WriteString(st.Error.Render(common.WrapAtSpaces(l, width)) + "\n")
		}
	}
	return common.FitBlock(b.String(), width, height)
}

func (s *noteSheet) shortHelp() []key.Binding { return []key.Binding{s.keys.Send, s.keys.Cancel} }
