package storage_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// actingAs is t's context acting as op in session.
func actingAs(t testing.TB, op *domain.Operator, session string) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{OperatorID: op.ID, Name: op.Name, SessionID: session, RemoteAddr: "192.0.2.9:1"})
}

// stricterPolicy is a valid draft that rejects the test people (born 1990).
func stricterPolicy() *domain.EligibilityPolicy {
	p := domain.DefaultEligibilityPolicy()
	p.ID, p.Version, p.State = 0, 0, ""
	p.Name = "Pieaugušo izglītība 2026"
	p.MinAge = 60
	return &p
}

// checkAll runs the checker until nothing is left.
func checkAll(t *testing.T, db *storage.DB) {
	t.Helper()
	c := storage.NewIMKChecker(db, storage.NewMirrorRegisters(db, storage.Outage{}, nil))
	for {
		n, err := c.RunOnce(t.Context(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// appPolicy returns the state and policy id recorded for code's application.
func appPolicy(t *testing.T, db *storage.DB, code string) (state string, policyID, evalPolicyID int64) {
	t.Helper()
	err := db.Pool().QueryRow(t.Context(), `
		SELECT state, policy_id, (evaluation->>'PolicyID')::bigint FROM imk_applications WHERE personal_code = $1`, code,
	).Scan(&state, &policyID, &evalPolicyID)
	if err != nil {
		t.Fatal(err)
	}
	return state, policyID, evalPolicyID
}

func seedOne(t *testing.T, db *storage.DB, code string) {
	t.Helper()
	seedApplicant(t, db, code, "anna@example.lv")
}

// seedApplicant imports code's register data and records Anna Bērziņa's
// IMK application under it, with the address email.
func seedApplicant(t *testing.T, db *storage.DB, code, email string) {
	t.Helper()
	importAll(t, db, code)
	_, err := db.Pool().Exec(t.Context(), `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email)
		VALUES ($1, 'Anna', 'Bērziņa', $2)`, code, email)
	if err != nil {
		t.Fatal(err)
	}
}

func TestPolicy_DraftApproveBySecondOperator_CheckerUsesIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	svc := storage.NewPolicyService(db)
	drafter := newOperator(t, db, "ilze", withRoles(domain.RoleEditor))
	approver := newOperator(t, db, "janis", withRoles(domain.RoleAdmin))

	v1, err := svc.PolicyInForce(t.Context(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || v1.State != domain.PolicyApproved || !v1.EffectiveFrom.IsZero() {
		t.Fatalf("default policy = %+v", v1)
	}

	// Decided before the new version: keeps the old one.
	seedOne(t, db, newCode(1))
	checkAll(t, db)

	draft, err := svc.DraftPolicy(actingAs(t, drafter, "s-ilze-1"), stricterPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if draft.Version != 2 || draft.State != domain.PolicyDraft || draft.DraftedBy != drafter.ID || draft.MinAge != 60 ||
		draft.MaxDataAge != 30*24*time.Hour {
		t.Fatalf("draft = %+v", draft)
	}
	if p, _ := svc.PolicyInForce(t.Context(), time.Now().Add(time.Hour)); p.ID != v1.ID {
		t.Fatalf("a draft is in force: %+v", p)
	}

	approved, err := svc.ApprovePolicy(actingAs(t, approver, "s-janis"), draft.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if approved.State != domain.PolicyApproved || approved.ApprovedBy != approver.ID || approved.EffectiveFrom.IsZero() {
		t.Fatalf("approved = %+v", approved)
	}
	if p, err := svc.PolicyInForce(t.Context(), time.Now()); err != nil || p.ID != draft.ID {
		t.Fatalf("in force = %+v, %v; want version 2", p, err)
	}

	seedOne(t, db, newCode(2))
	checkAll(t, db)
	if st, pid, epid := appPolicy(t, db, newCode(1)); st != "approved" || pid != v1.ID || epid != v1.ID {
		t.Fatalf("application before: %s policy %d/%d, want approved under %d", st, pid, epid, v1.ID)
	}
	if st, pid, epid := appPolicy(t, db, newCode(2)); st != "rejected" || pid != draft.ID || epid != draft.ID {
		t.Fatalf("application after: %s policy %d/%d, want rejected under %d", st, pid, epid, draft.ID)
	}

	list, err := svc.ListPolicies(t.Context())
	if err != nil || len(list) != 2 || list[0].Version != 2 {
		t.Fatalf("list = %v, %v", list, err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM audit_log WHERE action IN ('`+domain.AuditIMKPolicyDraft+`', '`+domain.AuditIMKPolicyApprove+`') AND subject_id = $1`, strconv.FormatInt(draft.ID, 10)); c != 2 {
		t.Fatalf("%d audit entries, want 2", c)
	}
}

func TestPolicy_DrafterCannotApprove_EvenInAnotherSession(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	svc := storage.NewPolicyService(db)
	drafter := newOperator(t, db, "ilze", withRoles(domain.RoleEditor, domain.RoleAdmin))
	draft, err := svc.DraftPolicy(actingAs(t, drafter, "s-1"), stricterPolicy())
	if err != nil {
		t.Fatal(err)
	}
	for _, session := range []string{"s-1", "s-2"} {
		_, err = svc.ApprovePolicy(actingAs(t, drafter, session), draft.ID, time.Time{})
		wantError(t, err, domain.EFORBIDDEN, "imk.policy_own_draft")
	}
	if p, _ := svc.FindPolicy(t.Context(), draft.ID); p.State != domain.PolicyDraft {
		t.Fatalf("state = %s, want draft", p.State)
	}
}

func TestPolicy_NonEditorRefused(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	svc := storage.NewPolicyService(db)
	editor := newOperator(t, db, "ilze", withRoles(domain.RoleEditor))
	reviewer := newOperator(t, db, "janis", withRoles(domain.RoleReviewer, domain.RoleHelpdesk))

	_, err := svc.DraftPolicy(actingAs(t, reviewer, "s"), stricterPolicy())
	wantError(t, err, domain.EFORBIDDEN, "imk.policy_not_editor")
	_, err = svc.DraftPolicy(domain.WithActor(t.Context(), domain.Actor{Name: "cli:root"}), stricterPolicy())
	wantError(t, err, domain.EUNAUTHORIZED, "imk.policy_no_operator")

	draft, err := svc.DraftPolicy(actingAs(t, editor, "s"), stricterPolicy())
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.ApprovePolicy(actingAs(t, reviewer, "s"), draft.ID, time.Time{})
	wantError(t, err, domain.EFORBIDDEN, "imk.policy_not_editor")
	err = svc.DiscardPolicy(actingAs(t, reviewer, "s"), draft.ID)
	wantError(t, err, domain.EFORBIDDEN, "imk.policy_not_editor")

	bad := stricterPolicy()
	bad.MaxAge = 30
	_, err = svc.DraftPolicy(actingAs(t, editor, "s"), bad)
	wantError(t, err, domain.EINVALID, "imk.policy_invalid")
	noName := stricterPolicy()
	noName.Name = "  "
	_, err = svc.DraftPolicy(actingAs(t, editor, "s"), noName)
	wantError(t, err, domain.EINVALID, "imk.policy_name_required")

	if err := svc.DiscardPolicy(actingAs(t, editor, "s"), draft.ID); err != nil {
		t.Fatal(err)
	}
	_, err = svc.FindPolicy(t.Context(), draft.ID)
	wantError(t, err, domain.ENOTFOUND, "imk.policy_not_found")
}

func TestPolicy_ApprovedVersionNeverChanges(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	svc := storage.NewPolicyService(db)
	a := newOperator(t, db, "ilze", withRoles(domain.RoleEditor))
	b := newOperator(t, db, "janis", withRoles(domain.RoleEditor))
	draft, err := svc.DraftPolicy(actingAs(t, a, "s"), stricterPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ApprovePolicy(actingAs(t, b, "s"), draft.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	_, err = svc.ApprovePolicy(actingAs(t, b, "s"), draft.ID, time.Time{})
	wantError(t, err, domain.ECONFLICT, "imk.policy_not_draft")
	err = svc.DiscardPolicy(actingAs(t, b, "s"), draft.ID)
	wantError(t, err, domain.ECONFLICT, "imk.policy_not_draft")

	_, err = db.Pool().Exec(t.Context(), `UPDATE eligibility_policies SET min_age = 18 WHERE id = $1`, draft.ID)
	wantSQLState(t, err, "42501")
	_, err = db.Pool().Exec(t.Context(), `UPDATE eligibility_policies SET name = 'x' WHERE version = 1`)
	wantSQLState(t, err, "42501")
	_, err = db.Pool().Exec(t.Context(), `DELETE FROM eligibility_policies WHERE id = $1`, draft.ID)
	wantSQLState(t, err, "42501")
	if p, _ := svc.FindPolicy(t.Context(), draft.ID); p.MinAge != 60 {
		t.Fatalf("min age = %d, want 60", p.MinAge)
	}
}

func TestPolicy_FutureEffectiveFrom_NotInForceYet(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	svc := storage.NewPolicyService(db)
	a := newOperator(t, db, "ilze", withRoles(domain.RoleEditor))
	b := newOperator(t, db, "janis", withRoles(domain.RoleAdmin))
	draft, err := svc.DraftPolicy(actingAs(t, a, "s"), stricterPolicy())
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.ApprovePolicy(actingAs(t, b, "s"), draft.ID, time.Now().Add(-time.Hour))
	wantError(t, err, domain.EINVALID, "imk.policy_past")

	from := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Microsecond)
	got, err := svc.ApprovePolicy(actingAs(t, b, "s"), draft.ID, from)
	if err != nil {
		t.Fatal(err)
	}
	if !got.EffectiveFrom.Equal(from) {
		t.Fatalf("effective from %v, want %v", got.EffectiveFrom, from)
	}
	if p, _ := svc.PolicyInForce(t.Context(), time.Now()); p.Version != 1 {
		t.Fatalf("in force now: version %d, want 1", p.Version)
	}
	if p, _ := svc.PolicyInForce(t.Context(), from); p.ID != draft.ID {
		t.Fatalf("in force from %v: version %d, want 2", from, p.Version)
	}

	// The checker, today, still uses version 1.
	seedOne(t, db, newCode(3))
	checkAll(t, db)
	if st, pid, _ := appPolicy(t, db, newCode(3)); st != "approved" || pid == draft.ID {
		t.Fatalf("application: %s under policy %d, want approved under version 1", st, pid)
	}
}
