package queue

import (
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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

// item is a queue item of the tests: decided once decided is set.
type item struct {
	id, version, holder int64
	holderName          string
	until               time.Time
	decided             bool
}

// service is an in-memory queue whose claims are operator me's; it
// records what was asked of it.
type service struct {
	mu                            sync.Mutex
	me                            int64
	items                         map[int64]*item
	claims, releases, finds, decs []int64
	decideErr                     error
}

func newService(me int64, ids ...int64) *service {
	s := &service{me: me, items: map[int64]*item{}}
	for _, id := range ids {
		s.items[id] = &item{id: id, version: 1}
	}
	return s
}

func (s *service) copyOf(id int64) *item { cp := *s.items[id]; return &cp }

func (s *service) list(_ context.Context, _ string) ([]*item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*item
	for _, id := range slices.Sorted(func(yield func(int64) bool) {
		for id := range s.items {
			if !yield(id) {
				return
			}
		}
	}) {
		out = append(out, s.copyOf(id))
	}
	return out, nil
}

func (s *service) find(_ context.Context, id int64) (*item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finds = append(s.finds, id)
	return s.copyOf(id), nil
}

func (s *service) claim(_ context.Context, id int64) (*item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.claims = append(s.claims, id)
	it := s.items[id]
	if it.holder != 0 && it.holder != s.me && testNow.Before(it.until) {
		return nil, domain.Errorf(domain.ECONFLICT, "test.claimed", "held")
	}
	it.holder, it.holderName, it.until = s.me, "Me", testNow.Add(domain.ClaimLease)
	return s.copyOf(id), nil
}

func (s *service) release(_ context.Context, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releases = append(s.releases, id)
	if it := s.items[id]; it.holder == s.me {
		it.holder, it.holderName = 0, ""
	}
	return nil
}

// set changes item id as another session would.
func (s *service) set(id int64, change func(*item)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(s.items[id])
}

// takeOver makes another operator the holder of item id.
func (s *service) takeOver(id int64) {
	s.set(id, func(it *item) {
		it.holder, it.holderName, it.until = 99, "Anna Kalniņa", testNow.Add(domain.ClaimLease)
	})
}

// failDecisions makes the decisions fail with err (nil: succeed).
func (s *service) failDecisions(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decideErr = err
}

func (s *service) decide(_ context.Context, id, version int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decs = append(s.decs, id)
	return s.decideErr
}

func (s *service) recorded() (claims, releases, finds, decs []int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.claims), slices.Clone(s.releases), slices.Clone(s.finds), slices.Clone(s.decs)
}

type testModel = Model[*item, string, struct{}]

// harness drives a queue of the test items as a session would, and keeps
// what the queue said on the status line.
type harness struct {
	t      *testing.T
	m      *testModel
	svc    *service
	op     *domain.Operator
	clock  *tuitest.Clock
	errs   []error
	status []string
}

func newHarness(t *testing.T, ids ...int64) *harness {
	op := &domain.Operator{ID: 3, Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleReviewer}}
	h := &harness{t: t, svc: newService(op.ID, ids...), op: op, clock: tuitest.NewClock(testNow)}
	c := &common.Common{
		Ctx:      domain.WithActor(context.Background(), domain.Actor{OperatorID: op.ID, SessionID: "s1"}),
		Styles:   theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Operator: op, Now: h.clock.Now, Timers: h.clock, Width: 80, Height: 24,
	}
	c.SetLanguage(i18n.EN)
	facts := func(it *item) Facts {
		return Facts{ID: it.id, Version: it.version, Open: !it.decided, Holder: Holder{ID: it.holder, Name: it.holderName, Until: it.until}}
	}
	decided := func(it *item) error {
		if it.decided {
			return domain.Errorf(domain.ECONFLICT, "test.decided", "decided")
		}
		return nil
	}
	svc := h.svc
	h.m = New(c, Spec[*item, string, struct{}]{
		Role: domain.RoleReviewer, Topic: "test", PageSize: 10,
		Words: Words{Lost: "test.lost", HeldBy: "test.held_by", Changed: "test.changed", NotHeld: "test.not_held"},
		Columns: []Column[*item]{{Title: "test.col", Min: 5, Cell: func(it *item) string { return "#" + strconv.FormatInt(it.id, 10) }},
			{Title: "test.holder", Min: 14, Cell: func(it *item) string { return h.m.Holder(it) }}},
		Filter:  func(search string, _ []int, _ Keyset, _ int) string { return search },
		Facts:   facts,
		Summary: func(it *item) []string { return []string{"#" + strconv.FormatInt(it.id, 10) + " ·"} },
		Heading: func(o *Open[*item, struct{}]) (string, string) { return "item", "" },
		Body:    func(o *Open[*item, struct{}], w int) string { return "" },
		Actions: []Action[*item, struct{}]{
			{Keys: []string{"a"}, Help: "test.decide", Rule: decided, Held: true, After: Leave, Done: "test.done",
				Form: func(o *Open[*item, struct{}]) *form.Model {
					return form.New(c, "test.form", nil, form.Field{ID: "note", Label: "test.note"})
				},
				Submit: func(f *form.Model, o *Open[*item, struct{}], version int64) Send {
					id := o.ID
					return Call(func(ctx context.Context) error { return svc.decide(ctx, id, version) })
				}},
			{Keys: []string{"c"}, Help: "test.claim", Rule: decided, Claims: true},
		},
		Service: Service[*item, string, struct{}]{List: svc.list, Find: svc.find, Claim: svc.claim, Release: svc.release},
	})
	h.m.SetSize(80, 24)
	h.run(h.m.Init())
	return h
}

