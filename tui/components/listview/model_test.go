package listview

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/theme"
)

var testNow = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

// row is a record of the tests: locked rows refuse renaming and
// archiving, and only they may be unlocked; lines is the length of its
// detail's body.
type row struct {
	id, version      int64
	name             string
	locked, archived bool
	lines            int
}

// service is an in-memory store of rows, in the order listed; it counts
// its reads and records its calls.
type service struct {
	mu    sync.Mutex
	rows  []*row
	next  int64
	loads int
	calls []string
	fail  error
}

func newService(names ...string) *service {
	s := &service{}
	for _, n := range names {
		s.add(n)
	}
	return s
}

func (s *service) add(name string) {
	s.next++
	s.rows = append(s.rows, &row{id: s.next, version: 1, name: name, lines: 40})
}

func (s *service) list(context.Context) ([]*row, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	out := make([]*row, len(s.rows))
	for i, r := range s.rows {
		cp := *r
		out[i] = &cp
	}
	return out, nil
}

// change changes the stored rows as another session would.
func (s *service) change(f func(s *service)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *service) find(id int64) *row {
	for _, r := range s.rows {
		if r.id == id {
			return r
		}
	}
	return nil
}

// call records what was asked, and does it unless the service fails.
func (s *service) call(what string, do func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, what)
	if s.fail != nil {
		return s.fail
	}
	do()
	return nil
}

func (s *service) recorded() (loads int, calls []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loads, slices.Clone(s.calls)
}

func (s *service) failWith(err error) { s.change(func(s *service) { s.fail = err }) }

func locked(r *row) error {
	if r.locked {
		return domain.Errorf(domain.ECONFLICT, "test.locked", "locked")
	}
	return nil
}

func archivable(r *row) error {
	if r.archived {
		return domain.Errorf(domain.ECONFLICT, "test.archived", "archived")
	}
	return locked(r)
}

// harness drives a list screen of the test rows as a session would, and
// keeps what it said on the status line.
type harness struct {
	t      *testing.T
	m      *Model[*row]
	c      *common.Common
	svc    *service
	clock  *tuitest.Clock
	errs   []error
	status []string
	// filtered is the screen's own key's state.
	filtered bool
	// opened are the rows whose detail was asked for (Spec.Opened).
	opened []int64
}

