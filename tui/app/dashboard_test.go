package app

import (
	"fmt"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/internal/fakes"
)

var fixedNow = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// fillQueues gives the dashboard the role-request, IMK and helpdesk
// queues, the IMK one empty, and returns the role requests' fake: 12
// pending requests, the oldest 3 h 5 min old, one at an institution for
// 30 seconds, 4 new tickets, the oldest 50 hours old, and the institutions'
// re-verification queue with one open item (and a passed one not counted).
func fillQueues(e *env, pending int) *fakes.RoleRequests {
	rr := fakes.NewRoleRequests()
	e.dash.RoleRequests, e.dash.IMK, e.dash.Helpdesk, e.dash.Reverify = rr, fakes.NewIMK(), fakes.NewHelpdesk(), fakes.NewReverify()
	e.dash.Reverify.Add(&domain.Reverification{State: domain.ReverifyOpen, CreatedAt: fixedNow.Add(-26 * time.Hour),
		Differences: []domain.Difference{domain.DiffNameChanged}})
	e.dash.Reverify.Add(&domain.Reverification{State: domain.ReverifyPassed, CreatedAt: fixedNow.Add(-90 * time.Hour)})
	for i := range pending {
		rr.Add(&domain.RoleRequest{State: domain.StatePending, CreatedAt: fixedNow.Add(-3*time.Hour - 5*time.Minute + time.Duration(i)*time.Second)})
	}
	rr.Add(&domain.RoleRequest{State: domain.StateAtInstitution, CreatedAt: fixedNow.Add(-30 * time.Second)})
	for i := range 4 {
		e.dash.Helpdesk.Add(&domain.Ticket{State: domain.TicketNew, CreatedAt: fixedNow.Add(-50*time.Hour + time.Duration(i)*time.Hour)})
	}
	return rr
}

func TestDashboard_RendersTilesAt80x24_InLatvianAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang i18n.Lang
		want []string
	}{
		{i18n.LV, []string{"Darba rindas", "12 gaida", "vecākais: 3 st. 5 min", "rinda ir tukša", "vecākais: 2 d. 2 st.", "vecākais: tikko", "vecākais: 1 d. 2 st.", "DB: savienots", "1 Pārskats"}},
		{i18n.EN, []string{"Work queues", "12 waiting", "oldest: 3 h 5 min", "the queue is empty", "oldest: 2 d 2 h", "oldest: just now", "oldest: 1 d 2 h", "DB: connected", "1 Dashboard"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			e := newEnv(t)
			fillQueues(e, 12)
			op := *e.reviewer
			op.Language = string(tc.lang)
			m := newModel(t, e, &op, withNow(clock))
			view := tuitest.Screen(m)
			for _, w := range tc.want {
				if !strings.Contains(view, w) {
					t.Errorf("view lacks %q:\n%s", w, view)
				}
			}
			cat := i18n.For(tc.lang)
			for _, q := range domain.DashboardQueues() {
				title := cat.T("queue." + q.Queue)
				if len(title) > 20 {
					title = title[:20]
				}
				if !strings.Contains(view, title) {
					t.Errorf("view lacks the title of queue %s (%q)", q.Queue, title)
				}
			}
			tuitest.CheckFits(t, m, 80, 24, "dashboard")
		})
	}
}

func TestDashboard_NoQueues_ShowsEmptyStateInLatvianAndEnglish(t *testing.T) {
	for lang, want := range map[i18n.Lang]string{i18n.LV: "Vēl nav nevienas darba rindas", i18n.EN: "There are no work queues yet"} {
		e := newEnv(t)
		op := *e.reviewer
		op.Language = string(lang)
		m := newModel(t, e, &op)
		if view := tuitest.Screen(m); !strings.Contains(view, want) {
			t.Errorf("%s: view lacks %q:\n%s", lang, want, view)
		}
		tuitest.CheckFits(t, m, 80, 24, "empty dashboard")
	}
}

func TestDashboard_FeedChange_ReloadsTilesOnceWithoutPolling(t *testing.T) {
	e := newEnv(t)
	rr := fillQueues(e, 0)
	m := newModel(t, e, e.reviewer)
	if strings.Contains(tuitest.Screen(m), "3 gaida") {
		t.Fatalf("requests waiting before any came:\n%s", tuitest.Screen(m))
	}
	before := e.dash.Calls()

	for range 3 {
		rr.Add(&domain.RoleRequest{State: domain.StatePending, CreatedAt: fixedNow.Add(-time.Minute)})
	}
	// A burst of changes is gathered into one reload, within a second.
	for i := range 5 {
		driver.Send(t, m, changeMsg(domain.Change{Topic: domain.TopicRoleRequest, ID: fmt.Sprint(i)}))
	}
	if got := e.dash.Calls() - before; got != 0 {
		t.Errorf("QueueTiles called %d times before the burst was over", got)
	}
	tuitest.Advance(t, m, e.clock, time.Second)
	if got := e.dash.Calls() - before; got != 1 {
		t.Errorf("QueueTiles called %d times after a burst of 5 changes, want 1", got)
	}
	if !strings.Contains(tuitest.Screen(m), "3 gaida") {
		t.Errorf("the reload is not shown:\n%s", tuitest.Screen(m))
	}

	// Without changes nothing is read again: no polling.
	calls := e.dash.Calls()
	tuitest.Advance(t, m, e.clock, time.Hour)
	if got := e.dash.Calls(); got != calls {
		t.Errorf("QueueTiles called %d more times in an hour without any change", got-calls)
	}
}
