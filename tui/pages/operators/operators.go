// Package operators is the administrators' screen for back-office accounts:
// a list with each operator's roles, state and key count, and forms to add
// an operator, disable or enable one (with a reason), change roles, set a
// password, and list, add or remove SSH keys.
package operators

import (
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/selecttable"
)

type mode int

const (
	modeList    mode = iota
	modeForm         // one of the forms below is open
	modeKeys         // the key list of one operator
	modeConfirm      // removing a key, waiting for enter or esc
)

// Which form is open.
type formKind int

const (
	formAdd formKind = iota
	formReason
	formRoles
	formPassword
	formKey
)

// Row is an operator with the number of their keys (-1 when unknown).
type Row struct {
	Operator *domain.Operator
	Keys     int
}

// ListMsg carries the loaded operator list.
type ListMsg struct {
	Rows []Row
	Err  error
}

// KeysMsg carries the keys of one operator.
type KeysMsg struct {
	Name string
	Keys []*domain.OperatorKey
	Err  error
}

// SavedMsg carries the result of a change made through a form or a
// confirmation: Status is the catalog key of the success message.
type SavedMsg struct {
	Status string
	Args   []any
	Err    error
}

// refreshMsg fires once after a burst of operator changes.
type refreshMsg struct{}

// Model is the operators page.
type Model struct {
	c        *common.Common
	mode     mode
	rows     []Row
	loaded   bool
	table    *selecttable.Model
	form     *form.Model
	formKind formKind
	target   *domain.Operator // the operator a form, key list or confirmation is about
	keyRows  []*domain.OperatorKey
	keyTable *selecttable.Model
	pending  bool
	keys     keyMap
}

// New returns the operators page.
func New(c *common.Common) *Model {
	m := &Model{c: c, keys: newKeyMap(c)}
	m.table = selecttable.New(c.Styles, []selecttable.Column{
		{Min: 10, Weight: 3}, {Min: 12, Weight: 4}, {Min: 10, Weight: 3}, {Min: 9, Weight: 2}, {Min: 5, Weight: 0},
	})
	m.keyTable = selecttable.New(c.Styles, []selecttable.Column{
		{Min: 20, Weight: 5}, {Min: 8, Weight: 1}, {Min: 8, Weight: 3}, {Min: 10, Weight: 0},
	})
	m.relabel()
	return m
}

func (m *Model) relabel() {
	c := m.c
	m.keys = newKeyMap(c)
	m.table.SetTitles([]string{c.T("tui.ops.col.name"), c.T("tui.ops.col.full_name"), c.T("tui.ops.col.roles"), c.T("tui.ops.col.state"), c.T("tui.ops.col.keys")})
	m.keyTable.SetTitles([]string{c.T("tui.ops.col.fingerprint"), c.T("tui.ops.col.type"), c.T("tui.ops.col.comment"), c.T("tui.ops.col.added")})
	m.table.SetRows(m.tableRows())
	if m.form != nil {
		m.form.Relabel()
	}
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.loadCmd() }

// SetSize lays the tables out in the page area.
func (m *Model) SetSize(width, height int) {
	m.table.SetSize(width, height-2)
	m.keyTable.SetSize(width, height-2)
}

// Typing reports whether a form or a confirmation has the keyboard.
func (m *Model) Typing() bool { return m.mode == modeForm || m.mode == modeConfirm }

func (m *Model) loadCmd() tea.Cmd {
	svc, ctx := m.c.Services.Operators, m.c.Ctx
	return func() tea.Msg {
		ops, err := svc.ListOperators(ctx)
		if err != nil {
			return ListMsg{Err: err}
		}
		rows := make([]Row, len(ops))
		for i, op := range ops {
			rows[i] = Row{Operator: op, Keys: -1}
			if keys, err := svc.ListOperatorKeys(ctx, op.Name); err == nil {
				rows[i].Keys = len(keys)
			}
		}
		return ListMsg{Rows: rows}
	}
}

func (m *Model) loadKeysCmd(name string) tea.Cmd {
	svc, ctx := m.c.Services.Operators, m.c.Ctx
	return func() tea.Msg {
		keys, err := svc.ListOperatorKeys(ctx, name)
		return KeysMsg{Name: name, Keys: keys, Err: err}
	}
}

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ListMsg:
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		m.setRows(msg.Rows)
		return nil
	case KeysMsg:
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		if m.target != nil && m.target.Name == msg.Name {
			m.keyRows = msg.Keys
			m.keyTable.SetRows(m.keyTableRows())
		}
		return nil
	case SavedMsg:
		return m.saved(msg)
	case common.ChangeMsg:
		if msg.Topic != domain.TopicOperator || m.pending {
			return nil
		}
		m.pending = true
		return m.c.Tick(300*time.Millisecond, func(time.Time) tea.Msg { return refreshMsg{} })
	case refreshMsg:
		m.pending = false
		return m.reloadCmd()
	case common.ReloadMsg:
		return m.reloadCmd()
	case common.LanguageMsg:
		m.relabel()
		return nil
	case tea.KeyMsg:
		return m.updateKey(msg)
	}
	return nil
}

// reloadCmd reloads the list, and the key list when it is open.
func (m *Model) reloadCmd() tea.Cmd {
	cmds := []tea.Cmd{m.loadCmd()}
	if m.target != nil && (m.mode == modeKeys || m.mode == modeConfirm) {
		cmds = append(cmds, m.loadKeysCmd(m.target.Name))
	}
	return tea.Batch(cmds...)
}

