package announcements

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// The draft's form: the kind, title, body, audience, start, end, affected
// services and whether to e-mail the audience. A problem the screen or
// the service finds shows under the field it concerns (domain.Problem's
// Field); the others below the form. Field ids are the domain's field
// names.

type fieldKind int

const (
	choiceField fieldKind = iota // news or downtime
	lineField
	areaField
	rolesField
	toggleField
)

const fEmail = "email"

type field struct {
	id    string
	label string // catalog key
	hint  string // catalog key
	kind  fieldKind
	limit int

	input  textinput.Model
	area   textarea.Model
	roles  map[string]bool
	rc     int  // the role under the cursor
	on     bool // toggleField
	choice int  // choiceField: index into kinds
}

var kinds = []domain.AnnouncementKind{domain.AnnouncementNews, domain.AnnouncementDowntime}

type sheetResult int

const (
	sheetNone sheetResult = iota
	sheetSave
	sheetCancel
)

type sheet struct {
	c        *common.Common
	id       int64 // 0 for a new draft
	version  int64
	fields   []*field
	focus    int
	problems map[string][]domain.Problem // by field id
	general  []domain.Problem            // problems of no field shown
	err      error                       // an error without problems
	busy     bool
	keys     sheetKeys
}

func newSheet(c *common.Common) *sheet {
	s := &sheet{c: c, problems: map[string][]domain.Problem{}}
	line := func(id, label, hint string, limit int) *field {
		f := &field{id: id, label: label, hint: hint, kind: lineField, limit: limit}
		ti := textinput.New()
		c.Styles.StyleInput(&ti)
		ti.Prompt = ""
		ti.CharLimit = limit
		// A blinking cursor would redraw the screen twice a second.
		ti.Cursor.SetMode(cursor.CursorStatic)
		// ctrl+v would paste the server's clipboard, not the operator's.
		ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
		f.input = ti
		return f
	}
	body := &field{id: domain.FieldBody, label: "tui.ann.field.body", hint: "tui.ann.hint.body", kind: areaField, limit: domain.AnnouncementBodyMaxLength}
	ta := textarea.New()
	c.Styles.StyleTextArea(&ta)
	ta.ShowLineNumbers = false
	ta.Prompt = "│ "
	ta.CharLimit = body.limit
	ta.MaxHeight = 0
	ta.Cursor.SetMode(cursor.CursorStatic)
	ta.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	body.area = ta
	s.fields = []*field{
		{id: domain.FieldKind, label: "tui.ann.field.kind", kind: choiceField},
		line(domain.FieldTitle, "tui.ann.field.title", "", domain.AnnouncementTitleMaxLength),
		body,
		{id: domain.FieldAudience, label: "tui.ann.field.audience", kind: rolesField, roles: map[string]bool{}},
		line(domain.FieldStartsAt, "tui.ann.field.starts", "tui.ann.hint.time", len(timeLayout)),
		line(domain.FieldEndsAt, "tui.ann.field.ends", "tui.ann.hint.time", len(timeLayout)),
		line(domain.FieldServices, "tui.ann.field.services", "tui.ann.hint.services", domain.AnnouncementServicesMaxLength),
		{id: fEmail, label: "tui.ann.field.email", kind: toggleField},
	}
	s.relabel()
	return s
}

func (s *sheet) field(id string) *field {
	for _, f := range s.fields {
		if f.id == id {
			return f
		}
	}
	return nil
}

