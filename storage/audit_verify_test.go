package storage_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/auditgen"
	"github.com/viaa/ppp/storage/pgtest"
)

// rewriteAsDBA changes the reason of entry seq and recomputes the hash of
// every entry from it to the end and the head, with the triggers off: what
// the owner of the database (a DBA) can do, and what issue 15's attack
// did with the application's credentials. The chain is consistent again.
func rewriteAsDBA(t *testing.T, db *storage.DB, seq int64) {
	t.Helper()
	tamper(t, db, `
		UPDATE audit_log SET reason = 'nothing happened' WHERE seq = `+itoa(seq)+`;
		DO $$
		DECLARE
		    e    audit_log;
		    prev bytea;
		BEGIN
		    SELECT coalesce((SELECT hash FROM audit_log WHERE seq = `+itoa(seq-1)+`), decode(repeat('00', 32), 'hex')) INTO prev;
		    FOR e IN SELECT * FROM audit_log WHERE seq >= `+itoa(seq)+` ORDER BY seq LOOP
		        e.prev_hash := prev;
		        e.hash := sha256(prev || convert_to(audit_log_canonical(e), 'UTF8'));
		        UPDATE audit_log SET prev_hash = e.prev_hash, hash = e.hash WHERE seq = e.seq;
		        prev := e.hash;
		    END LOOP;
		    UPDATE audit_head SET hash = prev;
		END
		$$`)
}

// truncateAsDBA removes the entries from seq on and sets the head to the
// entry before, as a DBA could.
func truncateAsDBA(t *testing.T, db *storage.DB, seq int64) {
	t.Helper()
	tamper(t, db, `
		DELETE FROM audit_log WHERE seq >= `+itoa(seq)+`;
		UPDATE audit_head SET seq = `+itoa(seq-1)+`, hash = (SELECT hash FROM audit_log WHERE seq = `+itoa(seq-1)+`)`)
}

// checkpoint verifies the log (resuming) and signs its head with key, as
// the server does every hour.
func checkpoint(t *testing.T, db *storage.DB, key ed25519.PrivateKey, line int) domain.AuditCheckpoint {
	t.Helper()
	v, err := storage.NewAuditService(db).VerifyAuditWith(t.Context(), domain.AuditVerifyOptions{})
	if err != nil || !v.OK {
		t.Fatalf("verify before the checkpoint: %+v, %v", v, err)
	}
	c := domain.SignAuditCheckpoint(key, v.Entries, v.HeadHash, time.Now())
	c.Line = line
	return c
}

func newSigningKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func verifyWith(t *testing.T, db *storage.DB, o domain.AuditVerifyOptions) *domain.AuditVerification {
	t.Helper()
	v, err := storage.NewAuditService(db).VerifyAuditWith(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestAuditVerify_DBARewroteAnEntryAndTheChain_CheckpointsTellIt is issue
// 15's attack by the database's owner: an entry rewritten and every hash
// after it recomputed, the head updated. The chain in the database is
// consistent again, so a verification from the database alone says
// intact (the limit of a chain kept where its forger can write); the
// checkpoints kept outside name the first one the log contradicts and
// the last one it still agrees with, between which the rewrite lies.
func TestAuditVerify_DBARewroteAnEntryAndTheChain_CheckpointsTellIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	key := newSigningKey(t)
	recordN(t, db, 4)
	at4 := checkpoint(t, db, key, 1)
	recordN(t, db, 4)
	at8 := checkpoint(t, db, key, 2)
	recordN(t, db, 4)
	at12 := checkpoint(t, db, key, 3)
	cps := []domain.AuditCheckpoint{at12, at4, at8} // any order

	if v := verifyWith(t, db, domain.AuditVerifyOptions{Checkpoints: cps}); !v.OK || v.Checkpoints != 3 || v.Entries != 12 {
		t.Fatalf("before the rewrite: %+v, want intact and agreeing with 3 checkpoints", v)
	}

	rewriteAsDBA(t, db, 6)

	if v := verify(t, db); !v.OK {
		t.Fatalf("a full verification from the database alone = %+v; the rewrite was expected to pass it (recomputed chain)", v)
	}
	v := verifyWith(t, db, domain.AuditVerifyOptions{Checkpoints: cps})
	if v.OK || v.Contradicted == nil || v.Contradicted.Seq != 8 || v.Contradicted.Line != 2 || v.AgreedUpTo != 4 || v.FirstBad != 5 {
		t.Fatalf("with checkpoints = %+v (contradicted %+v), want the checkpoint of entry 8 (line 2) contradicted, agreeing up to 4", v, v.Contradicted)
	}
	if !strings.Contains(v.Problem, "contradicts the checkpoint") {
		t.Errorf("problem %q", v.Problem)
	}
}

// TestAuditVerify_TruncatedBeforeTheNewestCheckpoint_Reported: a DBA
// removed the newest entries and set the head to the last one left. The
// database alone cannot tell; the checkpoint of a removed entry does.
// Entries removed after the newest checkpoint are beyond what any
// checkpoint covers: that is the limit the README states.
func TestAuditVerify_TruncatedBeforeTheNewestCheckpoint_Reported(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	key := newSigningKey(t)
	recordN(t, db, 6)
	at6 := checkpoint(t, db, key, 1)
	recordN(t, db, 4)
	at10 := checkpoint(t, db, key, 2)
	recordN(t, db, 3)
	cps := []domain.AuditCheckpoint{at6, at10}

	truncateAsDBA(t, db, 12) // after the newest checkpoint: out of reach
	if v := verifyWith(t, db, domain.AuditVerifyOptions{Checkpoints: cps}); !v.OK {
		t.Fatalf("entries removed after the newest checkpoint = %+v; no checkpoint covers them", v)
	}

	truncateAsDBA(t, db, 9) // before it
	if v := verify(t, db); !v.OK {
		t.Fatalf("a verification from the database alone = %+v; expected to pass (head moved too)", v)
	}
	v := verifyWith(t, db, domain.AuditVerifyOptions{Checkpoints: cps})
	if v.OK || v.FirstBad != 9 || v.Contradicted == nil || v.Contradicted.Seq != 10 || v.AgreedUpTo != 6 ||
		!strings.Contains(v.Problem, "ends at entry 8") {
		t.Fatalf("with checkpoints = %+v, want entries from 9 missing against the checkpoint of entry 10", v)
	}
}

// TestAuditVerify_Resumes_AfterTheLastVerifiedEntry: a verification
// resumes where the last successful one ended, recomputing only the new
// entries; a rewrite before that point whose chain was recomputed shows
// as the resume point's hash having changed; a full verification or one
// with checkpoints starts from the first entry.
func TestAuditVerify_Resumes_AfterTheLastVerifiedEntry(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 5)
	v := verifyWith(t, db, domain.AuditVerifyOptions{})
	if !v.OK || v.ResumedAfter != 0 || v.Recomputed != 5 || v.Entries != 5 {
		t.Fatalf("first verification = %+v, want all 5 recomputed", v)
	}
	recordN(t, db, 3)
	v = verifyWith(t, db, domain.AuditVerifyOptions{})
	if !v.OK || v.ResumedAfter != 5 || v.ResumedAt.IsZero() || v.Recomputed != 3 || v.Entries != 8 {
		t.Fatalf("second verification = %+v, want resumed after 5 with 3 recomputed of 8", v)
	}
	if v := verifyWith(t, db, domain.AuditVerifyOptions{}); !v.OK || v.ResumedAfter != 8 || v.Recomputed != 0 {
		t.Fatalf("with nothing new = %+v", v)
	}
	if v := verifyWith(t, db, domain.AuditVerifyOptions{Full: true}); !v.OK || v.ResumedAfter != 0 || v.Recomputed != 8 {
		t.Fatalf("full = %+v", v)
	}

	rewriteAsDBA(t, db, 3)
	v = verifyWith(t, db, domain.AuditVerifyOptions{})
	if v.OK || v.FirstBad != 8 || !strings.Contains(v.Problem, "another hash than when it was verified") {
		t.Fatalf("resumed after a rewrite before the resume point = %+v, want entry 8's hash changed", v)
	}

	truncateAsDBA(t, db, 7)
	v = verifyWith(t, db, domain.AuditVerifyOptions{})
	if v.OK || v.FirstBad != 7 || !strings.Contains(v.Problem, "entries were removed") {
		t.Fatalf("resumed after a truncation = %+v, want entries from 7 removed", v)
	}
}