func (m *Model) setRows(rows []Row) {
	var keep int64
	if r := m.selected(); r != nil {
		keep = r.Operator.ID
	}
	m.rows, m.loaded = rows, true
	m.table.SetRows(m.tableRows())
	for i, r := range rows {
		if r.Operator.ID == keep {
			m.table.SetCursor(i)
		}
	}
}

func (m *Model) selected() *Row {
	i := m.table.Cursor()
	if i < 0 || i >= len(m.rows) {
		return nil
	}
	return &m.rows[i]
}

func (m *Model) tableRows() []table.Row {
	out := make([]table.Row, len(m.rows))
	for i, r := range m.rows {
		keys := "?"
		if r.Keys >= 0 {
			keys = m.c.Num(int64(r.Keys))
		}
		out[i] = table.Row{r.Operator.Name, r.Operator.FullName, m.c.RoleNames(r.Operator.Roles), m.state(r.Operator), keys}
	}
	return out
}

func (m *Model) state(op *domain.Operator) string {
	now := m.c.Clock()
	switch {
	case op.Disabled:
		return m.c.T("tui.ops.state.disabled")
	case now.Before(op.LockedUntil):
		return m.c.T("tui.ops.state.locked", op.LockedUntil.Local().Format("15:04"))
	}
	return m.c.T("tui.ops.state.active")
}

func (m *Model) keyTableRows() []table.Row {
	out := make([]table.Row, len(m.keyRows))
	for i, k := range m.keyRows {
		out[i] = table.Row{k.Fingerprint, strings.TrimPrefix(k.Type, "ssh-"), k.Comment, k.AddedAt.Local().Format("2006-01-02")}
	}
	return out
}

func (m *Model) isSelf(op *domain.Operator) bool {
	return m.c.Operator != nil && op.ID == m.c.Operator.ID
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeForm:
		return m.updateForm(msg)
	case modeConfirm:
		switch {
		case key.Matches(msg, m.keys.Confirm):
			return m.removeKeyCmd()
		case key.Matches(msg, m.keys.Back):
			m.mode = modeKeys
		}
		return nil
	case modeKeys:
		switch {
		case key.Matches(msg, m.keys.Back):
			m.mode, m.target = modeList, nil
		case key.Matches(msg, m.keys.Add):
			m.openForm(formKey, m.target)
		case key.Matches(msg, m.keys.Remove):
			if m.keyTable.Cursor() >= 0 {
				m.mode = modeConfirm
			}
		default:
			return m.keyTable.Update(msg)
		}
		return nil
	}
	if key.Matches(msg, m.keys.Add) {
		m.openForm(formAdd, nil)
		return nil
	}
	r := m.selected()
	if r == nil {
		return m.table.Update(msg)
	}
	op := r.Operator
	switch {
	case key.Matches(msg, m.keys.Disable):
		if m.isSelf(op) {
			return func() tea.Msg {
				return common.ErrorMsg{Err: domain.Errorf(domain.EFORBIDDEN, "tui.ops.not_self", "you cannot disable yourself")}
			}
		}
		m.openForm(formReason, op)
	case key.Matches(msg, m.keys.Roles):
		m.openForm(formRoles, op)
	case key.Matches(msg, m.keys.Password):
		m.openForm(formPassword, op)
	case key.Matches(msg, m.keys.Keys):
		m.mode, m.target, m.keyRows = modeKeys, op, nil
		m.keyTable.SetRows(nil)
		return m.loadKeysCmd(op.Name)
	default:
		return m.table.Update(msg)
	}
	return nil
}

// ShortHelp returns the keys of the current mode for the footer.
func (m *Model) ShortHelp() []key.Binding {
	switch m.mode {
	case modeForm:
		return m.form.ShortHelp()
	case modeConfirm:
		return []key.Binding{m.keys.Confirm, m.keys.Back}
	case modeKeys:
		return []key.Binding{m.keys.Add, m.keys.Remove, m.keys.Back}
	}
	return []key.Binding{m.keys.Add, m.keys.Disable, m.keys.Roles, m.keys.Password, m.keys.Keys}
}

// FullHelp returns the keys of the current mode for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	switch m.mode {
	case modeForm:
		return m.form.FullHelp()
	case modeConfirm:
		return [][]key.Binding{{m.keys.Confirm, m.keys.Back}}
	case modeKeys:
		return [][]key.Binding{{m.keys.Up, m.keys.Down}, {m.keys.Add, m.keys.Remove, m.keys.Back}}
	}
	return [][]key.Binding{{m.keys.Up, m.keys.Down}, {m.keys.Add, m.keys.Disable, m.keys.Roles}, {m.keys.Password, m.keys.Keys}}
}

type keyMap struct {
	Up, Down, Add, Disable, Roles, Password, Keys, Remove, Confirm, Back key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", c.T("tui.key.up"))),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", c.T("tui.key.down"))),
		Add:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", c.T("tui.ops.key.add"))),
		Disable:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", c.T("tui.ops.key.disable"))),
		Roles:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("tui.ops.key.roles"))),
		Password: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", c.T("tui.ops.key.password"))),
		Keys:     key.NewBinding(key.WithKeys("enter", "s"), key.WithHelp("enter", c.T("tui.ops.key.keys"))),
		Remove:   key.NewBinding(key.WithKeys("x", "delete"), key.WithHelp("x", c.T("tui.ops.key.remove_key"))),
		Confirm:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("tui.key.confirm"))),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.key.back"))),
	}
}

// hasRole is a small helper for the roles guard.
func hasRole(roles []domain.Role, r domain.Role) bool { return slices.Contains(roles, r) }
