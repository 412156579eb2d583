package queue

import (
	"slices"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/marks"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// Timing.
const (
	// Debounce gathers a burst of feed changes into one read; with the
	// feed's own delay a claim still shows within a second.
	Debounce = 250 * time.Millisecond
	// RenewEvery renews the claim on the open item, well inside
	// domain.ClaimLease so that a failed renewal has time to be retried.
	RenewEvery = 5 * time.Minute
)

// MaxSearch limits what an operator types into a queue's search.
const MaxSearch = 100

type mode int

const (
	modeList    mode = iota
	modeDetail       // an item is open
	modeForm         // an action's form about the open item
	modeConfirm      // an action waiting for enter or esc
)

// Model is a queue screen's component: the list (keyset pages, search,
// filters), the open item (claimed while open, renewed, given back on
// leaving), live updates, the actions with their forms and
// confirmations, the keys and their help. A screen is a Spec and a Model.
type Model[T, F, X any] struct {
	c       *common.Common
	spec    Spec[T, F, X]
	keys    keyMap
	mode    mode
	started bool
	width   int
	height  int

	search Search
	steps  []int // each filter's step
	list   List[Keyset, F, T]
	table  *selecttable.Model
	cols   []int // the columns shown, by index into spec.Columns
	feed   Coalescer

	open    *Open[T, X]
	openGen int
	vp      viewport.Model

	form     *form.Model
	act      int   // the action of the form or the confirmation
	version  int64 // the item's version when the action began
	send     Send  // the call a confirmation waits for
	conflict int   // the action that met the latest conflict

	marks    marks.Marks // the items marked for a bulk action (Spec.Bulk)
	markKeys marks.Keys

	leaseGen int // the redraw at the next claim's end that counts
}

// The component's messages carry the model they are for: every page sees
// every message.
type (
	pageMsg[T, F, X any] struct {
		q    *Model[T, F, X]
		page PageMsg[Keyset, F, T]
	}
	// why tells why an item is read.
	why                  int
	itemMsg[T, F, X any] struct {
		q        *Model[T, F, X]
		gen      int
		why      why
		id       int64
		item     T
		found    bool
		more     X
		claimed  bool // this read claimed the item
		claimErr error
		err      error
	}
	nextMsg[T, F, X any] struct {
		q    *Model[T, F, X]
		item T
		err  error
	}
	renewMsg[T, F, X any] struct {
		q   *Model[T, F, X]
		gen int
	}
	renewedMsg[T, F, X any] struct {
		q    *Model[T, F, X]
		gen  int
		id   int64
		item T
		err  error
	}
	releasedMsg[T, F, X any] struct {
		q   *Model[T, F, X]
		err error
	}
	refreshMsg[T, F, X any] struct{ q *Model[T, F, X] }
	// leaseEndMsg redraws the list when a claim shown on it ends.
	leaseEndMsg[T, F, X any] struct {
		q   *Model[T, F, X]
		gen int
	}
	doneMsg[T, F, X any] struct {
		q     *Model[T, F, X]
		gen   int
		act   int
		id    int64
		apply func() tea.Cmd
		err   error
	}
)

const (
	whyOpen     why = iota // opening it: claimed first when open
	whyReread              // it changed, or the database came back
	whyConflict            // a write met a conflict
	whyClaim               // claimed on request (c, a take-over)
)

// New returns the component of a queue screen. It reads nothing until
// Init.
func New[T, F, X any](c *common.Common, spec Spec[T, F, X]) *Model[T, F, X] {
	m := &Model[T, F, X]{c: c, spec: spec, steps: make([]int, len(spec.Filters))}
	m.search = newSearch(c, MaxSearch)
	m.vp = newDetail(c)
	m.cols = m.columnsFor(80)
	m.table = m.newTable()
	m.relabel()
	return m
}

// Init loads the first page.
func (m *Model[T, F, X]) Init() tea.Cmd {
	m.started = true
	return m.load(Reset, Keyset{})
}

// live reports whether the queue reads: once started, with a service.
func (m *Model[T, F, X]) live() bool { return m.started && m.spec.Service.List != nil }

// Open returns the open item, nil when none is.
func (m *Model[T, F, X]) Open() *Open[T, X] { return m.open }

// Selected returns the item under the list's cursor, and false when there
// is none.
func (m *Model[T, F, X]) Selected() (T, bool) { return m.list.Selected(m.table.Cursor()) }

// Marks returns the items marked for a bulk action (Spec.Bulk).
func (m *Model[T, F, X]) Marks() *marks.Marks { return &m.marks }

// Typing reports whether a field has the keyboard.
func (m *Model[T, F, X]) Typing() bool {
	return m.mode == modeForm || m.mode == modeConfirm || m.mode == modeList && m.search.Typing
}

// me is the session's operator's id.
func (m *Model[T, F, X]) me() int64 {
	if m.c.Operator == nil {
		return 0
	}
	return m.c.Operator.ID
}

// SetSize lays the list and the detail out in the page area.
func (m *Model[T, F, X]) SetSize(width, height int) {
	m.width, m.height = width, height
	if cols := m.columnsFor(width); !slices.Equal(cols, m.cols) {
		m.cols = cols
		cur := m.table.Cursor()
		m.table = m.newTable()
		m.table.SetRows(m.tableRows())
		if cur >= 0 {
			m.table.SetCursor(cur)
		}
	}
	m.table.SetSize(width, m.tableHeight(height))
	m.search.Input.Width = max(width/2, 10)
	m.layout()
}

// relabel rebuilds every text kept outside the catalog after a language
// change.
func (m *Model[T, F, X]) relabel() {
	m.keys = newKeyMap(m.c, m.spec)
	m.markKeys = marks.NewKeys(m.c)
	m.search.Input.Placeholder = m.c.T(m.spec.Words.Hint)
	m.table.SetTitles(m.columnTitles())
	m.table.SetRows(m.tableRows())
	if m.form != nil {
		m.form.Relabel()
	}
	m.layout()
}

// Update handles the component's messages, and the session's that concern
// it.
func (m *Model[T, F, X]) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg[T, F, X]:
		if msg.q == m {
			return m.showPage(msg.page)
		}
	case itemMsg[T, F, X]:
		if msg.q == m {
			return m.itemRead(msg)
		}
	case nextMsg[T, F, X]:
		if msg.q == m {
			return m.nextTaken(msg)
		}
	case renewMsg[T, F, X]:
		if msg.q == m {
			return m.renew(msg)
		}
	case renewedMsg[T, F, X]:
		if msg.q == m {
			return m.renewed(msg)
		}
	case releasedMsg[T, F, X]:
		if msg.q == m {
			return tea.Batch(errorCmd(msg.err), m.reload())
		}
	case doneMsg[T, F, X]:
		if msg.q == m {
			return m.done(msg)
		}
	case refreshMsg[T, F, X]:
		if msg.q == m {
			return m.refresh(m.feed.Fire())
		}
	case leaseEndMsg[T, F, X]:
		if msg.q == m && msg.gen == m.leaseGen {
			m.table.SetRows(m.tableRows())
			return m.nextLeaseEnd()
		}
	case common.ChangeMsg:
		if m.live() && msg.Topic == m.spec.Topic {
			return m.feed.Note(m.c.Tick, msg.ID, Debounce, refreshMsg[T, F, X]{m})
		}
	case common.ReloadMsg:
		if m.live() {
			return m.refresh(nil)
		}
	case common.LanguageMsg:
		m.relabel()
	case tea.KeyMsg:
		if m.live() {
			return m.updateKey(msg)
		}
	}
	return nil
}

