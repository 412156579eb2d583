package listview

import (
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/marks"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// debounce gathers a burst of feed changes into one read.
const debounce = 250 * time.Millisecond

type mode int

const (
	modeList    mode = iota
	modeDetail       // a row open
	modeForm         // an action's form
	modeConfirm      // an action's confirmation
)

// loadedMsg carries a read of the list.
type loadedMsg[T any] struct {
	to    *Model[T]
	gen   int
	rows  []T
	apply func()
	err   error
}

// doneMsg carries the answer of an action's call.
type doneMsg[T any] struct {
	to     *Model[T]
	id     int64
	status tea.Cmd
	err    error
}

// refreshMsg fires once after a burst of changes.
type refreshMsg[T any] struct{ to *Model[T] }

// draftKey names what was typed into an action's form on a row.
type draftKey struct {
	act         int
	id, version int64
}

// Model is a list screen built from its Spec; it is a common.Page.
type Model[T any] struct {
	c    *common.Common
	spec Spec[T]
	keys keyMap

	started, loaded, armed bool
	gen                    int
	rows                   []T
	table                  *selecttable.Model
	keep                   int64 // select this row once the list is read; -1: the first

	mode   mode
	back   mode // where an action returns to
	target T    // the open row, or the action's
	top    int  // the first line of the detail's body on screen
	act    int  // the action under way (an index into Spec.Actions)
	form   *form.Model
	send   Send // a form's call, waiting for its confirmation
	busy   bool
	drafts map[draftKey]form.Draft

	marks    marks.Marks // the rows marked for a bulk action (Spec.Bulk)
	markKeys marks.Keys
}

// New returns the screen; it reads nothing until Init.
func New[T any](c *common.Common, spec Spec[T]) *Model[T] {
	m := &Model[T]{c: c, spec: spec}
	cols := make([]selecttable.Column, len(spec.Columns))
	for i, col := range spec.Columns {
		cols[i] = selecttable.Column{Min: col.Min, Weight: col.Weight}
	}
	m.table = selecttable.New(c.Styles, cols)
	m.relabel()
	m.SetSize(max(c.Width, 1), max(c.Height, 1))
	return m
}

// allowed reports whether the operator works the screen.
func (m *Model[T]) allowed() bool {
	return m.spec.Allowed == nil || m.spec.Allowed(m.c.Operator)
}

// live reports whether the screen reads: once started, for an operator it
// allows, with a service.
func (m *Model[T]) live() bool {
	return m.started && m.allowed() && m.spec.Load != nil && m.spec.Load() != nil
}

// Init loads the list.
func (m *Model[T]) Init() tea.Cmd {
	m.started = true
	return m.Reload()
}

// Reload reads the list again.
func (m *Model[T]) Reload() tea.Cmd {
	if !m.live() {
		return nil
	}
	m.gen++
	read, gen, ctx := m.spec.Load(), m.gen, m.c.Ctx
	return func() tea.Msg {
		rows, apply, err := read(ctx)
		return loadedMsg[T]{to: m, gen: gen, rows: rows, apply: apply, err: err}
	}
}

// Reset reads the list anew with the cursor on its first row: after the
// screen changed what is listed (a filter, a page).
func (m *Model[T]) Reset() tea.Cmd {
	if m.marks.All() {
		m.marks.Clear() // the whole filter marked was another filter
	}
	m.table.SetCursor(0)
	m.keep = -1
	return m.Reload()
}

// SetSize lays the list out.
func (m *Model[T]) SetSize(width, height int) {
	m.table.SetSize(width, m.tableHeight(width, height))
}

// Typing reports whether a form or a confirmation has the keyboard.
func (m *Model[T]) Typing() bool { return m.mode == modeForm || m.mode == modeConfirm }

// Selected returns the row under the cursor.
func (m *Model[T]) Selected() (T, bool) {
	i := m.table.Cursor()
	if i < 0 || i >= len(m.rows) {
		var zero T
		return zero, false
	}
	return m.rows[i], true
}

// Rows returns the rows as last read.
func (m *Model[T]) Rows() []T { return m.rows }

// Loaded reports whether the list has been read.
func (m *Model[T]) Loaded() bool { return m.loaded }

// Marks returns the rows marked for a bulk action (Spec.Bulk).
func (m *Model[T]) Marks() *marks.Marks { return &m.marks }

// Form returns the form open now, or nil.
func (m *Model[T]) Form() *form.Model {
	if m.mode != modeForm {
		return nil
	}
	return m.form
}

func errorCmd(err error) tea.Cmd { return func() tea.Msg { return common.ErrorMsg{Err: err} } }

func clearStatus() tea.Msg { return common.StatusMsg{} }

// Update handles the screen's messages.
func (m *Model[T]) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg[T]:
		if msg.to == m {
			return m.take(msg)
		}
	case doneMsg[T]:
		if msg.to == m {
			return m.done(msg)
		}
	case refreshMsg[T]:
		if msg.to == m {
			m.armed = false
			return m.Reload()
		}
	case common.ChangeMsg:
		if !m.live() || m.spec.Topic == "" || msg.Topic != m.spec.Topic || m.armed {
			return nil
		}
		m.armed = true
		return m.c.Tick(debounce, func(time.Time) tea.Msg { return refreshMsg[T]{to: m} })
	case common.ReloadMsg:
		return m.Reload()
	case common.LanguageMsg:
		m.relabel()
	case tea.KeyMsg:
		if m.live() {
			return m.updateKey(msg)
		}
	}
	return nil
}