// setup returns the harness before Init; svc nil: the server has no
// service for the screen.
func setup(t *testing.T, svc *service, roles ...domain.Role) *harness {
	if roles == nil {
		roles = []domain.Role{domain.RoleSecurity}
	}
	op := &domain.Operator{ID: 3, Name: "janis.ozols", FullName: "Jānis Ozols", Roles: roles}
	h := &harness{t: t, svc: svc, clock: tuitest.NewClock(testNow)}
	c := &common.Common{
		Ctx:      domain.WithActor(context.Background(), domain.Actor{OperatorID: op.ID, SessionID: "s1"}),
		Styles:   theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Operator: op, Now: h.clock.Now, Timers: h.clock, Width: 80, Height: 24,
	}
	c.SetLanguage(i18n.EN)
	h.c = c
	nameForm := func(title string) *form.Model {
		return form.New(c, title, nil, form.Field{ID: "name", Label: "test.name", Required: "test.name_required"})
	}
	h.m = New(c, Spec[*row]{
		Allowed:   func(op *domain.Operator) bool { return op.HasRole(domain.RoleSecurity) },
		RoleOnly:  "test.role_only",
		Topic:     "test",
		None:      "test.none",
		NoService: "test.no_service",
		ID:        func(r *row) int64 { return r.id },
		Version:   func(r *row) int64 { return r.version },
		Load:      Reads(func() bool { return svc != nil }, func(ctx context.Context) ([]*row, error) { return svc.list(ctx) }),
		Above:     func(int) []string { return []string{"ROWS"} },
		Columns: []Column[*row]{
			{Title: "test.col.id", Min: 14, Cell: func(r *row) string { return "#" + strconv.FormatInt(r.id, 10) }},
			{Title: "test.col.name", Min: 10, Weight: 1, Cell: name},
		},
		Summary: func(r *row, ok bool, w int) []string {
			if !ok {
				return []string{"nothing selected"}
			}
			return []string{"#" + strconv.FormatInt(r.id, 10) + " · " + name(r)}
		},
		SummaryLines: 3,
		Detail: func(r *row, w int) (head, body []string) {
			for i := range r.lines {
				body = append(body, "body line "+strconv.Itoa(i+1))
			}
			return []string{"ROW #" + strconv.FormatInt(r.id, 10) + " " + r.name}, body
		},
		OpenHelp: "test.open",
		Opened: func(r *row) tea.Cmd {
			h.opened = append(h.opened, r.id)
			return nil
		},
		Actions: []*Action[*row]{
			{Keys: []string{"e"}, Help: "test.rename", Rule: locked, Keep: true, Done: "test.renamed",
				Form: func(*row) *form.Model { return nameForm("test.rename_title") },
				Submit: func(f *form.Model, r *row) Send {
					if !f.Check() {
						return nil
					}
					id, name := r.id, f.Value("name")
					return Call(func(context.Context) error {
						return svc.call("rename "+strconv.FormatInt(id, 10)+" "+name, func() {
							svc.find(id).name = name
						})
					})
				}},
			{Keys: []string{"d"}, Help: "test.archive", Rule: archivable, Done: "test.archived", Close: true,
				Hint: "test.hint", Busy: "test.busy",
				Confirm: func(r *row, w int) []string { return []string{"ARCHIVE #" + strconv.FormatInt(r.id, 10) + "?"} },
				Send: func(r *row) Send {
					id := r.id
					return Call(func(context.Context) error {
						return svc.call("archive "+strconv.FormatInt(id, 10), func() { svc.find(id).archived = true })
					})
				}},
			{Keys: []string{"u"}, Help: "test.unlock", Detail: true, Done: "test.unlocked",
				Rule: func(r *row) error {
					if !r.locked {
						return domain.Errorf(domain.ECONFLICT, "test.not_locked", "not locked")
					}
					return nil
				},
				Send: func(r *row) Send {
					id := r.id
					return Call(func(context.Context) error {
						return svc.call("unlock "+strconv.FormatInt(id, 10), func() { svc.find(id).locked = false })
					})
				}},
			{Keys: []string{"n"}, Help: "test.new", Free: true, Done: "test.added",
				Form: func(*row) *form.Model { return nameForm("test.new_title") },
				Submit: func(f *form.Model, _ *row) Send {
					if !f.Check() {
						return nil
					}
					name := f.Value("name")
					return Call(func(context.Context) error { return svc.call("add "+name, func() { svc.add(name) }) })
				}},
		},
		Keys: []Key{{Keys: []string{"f"}, Help: "test.filter",
			Shown: func() bool { return !h.filtered },
			Run:   func() tea.Cmd { h.filtered = true; return h.m.Reset() }}},
	})
	return h
}

func name(r *row) string {
	if r.archived {
		return r.name + " (archived)"
	}
	return r.name
}

// newHarness returns the harness of svc's rows, read.
func newHarness(t *testing.T, svc *service) *harness {
	h := setup(t, svc)
	h.run(h.m.Init())
	return h
}

// run runs cmd and every command it leads to, taking the status line's
// messages aside.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	tuitest.Drain(h.t, h, cmd)
}

// press sends keys, each followed by what it leads to.
func (h *harness) press(keys ...tea.Msg) {
	h.t.Helper()
	tuitest.Send(h.t, h, keys...)
}

// typed types s.
func (h *harness) typed(s string) { h.t.Helper(); h.press(tuitest.Typed(s)...) }

// lastErr returns the catalog key of the latest error said, "" for none.
func (h *harness) lastErr() string {
	if len(h.errs) == 0 {
		return ""
	}
	return domain.AsError(h.errs[len(h.errs)-1]).Key
}

