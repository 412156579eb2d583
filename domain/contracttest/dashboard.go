package contracttest

import (
	"slices"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// DashboardHarness is an implementation of domain.DashboardService with
// the queues it counts, which the suite fills as the workflows would.
type DashboardHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.DashboardService
	// SeedRoleRequest stores a role request as RoleRequestHarness does.
	SeedRoleRequest(t *testing.T, s RoleRequestSeed) int64
	// SeedIMK stores an IMK application as IMKHarness does.
	SeedIMK(t *testing.T, s IMKSeed) int64
	// SeedTicket stores a ticket as HelpdeskHarness does.
	SeedTicket(t *testing.T, s TicketSeed) int64
	// SeedReverification stores a re-verification of a new institution in
	// state, created age ago, with one difference (a pass with none).
	SeedReverification(t *testing.T, state domain.ReverifyState, age time.Duration) int64
}

// RunDashboardService runs the dashboard's suite, each test on a harness
// of its own from newHarness: a tile per queue in domain.DashboardQueues'
// order, counting the items whose Queue rule puts them there.
func RunDashboardService(t *testing.T, newHarness func(t *testing.T) DashboardHarness) {
	run := func(name string, f func(t *testing.T, h DashboardHarness, tiles func() []domain.QueueTile)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			op := h.Operator(t, "inese.berzina", "Inese Bērziņa", "inese.berzina@viaa.gov.lv", domain.RoleReviewer)
			ctx := As(t, op, "s-inese")
			f(t, h, func() []domain.QueueTile {
				t.Helper()
				tiles, err := h.Service().QueueTiles(ctx)
				must(t, "QueueTiles", err)
				return tiles
			})
		})
	}

	run("NothingWaiting_EveryQueueEmpty_InOrder", func(t *testing.T, h DashboardHarness, tiles func() []domain.QueueTile) {
		h.SeedRoleRequest(t, RoleRequestSeed{State: domain.StateExpired}.filled())
		if got, want := tiles(), domain.DashboardQueues(); !slices.Equal(got, want) {
			t.Errorf("tiles %+v, want %+v", got, want)
		}
	})

	run("WaitingItems_CountedInTheirQueue_WithTheOldest", func(t *testing.T, h DashboardHarness, tiles func() []domain.QueueTile) {
		now := h.Now()
		for _, s := range []RoleRequestSeed{
			{State: domain.StatePending, Age: 3 * time.Hour},
			{State: domain.StatePending, Age: time.Hour},
			{State: domain.StateAtInstitution, Age: 2 * time.Hour},
			{State: domain.StateUnconfirmed, Age: 9 * time.Hour},
			{State: domain.StateExpired, Age: 99 * time.Hour},
		} {
			h.SeedRoleRequest(t, s.filled())
		}
		for _, s := range []IMKSeed{{State: domain.IMKNeedsReview, Age: 5 * time.Hour}, {State: domain.IMKChecking, Age: 8 * time.Hour}} {
			h.SeedIMK(t, s.filled())
		}
		for _, s := range []TicketSeed{
			{State: domain.TicketNew, Age: 50 * time.Hour},
			{State: domain.TicketInProgress, Age: 4 * time.Hour},
			{State: domain.TicketResolved, Age: 70 * time.Hour},
			{State: domain.TicketWaiting, Age: 60 * time.Hour},
		} {
			h.SeedTicket(t, s.filled())
		}
		for _, r := range []struct {
			state domain.ReverifyState
			age   time.Duration
		}{
			{domain.ReverifyOpen, 30 * time.Hour}, {domain.ReverifyOpen, 6 * time.Hour},
			{domain.ReverifyPassed, 90 * time.Hour}, {domain.ReverifyEscalated, 80 * time.Hour},
		} {
			h.SeedReverification(t, r.state, r.age)
		}
		want := domain.DashboardQueues()
		counts := map[string]struct {
			n   int64
			age time.Duration
		}{
			domain.QueueRoleRequests: {2, 3 * time.Hour}, domain.QueueRoleRequestsInstitution: {1, 2 * time.Hour},
			domain.QueueIMKReview: {1, 5 * time.Hour}, domain.QueueHelpdesk: {2, 50 * time.Hour},
			domain.QueueReverify: {2, 30 * time.Hour},
		}
		got := tiles()
		if len(got) != len(want) {
			t.Fatalf("tiles %+v, want one per queue of %+v", got, want)
		}
		for i, w := range want {
			c := counts[w.Queue]
			g := got[i]
			if g.Queue != w.Queue || g.Role != w.Role || g.Count != c.n || !near(g.Oldest, now.Add(-c.age)) {
				t.Errorf("tile %d = %+v, want %s for %s: %d waiting, the oldest %s ago", i, g, w.Queue, w.Role, c.n, c.age)
			}
		}
	})
}
