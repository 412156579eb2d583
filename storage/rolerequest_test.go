package storage_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

func TestRoleRequests_ClaimApprove_GrantsRoleMailsAuditsAndReleases(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	id := e.confirmed(t, f)
	ctx := as(t, e.anna)

	r, err := e.svc.ClaimRoleRequest(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.ClaimedBy != e.anna.ID || r.ClaimedByName != "Anna Kalniņa" || !r.ClaimExpiresAt.After(e.clock.t.Add(14*time.Minute)) {
		t.Errorf("claim = %d %q until %v", r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt)
	}
	until := e.clock.t.AddDate(1, 0, 0).UTC().Truncate(time.Microsecond)
	if err := e.svc.Approve(ctx, domain.Decision{RequestID: id, Version: r.Version, ValidUntil: until}); err != nil {
		t.Fatal(err)
	}

	r = e.find(t, id)
	if r.State != domain.StateApproved || r.DecidedBy != e.anna.ID || r.DecidedByName != "Anna Kalniņa" ||
		!r.ValidUntil.Equal(until) || r.ClaimedBy != 0 || r.Version != 3 {
		t.Errorf("approved request = %+v", r)
	}
	var kind, code, role, muni string
	var validUntil time.Time
	var grantedBy int64
	err = e.db.Pool().QueryRow(t.Context(), `
		SELECT u.kind, u.personal_code, a.role, a.municipality_code, a.valid_until, a.granted_by
		  FROM role_assignments a JOIN platform_users u ON u.id = a.user_id
		 WHERE a.request_id = $1 AND a.ended_at IS NULL`, id).Scan(&kind, &code, &role, &muni, &validUntil, &grantedBy)
	if err != nil {
		t.Fatalf("assignment: %v", err)
	}
	if kind != "viss" || code != f.PersonalCode || role != "municipal_coordinator" || muni != "liepaja" ||
		!validUntil.Equal(until) || grantedBy != e.anna.ID {
		t.Errorf("assignment = %s %s %s %s %v %d", kind, code, role, muni, validUntil, grantedBy)
	}
	if e.mails(t, "rolerequest.approved", f.Email) != 1 {
		t.Error("the applicant is not told")
	}
	if e.audits(t, domain.AuditRoleRequestApprove, id) != 1 || e.audits(t, domain.AuditRoleRequestClaim, id) != 1 {
		t.Error("the claim or the approval is not audited")
	}
	want := []string{"submitted", "email_confirmed", "claimed", "approved"}
	if got := e.events(t, id); !slices.Equal(got, want) {
		t.Errorf("history = %q, want %q", got, want)
	}
}

func TestRoleRequests_ApproveWithoutDate_UsesConfiguredValidity(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	e.svc.Config.DefaultValidity = 90 * 24 * time.Hour
	id := e.pending(t, domain.KindAdultEducationCoordinator)
	if err := e.svc.Approve(as(t, e.janis), domain.Decision{RequestID: id, Version: 2}); err != nil {
		t.Fatal(err)
	}
	want := e.clock.t.Add(90 * 24 * time.Hour).UTC().Truncate(time.Microsecond)
	if got := e.find(t, id).ValidUntil; !got.Equal(want) {
		t.Errorf("valid until %v, want %v", got, want)
	}
}

func TestRoleRequests_ApprovePastDate_RefusedAndNothingChanges(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	before := e.snapshot(t, id)
	err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: 2, ValidUntil: e.clock.t.Add(-time.Hour)})
	wantError(t, err, domain.EINVALID, "rolerequest.valid_until_past")
	if after := e.snapshot(t, id); after != before {
		t.Errorf("changed: %+v -> %+v", before, after)
	}
}