// refresh reads the page shown again, and the open item when it is among
// changed (nil: whatever changed, as after the database came back).
func (m *Model[T, F, X]) refresh(changed map[string]bool) tea.Cmd {
	cmds := []tea.Cmd{m.reload()}
	if o := m.open; o != nil && (changed == nil || changed[strconv.FormatInt(o.ID, 10)]) {
		cmds = append(cmds, m.read(whyReread, false))
	}
	return tea.Batch(cmds...)
}

func (m *Model[T, F, X]) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeForm:
		return m.updateForm(msg)
	case modeConfirm:
		return m.updateConfirm(msg)
	case modeDetail:
		return m.updateDetailKey(msg)
	}
	if m.search.Typing {
		applied, cmd := m.search.Update(msg, m.keys.Apply, m.keys.Leave)
		if applied {
			return m.load(Reset, Keyset{})
		}
		return cmd
	}
	return m.updateListKey(msg)
}

// load reads the page for n starting at at; a pageMsg carries it.
func (m *Model[T, F, X]) load(n Nav, at Keyset) tea.Cmd {
	if !m.live() {
		return nil
	}
	if n == Reset && m.marks.All() {
		m.marks.Clear() // the whole filter marked was another filter
	}
	list, ctx, q := m.spec.Service.List, m.c.Ctx, m
	f := m.spec.Filter(m.search.Applied, slices.Clone(m.steps), at, m.spec.PageSize+1)
	read := m.list.Load(n, at, f, func(f F) ([]T, error) { return list(ctx, f) })
	return func() tea.Msg { return pageMsg[T, F, X]{q, read().(PageMsg[Keyset, F, T])} }
}

