package storage_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

func (e *denialEnv) imkState(t testing.TB, id int64) domain.IMKState {
	t.Helper()
	var s string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT state FROM imk_applications WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return domain.IMKState(s)
}

// mailBody returns the body of the one mail of template to address to,
// failing unless there is exactly one.
func (e *denialEnv) mailBody(t testing.TB, template, to string) string {
	t.Helper()
	rows, err := e.db.Pool().Query(t.Context(), `SELECT body FROM outbox WHERE template = $1 AND to_addr = $2`, template, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var bodies []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, b)
	}
	if len(bodies) != 1 {
		t.Fatalf("%d mails %s to the subject, want 1", len(bodies), template)
	}
	return bodies[0]
}

func (e *denialEnv) emailOf(t testing.TB, table string, id int64) string {
	t.Helper()
	var s string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT email FROM `+table+` WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// ¶24, ¶32: a denial of a person suspends their approved IMK and nobody
// else's; lifting it restores exactly what it suspended (an application
// suspended before, by other means, stays suspended; one not yet decided
// is left as it was).
func TestDenial_SuspendsIMK_LiftRestoresExactly_P24_P32(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	person, other, third := e.user(t, 0), e.user(t, 0), e.user(t, 0)
	mine := e.imk(t, person, "approved")
	closed := e.imk(t, person, "closed")
	theirs := e.imk(t, other, "approved")
	already := e.imk(t, third, "suspended")

	d := e.deny(t, e.ilze, domain.SubjectPlatformUser, person, domain.GroundRulesBroken)
	if got := e.imkState(t, mine); got != domain.IMKSuspended {
		t.Fatalf("the person's IMK is %s while denied, want suspended", got)
	}
	if e.imkState(t, closed) != domain.IMKClosed || e.imkState(t, theirs) != domain.IMKApproved {
		t.Fatalf("the denial changed an IMK not the person's or not approved")
	}
	// A denial of the third person finds their IMK suspended already and
	// leaves it to whoever suspended it.
	d3 := e.deny(t, e.ilze, domain.SubjectPlatformUser, third, domain.GroundRulesBroken)
	if err := e.svc.Lift(as(t, e.andris), d3.ID, d3.Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	if got := e.imkState(t, already); got != domain.IMKSuspended {
		t.Errorf("an IMK suspended before the denial is %s after its lift, want suspended", got)
	}
	if err := e.svc.Lift(as(t, e.andris), d.ID, d.Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	if got := e.imkState(t, mine); got != domain.IMKApproved {
		t.Errorf("the person's IMK is %s after the lift, want approved", got)
	}
}

// ¶24, ¶32: two denials of one person in force at once: lifting either
// first leaves every effect in place (it passes to the other); lifting
// the second restores sign-in, the roles and the IMK.
func TestDenial_TwoOverlapping_LiftedInEitherOrder_P32(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	for _, firstLifted := range []int{0, 1} {
		t.Run("lift "+strconv.Itoa(firstLifted)+" first", func(t *testing.T) {
			person := e.user(t, 0)
			role := e.assignment(t, person, 0, time.Now().Add(200*24*time.Hour))
			imk := e.imk(t, person, "approved")
			ds := []*domain.Denial{
				e.deny(t, e.ilze, domain.SubjectPlatformUser, person, domain.GroundRulesBroken),
				e.deny(t, e.ilze, domain.SubjectPlatformUser, person, domain.GroundCooperation),
			}
			order := []*domain.Denial{ds[firstLifted], ds[1-firstLifted]}
			held := func(want bool) {
				t.Helper()
				if e.signInDenied(t, person) != want || e.suspended(t, role) != want || (e.imkState(t, imk) == domain.IMKSuspended) != want {
					t.Fatalf("sign-in denied %v, role suspended %v, IMK %s; want every effect %v",
						e.signInDenied(t, person), e.suspended(t, role), e.imkState(t, imk), want)
				}
			}
			held(true)
			if err := e.svc.Lift(as(t, e.andris), order[0].ID, e.find(t, order[0].ID).Version, "viens atrisināts"); err != nil {
				t.Fatal(err)
			}
			held(true)
			if err := e.svc.Lift(as(t, e.andris), order[1].ID, e.find(t, order[1].ID).Version, "otrs atrisināts"); err != nil {
				t.Fatal(err)
			}
			held(false)
		})
	}
}

// ¶24, ¶32: while a denial of the person is in force their IMK
// application cannot be approved (the reviewer sees why on the
// application); rejecting stays possible, and after the lift approving
// works.
func TestDenial_HoldsIMKApproval_P24_P32(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	person := e.user(t, 0)
	app := e.imk(t, person, "needs_review")
	d := e.deny(t, e.ilze, domain.SubjectPlatformUser, person, domain.GroundRulesBroken)

	svc := storage.NewIMKService(e.db, storage.NewMirrorRegisters(e.db, storage.Outage{}, nil))
	rev := as(t, e.andris)
	a, err := svc.FindIMK(rev, app)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hold == nil || a.Hold.DenialID != d.ID || a.Hold.Ground != domain.GroundRulesBroken {
		t.Fatalf("the application shows hold %+v, want denial %d", a.Hold, d.ID)
	}
	wantError(t, svc.DecideIMK(rev, app, a.Version, true, "atbilst"), domain.ECONFLICT, "denial.holds_approval")
	if got := e.imkState(t, app); got != domain.IMKNeedsReview {
		t.Fatalf("the refused approval left the application %s", got)
	}
	if err := e.svc.Lift(as(t, e.ilze), d.ID, d.Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	a, err = svc.FindIMK(rev, app)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hold != nil {
		t.Fatalf("hold %+v after the lift", a.Hold)
	}
	if err := svc.DecideIMK(rev, app, a.Version, true, "atbilst"); err != nil {
		t.Fatalf("approve after the lift: %v", err)
	}
}

// ¶24, ¶32: while a denial is in force over the person asking or over the
// institution a request names, approving their role request is refused
// with the reason, by the reviewer and by the institution alike; the
// request shows the denial before anyone decides.
func TestDenial_HoldsRoleRequestApproval_P24_P32(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	sec := newOperator(t, e.db, "drosiba.ilze", withRoles(domain.RoleSecurity))
	denials := storage.NewDenialService(e.db)

	// A person asking for a role who has a Platform account, denied.
	f := rrForm(domain.KindAdultEducationCoordinator, 0)
	id := e.confirmed(t, f)
	var user int64
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email) VALUES ('viss', $1, $2) RETURNING id`,
		f.PersonalCode, f.Email).Scan(&user); err != nil {
		t.Fatal(err)
	}
	d, err := denials.Deny(as(t, sec), domain.SubjectPlatformUser, user, domain.GroundRulesBroken, "noteikumi pārkāpti", "")
	if err != nil {
		t.Fatal(err)
	}
	r := e.find(t, id)
	if r.Hold == nil || r.Hold.DenialID != d.ID {
		t.Fatalf("the request shows hold %+v, want denial %d", r.Hold, d.ID)
	}
	wantError(t, e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: r.Version}), domain.ECONFLICT, "denial.holds_approval")
	if got := e.find(t, id).State; got != domain.StatePending {
		t.Fatalf("the refused approval left the request %s", got)
	}
	if err := denials.Lift(as(t, sec), d.ID, d.Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	r = e.find(t, id)
	if r.Hold != nil {
		t.Fatalf("hold %+v after the lift", r.Hold)
	}
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: r.Version}); err != nil {
		t.Fatalf("approve after the lift: %v", err)
	}

	// A consultant's request waiting at a denied institution: the
	// institution cannot approve it (the institution is suspended), and a
	// denial of the person holds the institution's approval too.
	inst := e.institution(t)
	cf := rrForm(domain.KindCareerConsultant, inst)
	cid := e.confirmed(t, cf)
	if e.find(t, cid).State != domain.StateAtInstitution {
		t.Skip("consultant requests do not wait at the institution")
	}
	var cuser int64
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email) VALUES ('viss', $1, $2) RETURNING id`,
		cf.PersonalCode, cf.Email).Scan(&cuser); err != nil {
		t.Fatal(err)
	}
	if _, err := denials.Deny(as(t, sec), domain.SubjectPlatformUser, cuser, domain.GroundRulesBroken, "noteikumi pārkāpti", ""); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.portal.InstitutionDecide(t.Context(), inst, cid, true, ""), domain.ECONFLICT, "denial.holds_approval")
}

// ¶24, ¶32 (and ¶36 of the demo terms): the person is told by e-mail
// when a denial takes force (clause, reason, date, how to contest) and
// when it is lifted; an institution at the institution's address; nobody
// about a ¶32.8 denial.
func TestDenial_TellsTheSubjectByMail_P24_P32(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	person := e.user(t, 0)
	d := e.deny(t, e.ilze, domain.SubjectPlatformUser, person, domain.GroundRulesBroken)
	to := e.emailOf(t, "platform_users", person)
	body := e.mailBody(t, "access.denied", to)
	today := time.Now().In(domain.AgencyZone).Format("02.01.2006")
	for _, want := range []string{"32.5. punkts", "pārkāpums konstatēts", today, "stars@viaa.gov.lv", "apstrīdēt",
		"lieguma numuru " + strconv.FormatInt(d.ID, 10), "--- English ---"} {
		if !strings.Contains(body, want) {
			t.Errorf("the denial's mail lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "ziņojums Nr. 7") {
		t.Errorf("the mail holds the evidence, which is the Agency's:\n%s", body)
	}
	if err := e.svc.Lift(as(t, e.andris), d.ID, d.Version, "atrisināts"); err != nil {
		t.Fatal(err)
	}
	if body := e.mailBody(t, "access.restored", to); !strings.Contains(body, "32.5") || !strings.Contains(body, today) {
		t.Errorf("the lift's mail:\n%s", body)
	}

	inst := e.institution(t)
	e.deny(t, e.ilze, domain.SubjectInstitution, inst, domain.GroundCooperation)
	e.mailBody(t, "access.denied", e.emailOf(t, "institutions", inst))

	dead := e.user(t, 0)
	e.deny(t, e.ilze, domain.SubjectPlatformUser, dead, domain.GroundDeath)
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM outbox WHERE to_addr = $1`, e.emailOf(t, "platform_users", dead)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d mails about a ¶32.8 denial", n)
	}
}

// ¶32.3, ¶32.6: a lift can require a new password at the next sign-in as
// one step: the institution's password users get the flag (a Latvija.gov.lv
// user has no Platform password), the lift's audit entry names it, the
// portal's sign-in status reports it, and a lift waiting for a second
// officer sets it only when approved.
func TestDenial_LiftRequiringNewPassword_FlagsPasswordUsers_P32_3(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	inst := e.institution(t)
	staff, person := e.user(t, inst), e.user(t, 0)
	d := e.deny(t, e.ilze, domain.SubjectInstitution, inst, domain.GroundCompromised)
	if err := e.svc.LiftRequiringNewPassword(as(t, e.ilze), d.ID, d.Version, "paroles jānomaina"); err != nil {
		t.Fatal(err)
	}
	flag := func(u int64) bool {
		return e.boolOf(t, "SELECT password_change_required FROM platform_users WHERE id = $1", u)
	}
	if flag(staff) {
		t.Fatal("the flag is set while the lift waits for a second officer")
	}
	if err := e.svc.Approve(as(t, e.andris), d.ID, e.find(t, d.ID).Version); err != nil {
		t.Fatal(err)
	}
	if !flag(staff) || flag(person) {
		t.Fatalf("after the lift: staff %v, an unrelated person %v", flag(staff), flag(person))
	}
	var details string
	if err := e.db.Pool().QueryRow(t.Context(), `
		SELECT details FROM audit_log WHERE action = $1 AND subject_kind = 'denial' AND subject_id = $2`,
		domain.AuditDenialLiftApprove, strconv.FormatInt(d.ID, 10)).Scan(&details); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(details, "password_change_required") {
		t.Errorf("the lift's audit entry does not name the requirement: %q", details)
	}
	st, err := storage.NewPortalService(e.db).SignInStatus(adminCtx(t), staff)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Allowed || !st.PasswordChangeRequired {
		t.Errorf("sign-in status %+v, want allowed with a new password required", st)
	}
	e.mailBody(t, "access.restored_new_password", e.emailOf(t, "institutions", inst))
}
