package storage_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// instEmail is the registered address of institution id.
func (e *rrEnv) instEmail(t testing.TB, id int64) string {
	t.Helper()
	var email string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT email FROM institutions WHERE id = $1`, id).Scan(&email); err != nil {
		t.Fatal(err)
	}
	return email
}

// mailBody is the body of the latest outbox message of template to.
func (e *rrEnv) mailBody(t testing.TB, template, to string) string {
	t.Helper()
	var body string
	err := e.db.Pool().QueryRow(t.Context(), `
		SELECT body FROM outbox WHERE template = $1 AND to_addr = $2 ORDER BY id DESC LIMIT 1`, template, to).Scan(&body)
	if err != nil {
		t.Fatalf("mail %s to %s: %v", template, to, err)
	}
	return body
}

// ¶29.3: when a career consultant's request starts waiting at the
// institution (on the applicant's e-mail confirmation), the institution
// is e-mailed at its registered address what waits and by when; the
// Agency's requests and the applicant's own mail are not.
func TestConsultant_Confirmation_MailsTheInstitution_P29_3(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	inst := e.institution(t)
	to := e.instEmail(t, inst)
	f := rrForm(domain.KindCareerConsultant, inst)
	id, token := e.submit(t, f)
	if n := e.mails(t, "rolerequest.institution_waiting", to); n != 0 {
		t.Fatalf("institution mailed before the confirmation: %d", n)
	}
	until := e.clock.t.AddDate(0, 0, e.portal.Config.TakeOverAfterDays).In(domain.AgencyZone).Format("02.01.2006")
	if _, err := e.portal.ConfirmEmail(t.Context(), token); err != nil {
		t.Fatal(err)
	}
	if n := e.mails(t, "rolerequest.institution_waiting", to); n != 1 {
		t.Fatalf("institution mails = %d, want 1", n)
	}
	body := e.mailBody(t, "rolerequest.institution_waiting", to)
	for _, want := range []string{f.FirstName + " " + f.LastName, "Nr. " + itoa(id), "līdz " + until, "29.3"} {
		if !strings.Contains(body, want) {
			t.Errorf("mail lacks %q:\n%s", want, body)
		}
	}
	if e.audits(t, domain.AuditRoleRequestInstitutionNotify, id) != 1 {
		t.Error("the notification is not audited")
	}
	if got := e.events(t, id); got[len(got)-1] != "institution_notified" {
		t.Errorf("history = %q", got)
	}
	// A consultant without an institution waits for the Agency: no
	// institution to tell.
	e.pending(t, domain.KindCareerConsultant)
	if n := e.count(t, `SELECT count(*) FROM outbox WHERE template = 'rolerequest.institution_waiting'`); n != 1 {
		t.Errorf("institution mails = %d, want 1", n)
	}
}

// ¶29.3: the consultant-reminder sweep reminds the institution
// TakeOverRemindDays before the take-over limit, once per request: two
// runs, one mail.
func TestConsultant_ReminderSweep_OncePerRequest_P29_3(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	inst := e.institution(t)
	to := e.instEmail(t, inst)
	early := e.confirmed(t, rrForm(domain.KindCareerConsultant, inst))
	e.clock.advance(2 * 24 * time.Hour)
	young := e.confirmed(t, rrForm(domain.KindCareerConsultant, inst))

	sw := storage.NewSweeper(e.db, "test")
	sw.RoleRequests.TakeOverAfterDays, sw.RoleRequests.TakeOverRemindDays = 10, 3
	// Day 6 of the first: not due (due on day 7).
	now := e.clock.t.Add(4*24*time.Hour - time.Minute)
	if r := runSweep(t, sw, storage.SweepConsultantReminder, now); r.Changed != 0 {
		t.Fatalf("reminded %d before the day", r.Changed)
	}
	now = e.clock.t.Add(5 * 24 * time.Hour)
	r1 := runSweep(t, sw, storage.SweepConsultantReminder, now)
	r2 := runSweep(t, sw, storage.SweepConsultantReminder, now.Add(time.Hour))
	if r1.Changed != 1 || r2.Changed != 0 {
		t.Errorf("runs changed %d then %d, want 1 then 0", r1.Changed, r2.Changed)
	}
	if n := e.mails(t, "rolerequest.institution_reminder", to); n != 1 {
		t.Errorf("reminders = %d, want 1", n)
	}
	if e.audits(t, domain.AuditRoleRequestInstitutionReminder, early) != 1 || e.audits(t, domain.AuditRoleRequestInstitutionReminder, young) != 0 {
		t.Error("the reminder is not audited on the right request")
	}
	if got := e.find(t, early); !got.InstitutionReminderAt.Equal(now.Truncate(time.Microsecond)) {
		t.Errorf("reminder at %v, want %v", got.InstitutionReminderAt, now)
	}
	// Later the younger one is due: it alone is reminded.
	if r := runSweep(t, sw, storage.SweepConsultantReminder, now.Add(2*24*time.Hour)); r.Changed != 1 {
		t.Errorf("second day changed %d, want 1", r.Changed)
	}
	if n := e.mails(t, "rolerequest.institution_reminder", to); n != 2 {
		t.Errorf("reminders = %d, want 2", n)
	}
}

// ¶29.3 "Pārējiem – dalību Platformā apstiprina Aģentūras darbinieks": a
// request the Agency took over is approved as an Agency-approved career
// consultant, with no institution's scope — never in the institution's
// name — and the applicant is told so.
func TestConsultant_TakenOverApproval_GrantsUnscopedRole_P29_3(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	inst := e.institution(t)
	f := rrForm(domain.KindCareerConsultant, inst)
	id := e.confirmed(t, f)
	e.clock.advance(10 * 24 * time.Hour)
	ctx := as(t, e.janis)
	if err := e.svc.TakeOver(ctx, domain.Decision{RequestID: id, Version: 2, ReasonText: "Iestāde neatbild."}); err != nil {
		t.Fatal(err)
	}
	r := e.find(t, id)
	if r.ScopedToInstitution(false) {
		t.Error("the rule says the Agency's approval is the institution's")
	}
	if err := e.svc.Approve(ctx, domain.Decision{RequestID: id, Version: r.Version}); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, `SELECT count(*) FROM role_assignments WHERE request_id = $1 AND institution_id IS NULL
	                       AND role = 'career_consultant' AND granted_by IS NOT NULL AND granted_by_institution IS NULL`, id); n != 1 {
		t.Error("the Agency's approval did not grant one unscoped career consultant role")
	}
	if n := e.count(t, `SELECT count(*) FROM role_assignments WHERE institution_id = $1 AND role = 'career_consultant'`, inst); n != 0 {
		t.Errorf("%d consultant roles in the institution's name", n)
	}
	body := e.mailBody(t, "rolerequest.approved", f.Email)
	if !strings.Contains(body, "Valsts izglītības attīstības aģentūra. Loma nav piesaistīta") {
		t.Errorf("the approval mail does not say the Agency approved it without the institution:\n%s", body)
	}

	// The institution's own approval still scopes the role to it, and its
	// mail says so.
	own := rrForm(domain.KindCareerConsultant, inst)
	ownID := e.confirmed(t, own)
	if err := e.portal.InstitutionDecide(t.Context(), inst, ownID, true, ""); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, `SELECT count(*) FROM role_assignments WHERE request_id = $1 AND institution_id = $2 AND granted_by_institution = $2`, ownID, inst); n != 1 {
		t.Error("the institution's approval is not scoped to it")
	}
	if body := e.mailBody(t, "rolerequest.approved", own.Email); !strings.Contains(body, "apstiprināja izglītības iestāde") {
		t.Errorf("the approval mail does not name the institution:\n%s", body)
	}
}

// ¶29.3: the database refuses a career consultant's role scoped to an
// institution that did not approve it — granted by an operator, by
// another institution, or moved into the institution afterwards — so no
// path past grantRole can grant one in the institution's name.
func TestConsultant_Database_RefusesInstitutionScopeNotApprovedByIt_P29_3(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	inst, other := e.institution(t), e.institution(t)
	var user int64
	err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed, created_at, updated_at)
		VALUES ('viss', '32010112345', 'k@example.lv', 'Kārlis', 'Ozols', true, now(), now()) RETURNING id`).Scan(&user)
	if err != nil {
		t.Fatal(err)
	}
	insert := func(institution, byOp, byInst any) error {
		_, err := e.db.Pool().Exec(t.Context(), `
			INSERT INTO role_assignments (user_id, role, institution_id, valid_from, valid_until, granted_by, granted_by_institution)
			VALUES ($1, 'career_consultant', $2, now(), now() + interval '1 year', $3, $4)`, user, institution, byOp, byInst)
		return err
	}
	refused := func(what string, err error) {
		t.Helper()
		var pgErr *pgconn.PgError
		if err == nil {
			t.Errorf("%s: accepted", what)
		} else if !errors.As(err, &pgErr) || pgErr.ConstraintName != "role_assignments_consultant_scope" {
			t.Errorf("%s: %v, want role_assignments_consultant_scope", what, err)
		}
	}
	refused("scoped, granted by an operator", insert(inst, e.anna.ID, nil))
	refused("scoped, granted by nobody", insert(inst, nil, nil))
	refused("scoped, granted by another institution", insert(inst, nil, other))
	if err := insert(nil, e.anna.ID, nil); err != nil {
		t.Errorf("unscoped, granted by an operator: %v", err)
	}
	if err := insert(inst, nil, inst); err != nil {
		t.Errorf("scoped, granted by the institution: %v", err)
	}
	_, err = e.db.Pool().Exec(t.Context(), `
		UPDATE role_assignments SET institution_id = $2 WHERE user_id = $1 AND institution_id IS NULL`, user, inst)
	refused("moved into the institution", err)
	// Ending a role is never refused.
	if _, err := e.db.Pool().Exec(t.Context(), `
		UPDATE role_assignments SET ended_at = now(), end_reason = 'test' WHERE user_id = $1`, user); err != nil {
		t.Errorf("ending: %v", err)
	}
}