// reload reads the page of the list shown again.
func (m *Model[T, F, X]) reload() tea.Cmd { return m.load(Stay, m.list.Cur()) }

// showPage shows a page read by load; a superseded one is dropped.
func (m *Model[T, F, X]) showPage(msg PageMsg[Keyset, F, T]) tea.Cmd {
	cur, shown, cmd := m.list.Show(msg, m.spec.PageSize, m.table.Cursor(), m.id)
	if shown {
		m.table.SetRows(m.tableRows())
		m.table.SetCursor(cur)
		return tea.Batch(cmd, m.nextLeaseEnd())
	}
	return cmd
}

// nextLeaseEnd redraws the list when the first claim it shows ends: a
// claim whose holder let it run out (their session died, their instance
// was killed) announces nothing, and the list would go on naming a holder
// who holds nothing. Only the latest one scheduled counts.
func (m *Model[T, F, X]) nextLeaseEnd() tea.Cmd {
	m.leaseGen++
	now := m.c.Clock()
	var first time.Time
	for _, r := range m.list.Rows {
		if h := m.spec.Facts(r).Holder; h.Held(now) && (first.IsZero() || h.Until.Before(first)) {
			first = h.Until
		}
	}
	if first.IsZero() {
		return nil
	}
	gen := m.leaseGen
	return m.c.Tick(first.Sub(now)+time.Second, func(time.Time) tea.Msg { return leaseEndMsg[T, F, X]{m, gen} })
}

func (m *Model[T, F, X]) id(t T) int64 { return m.spec.Facts(t).ID }

func (m *Model[T, F, X]) updateListKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.spec.Bulk != nil {
		var id int64
		r, ok := m.Selected()
		if ok {
			id = m.spec.Facts(r).ID
		}
		open := func(ids []int64, all bool) tea.Cmd {
			if !all {
				return m.spec.Bulk(ids, nil)
			}
			f := m.spec.Filter(m.search.Applied, slices.Clone(m.steps), Keyset{}, m.spec.PageSize)
			return m.spec.Bulk(nil, &f)
		}
		if cmd, handled := m.marks.Update(msg, m.markKeys, id, ok, open); handled {
			m.table.SetRows(m.tableRows())
			return cmd
		}
	}
	for i, f := range k.Filters {
		if d := cycleStep(msg, f); d != 0 {
			n := m.spec.Filters[i].Steps
			m.steps[i] = (m.steps[i] + d + n) % n
			return m.load(Reset, Keyset{})
		}
	}
	for i, b := range k.List {
		if key.Matches(msg, b) && m.spec.ListKeys[i].Run != nil {
			return m.spec.ListKeys[i].Run()
		}
	}
	switch {
	case key.Matches(msg, k.Open):
		if r, ok := m.Selected(); ok {
			return m.openItem(r)
		}
		return nil
	case m.spec.Service.ClaimNext != nil && key.Matches(msg, k.TakeNext):
		return m.takeNext()
	case key.Matches(msg, k.Search):
		return m.search.Focus()
	case key.Matches(msg, k.Clear):
		clear(m.steps)
		m.search.Clear()
		return m.load(Reset, Keyset{})
	case key.Matches(msg, k.Next):
		if last, ok := m.list.Last(); ok {
			f := m.spec.Facts(last)
			return m.load(Next, Keyset{At: f.At, ID: f.ID})
		}
		return nil
	case key.Matches(msg, k.Prev):
		if at, ok := m.list.Prev(); ok {
			return m.load(Prev, at)
		}
		return nil
	case key.Matches(msg, k.Refresh):
		return m.reload()
	}
	return m.table.Update(msg)
}

