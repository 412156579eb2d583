package storage_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// sanctionEnv is a denial environment with the sanction service and a
// third security officer.
type sanctionEnv struct {
	*denialEnv
	sanctions *storage.SanctionService
	juris     *domain.Operator // security
}

func newSanctionEnv(t testing.TB) *sanctionEnv {
	t.Helper()
	e := newDenialEnv(t)
	return &sanctionEnv{denialEnv: e, sanctions: storage.NewSanctionService(e.db),
		juris: newOperator(t, e.db, "juris.drosiba", withRoles(domain.RoleSecurity))}
}

// openCase opens a ¶32.5 case about institution as ilze.
func (e *sanctionEnv) openCase(t testing.TB, institution int64) *domain.SanctionCase {
	t.Helper()
	c, err := e.sanctions.OpenCase(as(t, e.ilze), institution, domain.GroundRulesBroken, "ziņojums par pārkāpumu", "vēstule Nr. 12")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *sanctionEnv) caseOf(t testing.TB, id int64) *domain.SanctionCase {
	t.Helper()
	c, err := e.sanctions.FindCase(as(t, e.ilze), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// step proposes a step as op on case id at its current version.
func (e *sanctionEnv) step(t testing.TB, op *domain.Operator, id int64, kind domain.SanctionStepKind, until time.Time) *domain.SanctionStep {
	t.Helper()
	st, err := e.sanctions.ProposeStep(as(t, op), id, e.caseOf(t, id).Version, kind, "turpina pārkāpt", "akts Nr. 3", until)
	if err != nil {
		t.Fatalf("propose %s: %v", kind, err)
	}
	return st
}

func (e *sanctionEnv) stepOf(t testing.TB, caseID, stepID int64) *domain.SanctionStep {
	t.Helper()
	for _, s := range e.caseOf(t, caseID).Steps {
		if s.ID == stepID {
			return s
		}
	}
	t.Fatalf("case %d has no step %d", caseID, stepID)
	return nil
}

// mails counts the mails of template to address to.
func (e *sanctionEnv) mails(t testing.TB, template, to string) int {
	t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM outbox WHERE template = $1 AND to_addr = $2`, template, to).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *sanctionEnv) caseAudits(t testing.TB, action string, id int64) int {
	t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), `
		SELECT count(*) FROM audit_log WHERE action = $1 AND subject_kind = 'sanction_case' AND subject_id = $2`,
		action, strconv.FormatInt(id, 10)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ¶32.5: a warning takes effect at once: recorded, audited and mailed to
// the institution with the clause, the reason and what follows; a
// suspension or a denial cannot come before a warning.
func TestSanction_Warning_RecordedAndMailed_P32_5(t *testing.T) {
	t.Parallel()
	e := newSanctionEnv(t)
	inst := e.institution(t)
	c := e.openCase(t, inst)
	_, err := e.sanctions.ProposeStep(as(t, e.ilze), c.ID, c.Version, domain.SanctionSuspension, "uzreiz", "", time.Now().Add(time.Hour))
	wantError(t, err, domain.ECONFLICT, "sanction.warn_first")
	w := e.step(t, e.ilze, c.ID, domain.SanctionWarning, time.Time{})
	if w.State != domain.SanctionStepGiven {
		t.Fatalf("warning state %s, want given", w.State)
	}
	body := e.mailBody(t, "sanction.warning", e.emailOf(t, "institutions", inst))
	for _, want := range []string{"32.5", "turpina pārkāpt", "apturēt", "suspend", strconv.FormatInt(c.ID, 10)} {
		if !strings.Contains(body, want) {
			t.Errorf("warning mail lacks %q:\n%s", want, body)
		}
	}
	if e.caseAudits(t, domain.AuditSanctionOpen, c.ID) != 1 || e.caseAudits(t, domain.AuditSanctionWarning, c.ID) != 1 {
		t.Error("opening or the warning not audited")
	}
	if got := e.caseOf(t, c.ID); got.Current != domain.SanctionWarning || got.Pending {
		t.Errorf("case current %q pending %v, want warning, not pending", got.Current, got.Pending)
	}
	_, err = e.sanctions.OpenCase(as(t, e.andris), inst, domain.GroundCooperation, "otra", "")
	wantError(t, err, domain.ECONFLICT, "sanction.case_open")
}

// ¶32.5: a suspension waits for a second security officer (the proposer
// cannot approve, from another session either); approved, the
// institution is suspended and its users cannot sign in; its period's end
// (the sweep) restores exactly what it changed — a user denied by hand
// before stays denied — and mails the institution both times.
func TestSanction_Suspension_FourEyes_ExpiryRestoresExactly_P32_5(t *testing.T) {
	t.Parallel()
	e := newSanctionEnv(t)
	inst := e.institution(t)
	u1, u2 := e.user(t, inst), e.user(t, inst)
	role := e.assignment(t, u1, inst, time.Now().Add(300*24*time.Hour))
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET sign_in_denied = true WHERE id = $1`, u2); err != nil {
		t.Fatal(err)
	}
	c := e.openCase(t, inst)
	e.step(t, e.ilze, c.ID, domain.SanctionWarning, time.Time{})
	until := time.Now().Add(time.Hour)
	s := e.step(t, e.ilze, c.ID, domain.SanctionSuspension, until)
	if s.State != domain.SanctionStepPending || e.signInDenied(t, u1) || e.institutionSuspended(t, inst) {
		t.Fatalf("a proposed suspension had effect (state %s)", s.State)
	}
	wantError(t, e.sanctions.ApproveStep(as(t, e.ilze), s.ID, s.Version), domain.EFORBIDDEN, "sanction.own")
	wantError(t, e.sanctions.ApproveStep(asSession(t, e.ilze, "another-window"), s.ID, s.Version), domain.EFORBIDDEN, "sanction.own")
	if err := e.sanctions.ApproveStep(as(t, e.andris), s.ID, s.Version); err != nil {
		t.Fatal(err)
	}
	got := e.stepOf(t, c.ID, s.ID)
	if got.State != domain.SanctionStepInForce || got.DecidedBy != e.andris.ID || got.DenialID == 0 {
		t.Fatalf("approved suspension = %+v", got)
	}
	if !e.signInDenied(t, u1) || !e.suspended(t, role) || !e.institutionSuspended(t, inst) {
		t.Fatal("the suspension in force left a user signing in, a role running or the institution active")
	}
	addr := e.emailOf(t, "institutions", inst)
	if e.mails(t, "sanction.suspended", addr) != 1 {
		t.Fatal("no mail of the suspension")
	}
	d := e.find(t, got.DenialID)
	if d.SubjectKind != domain.SubjectInstitution || d.State != domain.DenialInForce || !d.EndsAt.Equal(until.UTC().Truncate(time.Microsecond)) {
		t.Fatalf("the suspension's denial = %+v", d)
	}

	sw := storage.NewSweeper(e.db, "test")
	if r, err := sw.RunSweep(t.Context(), storage.SweepSanctionExpiry, until.Add(-time.Minute)); err != nil || r.Changed != 0 {
		t.Fatalf("sweep before the end: %+v, %v", r, err)
	}
	r, err := sw.RunSweep(t.Context(), storage.SweepSanctionExpiry, until.Add(time.Minute))
	if err != nil || r.Changed != 1 {
		t.Fatalf("sweep at the end: %+v, %v", r, err)
	}
	if e.signInDenied(t, u1) || e.suspended(t, role) || e.institutionSuspended(t, inst) {
		t.Fatal("the suspension's end left its effects")
	}
	if !e.signInDenied(t, u2) {
		t.Fatal("the end of the suspension restored a user it had not denied")
	}
	if st := e.stepOf(t, c.ID, s.ID); st.State != domain.SanctionStepExpired {
		t.Fatalf("step after its end: %s, want expired", st.State)
	}
	if e.mails(t, "sanction.suspension_ended", addr) != 1 || e.caseAudits(t, domain.AuditSanctionExpire, c.ID) != 1 {
		t.Fatal("the end was not mailed or not audited")
	}
	if r, err := sw.RunSweep(t.Context(), storage.SweepSanctionExpiry, until.Add(2*time.Minute)); err != nil || r.Changed != 0 {
		t.Fatalf("a second sweep changed something: %+v, %v", r, err)
	}
	if err := e.sanctions.CloseCase(as(t, e.ilze), c.ID, e.caseOf(t, c.ID).Version, "novērsts"); err != nil {
		t.Fatal(err)
	}
}

// ¶32.5, ¶32.7: a denial of the institution raised on the denials screen
// while a suspension is in force (on the same clause) keeps its effects
// when the suspension ends: its users stay denied, the institution stays
// suspended.
func TestSanction_SuspensionEnds_WhileADenialIsInForce_DenialKeepsItsEffects_P32_5(t *testing.T) {
	t.Parallel()
	e := newSanctionEnv(t)
	inst := e.institution(t)
	u := e.user(t, inst)
	c := e.openCase(t, inst)
	e.step(t, e.ilze, c.ID, domain.SanctionWarning, time.Time{})
	until := time.Now().Add(time.Hour)
	s := e.step(t, e.ilze, c.ID, domain.SanctionSuspension, until)
	if err := e.sanctions.ApproveStep(as(t, e.andris), s.ID, s.Version); err != nil {
		t.Fatal(err)
	}
	other := e.deny(t, e.juris, domain.SubjectInstitution, inst, domain.GroundRulesBroken)
	if _, err := storage.NewSweeper(e.db, "test").RunSweep(t.Context(), storage.SweepSanctionExpiry, until.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if st := e.stepOf(t, c.ID, s.ID); st.State != domain.SanctionStepExpired {
		t.Fatalf("suspension %s, want expired", st.State)
	}
	if !e.signInDenied(t, u) || !e.institutionSuspended(t, inst) {
		t.Fatal("the suspension's end undid what the denial in force requires")
	}
	if err := e.svc.Lift(as(t, e.andris), other.ID, e.find(t, other.ID).Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	if e.signInDenied(t, u) || e.institutionSuspended(t, inst) {
		t.Fatal("lifting the denial did not restore what the suspension had changed")
	}
}

// ¶32.5: a refused step has no effect; only security officers take steps
// (a reviewer may open a case and read, others nothing).
func TestSanction_Refused_NoEffect_RoleChecks_P32_5(t *testing.T) {
	t.Parallel()
	e := newSanctionEnv(t)
	helpdesk := newOperator(t, e.db, "hanna.helpdesk", withRoles(domain.RoleHelpdesk))
	inst := e.institution(t)
	u := e.user(t, inst)
	c, err := e.sanctions.OpenCase(as(t, e.reviewer), inst, domain.GroundCooperation, "atkārtota pārbaude: iestāde likvidēta", "")
	if err != nil {
		t.Fatalf("a reviewer could not open a case: %v", err)
	}
	_, err = e.sanctions.ProposeStep(as(t, e.reviewer), c.ID, c.Version, domain.SanctionWarning, "x", "", time.Time{})
	wantError(t, err, domain.EFORBIDDEN, "sanction.not_security")
	_, err = e.sanctions.ListCases(as(t, helpdesk), domain.SanctionFilter{})
	wantError(t, err, domain.EFORBIDDEN, "sanction.forbidden")
	_, err = e.sanctions.OpenCase(as(t, helpdesk), e.institution(t), domain.GroundRulesBroken, "x", "")
	wantError(t, err, domain.EFORBIDDEN, "sanction.forbidden")

	e.step(t, e.ilze, c.ID, domain.SanctionWarning, time.Time{})
	d := e.step(t, e.ilze, c.ID, domain.SanctionDenial, time.Time{})
	wantError(t, e.sanctions.ApproveStep(as(t, e.reviewer), d.ID, d.Version), domain.EFORBIDDEN, "sanction.not_security")
	wantError(t, e.sanctions.RefuseStep(as(t, e.andris), d.ID, d.Version, " "), domain.EINVALID, "sanction.reason_required")
	if err := e.sanctions.RefuseStep(as(t, e.andris), d.ID, d.Version, "pierādījumu nepietiek"); err != nil {
		t.Fatal(err)
	}
	if got := e.stepOf(t, c.ID, d.ID); got.State != domain.SanctionStepRefused || got.RefuseReason != "pierādījumu nepietiek" {
		t.Fatalf("refused step = %+v", got)
	}
	if e.signInDenied(t, u) || e.institutionSuspended(t, inst) {
		t.Fatal("a refused denial had effect")
	}
	wantError(t, e.sanctions.ApproveStep(as(t, e.juris), d.ID, e.stepOf(t, c.ID, d.ID).Version), domain.ECONFLICT, "sanction.not_pending")
	cases, err := e.sanctions.CasesOf(as(t, e.reviewer), inst)
	if err != nil || len(cases) != 1 || cases[0].ID != c.ID {
		t.Fatalf("CasesOf = %v, %v", cases, err)
	}
}

// ¶32.5: a denial approved while a suspension is in force takes it over
// (the suspension is superseded, its users stay denied); lifting the
// denial restores exactly what was changed and mails the institution; a
// case closes only once nothing is in force.
func TestSanction_Denial_TakesOverSuspension_LiftRestores_P32_5(t *testing.T) {
	t.Parallel()
	e := newSanctionEnv(t)
	inst := e.institution(t)
	u := e.user(t, inst)
	c := e.openCase(t, inst)
	e.step(t, e.ilze, c.ID, domain.SanctionWarning, time.Time{})
	s := e.step(t, e.ilze, c.ID, domain.SanctionSuspension, time.Now().Add(48*time.Hour))
	if err := e.sanctions.ApproveStep(as(t, e.andris), s.ID, s.Version); err != nil {
		t.Fatal(err)
	}
	_, err := e.sanctions.ProposeStep(as(t, e.ilze), c.ID, e.caseOf(t, c.ID).Version, domain.SanctionWarning, "vēl", "", time.Time{})
	wantError(t, err, domain.ECONFLICT, "sanction.step_in_force")
	d := e.step(t, e.andris, c.ID, domain.SanctionDenial, time.Time{})
	if err := e.sanctions.ApproveStep(as(t, e.ilze), d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	kase := e.caseOf(t, c.ID)
	if kase.Current != domain.SanctionDenial || e.stepOf(t, c.ID, s.ID).State != domain.SanctionStepSuperseded {
		t.Fatalf("after the denial: current %q, suspension %s", kase.Current, e.stepOf(t, c.ID, s.ID).State)
	}
	if !e.signInDenied(t, u) || !e.institutionSuspended(t, inst) {
		t.Fatal("the denial taking over the suspension restored access")
	}
	addr := e.emailOf(t, "institutions", inst)
	if e.mails(t, "sanction.denied", addr) != 1 || e.mails(t, "sanction.suspension_ended", addr) != 0 {
		t.Fatal("want one denial mail and no suspension-ended mail")
	}
	wantError(t, e.sanctions.CloseCase(as(t, e.ilze), c.ID, kase.Version, "beigas"), domain.ECONFLICT, "sanction.step_in_force")
	dd := e.stepOf(t, c.ID, d.ID)
	wantError(t, e.sanctions.LiftStep(as(t, e.ilze), dd.ID, dd.Version, ""), domain.EINVALID, "sanction.reason_required")
	if err := e.sanctions.LiftStep(as(t, e.ilze), dd.ID, dd.Version, "iestāde novērsa pārkāpumu"); err != nil {
		t.Fatal(err)
	}
	if e.signInDenied(t, u) || e.institutionSuspended(t, inst) {
		t.Fatal("lifting the denial left its effects")
	}
	if e.mails(t, "sanction.denial_lifted", addr) != 1 || e.caseAudits(t, domain.AuditSanctionLift, c.ID) != 1 {
		t.Fatal("the lift was not mailed or not audited")
	}
	if err := e.sanctions.CloseCase(as(t, e.ilze), c.ID, e.caseOf(t, c.ID).Version, "beigas"); err != nil {
		t.Fatal(err)
	}
	open, err := e.sanctions.ListCases(as(t, e.ilze), domain.SanctionFilter{States: []domain.SanctionCaseState{domain.SanctionCaseOpen}})
	if err != nil || len(open) != 0 {
		t.Fatalf("open cases after closing: %v, %v", open, err)
	}
}

// ¶32.5: two security officers approving one step at once: one wins, the
// other gets ECONFLICT, and the institution is denied once.
func TestSanction_TwoOfficersApproveAtOnce_OneWins_P32_5(t *testing.T) {
	t.Parallel()
	e := newSanctionEnv(t)
	inst := e.institution(t)
	c := e.openCase(t, inst)
	e.step(t, e.ilze, c.ID, domain.SanctionWarning, time.Time{})
	d := e.step(t, e.ilze, c.ID, domain.SanctionDenial, time.Time{})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, op := range []*domain.Operator{e.andris, e.juris} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.sanctions.ApproveStep(as(t, op), d.ID, d.Version)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case domain.ErrorCode(err) != domain.ECONFLICT:
			t.Fatalf("the loser got %v, want ECONFLICT", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d approvals won, want 1 (%v)", won, errs)
	}
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM denials WHERE subject_kind = 'institution' AND subject_id = $1`, inst).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d denials of the institution, want 1 (%v)", n, err)
	}
}
