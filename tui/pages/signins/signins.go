// Package signins shows an operator their own sign-in history — time,
// address, method and whether it succeeded (issue 9, ¶31.3) — and lets an
// administrator type another operator's user name to see theirs.
package signins

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// Limit is the number of sign-ins read at once.
const Limit = 200

const maxName = 100

// LoadedMsg carries the sign-ins of one operator.
type LoadedMsg struct {
	gen  int
	Name string
	Rows []*domain.SignIn
	Err  error
}

type keyMap struct {
	Up, Down, Other, Own, Show, Cancel key.Binding
}

// Model is the sign-in history page.
type Model struct {
	c       *common.Common
	keys    keyMap
	started bool
	gen     int

	name   string // whose history is shown
	rows   []*domain.SignIn
	loaded bool
	top    int
	input  textinput.Model
	typing bool
}

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	ti := textinput.New()
	c.Styles.StyleInput(&ti)
	ti.Prompt = ""
	ti.CharLimit = maxName
	ti.Cursor.SetMode(cursor.CursorStatic)
	m.input = ti
	m.relabel()
	return m
}

func (m *Model) relabel() {
	c := m.c
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	m.keys = keyMap{
		Up:     b([]string{"up", "k"}, "↑/k", "tui.key.up"),
		Down:   b([]string{"down", "j"}, "↓/j", "tui.key.down"),
		Other:  b([]string{"/"}, "/", "tui.si.key.other"),
		Own:    b([]string{"o"}, "o", "tui.si.key.own"),
		Show:   b([]string{"enter"}, "enter", "tui.si.key.show"),
		Cancel: b([]string{"esc"}, "esc", "tui.si.key.cancel"),
	}
	m.input.Placeholder = c.T("tui.si.hint.name")
}

func (m *Model) live() bool { return m.started && m.c.Services.Defence != nil }

func (m *Model) admin() bool { return m.c.Operator != nil && m.c.Operator.HasRole(domain.RoleAdmin) }

// Init reads the operator's own history.
func (m *Model) Init() tea.Cmd {
	m.started = true
	if m.c.Services.Defence == nil || m.c.Operator == nil {
		return nil
	}
	return m.loadOwn()
}

func (m *Model) loadOwn() tea.Cmd {
	op := m.c.Operator
	return m.load(op.Name, func() (int64, error) { return op.ID, nil })
}

// load reads the history of the operator whose id resolve returns.
func (m *Model) load(name string, resolve func() (int64, error)) tea.Cmd {
	m.gen++
	gen, def, ctx, now := m.gen, m.c.Services.Defence, m.c.Ctx, m.c.Clock()
	return func() tea.Msg {
		msg := LoadedMsg{gen: gen, Name: name}
		id, err := resolve()
		if err != nil {
			msg.Err = err
			return msg
		}
		msg.Rows, msg.Err = def.SignIns(ctx, id, now.Add(time.Minute), Limit)
		return msg
	}
}

// SetSize is a no-op: the view uses Common's size.
func (m *Model) SetSize(int, int) {}

// Typing reports whether the name field has the keyboard.
func (m *Model) Typing() bool { return m.typing }

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case LoadedMsg:
		if msg.gen != m.gen {
			return nil
		}
		if msg.Err != nil {
			return func() tea.Msg { return common.ErrorMsg{Err: msg.Err} }
		}
		m.name, m.rows, m.loaded, m.top = msg.Name, msg.Rows, true, 0
		return nil
	case common.LanguageMsg:
		m.relabel()
	case common.ReloadMsg:
		if m.live() && m.loaded {
			return m.reload()
		}
	case tea.KeyMsg:
		if !m.live() {
			return nil
		}
		return m.updateKey(msg)
	}
	return nil
}

func (m *Model) reload() tea.Cmd {
	if m.c.Operator != nil && m.name != m.c.Operator.Name {
		return m.loadOther(m.name)
	}
	return m.loadOwn()
}

func (m *Model) loadOther(name string) tea.Cmd {
	ops, ctx := m.c.Services.Operators, m.c.Ctx
	return m.load(name, func() (int64, error) {
		op, err := ops.FindOperatorByName(ctx, name)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return 0, domain.Errorf(domain.ENOTFOUND, "tui.si.no_operator", "no operator %q", name)
			}
			return 0, err
		}
		return op.ID, nil
	})
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.typing {
		switch {
		case key.Matches(msg, k.Show):
			name := strings.TrimSpace(m.input.Value())
			m.typing = false
			m.input.Blur()
			if name == "" {
				return nil
			}
			return m.loadOther(name)
		case key.Matches(msg, k.Cancel):
			m.typing = false
			m.input.Blur()
			return nil
		}
		return common.UpdateInput(&m.input, msg)
	}
	switch {
	case key.Matches(msg, k.Up):
		m.top = max(m.top-1, 0)
	case key.Matches(msg, k.Down):
		m.top = min(m.top+1, max(len(m.rows)-1, 0))
	case key.Matches(msg, k.Other) && m.admin():
		m.typing = true
		m.input.SetValue("")
		return m.input.Focus()
	case key.Matches(msg, k.Own) && m.admin():
		return m.loadOwn()
	}
	return nil
}

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.typing {
		return []key.Binding{k.Show, k.Cancel}
	}
	if m.admin() {
		return []key.Binding{k.Up, k.Down, k.Other, k.Own}
	}
	return []key.Binding{k.Up, k.Down}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// View renders the history as a table.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if c.Services.Defence == nil {
		return common.FitBlock(st.Muted.Render(c.T("tui.si.no_service")), w, h)
	}
	var b strings.Builder
	name := m.name
	if name == "" && c.Operator != nil {
		name = c.Operator.Name
	}
	b.WriteString(common.FitWidth(st.Title.Render(c.T("tui.si.title", name)), w))
	b.WriteString("\n")
	if m.admin() {
		mark := " "
		if m.typing {
			mark = theme.Marker
		}
		b.WriteString(common.FitWidth(mark+st.Label.Render(c.T("tui.si.operator")+":")+" "+m.input.View(), w))
		b.WriteString("\n")
	}
	switch {
	case !m.loaded:
		b.WriteString(st.Muted.Render(c.T("tui.loading")))
	case len(m.rows) == 0:
		b.WriteString(st.Muted.Render(common.WrapAtSpaces(c.T("tui.si.none"), w)))
	default:
		timeW, methW, resW := 16, 11, 10
		addrW := max(w-timeW-methW-resW-3, 8)
		row := func(a, b2, c2, d string) string {
			return common.FitWidth(pad(a, timeW)+" "+pad(b2, addrW)+" "+pad(c2, methW)+" "+d, w)
		}
		b.WriteString(st.Label.Render(row(c.T("tui.si.col.time"), c.T("tui.si.col.addr"), c.T("tui.si.col.method"), c.T("tui.si.col.result"))))
		for _, r := range m.rows[min(m.top, len(m.rows)):] {
			res := c.T("tui.si.ok")
			if !r.Success {
				res = st.Error.Render(c.T("tui.si.failed"))
			}
			b.WriteString("\n")
			b.WriteString(row(r.At.Local().Format("2006-01-02 15:04"), common.Show(r.RemoteAddr), m.method(r.Method), res))
		}
	}
	return common.FitBlock(b.String(), w, h)
}

func (m *Model) method(s string) string {
	switch domain.SignInMethod(s) {
	case domain.SignInPublicKey, domain.SignInPassword:
		return m.c.T("tui.si.method." + s)
	}
	return common.Show(s)
}

func pad(s string, w int) string {
	s = common.FitWidth(s, w)
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}