// cycleStep is how far a key moves filter f's cycle: 1, -1, or 0 when it
// is not the filter's.
func cycleStep(msg tea.KeyMsg, f filterKeys) int {
	switch {
	case key.Matches(msg, f.Next):
		return 1
	case f.Back.Enabled() && key.Matches(msg, f.Back):
		return -1
	}
	return 0
}

// takeNext claims the next item nobody holds among those the list's filter
// asks for, through the service (concurrent operators never get the same
// one); nextTaken opens it.
func (m *Model[T, F, X]) takeNext() tea.Cmd {
	next, ctx, q := m.spec.Service.ClaimNext, m.c.Ctx, m
	f := m.spec.Filter(m.search.Applied, slices.Clone(m.steps), Keyset{}, m.spec.PageSize+1)
	return func() tea.Msg {
		t, err := next(ctx, f)
		return nextMsg[T, F, X]{q: q, item: t, err: err}
	}
}

// nextTaken opens the item takeNext claimed, unless the operator has
// opened another meanwhile; "none waiting" and other errors go to the
// status line.
func (m *Model[T, F, X]) nextTaken(msg nextMsg[T, F, X]) tea.Cmd {
	if msg.err != nil {
		return errorCmd(msg.err)
	}
	if m.mode != modeList {
		return nil
	}
	return m.openItem(msg.item)
}

// columnsFor returns the columns that fit a width, by index.
func (m *Model[T, F, X]) columnsFor(width int) []int {
	var out []int
	for i, col := range m.spec.Columns {
		if width >= col.From {
			out = append(out, i)
		}
	}
	return out
}

func (m *Model[T, F, X]) newTable() *selecttable.Model {
	s := make([]selecttable.Column, len(m.cols))
	for i, c := range m.cols {
		col := m.spec.Columns[c]
		s[i] = selecttable.Column{Min: col.Min, Weight: col.Weight}
	}
	t := selecttable.New(m.c.Styles, s)
	t.SetTitles(m.columnTitles())
	t.SetSize(max(m.width, 1), m.tableHeight(m.height))
	return t
}

func (m *Model[T, F, X]) columnTitles() []string {
	out := make([]string, len(m.cols))
	for i, c := range m.cols {
		out[i] = m.c.T(m.spec.Columns[c].Title)
	}
	return out
}

func (m *Model[T, F, X]) tableRows() []table.Row {
	out := make([]table.Row, len(m.list.Rows))
	for i, r := range m.list.Rows {
		row := make(table.Row, len(m.cols))
		for j, c := range m.cols {
			row[j] = m.spec.Columns[c].Cell(r)
		}
		if m.spec.Bulk != nil && len(row) > 0 {
			row[0] = m.marks.Prefix(m.spec.Facts(r).ID) + row[0]
		}
		out[i] = row
	}
	return out
}

// Holder names who holds item t now, for a cell or a line: "you", another
// operator, or "" for nobody.
func (m *Model[T, F, X]) Holder(t T) string {
	h := m.spec.Facts(t).Holder
	switch {
	case !h.Held(m.c.Clock()):
		return ""
	case h.ID == m.me():
		return m.c.T("tui.queue.you")
	case h.Name == "":
		return "#" + strconv.FormatInt(h.ID, 10)
	}
	return h.Name
}

// errorCmd shows err on the status line; nil for no error.
func errorCmd(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}

// clearStatus empties the status line, so that a message about the item
// before does not linger over this one.
func clearStatus() tea.Msg { return common.StatusMsg{} }

// refusal is a refusal of the screen's own (a catalog key and its
// arguments), as a domain error so that the status line and a form show
// it like any other.
func refusal(code, key string, args ...any) error {
	return &domain.Error{Code: code, Key: key, Args: args, Message: key}
}