// ¶29.3: after the take-over limit the Agency may remind the institution
// again: audited, mailed to the institution with the reviewer's note, in
// the history; the request stays at the institution.
func TestConsultant_RemindAgain_AuditedAndMailed_P29_3(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	inst := e.institution(t)
	to := e.instEmail(t, inst)
	id := e.confirmed(t, rrForm(domain.KindCareerConsultant, inst))
	ctx := as(t, e.janis)
	wantError(t, e.svc.RemindInstitution(ctx, domain.Decision{RequestID: id, Version: 2}), domain.EINVALID, "rolerequest.takeover_too_early")
	e.clock.advance(11 * 24 * time.Hour)
	if err := e.svc.RemindInstitution(ctx, domain.Decision{RequestID: id, Version: 2, ReasonText: "Lūdzam izskatīt šonedēļ."}); err != nil {
		t.Fatal(err)
	}
	if n := e.mails(t, "rolerequest.institution_reminder_agency", to); n != 1 {
		t.Errorf("reminders = %d, want 1", n)
	}
	if body := e.mailBody(t, "rolerequest.institution_reminder_agency", to); !strings.Contains(body, "Lūdzam izskatīt šonedēļ.") {
		t.Errorf("the mail lacks the note:\n%s", body)
	}
	if e.audits(t, domain.AuditRoleRequestRemindInstitution, id) != 1 {
		t.Error("the reminder is not audited")
	}
	r := e.find(t, id)
	if r.State != domain.StateAtInstitution || r.AgencyRemindedAt.IsZero() {
		t.Errorf("after the reminder: %s, reminded at %v", r.State, r.AgencyRemindedAt)
	}
	if got := e.events(t, id); got[len(got)-1] != "institution_reminded_by_agency" {
		t.Errorf("history = %q", got)
	}
	// The institution can still decide.
	if err := e.portal.InstitutionDecide(t.Context(), inst, id, true, ""); err != nil {
		t.Errorf("the institution decides after the reminder: %v", err)
	}
}
