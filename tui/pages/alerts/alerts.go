// Package alerts is the security officers' list of open misuse alerts
// (issue 9, ¶18.4, ¶20): an operator who revealed too many full personal
// codes, or opened too many persons' records, in an hour. The officer
// sees the operator, the count, the threshold and the window, and closes
// an alert with a note (x).
package alerts

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/theme"
)

// Topic is the change-feed topic of alerts.
const Topic = domain.TopicAlert

const maxNote = 1000

// fNote is the note's field.
const fNote = "note"

// LoadedMsg carries the open alerts.
type LoadedMsg struct {
	Rows []*domain.Alert
	Err  error
}

// ClosedMsg carries the result of closing an alert.
type ClosedMsg struct {
	ID  int64
	Err error
}

type keyMap struct {
	Up, Down, Close, Refresh key.Binding
}

// Model is the alerts page.
type Model struct {
	c       *common.Common
	keys    keyMap
	started bool
	rows    []*domain.Alert
	loaded  bool
	cur     int

	closing *domain.Alert // the alert whose note is being typed
	note    *form.Model
}

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	m.relabel()
	return m
}

func (m *Model) relabel() {
	c := m.c
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	m.keys = keyMap{
		Up:      b([]string{"up", "k"}, "↑/k", "tui.key.up"),
		Down:    b([]string{"down", "j"}, "↓/j", "tui.key.down"),
		Close:   b([]string{"x"}, "x", "tui.al.key.close"),
		Refresh: b([]string{"r"}, "r", "tui.key.refresh"),
	}
	if m.note != nil {
		m.note.Relabel()
		m.note.SetIntro("tui.al.detail", m.detailArgs(m.closing)...)
	}
}

// openNote asks for the note that closes alert a.
func (m *Model) openNote(a *domain.Alert) {
	m.closing = a
	m.note = form.New(m.c, "tui.al.close_title", []any{a.ID},
		form.Field{ID: fNote, Label: "tui.al.note", Hint: "tui.al.hint.note", Limit: maxNote, Required: "tui.al.note_required"}).
		WithSave("tui.al.key.save")
	m.note.SetIntro("tui.al.detail", m.detailArgs(a)...)
}

func (m *Model) security() bool {
	return m.c.Operator != nil && m.c.Operator.HasRole(domain.RoleSecurity)
}

func (m *Model) live() bool { return m.started && m.c.Services.Defence != nil && m.security() }

// Init reads the open alerts.
func (m *Model) Init() tea.Cmd {
	m.started = true
	if !m.live() {
		return nil
	}
	return m.loadCmd()
}

func (m *Model) loadCmd() tea.Cmd {
	def, ctx := m.c.Services.Defence, m.c.Ctx
	return func() tea.Msg {
		rows, err := def.OpenAlerts(ctx)
		return LoadedMsg{Rows: rows, Err: err}
	}
}

// SetSize is a no-op: the view uses Common's size.
func (m *Model) SetSize(int, int) {}

// Typing reports whether the note has the keyboard.
func (m *Model) Typing() bool { return m.closing != nil }

