package storage_test

import (
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// misuseEnv is a database with a security officer, an administrator and a
// reviewer, and the misuse service.
type misuseEnv struct {
	db                      *storage.DB
	svc                     *storage.MisuseService
	ilze, anna, rita        *domain.Operator
	now                     time.Time
	institution, otherInsti int64
}

// msSeq makes the factories' persons distinct.
var msSeq atomic.Int64

func newMisuseEnv(t *testing.T) *misuseEnv {
	t.Helper()
	db := pgtest.NewDB(t)
	d := &denialEnv{db: db}
	return &misuseEnv{db: db, svc: storage.NewMisuseService(db),
		ilze: newOperator(t, db, "ilze.drosiba", withRoles(domain.RoleSecurity)),
		anna: newOperator(t, db, "anna.admin", withRoles(domain.RoleAdmin)),
		rita: newOperator(t, db, "rita.reviewer"),
		now:  time.Now().UTC().Truncate(time.Second), institution: d.institution(t), otherInsti: d.institution(t)}
}

// roleRequest files a career consultant's (or, with institution set and
// staff, an institution's staff member's) role request of a new person
// with email and phone, at.
func (e *misuseEnv) roleRequest(t *testing.T, kind, email, phone string, institution int64, at time.Time) int64 {
	t.Helper()
	n := 20000 + msSeq.Add(1)
	var inst *int64
	if institution != 0 {
		inst = &institution
	}
	var id int64
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO role_requests (kind, first_name, last_name, personal_code, email, phone, institution_id, created_at, updated_at)
		VALUES ($1, 'Persona', $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		kind, "Nr"+strconv.FormatInt(n, 10), personalCodeFor(n), email, phone, inst, at).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// imkApplication files an IMK application of a new person with email, at.
func (e *misuseEnv) imkApplication(t *testing.T, email string, at time.Time) int64 {
	t.Helper()
	var id int64
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email, applied_at, updated_at)
		VALUES ($1, 'Persona', 'IMK', $2, $3, $3) RETURNING id`, newCode(int(900000+msSeq.Add(1))), email, at).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// resetTicket files a password-reset ticket matched to Platform user 4242.
func (e *misuseEnv) resetTicket(t *testing.T, at time.Time) int64 {
	t.Helper()
	var id int64
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO tickets (subject, from_addr, category, suggested, account_kind, account_id, created_at, updated_at)
		VALUES ('parole', 'aizmirsu@example.lv', 'password_reset', 'password_reset', 'platform_user', 4242, $1, $1)
		RETURNING id`, at).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// accountReset records a reset of Platform user 4242 a helpdesk operator
// started from the account (no ticket), held for a second person.
func (e *misuseEnv) accountReset(t *testing.T, at time.Time) {
	t.Helper()
	if _, err := e.db.Pool().Exec(t.Context(), `
		INSERT INTO pending_resets (account_kind, account_id, requested_by, requested_at, user_reason)
		VALUES ('platform_user', 4242, $1, $2, 'zvanīja')`, e.ilze.ID, at); err != nil {
		t.Fatal(err)
	}
}

func (e *misuseEnv) sweep(t *testing.T) *domain.SweepRun {
	t.Helper()
	r, err := storage.NewSweeper(e.db, "test").RunSweep(t.Context(), storage.SweepMisuseSignals, e.now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (e *misuseEnv) open(t *testing.T) map[domain.MisuseKind][]*domain.MisuseSignal {
	t.Helper()
	list, err := e.svc.OpenMisuseSignals(as(t, e.ilze))
	if err != nil {
		t.Fatal(err)
	}
	out := map[domain.MisuseKind][]*domain.MisuseSignal{}
	for _, s := range list {
		out[s.Kind] = append(out[s.Kind], s)
	}
	return out
}

func evidenceOf(s *domain.MisuseSignal) map[string]int {
	out := map[string]int{}
	for _, ev := range s.Evidence {
		out[ev.Kind]++
	}
	return out
}

// TestMisuseSignals_EachRaisedAtItsThreshold_NotBelow_OnceOpen_P8_P27_P29_P31
// proves, on one database, every kind of signal about applicants and
// providers: nothing one below the threshold (rows older than the window
// do not count), a signal at the threshold with its count and evidence
// (ids, no personal data in the audit), no second open signal when the
// sweep runs again, and thresholds that are policy data an administrator
// changes, audited. ¶8, ¶27.3 (each applies for themselves), ¶27.2, ¶29.3
// (staff and consultants of an institution), ¶31.3 (resets).
func TestMisuseSignals_EachRaisedAtItsThreshold_NotBelow_OnceOpen_P8_P27_P29_P31(t *testing.T) {
	t.Parallel()
	e := newMisuseEnv(t)
	admin := as(t, e.anna)
	for _, th := range []struct {
		kind domain.MisuseKind
		n    int
	}{{domain.MisuseRequestBurst, 3}, {domain.MisuseResetBurst, 3}} {
		got, err := e.svc.SetMisuseThreshold(admin, th.kind, th.n, time.Hour)
		if err != nil || got.Threshold != th.n || got.Window != time.Hour || got.ChangedByName == "" {
			t.Fatalf("set %s: %+v, %v", th.kind, got, err)
		}
	}
	if _, err := e.svc.SetMisuseThreshold(as(t, e.ilze), domain.MisuseResetBurst, 9, time.Hour); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("a security officer set a threshold: %v", err)
	}
	wantError(t, func() error {
		_, err := e.svc.SetMisuseThreshold(admin, domain.MisuseResetBurst, 1, time.Hour)
		return err
	}(),
		domain.EINVALID, "misuse.threshold_range")
	if n := auditCount(t, e.db, domain.AuditMisuseThreshold); n != 2 {
		t.Fatalf("threshold changes audited %d times, want 2", n)
	}

	in, old := e.now.Add(-10*time.Minute), e.now.Add(-2*time.Hour)
	// One below each threshold (and what falls outside it).
	e.roleRequest(t, "career_consultant", "Kopa@Example.lv", "", 0, in)
	e.roleRequest(t, "career_consultant", "kopa@example.lv ", "", 0, in)
	e.roleRequest(t, "career_consultant", "cits1@example.lv", "+371 2000 0001", 0, in)
	e.roleRequest(t, "career_consultant", "cits2@example.lv", "+37120000001", 0, in)
	e.imkApplication(t, "gimene@example.lv", in)
	for i := range 2 {
		e.roleRequest(t, "institution_staff", "darbinieks"+strconv.Itoa(i)+"@example.lv", "", e.institution, in)
		e.resetTicket(t, in)
	}
	e.roleRequest(t, "career_consultant", "vecs@example.lv", "", e.institution, old) // outside the hour
	e.resetTicket(t, old)
	e.roleRequest(t, "career_consultant", "otra@example.lv", "", e.otherInsti, in)
	if r := e.sweep(t); r.Changed != 0 {
		t.Fatalf("below every threshold the sweep raised %d signals: %v", r.Changed, e.open(t))
	}

	// At each threshold.
	e.imkApplication(t, "gimene@example.lv", in)                                      // imk_contact: 2 persons
	e.roleRequest(t, "career_consultant", "kopa@example.lv", "", 0, in)               // shared_contact: 3 role requests
	e.imkApplication(t, "kopa@example.lv", in)                                        // and an IMK application: 4 persons
	e.roleRequest(t, "career_consultant", "cits3@example.lv", "+371-20000001", 0, in) // the phone's third person
	e.roleRequest(t, "career_consultant", "atkal@example.lv", "", e.institution, in)  // request_burst: 3 within the hour
	e.accountReset(t, in)                                                             // reset_burst: 3 within the hour (a reset started from the account)
	if r := e.sweep(t); r.Changed != 5 {
		t.Fatalf("at the thresholds the sweep raised %d signals, want 5: %v", r.Changed, e.open(t))
	}
	open := e.open(t)
	if len(open[domain.MisuseSharedContact]) != 2 || len(open[domain.MisuseIMKContact]) != 1 ||
		len(open[domain.MisuseRequestBurst]) != 1 || len(open[domain.MisuseResetBurst]) != 1 {
		t.Fatalf("open signals: %v", open)
	}
	for _, s := range open[domain.MisuseSharedContact] {
		switch {
		case strings.HasPrefix(s.Key, "email:"):
			if s.Subject != "kopa@example.lv" || s.Count != 4 || s.Threshold != 3 ||
				evidenceOf(s)["role_request"] != 3 || evidenceOf(s)["imk_application"] != 1 {
				t.Fatalf("shared e-mail: %+v", s)
			}
		case strings.HasPrefix(s.Key, "phone:"):
			if s.Subject != "+37120000001" || s.Count != 3 || evidenceOf(s)["role_request"] != 3 {
				t.Fatalf("shared phone: %+v", s)
			}
		default:
			t.Fatalf("key %q", s.Key)
		}
		if strings.Contains(s.Key, "@") || strings.Contains(s.Key, "2000") {
			t.Fatalf("the key carries the contact: %q", s.Key)
		}
	}
	if s := open[domain.MisuseIMKContact][0]; s.Count != 2 || s.Threshold != 2 || evidenceOf(s)["imk_application"] != 2 {
		t.Fatalf("IMK contact: %+v", s)
	}
	if s := open[domain.MisuseRequestBurst][0]; s.Count != 3 || s.Key != "institution:"+itoa(e.institution) ||
		evidenceOf(s)["role_request"] != 3 || !s.WindowEnd.Equal(e.now) || !s.WindowStart.Equal(e.now.Add(-time.Hour)) {
		t.Fatalf("request burst: %+v", s)
	}
	if s := open[domain.MisuseResetBurst][0]; s.Count != 3 || s.Key != "platform_user:4242" || evidenceOf(s)["ticket"] != 2 ||
		evidenceOf(s)["pending_reset"] != 1 {
		t.Fatalf("reset burst: %+v", s)
	}
	for _, a := range auditRows(t, e.db) {
		if a.Action == domain.AuditMisuseRaise && (strings.Contains(a.Details, "@") || strings.Contains(a.Details, "2000")) {
			t.Fatalf("a raise's audit carries personal data: %+v", a)
		}
	}
	if n := auditCount(t, e.db, domain.AuditMisuseRaise); n != 5 {
		t.Fatalf("raises audited %d times, want 5", n)
	}

	// Again: one open signal per (kind, key); a grown count updates it.
	if r := e.sweep(t); r.Changed != 0 {
		t.Fatalf("a second sweep raised %d more", r.Changed)
	}
	e.resetTicket(t, in)
	e.sweep(t)
	if s := e.open(t)[domain.MisuseResetBurst]; len(s) != 1 || s[0].Count != 4 || len(s[0].Evidence) != 4 {
		t.Fatalf("after a fourth reset request: %+v", s)
	}
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM misuse_signals`).Scan(&n); err != nil || n != 5 {
		t.Fatalf("%d signals stored, want 5 (%v)", n, err)
	}
}

// TestMisuseSignals_CloseWithANote_SecurityOnly_NotRaisedAgainUnlessItGrows
// proves that only a security officer lists and closes signals, that a
// close needs a note and is audited, that a closed signal is not raised
// again by the next sweep, and that one more person raises a new one.
func TestMisuseSignals_CloseWithANote_SecurityOnly_NotRaisedAgainUnlessItGrows(t *testing.T) {
	t.Parallel()
	e := newMisuseEnv(t)
	in := e.now.Add(-time.Minute)
	e.imkApplication(t, "gimene@example.lv", in)
	e.imkApplication(t, "gimene@example.lv", in)
	e.sweep(t)
	open := e.open(t)[domain.MisuseIMKContact]
	if len(open) != 1 {
		t.Fatalf("open: %v", open)
	}
	id := open[0].ID
	for _, op := range []*domain.Operator{e.anna, e.rita} {
		if _, err := e.svc.OpenMisuseSignals(as(t, op)); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("%s listed the signals: %v", op.Name, err)
		}
		if err := e.svc.CloseMisuseSignal(as(t, op), id, "nav"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("%s closed a signal: %v", op.Name, err)
		}
	}
	wantError(t, e.svc.CloseMisuseSignal(as(t, e.ilze), id, "  \x00 "), domain.EINVALID, "defence.note_required")
	wantError(t, e.svc.CloseMisuseSignal(as(t, e.ilze), id+100, "x"), domain.ENOTFOUND, "misuse.not_found")
	if err := e.svc.CloseMisuseSignal(as(t, e.ilze), id, "māte un meita, viena adrese"); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.svc.CloseMisuseSignal(as(t, e.ilze), id, "vēlreiz"), domain.ECONFLICT, "misuse.closed")
	var note string
	var by int64
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT note, closed_by FROM misuse_signals WHERE id = $1`, id).Scan(&note, &by); err != nil ||
		note != "māte un meita, viena adrese" || by != e.ilze.ID {
		t.Fatalf("closed: %q by %d (%v)", note, by, err)
	}
	if n := auditCount(t, e.db, domain.AuditMisuseClose); n != 1 {
		t.Fatalf("closes audited %d times", n)
	}
	if r := e.sweep(t); r.Changed != 0 || len(e.open(t)) != 0 {
		t.Fatalf("a closed signal was raised again: %+v", e.open(t))
	}
	e.imkApplication(t, "gimene@example.lv", in)
	e.sweep(t)
	if s := e.open(t)[domain.MisuseIMKContact]; len(s) != 1 || s[0].ID == id || s[0].Count != 3 {
		t.Fatalf("a third person raised no new signal: %+v", s)
	}
}

func auditCount(t *testing.T, db *storage.DB, action string) int {
	t.Helper()
	n := 0
	for _, a := range auditActions(t, db) {
		if a == action {
			n++
		}
	}
	return n
}

// TestMisuseSignals_EvidenceIsCapped proves that a signal keeps at most
// storage.MisuseEvidenceMax rows of evidence however many rows it counted
// (its count says how many): a stranger who files hundreds of reset
// requests for one account (¶31.3) cannot grow one stored signal, and
// every sweep's rewrite of it and every officer's view of it, without
// bound.
func TestMisuseSignals_EvidenceIsCapped(t *testing.T) {
	t.Parallel()
	e := newMisuseEnv(t)
	const n = 300
	if _, err := e.db.Pool().Exec(t.Context(), `
		INSERT INTO tickets (subject, from_addr, category, suggested, account_kind, account_id, created_at, updated_at)
		SELECT 'parole', 'aizmirsu@example.lv', 'password_reset', 'password_reset', 'platform_user', 4242, $1, $1
		  FROM generate_series(1, $2)`, e.now.Add(-time.Minute), n); err != nil {
		t.Fatal(err)
	}
	if r := e.sweep(t); r.Changed != 1 {
		t.Fatalf("the sweep raised %d signals, want 1", r.Changed)
	}
	got := e.open(t)[domain.MisuseResetBurst]
	if len(got) != 1 || got[0].Count != n {
		t.Fatalf("reset signals = %+v, want one counting %d", got, n)
	}
	if len(got[0].Evidence) != storage.MisuseEvidenceMax || got[0].Evidence[0].Kind != "ticket" {
		t.Errorf("the signal keeps %d rows of evidence, want %d", len(got[0].Evidence), storage.MisuseEvidenceMax)
	}
}