func (h *harness) lastStatus() string {
	if len(h.status) == 0 {
		return ""
	}
	return h.status[len(h.status)-1]
}

// Update makes the harness a tuitest.Model.
func (h *harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ErrorMsg:
		h.errs = append(h.errs, msg.Err)
	case common.StatusMsg:
		if msg.Key != "" {
			h.status = append(h.status, msg.Key)
		}
	default:
		return h, h.m.Update(msg)
	}
	return h, nil
}

func (h *harness) View() string  { return h.m.View() }
func (h *harness) Init() tea.Cmd { return nil }

// advance moves the clock on by d, each timer's message going through the
// screen.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	tuitest.Advance(h.t, h, h.clock, d)
}

// footer is the footer's keys as drawn ("e", "enter", …).
func (h *harness) footer() []string {
	var out []string
	for _, b := range h.m.ShortHelp() {
		out = append(out, b.Help().Key)
	}
	return out
}

// helpWords is every word of the help overlay, group by group.
func (h *harness) helpWords() [][]string {
	var out [][]string
	for _, group := range h.m.FullHelp() {
		var g []string
		for _, b := range group {
			g = append(g, b.Help().Key+" "+b.Help().Desc)
		}
		out = append(out, g)
	}
	return out
}

// selectRow moves the cursor to row id, which the pane under the list
// names as "#id ·".
func (h *harness) selectRow(id int64) {
	h.t.Helper()
	h.press(tuitest.Press(tea.KeyHome))
	for range 20 {
		if strings.Contains(tuitest.Screen(h), "#"+strconv.FormatInt(id, 10)+" ·") {
			return
		}
		h.press(down)
	}
	h.t.Fatalf("row #%d is not in the list:\n%s", id, tuitest.Screen(h))
}

var (
	enter = tuitest.Press(tea.KeyEnter)
	esc   = tuitest.Press(tea.KeyEsc)
	down  = tuitest.Press(tea.KeyDown)
)

func runes(s string) tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func change(topic string) tea.Msg { return common.ChangeMsg{Topic: topic, ID: "1"} }

func TestListview_LoadingThenRows_EmptySaysNone(t *testing.T) {
	h := setup(t, newService("alpha", "beta"))
	read := h.m.Init()
	tuitest.MustShow(t, h, "ROWS", "Loading…")
	tuitest.MustNotShow(t, h, "alpha")
	h.run(read)
	tuitest.MustShow(t, h, "ROWS", "[test.col.id]", "[test.col.name]", "#1 alpha", "#2 beta", "#1 · alpha")
	tuitest.MustNotShow(t, h, "Loading…", "[test.none]")
	tuitest.CheckFits(t, h, 80, 24, "the list")

	e := newHarness(t, newService())
	tuitest.MustShow(t, e, "ROWS", "[test.none]", "nothing selected")
	tuitest.MustNotShow(t, e, "Loading…")
}

// TestListview_SelectionFollowsItsRowAcrossReads: rows added before the
// selected one, or its name changed, leave the cursor on it; when it is
// gone the cursor stays where it was, within the list.
func TestListview_SelectionFollowsItsRowAcrossReads(t *testing.T) {
	svc := newService("alpha", "beta", "gamma")
	h := newHarness(t, svc)
	h.selectRow(2)
	svc.change(func(s *service) {
		s.rows = append([]*row{{id: 9, name: "first"}, {id: 8, name: "second"}}, s.rows...)
		s.find(2).name = "beta renamed"
	})
	h.press(runes("r"))
	tuitest.MustShow(t, h, "#2 · beta renamed")

	svc.change(func(s *service) { s.rows = s.rows[:3] }) // 9, 8, 1
	h.press(runes("r"))
	if r, ok := h.m.Selected(); !ok || r.id != 1 {
		t.Errorf("after the selected row and those below it went, selected %+v, want the last row #1", r)
	}
}