// take takes in a read of the list: the selection stays on its row, an
// open row is shown as it is now.
func (m *Model[T]) take(msg loadedMsg[T]) tea.Cmd {
	if msg.gen != m.gen {
		return nil // an answer to a read superseded since
	}
	if msg.apply != nil {
		msg.apply()
	}
	if msg.err != nil {
		return errorCmd(msg.err)
	}
	keep := m.keep
	if t, ok := m.Selected(); keep == 0 && ok {
		keep = m.spec.ID(t)
	}
	m.keep = 0
	m.rows, m.loaded = msg.rows, true
	m.table.SetRows(m.tableRows())
	cursor := min(max(m.table.Cursor(), 0), max(len(m.rows)-1, 0))
	for i, t := range m.rows {
		if keep > 0 && m.spec.ID(t) == keep {
			cursor = i
		}
	}
	m.table.SetCursor(cursor)
	if m.mode == modeDetail {
		return m.follow()
	}
	return nil
}

// follow shows the open row as the list has it now; a row gone from the
// list closes the detail.
func (m *Model[T]) follow() tea.Cmd {
	id := m.spec.ID(m.target)
	for _, t := range m.rows {
		if m.spec.ID(t) == id {
			m.target = t
			return m.opened()
		}
	}
	m.mode = modeList
	return nil
}

// opened asks the screen for what its detail reads besides the row.
func (m *Model[T]) opened() tea.Cmd {
	if m.spec.Opened == nil {
		return nil
	}
	return m.spec.Opened(m.target)
}

func (m *Model[T]) relabel() {
	m.keys = newKeyMap(m.c)
	m.markKeys = marks.NewKeys(m.c)
	titles := make([]string, len(m.spec.Columns))
	for i, col := range m.spec.Columns {
		titles[i] = m.c.T(col.Title)
	}
	m.table.SetTitles(titles)
	m.table.SetRows(m.tableRows())
	if m.form != nil {
		m.form.Relabel()
	}
}

func (m *Model[T]) tableRows() []table.Row {
	out := make([]table.Row, len(m.rows))
	for i, t := range m.rows {
		row := make(table.Row, len(m.spec.Columns))
		for j, col := range m.spec.Columns {
			row[j] = col.Cell(t)
		}
		if m.spec.Bulk != nil && len(row) > 0 {
			row[0] = m.marks.Prefix(m.spec.ID(t)) + row[0]
		}
		out[i] = row
	}
	return out
}

func (m *Model[T]) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeForm:
		return m.updateForm(msg)
	case modeConfirm:
		return m.updateConfirm(msg)
	case modeDetail:
		return m.updateDetail(msg)
	}
	return m.updateList(msg)
}

func (m *Model[T]) updateList(msg tea.KeyMsg) tea.Cmd {
	if m.spec.Bulk != nil {
		var id int64
		t, ok := m.Selected()
		if ok {
			id = m.spec.ID(t)
		}
		if cmd, handled := m.marks.Update(msg, m.markKeys, id, ok, m.spec.Bulk); handled {
			m.table.SetRows(m.tableRows())
			return cmd
		}
	}
	for _, k := range m.spec.Keys {
		if k.shown() && key.Matches(msg, m.keys.own(k)) {
			return k.Run()
		}
	}
	if key.Matches(msg, m.keys.Refresh) {
		return m.Reload()
	}
	t, ok := m.Selected()
	for i, a := range m.spec.Actions {
		if key.Matches(msg, a.key(m.keys)) && (ok || a.Free) && !a.Detail {
			return m.begin(i, t, modeList)
		}
	}
	if ok && m.spec.Detail != nil && key.Matches(msg, m.keys.Open) {
		m.target, m.mode, m.top = t, modeDetail, 0
		return tea.Batch(clearStatus, m.opened())
	}
	return m.table.Update(msg)
}

