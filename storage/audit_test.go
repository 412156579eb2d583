package storage_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// recordN appends n entries with actions "test.1" … "test.n".
func recordN(t *testing.T, db *storage.DB, n int) {
	t.Helper()
	s := storage.NewAuditService(db)
	for i := 1; i <= n; i++ {
		e := &domain.AuditEntry{Action: fmt.Sprintf("test.%d", i), SubjectKind: "thing", SubjectID: fmt.Sprint(i), Reason: "because", Details: "ā č ē ģ ī ķ ļ ņ š ū ž"}
		if err := s.RecordAudit(adminCtx(t), e); err != nil {
			t.Fatal(err)
		}
	}
}

// tamper runs sql with the audit log's triggers switched off, as a
// superuser with direct access could (the application's role may not:
// dbroles_attack_test.go); db names the test's database.
func tamper(t *testing.T, _ *storage.DB, sql string) {
	t.Helper()
	ctx := t.Context()
	conn, err := pgtest.NewAdminDB(t).Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SET session_replication_role = replica"); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(context.Background(), "RESET session_replication_role")
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

func verify(t *testing.T, db *storage.DB) *domain.AuditVerification {
	t.Helper()
	v, err := storage.NewAuditService(db).VerifyAudit(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantBad(t *testing.T, v *domain.AuditVerification, seq int64, problem string) {
	t.Helper()
	if v.OK || v.FirstBad != seq || !strings.Contains(v.Problem, problem) {
		t.Fatalf("verification = %+v, want first bad entry %d (%s)", v, seq, problem)
	}
}

func TestAuditVerify_EmptyLog_OK(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	if v := verify(t, db); !v.OK || v.Entries != 0 {
		t.Fatalf("verification = %+v, want OK with no entries", v)
	}
}

func TestAuditVerify_GoodChain_OK(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 5)
	if v := verify(t, db); !v.OK || v.Entries != 5 || v.FirstBad != 0 || v.Problem != "" {
		t.Fatalf("verification = %+v, want OK with 5 entries", v)
	}
}

func TestAuditVerify_AlteredRow_NamesIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 5)
	tamper(t, db, "UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 3")
	wantBad(t, verify(t, db), 3, "altered")
}

func TestAuditVerify_AlteredTimeByAMicrosecond_NamesIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 5)
	tamper(t, db, "UPDATE audit_log SET at = at + interval '1 microsecond' WHERE seq = 2")
	wantBad(t, verify(t, db), 2, "altered")
}

func TestAuditVerify_AlteredRowWithRecomputedHash_NamesTheNextRow(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 5)
	// A careful forger recomputes the altered entry's own hash; the next
	// entry still names the old one.
	tamper(t, db, `
		UPDATE audit_log AS a SET reason = 'nothing happened' WHERE seq = 3;
		UPDATE audit_log AS a SET hash = sha256(a.prev_hash || convert_to(audit_log_canonical(a), 'UTF8')) WHERE seq = 3`)
	wantBad(t, verify(t, db), 4, "does not follow")
}

func TestAuditVerify_DeletedMiddleRow_NamesIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 5)
	tamper(t, db, "DELETE FROM audit_log WHERE seq = 3")
	wantBad(t, verify(t, db), 3, "missing")
}

func TestAuditVerify_DeletedFirstRow_NamesIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 3)
	tamper(t, db, "DELETE FROM audit_log WHERE seq = 1")
	wantBad(t, verify(t, db), 1, "missing")
}

func TestAuditVerify_DeletedLastRow_NamesIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 5)
	tamper(t, db, "DELETE FROM audit_log WHERE seq = 5")
	wantBad(t, verify(t, db), 5, "missing")
}