// TestListview_FeedBurst_ReadOnceAfterTheDebounce: a burst of the topic's
// changes is read once, when the debounce has passed since the first;
// other topics are not read at all.
func TestListview_FeedBurst_ReadOnceAfterTheDebounce(t *testing.T) {
	svc := newService("alpha")
	h := newHarness(t, svc)
	before, _ := svc.recorded()
	svc.change(func(s *service) { s.add("beta") })
	for range 5 {
		h.press(change("test"))
	}
	h.advance(debounce - time.Millisecond)
	if loads, _ := svc.recorded(); loads != before {
		t.Fatalf("read %d times before the debounce passed", loads-before)
	}
	h.advance(time.Millisecond)
	if loads, _ := svc.recorded(); loads != before+1 {
		t.Fatalf("a burst of five changes read %d times, want once", loads-before)
	}
	tuitest.MustShow(t, h, "#2 beta")
	h.advance(time.Second)
	if loads, _ := svc.recorded(); loads != before+1 {
		t.Errorf("read %d times after the burst's read", loads-before-1)
	}

	h.press(change("other"), change(""))
	h.advance(time.Second)
	if loads, _ := svc.recorded(); loads != before+1 || len(h.clock.Armed()) != 0 {
		t.Errorf("another topic's change read the list (%d reads) or armed %v", loads-before-1, h.clock.Armed())
	}

	// A later change is read again.
	h.press(change("test"))
	h.advance(debounce)
	if loads, _ := svc.recorded(); loads != before+2 {
		t.Errorf("a change after the burst read %d times, want once more", loads-before-1)
	}
}

// TestListview_OpenScrollBack: enter opens the selected row's detail, its
// body scrolls under the head with the line saying how far, esc goes back
// to the list; a row gone from the list closes its detail.
func TestListview_OpenScrollBack(t *testing.T) {
	svc := newService("alpha", "beta")
	h := newHarness(t, svc)
	h.selectRow(2)
	h.press(enter)
	tuitest.MustShow(t, h, "ROW #2 beta", "body line 1", "↕ 1/40")
	tuitest.MustNotShow(t, h, "ROWS")
	tuitest.CheckFits(t, h, 80, 24, "the detail")
	h.press(down, down)
	tuitest.MustShow(t, h, "↕ 3/40", "body line 3")
	tuitest.MustNotShow(t, h, "body line 2\n")
	h.press(tuitest.Press(tea.KeyPgDown), tuitest.Press(tea.KeyPgDown))
	tuitest.MustShow(t, h, "body line 40")
	tuitest.MustNotShow(t, h, "body line 1\n")
	h.press(tuitest.Press(tea.KeyPgUp), tuitest.Press(tea.KeyPgUp), tuitest.Press(tea.KeyUp))
	tuitest.MustShow(t, h, "↕ 1/40", "body line 1")

	// The open row as the feed's change has it, the screen asked again
	// for what its detail reads besides.
	svc.change(func(s *service) { s.find(2).name = "beta renamed" })
	h.press(change("test"))
	h.advance(debounce)
	tuitest.MustShow(t, h, "ROW #2 beta renamed")
	if !slices.Equal(h.opened, []int64{2, 2}) {
		t.Errorf("the detail's reads %v, want row 2 at opening and after the change", h.opened)
	}

	h.press(esc)
	tuitest.MustShow(t, h, "ROWS", "#2 · beta renamed")
	tuitest.MustNotShow(t, h, "ROW #2")

	h.press(enter)
	svc.change(func(s *service) { s.rows = s.rows[:1] })
	h.press(change("test"))
	h.advance(debounce)
	tuitest.MustShow(t, h, "ROWS", "#1 · alpha")
	tuitest.MustNotShow(t, h, "ROW #2")
	if !slices.Equal(h.opened, []int64{2, 2, 2}) {
		t.Errorf("the detail's reads %v: a row gone was asked for", h.opened)
	}
}

