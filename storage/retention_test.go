package storage_test

import (
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// retentionEnv is a database with, for every kind of data, one old item
// (past the default period) and one young item (within it), so that each
// rule is seen to act at its period and not before.
type retentionEnv struct {
	db *storage.DB
	t  *testing.T
}

func newRetentionEnv(t *testing.T) *retentionEnv {
	e := &retentionEnv{db: pgtest.NewDB(t), t: t}
	e.exec(`
		INSERT INTO tickets (category, suggested, created_at, updated_at) VALUES ('question', 'question', now(), now());
		INSERT INTO inbound_messages (message_id, from_addr, subject, body, raw, received_at, ticket_id)
		SELECT m, 'anna@example.lv', 'Palīdzība', 'Mans kods 010190-12345', 'raw mail', at, (SELECT max(id) FROM tickets)
		  FROM (VALUES ('<old@x>', now() - interval '13 months'), ('<young@x>', now() - interval '11 months')) v(m, at);
		INSERT INTO register_snapshots (register, personal_code, fetched_at, answered)
		VALUES ('population', '010190-12345', now() - interval '37 months', true),
		       ('population', '010190-12345', now() - interval '35 months', true);
		INSERT INTO register_imports (register, imported_at) VALUES ('population', now() - interval '37 months'),
		       ('population', now() - interval '35 months'), ('population', now() - interval '38 months');
		INSERT INTO population_register (personal_code, first_name, last_name, fetched_at, import_id)
		VALUES ('010190-12346', 'Vecs', 'Ieraksts', now() - interval '38 months', (SELECT max(id) FROM register_imports)),
		       ('010190-12347', 'Jauns', 'Ieraksts', now() - interval '35 months', NULL);
		INSERT INTO education_register (personal_code, highest_lki, studying, fetched_at)
		VALUES ('010190-12346', 3, false, now() - interval '38 months'), ('010190-12347', 3, false, now() - interval '35 months');
		INSERT INTO role_requests (kind, state, first_name, last_name, personal_code, email, reason_code,
		                           email_confirmed_at, created_at, updated_at)
		VALUES ('career_consultant', 'rejected', 'Old', 'Rejected', '010190-12345', 'old@example.lv', 'other',
		        now(), now() - interval '14 months', now() - interval '13 months'),
		       ('career_consultant', 'rejected', 'Young', 'Rejected', '010190-12345', 'young@example.lv', 'other',
		        now(), now() - interval '12 months', now() - interval '11 months'),
		       ('career_consultant', 'pending', 'Old', 'Pending', '010190-12345', 'pending@example.lv', '',
		        now(), now() - interval '14 months', now() - interval '13 months');
		INSERT INTO role_request_events (request_id, at, actor_name, action, note)
		SELECT id, updated_at, 'x', 'reject', 'note naming ' || first_name FROM role_requests;
		WITH d AS (INSERT INTO role_request_documents (request_id, position, name, media_type, size, sha256)
		           SELECT id, 1, 'diploms.pdf', 'application/pdf', 4, repeat('ab', 32) FROM role_requests RETURNING id)
		INSERT INTO role_request_document_contents (document_id, content) SELECT id, '%PDF' FROM d;
		INSERT INTO sign_in_attempts (at, operator_name, remote_addr, method, success)
		VALUES (now() - interval '181 days', 'anna', '192.0.2.7', 'password', false),
		       (now() - interval '179 days', 'anna', '192.0.2.7', 'password', false);
		INSERT INTO outbox (created_at, to_addr, lang, template, subject, body, state, sent_at)
		VALUES (now() - interval '91 days', 'anna@example.lv', 'lv', 't', 'Sveika', 'body', 'sent', now()),
		       (now() - interval '89 days', 'anna@example.lv', 'lv', 't', 'Sveika', 'body', 'sent', now()),
		       (now() - interval '91 days', 'anna@example.lv', 'lv', 't', 'Sveika', 'body', 'pending', NULL);
		INSERT INTO audit_log (at, actor_name, remote_addr, action, subject_kind, subject_id, reason, details)
		VALUES (now() - interval '121 months', 'ilze', '192.0.2.1', 'person.reveal', 'person', '42', 'asked', 'Anna Bērziņa'),
		       (now() - interval '121 months', 'ilze', '192.0.2.1', 'person.reveal', 'person', '43', 'asked', 'Jānis'),
		       (now() - interval '119 months', 'ilze', '192.0.2.1', 'person.reveal', 'person', '44', 'asked', 'Pēteris');`)
	return e
}

func (e *retentionEnv) exec(sql string) {
	e.t.Helper()
	if _, err := e.db.Pool().Exec(e.t.Context(), sql); err != nil {
		e.t.Fatal(err)
	}
}

func (e *retentionEnv) count(sql string) int64 {
	e.t.Helper()
	var n int64
	if err := e.db.Pool().QueryRow(e.t.Context(), sql).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// state is what the test compares before and after a dry run: the rows
// every kind's rule would touch.
func (e *retentionEnv) state() [10]int64 {
	return [10]int64{
		e.count(`SELECT count(*) FROM role_request_document_contents`),
		e.count(`SELECT count(*) FROM inbound_messages WHERE raw <> ''::bytea`),
		e.count(`SELECT count(*) FROM register_snapshots`),
		e.count(`SELECT count(*) FROM register_imports`),
		e.count(`SELECT count(*) FROM population_register`),
		e.count(`SELECT count(*) FROM role_requests WHERE email <> ''`),
		e.count(`SELECT count(*) FROM sign_in_attempts`),
		e.count(`SELECT count(*) FROM outbox WHERE body <> ''`),
		e.count(`SELECT count(*) FROM audit_log WHERE redacted_at IS NULL`),
		e.count(`SELECT count(*) FROM sweep_runs`),
	}
}

// GDPR Art. 5(1)(e): each kind is deleted or minimised at the end of its
// period and not before; the dry run counts the same and changes nothing;
// the audit log still verifies after its old entries were redacted, and a
// change to a redacted entry is caught. (The verification's part failed
// before audit_verify.go learned redacted entries: "entry 1 was altered".)
func TestRetention_Sweep_EachKindAtItsPeriod_DryRunChangesNothing_AuditVerifies(t *testing.T) {
	t.Parallel()
	e := newRetentionEnv(t)
	ctx := t.Context()
	now := time.Now()

	before := e.state()
	plan, err := storage.NewRetentionService(e.db).RetentionPlan(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[domain.RetentionKind]int64{
		domain.RetentionInboundMail: 1, domain.RetentionRegisterSnapshots: 5, domain.RetentionRoleRequests: 2,
		domain.RetentionSignInAttempts: 1, domain.RetentionOutboxBodies: 1, domain.RetentionAudit: 2,
	}
	if len(plan) != len(domain.RetentionKinds) {
		t.Fatalf("plan has %d kinds, want %d", len(plan), len(domain.RetentionKinds))
	}
	var total int64
	for _, c := range plan {
		if c.Count != want[c.Kind] {
			t.Errorf("dry run: %s %s %d, want %d", c.Kind, c.Action, c.Count, want[c.Kind])
		}
		total += c.Count
	}
	if after := e.state(); after != before {
		t.Fatalf("the dry run changed something: %v → %v", before, after)
	}

	sw := storage.NewSweeper(e.db, "test")
	r := runSweep(t, sw, storage.SweepRetention, now)
	if r.Checked != total || r.Changed != total {
		t.Fatalf("sweep checked %d changed %d, want %d and %d", r.Checked, r.Changed, total, total)
	}
	for _, c := range []struct {
		what string
		sql  string
		want int64
	}{
		{"old mail minimised", `SELECT count(*) FROM inbound_messages WHERE message_id = '<old@x>' AND raw = ''::bytea AND body = '' AND from_addr = '' AND minimised_at IS NOT NULL`, 1},
		{"young mail kept", `SELECT count(*) FROM inbound_messages WHERE message_id = '<young@x>' AND raw <> ''::bytea AND body <> ''`, 1},
		{"snapshots: the young one left", `SELECT count(*) FROM register_snapshots WHERE fetched_at > now() - interval '36 months'`, 1},
		{"snapshots: the old one gone", `SELECT count(*) FROM register_snapshots`, 1},
		{"imports: the young one left", `SELECT count(*) FROM register_imports`, 1},
		{"mirror rows: the unconfirmed ones gone, the young kept", `SELECT count(*) FROM population_register p JOIN education_register e USING (personal_code)
			WHERE p.first_name = 'Jauns'`, 1},
		{"mirror rows: none old left", `SELECT (SELECT count(*) FROM population_register) + (SELECT count(*) FROM education_register)`, 2},
		{"old rejected request minimised", `SELECT count(*) FROM role_requests WHERE state = 'rejected' AND first_name = '' AND last_name = '' AND email = '' AND personal_code = '' AND minimised_at IS NOT NULL`, 1},
		{"young rejected and old pending requests kept", `SELECT count(*) FROM role_requests WHERE email <> '' AND personal_code <> ''`, 2},
		{"old request's event note cleared", `SELECT count(*) FROM role_request_events WHERE note = ''`, 1},
		{"old rejected request's file gone, its metadata kept", `SELECT count(*) FROM role_request_documents d JOIN role_requests r ON r.id = d.request_id
			WHERE r.first_name = '' AND NOT EXISTS (SELECT FROM role_request_document_contents c WHERE c.document_id = d.id)`, 1},
		{"young rejected and old pending requests' files kept", `SELECT count(*) FROM role_request_document_contents`, 2},
		{"young sign-in attempt kept", `SELECT count(*) FROM sign_in_attempts WHERE at > now() - interval '180 days'`, 1},
		{"old sign-in attempt gone", `SELECT count(*) FROM sign_in_attempts`, 1},
		{"old sent mail minimised, young and pending kept", `SELECT count(*) FROM outbox WHERE body <> '' AND to_addr <> ''`, 2},
		{"old audit entries redacted", `SELECT count(*) FROM audit_log WHERE redacted_at IS NOT NULL AND reason = '' AND details = '' AND subject_id = '' AND remote_addr = ''`, 2},
		{"the young audit entry whole", `SELECT count(*) FROM audit_log WHERE subject_id = '44' AND details = 'Pēteris'`, 1},
		{"the sweep's own audit entry", `SELECT count(*) FROM audit_log WHERE action = '` + domain.AuditRetentionSweep + `' AND details LIKE '%audit minimise 2%'`, 1},
	} {
		if got := e.count(c.sql); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	if again := runSweep(t, sw, storage.SweepRetention, now); again.Changed != 0 {
		t.Errorf("a second run changed %d", again.Changed)
	}

	v := verify(t, e.db)
	if !v.OK || v.Redacted != 2 {
		t.Fatalf("verify after redaction: %+v", v)
	}
	// A redacted entry's kept fields are still bound to its hash.
	tamper(t, e.db, `UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 1`)
	if v := verify(t, e.db); v.OK || v.FirstBad != 1 {
		t.Fatalf("verify after a redacted entry's action changed: %+v", v)
	}
	tamper(t, e.db, `UPDATE audit_log SET action = 'person.reveal' WHERE seq = 1`)
	// A live entry younger than any audit rule (the sweep's own, seq 4)
	// cannot pass for a redacted one, seal and all.
	tamper(t, e.db, `
		UPDATE audit_log SET subject_id = '', reason = '', details = '', remote_addr = '', redacted_at = now() WHERE seq = 4;
		UPDATE audit_log SET redaction_seal = sha256(hash || convert_to(audit_log_kept(audit_log), 'UTF8')) WHERE seq = 4`)
	if v := verify(t, e.db); v.OK || v.FirstBad != 4 {
		t.Fatalf("verify after a young entry was made to look redacted: %+v", v)
	}
}

// Only audit_redact, and only past the audit rule's period, changes the
// log: the application's own UPDATE of a young entry, or of an old one
// without the seal, is refused; the audit rule keeps a year at least.
// Likewise only retention_delete_document_files (migration 0345), and
// only past the role_requests rule, deletes a document's file: the
// application's own DELETE is refused.
func TestRetention_AuditRedaction_OnlyPastThePeriod_RuleFloor(t *testing.T) {
	t.Parallel()
	e := newRetentionEnv(t)
	ctx := t.Context()
	for _, sql := range []string{
		`UPDATE audit_log SET reason = '', details = '', subject_id = '', remote_addr = '', redacted_at = now(),
		        redaction_seal = sha256(hash || convert_to(audit_log_kept(audit_log), 'UTF8')) WHERE seq = 3`,
		`UPDATE audit_log SET details = '' WHERE seq = 1`,
	} {
		if _, err := e.db.Pool().Exec(ctx, sql); err == nil {
			t.Errorf("the application changed the audit log: %s", sql)
		}
	}
	// Documents' files: the application deletes none itself, and the
	// owner's function deletes none of a request within the rule's
	// period, whatever cutoff it is given, nor of a pending request.
	_, err := e.db.Pool().Exec(ctx, `DELETE FROM role_request_document_contents`)
	wantSQLState(t, err, "42501")
	var files int
	if err := e.db.Pool().QueryRow(ctx, `SELECT retention_delete_document_files(now() + interval '1 year', 100)`).Scan(&files); err != nil || files != 1 {
		t.Fatalf("retention_delete_document_files with a cutoff a year ahead = %d, %v; want only the old rejected request's 1", files, err)
	}
	svc := storage.NewRetentionService(e.db)
	_, err = svc.SetRetentionRule(adminCtx(t), domain.RetentionRule{Kind: domain.RetentionAudit, Period: domain.RetentionPeriod{Days: 30}, Action: domain.RetentionMinimise})
	wantError(t, err, domain.EINVALID, "retention.audit_floor")
	if _, err := e.db.Pool().Exec(ctx, `UPDATE retention_rules SET period_months = 0, period_days = 30 WHERE kind = 'audit'`); err == nil {
		t.Error("the database let the audit rule below a year")
	}
	_, err = svc.SetRetentionRule(adminCtx(t), domain.RetentionRule{Kind: domain.RetentionAudit, Period: domain.RetentionPeriod{Months: 12 * 15}, Action: domain.RetentionMinimise})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = '` + domain.AuditRetentionSet + `' AND details = '10y minimise → 15y minimise'`); n != 1 {
		t.Fatalf("rule change audited %d times", n)
	}
	var n int
	if err := e.db.Pool().QueryRow(ctx, `SELECT audit_redact(100)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("audit_redact under a 15-year rule = %d, %v; want 0", n, err)
	}
}

// Two instances started at once run the sweep once: each item is changed
// once, by the instance holding the lease.
func TestRetention_TwoInstances_SweepOnce(t *testing.T) {
	t.Parallel()
	e := newRetentionEnv(t)
	now := time.Now()
	var wg sync.WaitGroup
	runs := make([]*domain.SweepRun, 2)
	errs := make([]error, 2)
	start := make(chan struct{})
	for i := range runs {
		sw := storage.NewSweeper(e.db, "instance-"+itoa(int64(i)))
		wg.Go(func() {
			<-start
			runs[i], errs[i] = sw.RunSweep(t.Context(), storage.SweepRetention, now)
		})
	}
	close(start)
	wg.Wait()
	var changed int64
	for i, r := range runs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		changed += r.Changed
	}
	if changed != 12 {
		t.Fatalf("changed %d in all, want each of 12 items once", changed)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = '` + domain.AuditRetentionSweep + `'`); n != 1 {
		t.Fatalf("%d sweep entries, want 1", n)
	}
}
