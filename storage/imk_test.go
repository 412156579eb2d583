package storage_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// newCode is the i-th new-form personal code of a test.
func newCode(i int) string { return fmt.Sprintf("32%09d", i) }

// seedApplications inserts n applied applications for newCode(0…n-1).
func seedApplications(t testing.TB, db *storage.DB, n int) {
	t.Helper()
	_, err := db.Pool().Exec(t.Context(), `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email, applied_at)
		SELECT '32' || lpad(i::text, 9, '0'), 'Anna', 'Bērziņa', 'anna' || i || '@example.lv',
		       now() - interval '1 hour' + i * interval '1 ms'
		  FROM generate_series(0, $1 - 1) AS i`, n)
	if err != nil {
		t.Fatal(err)
	}
}

func TestIMKChecker_TwoWorkers_EachApplicationOnce(t *testing.T) {
	t.Parallel()
	// Enough applications for the two workers' batches to interleave
	// many times over.
	const n = 1_000
	db := pgtest.NewDB(t)
	codes := make([]string, n)
	for i := range codes {
		codes[i] = newCode(i)
	}
	importAll(t, db, codes...)
	seedApplications(t, db, n)
	regs := storage.NewMirrorRegisters(db, storage.Outage{}, nil)
	var wg sync.WaitGroup
	totals := make([]int, 2)
	errs := make([]error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := storage.NewIMKChecker(db, regs)
			for {
				p, err := c.RunOnce(t.Context(), 20)
				if err != nil {
					errs[w] = err
					return
				}
				if p == 0 {
					return
				}
				totals[w] += p
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if totals[0]+totals[1] != n || totals[0] == 0 || totals[1] == 0 {
		t.Fatalf("processed %v, want %d in all by both workers", totals, n)
	}
	if c := countRows(t, db, `SELECT count(*) FROM imk_applications WHERE state = 'approved' AND check_attempts = 1`); c != n {
		t.Fatalf("%d approved once, want %d", c, n)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_log WHERE action LIKE 'imk.check.%'`); c != n {
		t.Fatalf("%d audit entries, want %d", c, n)
	}
	if c := countRows(t, db, `SELECT count(*) FROM outbox WHERE template = 'imk.auto_approved'`); c != n {
		t.Fatalf("%d mails, want %d", c, n)
	}
}

func TestIMKChecker_Outage_NeedsReviewNotErrors(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	importAll(t, db, newCode(0), newCode(1), newCode(2))
	seedApplications(t, db, 3)
	regs := storage.NewMirrorRegisters(db, storage.Outage{FailureRate: 1}, rand.NewPCG(7, 7))
	p, err := storage.NewIMKChecker(db, regs).RunOnce(t.Context(), 10)
	if err != nil || p != 3 {
		t.Fatalf("RunOnce = %d, %v", p, err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM imk_applications WHERE state = 'needs_review' AND 'alive' = ANY (review_why)`); c != 3 {
		t.Fatalf("%d in review, want 3", c)
	}
}

func TestIMKChecker_StaleChecking_RetriedAfterLease(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	importAll(t, db, newCode(0))
	seedApplications(t, db, 1)
	if _, err := db.Pool().Exec(t.Context(), `UPDATE imk_applications SET state = 'checking', check_attempts = 1,
		check_lease_until = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	p, err := storage.NewIMKChecker(db, storage.NewMirrorRegisters(db, storage.Outage{}, nil)).RunOnce(t.Context(), 10)
	if err != nil || p != 1 {
		t.Fatalf("RunOnce = %d, %v", p, err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM imk_applications WHERE state = 'approved' AND check_attempts = 2`); c != 1 {
		t.Fatal("the stale application was not retried")
	}
}

func TestIMK_ReviewDecide_ApproveOnceThenConflict(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	newOperator(t, db, "rev.one")
	newOperator(t, db, "rev.two")
	var one, two int64
	_ = db.Pool().QueryRow(t.Context(), `SELECT id FROM operators WHERE name = 'rev.one'`).Scan(&one)
	_ = db.Pool().QueryRow(t.Context(), `SELECT id FROM operators WHERE name = 'rev.two'`).Scan(&two)
	ctx1 := domain.WithActor(t.Context(), domain.Actor{OperatorID: one, Name: "rev.one", SessionID: "s1"})
	ctx2 := domain.WithActor(t.Context(), domain.Actor{OperatorID: two, Name: "rev.two", SessionID: "s2"})

	regs := storage.NewMirrorRegisters(db, storage.Outage{}, nil)
	svc := storage.NewIMKService(db, regs)
	if _, err := svc.ApplyIMK(t.Context(), "180565-05611", "", "", "x"); domain.ErrorCode(err) != domain.EINVALID || len(domain.AsError(err).Problems) != 4 { // personal code, first name, last name, e-mail (one problem per field since issue 15)
		t.Fatalf("invalid application: %v", err)
	}
	id, err := svc.ApplyIMK(t.Context(), newCode(5), "Anna", "Bērziņa", "anna@example.lv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ApplyIMK(t.Context(), newCode(5), "Anna", "Bērziņa", "anna@example.lv"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("second active application: %v", err)
	}
	// No register data: the check cannot pass.
	if _, err := storage.NewIMKChecker(db, regs).RunOnce(t.Context(), 10); err != nil {
		t.Fatal(err)
	}
	list, err := svc.ListIMK(ctx1, domain.IMKFilter{})
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].Evaluation == nil || list[0].Evaluation.Outcome != domain.OutcomeNeedsReview {
		t.Fatalf("review queue %v, %v", list, err)
	}
	if _, err := svc.ClaimIMK(ctx1, id); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ClaimIMK(ctx2, id); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("second claim: %v", err)
	}
	importAll(t, db, newCode(5))
	a, err := svc.Refetch(ctx1, id)
	if err != nil || a.State != domain.IMKNeedsReview || a.Evaluation.Outcome != domain.OutcomeEligible {
		t.Fatalf("refetch %+v, %v", a, err)
	}
	if err := svc.DecideIMK(ctx1, id, a.Version, true, ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("no reason: %v", err)
	}
	if err := svc.DecideIMK(ctx2, id, a.Version, true, "ok"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("decision by a non-holder: %v", err)
	}
	if err := svc.DecideIMK(ctx1, id, a.Version, true, "registers confirm"); err != nil {
		t.Fatal(err)
	}
	if err := svc.DecideIMK(ctx1, id, a.Version, true, "again"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("second approval: %v", err)
	}
	got, err := svc.FindIMK(ctx1, id)
	if err != nil || got.State != domain.IMKApproved || got.DecidedBy != one || got.ClaimedBy != 0 {
		t.Fatalf("after decision %+v, %v", got, err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditIMKApproved+`' AND actor_id = $1`, one); c != 1 {
		t.Fatal("the approval was not audited")
	}
	if c := countRows(t, db, `SELECT count(*) FROM outbox WHERE template = '`+domain.AuditIMKApproved+`'`); c != 1 {
		t.Fatal("no approval mail")
	}
}

func TestEligibilityPolicies_ApprovedVersionNeverChanges(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	_, err := db.Pool().Exec(t.Context(), `UPDATE eligibility_policies SET min_age = 25 WHERE version = 1`)
	if err == nil {
		t.Fatal("an approved policy changed in place")
	}
}

// BenchmarkIMKChecker_10k checks 10,000 applications through the database.
func BenchmarkIMKChecker_10k(b *testing.B) {
	const n = 10_000
	for b.Loop() {
		b.StopTimer()
		db := pgtest.NewDB(b)
		codes := make([]string, n)
		for i := range codes {
			codes[i] = newCode(i)
		}
		importAll(b, db, codes...)
		seedApplications(b, db, n)
		c := storage.NewIMKChecker(db, storage.NewMirrorRegisters(db, storage.Outage{}, nil))
		b.StartTimer()
		start := time.Now()
		total := 0
		for {
			p, err := c.RunOnce(b.Context(), 200)
			if err != nil {
				b.Fatal(err)
			}
			if p == 0 {
				break
			}
			total += p
		}
		b.ReportMetric(float64(total)/time.Since(start).Seconds(), "applications/s")
	}
}