// TestListview_ActionsByTheirRule: the footer offers only the actions the
// selected row's rule allows; a refused key says the rule's refusal and
// opens nothing. A detail's action is offered in the detail only.
func TestListview_ActionsByTheirRule(t *testing.T) {
	svc := newService("alpha", "beta")
	svc.find(2).locked = true
	h := newHarness(t, svc)
	if got := h.footer(); !slices.Equal(got, []string{"e", "d", "n", "enter", "f", "↑/k", "↓/j", "r"}) {
		t.Errorf("footer on an unlocked row %v", got)
	}
	h.selectRow(2)
	if got := h.footer(); !slices.Equal(got, []string{"n", "enter", "f", "↑/k", "↓/j", "r"}) {
		t.Errorf("footer on a locked row %v: rename and delete offered", got)
	}
	for _, k := range []string{"e", "d"} {
		h.errs = nil
		h.press(runes(k))
		if got := h.lastErr(); got != "test.locked" || h.m.Typing() {
			t.Errorf("%s on a locked row said %q, typing %v; want test.locked and nothing open", k, got, h.m.Typing())
		}
	}
	// u is the detail's: nothing in the list.
	h.press(runes("u"))
	if _, calls := svc.recorded(); len(calls) != 0 {
		t.Errorf("calls %v from the list's keys on a locked row", calls)
	}

	h.press(enter)
	if got := h.footer(); !slices.Equal(got, []string{"u", "esc"}) {
		t.Errorf("detail footer on a locked row %v", got)
	}
	h.press(runes("u"))
	if _, calls := svc.recorded(); !slices.Equal(calls, []string{"unlock 2"}) || h.lastStatus() != "test.unlocked" {
		t.Fatalf("unlock: calls %v, status %v", calls, h.status)
	}
	tuitest.MustShow(t, h, "ROW #2 beta") // the detail stays open
	if got := h.footer(); !slices.Equal(got, []string{"e", "d", "esc"}) {
		t.Errorf("detail footer once unlocked %v", got)
	}
	h.press(runes("u"))
	if got := h.lastErr(); got != "test.not_locked" {
		t.Errorf("u on an unlocked row said %q", got)
	}

	// The screen's own key, offered while its Shown says so.
	h.press(esc, runes("f"))
	if !h.filtered || slices.Contains(h.footer(), "f") {
		t.Errorf("f: ran %v, footer %v", h.filtered, h.footer())
	}
}

// TestListview_Reset_ReadsAnewFromTheTop: a screen's key that changes what
// is listed (a filter, a page) reads again with the cursor on the first
// row, not on the row selected before.
func TestListview_Reset_ReadsAnewFromTheTop(t *testing.T) {
	svc := newService("alpha", "beta", "gamma")
	h := newHarness(t, svc)
	h.selectRow(3)
	before, _ := svc.recorded()
	h.press(runes("f"))
	if loads, _ := svc.recorded(); loads != before+1 {
		t.Errorf("f read %d times, want once", loads-before)
	}
	if r, ok := h.m.Selected(); !ok || r.id != 1 {
		t.Errorf("after the reset, selected %+v, want the first row", r)
	}
	// The next read keeps the selection again.
	h.selectRow(2)
	h.press(runes("r"))
	tuitest.MustShow(t, h, "#2 · beta")
}