func errorCmd(err error) tea.Cmd { return func() tea.Msg { return common.ErrorMsg{Err: err} } }

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case LoadedMsg:
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		m.rows, m.loaded = msg.Rows, true
		m.cur = min(m.cur, max(len(m.rows)-1, 0))
		return nil
	case ClosedMsg:
		if msg.Err != nil {
			if m.note != nil {
				m.note.Busy = false
				m.note.SetError(msg.Err)
			}
			return errorCmd(msg.Err)
		}
		m.closing, m.note = nil, nil
		return tea.Batch(common.StatusCmd("tui.al.closed", msg.ID), m.loadCmd())
	case common.ChangeMsg:
		if m.live() && msg.Topic == Topic {
			return m.loadCmd()
		}
	case common.ReloadMsg:
		if m.live() {
			return m.loadCmd()
		}
	case common.LanguageMsg:
		m.relabel()
	case tea.KeyMsg:
		if !m.live() {
			return nil
		}
		return m.updateKey(msg)
	}
	return nil
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.closing != nil {
		res, cmd := m.note.Update(msg)
		switch res {
		case form.Cancel:
			m.closing, m.note = nil, nil
			return nil
		case form.Submit:
			if !m.note.Check() {
				return nil
			}
			note := m.note.Value(fNote)
			m.note.Busy = true
			def, ctx, id := m.c.Services.Defence, m.c.Ctx, m.closing.ID
			return func() tea.Msg { return ClosedMsg{ID: id, Err: def.CloseAlert(ctx, id, note)} }
		}
		return cmd
	}
	switch {
	case key.Matches(msg, k.Up):
		m.cur = max(m.cur-1, 0)
	case key.Matches(msg, k.Down):
		m.cur = min(m.cur+1, max(len(m.rows)-1, 0))
	case key.Matches(msg, k.Refresh):
		return m.loadCmd()
	case key.Matches(msg, k.Close):
		if m.cur < len(m.rows) {
			m.openNote(m.rows[m.cur])
		}
	}
	return nil
}

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.closing != nil {
		return m.note.ShortHelp()
	}
	if len(m.rows) == 0 {
		return []key.Binding{k.Refresh}
	}
	return []key.Binding{k.Up, k.Down, k.Close, k.Refresh}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	if m.closing != nil {
		return m.note.FullHelp()
	}
	return [][]key.Binding{m.ShortHelp()}
}

// View renders the list, or the note of the alert being closed.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if !m.security() {
		return common.FitBlock(st.Error.Render(c.T("tui.al.security_only")), w, h)
	}
	if m.closing != nil {
		return m.note.View(w, h)
	}
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T("tui.al.title")))
	b.WriteString("\n")
	switch {
	case !m.loaded:
		b.WriteString(st.Muted.Render(c.T("tui.loading")))
	case len(m.rows) == 0:
		b.WriteString(st.Muted.Render(common.WrapAtSpaces(c.T("tui.al.none"), w)))
	default:
		opW, kindW, cntW := 20, 23, 17
		winW := max(w-opW-kindW-cntW-5, 8)
		row := func(mark, a, b2, c2, d string) string {
			return common.FitWidth(mark+" "+pad(a, opW)+" "+pad(b2, kindW)+" "+pad(c2, cntW)+" "+pad(d, winW), w)
		}
		b.WriteString(st.Label.Render(row(" ", c.T("tui.al.col.operator"), c.T("tui.al.col.kind"), c.T("tui.al.col.count"), c.T("tui.al.col.window"))))
		for i, a := range m.rows {
			mark := " "
			if i == m.cur {
				mark = theme.Marker
			}
			b.WriteString("\n")
			b.WriteString(row(mark, common.Show(a.OperatorName), m.kind(a.Kind), c.T("tui.al.count", a.Count, a.Threshold), window(a)))
		}
		if m.cur < len(m.rows) {
			b.WriteString("\n\n")
			b.WriteString(st.Muted.Render(common.WrapAtSpaces(m.detail(m.rows[m.cur]), w)))
		}
	}
	return common.FitBlock(b.String(), w, h)
}

// detail says all about an alert on one line.
func (m *Model) detail(a *domain.Alert) string { return m.c.T("tui.al.detail", m.detailArgs(a)...) }

// detailArgs are the arguments of an alert's detail ("tui.al.detail").
func (m *Model) detailArgs(a *domain.Alert) []any {
	return []any{a.OperatorName, m.kind(a.Kind), a.Count, a.Threshold,
		a.WindowStart.Local().Format("2006-01-02 15:04"), a.WindowEnd.Local().Format("15:04")}
}

func (m *Model) kind(k domain.AlertKind) string {
	switch k {
	case domain.AlertReveals, domain.AlertViews:
		return m.c.T("tui.al.kind." + string(k))
	}
	return common.Show(string(k))
}

func window(a *domain.Alert) string {
	return a.WindowStart.Local().Format("15:04") + "–" + a.WindowEnd.Local().Format("15:04")
}

func pad(s string, w int) string {
	s = common.FitWidth(s, w)
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}
