package storage_test

import (
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// runSweep runs a sweep as at now and fails the test on error or skip.
func runSweep(t testing.TB, sw *storage.Sweeper, name string, now time.Time) *domain.SweepRun {
	t.Helper()
	r, err := sw.RunSweep(t.Context(), name, now)
	if err != nil {
		t.Fatalf("RunSweep %s: %v", name, err)
	}
	if r.Skipped {
		t.Fatalf("RunSweep %s skipped", name)
	}
	return r
}

func (e *denialEnv) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSweep_RoleExpiry_EndsAndWarnsOnceAt30And7Days(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	sw := storage.NewSweeper(e.db, "test")
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	u := e.user(t, 0)
	inst := e.institution(t)
	v := e.user(t, inst)
	expired := e.assignment(t, u, 0, now.Add(-time.Hour))
	in20 := e.assignment(t, v, inst, now.Add(20*day))
	in5 := e.assignment(t, e.user(t, 0), 0, now.Add(5*day))
	e.assignment(t, e.user(t, 0), 0, now.Add(60*day))
	mails := func() int {
		return e.count(t, `SELECT count(*) FROM outbox WHERE template = 'role.expiry_warning'`)
	}

	r := runSweep(t, sw, storage.SweepRoleExpiry, now)
	if r.Changed != 3 {
		t.Errorf("first run changed %d, want 3 (1 ended, 2 warned)", r.Changed)
	}
	if e.count(t, `SELECT count(*) FROM role_assignments WHERE id = $1 AND ended_at IS NOT NULL AND end_reason = 'expired'`, expired) != 1 {
		t.Fatal("expired assignment not ended")
	}
	if got := e.count(t, `SELECT count(*) FROM role_expiry_warnings WHERE (assignment_id, days) IN (($1, 30), ($2, 7))`, in20, in5); got != 2 || mails() != 2 {
		t.Fatalf("warnings %d, mails %d; want the 30-day one for in20 and the 7-day one for in5", got, mails())
	}

	again := runSweep(t, sw, storage.SweepRoleExpiry, now)
	if again.Changed != 0 || mails() != 2 {
		t.Fatalf("second run changed %d, mails %d; want nothing new", again.Changed, mails())
	}

	later := runSweep(t, sw, storage.SweepRoleExpiry, now.Add(14*day))
	if later.Changed != 2 {
		t.Errorf("run 14 days later changed %d, want 2 (in5 ended, in20's 7-day warning)", later.Changed)
	}
	if mails() != 3 || e.count(t, `SELECT count(*) FROM role_expiry_warnings WHERE assignment_id = $1 AND days = 7`, in20) != 1 {
		t.Fatal("the 7-day warning was not sent once")
	}
	if e.count(t, `SELECT count(*) FROM sweep_runs WHERE sweep = 'role-expiry' AND finished_at IS NOT NULL`) != 3 {
		t.Fatal("runs not recorded")
	}
}

func TestSweep_AuthDeactivated_DeniesOnce_RespectsLift(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	sw := storage.NewSweeper(e.db, "test")
	now := time.Now().UTC().Truncate(time.Second)
	u := e.user(t, 0)
	other := e.user(t, 0)
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET auth_deactivated_at = $2 WHERE id = $1`, u, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	r := runSweep(t, sw, storage.SweepAuthDeactivated, now)
	if r.Changed != 1 || !e.signInDenied(t, u) || e.signInDenied(t, other) {
		t.Fatalf("changed %d; want only u denied", r.Changed)
	}
	list, _ := e.svc.ListDenials(t.Context(), domain.DenialFilter{SubjectKind: domain.SubjectPlatformUser, SubjectID: u})
	if len(list) != 1 || list[0].Ground != domain.GroundAuthDeactivated || list[0].RaisedBy != 0 || list[0].RaisedByName != "system" {
		t.Fatalf("denials = %+v", list)
	}
	if r := runSweep(t, sw, storage.SweepAuthDeactivated, now.Add(time.Minute)); r.Changed != 0 {
		t.Fatalf("second run changed %d", r.Changed)
	}
	if err := e.svc.Lift(as(t, e.ilze), list[0].ID, list[0].Version, "jauns autentifikācijas līdzeklis"); err != nil {
		t.Fatal(err)
	}
	if r := runSweep(t, sw, storage.SweepAuthDeactivated, now.Add(2*time.Minute)); r.Changed != 0 || e.signInDenied(t, u) {
		t.Fatal("the sweep undid a lift")
	}
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET auth_deactivated_at = $2 WHERE id = $1`, u, now.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if r := runSweep(t, sw, storage.SweepAuthDeactivated, now.Add(4*time.Minute)); r.Changed != 1 || !e.signInDenied(t, u) {
		t.Fatal("a new deactivation was not denied")
	}
}

// persons creates n natural persons due for the death check, Platform
// users each, with a fresh record in the Population Register mirror (as
// of the machine's clock), and returns their user ids.
func (e *denialEnv) persons(t testing.TB, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = e.user(t, 0)
	}
	if _, err := e.db.Pool().Exec(t.Context(), `
		INSERT INTO population_register (personal_code, fetched_at)
		SELECT personal_code, now() FROM platform_users WHERE id = ANY ($1::bigint[])
		ON CONFLICT (personal_code) DO NOTHING`, ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

// personOf returns the person of Platform user id.
func (e *denialEnv) personOf(t testing.TB, id int64) int64 {
	t.Helper()
	return int64(e.count(t, `SELECT person_id FROM platform_users WHERE id = $1`, id))
}

func TestSweep_Lease_HeldElsewhere_Skips(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	e.persons(t, 3)
	if _, err := e.db.Pool().Exec(t.Context(), `
		INSERT INTO sweep_leases (name, holder, expires_at) VALUES ('death-check', 'other/1', now() + interval '1 minute')`); err != nil {
		t.Fatal(err)
	}
	sw := storage.NewSweeper(e.db, "test")
	r, err := sw.RunSweep(t.Context(), storage.SweepDeathCheck, time.Now())
	if err != nil || !r.Skipped {
		t.Fatalf("RunSweep = %+v, %v; want skipped", r, err)
	}
	if e.count(t, `SELECT count(*) FROM sweep_runs`) != 0 || e.count(t, `SELECT count(*) FROM persons WHERE last_death_check_at IS NOT NULL`) != 0 {
		t.Fatal("a skipped run changed something")
	}
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE sweep_leases SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if r := runSweep(t, sw, storage.SweepDeathCheck, time.Now()); r.Checked != 3 {
		t.Fatalf("after the lease ran out: checked %d, want 3", r.Checked)
	}
	if e.count(t, `SELECT count(*) FROM sweep_leases`) != 0 {
		t.Fatal("the lease was not released")
	}
}

func TestSweep_ConcurrentInstances_EachPersonCheckedOnce(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	const n = 600
	e.persons(t, n)
	now := time.Now()
	var wg sync.WaitGroup
	runs := make([]*domain.SweepRun, 4)
	errs := make([]error, 4)
	start := make(chan struct{})
	for i := range runs {
		sw := storage.NewSweeper(e.db, "instance-"+itoa(int64(i)))
		sw.BatchSize = 50
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			runs[i], errs[i] = sw.RunSweep(t.Context(), storage.SweepDeathCheck, now)
		}()
	}
	close(start)
	wg.Wait()
	var checked int64
	ran := 0
	for i, r := range runs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !r.Skipped {
			ran++
		}
		checked += r.Checked
	}
	if checked != n {
		t.Fatalf("checked %d in all, want each of %d persons once", checked, n)
	}
	if got := e.count(t, `SELECT count(*) FROM sweep_runs`); got != ran || ran == 0 {
		t.Fatalf("%d runs recorded, %d ran", got, ran)
	}
}