// fill puts an announcement into the fields.
func (s *sheet) fill(a *domain.Announcement) {
	s.id, s.version = a.ID, a.Version
	if a.Kind == domain.AnnouncementDowntime {
		s.field(domain.FieldKind).choice = 1
	}
	s.field(domain.FieldTitle).input.SetValue(common.PlainLine(a.Title))
	s.field(domain.FieldBody).area.SetValue(common.PlainText(a.Body))
	for _, r := range a.Audience {
		s.field(domain.FieldAudience).roles[r] = true
	}
	if !a.StartsAt.IsZero() {
		s.field(domain.FieldStartsAt).input.SetValue(a.StartsAt.Local().Format(timeLayout))
	}
	if !a.EndsAt.IsZero() {
		s.field(domain.FieldEndsAt).input.SetValue(a.EndsAt.Local().Format(timeLayout))
	}
	s.field(domain.FieldServices).input.SetValue(common.PlainLine(a.Services))
	s.field(fEmail).on = a.EmailAudience
}

// announcement reads the fields. A time that cannot be read is a problem
// of its field, and no announcement is returned.
func (s *sheet) announcement() (*domain.Announcement, []domain.Problem) {
	a := &domain.Announcement{
		ID:            s.id,
		Version:       s.version,
		Kind:          kinds[s.field(domain.FieldKind).choice],
		Title:         common.PlainLine(s.field(domain.FieldTitle).input.Value()),
		Body:          strings.TrimSpace(common.PlainText(s.field(domain.FieldBody).area.Value())),
		Services:      common.PlainLine(s.field(domain.FieldServices).input.Value()),
		EmailAudience: s.field(fEmail).on,
	}
	for _, r := range domain.AnnouncementAudiences {
		if s.field(domain.FieldAudience).roles[string(r)] {
			a.Audience = append(a.Audience, string(r))
		}
	}
	var problems []domain.Problem
	parse := func(id string) time.Time {
		v := strings.TrimSpace(s.field(id).input.Value())
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(timeLayout, v, time.Local)
		if err != nil {
			problems = append(problems, domain.Problem{Field: id, Key: "tui.ann.time_format"})
		}
		return t
	}
	a.StartsAt, a.EndsAt = parse(domain.FieldStartsAt), parse(domain.FieldEndsAt)
	if len(problems) > 0 {
		return nil, problems
	}
	return a, nil
}

// setProblems shows problems under their fields.
func (s *sheet) setProblems(problems []domain.Problem) {
	s.problems, s.general, s.err = map[string][]domain.Problem{}, nil, nil
	for _, p := range problems {
		if s.field(p.Field) != nil {
			s.problems[p.Field] = append(s.problems[p.Field], p)
		} else {
			s.general = append(s.general, p)
		}
	}
}

// setError shows a failed save: the problems of a domain error under
// their fields, anything else below the form.
func (s *sheet) setError(err error) {
	s.setProblems(nil)
	if e := domain.AsError(err); e != nil && len(e.Problems) > 0 {
		s.setProblems(e.Problems)
		return
	}
	s.err = err
}

func (s *sheet) relabel() { s.keys = newSheetKeys(s.c) }

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

func (s *sheet) update(msg tea.KeyMsg) (sheetResult, tea.Cmd) {
	k := s.keys
	if key.Matches(msg, k.Cancel) {
		if s.busy {
			return sheetNone, nil
		}
		return sheetCancel, nil
	}
	if s.busy {
		return sheetNone, nil
	}
	f := s.fields[s.focus]
	switch {
	case key.Matches(msg, k.Save):
		return sheetSave, nil
	case key.Matches(msg, k.Next):
		return sheetNone, s.setFocus((s.focus + 1) % len(s.fields))
	case key.Matches(msg, k.Prev):
		return sheetNone, s.setFocus((s.focus + len(s.fields) - 1) % len(s.fields))
	}
	if f.kind != areaField {
		switch {
		case key.Matches(msg, k.Down), key.Matches(msg, k.Enter):
			return sheetNone, s.setFocus(s.focus + 1)
		case key.Matches(msg, k.Up):
			return sheetNone, s.setFocus(s.focus - 1)
		}
	}
	switch f.kind {
	case choiceField:
		if key.Matches(msg, k.Left) || key.Matches(msg, k.Right) || key.Matches(msg, k.Toggle) {
			f.choice = 1 - f.choice
		}
	case rolesField:
		switch {
		case key.Matches(msg, k.Left):
			f.rc = max(f.rc-1, 0)
		case key.Matches(msg, k.Right):
			f.rc = min(f.rc+1, len(domain.AnnouncementAudiences)-1)
		case key.Matches(msg, k.Toggle):
			r := string(domain.AnnouncementAudiences[f.rc])
			f.roles[r] = !f.roles[r]
		}
	case toggleField:
		if key.Matches(msg, k.Toggle) {
			f.on = !f.on
		}
	case lineField:
		return sheetNone, common.UpdateInput(&f.input, msg)
	case areaField:
		return sheetNone, common.UpdateArea(&f.area, msg)
	}
	return sheetNone, nil
}