// TestAuditVerify_ContentEditWithoutRecomputing_FoundByAFullVerification:
// an entry before the resume point changed without recomputing any hash
// is beyond a resumed verification (it trusts what it verified), and is
// found by a full one.
func TestAuditVerify_ContentEditWithoutRecomputing_FoundByAFullVerification(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 5)
	verifyWith(t, db, domain.AuditVerifyOptions{})
	tamper(t, db, "UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 2")
	if v := verifyWith(t, db, domain.AuditVerifyOptions{}); !v.OK {
		t.Fatalf("resumed = %+v; it re-reads nothing before entry 5", v)
	}
	wantBad(t, verifyWith(t, db, domain.AuditVerifyOptions{Full: true}), 2, "altered")
}

// TestAuditVerify_BulkLoadedLog_VerifiesAndMatchesTheTrigger: the bulk
// loader of the measurements chains entries exactly as the trigger
// does, and the verifier agrees with both, times to the microsecond and
// Latvian text included.
func TestAuditVerify_BulkLoadedLog_VerifiesAndMatchesTheTrigger(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	recordN(t, db, 3)
	log := auditgen.New(5, 2000, 24*time.Hour, time.Now())
	if err := storage.BulkLoadAudit(t.Context(), pgtest.NewAdminDB(t), 2000, log.Entry, true); err != nil {
		t.Fatal(err)
	}
	recordN(t, db, 3)
	if v := verify(t, db); !v.OK || v.Entries != 2006 {
		t.Fatalf("verification = %+v, want 2006 entries intact", v)
	}
	var bad int
	if err := db.Pool().QueryRow(t.Context(), `
		SELECT count(*) FROM audit_log AS a
		 WHERE a.hash <> sha256(a.prev_hash || convert_to(audit_log_canonical(a), 'UTF8'))`).Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d entries whose hash the database's own definition does not give (%v)", bad, err)
	}
	var indexes int
	if err := db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM pg_indexes WHERE tablename = 'audit_log'`).Scan(&indexes); err != nil || indexes < 5 {
		t.Fatalf("the log has %d indexes after the load (%v)", indexes, err)
	}
}

// BenchmarkVerifyAudit measures a full verification's throughput on a
// synthetic log (storage/auditgen) of 200,000 entries, or
// PPP_BENCH_AUDIT_ENTRIES: entries/s, and the allocations of a whole run,
// which must not grow with the log (the loop allocates nothing per entry).
//
//	go test -run '^$' -bench VerifyAudit -benchmem ./storage/
func BenchmarkVerifyAudit(b *testing.B) {
	n := 200_000
	if s := os.Getenv("PPP_BENCH_AUDIT_ENTRIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	db := pgtest.NewDB(b)
	log := auditgen.New(1, n, 365*24*time.Hour, time.Now())
	admin := pgtest.NewAdminDB(b) // loads with the triggers off, as a DBA
	if err := storage.BulkLoadAudit(b.Context(), admin, n, log.Entry, true); err != nil {
		b.Fatal(err)
	}
	if _, err := admin.Pool().Exec(b.Context(), `VACUUM ANALYZE audit_log`); err != nil {
		b.Fatal(err)
	}
	s := storage.NewAuditService(db)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		v, err := s.VerifyAuditWith(b.Context(), domain.AuditVerifyOptions{Full: true})
		if err != nil || !v.OK || v.Recomputed != int64(n) {
			b.Fatalf("verification = %+v, %v", v, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// TestAuditVerify_InParts_JoinsAndReportsAsOne: a verification read in
// parts (as a long one is, on two connections) reports what one reading
// reports: every entry, the first problem in any part, a checkpoint
// contradicted in a later part with the newest agreeing one from an
// earlier part, and an entry whose previous hash was recomputed to fit
// its own part but not the part before.
func TestAuditVerify_InParts_JoinsAndReportsAsOne(t *testing.T) {
	t.Parallel()
	fresh := func(t *testing.T, n int) (*storage.DB, *storage.AuditService) {
		db := pgtest.NewDB(t)
		recordN(t, db, n)
		s := storage.NewAuditService(db)
		storage.SetAuditVerifySplit(s, 2) // 12 entries: parts of 6
		return db, s
	}
	run := func(t *testing.T, s *storage.AuditService, o domain.AuditVerifyOptions) *domain.AuditVerification {
		t.Helper()
		v, err := s.VerifyAuditWith(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	t.Run("intact", func(t *testing.T) {
		t.Parallel()
		_, s := fresh(t, 12)
		if v := run(t, s, domain.AuditVerifyOptions{Full: true}); !v.OK || v.Entries != 12 || v.Recomputed != 12 || len(v.HeadHash) != 64 {
			t.Fatalf("%+v", v)
		}
	})
	t.Run("altered in the second part", func(t *testing.T) {
		t.Parallel()
		db, s := fresh(t, 12)
		tamper(t, db, "UPDATE audit_log SET reason = 'x' WHERE seq = 9")
		wantBad(t, run(t, s, domain.AuditVerifyOptions{Full: true}), 9, "altered")
	})
	t.Run("missing at the end of the first part", func(t *testing.T) {
		t.Parallel()
		db, s := fresh(t, 12)
		tamper(t, db, "DELETE FROM audit_log WHERE seq = 6")
		wantBad(t, run(t, s, domain.AuditVerifyOptions{Full: true}), 6, "missing")
	})
	t.Run("the second part's first entry recomputed to fit itself", func(t *testing.T) {
		t.Parallel()
		db, s := fresh(t, 12)
		rewriteAsDBA(t, db, 7)
		tamper(t, db, `UPDATE audit_log SET prev_hash = sha256('forged'), hash = sha256(sha256('forged') || convert_to(audit_log_canonical(audit_log), 'UTF8')) WHERE seq = 7`)
		tamper(t, db, `
			DO $$
			DECLARE e audit_log; prev bytea;
			BEGIN
			    SELECT hash INTO prev FROM audit_log WHERE seq = 7;
			    FOR e IN SELECT * FROM audit_log WHERE seq > 7 ORDER BY seq LOOP
			        e.prev_hash := prev;
			        e.hash := sha256(prev || convert_to(audit_log_canonical(e), 'UTF8'));
			        UPDATE audit_log SET prev_hash = e.prev_hash, hash = e.hash WHERE seq = e.seq;
			        prev := e.hash;
			    END LOOP;
			    UPDATE audit_head SET hash = prev;
			END $$`)
		wantBad(t, run(t, s, domain.AuditVerifyOptions{Full: true}), 7, "does not follow")
	})
	t.Run("checkpoint contradicted in the second part", func(t *testing.T) {
		t.Parallel()
		db, s := fresh(t, 3)
		key := newSigningKey(t)
		at3 := checkpoint(t, db, key, 1)
		recordN(t, db, 6)
		at9 := checkpoint(t, db, key, 2)
		recordN(t, db, 3)
		rewriteAsDBA(t, db, 8)
		v := run(t, s, domain.AuditVerifyOptions{Checkpoints: []domain.AuditCheckpoint{at3, at9}})
		if v.OK || v.Contradicted == nil || v.Contradicted.Seq != 9 || v.AgreedUpTo != 3 || v.FirstBad != 4 || v.Truncated {
			t.Fatalf("%+v", v)
		}
		truncateAsDBA(t, db, 5)
		v = run(t, s, domain.AuditVerifyOptions{Checkpoints: []domain.AuditCheckpoint{at3, at9}})
		if v.OK || !v.Truncated || v.FirstBad != 5 || v.Contradicted == nil || v.Contradicted.Seq != 9 || v.AgreedUpTo != 3 {
			t.Fatalf("after truncation: %+v", v)
		}
	})
}
