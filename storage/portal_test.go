package storage_test

import (
	"context"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage/pgtest"
)

func TestPortal_Submit_StoresUnconfirmedWithTokenHashMailAndAudit(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	id, token := e.submit(t, f)

	r := e.find(t, id)
	if r.State != domain.StateUnconfirmed || r.Route != domain.RouteAgency || r.Version != 1 {
		t.Errorf("request = %s/%s v%d, want unconfirmed/agency v1", r.State, r.Route, r.Version)
	}
	if r.MunicipalityName != "Liepāja" || r.Form.PersonalCode != f.PersonalCode || r.EmailSentAt.IsZero() || !r.EmailConfirmedAt.IsZero() {
		t.Errorf("request = %+v", r)
	}
	if len(token) != 43 {
		t.Errorf("token %q is not 32 random bytes in base64url", token)
	}
	// Only the token's SHA-256 is stored, nowhere the token itself.
	if n := e.count(t, `SELECT count(*) FROM role_requests WHERE email_token_hash = sha256(convert_to($1, 'UTF8'))`, token); n != 1 {
		t.Errorf("%d requests carry the token's hash, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM role_requests r WHERE strpos(r::text, $1) > 0`, token); n != 0 {
		t.Error("the token is stored in role_requests")
	}
	var body string
	err := e.db.Pool().QueryRow(t.Context(), `SELECT body FROM outbox WHERE template = 'rolerequest.submitted_confirm' AND to_addr = $1`, f.Email).Scan(&body)
	if err != nil {
		t.Fatalf("confirmation mail: %v", err)
	}
	if !strings.Contains(body, "https://stars.gov.lv/apstiprinat?token="+token) || !strings.Contains(body, "Jānis Bērziņš") {
		t.Errorf("confirmation mail lacks the link or the name:\n%s", body)
	}
	if e.audits(t, domain.AuditRoleRequestSubmit, id) != 1 {
		t.Error("the submission is not audited")
	}
	if got := e.events(t, id); !slices.Equal(got, []string{"submitted"}) {
		t.Errorf("history = %q", got)
	}
}

func TestPortal_ConfirmEmail_MovesToPendingOnce(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id, token := e.submit(t, rrForm(domain.KindAdultEducationCoordinator, 0))
	got, err := e.portal.ConfirmEmail(t.Context(), token)
	if err != nil || got != id {
		t.Fatalf("confirm = %d, %v", got, err)
	}
	r := e.find(t, id)
	if r.State != domain.StatePending || r.EmailConfirmedAt.IsZero() || r.Version != 2 {
		t.Errorf("after confirming: %s v%d confirmed %v", r.State, r.Version, r.EmailConfirmedAt)
	}
	_, err = e.portal.ConfirmEmail(t.Context(), token)
	wantError(t, err, domain.ENOTFOUND, "rolerequest.token_unknown")
	_, err = e.portal.ConfirmEmail(t.Context(), "nonsense")
	wantError(t, err, domain.ENOTFOUND, "rolerequest.token_unknown")
	if got := e.events(t, id); !slices.Equal(got, []string{"submitted", "email_confirmed"}) {
		t.Errorf("history = %q", got)
	}
}

func TestPortal_SubmitInvalid_StoresNothingAndReportsEveryField(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	before := e.count(t, `SELECT count(*) FROM audit_log`)
	f := domain.RoleRequestForm{
		Kind: domain.KindMunicipalCoordinator, FirstName: "J4nis", LastName: "",
		PersonalCode: "180565-05611", Email: "janis@", MunicipalityCode: "atlantida",
	}
	_, _, err := e.portal.SubmitRoleRequest(t.Context(), f)
	wantError(t, err, domain.EINVALID, "rolerequest.invalid")
	var got []string
	for _, p := range domain.AsError(err).Problems {
		got = append(got, p.Field+" "+p.Key)
	}
	want := []string{
		"first_name rolerequest.name_chars.first_name",
		"last_name rolerequest.required.last_name",
		"personal_code personal_code.checksum",
		"email email.format",
		"municipality_code rolerequest.municipality_unknown",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}

	// An unknown institution is a problem of its field too, beside the
	// form's own.
	staff := rrForm(domain.KindInstitutionStaff, 999999)
	staff.Password = "short"
	_, _, err = e.portal.SubmitRoleRequest(t.Context(), staff)
	wantError(t, err, domain.EINVALID, "rolerequest.invalid")
	fields := map[string]bool{}
	for _, p := range domain.AsError(err).Problems {
		fields[p.Field+" "+p.Key] = true
	}
	if !fields["institution_id rolerequest.institution_unknown"] || !fields["password password.too_short"] {
		t.Errorf("problems = %v", fields)
	}

	for table, n := range map[string]int{
		"role_requests": e.count(t, `SELECT count(*) FROM role_requests`), "outbox": e.count(t, `SELECT count(*) FROM outbox`),
		"role_request_documents": e.count(t, `SELECT count(*) FROM role_request_documents`),
		"audit_log":              e.count(t, `SELECT count(*) FROM audit_log`) - before,
	} {
		if n != 0 {
			t.Errorf("%s has %d new rows after refused submissions", table, n)
		}
	}
}

func TestPortal_SubmitInstitution_KeepsOnlyArgon2idHashAndDocuments(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindInstitution, 0)
	id, _ := e.submit(t, f)
	var hash string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT password_hash FROM role_requests WHERE id = $1`, id).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Errorf("password stored as %q, want an Argon2id hash", hash)
	}
	if n := e.count(t, `SELECT count(*) FROM role_requests r WHERE strpos(r::text, $1) > 0`, testPassword); n != 0 {
		t.Error("the password is stored in clear")
	}
	r := e.find(t, id)
	if len(r.Form.Documents) != 1 || !reflect.DeepEqual(r.Form.Documents[0], f.Documents[0]) {
		t.Errorf("documents = %+v, want %+v", r.Form.Documents, f.Documents)
	}
	if r.Form.Password != "" {
		t.Error("the request returns a password")
	}
}

func TestPortal_CareerConsultantOfInstitution_RoutedThereAndDecidedByIt(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	inst := e.institution(t)
	id := e.confirmed(t, rrForm(domain.KindCareerConsultant, inst))
	r := e.find(t, id)
	if r.State != domain.StateAtInstitution || r.Route != domain.RouteInstitution {
		t.Fatalf("request is %s/%s, want at_institution/institution (¶29.3)", r.State, r.Route)
	}

	// The Agency cannot decide it; another institution cannot either.
	err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: r.Version})
	wantError(t, err, domain.EINVALID, "rolerequest.at_institution")
	other := e.institution(t)
	wantError(t, e.portal.InstitutionDecide(t.Context(), other, id, true, ""), domain.ENOTFOUND, "rolerequest.not_found")
	wantError(t, e.portal.InstitutionDecide(t.Context(), inst, id, false, "  "), domain.EINVALID, "rolerequest.reason_text_required")

	if err := e.portal.InstitutionDecide(t.Context(), inst, id, true, ""); err != nil {
		t.Fatalf("institution approves: %v", err)
	}
	r = e.find(t, id)
	if r.State != domain.StateApproved || r.DecidedByName == "" || r.ValidUntil.IsZero() {
		t.Errorf("after the institution's approval: %+v", r)
	}
	var scope, byInst int64
	var byOp *int64
	err = e.db.Pool().QueryRow(t.Context(), `
		SELECT a.institution_id, a.granted_by_institution, a.granted_by
		  FROM role_assignments a JOIN platform_users u ON u.id = a.user_id
		 WHERE a.request_id = $1 AND a.role = 'career_consultant' AND u.kind = 'viss'`, id).Scan(&scope, &byInst, &byOp)
	if err != nil {
		t.Fatalf("assignment: %v", err)
	}
	if scope != inst || byInst != inst || byOp != nil {
		t.Errorf("assignment scope %d granted by institution %d / operator %v", scope, byInst, byOp)
	}
	if e.mails(t, "rolerequest.approved", r.Form.Email) != 1 || e.audits(t, domain.AuditRoleRequestInstitutionApprove, id) != 1 {
		t.Error("the institution's approval is not mailed or audited")
	}
	// Decided: a second decision is a conflict.
	wantError(t, e.portal.InstitutionDecide(t.Context(), inst, id, false, "vēlāk"), domain.ECONFLICT, "rolerequest.changed")

	rej := e.confirmed(t, rrForm(domain.KindCareerConsultant, inst))
	if err := e.portal.InstitutionDecide(t.Context(), inst, rej, false, "Nav mūsu darbinieks."); err != nil {
		t.Fatal(err)
	}
	if r := e.find(t, rej); r.State != domain.StateRejected || r.ReasonText != "Nav mūsu darbinieks." {
		t.Errorf("after the institution's rejection: %s %q", r.State, r.ReasonText)
	}
	if got := e.events(t, rej); got[len(got)-1] != "institution_rejected" {
		t.Errorf("history = %q", got)
	}
}

func TestPortal_AnswerInfoRequest_BackToPending(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	wantError(t, e.portal.AnswerInfoRequest(t.Context(), id, "Lūdzu!"), domain.EINVALID, "rolerequest.not_info_requested")
	r := e.find(t, id)
	err := e.svc.RequestInfo(as(t, e.anna), domain.Decision{RequestID: id, Version: r.Version, InfoMessage: "Pievienojiet darba līgumu."})
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, e.portal.AnswerInfoRequest(t.Context(), id, "  "), domain.EINVALID, "rolerequest.answer_required")
	if err := e.portal.AnswerInfoRequest(t.Context(), id, "Līgums pievienots."); err != nil {
		t.Fatal(err)
	}
	r = e.find(t, id)
	if r.State != domain.StatePending || r.InfoAnswer != "Līgums pievienots." || r.InfoMessage != "Pievienojiet darba līgumu." {
		t.Errorf("after the answer: %s %q %q", r.State, r.InfoMessage, r.InfoAnswer)
	}
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: r.Version}); err != nil {
		t.Errorf("approve after the answer: %v", err)
	}
	want := []string{"submitted", "email_confirmed", "info_requested", "info_received", "approved"}
	if got := e.events(t, id); !slices.Equal(got, want) {
		t.Errorf("history = %q, want %q", got, want)
	}
}

func TestPortal_ConfirmAfterFourteenDays_Expired(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	_, token := e.submit(t, rrForm(domain.KindCareerConsultant, 0))
	e.clock.advance(domain.UnconfirmedLifetime + time.Minute)
	_, err := e.portal.ConfirmEmail(t.Context(), token)
	wantError(t, err, domain.EINVALID, "rolerequest.token_expired")
}

func TestRoleRequests_ChangesAreNotifiedByIDOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, db.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN ppp_change"); err != nil {
		t.Fatal(err)
	}
	e := &rrEnv{db: db}
	e.portal, e.svc = newRREnvServices(db)
	id, token := e.submit(t, rrForm(domain.KindMunicipalCoordinator, 0))
	if _, err := e.portal.ConfirmEmail(ctx, token); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^role_request:[0-9]+$`)
	seen := 0
	for {
		wctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err != nil {
			break
		}
		if strings.HasPrefix(n.Payload, "role_request:") {
			if !re.MatchString(n.Payload) || n.Payload != "role_request:"+itoa(id) {
				t.Errorf("payload %q carries more than the id", n.Payload)
			}
			seen++
		}
	}
	if seen != 2 {
		t.Errorf("%d role_request notifications, want 2 (submit, confirm)", seen)
	}
}
