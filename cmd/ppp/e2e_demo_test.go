package main_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
)

// demoTables are the tables `ppp demo` fills; a second run changes none.
var demoTables = []string{
	"operators", "institutions", "platform_users", "role_assignments", "role_requests", "role_request_events",
	"terms_versions", "terms_acceptances", "announcements", "imk_applications", "population_register",
	"tickets", "inbound_messages", "ticket_replies", "pending_resets", "email_change_requests", "account_changes",
	"denials", "alerts", "sweep_runs", "eligibility_policies", "sign_in_attempts", "outbox",
}

// tableCounts counts the rows of demoTables, and of the IMK applications
// by state.
func tableCounts(t *testing.T, db *storage.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range demoTables {
		var n int64
		if err := db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = n
	}
	rows, err := db.Pool().Query(t.Context(), `SELECT state, count(*) FROM imk_applications GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			t.Fatal(err)
		}
		out["imk "+state] = n
	}
	return out
}

// TestDemo_EveryScreenHasWork_ForTheDemoOperator_AndASecondRunChangesNothing
// runs `ppp demo` as `make run` does and then asks every screen's service,
// as the operator "demo" (every role), for what the screen shows first:
// each has work. A second `ppp demo` changes no table's rows (only demo's
// password).
func TestDemo_EveryScreenHasWork_ForTheDemoOperator_AndASecondRunChangesNothing(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	first := in.mustRun(t, "", "demo", "--scale", "1000")
	if !strings.Contains(first.stdout, "Work for every screen") {
		t.Errorf("ppp demo did not say it loaded the screens' work:\n%s", first)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := storage.Open(ctx, in.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ops := storage.NewOperatorService(db)
	demo, err := ops.FindOperatorByName(ctx, demodata.OperatorDemo)
	if err != nil {
		t.Fatal(err)
	}
	reviewer, err := ops.FindOperatorByName(ctx, demodata.OperatorReviewer)
	if err != nil {
		t.Fatal(err)
	}
	ctx = domain.WithActor(ctx, domain.Actor{OperatorID: demo.ID, Name: demo.Name, SessionID: "e2e-demo", RemoteAddr: "127.0.0.1"})

	denials := storage.NewDenialService(db)
	defence := storage.NewDefenceService(db)
	// What each screen shows first (and its sub-views), by the README's
	// table of screens.
	screens := []struct {
		screen string
		items  func() (int, error)
	}{
		{"Dashboard: queues with work", func() (int, error) {
			tiles, err := storage.NewDashboardService(db).QueueTiles(ctx)
			n := 0
			for _, tile := range tiles {
				if tile.Count > 0 {
					n++
				}
			}
			return n, err
		}},
		{"Role requests", func() (int, error) {
			l, err := storage.NewRoleRequestService(db).ListRoleRequests(ctx, domain.RoleRequestFilter{})
			return len(l), err
		}},
		{"IMK", func() (int, error) {
			l, err := storage.NewIMKService(db, storage.NewMirrorRegisters(db, storage.Outage{}, nil)).ListIMK(ctx, domain.IMKFilter{})
			return len(l), err
		}},
		{"Helpdesk", func() (int, error) {
			l, err := storage.NewHelpdeskService(db).ListTickets(ctx, domain.TicketFilter{})
			return len(l), err
		}},
		{"Helpdesk: resets waiting for a second person", func() (int, error) {
			l, err := defence.PendingResets(ctx)
			return len(l), err
		}},
		{"Helpdesk: e-mail changes waiting for a second person", func() (int, error) {
			l, err := defence.PendingEmailChanges(ctx)
			return len(l), err
		}},
		{"Person merge conflicts", func() (int, error) {
			l, err := storage.NewPersonMergeService(db).OpenMergeConflicts(ctx)
			return len(l), err
		}},
		{"Terms of use", func() (int, error) {
			l, err := storage.NewTermsService(db).ListTermsVersions(ctx)
			return len(l), err
		}},
		{"Announcements", func() (int, error) {
			l, err := storage.NewAnnouncementService(db).ListAnnouncements(ctx)
			return len(l), err
		}},
		{"Denials", func() (int, error) {
			l, err := denials.ListDenials(ctx, domain.DenialFilter{})
			return len(l), err
		}},
		{"Denials: waiting for a second officer", func() (int, error) {
			l, err := denials.PendingApprovals(ctx)
			return len(l), err
		}},
		{"Denials: sweep runs", func() (int, error) {
			l, err := denials.SweepRuns(ctx, 0)
			return len(l), err
		}},
		{"Denials: death check", func() (int, error) {
			r, err := denials.DeathCheckReport(ctx, time.Now())
			if err != nil {
				return 0, err
			}
			return int(r.Persons), nil
		}},
		{"Operators", func() (int, error) {
			l, err := ops.ListOperators(ctx)
			return len(l), err
		}},
		{"Alerts", func() (int, error) {
			l, err := defence.OpenAlerts(ctx)
			return len(l), err
		}},
		{"Sign-ins (a colleague's, looked up)", func() (int, error) {
			l, err := defence.SignIns(ctx, reviewer.ID, time.Time{}, 0)
			return len(l), err
		}},
		{"Audit log", func() (int, error) {
			l, err := storage.NewAuditService(db).SearchAudit(ctx, domain.AuditFilter{})
			return len(l), err
		}},
		{"IMK policy: a draft", func() (int, error) {
			l, err := storage.NewPolicyService(db).ListPolicies(ctx)
			n := 0
			for _, p := range l {
				if p.State == domain.PolicyDraft {
					n++
				}
			}
			return n, err
		}},
		{"Bulk actions", func() (int, error) {
			l, err := storage.NewBulkService(db, denials, storage.NewRoleRequestService(db), nil).ListBulk(ctx, 10)
			return len(l), err
		}},
		{"Reports: figures of the decisions report with a list behind them", func() (int, error) {
			r, err := storage.NewReportService(db).Run(ctx, domain.ReportDecisions, domain.DefaultReportPeriod(time.Now()))
			n := 0
			if r != nil {
				for _, row := range r.Rows {
					for _, c := range row {
						if c.Drill != nil {
							n++
						}
					}
				}
			}
			return n, err
		}},
	}
	for _, s := range screens {
		n, err := s.items()
		if err != nil {
			t.Errorf("%s: %v", s.screen, err)
			continue
		}
		if n == 0 {
			t.Errorf("%s: nothing to show the demo operator", s.screen)
		}
	}

	// Every state of a denial is there to look at.
	all, err := denials.ListDenials(ctx, domain.DenialFilter{States: []domain.DenialState{domain.DenialPendingApproval,
		domain.DenialInForce, domain.DenialLiftPending, domain.DenialLifted, domain.DenialCancelled}, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	states, kinds, grounds := map[domain.DenialState]bool{}, map[domain.SubjectKind]bool{}, map[domain.Ground]bool{}
	for _, d := range all {
		states[d.State], kinds[d.SubjectKind], grounds[d.Ground] = true, true, true
	}
	if len(states) != 5 || len(kinds) != 3 || len(grounds) < 6 {
		t.Errorf("denials in states %v, of %v, on grounds %v; want all five states, three kinds of subject, six grounds",
			states, kinds, grounds)
	}
	runs, err := denials.SweepRuns(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	sweeps := map[string]bool{}
	for _, r := range runs {
		sweeps[r.Sweep] = true
	}
	for _, s := range storage.SweepNames {
		if !sweeps[s] {
			t.Errorf("no run of sweep %s", s)
		}
	}

	before := tableCounts(t, db)
	hash := func() string {
		var h string
		if err := db.Pool().QueryRow(ctx, `SELECT password_hash FROM operators WHERE name = 'demo'`).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	oldHash := hash()
	second := in.mustRun(t, "", "demo", "--scale", "1000")
	if strings.Contains(second.stdout, "Work for every screen") {
		t.Errorf("the second ppp demo loaded work again:\n%s", second)
	}
	after := tableCounts(t, db)
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d rows before the second ppp demo, %d after", k, n, after[k])
		}
	}
	if hash() == oldHash {
		t.Error("the second ppp demo did not give demo a new password")
	}
}
