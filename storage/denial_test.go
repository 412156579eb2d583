package storage_test

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// denialEnv is a database with two security officers and a reviewer.
type denialEnv struct {
	db       *storage.DB
	svc      *storage.DenialService
	ilze     *domain.Operator // security
	andris   *domain.Operator // security
	reviewer *domain.Operator // not security
}

func newDenialEnv(t testing.TB) *denialEnv {
	t.Helper()
	db := pgtest.NewDB(t)
	return &denialEnv{
		db:       db,
		svc:      storage.NewDenialService(db),
		ilze:     newOperator(t, db, "ilze.drosiba", withRoles(domain.RoleSecurity)),
		andris:   newOperator(t, db, "andris.drosiba", withRoles(domain.RoleSecurity, domain.RoleReviewer)),
		reviewer: newOperator(t, db, "rita.reviewer"),
	}
}

// dnSeq makes the factories' rows distinct.
var dnSeq atomic.Int64

// institution creates an active education institution.
func (e *denialEnv) institution(t testing.TB) int64 {
	t.Helper()
	n := dnSeq.Add(1)
	var id int64
	err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ($1, $2, $3, $4, 'active', now()) RETURNING id`,
		"Iestāde "+strconv.FormatInt(n, 10), companyNumberFor(n+5000), leftPad(strconv.FormatInt(3000000000+n, 10), 10),
		"iestade"+strconv.FormatInt(n, 10)+"@example.lv").Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// user creates a platform user: a person signing in through Latvija.gov.lv
// when institution is 0, otherwise a password user of the institution.
func (e *denialEnv) user(t testing.TB, institution int64) int64 {
	t.Helper()
	n := dnSeq.Add(1)
	email := "lietotajs" + strconv.FormatInt(n, 10) + "@example.lv"
	var id int64
	var err error
	if institution == 0 {
		err = e.db.Pool().QueryRow(t.Context(), `
			INSERT INTO platform_users (kind, personal_code, email, first_name, last_name)
			VALUES ('viss', $1, $2, 'Jānis', 'Ozoliņš') RETURNING id`, personalCodeFor(n%28000), email).Scan(&id)
	} else {
		err = e.db.Pool().QueryRow(t.Context(), `
			INSERT INTO platform_users (kind, email, password_hash, institution_id, first_name, last_name)
			VALUES ('password', $1, '$argon2id$x', $2, 'Līga', 'Bērziņa') RETURNING id`, email, institution).Scan(&id)
	}
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// assignment gives user a running role valid until until.
func (e *denialEnv) assignment(t testing.TB, user, institution int64, until time.Time) int64 {
	t.Helper()
	role, inst := "adult_education_coordinator", any(nil)
	if institution != 0 {
		role, inst = "institution_staff", institution
	}
	var id int64
	err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO role_assignments (user_id, role, institution_id, valid_from, valid_until)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, user, role, inst, until.Add(-400*24*time.Hour), until).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (e *denialEnv) boolOf(t testing.TB, sql string, id int64) bool {
	t.Helper()
	var b bool
	if err := e.db.Pool().QueryRow(t.Context(), sql, id).Scan(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *denialEnv) signInDenied(t testing.TB, user int64) bool {
	return e.boolOf(t, "SELECT sign_in_denied FROM platform_users WHERE id = $1", user)
}

func (e *denialEnv) suspended(t testing.TB, assignment int64) bool {
	return e.boolOf(t, "SELECT suspended_at IS NOT NULL FROM role_assignments WHERE id = $1", assignment)
}

func (e *denialEnv) institutionSuspended(t testing.TB, id int64) bool {
	return e.boolOf(t, "SELECT state = 'suspended' FROM institutions WHERE id = $1", id)
}

func (e *denialEnv) operatorDisabled(t testing.TB, id int64) bool {
	return e.boolOf(t, "SELECT disabled FROM operators WHERE id = $1", id)
}

func (e *denialEnv) audits(t testing.TB, action string, denial int64) int {
	t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), `
		SELECT count(*) FROM audit_log WHERE action = $1 AND subject_kind = 'denial' AND subject_id = $2`,
		action, strconv.FormatInt(denial, 10)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *denialEnv) deny(t testing.TB, op *domain.Operator, kind domain.SubjectKind, id int64, g domain.Ground) *domain.Denial {
	t.Helper()
	d, err := e.svc.Deny(as(t, op), kind, id, g, "pārkāpums konstatēts", "ziņojums Nr. 7")
	if err != nil {
		t.Fatalf("Deny %s %d ¶%s: %v", kind, id, g, err)
	}
	return d
}

func (e *denialEnv) find(t testing.TB, id int64) *domain.Denial {
	t.Helper()
	d, err := e.svc.FindDenial(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDenial_EachGround_DeniesUserAndSuspendsAssignments(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	for _, g := range domain.Grounds {
		t.Run(string(g), func(t *testing.T) {
			u := e.user(t, 0)
			a := e.assignment(t, u, 0, time.Now().Add(90*24*time.Hour))
			d := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, g)
			if d.State != domain.DenialInForce || d.InForceAt.IsZero() || d.RaisedBy != e.ilze.ID {
				t.Fatalf("denial = %+v, want in force, raised by ilze", d)
			}
			if d.SubjectName != "Jānis Ozoliņš" {
				t.Errorf("SubjectName = %q", d.SubjectName)
			}
			if !e.signInDenied(t, u) || !e.suspended(t, a) {
				t.Fatalf("sign-in denied %v, assignment suspended %v; want both", e.signInDenied(t, u), e.suspended(t, a))
			}
			if e.audits(t, domain.AuditDenialInForce, d.ID) != 1 {
				t.Error("no audit entry denial.in_force")
			}
		})
	}
}

func TestDenial_Institution_SuspendsItAndItsUsers_LiftRestores(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	inst := e.institution(t)
	u1, u2 := e.user(t, inst), e.user(t, inst)
	a1 := e.assignment(t, u1, inst, time.Now().Add(90*24*time.Hour))
	outsider := e.user(t, 0)
	d := e.deny(t, e.ilze, domain.SubjectInstitution, inst, domain.GroundRulesBroken)
	if !e.institutionSuspended(t, inst) || !e.signInDenied(t, u1) || !e.signInDenied(t, u2) || !e.suspended(t, a1) {
		t.Fatal("institution, its users and their assignments must all be denied")
	}
	if e.signInDenied(t, outsider) {
		t.Fatal("a user of no institution was denied")
	}
	if err := e.svc.Lift(as(t, e.andris), d.ID, d.Version, "pārkāpums novērsts"); err != nil {
		t.Fatal(err)
	}
	if e.institutionSuspended(t, inst) || e.signInDenied(t, u1) || e.signInDenied(t, u2) || e.suspended(t, a1) {
		t.Fatal("lifting must restore the institution, its users and their assignments")
	}
	if got := e.find(t, d.ID); got.State != domain.DenialLifted || got.LiftReason != "pārkāpums novērsts" || got.LiftedBy != e.andris.ID {
		t.Fatalf("lifted denial = %+v", got)
	}
}

func TestDenial_Lift_KeepsWhatAnotherDenialInForceRequires(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	inst := e.institution(t)
	u := e.user(t, inst)
	a := e.assignment(t, u, inst, time.Now().Add(90*24*time.Hour))
	personal := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundUserRequest)
	other := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundRulesBroken)
	byInst := e.deny(t, e.ilze, domain.SubjectInstitution, inst, domain.GroundCooperation)

	if err := e.svc.Lift(as(t, e.ilze), personal.ID, personal.Version, "lietotājs atsauca lūgumu"); err != nil {
		t.Fatal(err)
	}
	if !e.signInDenied(t, u) || !e.suspended(t, a) {
		t.Fatal("sign-in restored while another denial of the user is in force")
	}
	other = e.find(t, other.ID)
	if err := e.svc.Lift(as(t, e.ilze), other.ID, other.Version, "noteikumi ievēroti"); err != nil {
		t.Fatal(err)
	}
	if !e.signInDenied(t, u) || !e.suspended(t, a) {
		t.Fatal("sign-in restored while the user's institution is denied")
	}
	byInst = e.find(t, byInst.ID)
	if err := e.svc.Lift(as(t, e.ilze), byInst.ID, byInst.Version, "sadarbība atjaunota"); err != nil {
		t.Fatal(err)
	}
	if e.signInDenied(t, u) || e.suspended(t, a) || e.institutionSuspended(t, inst) {
		t.Fatal("the last lift must restore everything")
	}
}

func TestDenial_Lift_LeavesWhatNoDenialDid(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	u := e.user(t, 0)
	a := e.assignment(t, u, 0, time.Now().Add(90*24*time.Hour))
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET sign_in_denied = true WHERE id = $1`, u); err != nil {
		t.Fatal(err)
	}
	d := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundRulesBroken)
	if err := e.svc.Lift(as(t, e.ilze), d.ID, d.Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	if !e.signInDenied(t, u) {
		t.Fatal("lifting undid a sign-in denial the denial had not made")
	}
	if e.suspended(t, a) {
		t.Fatal("the assignment the denial suspended was not resumed")
	}
}