// TestListview_FormCallFails_KeepsWhatWasTyped: a failed call leaves the
// form open with what was typed and the error; esc keeps a draft for the
// same row and version; success says Done and shows the row as it is.
func TestListview_FormCallFails_KeepsWhatWasTyped(t *testing.T) {
	svc := newService("alpha", "beta")
	h := newHarness(t, svc)
	h.press(runes("e"))
	if h.m.Form() == nil {
		t.Fatal("e opened no form")
	}
	tuitest.MustShow(t, h, "[test.rename_title]")
	h.press(enter) // empty
	if _, calls := svc.recorded(); len(calls) != 0 || h.m.Form() == nil {
		t.Fatalf("an empty name was sent (%v) or the form closed", calls)
	}
	tuitest.MustShow(t, h, "[test.name_required]")

	h.typed("Gamma one")
	svc.failWith(domain.Errorf(domain.EUNAVAILABLE, "test.away", "away"))
	h.press(enter)
	if _, calls := svc.recorded(); !slices.Equal(calls, []string{"rename 1 Gamma one"}) {
		t.Fatalf("calls %v", calls)
	}
	if f := h.m.Form(); f == nil || f.Value("name") != "Gamma one" || f.Busy {
		t.Fatalf("after a failed call the form is %v", f)
	}
	if h.lastErr() != "test.away" {
		t.Errorf("the failure said %q", h.lastErr())
	}
	tuitest.MustShow(t, h, "Gamma one", "[test.away]")

	// Left and opened again on the same row: the draft is back.
	h.press(esc)
	if h.m.Typing() {
		t.Fatal("esc left the form open")
	}
	h.press(runes("e"))
	if f := h.m.Form(); f == nil || f.Value("name") != "Gamma one" {
		t.Fatalf("the draft was not kept: %v", f)
	}
	h.press(esc, down, runes("e"))
	if f := h.m.Form(); f == nil || f.Value("name") != "" {
		t.Fatalf("row 1's draft came to row 2: %q", f.Value("name"))
	}
	h.press(esc)

	// Success: Done, and the list as it is now.
	svc.failWith(nil)
	h.selectRow(1)
	h.press(runes("e"))
	h.press(enter)
	if h.m.Typing() || h.lastStatus() != "test.renamed" {
		t.Fatalf("after success: typing %v, status %v", h.m.Typing(), h.status)
	}
	tuitest.MustShow(t, h, "#1 · Gamma one")

	// The draft went with the success (the row's version unchanged); a
	// row changed meanwhile (another version) does not take an old draft
	// either.
	h.press(runes("e"))
	if f := h.m.Form(); f == nil || f.Value("name") != "" {
		t.Errorf("the draft outlived its success: %q", f.Value("name"))
	}
	h.typed("stale")
	h.press(esc)
	svc.change(func(s *service) { s.find(1).version++ })
	h.press(runes("r"), runes("e"))
	if f := h.m.Form(); f == nil || f.Value("name") != "" {
		t.Errorf("a draft typed over version 1 came to version 2: %q", f.Value("name"))
	}
}

// TestListview_Confirmation: the confirmation shows its lines and Hint;
// esc sends nothing; enter sends, and the detail closes on success (the
// row still listed).
func TestListview_Confirmation(t *testing.T) {
	svc := newService("alpha", "beta")
	h := newHarness(t, svc)
	h.selectRow(2)
	h.press(enter, runes("d"))
	tuitest.MustShow(t, h, "ARCHIVE #2?", "[test.hint]")
	if !h.m.Typing() || !slices.Equal(h.footer(), []string{"enter", "esc"}) {
		t.Fatalf("the confirmation: typing %v, footer %v", h.m.Typing(), h.footer())
	}
	h.press(esc)
	if _, calls := svc.recorded(); len(calls) != 0 {
		t.Fatalf("esc sent %v", calls)
	}
	tuitest.MustShow(t, h, "ROW #2 beta") // back where it began

	// A failed call leaves the confirmation and says why.
	svc.failWith(domain.Errorf(domain.EUNAVAILABLE, "test.away", "away"))
	h.press(runes("d"), enter)
	if h.m.Typing() || h.lastErr() != "test.away" {
		t.Fatalf("after a failed call: typing %v, error %q", h.m.Typing(), h.lastErr())
	}

	// While the call runs, the last line says Busy and enter sends once.
	svc.failWith(nil)
	h.press(runes("d"))
	call := h.m.Update(enter)
	tuitest.MustShow(t, h, "[test.busy]")
	if again := h.m.Update(enter); again != nil {
		t.Error("a second enter during the call sent again")
	}
	h.run(call)
	if _, calls := svc.recorded(); !slices.Equal(calls, []string{"archive 2", "archive 2"}) {
		t.Fatalf("calls %v", calls)
	}
	if h.lastStatus() != "test.archived" {
		t.Errorf("status %v", h.status)
	}
	tuitest.MustShow(t, h, "ROWS", "#2 · beta (archived)")
	tuitest.MustNotShow(t, h, "ROW #2")
}

