package denials

import (
	"strconv"
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

// The form of a new denial: the subject's kind and number, the ground
// (the eight of ¶32 by their clause), a required note and optional
// evidence. A problem the screen or the service finds shows under the
// field it concerns; the others below the form.

// Field ids, also the domain.Problem fields the service may name.
const (
	fKind     = "kind"
	fSubject  = "subject"
	fGround   = "ground"
	fNote     = "note"
	fEvidence = "evidence"
)

var sheetFields = []struct{ id, label, hint string }{
	{fKind, "tui.den.field.kind", ""},
	{fSubject, "tui.den.field.subject", "tui.den.hint.subject"},
	{fGround, "tui.den.field.ground", ""},
	{fNote, "tui.den.field.note", ""},
	{fEvidence, "tui.den.field.evidence", "tui.den.hint.evidence"},
}

// noteLimit bounds the note and the evidence.
const noteLimit = domain.MessageMaxLength

type denySheet struct {
	c        *common.Common
	focus    int
	kind     int // index into subjectKinds
	ground   int // index into domain.Grounds
	inputs   map[string]*textinput.Model
	problems map[string][]domain.Problem
	general  []domain.Problem
	err      error
	busy     bool
	keys     sheetKeys
}

func newSheet(c *common.Common) *denySheet {
	s := &denySheet{c: c, inputs: map[string]*textinput.Model{}, problems: map[string][]domain.Problem{}}
	for _, id := range []string{fSubject, fNote, fEvidence} {
		ti := textinput.New()
		c.Styles.StyleInput(&ti)
		ti.Prompt = ""
		ti.CharLimit = noteLimit
		if id == fSubject {
			ti.CharLimit = 19
		}
		// A blinking cursor would redraw the screen twice a second.
		ti.Cursor.SetMode(cursor.CursorStatic)
		// ctrl+v would paste the server's clipboard, not the operator's.
		ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
		s.inputs[id] = &ti
	}
	s.relabel()
	return s
}

func (s *denySheet) relabel() { s.keys = newSheetKeys(s.c) }

func (s *denySheet) setFocus(i int) tea.Cmd {
	if i < 0 || i >= len(sheetFields) {
		return nil
	}
	var cmd tea.Cmd
	for j, f := range sheetFields {
		if in := s.inputs[f.id]; in != nil {
			if j == i {
				cmd = in.Focus()
			} else {
				in.Blur()
			}
		}
	}
	s.focus = i
	return cmd
}

// denial reads the fields; what cannot be sent is a problem of its field.
func (s *denySheet) denial() (kind domain.SubjectKind, subject int64, ground domain.Ground, note, evidence string, problems []domain.Problem) {
	kind, ground = subjectKinds[s.kind], domain.Grounds[s.ground]
	subject, err := strconv.ParseInt(strings.TrimSpace(s.inputs[fSubject].Value()), 10, 64)
	if err != nil || subject <= 0 {
		problems = append(problems, domain.Problem{Field: fSubject, Key: "tui.den.subject_number"})
	}
	note = strings.TrimSpace(s.inputs[fNote].Value())
	if note == "" {
		problems = append(problems, domain.Problem{Field: fNote, Key: "tui.den.note_required"})
	}
	evidence = strings.TrimSpace(s.inputs[fEvidence].Value())
	return
}

func (s *denySheet) setProblems(problems []domain.Problem) {
	s.problems, s.general, s.err = map[string][]domain.Problem{}, nil, nil
	for _, p := range problems {
		known := false
		for _, f := range sheetFields {
			known = known || f.id == p.Field
		}
		if known {
			s.problems[p.Field] = append(s.problems[p.Field], p)
		} else {
			s.general = append(s.general, p)
		}
	}
}

// setError shows a failed denial: the problems of a domain error under
// their fields, anything else below the form.
func (s *denySheet) setError(err error) {
	s.setProblems(nil)
	if e := domain.AsError(err); e != nil && len(e.Problems) > 0 {
		s.setProblems(e.Problems)
		return
	}
	s.err = err
}

type sheetResult int

const (
	sheetNone sheetResult = iota
	sheetSave
	sheetCancel
)

func (s *denySheet) update(msg tea.KeyMsg) (sheetResult, tea.Cmd) {
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
	id := sheetFields[s.focus].id
	switch {
	case key.Matches(msg, k.Save):
		return sheetSave, nil
	case key.Matches(msg, k.Enter):
		if s.focus == len(sheetFields)-1 {
			return sheetSave, nil
		}
		return sheetNone, s.setFocus(s.focus + 1)
	case key.Matches(msg, k.Next), key.Matches(msg, k.Down):
		return sheetNone, s.setFocus((s.focus + 1) % len(sheetFields))
	case key.Matches(msg, k.Prev), key.Matches(msg, k.Up):
		return sheetNone, s.setFocus((s.focus + len(sheetFields) - 1) % len(sheetFields))
	}
	step := 0
	switch {
	case key.Matches(msg, k.Left):
		step = -1
	case key.Matches(msg, k.Right), key.Matches(msg, k.Toggle):
		step = 1
	}
	switch id {
	case fKind:
		s.kind = (s.kind + step + len(subjectKinds)) % len(subjectKinds)
		return sheetNone, nil
	case fGround:
		s.ground = (s.ground + step + len(domain.Grounds)) % len(domain.Grounds)
		return sheetNone, nil
	}
	return sheetNone, common.UpdateInput(s.inputs[id], msg)
}

func (s *denySheet) view(width, height int) string {
	c, st := s.c, s.c.Styles
	labelW := 0
	for _, f := range sheetFields {
		labelW = max(labelW, ansi.StringWidth(c.T(f.label)+":"))
	}
	labelW = min(labelW, width/2)
	valueW := max(width-labelW-3, 8)
	pad := strings.Repeat(" ", labelW+3)

	lines := []string{st.Title.Render(c.T("tui.den.deny_title")), ""}
	for i, f := range sheetFields {
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
		var value string
		switch f.id {
		case fKind:
			value = "‹ " + c.T("tui.den.kind."+string(subjectKinds[s.kind])) + " ›"
		case fGround:
			value = "‹ " + c.T("tui.den.ground."+string(domain.Grounds[s.ground])) + " ›"
		default:
			in := s.inputs[f.id]
			in.Width = max(valueW-1, 4)
			if f.hint != "" {
				in.Placeholder = c.T(f.hint)
			}
			value = in.View()
		}
		if focused && (f.id == fKind || f.id == fGround) {
			value = st.Selected.Render(value)
		}
		lines = append(lines, mark+label+value)
		for _, p := range s.problems[f.id] {
			for _, l := range strings.Split(common.WrapAtSpaces(c.T(p.Key, p.Args...), max(width-labelW-5, 10)), "\n") {
				lines = append(lines, pad+st.Error.Render("! "+l))
			}
		}
	}
	lines = append(lines, "")
	notice := "tui.den.takes_effect"
	if subjectKinds[s.kind] == domain.SubjectOperator {
		notice = "tui.den.operator_waits"
	}
	for _, l := range strings.Split(common.WrapAtSpaces(c.T(notice), width), "\n") {
		lines = append(lines, st.Muted.Render(l))
	}
	if s.busy {
		lines = append(lines, st.Muted.Render(c.T("tui.form.saving")))
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
			lines = append(lines, st.Error.Render(l))
		}
	}
	return common.FitBlock(strings.Join(lines, "\n"), width, height)
}