func TestDenial_Operator_PendingUntilSecondOfficer_ThenDisabledAndNotified(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	feed := startFeed(t)
	ch, stop := feed.Subscribe(domain.TopicOperator, domain.TopicDenial)
	defer stop()
	waitFor(t, ch, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})

	d := e.deny(t, e.ilze, domain.SubjectOperator, e.reviewer.ID, domain.GroundCompromised)
	if d.State != domain.DenialPendingApproval || e.operatorDisabled(t, e.reviewer.ID) {
		t.Fatalf("operator denial state %s, disabled %v: want pending and not disabled", d.State, e.operatorDisabled(t, e.reviewer.ID))
	}
	waitFor(t, ch, domain.Change{Topic: domain.TopicDenial, ID: strconv.FormatInt(d.ID, 10)})

	wantError(t, e.svc.Approve(as(t, e.ilze), d.ID, d.Version), domain.EFORBIDDEN, "denial.own")
	wantError(t, e.svc.Approve(asSession(t, e.ilze, "another-session"), d.ID, d.Version), domain.EFORBIDDEN, "denial.own")
	wantError(t, e.svc.Approve(as(t, e.reviewer), d.ID, d.Version), domain.EFORBIDDEN, "denial.not_security")
	if e.operatorDisabled(t, e.reviewer.ID) {
		t.Fatal("disabled without a second officer")
	}
	if err := e.svc.Approve(as(t, e.andris), d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	if !e.operatorDisabled(t, e.reviewer.ID) {
		t.Fatal("operator not disabled after approval")
	}
	waitFor(t, ch, domain.Change{Topic: domain.TopicOperator, ID: strconv.FormatInt(e.reviewer.ID, 10)})
	got := e.find(t, d.ID)
	if got.State != domain.DenialInForce || got.ApprovedBy != e.andris.ID {
		t.Fatalf("approved denial = %+v", got)
	}
	if e.audits(t, domain.AuditDenialApprove, d.ID) != 1 {
		t.Error("no audit entry denial.approve")
	}
	// ¶32.3: the lift waits for a second officer too.
	if err := e.svc.Lift(as(t, e.andris), got.ID, got.Version, "parole nomainīta"); err != nil {
		t.Fatal(err)
	}
	got = e.find(t, d.ID)
	if got.State != domain.DenialLiftPending || !e.operatorDisabled(t, e.reviewer.ID) {
		t.Fatalf("state %s after lift request; want lift pending, still disabled", got.State)
	}
	wantError(t, e.svc.Approve(asSession(t, e.andris, "second-window"), got.ID, got.Version), domain.EFORBIDDEN, "denial.own")
	if err := e.svc.Approve(as(t, e.ilze), got.ID, got.Version); err != nil {
		t.Fatal(err)
	}
	if e.operatorDisabled(t, e.reviewer.ID) {
		t.Fatal("operator still disabled after the lift was approved")
	}
	if got = e.find(t, d.ID); got.State != domain.DenialLifted || got.LiftApprover != e.ilze.ID || got.LiftedBy != e.andris.ID {
		t.Fatalf("lifted = %+v", got)
	}
}