func (s *sheet) view(width, height int) string {
	c, st := s.c, s.c.Styles
	title := c.T("tui.ann.new_title")
	if s.id != 0 {
		title = c.T("tui.ann.edit_title", s.id)
	}
	labelW := 0
	for _, f := range s.fields {
		labelW = max(labelW, ansi.StringWidth(c.T(f.label)+":"))
	}
	labelW = min(labelW, width/2)
	valueW := max(width-labelW-3, 8) // after the marker, the label and a space

	// Everything but the body, to learn how many rows the body gets.
	type part struct {
		field int // the index of the field the lines belong to
		lines []string
		body  bool
	}
	var parts []part
	used := 2
	problemLines := func(f *field) []string {
		var out []string
		for _, p := range s.problems[f.id] {
			for _, l := range strings.Split(common.WrapAtSpaces(c.T(p.Key, p.Args...), max(width-labelW-5, 10)), "\n") {
				out = append(out, strings.Repeat(" ", labelW+3)+st.Error.Render("! "+l))
			}
		}
		return out
	}
	for i, f := range s.fields {
		focused := i == s.focus
		mark := "  "
		if focused {
			mark = theme.Marker + " "
		}
		label := c.T(f.label) + ":"
		label += strings.Repeat(" ", max(labelW-ansi.StringWidth(label), 0)+1)
		if focused {
			label = st.Label.Render(label)
		}
		pad := strings.Repeat(" ", labelW+3)
		var lines []string
		switch f.kind {
		case choiceField:
			var opts []string
			for j, kd := range kinds {
				box := "( ) "
				if j == f.choice {
					box = "(•) "
				}
				opt := box + c.T("announcement.kind."+string(kd))
				if focused && j == f.choice {
					opt = st.Selected.Render(opt)
				}
				opts = append(opts, opt)
			}
			lines = []string{mark + label + strings.Join(opts, "  ")}
		case lineField:
			f.input.Width = max(valueW-1, 4)
			if f.hint != "" {
				f.input.Placeholder = c.T(f.hint)
			}
			lines = []string{mark + label + f.input.View()}
		case toggleField:
			box := "[ ] "
			if f.on {
				box = "[x] "
			}
			opt := box + c.T("tui.ann.email_option")
			if focused {
				opt = st.Selected.Render(opt)
			}
			lines = []string{mark + label + opt}
		case rolesField:
			var row []string
			rowW := 0
			for j, r := range domain.AnnouncementAudiences {
				box := "[ ]"
				if f.roles[string(r)] {
					box = "[x]"
				}
				item := box + " " + c.T("tui.prole."+string(r))
				iw := ansi.StringWidth(item) + 2
				if rowW > 0 && rowW+iw > valueW {
					lines = append(lines, strings.Join(row, ""))
					row, rowW = nil, 0
				}
				lead := "  "
				if focused && j == f.rc {
					lead = theme.Marker + " "
					item = st.Selected.Render(item)
				}
				row = append(row, lead+item)
				rowW += iw
			}
			lines = append(lines, strings.Join(row, ""))
			for j := range lines {
				if j == 0 {
					lines[j] = mark + label + lines[j]
				} else {
					lines[j] = pad + lines[j]
				}
			}
			none := true
			for _, on := range f.roles {
				none = none && !on
			}
			if none {
				lines = append(lines, pad+st.Muted.Render(c.T("tui.ann.audience.empty_means_everyone")))
			}
		case areaField:
			count := st.Muted.Render(c.T("tui.ann.chars", f.area.Length(), f.limit))
			lines = []string{common.SpreadLine(mark+label, count, width)}
			parts = append(parts, part{field: i, lines: lines})
			used += len(lines)
			parts = append(parts, part{field: i, body: true})
			lines = nil
		}
		lines = append(lines, problemLines(f)...)
		if len(lines) > 0 {
			parts = append(parts, part{field: i, lines: lines})
			used += len(lines)
		}
	}
	var tail []string
	if s.busy {
		tail = append(tail, st.Muted.Render(c.T("tui.form.saving")))
	}
	var general []string
	if s.err != nil {
		general = strings.Split(c.Err(s.err), "\n")
	}
	for _, p := range s.general {
		general = append(general, c.T(p.Key, p.Args...))
	}
	for _, g := range general {
		for _, l := range strings.Split(common.WrapAtSpaces(g, width), "\n") {
			tail = append(tail, st.Error.Render(l))
		}
	}
	used += len(tail)
	bodyRows := min(max(height-used, 2), 8)

	var body []string
	focusFrom, focusTo := -1, -1
	for _, p := range parts {
		lines := p.lines
		if p.body {
			f := s.field(domain.FieldBody)
			f.area.SetWidth(max(width-labelW-5, 10))
			f.area.SetHeight(bodyRows)
			f.area.Placeholder = c.T(f.hint)
			lines = nil
			for _, l := range strings.Split(f.area.View(), "\n") {
				lines = append(lines, strings.Repeat(" ", labelW+3)+l)
			}
		}
		if p.field == s.focus {
			if focusFrom < 0 {
				focusFrom = len(body)
			}
			focusTo = len(body) + len(lines) - 1
		}
		body = append(body, lines...)
	}
	// When the problems take the room of the last fields, the fields
	// scroll so that the focused one, with its problems, stays in view.
	avail := max(height-2-len(tail), 1)
	if len(body) > avail && focusTo >= avail {
		off := min(focusTo-avail+1, focusFrom)
		body = body[off:]
	}
	if len(body) > avail {
		body = body[:avail]
	}
	out := append([]string{st.Title.Render(title), ""}, body...)
	return common.FitBlock(strings.Join(append(out, tail...), "\n"), width, height)
}

