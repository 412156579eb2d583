// Package form is the one form of the screens: labelled fields of several
// kinds — one line of text, a password, a text of several lines, a date,
// a choice, a checklist, a checkbox — that the operator moves between
// with tab and shift+tab, submits with ctrl+s (or enter on the last
// field) and leaves with esc. It reports Submit or Cancel to the page
// that owns it and shows problems in the session's language: each under
// the field it concerns, the rest below the fields.
//
// Whatever is typed or pasted passes the screens' one cleaning
// (tui/common/input.go) and is cut to the field's limit; a text of
// several lines is held by the editor component, which never re-wraps
// the whole text on a key. Draft and Restore keep what was typed when
// a form is closed and opened again.
package form

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/plain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/editor"
)

// Kind is the kind of a field.
type Kind int

// The kinds of field.
const (
	Text      Kind = iota // one line of text
	Password              // one line, shown as dots, never trimmed
	Roles                 // a checklist of the operator roles (domain.Roles)
	Area                  // a text of several lines; enter starts a new line
	Choice                // one of Options
	Checklist             // any of Options
	Checkbox              // yes or no
	Date                  // a day, typed as DateLayout
	DateTime              // a day and a time, typed as DateTimeLayout
)

// How dates are typed: as the operators have always typed them, read in
// the Agency's time zone (the process's local one, Europe/Riga).
const (
	DateLayout     = "2006-01-02"
	DateTimeLayout = "2006-01-02 15:04"
)

// Default limits, in characters.
const (
	DefaultLimit     = 256  // a line of text
	DefaultAreaLimit = 2000 // a text of several lines
)

// Field describes one field. Label, Hint, Required, Caption, NoneNote and
// OptionKey+option are catalog keys.
type Field struct {
	ID    string
	Label string
	// Hint is shown while a text field is empty; a date field without
	// one shows the layout to type.
	Hint string
	Kind Kind
	// Limit is the most characters a text field takes (0: DefaultLimit,
	// DefaultAreaLimit for an Area). Pages pass the domain's constants.
	Limit int
	// Rows is the most rows an Area shows (0: what the screen leaves).
	Rows int
	// Options are the codes a Choice or a Checklist offers, each shown as
	// the catalog's OptionKey+code.
	Options   []string
	OptionKey string
	// List shows a Choice one option a line, chosen with ↑/↓; otherwise
	// the options share one line and ←/→ change the choice.
	List bool
	// Unset starts a Choice with nothing chosen.
	Unset bool
	// Required is the problem shown when the field is left empty (a Choice
	// left unset, a Checklist with nothing ticked); "" when it may be.
	Required string
	// Caption is the text beside a Checkbox.
	Caption string
	// NoneNote is shown under a Checklist while nothing is ticked.
	NoneNote string
}

// Result is what a key press did to the form.
type Result int

// Results of Update.
const (
	None Result = iota
	Submit
	Cancel
)

// Draft is what was typed into a form, field by field, to give back to
// Restore when the same form opens again.
type Draft map[string]string

type field struct {
	Field
	input  textinput.Model // Text, Password, Date, DateTime
	area   *editor.Model   // Area
	choice int             // Choice: the option chosen; -1: none
	ticked map[string]bool // Checklist
	cursor int             // Checklist: the option under the cursor
	on     bool            // Checkbox
	// example is a date the page put into a date field, given as the
	// example of how to type one; "": today.
	example string

	problems []domain.Problem
}

// message is a catalog key with its arguments.
type message struct {
	key  string
	args []any
}

// Model is a form.
type Model struct {
	c       *common.Common
	title   message
	intro   []message
	note    []message
	fields  []*field
	focus   int
	err     error
	general []message // problems of no field shown, and the page's errors
	// Busy says a submission is under way: keys other than esc are
	// ignored, and the busy text shows.
	Busy    bool
	saveKey string
	busyKey string
	keys    keyMap
}