func TestDenial_Operator_SubjectCannotApproveOwnDenial(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	third := newOperator(t, e.db, "juris.drosiba", withRoles(domain.RoleSecurity))
	d := e.deny(t, e.ilze, domain.SubjectOperator, third.ID, domain.GroundIncident)
	wantError(t, e.svc.Approve(as(t, third), d.ID, d.Version), domain.EFORBIDDEN, "denial.own")
	_, err := e.svc.Deny(as(t, e.ilze), domain.SubjectOperator, e.ilze.ID, domain.GroundIncident, "es pats", "")
	wantError(t, err, domain.EFORBIDDEN, "denial.self")
}

func TestDenial_NotSecurity_Refused(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	u := e.user(t, 0)
	_, err := e.svc.Deny(as(t, e.reviewer), domain.SubjectPlatformUser, u, domain.GroundRulesBroken, "mēģinājums", "")
	wantError(t, err, domain.EFORBIDDEN, "denial.not_security")
	_, err = e.svc.Deny(t.Context(), domain.SubjectPlatformUser, u, domain.GroundRulesBroken, "bez operatora", "")
	wantError(t, err, domain.EUNAUTHORIZED, "denial.no_operator")
	d := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundRulesBroken)
	wantError(t, e.svc.Lift(as(t, e.reviewer), d.ID, d.Version, "atjaunot"), domain.EFORBIDDEN, "denial.not_security")
	if !e.signInDenied(t, u) {
		t.Fatal("a reviewer's lift changed something")
	}
}

