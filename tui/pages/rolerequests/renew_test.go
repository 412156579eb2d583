package rolerequests

import (
	"context"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/theme"
)

func TestRenewal_TicksOnlyWhileARequestIsOpenAndHeld(t *testing.T) {
	if queue.RenewEvery >= domain.ClaimLease/2 {
		t.Fatalf("renewing every %v leaves no room for a retry within a lease of %v", queue.RenewEvery, domain.ClaimLease)
	}
	now := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	rr := fakes.NewRoleRequests()
	rr.Now = func() time.Time { return now }
	rr.Add(&domain.RoleRequest{ID: 1, State: domain.StatePending, CreatedAt: now.Add(-time.Hour), EmailConfirmedAt: now,
		Form: domain.RoleRequestForm{Kind: domain.KindCareerConsultant, FirstName: "Līga", LastName: "Kalniņa"}})
	op := &domain.Operator{ID: 3, Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleReviewer}}
	clock := tuitest.NewClock(now)
	c := &common.Common{
		Ctx:      domain.WithActor(context.Background(), domain.Actor{OperatorID: op.ID, Name: op.FullName, SessionID: "s1"}),
		Styles:   theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Services: common.Services{RoleRequests: rr, Audit: fakes.NewAudit(0)},
		Operator: op,
		Now:      func() time.Time { return now },
		Timers:   clock,
		Width:    80,
		Height:   20,
	}
	c.SetLanguage(i18n.LV)
	m := New(c)
	m.SetSize(80, 20)
	// feed runs cmd and what it leads to; ticking says whether a timer was
	// armed meanwhile (the clock's timers answer at once and fire only
	// when advanced, so nothing here waits).
	feed := func(cmd tea.Cmd) (ticking bool) {
		t.Helper()
		armed := len(clock.Armed())
		defer func() { ticking = len(clock.Armed()) > armed }()
		for i := 0; cmd != nil && i < 20; i++ {
			msgs := tuitest.Results(cmd)
			cmd = nil
			var next []tea.Cmd
			for _, msg := range msgs {
				if _, ok := msg.(common.StatusMsg); ok {
					continue
				}
				next = append(next, m.Update(msg))
			}
			cmd = tea.Batch(next...)
		}
		return ticking
	}
	if feed(m.Init()) {
		t.Error("the list ticks")
	}
	if feed(m.Update(tea.KeyMsg{Type: tea.KeyDown})) {
		t.Error("moving in the list ticks")
	}

	if !feed(m.Update(tea.KeyMsg{Type: tea.KeyEnter})) {
		t.Fatal("opening a request armed no renewal")
	}
	if len(rr.Claims()) != 1 {
		t.Fatalf("claims %v", rr.Claims())
	}
	if got := clock.Armed(); len(got) != 1 || got[0] != queue.RenewEvery {
		t.Fatalf("timers armed %v, want one renewal in %v", got, queue.RenewEvery)
	}
	// The renewal claims again and arms the next one.
	tuitest.Advance(t, page{m}, clock, queue.RenewEvery)
	if got := clock.Armed(); len(got) != 1 || got[0] != queue.RenewEvery {
		t.Errorf("a renewal armed %v, want the next renewal", got)
	}
	if len(rr.Claims()) != 2 {
		t.Errorf("the renewal did not claim: %v", rr.Claims())
	}

	if feed(m.Update(tea.KeyMsg{Type: tea.KeyEsc})) {
		t.Error("the list ticks after leaving the request")
	}
	// The timer armed before leaving fires once more, and ends.
	tuitest.Advance(t, page{m}, clock, queue.RenewEvery)
	if got := clock.Armed(); len(got) != 0 {
		t.Errorf("a renewal after leaving armed %v", got)
	}
	if len(rr.Claims()) != 2 || len(rr.Releases()) != 1 {
		t.Errorf("claims %v, releases %v", rr.Claims(), rr.Releases())
	}

	// A request held by another never ticks.
	rr.ClaimAs(1, 99, "Anna Kalniņa")
	if feed(m.Update(tea.KeyMsg{Type: tea.KeyEnter})) {
		t.Error("a read-only request ticks")
	}
	if o := m.Open(); o == nil || o.Owned {
		t.Fatal("the request should be open read-only")
	}
}

// page drives the page as a program would, for the clock's timers.
type page struct{ m *Model }

func (p page) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return p, p.m.Update(msg) }
func (p page) View() string                            { return p.m.View() }
func (p page) Init() tea.Cmd                           { return nil }