// run runs cmd and every command it leads to, taking the status line's
// messages aside.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	for i := 0; cmd != nil; i++ {
		if i > 50 {
			h.t.Fatal("commands do not settle")
		}
		var next []tea.Cmd
		for _, msg := range tuitest.Results(cmd) {
			_, c := h.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
}

// press sends keys, each followed by what it leads to.
func (h *harness) press(keys ...tea.Msg) {
	h.t.Helper()
	for _, k := range keys {
		h.run(h.m.Update(k))
	}
}

// lastErr returns the catalog key of the latest error said, "" for none.
func (h *harness) lastErr() string {
	if len(h.errs) == 0 {
		return ""
	}
	return domain.AsError(h.errs[len(h.errs)-1]).Key
}

// Update makes the harness a tuitest.Model, for the clock's timers.
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
// queue.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	tuitest.Advance(h.t, h, h.clock, d)
}

var (
	enter = tea.KeyMsg{Type: tea.KeyEnter}
	esc   = tea.KeyMsg{Type: tea.KeyEsc}
)

func runes(s string) tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestModel_OpenClaims_EscReleases_AClaimAnsweredAfterLeavingIsGivenBack(t *testing.T) {
	h := newHarness(t, 1, 2)
	h.press(enter)
	if o := h.m.Open(); o == nil || !o.Owned || o.ID != 1 {
		t.Fatalf("open %+v, want item 1 held", o)
	}
	h.press(esc)
	claims, releases, _, _ := h.svc.recorded()
	if !slices.Equal(claims, []int64{1}) || !slices.Equal(releases, []int64{1}) || h.m.Open() != nil {
		t.Fatalf("claims %v, releases %v, open %v", claims, releases, h.m.Open())
	}

	// enter and esc come before the claim's answer is taken in.
	open := h.m.Update(enter)
	h.press(esc)
	h.run(open)
	if _, releases, _, _ := h.svc.recorded(); !slices.Equal(releases, []int64{1, 1}) {
		t.Errorf("releases %v: the claim made after leaving was kept", releases)
	}
}

// TestModel_ClaimUnderWay_AHoldersActionSaysSo proves the queue's answer
// to a decision key pressed while the claim that opening made has not
// answered yet: "taking it…", not "you do not hold it" (which the screens
// said before the component); once the claim holds, the key works.
func TestModel_ClaimUnderWay_AHoldersActionSaysSo(t *testing.T) {
	h := newHarness(t, 1)
	open := h.m.Update(enter)
	h.press(runes("a"))
	if got := h.lastErr(); got != "tui.queue.why.claiming" {
		t.Fatalf("a during the claim said %q, want tui.queue.why.claiming", got)
	}
	h.run(open)
	h.press(runes("a"))
	if !h.m.Typing() {
		t.Fatal("once the claim held, a opened no form")
	}

	// Held by another, the same key says who does not hold it.
	h.press(esc, esc)
	h.svc.takeOver(1)
	h.press(enter, runes("a"))
	if got := h.lastErr(); got != "test.not_held" {
		t.Errorf("a on an item another holds said %q, want test.not_held", got)
	}
}

func TestModel_Renewal_ClaimsAgain_LostClaimSaysWho_RoleLostCloses(t *testing.T) {
	h := newHarness(t, 1)
	h.press(enter)
	h.advance(RenewEvery)
	if claims, _, _, _ := h.svc.recorded(); len(claims) != 2 {
		t.Fatalf("claims %v after a renewal, want two", claims)
	}
	if got := h.clock.Armed(); len(got) != 1 {
		t.Fatalf("timers %v after a renewal, want the next one", got)
	}

	// The lease ran out and someone else took it: the renewal meets a
	// conflict, reads the item again and says who holds it now.
	h.svc.takeOver(1)
	h.advance(RenewEvery)
	if o := h.m.Open(); o == nil || o.Owned {
		t.Fatalf("open %+v: still held after the claim was lost", o)
	}
	if got := h.lastErr(); got != "test.lost" {
		t.Errorf("the lost claim said %q, want test.lost (%v)", got, h.errs)
	}
	if got := h.clock.Armed(); len(got) != 0 {
		t.Errorf("timers %v for an item no longer held", got)
	}

	// An operator who lost the role is taken back to the list at the
	// next renewal, the claim given back.
	h.svc.set(1, func(it *item) { it.holder = 0 })
	h.press(esc, enter)
	h.op.Roles = []domain.Role{domain.RoleHelpdesk}
	h.advance(RenewEvery)
	if h.m.Open() != nil {
		t.Fatal("the item stayed open after the role was taken away")
	}
	if _, releases, _, _ := h.svc.recorded(); len(releases) == 0 || releases[len(releases)-1] != 1 {
		t.Errorf("releases %v: the claim was not given back", releases)
	}
}