func TestDenial_Validation_AndConflicts(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	u := e.user(t, 0)
	ctx := as(t, e.ilze)
	_, err := e.svc.Deny(ctx, domain.SubjectPlatformUser, u, "32.9", "nav tāda", "")
	wantError(t, err, domain.EINVALID, "denial.bad_ground")
	_, err = e.svc.Deny(ctx, domain.SubjectPlatformUser, u, domain.GroundRulesBroken, "  ", "")
	wantError(t, err, domain.EINVALID, "denial.note_required")
	_, err = e.svc.Deny(ctx, domain.SubjectPlatformUser, 999999, domain.GroundRulesBroken, "nav", "")
	wantError(t, err, domain.ENOTFOUND, "denial.no_subject")
	d := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundRulesBroken)
	_, err = e.svc.Deny(ctx, domain.SubjectPlatformUser, u, domain.GroundRulesBroken, "atkārtoti", "")
	wantError(t, err, domain.ECONFLICT, "denial.exists")
	wantError(t, e.svc.Lift(ctx, d.ID, d.Version, ""), domain.EINVALID, "denial.reason_required")
	wantError(t, e.svc.Lift(ctx, d.ID, d.Version+1, "novecojis"), domain.ECONFLICT, "denial.changed")
	if err := e.svc.Lift(ctx, d.ID, d.Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.svc.Lift(ctx, d.ID, d.Version+1, "vēlreiz"), domain.ECONFLICT, "denial.not_in_force")
	// Lifted, the ground is free again.
	e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundRulesBroken)
}

func TestDenial_Incident_LiftPendingUntilApproved_RefuseKeepsInForce(t *testing.T) {
	t.Parallel()
	for _, g := range []domain.Ground{domain.GroundCompromised, domain.GroundIncident} {
		t.Run(string(g), func(t *testing.T) {
			e := newDenialEnv(t)
			u := e.user(t, 0)
			d := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, g)
			if err := e.svc.Lift(as(t, e.ilze), d.ID, d.Version, "incidents slēgts"); err != nil {
				t.Fatal(err)
			}
			d = e.find(t, d.ID)
			if d.State != domain.DenialLiftPending || !e.signInDenied(t, u) {
				t.Fatalf("state %s, denied %v: want lift pending and still denied", d.State, e.signInDenied(t, u))
			}
			if p, _ := e.svc.PendingApprovals(t.Context()); len(p) != 1 || p[0].ID != d.ID {
				t.Fatalf("PendingApprovals = %v", p)
			}
			wantError(t, e.svc.Approve(asSession(t, e.ilze, "cits-logs"), d.ID, d.Version), domain.EFORBIDDEN, "denial.own")
			if err := e.svc.Refuse(as(t, e.andris), d.ID, d.Version, "incidents nav izmeklēts"); err != nil {
				t.Fatal(err)
			}
			d = e.find(t, d.ID)
			if d.State != domain.DenialInForce || !e.signInDenied(t, u) || d.RefuseReason != "incidents nav izmeklēts" {
				t.Fatalf("after refusal: %+v", d)
			}
			if err := e.svc.Lift(as(t, e.andris), d.ID, d.Version, "izmeklēts"); err != nil {
				t.Fatal(err)
			}
			d = e.find(t, d.ID)
			if err := e.svc.Approve(as(t, e.ilze), d.ID, d.Version); err != nil {
				t.Fatal(err)
			}
			if e.signInDenied(t, u) || e.find(t, d.ID).State != domain.DenialLifted {
				t.Fatal("approved lift did not restore access")
			}
		})
	}
}

func TestDenial_RefusePendingOperatorDenial_Cancels(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	d := e.deny(t, e.ilze, domain.SubjectOperator, e.reviewer.ID, domain.GroundRulesBroken)
	if err := e.svc.Refuse(as(t, e.andris), d.ID, d.Version, "nepamatoti"); err != nil {
		t.Fatal(err)
	}
	if got := e.find(t, d.ID); got.State != domain.DenialCancelled || e.operatorDisabled(t, e.reviewer.ID) {
		t.Fatalf("refused denial = %+v", got)
	}
	// Cancelled, the ground is free again.
	e.deny(t, e.ilze, domain.SubjectOperator, e.reviewer.ID, domain.GroundRulesBroken)
}

func TestDenial_ListAndHistory(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	u := e.user(t, 0)
	d1 := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundRulesBroken)
	d2 := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundUserRequest)
	if err := e.svc.Lift(as(t, e.ilze), d1.ID, d1.Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.ListDenials(t.Context(), domain.DenialFilter{})
	if err != nil || len(list) != 1 || list[0].ID != d2.ID {
		t.Fatalf("ListDenials = %v, %v; want only the one in force", list, err)
	}
	list, err = e.svc.ListDenials(t.Context(), domain.DenialFilter{States: []domain.DenialState{domain.DenialLifted}, Grounds: []domain.Ground{domain.GroundRulesBroken}})
	if err != nil || len(list) != 1 || list[0].ID != d1.ID {
		t.Fatalf("ListDenials(lifted, 32.5) = %v, %v", list, err)
	}
	h, err := e.svc.SubjectHistory(t.Context(), domain.SubjectPlatformUser, u)
	if err != nil || len(h) != 2 || h[0].ID != d2.ID {
		t.Fatalf("SubjectHistory = %v, %v", h, err)
	}
}