// TestListview_FreeAction_NeedsNoRow: "new" is offered and works on an
// empty list, and is not offered in a detail.
func TestListview_FreeAction_NeedsNoRow(t *testing.T) {
	svc := newService()
	h := newHarness(t, svc)
	if got := h.footer(); !slices.Equal(got, []string{"n", "f", "r"}) {
		t.Errorf("footer of an empty list %v", got)
	}
	h.press(runes("e"), runes("d"), enter)
	if h.m.Typing() {
		t.Fatal("a row's action began with no row")
	}
	h.press(runes("n"))
	tuitest.MustShow(t, h, "[test.new_title]")
	h.typed("delta")
	h.press(enter)
	if _, calls := svc.recorded(); !slices.Equal(calls, []string{"add delta"}) || h.lastStatus() != "test.added" {
		t.Fatalf("calls %v, status %v", calls, h.status)
	}
	tuitest.MustShow(t, h, "ROWS", "#1 · delta")

	h.press(enter)
	if slices.Contains(h.footer(), "n") {
		t.Errorf("the detail offers the free action: %v", h.footer())
	}
	h.press(runes("n"))
	if h.m.Typing() {
		t.Error("n began in a detail")
	}
}

// TestListview_NoService_RoleOnly: without the service the screen says
// so and reads nothing; an operator without the role sees the screen's
// words for others, and nothing is read.
func TestListview_NoService_RoleOnly(t *testing.T) {
	h := setup(t, nil)
	h.run(h.m.Init())
	tuitest.MustShow(t, h, "[test.no_service]")
	h.press(runes("n"), runes("r"), change("test"))
	if h.m.Typing() || len(h.clock.Armed()) != 0 {
		t.Errorf("a screen without its service took keys or changes")
	}

	svc := newService("alpha")
	o := setup(t, svc, domain.RoleHelpdesk)
	o.run(o.m.Init())
	o.press(runes("r"), change("test"))
	tuitest.MustShow(t, o, "[test.role_only]")
	tuitest.MustNotShow(t, o, "alpha")
	if loads, _ := svc.recorded(); loads != 0 {
		t.Errorf("read %d times for an operator without the role", loads)
	}
}

// TestListview_Help: the overlay lists the list's keys and the actions
// of the list (the detail's not), then in a detail every row action with
// the scrolling keys; words follow the operator's language.
func TestListview_Help(t *testing.T) {
	h := newHarness(t, newService("alpha"))
	want := [][]string{
		{"↑/k up", "↓/j down", "enter [test.open]", "f [test.filter]", "r refresh"},
		{"e [test.rename]", "d [test.archive]", "n [test.new]"},
	}
	if got := h.helpWords(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("list help %q, want %q", got, want)
	}
	h.press(enter)
	got := h.helpWords()
	if len(got) != 2 || !slices.Contains(got[0], "u [test.unlock]") || !slices.Contains(got[0], "esc back") ||
		!slices.Contains(got[1], "pgdn down") {
		t.Errorf("detail help %q", got)
	}
	h.press(esc)

	h.c.SetLanguage(i18n.LV)
	h.press(common.LanguageMsg{})
	if got := h.helpWords(); got[0][4] != "r atjaunot" {
		t.Errorf("help after the language changed %q", got)
	}
	if !slices.ContainsFunc(h.m.ShortHelp(), func(b key.Binding) bool { return b.Help().Desc == "atjaunot" }) {
		t.Error("the footer kept its English words")
	}
}