func TestRoleRequests_Reject_NeedsReasonThenMailsIt(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindCareerConsultant, 0)
	id := e.confirmed(t, f)
	ctx := as(t, e.janis)
	wantError(t, e.svc.Reject(ctx, domain.Decision{RequestID: id, Version: 2}), domain.EINVALID, "rolerequest.reason_unknown")
	wantError(t, e.svc.Reject(ctx, domain.Decision{RequestID: id, Version: 2, ReasonCode: "other"}), domain.EINVALID, "rolerequest.reason_text_required")
	err := e.svc.Reject(ctx, domain.Decision{RequestID: id, Version: 2, ReasonCode: "other", ReasonText: "Nav karjeras konsultanta izglītības."})
	if err != nil {
		t.Fatal(err)
	}
	r := e.find(t, id)
	if r.State != domain.StateRejected || r.ReasonCode != "other" || r.ReasonText != "Nav karjeras konsultanta izglītības." {
		t.Errorf("rejected request = %s %q %q", r.State, r.ReasonCode, r.ReasonText)
	}
	var body string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT body FROM outbox WHERE template = 'rolerequest.rejected' AND to_addr = $1`, f.Email).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Nav karjeras konsultanta izglītības.") {
		t.Errorf("rejection mail lacks the explanation:\n%s", body)
	}
	rows := auditRows(t, e.db)
	last := rows[len(rows)-1]
	if last.Action != domain.AuditRoleRequestReject || last.Reason != "other: Nav karjeras konsultanta izglītības." || last.ActorName != "janis.berzins" {
		t.Errorf("audit entry = %+v", last)
	}
	if n := e.count(t, `SELECT count(*) FROM role_assignments`); n != 0 {
		t.Errorf("a rejection granted %d roles", n)
	}
}

func TestRoleRequests_RequestInfo_NeedsMessageAndWaits(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindAdultEducationCoordinator, 0)
	id := e.confirmed(t, f)
	ctx := as(t, e.anna)
	wantError(t, e.svc.RequestInfo(ctx, domain.Decision{RequestID: id, Version: 2, InfoMessage: " "}), domain.EINVALID, "rolerequest.info_message_required")
	if err := e.svc.RequestInfo(ctx, domain.Decision{RequestID: id, Version: 2, InfoMessage: "Kurā pašvaldībā strādājat?"}); err != nil {
		t.Fatal(err)
	}
	r := e.find(t, id)
	if r.State != domain.StateInfoRequested || r.InfoMessage != "Kurā pašvaldībā strādājat?" {
		t.Errorf("request = %s %q", r.State, r.InfoMessage)
	}
	if e.mails(t, "rolerequest.info_requested", f.Email) != 1 || e.audits(t, domain.AuditRoleRequestRequestInfo, id) != 1 {
		t.Error("the information request is not mailed or audited")
	}
	// It waits for the applicant: no decision now (the request's own rule,
	// the same refusal the screen and the test doubles give).
	wantError(t, e.svc.Approve(ctx, domain.Decision{RequestID: id, Version: r.Version}), domain.ECONFLICT, "rolerequest.info_requested")
}

func TestRoleRequests_DecisionOnChangedVersion_FailsAndChangesNothing(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	seen := e.find(t, id).Version
	// The applicant is asked and answers meanwhile: the version moves on.
	if err := e.svc.RequestInfo(as(t, e.janis), domain.Decision{RequestID: id, Version: seen, InfoMessage: "?"}); err != nil {
		t.Fatal(err)
	}
	if err := e.portal.AnswerInfoRequest(t.Context(), id, "Atbilde."); err != nil {
		t.Fatal(err)
	}
	before := e.snapshot(t, id)
	err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: seen})
	wantError(t, err, domain.ECONFLICT, "rolerequest.changed")
	if after := e.snapshot(t, id); after != before {
		t.Errorf("changed: %+v -> %+v", before, after)
	}
}

func TestRoleRequests_ApproveTwice_SecondNamesTheDecider(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	if err := e.svc.Approve(as(t, e.janis), domain.Decision{RequestID: id, Version: 2}); err != nil {
		t.Fatal(err)
	}
	err := e.svc.Reject(as(t, e.anna), domain.Decision{RequestID: id, Version: 2, ReasonCode: "duplicate"})
	wantError(t, err, domain.ECONFLICT, "rolerequest.decided")
	if args := domain.AsError(err).Args; len(args) != 1 || args[0] != "Jānis Bērziņš" {
		t.Errorf("conflict names %v, want Jānis Bērziņš", args)
	}
}

func TestRoleRequests_Unconfirmed_CannotBeDecided(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id, _ := e.submit(t, rrForm(domain.KindMunicipalCoordinator, 0))
	err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: 1})
	wantError(t, err, domain.EINVALID, "rolerequest.unconfirmed")
}

func TestRoleRequests_OwnRequest_Forbidden(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindAdultEducationCoordinator, 0)
	f.Email = "Anna.Kalnina@VIAA.gov.lv"
	id := e.confirmed(t, f)
	before := e.snapshot(t, id)
	ctx := as(t, e.anna)
	wantError(t, e.svc.Approve(ctx, domain.Decision{RequestID: id, Version: 2}), domain.EFORBIDDEN, "rolerequest.own")
	wantError(t, e.svc.Reject(ctx, domain.Decision{RequestID: id, Version: 2, ReasonCode: "duplicate"}), domain.EFORBIDDEN, "rolerequest.own")
	if after := e.snapshot(t, id); after != before {
		t.Errorf("changed: %+v -> %+v", before, after)
	}
	// Someone else may decide it, and ClaimNext never offers it to her.
	if _, err := e.svc.ClaimNext(ctx); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("ClaimNext offered the actor's own request: %v", err)
	}
	if err := e.svc.Approve(as(t, e.janis), domain.Decision{RequestID: id, Version: 2}); err != nil {
		t.Errorf("another reviewer approves: %v", err)
	}
}

func TestRoleRequests_NoOperator_Unauthorized(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	wantError(t, e.svc.Approve(t.Context(), domain.Decision{RequestID: id, Version: 2}), domain.EUNAUTHORIZED, "rolerequest.no_operator")
	_, err := e.svc.ClaimRoleRequest(t.Context(), id)
	wantError(t, err, domain.EUNAUTHORIZED, "rolerequest.no_operator")
}

func TestRoleRequests_ApproveInstitution_ActivatesItAndItsFirstUser(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindInstitution, 0)
	id := e.confirmed(t, f)
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: 2}); err != nil {
		t.Fatal(err)
	}
	r := e.find(t, id)
	if r.State != domain.StateApproved || r.Form.InstitutionID == 0 || r.InstitutionName != f.InstitutionName {
		t.Fatalf("approved registration = %+v", r)
	}
	var state, company, education string
	var activated *time.Time
	err := e.db.Pool().QueryRow(t.Context(), `SELECT state, company_reg_number, education_reg_number, activated_at FROM institutions WHERE id = $1`,
		r.Form.InstitutionID).Scan(&state, &company, &education, &activated)
	if err != nil {
		t.Fatal(err)
	}
	if state != "active" || company != f.CompanyRegNumber || education != f.EducationRegNumber || activated == nil {
		t.Errorf("institution = %s %s %s %v", state, company, education, activated)
	}
	var userKind, role, hash string
	var confirmed bool
	err = e.db.Pool().QueryRow(t.Context(), `
		SELECT u.kind, a.role, u.password_hash, u.email_confirmed
		  FROM platform_users u JOIN role_assignments a ON a.user_id = u.id
		 WHERE u.institution_id = $1 AND a.institution_id = $1`, r.Form.InstitutionID).Scan(&userKind, &role, &hash, &confirmed)
	if err != nil {
		t.Fatalf("first user: %v", err)
	}
	if userKind != "password" || role != "institution_admin" || !strings.HasPrefix(hash, "$argon2id$") || !confirmed {
		t.Errorf("first user = %s %s %.10s %v", userKind, role, hash, confirmed)
	}
	if n := e.count(t, `SELECT count(*) FROM role_requests WHERE id = $1 AND password_hash IS NULL`, id); n != 1 {
		t.Error("the request keeps the password hash after the decision")
	}

	// Its staff can now register; a second registration of the same
	// company is a conflict that changes nothing.
	staff := e.confirmed(t, rrForm(domain.KindInstitutionStaff, r.Form.InstitutionID))
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: staff, Version: 2}); err != nil {
		t.Errorf("approve staff: %v", err)
	}
	again := rrForm(domain.KindInstitution, 0)
	again.CompanyRegNumber = f.CompanyRegNumber
	dup := e.confirmed(t, again)
	before := e.snapshot(t, dup)
	wantError(t, e.svc.Approve(as(t, e.janis), domain.Decision{RequestID: dup, Version: 2}), domain.ECONFLICT, "rolerequest.institution_exists")
	if after := e.snapshot(t, dup); after != before {
		t.Errorf("changed: %+v -> %+v", before, after)
	}
}

func TestRoleRequests_Duplicates_SamePersonAddressOrNumber(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	first := rrForm(domain.KindMunicipalCoordinator, 0)
	approved := e.confirmed(t, first)
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: approved, Version: 2}); err != nil {
		t.Fatal(err)
	}
	samePerson := rrForm(domain.KindCareerConsultant, 0)
	samePerson.PersonalCode = first.PersonalCode
	idPerson := e.confirmed(t, samePerson)
	sameAddress := rrForm(domain.KindAdultEducationCoordinator, 0)
	sameAddress.Email = strings.ToUpper(samePerson.Email)
	idAddress, _ := e.submit(t, sameAddress)
	unrelated := e.pending(t, domain.KindAdultEducationCoordinator)

	dups, err := e.svc.FindDuplicates(t.Context(), idPerson)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*domain.Duplicate{}
	for _, d := range dups {
		got[d.Kind+":"+d.Matched] = d
		if d.ID == idPerson && d.Kind == "request" {
			t.Error("the request is its own duplicate")
		}
		if d.ID == unrelated && d.Kind == "request" {
			t.Error("an unrelated request is a duplicate")
		}
		if strings.Contains(d.Summary, first.PersonalCode) {
			t.Errorf("summary %q shows a full personal code", d.Summary)
		}
	}
	if d := got["assignment:personal_code"]; d == nil || !strings.Contains(d.Summary, first.PersonalCode[:6]+"-*****") {
		t.Errorf("the running assignment is not found by personal code: %v", dups)
	}
	if d := got["request:email"]; d == nil || d.ID != idAddress || d.State != "unconfirmed" {
		t.Errorf("the open request with the same address is not found: %v", dups)
	}

	inst := e.institution(t)
	var company string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT company_reg_number FROM institutions WHERE id = $1`, inst).Scan(&company); err != nil {
		t.Fatal(err)
	}
	reg := rrForm(domain.KindInstitution, 0)
	reg.CompanyRegNumber = company
	idReg, _ := e.submit(t, reg)
	dups, err = e.svc.FindDuplicates(t.Context(), idReg)
	if err != nil {
		t.Fatal(err)
	}
	if len(dups) != 1 || dups[0].Kind != "institution" || dups[0].ID != inst || dups[0].Matched != "company_reg" {
		t.Errorf("duplicates of a registration = %+v", dups)
	}
	_, err = e.svc.FindDuplicates(t.Context(), 987654)
	wantError(t, err, domain.ENOTFOUND, "rolerequest.not_found")
}