// New returns a form with the given title (a catalog key, formatted with
// args; "" for none, when the form is part of a page's view) and fields,
// the first one focused.
func New(c *common.Common, title string, args []any, fields ...Field) *Model {
	m := &Model{c: c, title: message{title, args}, saveKey: "tui.form.save", busyKey: "tui.form.saving"}
	for _, f := range fields {
		m.fields = append(m.fields, newField(c, f))
	}
	m.keys = newKeyMap(c, m.saveKey)
	m.setFocus(0)
	return m
}

func newField(c *common.Common, f Field) *field {
	ff := &field{Field: f}
	switch f.Kind {
	case Roles:
		ff.Options, ff.OptionKey = nil, "tui.role."
		for _, r := range domain.Roles {
			ff.Options = append(ff.Options, string(r))
		}
		ff.ticked = map[string]bool{}
	case Checklist:
		ff.ticked = map[string]bool{}
	case Choice:
		if f.Unset || len(f.Options) == 0 {
			ff.choice = -1
		}
	case Area:
		if ff.Limit <= 0 {
			ff.Limit = DefaultAreaLimit
		}
		ed := editor.New(editor.StylesFrom(c.Styles))
		ed.Prompt = "│ "
		ed.Blurred = true
		ff.area = ed
	case Checkbox:
		// on/off: nothing to build.
	default:
		switch {
		case f.Kind == Date:
			ff.Limit = len(DateLayout)
		case f.Kind == DateTime:
			ff.Limit = len(DateTimeLayout)
		case ff.Limit <= 0:
			ff.Limit = DefaultLimit
		}
		ti := textinput.New()
		c.Styles.StyleInput(&ti)
		ti.Prompt = ""
		// ctrl+v would paste the server's clipboard, not the operator's;
		// the terminal's own (bracketed) paste still works.
		ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
		ti.CharLimit = ff.Limit
		// A blinking cursor would redraw the screen twice a second.
		ti.Cursor.SetMode(cursor.CursorStatic)
		if f.Kind == Password {
			ti.EchoMode = textinput.EchoPassword
			ti.EchoCharacter = '•'
		}
		ff.input = ti
	}
	return ff
}

// isChecklist reports whether f is ticked option by option.
func (f *field) isChecklist() bool { return f.Kind == Checklist || f.Kind == Roles }

// hasInput reports whether f is one line of text.
func (f *field) hasInput() bool {
	switch f.Kind {
	case Text, Password, Date, DateTime:
		return true
	}
	return false
}

// WithSave names what ctrl+s does (a catalog key: "send", "deny
// access" …); the default is "save".
func (m *Model) WithSave(key string) *Model {
	m.saveKey = key
	m.keys = newKeyMap(m.c, key)
	return m
}

// WithBusy sets the text shown while Busy (a catalog key; the default is
// "Saving…").
func (m *Model) WithBusy(key string) *Model { m.busyKey = key; return m }

// WithIntro adds a paragraph under the title (a catalog key and its
// arguments).
func (m *Model) WithIntro(key string, args ...any) *Model {
	m.intro = append(m.intro, message{key, args})
	return m
}

// SetIntro replaces the paragraphs under the title with one ("" removes
// them).
func (m *Model) SetIntro(key string, args ...any) {
	m.intro = nil
	if key != "" {
		m.intro = []message{{key, args}}
	}
}

// SetNote sets the muted paragraph below the fields ("" removes it); a
// page changes it as the fields change.
func (m *Model) SetNote(key string, args ...any) {
	m.note = nil
	if key != "" {
		m.note = []message{{key, args}}
	}
}

// Relabel rebuilds the key help after a language change; everything else
// is translated as it is drawn.
func (m *Model) Relabel() { m.keys = newKeyMap(m.c, m.saveKey) }