// TestModel_DecisionOnAnItemDecidedMeanwhile_KeepsTheFormAndSaysWhy: the
// service refuses with a conflict; the item read again answers with its
// own rule's refusal, in the form (what was typed kept) and on the status
// line.
func TestModel_DecisionOnAnItemDecidedMeanwhile_KeepsTheFormAndSaysWhy(t *testing.T) {
	h := newHarness(t, 1)
	h.press(enter, runes("a"), runes("checked"))
	h.svc.set(1, func(it *item) { it.decided = true })
	h.svc.failDecisions(domain.Errorf(domain.ECONFLICT, "test.changed_by_service", "changed"))
	h.press(enter)
	if _, _, _, decs := h.svc.recorded(); len(decs) != 1 {
		t.Fatalf("decisions %v", decs)
	}
	if got := h.lastErr(); got != "test.decided" {
		t.Errorf("the conflict was explained as %q, want the rule's test.decided", got)
	}
	if !h.m.Typing() || h.m.form == nil || h.m.form.Value("note") != "checked" {
		t.Fatal("the form was not kept with what was typed")
	}

	// A conflict the rule does not explain says the item changed.
	h.svc.set(1, func(it *item) { it.decided = false })
	h.press(enter)
	if got := h.lastErr(); got != "test.changed" {
		t.Errorf("an unexplained conflict said %q, want test.changed", got)
	}

	// Any other error is shown and the form kept; success leaves.
	h.svc.failDecisions(errors.New("away"))
	h.press(enter)
	if h.m.form == nil {
		t.Fatal("an error closed the form")
	}
	h.svc.failDecisions(nil)
	h.press(enter)
	if h.m.Open() != nil || len(h.status) == 0 || h.status[len(h.status)-1] != "test.done" {
		t.Errorf("after the decision: open %v, status %v", h.m.Open(), h.status)
	}
}

func TestModel_FeedChange_ReadsTheOpenItemOnlyWhenItChanged(t *testing.T) {
	h := newHarness(t, 1, 2)
	h.press(enter)
	_, _, finds, _ := h.svc.recorded()
	h.run(h.m.Update(common.ChangeMsg{Topic: "test", ID: "2"}))
	h.advance(time.Second)
	if _, _, now, _ := h.svc.recorded(); len(now) != len(finds) {
		t.Errorf("another item's change read the open one: finds %v → %v", finds, now)
	}
	h.run(h.m.Update(common.ChangeMsg{Topic: "test", ID: "1"}))
	h.run(h.m.Update(common.ChangeMsg{Topic: "other", ID: "1"}))
	h.advance(time.Second)
	if _, _, now, _ := h.svc.recorded(); len(now) != len(finds)+1 {
		t.Errorf("the open item's change: finds %v → %v, want one more", finds, now)
	}
}

// TestModel_AnotherQueuesMessages_AreNotTaken: two queues of the same
// types see each other's messages (every page sees every message); each
// takes only its own.
func TestModel_AnotherQueuesMessages_AreNotTaken(t *testing.T) {
	a, b := newHarness(t, 1), newHarness(t, 2)
	open := a.m.Update(enter)
	for _, msg := range tuitest.Results(open) {
		if cmd := b.m.Update(msg); cmd != nil {
			t.Errorf("queue b answered queue a's %T", msg)
		}
	}
	if b.m.Open() != nil {
		t.Fatal("queue b opened queue a's item")
	}
}

// A claim that runs out announces nothing (its holder's session or
// instance died): the list stops naming the holder when the lease ends,
// without a read.
func TestModel_ListForgetsAHolderWhenTheLeaseEnds(t *testing.T) {
	h := newHarness(t, 1, 2)
	h.svc.takeOver(1)
	h.press(common.ReloadMsg{})
	if !strings.Contains(h.View(), "Anna Kalniņa") {
		t.Fatalf("the list does not name the holder:\n%s", h.View())
	}
	_, _, finds, _ := h.svc.recorded()
	h.advance(domain.ClaimLease + 2*time.Second)
	if strings.Contains(h.View(), "Anna Kalniņa") {
		t.Fatalf("the list names a holder whose claim ended:\n%s", h.View())
	}
	if _, _, after, _ := h.svc.recorded(); len(after) != len(finds) {
		t.Errorf("the redraw read items: %v", after)
	}
}