func TestDeathCheck_DeceasedDenied_DueSpread_SecondRunChangesNothing(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	const n = 1200
	ids := e.persons(t, n)
	a := e.assignment(t, ids[0], 0, time.Now().Add(100*24*time.Hour))
	if _, err := e.db.Pool().Exec(t.Context(), `
		UPDATE population_register SET deceased_on = date '2026-10-01'
		 WHERE personal_code IN (SELECT personal_code FROM platform_users WHERE id = ANY ($1::bigint[]))`,
		[]int64{ids[0], ids[1], ids[2]}); err != nil {
		t.Fatal(err)
	}
	sw := storage.NewSweeper(e.db, "test")
	sw.BatchSize = 500
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	r := runSweep(t, sw, storage.SweepDeathCheck, now)
	if r.Checked != n || r.Changed != 3 {
		t.Fatalf("checked %d, changed %d; want %d and 3", r.Checked, r.Changed, n)
	}
	for _, id := range ids[:3] {
		if !e.signInDenied(t, id) {
			t.Fatalf("deceased person %d not denied", id)
		}
		h, _ := e.svc.SubjectHistory(t.Context(), domain.SubjectPlatformUser, id)
		if len(h) != 1 || h[0].Ground != domain.GroundDeath || h[0].State != domain.DenialInForce || h[0].RaisedBy != 0 {
			t.Fatalf("history of %d = %+v", id, h)
		}
	}
	if !e.suspended(t, a) {
		t.Fatal("the deceased person's role was not suspended")
	}
	if e.signInDenied(t, ids[3]) {
		t.Fatal("a living person was denied")
	}

	// Spread: the next checks fall evenly over the coming 183 days.
	const buckets = 6
	width := domain.DeathCheckInterval / buckets
	rows, err := e.db.Pool().Query(t.Context(), `
		SELECT death_check_due_at, last_death_check_at FROM persons WHERE deceased_on IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	var hist [buckets]int
	for rows.Next() {
		var due, last time.Time
		if err := rows.Scan(&due, &last); err != nil {
			t.Fatal(err)
		}
		if !last.Equal(now) || !due.After(now) || due.After(now.Add(domain.DeathCheckInterval)) {
			t.Fatalf("last check %v, due %v: want now and within the next 183 days", last, due)
		}
		hist[min(int(due.Sub(now)/width), buckets-1)]++
	}
	rows.Close()
	for i, c := range hist {
		if want := (n - 3) / buckets; c < want*6/10 || c > want*14/10 {
			t.Errorf("bucket %d holds %d checks, want about %d: %v", i, c, want, hist)
		}
	}

	if r := runSweep(t, sw, storage.SweepDeathCheck, now.Add(time.Minute)); r.Checked != 0 || r.Changed != 0 {
		t.Fatalf("second run checked %d, changed %d; want nothing", r.Checked, r.Changed)
	}

	// A full period later everyone is due once more, and the next due
	// dates stay in phase: exactly 183 days after the previous ones.
	before := map[int64]time.Time{}
	rows, _ = e.db.Pool().Query(t.Context(), `SELECT id, death_check_due_at FROM persons WHERE deceased_on IS NULL`)
	for rows.Next() {
		var id int64
		var due time.Time
		_ = rows.Scan(&id, &due)
		before[id] = due
	}
	rows.Close()
	later := now.Add(domain.DeathCheckInterval)
	// ¶32.8: a check counts on fresh register data only.
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE population_register SET fetched_at = $1`, later); err != nil {
		t.Fatal(err)
	}
	if r := runSweep(t, sw, storage.SweepDeathCheck, later); r.Checked != n-3 {
		t.Fatalf("a period later checked %d, want %d", r.Checked, n-3)
	}
	rows, _ = e.db.Pool().Query(t.Context(), `SELECT id, death_check_due_at FROM persons WHERE deceased_on IS NULL`)
	for rows.Next() {
		var id int64
		var due time.Time
		_ = rows.Scan(&id, &due)
		if got := due.Sub(before[id]); got != domain.DeathCheckInterval {
			t.Fatalf("person %d: next due moved by %v, want 183 days", id, got)
		}
	}
	rows.Close()
}