func (m *Model) field(id string) *field {
	for _, f := range m.fields {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Focused returns the id of the focused field.
func (m *Model) Focused() string { return m.fields[m.focus].ID }

// Focus moves the focus to field id.
func (m *Model) Focus(id string) tea.Cmd {
	for i, f := range m.fields {
		if f.ID == id {
			return m.setFocus(i)
		}
	}
	return nil
}

func (m *Model) setFocus(i int) tea.Cmd {
	if i < 0 || i >= len(m.fields) {
		return nil
	}
	var cmd tea.Cmd
	for j, f := range m.fields {
		switch {
		case f.hasInput() && j == i:
			cmd = f.input.Focus()
		case f.hasInput():
			f.input.Blur()
		case f.Kind == Area:
			f.area.Blurred = j != i
		}
	}
	m.focus = i
	return cmd
}

// Value returns the value of field id: the text, cleaned and trimmed (a
// password as typed); the code of the option chosen ("" for none); the
// codes ticked, joined with ","; "1" for a ticked checkbox, else "".
func (m *Model) Value(id string) string {
	f := m.field(id)
	if f == nil {
		return ""
	}
	switch f.Kind {
	case Password:
		return f.input.Value()
	case Text, Date, DateTime:
		return common.PlainLine(f.input.Value())
	case Area:
		return common.PlainText(f.area.Text())
	case Choice:
		if f.choice >= 0 && f.choice < len(f.Options) {
			return f.Options[f.choice]
		}
		return ""
	case Checkbox:
		if f.on {
			return "1"
		}
		return ""
	}
	return strings.Join(f.tickedCodes(), ",")
}

// SetValue fills field id with v, given as Value returns it (for a text
// field, the text, cleaned as typing it would have been and cut to the
// field's limit; the cursor goes to its end). An option v does not name
// is left alone.
func (m *Model) SetValue(id, v string) {
	f := m.field(id)
	if f == nil {
		return
	}
	switch f.Kind {
	case Text, Password, Date, DateTime:
		f.input.SetValue(cleanValue(v, f.Limit, false))
		f.input.CursorEnd()
		if l := f.layout(); l != "" {
			if _, err := time.Parse(l, v); err == nil {
				f.example = v
			}
		}
	case Area:
		v = cleanValue(v, f.Limit, true)
		f.area.SetText(v)
		f.area.SetCursor(f.area.LineCount()-1, len([]rune(v)))
	case Choice:
		if i := slices.Index(f.Options, v); i >= 0 {
			f.choice = i
		}
	case Checkbox:
		f.on = v != ""
	default:
		f.ticked = map[string]bool{}
		for _, code := range strings.Split(v, ",") {
			if slices.Contains(f.Options, code) {
				f.ticked[code] = true
			}
		}
	}
}

// cleanValue makes a value put into a text field (a stored one, or a
// draft) what typing it could have made: escape sequences dropped whole,
// as stored text is drawn, then the input rules of every field, cut to
// limit characters.
func cleanValue(v string, limit int, multiline bool) string {
	lineRoom := -1
	if multiline {
		lineRoom = math.MaxInt
	}
	out, _ := common.CleanRunes([]rune(plain.StripSequences(v)), limit, lineRoom)
	return string(out)
}

// Draft returns what the form holds, text as typed, for Restore.
func (m *Model) Draft() Draft {
	d := Draft{}
	for _, f := range m.fields {
		switch f.Kind {
		case Text, Password, Date, DateTime:
			d[f.ID] = f.input.Value()
		case Area:
			d[f.ID] = f.area.Text()
		default:
			d[f.ID] = m.Value(f.ID)
		}
	}
	return d
}

// Restore fills the fields from a draft.
func (m *Model) Restore(d Draft) {
	for id, v := range d {
		m.SetValue(id, v)
	}
}

// Checked reports whether checkbox id is ticked.
func (m *Model) Checked(id string) bool { return m.Value(id) != "" }

// Ticked returns the codes ticked in checklist id, in the order of its
// options.
func (m *Model) Ticked(id string) []string {
	if f := m.field(id); f != nil && f.isChecklist() {
		return f.tickedCodes()
	}
	return nil
}

func (f *field) tickedCodes() []string {
	var out []string
	for _, code := range f.Options {
		if f.ticked[code] {
			out = append(out, code)
		}
	}
	return out
}

// Roles returns the roles ticked in field id, in the order of domain.Roles.
func (m *Model) Roles(id string) []domain.Role {
	var out []domain.Role
	for _, code := range m.Ticked(id) {
		out = append(out, domain.Role(code))
	}
	return out
}

// SetRoles ticks exactly roles in field id.
func (m *Model) SetRoles(id string, roles []domain.Role) {
	var codes []string
	for _, r := range roles {
		codes = append(codes, string(r))
	}
	m.SetValue(id, strings.Join(codes, ","))
}

// Time returns the day (or day and time) typed in date field id, in the
// Agency's time zone; the zero time when the field is empty. A value that
// cannot be read is an EINVALID error whose problem names the field and
// shows how to type it, with the date the page last put into the field
// as the example (today when it put none).
func (m *Model) Time(id string) (time.Time, error) {
	f := m.field(id)
	if f == nil {
		return time.Time{}, nil
	}
	v := m.Value(id)
	if v == "" {
		return time.Time{}, nil
	}
	layout, key := f.layout(), "tui.form.date.format"
	if f.Kind == DateTime {
		key = "tui.form.datetime.format"
	}
	t, err := time.ParseInLocation(layout, v, time.Local)
	if err != nil {
		example := f.example
		if example == "" {
			example = m.c.Clock().In(time.Local).Format(layout)
		}
		e := domain.Errorf(domain.EINVALID, key, "write it as %s, e.g. %s", layout, example)
		e.Problems = []domain.Problem{{Field: id, Key: key, Args: []any{example}}}
		return time.Time{}, e
	}
	return t, nil
}

// layout is how a date field is typed; "" for other fields.
func (f *field) layout() string {
	switch f.Kind {
	case Date:
		return DateLayout
	case DateTime:
		return DateTimeLayout
	}
	return ""
}

// Check looks at what the form itself can judge — a required field left
// empty, a date that cannot be read — and shows each problem under its
// field. It reports whether there was none; the page then adds its own
// (AddProblem) or sends.
func (m *Model) Check() bool {
	m.clearProblems()
	ok := true
	for _, f := range m.fields {
		empty := m.Value(f.ID) == ""
		if f.Kind == Password {
			empty = f.input.Value() == ""
		}
		switch {
		case f.Required != "" && empty:
			f.problems = append(f.problems, domain.Problem{Field: f.ID, Key: f.Required})
			ok = false
		case f.Kind == Date || f.Kind == DateTime:
			if _, err := m.Time(f.ID); err != nil {
				f.problems = append(f.problems, domain.AsError(err).Problems...)
				ok = false
			}
		}
	}
	return ok
}

// AddProblem shows a problem (a catalog key and its arguments) under
// field id, or below the fields when there is no such field.
func (m *Model) AddProblem(id, key string, args ...any) {
	m.addProblem(domain.Problem{Field: id, Key: key, Args: args})
}

func (m *Model) addProblem(p domain.Problem) {
	if f := m.field(p.Field); f != nil {
		f.problems = append(f.problems, p)
		return
	}
	m.general = append(m.general, message{p.Key, p.Args})
}

// SetProblems replaces every problem shown: each under its field, those
// of no field below the fields.
func (m *Model) SetProblems(problems []domain.Problem) {
	m.clearProblems()
	for _, p := range problems {
		m.addProblem(p)
	}
}

// HasProblems reports whether the form shows any problem or error.
func (m *Model) HasProblems() bool {
	if m.err != nil || len(m.general) > 0 {
		return true
	}
	for _, f := range m.fields {
		if len(f.problems) > 0 {
			return true
		}
	}
	return false
}

func (m *Model) clearProblems() {
	m.err, m.general = nil, nil
	for _, f := range m.fields {
		f.problems = nil
	}
}

// SetError shows a failed submission (nil clears every problem): the
// problems of a domain error under the fields they name, when it names
// any; otherwise the whole error below the fields.
func (m *Model) SetError(err error) {
	m.clearProblems()
	if err == nil {
		return
	}
	if e := domain.AsError(err); e != nil {
		for _, p := range e.Problems {
			if m.field(p.Field) != nil {
				m.SetProblems(e.Problems)
				return
			}
		}
	}
	m.err = err
}

// SetErrorKey shows a catalog message below the fields, in place of every
// problem shown.
func (m *Model) SetErrorKey(key string, args ...any) {
	m.clearProblems()
	m.general = []message{{key, args}}
}

// Update handles a key press.
func (m *Model) Update(msg tea.Msg) (Result, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return None, nil
	}
	k := m.keys
	if key.Matches(km, k.Cancel) {
		return Cancel, nil
	}
	if m.Busy {
		return None, nil
	}
	n := len(m.fields)
	switch {
	case key.Matches(km, k.Save):
		return Submit, nil
	case key.Matches(km, k.Next):
		return None, m.setFocus((m.focus + 1) % n)
	case key.Matches(km, k.Prev):
		return None, m.setFocus((m.focus + n - 1) % n)
	}
	f := m.fields[m.focus]
	if f.Kind == Area {
		// Enter is a new line here; ctrl+s sends.
		return None, common.UpdateEditor(f.area, f.Limit, km)
	}
	if key.Matches(km, k.Submit) {
		if m.focus == n-1 {
			return Submit, nil
		}
		return None, m.setFocus(m.focus + 1)
	}
	switch f.Kind {
	case Choice:
		if f.List {
			return None, m.updateList(f, km)
		}
		m.updateChoice(f, km)
	case Checklist, Roles:
		return None, m.updateChecklist(f, km)
	case Checkbox:
		if key.Matches(km, k.Toggle) {
			f.on = !f.on
		}
	}
	switch {
	case key.Matches(km, k.Up):
		return None, m.setFocus(m.focus - 1)
	case key.Matches(km, k.Down):
		return None, m.setFocus(m.focus + 1)
	}
	if f.hasInput() {
		return None, common.UpdateInput(&f.input, km)
	}
	return None, nil
}

// updateChoice changes a one-line choice: ←/→ (and space) go round the
// options.
func (m *Model) updateChoice(f *field, km tea.KeyMsg) {
	n := len(f.Options)
	if n == 0 {
		return
	}
	switch {
	case key.Matches(km, m.keys.Left):
		if f.choice < 0 {
			f.choice = n
		}
		f.choice = (f.choice + n - 1) % n
	case key.Matches(km, m.keys.Right), key.Matches(km, m.keys.Space):
		f.choice = (f.choice + 1) % n
	}
}

// updateList changes a choice shown one option a line: ↑/↓ choose,
// stopping at either end.
func (m *Model) updateList(f *field, km tea.KeyMsg) tea.Cmd {
	k, n := m.keys, len(f.Options)
	switch {
	case key.Matches(km, k.Up), key.Matches(km, k.Left):
		f.choice = min(max(f.choice-1, 0), n-1)
	case key.Matches(km, k.Down), key.Matches(km, k.Right), key.Matches(km, k.Space):
		f.choice = min(f.choice+1, n-1)
	}
	return nil
}

// updateChecklist moves the cursor (←/→, or ↑/↓, which leave the field
// at its ends) and ticks the option under it (space, x).
func (m *Model) updateChecklist(f *field, km tea.KeyMsg) tea.Cmd {
	k, n := m.keys, len(f.Options)
	switch {
	case key.Matches(km, k.Toggle):
		if n > 0 {
			code := f.Options[f.cursor]
			f.ticked[code] = !f.ticked[code]
		}
	case key.Matches(km, k.Left):
		f.cursor = max(f.cursor-1, 0)
	case key.Matches(km, k.Right):
		f.cursor = min(f.cursor+1, max(n-1, 0))
	case key.Matches(km, k.Up):
		if f.cursor == 0 {
			return m.setFocus(m.focus - 1)
		}
		f.cursor--
	case key.Matches(km, k.Down):
		if f.cursor >= n-1 {
			return m.setFocus(m.focus + 1)
		}
		f.cursor++
	}
	return nil
}