// THE RACE: sixteen reviewers decide the same request at once.
func TestRoleRequests_SixteenConcurrentDecisions_ExactlyOneWins(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	id := e.confirmed(t, f)
	ops := []*domain.Operator{e.anna, e.janis}
	for i := range 14 {
		ops = append(ops, rrOperator(t, e.db, "reviewer"+itoa(int64(i)), "Recenzents "+itoa(int64(i)), ""))
	}
	beforeAudit := e.count(t, `SELECT count(*) FROM audit_log`)

	start := make(chan struct{})
	errs := make([]error, len(ops))
	var wg sync.WaitGroup
	for i, op := range ops {
		ctx := as(t, op)
		wg.Go(func() {
			<-start
			d := domain.Decision{RequestID: id, Version: 2}
			if i%2 == 0 {
				errs[i] = e.svc.Approve(ctx, d)
			} else {
				d.ReasonCode = "not_eligible"
				errs[i] = e.svc.Reject(ctx, d)
			}
		})
	}
	close(start)
	wg.Wait()

	wins := 0
	for i, err := range errs {
		switch domain.ErrorCode(err) {
		case "":
			wins++
		case domain.ECONFLICT:
		default:
			t.Errorf("decision %d: %v, want success or ECONFLICT", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d decisions won, want exactly 1", wins)
	}
	r := e.find(t, id)
	if r.State != domain.StateApproved && r.State != domain.StateRejected {
		t.Fatalf("state = %s", r.State)
	}
	if r.Version != 3 {
		t.Errorf("version = %d, want 3 (one change)", r.Version)
	}
	mails := e.count(t, `SELECT count(*) FROM outbox WHERE to_addr = $1 AND template IN ('rolerequest.approved', 'rolerequest.rejected')`, f.Email)
	if mails != 1 {
		t.Errorf("%d decision mails, want 1", mails)
	}
	decisions := e.count(t, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action IN ('`+domain.AuditRoleRequestApprove+`', '`+domain.AuditRoleRequestReject+`')`, itoa(id))
	if decisions != 1 {
		t.Errorf("%d decision audit entries, want 1", decisions)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log`) - beforeAudit; n != 1 {
		t.Errorf("%d audit entries written, want 1", n)
	}
	wantAssignments := 0
	if r.State == domain.StateApproved {
		wantAssignments = 1
	}
	if n := e.count(t, `SELECT count(*) FROM role_assignments WHERE request_id = $1`, id); n != wantAssignments {
		t.Errorf("%d assignments, want %d", n, wantAssignments)
	}
	if n := e.count(t, `SELECT count(*) FROM role_request_events WHERE request_id = $1 AND action IN ('approved', 'rejected')`, id); n != 1 {
		t.Errorf("%d decision events, want 1", n)
	}
	v, err := storage.NewAuditService(e.db).VerifyAudit(t.Context())
	if err != nil || !v.OK {
		t.Errorf("audit chain after the race: %+v %v", v, err)
	}
}

func TestRoleRequests_ClaimHeld_SecondOperatorGetsConflictNamingHolder(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	anna := as(t, e.anna)
	if _, err := e.svc.ClaimRoleRequest(anna, id); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.ClaimRoleRequest(as(t, e.janis), id)
	wantError(t, err, domain.ECONFLICT, "rolerequest.claimed")
	if args := domain.AsError(err).Args; len(args) != 1 || args[0] != "Anna Kalniņa" {
		t.Errorf("conflict names %v, want Anna Kalniņa", args)
	}
	// Nor may he decide it while she holds it.
	before := e.snapshot(t, id)
	wantError(t, e.svc.Approve(as(t, e.janis), domain.Decision{RequestID: id, Version: 2}), domain.ECONFLICT, "rolerequest.claimed")
	if after := e.snapshot(t, id); after != before {
		t.Errorf("changed: %+v -> %+v", before, after)
	}
	// Renewing is claiming again, and is not recorded again.
	e.clock.advance(10 * time.Minute)
	r, err := e.svc.ClaimRoleRequest(anna, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := e.clock.t.Add(domain.ClaimLease).UTC().Truncate(time.Microsecond); !r.ClaimExpiresAt.Equal(want) {
		t.Errorf("renewed until %v, want %v", r.ClaimExpiresAt, want)
	}
	if e.audits(t, domain.AuditRoleRequestClaim, id) != 1 {
		t.Error("a renewal is audited as a new claim")
	}
	if r.Version != 2 {
		t.Errorf("claims changed the version to %d", r.Version)
	}
}

func TestRoleRequests_ExpiredLease_CanBeTakenAndOldHolderLosesIt(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	anna := as(t, e.anna)
	if _, err := e.svc.ClaimRoleRequest(anna, id); err != nil {
		t.Fatal(err)
	}
	e.clock.advance(domain.ClaimLease + time.Second)
	if r := e.find(t, id); r.ClaimedBy != 0 {
		t.Errorf("an expired claim is shown: %d", r.ClaimedBy)
	}
	if _, err := e.svc.ClaimRoleRequest(as(t, e.janis), id); err != nil {
		t.Fatalf("take an expired lease: %v", err)
	}
	wantError(t, e.svc.Approve(anna, domain.Decision{RequestID: id, Version: 2}), domain.ECONFLICT, "rolerequest.claimed")
}

func TestRoleRequests_ReleaseAndSessionEnd_FreeOnlyThoseClaims(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	a, b, c := e.pending(t, domain.KindCareerConsultant), e.pending(t, domain.KindCareerConsultant), e.pending(t, domain.KindCareerConsultant)
	s1 := asSession(t, e.anna, "s1")
	s2 := asSession(t, e.janis, "s2")
	for _, id := range []int64{a, b} {
		if _, err := e.svc.ClaimRoleRequest(s1, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.ClaimRoleRequest(s2, c); err != nil {
		t.Fatal(err)
	}
	// Releasing what one does not hold does nothing.
	if err := e.svc.ReleaseRoleRequest(s2, a); err != nil {
		t.Fatal(err)
	}
	if e.find(t, a).ClaimedBy != e.anna.ID {
		t.Error("janis released anna's claim")
	}
	if err := e.svc.ReleaseRoleRequest(s1, a); err != nil {
		t.Fatal(err)
	}
	if e.find(t, a).ClaimedBy != 0 {
		t.Error("release left the claim")
	}
	if err := e.svc.ReleaseSessionClaims(s1, "s1"); err != nil {
		t.Fatal(err)
	}
	if e.find(t, b).ClaimedBy != 0 || e.find(t, c).ClaimedBy != e.janis.ID {
		t.Error("session end released the wrong claims")
	}
	if got := e.events(t, b); got[len(got)-1] != "released" {
		t.Errorf("history = %q", got)
	}
}

func TestRoleRequests_ReleaseSessionClaims_WorksWithEndedContext(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	ctx := asSession(t, e.anna, "gone")
	if _, err := e.svc.ClaimRoleRequest(ctx, id); err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.svc.ReleaseSessionClaims(done, "gone"); err != nil {
		t.Fatal(err)
	}
	if e.find(t, id).ClaimedBy != 0 {
		t.Error("the claim of an ended session stays")
	}
}

func TestRoleRequests_ClaimNext_OldestFirstNeverTwice(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	first := e.pending(t, domain.KindCareerConsultant)
	e.clock.advance(time.Minute)
	second := e.pending(t, domain.KindMunicipalCoordinator)
	e.clock.advance(time.Minute)
	third := e.pending(t, domain.KindCareerConsultant)

	r, err := e.svc.ClaimNext(as(t, e.anna))
	if err != nil || r.ID != first || r.ClaimedBy != e.anna.ID || r.ClaimedByName != "Anna Kalniņa" ||
		r.State != domain.StatePending || r.Form.Kind != domain.KindCareerConsultant {
		t.Fatalf("first ClaimNext = %+v, %v", r, err)
	}
	// The claim, its history event and its audit entry come together.
	if got := e.events(t, first); !slices.Equal(got, []string{"submitted", "email_confirmed", "claimed"}) {
		t.Errorf("history after ClaimNext = %v", got)
	}
	if n := e.audits(t, domain.AuditRoleRequestClaim, first); n != 1 {
		t.Errorf("%d audit entries of the claim, want 1", n)
	}
	// Someone who is not an active operator claims nothing.
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE operators SET disabled = true WHERE id = $1`, e.janis.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ClaimNext(as(t, e.janis))
	wantError(t, err, domain.EUNAUTHORIZED, "rolerequest.no_operator")
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE operators SET disabled = false WHERE id = $1`, e.janis.ID); err != nil {
		t.Fatal(err)
	}
	r, err = e.svc.ClaimNext(as(t, e.janis), domain.KindCareerConsultant)
	if err != nil || r.ID != third {
		t.Fatalf("ClaimNext of consultants = %v, %v; want %d", r, err, third)
	}
	r, err = e.svc.ClaimNext(as(t, e.janis))
	if err != nil || r.ID != second {
		t.Fatalf("third ClaimNext = %v, %v; want %d", r, err, second)
	}
	_, err = e.svc.ClaimNext(as(t, e.janis))
	wantError(t, err, domain.ENOTFOUND, "rolerequest.queue_empty")

	// A lapsed lease puts its request back at its place in the queue.
	e.clock.advance(domain.ClaimLease + time.Second)
	r, err = e.svc.ClaimNext(as(t, e.janis))
	if err != nil || r.ID != first {
		t.Fatalf("ClaimNext after the leases lapsed = %v, %v; want %d", r, err, first)
	}
}

func TestRoleRequests_ClaimClosed_Refused(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: 2}); err != nil {
		t.Fatal(err)
	}
	// A decided request says who decided it, as every refusal of a decided
	// request does (domain.RoleRequest.Allows).
	_, err := e.svc.ClaimRoleRequest(as(t, e.janis), id)
	wantError(t, err, domain.ECONFLICT, "rolerequest.decided")
	_, err = e.svc.ClaimRoleRequest(as(t, e.janis), 424242)
	wantError(t, err, domain.ENOTFOUND, "rolerequest.not_found")
}

func TestRoleRequests_TakeOver_TooEarlyThenWithReason(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	e.svc.Config.TakeOverAfterDays = 10
	inst := e.institution(t)
	f := rrForm(domain.KindCareerConsultant, inst)
	id := e.confirmed(t, f)
	ctx := as(t, e.janis)
	wantError(t, e.svc.TakeOver(ctx, domain.Decision{RequestID: id, Version: 2}), domain.EINVALID, "rolerequest.takeover_reason_required")
	before := e.snapshot(t, id)
	wantError(t, e.svc.TakeOver(ctx, domain.Decision{RequestID: id, Version: 2, ReasonText: "Iestāde neatbild."}), domain.EINVALID, "rolerequest.takeover_too_early")
	if after := e.snapshot(t, id); after != before {
		t.Errorf("changed: %+v -> %+v", before, after)
	}
	e.clock.advance(10 * 24 * time.Hour)
	if r := e.find(t, id); !r.CanTakeOver(e.clock.t, e.svc.Config) {
		t.Error("CanTakeOver disagrees with TakeOver")
	}
	if err := e.svc.TakeOver(ctx, domain.Decision{RequestID: id, Version: 2, ReasonText: "Iestāde neatbild."}); err != nil {
		t.Fatal(err)
	}
	r := e.find(t, id)
	if r.State != domain.StatePending || r.Route != domain.RouteAgency || r.Form.InstitutionID != inst {
		t.Errorf("taken over: %s/%s institution %d", r.State, r.Route, r.Form.InstitutionID)
	}
	if e.mails(t, "rolerequest.taken_over", f.Email) != 1 || e.audits(t, domain.AuditRoleRequestTakeOver, id) != 1 {
		t.Error("the take-over is not mailed or audited")
	}
	// The institution can no longer decide; the Agency can.
	wantError(t, e.portal.InstitutionDecide(t.Context(), inst, id, true, ""), domain.ENOTFOUND, "rolerequest.not_found")
	if err := e.svc.Approve(ctx, domain.Decision{RequestID: id, Version: r.Version}); err != nil {
		t.Fatal(err)
	}
	// ¶29.3: the Agency approves the consultant without the institution's
	// scope (this test pinned the institution's scope before: a role in
	// the name of an institution that never approved it).
	if n := e.count(t, `SELECT count(*) FROM role_assignments WHERE request_id = $1 AND institution_id IS NULL`, id); n != 1 {
		t.Error("the Agency's approval of a taken-over consultant is not unscoped")
	}
}

func TestRoleRequests_ExpireUnconfirmed_AfterFourteenDaysIdempotent(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	old := rrForm(domain.KindMunicipalCoordinator, 0)
	oldID, oldToken := e.submit(t, old)
	confirmedID := e.pending(t, domain.KindCareerConsultant)
	e.clock.advance(10 * 24 * time.Hour)
	youngID, _ := e.submit(t, rrForm(domain.KindCareerConsultant, 0))
	e.clock.advance(5 * 24 * time.Hour)

	n, err := e.svc.ExpireUnconfirmed(t.Context(), e.clock.t)
	if err != nil || n != 1 {
		t.Fatalf("expired %d, %v; want 1", n, err)
	}
	if n, err := e.svc.ExpireUnconfirmed(t.Context(), e.clock.t); err != nil || n != 0 {
		t.Errorf("second run expired %d, %v; want 0", n, err)
	}
	for id, want := range map[int64]domain.RoleRequestState{oldID: domain.StateExpired, confirmedID: domain.StatePending, youngID: domain.StateUnconfirmed} {
		if got := e.find(t, id).State; got != want {
			t.Errorf("request %d is %s, want %s", id, got, want)
		}
	}
	if e.mails(t, "rolerequest.expired", old.Email) != 1 || e.audits(t, domain.AuditRoleRequestExpire, oldID) != 1 {
		t.Error("the expiry is not mailed or audited")
	}
	_, err = e.portal.ConfirmEmail(t.Context(), oldToken)
	wantError(t, err, domain.EINVALID, "rolerequest.token_expired")
}

func TestRoleRequests_ResendConfirmation_NewTokenOldOneDead(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	f := rrForm(domain.KindAdultEducationCoordinator, 0)
	id, oldToken := e.submit(t, f)
	newToken, err := e.svc.ResendConfirmationToken(as(t, e.anna), id)
	if err != nil {
		t.Fatal(err)
	}
	if e.mails(t, "rolerequest.submitted_confirm", f.Email) != 2 || e.audits(t, domain.AuditRoleRequestResend, id) != 1 {
		t.Error("the new link is not mailed or audited")
	}
	_, err = e.portal.ConfirmEmail(t.Context(), oldToken)
	wantError(t, err, domain.ENOTFOUND, "rolerequest.token_unknown")
	if _, err := e.portal.ConfirmEmail(t.Context(), newToken); err != nil {
		t.Fatalf("confirm with the new token: %v", err)
	}
	wantError(t, e.svc.ResendConfirmation(as(t, e.anna), id), domain.EINVALID, "rolerequest.not_unconfirmed")

	late, _ := e.submit(t, rrForm(domain.KindAdultEducationCoordinator, 0))
	e.clock.advance(domain.UnconfirmedLifetime + time.Hour)
	wantError(t, e.svc.ResendConfirmation(as(t, e.anna), late), domain.EINVALID, "rolerequest.expired")
}

func TestRoleRequests_History_OldestFirstWithActors(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.pending(t, domain.KindCareerConsultant)
	if _, err := e.svc.ClaimRoleRequest(as(t, e.anna), id); err != nil {
		t.Fatal(err)
	}
	e.clock.advance(time.Minute)
	if err := e.svc.Reject(as(t, e.anna), domain.Decision{RequestID: id, Version: 2, ReasonCode: "incomplete"}); err != nil {
		t.Fatal(err)
	}
	h, err := e.svc.RoleRequestHistory(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 4 || h[2].ActorName != "Anna Kalniņa" || h[3].Action != "rejected" || h[3].Note != "incomplete" || !h[3].At.After(h[2].At) {
		for _, ev := range h {
			t.Logf("%+v", ev)
		}
		t.Error("history is not as expected")
	}
	_, err = e.svc.RoleRequestHistory(t.Context(), 777777)
	wantError(t, err, domain.ENOTFOUND, "rolerequest.not_found")
}

// TestRoleRequests_ClaimNext_ConcurrentClaimersEachOnce has eight
// reviewers claim from one queue at once until it is empty: every request
// is claimed exactly once, with one history event and one audit entry,
// and the audit chain stays whole.
func TestRoleRequests_ClaimNext_ConcurrentClaimersEachOnce(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	const requests = 120
	for range requests {
		e.pending(t, domain.KindCareerConsultant)
	}
	var mu sync.Mutex
	claimedBy := map[int64]int{}
	var wg sync.WaitGroup
	for i := range 8 {
		op := rrOperator(t, e.db, "claimer"+itoa(int64(i)), "Recenzents "+itoa(int64(i)), "")
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := asSession(t, op, "session-"+itoa(int64(i)))
			for {
				r, err := e.svc.ClaimNext(ctx)
				if domain.ErrorCode(err) == domain.ENOTFOUND {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				claimedBy[r.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(claimedBy) != requests {
		t.Fatalf("%d requests claimed, want %d", len(claimedBy), requests)
	}
	for id, n := range claimedBy {
		if n != 1 {
			t.Errorf("request #%d claimed %d times", id, n)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM audit_pending`); n != requests {
		t.Errorf("%d claim audit entries pending, want %d", n, requests)
	}
	if n, err := storage.NewAuditService(e.db).SealAudit(t.Context()); err != nil || n != requests {
		t.Errorf("sealed %d entries, %v; want %d", n, err, requests)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditRoleRequestClaim+`'`); n != requests {
		t.Errorf("%d claim audit entries, want %d", n, requests)
	}
	if n := e.count(t, `SELECT count(*) FROM role_request_events WHERE action = 'claimed'`); n != requests {
		t.Errorf("%d claim events, want %d", n, requests)
	}
	if n := e.count(t, `SELECT count(*) FROM role_requests WHERE claimed_by IS NULL`); n != 0 {
		t.Errorf("%d requests left unclaimed", n)
	}
	rep, err := storage.NewAuditService(e.db).VerifyAudit(t.Context())
	if err != nil || !rep.OK {
		t.Errorf("audit chain after concurrent claims: %+v, %v", rep, err)
	}
}