func TestDeathCheck_Report_CountsMonthsAndOverdue(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	ids := e.persons(t, 5)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	sw := storage.NewSweeper(e.db, "test")
	runSweep(t, sw, storage.SweepDeathCheck, now.AddDate(0, -2, 0))
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE persons SET death_check_due_at = '-infinity' WHERE id = $1`, e.personOf(t, ids[0])); err != nil {
		t.Fatal(err)
	}
	// ids[0], and whoever of the others fell due in the two months.
	second := runSweep(t, sw, storage.SweepDeathCheck, now)
	rep, err := e.svc.DeathCheckReport(t.Context(), now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Persons != 5 || rep.Overdue != 0 || len(rep.CheckedByMon) != 12 {
		t.Fatalf("report = %+v", rep)
	}
	if m := rep.CheckedByMon[11]; m.Month != "2026-11" || m.Count != second.Checked || second.Checked < 1 {
		t.Errorf("this month = %+v, want 2026-11: %d", m, second.Checked)
	}
	if m := rep.CheckedByMon[9]; m.Month != "2026-09" || m.Count != 5 {
		t.Errorf("two months ago = %+v, want 2026-09: 5", m)
	}
	if len(rep.DueNext) != 5 || rep.DueNext[0].DueAt.After(rep.DueNext[4].DueAt) {
		t.Errorf("DueNext = %+v", rep.DueNext)
	}

	// One person last checked 190 days ago, one registered 200 days ago
	// and never checked: both overdue.
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE persons SET last_death_check_at = $2 WHERE id = $1`, e.personOf(t, ids[1]), now.AddDate(0, 0, -190)); err != nil {
		t.Fatal(err)
	}
	fresh := e.user(t, 0)
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE persons SET created_at = $2 WHERE id = $1`, e.personOf(t, fresh), now.AddDate(0, 0, -200)); err != nil {
		t.Fatal(err)
	}
	rep, err = e.svc.DeathCheckReport(t.Context(), now)
	if err != nil || rep.Overdue != 2 {
		t.Fatalf("overdue = %d, %v; want 2", rep.Overdue, err)
	}
}

func TestSweep_Scheduler_RunsEachDueSweepOnce(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	sc := storage.NewScheduler(storage.NewSweeper(e.db, "test"), nil)
	sc.RunDue(t.Context())
	sc.RunDue(t.Context())
	// One run of each sweep (six since the re-verification of
	// institutions and the expiry of sanction suspensions, issue 17;
	// eight with issue 18's retention sweep and misuse signals).
	want := len(storage.SweepNames)
	if got := e.count(t, `SELECT count(*) FROM sweep_runs`); got != want || want != 8 {
		t.Fatalf("%d runs after two rounds within the intervals, want %d", got, want)
	}
	runs, err := e.svc.SweepRuns(t.Context(), 10)
	if err != nil || len(runs) != want || runs[0].FinishedAt.IsZero() {
		t.Fatalf("SweepRuns = %v, %v", runs, err)
	}
}