func (s *sheet) shortHelp() []key.Binding {
	k := s.keys
	switch s.fields[s.focus].kind {
	case rolesField:
		return []key.Binding{k.Toggle, k.Move, k.Next, k.Save, k.Cancel}
	case choiceField, toggleField:
		return []key.Binding{k.Toggle, k.Next, k.Save, k.Cancel}
	}
	return []key.Binding{k.Next, k.Save, k.Cancel}
}

func (s *sheet) fullHelp() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{{k.Next, k.Prev, k.Toggle, k.Move}, {k.Save, k.Cancel}}
}

type sheetKeys struct {
	Next, Prev, Up, Down, Left, Right, Move, Toggle, Enter, Save, Cancel key.Binding
}

func newSheetKeys(c *common.Common) sheetKeys {
	return sheetKeys{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("tui.form.next"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", c.T("tui.form.prev"))),
		Up:     key.NewBinding(key.WithKeys("up")),
		Down:   key.NewBinding(key.WithKeys("down")),
		Left:   key.NewBinding(key.WithKeys("left")),
		Right:  key.NewBinding(key.WithKeys("right")),
		Move:   key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", c.T("tui.ann.key.move"))),
		Toggle: key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", c.T("tui.form.toggle"))),
		Enter:  key.NewBinding(key.WithKeys("enter")),
		Save:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("tui.ann.key.save"))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.form.cancel"))),
	}
}