func (m *Model[T]) updateDetail(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	page := max(m.c.Height-2, 1)
	switch {
	case key.Matches(msg, k.Close):
		m.mode = modeList
	case key.Matches(msg, k.Up):
		m.top = max(m.top-1, 0)
	case key.Matches(msg, k.Down):
		m.top++
	case key.Matches(msg, k.PageUp):
		m.top = max(m.top-page, 0)
	case key.Matches(msg, k.PageDown):
		m.top += page
	default:
		for i, a := range m.spec.Actions {
			if !a.Free && key.Matches(msg, a.key(k)) {
				return m.begin(i, m.target, modeDetail)
			}
		}
	}
	return nil
}

// begin starts action i on t, unless its rule refuses.
func (m *Model[T]) begin(i int, t T, from mode) tea.Cmd {
	a := m.spec.Actions[i]
	if a.Rule != nil {
		if err := a.Rule(t); err != nil {
			return errorCmd(err)
		}
	}
	m.act, m.target, m.back, m.busy = i, t, from, false
	switch {
	case a.Form != nil:
		m.form, m.mode = a.Form(t), modeForm
		if d, ok := m.drafts[m.draftKey()]; ok && a.Keep {
			m.form.Restore(d)
		}
		return clearStatus
	case a.Confirm != nil:
		m.send, m.mode = a.Send(t), modeConfirm
		return clearStatus
	}
	m.send = a.Send(t)
	return m.call()
}

func (m *Model[T]) draftKey() draftKey {
	k := draftKey{act: m.act}
	if a := m.spec.Actions[m.act]; !a.Free {
		k.id = m.spec.ID(m.target)
		if m.spec.Version != nil {
			k.version = m.spec.Version(m.target)
		}
	}
	return k
}

// leave goes back to where the action began.
func (m *Model[T]) leave() {
	m.form, m.send, m.busy, m.mode = nil, nil, false, m.back
}

func (m *Model[T]) updateForm(msg tea.KeyMsg) tea.Cmd {
	a := m.spec.Actions[m.act]
	res, cmd := m.form.Update(msg)
	switch res {
	case form.Cancel:
		if a.Keep {
			if m.drafts == nil {
				m.drafts = map[draftKey]form.Draft{}
			}
			m.drafts[m.draftKey()] = m.form.Draft()
		}
		m.leave()
		return nil
	case form.Submit:
		send := a.Submit(m.form, m.target)
		if send == nil {
			return nil
		}
		m.send = send
		if a.Confirm != nil {
			m.mode = modeConfirm
			return clearStatus
		}
		m.form.SetError(nil)
		m.form.Busy = true
		return m.call()
	}
	return cmd
}

func (m *Model[T]) updateConfirm(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		if !m.busy {
			m.leave()
		}
	case key.Matches(msg, m.keys.Confirm):
		if !m.busy {
			m.busy = true
			return m.call()
		}
	}
	return nil
}

// call runs the action's call off the update loop.
func (m *Model[T]) call() tea.Cmd {
	send, ctx := m.send, m.c.Ctx
	var id int64
	if !m.spec.Actions[m.act].Free {
		id = m.spec.ID(m.target)
	}
	return func() tea.Msg {
		status, err := send(ctx)
		return doneMsg[T]{to: m, id: id, status: status, err: err}
	}
}

// done takes in the answer of an action's call; a failure keeps what was
// typed.
func (m *Model[T]) done(msg doneMsg[T]) tea.Cmd {
	a := m.spec.Actions[m.act]
	if msg.err != nil {
		if m.mode == modeForm && m.form != nil {
			m.form.Busy = false
			m.form.SetError(msg.err)
		} else if m.mode == modeConfirm || m.busy {
			m.leave()
		}
		return tea.Batch(errorCmd(msg.err), m.Reload())
	}
	if a.Keep {
		delete(m.drafts, m.draftKey())
	}
	m.leave()
	if a.Close || a.Free {
		m.mode = modeList
	}
	m.keep = msg.id
	status := msg.status
	if status == nil && a.Done != "" {
		status = common.StatusCmd(a.Done, msg.id)
	}
	return tea.Batch(status, m.Reload())
}

// StartFree begins the free action bound to key k as pressing it in the
// list would, from whatever the screen shows but a form or confirmation
// under way (then it does nothing): another screen handing work over.
func (m *Model[T]) StartFree(k string) tea.Cmd {
	if m.Typing() {
		return nil
	}
	for i, a := range m.spec.Actions {
		if a.Free && slices.Contains(a.Keys, k) {
			var zero T
			m.mode = modeList
			return m.begin(i, zero, modeList)
		}
	}
	return nil
}