func (s *denySheet) shortHelp() []key.Binding {
	k := s.keys
	switch sheetFields[s.focus].id {
	case fKind, fGround:
		return []key.Binding{k.Choose, k.Next, k.Save, k.Cancel}
	}
	return []key.Binding{k.Next, k.Save, k.Cancel}
}

func (s *denySheet) fullHelp() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{{k.Next, k.Prev, k.Choose}, {k.Save, k.Cancel}}
}

type sheetKeys struct {
	Next, Prev, Up, Down, Left, Right, Choose, Toggle, Enter, Save, Cancel key.Binding
}

func newSheetKeys(c *common.Common) sheetKeys {
	return sheetKeys{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("tui.form.next"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", c.T("tui.form.prev"))),
		Up:     key.NewBinding(key.WithKeys("up")),
		Down:   key.NewBinding(key.WithKeys("down")),
		Left:   key.NewBinding(key.WithKeys("left")),
		Right:  key.NewBinding(key.WithKeys("right")),
		Choose: key.NewBinding(key.WithKeys("left", "right", " "), key.WithHelp("←/→", c.T("tui.den.key.choose"))),
		Toggle: key.NewBinding(key.WithKeys(" ")),
		Enter:  key.NewBinding(key.WithKeys("enter")),
		Save:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("tui.den.key.save"))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.form.cancel"))),
	}
}

// openSheet opens the form of a new denial.
func (m *Model) openSheet() tea.Cmd {
	s := newSheet(m.c)
	m.sheet, m.mode = s, modeForm
	return tea.Batch(clearStatus, s.setFocus(0))
}

func (m *Model) updateSheet(msg tea.KeyMsg) tea.Cmd {
	s := m.sheet
	res, cmd := s.update(msg)
	switch res {
	case sheetCancel:
		m.sheet, m.mode = nil, modeList
		return nil
	case sheetSave:
		kind, subject, ground, note, evidence, problems := s.denial()
		if len(problems) > 0 {
			s.setProblems(problems)
			return nil
		}
		s.setProblems(nil)
		s.busy = true
		svc, ctx := m.c.Services.Denials, m.c.Ctx
		return func() tea.Msg {
			d, err := svc.Deny(ctx, kind, subject, ground, note, evidence)
			msg := DoneMsg{act: actDeny, Denial: d, Err: err}
			if d != nil {
				msg.ID = d.ID
			}
			return msg
		}
	}
	return cmd
}