func TestAuditLog_UpdateDeleteTruncate_RefusedByTheDatabase(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 3)
	ctx := t.Context()
	for _, sql := range []string{
		"UPDATE audit_log SET reason = 'x' WHERE seq = 2",
		"DELETE FROM audit_log WHERE seq = 3",
		"TRUNCATE audit_log",
		"UPDATE audit_head SET seq = 2",
		"DELETE FROM audit_head",
	} {
		_, err := db.Pool().Exec(ctx, sql)
		wantSQLState(t, err, "42501")
	}
	if v := verify(t, db); !v.OK || v.Entries != 3 {
		t.Fatalf("verification after refused changes = %+v", v)
	}
}

func TestAudit_RolledBackChange_LeavesNoEntry(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze")
	ctx := t.Context()

	// Hold the head of the chain, so that the change's audit entry waits
	// until its context runs out and the transaction rolls back (as a
	// superuser: the application's role may only read the head).
	blocker, err := pgtest.NewAdminDB(t).Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback(context.Background())
	if _, err := blocker.Exec(ctx, "SELECT FROM audit_head FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(adminCtx(t), 300*time.Millisecond)
	err = storage.NewOperatorService(db).SetOperatorDisabled(short, "ilze", true, "left")
	cancel()
	if err == nil {
		t.Fatal("the change committed without its audit entry")
	}
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	op, err := storage.NewOperatorService(db).FindOperatorByName(ctx, "ilze")
	if err != nil {
		t.Fatal(err)
	}
	if op.Disabled {
		t.Fatal("the change stayed although its audit entry was rolled back")
	}
	if got := auditActions(t, db); !slices.Equal(got, []string{domain.AuditOperatorCreate}) {
		t.Fatalf("audit = %v, want only the creation", got)
	}

	// The chain goes on from where it was.
	if err := storage.NewOperatorService(db).SetOperatorDisabled(adminCtx(t), "ilze", true, "left"); err != nil {
		t.Fatal(err)
	}
	if v := verify(t, db); !v.OK || v.Entries != 2 {
		t.Fatalf("verification = %+v", v)
	}
}

func TestAudit_EightConcurrentWriters_KeepOneChain(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewAuditService(db)
	const writers, each = 8, 50

	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			ctx := domain.WithActor(t.Context(), domain.Actor{Name: fmt.Sprintf("writer%d", w)})
			for i := range each {
				if err := s.RecordAudit(ctx, &domain.AuditEntry{Action: "test.concurrent", Details: fmt.Sprint(i)}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	v := verify(t, db)
	if !v.OK || v.Entries != writers*each {
		t.Fatalf("verification = %+v, want one chain of %d entries", v, writers*each)
	}
	var minSeq, maxSeq, count int64
	if err := db.Pool().QueryRow(t.Context(), "SELECT min(seq), max(seq), count(*) FROM audit_log").Scan(&minSeq, &maxSeq, &count); err != nil {
		t.Fatal(err)
	}
	if minSeq != 1 || maxSeq != writers*each || count != writers*each {
		t.Fatalf("seq runs %d..%d over %d rows", minSeq, maxSeq, count)
	}
}

func TestAuditRecord_ActorComesFromTheContextNotTheEntry(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ilze := newOperator(t, db, "ilze")
	ctx := domain.WithActor(t.Context(), domain.Actor{OperatorID: ilze.ID, Name: "ilze", SessionID: "s7", RemoteAddr: "198.51.100.7:1"})
	e := &domain.AuditEntry{ActorID: ilze.ID + 1, ActorName: "admin", Action: "person.reveal", SubjectKind: "person", SubjectID: "42", Reason: "a call"}
	if err := storage.NewAuditService(db).RecordAudit(ctx, e); err != nil {
		t.Fatal(err)
	}
	if e.Seq != 2 || e.At.IsZero() || len(e.Hash) != 64 {
		t.Fatalf("entry not filled in: %+v", e)
	}
	r := auditRows(t, db)[1] // after the operator's creation
	if r.ActorID != ilze.ID || r.ActorName != "ilze" || r.SessionID != "s7" || r.RemoteAddr != "198.51.100.7:1" {
		t.Fatalf("stored %+v, want the context's actor", r)
	}

	wantError(t, storage.NewAuditService(db).RecordAudit(ctx, &domain.AuditEntry{Action: " "}), domain.EINVALID, "audit.no_action")

	ctx = t.Context() // no actor: the system
	if err := storage.NewAuditService(db).RecordAudit(ctx, &domain.AuditEntry{Action: "job.run"}); err != nil {
		t.Fatal(err)
	}
	if r := auditRows(t, db)[2]; r.ActorName != "system" || r.ActorID != 0 {
		t.Fatalf("stored %+v, want the system", r)
	}
}

func TestAuditRecord_PersonalCodes_MaskedEverywhere(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewAuditService(db)
	e := &domain.AuditEntry{
		Action:      "person.reveal",
		SubjectKind: "person",
		SubjectID:   "180565-05610",
		Reason:      "caller gave 061193-06460 and 32550128526",
		Details:     "code=18056505610; company 40003521600; phone 29123456; seq 2024-05-01",
	}
	if err := s.RecordAudit(adminCtx(t), e); err != nil {
		t.Fatal(err)
	}
	r := auditRows(t, db)[0]
	if r.SubjectID != "180565-*****" {
		t.Errorf("subject = %q", r.SubjectID)
	}
	if want := "caller gave 061193-***** and 325501-*****"; r.Reason != want {
		t.Errorf("reason = %q, want %q", r.Reason, want)
	}
	if want := "code=180565-*****; company 40003521600; phone 29123456; seq 2024-05-01"; r.Details != want {
		t.Errorf("details = %q, want %q", r.Details, want)
	}

	// The hidden digits are nowhere to be found, and the whole code finds
	// only entries about the person it names (none here), never the
	// masked codes of others born the same day.
	for _, q := range []string{"05610", "180565-05610", "18056505610"} {
		found, err := s.SearchAudit(t.Context(), domain.AuditFilter{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(found) != 0 {
			t.Errorf("searching %q found %d entries, want none", q, len(found))
		}
	}
}

func TestAuditRecord_SeparatorAndNulInText_StoredAndVerified(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	e := &domain.AuditEntry{Action: "test.odd", Reason: "a\x1fb\x00c", Details: "\xff"}
	if err := storage.NewAuditService(db).RecordAudit(adminCtx(t), e); err != nil {
		t.Fatal(err)
	}
	if v := verify(t, db); !v.OK {
		t.Fatalf("verification = %+v", v)
	}
}

func TestAuditSearch_FiltersAndPagesNewestFirst(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewAuditService(db)
	clock := useClock(db)
	start := clock.now()
	for i := 1; i <= 120; i++ {
		actor := domain.Actor{Name: []string{"ilze", "janis"}[i%2]}
		action := []string{domain.AuditSignIn, domain.AuditOperatorRoles, domain.AuditSignInFailure}[i%3]
		e := &domain.AuditEntry{Action: action, SubjectKind: "operator", SubjectID: fmt.Sprint(i), Reason: fmt.Sprintf("reason %d", i)}
		if i == 77 {
			e.Details = "50%_off"
		}
		if err := s.RecordAudit(domain.WithActor(t.Context(), actor), e); err != nil {
			t.Fatal(err)
		}
		clock.advance(time.Minute)
	}
	ctx := t.Context()
	seqs := func(es []*domain.AuditEntry) []int64 {
		var out []int64
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}

	page, err := s.SearchAudit(ctx, domain.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 50 || page[0].Seq != 120 || page[49].Seq != 71 {
		t.Fatalf("default page = %v, want 120 down to 71", seqs(page))
	}
	next, err := s.SearchAudit(ctx, domain.AuditFilter{BeforeSeq: page[49].Seq, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(next) != 70 || next[0].Seq != 70 || next[69].Seq != 1 {
		t.Fatalf("next page = %v, want 70 down to 1", seqs(next))
	}

	auth, err := s.SearchAudit(ctx, domain.AuditFilter{Action: "auth.", Actor: "ilze", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range auth {
		if !strings.HasPrefix(e.Action, "auth.") || e.ActorName != "ilze" {
			t.Fatalf("filtered search returned %+v", e)
		}
	}
	if len(auth) != 40 { // even i (ilze) and i%3 != 1 (auth.*): 60 × 2/3
		t.Fatalf("found %d auth entries by ilze, want 40", len(auth))
	}

	text, err := s.SearchAudit(ctx, domain.AuditFilter{Text: "REASON 7"})
	if err != nil {
		t.Fatal(err)
	}
	if got := seqs(text); !slices.Equal(got, []int64{79, 78, 77, 76, 75, 74, 73, 72, 71, 70, 7}) {
		t.Fatalf("text search = %v", got)
	}
	// As wildcards, "0%_" would match every "reason 10" and more.
	wild, err := s.SearchAudit(ctx, domain.AuditFilter{Text: "0%_"})
	if err != nil {
		t.Fatal(err)
	}
	if got := seqs(wild); !slices.Equal(got, []int64{77}) {
		t.Fatalf("search for a literal 0%%_ = %v, want only 77", got)
	}

	window, err := s.SearchAudit(ctx, domain.AuditFilter{Since: start.Add(10 * time.Minute), Until: start.Add(13 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if got := seqs(window); !slices.Equal(got, []int64{13, 12, 11}) {
		t.Fatalf("time window = %v, want 13 12 11", got)
	}
}

func BenchmarkAppendAudit(b *testing.B) {
	db := pgtest.NewDB(b)
	s := storage.NewAuditService(db)
	ctx := domain.WithActor(b.Context(), domain.Actor{Name: "bench", SessionID: "s", RemoteAddr: "198.51.100.7:1"})
	for b.Loop() {
		err := s.RecordAudit(ctx, &domain.AuditEntry{Action: "bench.append", SubjectKind: "operator", SubjectID: "1", Details: "roles=admin"})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// TestAuditPending_SealedInOrderAppendOnly checks the pending audit
// entries of migration 0072: they cannot be changed or removed except by
// sealing, which chains them in the order they were written, once each,
// after the entries already on the chain; search and verification seal
// first.
func TestAuditPending_SealedInOrderAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := t.Context()
	svc := storage.NewAuditService(db)
	for i := range 3 {
		if _, err := db.Pool().Exec(ctx, `
			INSERT INTO audit_pending (at, actor_name, action, subject_kind, subject_id)
			VALUES (now(), 'anna', 'test.pending', 'thing', $1)`, strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, stmt := range []string{
		`UPDATE audit_pending SET subject_id = 'x'`,
		`DELETE FROM audit_pending`,
		`TRUNCATE audit_pending`,
	} {
		if _, err := db.Pool().Exec(ctx, stmt); err == nil {
			t.Errorf("%s was allowed", stmt)
		}
	}
	// Search seals first: every pending entry is found, in order.
	found, err := svc.SearchAudit(ctx, domain.AuditFilter{Action: "test.pending"})
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, e := range found {
		subjects = append([]string{e.SubjectID}, subjects...) // newest first
	}
	if strings.Join(subjects, ",") != "0,1,2" {
		t.Errorf("sealed in order %v, want 0,1,2", subjects)
	}
	var pending int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_pending`).Scan(&pending); err != nil || pending != 0 {
		t.Errorf("%d left pending, %v", pending, err)
	}
	if n, err := svc.SealAudit(ctx); err != nil || n != 0 {
		t.Errorf("a second seal moved %d, %v", n, err)
	}
	v, err := svc.VerifyAudit(ctx)
	if err != nil || !v.OK || v.Entries != 3 {
		t.Errorf("verify after sealing: %+v, %v", v, err)
	}
}
