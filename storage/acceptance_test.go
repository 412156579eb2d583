package storage_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
)

// acceptEnv is the role-request environment with the terms service and
// its two editors, to publish versions (¶26.2 tests).
type acceptEnv struct {
	*rrEnv
	t *termsEnv
}

func newAcceptEnv(t *testing.T) *acceptEnv {
	t.Helper()
	e := newRREnv(t)
	te := &termsEnv{db: e.db, terms: storage.NewTermsService(e.db), clock: e.clock}
	te.ilze = editorOperator(t, e.db, "ilze.kalna", "Ilze Kalna", domain.RoleEditor)
	te.maris = editorOperator(t, e.db, "maris.ozols", "Māris Ozols", domain.RoleEditor)
	return &acceptEnv{rrEnv: e, t: te}
}

// act is an acceptance of v made now through the web.
func (e *acceptEnv) act(v *domain.TermsVersion) domain.TermsAct {
	return domain.TermsAct{VersionID: v.ID, AcceptedAt: e.clock.now().UTC().Truncate(time.Second), Channel: domain.TermsChannelWeb}
}

// acceptances counts every acceptance there is.
func (e *acceptEnv) acceptances(t *testing.T) int {
	return e.count(t, `SELECT count(*) FROM terms_acceptances`)
}

// approve approves request id at the version it has now.
func (e *acceptEnv) approve(t *testing.T, id int64) error {
	t.Helper()
	return e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: e.find(t, id).Version})
}

// TestAcceptance_P26_2_RoleRequest_RefusedWithoutThePersonsAcceptance_ApprovalWritesNone:
// ¶26.2 — registration only once the person has approved the terms. A
// request without the person's acceptance is shown as such (detail and
// list row) and its approval refused; a request carrying it (the portal's
// submission) is approved, and the approval writes no acceptance.
func TestAcceptance_P26_2_RoleRequest_RefusedWithoutThePersonsAcceptance_ApprovalWritesNone(t *testing.T) {
	t.Parallel()
	e := newAcceptEnv(t)
	v1 := e.t.published(t, "2024-09-04", clauses(3))

	bare := e.confirmed(t, rrForm(domain.KindMunicipalCoordinator, 0))
	if p := e.find(t, bare).Terms; p == nil || p.VersionID != v1.ID || p.Number != "2024-09-04" {
		t.Fatalf("detail Terms = %+v, want version 2024-09-04 pending", p)
	}
	list, err := e.svc.ListRoleRequests(as(t, e.anna), domain.RoleRequestFilter{})
	if err != nil || len(list) != 1 || list[0].Terms == nil || list[0].Terms.Number != "2024-09-04" {
		t.Fatalf("list rows %+v, %v: want the flag", list, err)
	}
	wantError(t, e.approve(t, bare), domain.ECONFLICT, "terms.not_accepted")
	if n := e.acceptances(t); n != 0 {
		t.Fatalf("%d acceptances after a refused approval, want 0", n)
	}

	f := rrForm(domain.KindMunicipalCoordinator, 0)
	f.Terms = e.act(v1)
	f.Terms.Channel = domain.TermsChannelMobile
	with := e.confirmed(t, f)
	if n := e.count(t, `SELECT count(*) FROM terms_acceptances a JOIN person_codes c ON c.person_id = a.person_id
		WHERE c.code = $1 AND a.version_id = $2 AND a.channel = 'mobile_app' AND a.role_request_id = $3`, f.PersonalCode, v1.ID, with); n != 1 {
		t.Fatalf("the submission's acceptance is not the person's (%d)", n)
	}
	if p := e.find(t, with).Terms; p != nil {
		t.Fatalf("accepted request shows %+v pending", p)
	}
	before := e.acceptances(t)
	if err := e.approve(t, with); err != nil {
		t.Fatalf("approve with acceptance: %v", err)
	}
	if n := e.acceptances(t); n != before {
		t.Fatalf("approval wrote %d acceptances, want none", n-before)
	}
	// The old version cannot be carried by a submission.
	g := rrForm(domain.KindMunicipalCoordinator, 0)
	g.Terms = e.act(v1)
	g.Terms.VersionID = 0
	wantError(t, firstErr(e.portal.SubmitRoleRequest(t.Context(), g)), domain.EINVALID, "rolerequest.invalid")
}

// firstErr drops the values of a submission.
func firstErr(_ int64, _ string, err error) error { return err }

// TestAcceptance_P26_2_NewVersion_PersonNotAcceptedAgain_PortalAcceptanceLetsApprove:
// ¶26.2 — publishing a version makes its persons not-accepted again; the
// person's acceptance through the portal API (their act) lets the
// renewal be approved, and the approval adds none.
func TestAcceptance_P26_2_NewVersion_PersonNotAcceptedAgain_PortalAcceptanceLetsApprove(t *testing.T) {
	t.Parallel()
	e := newAcceptEnv(t)
	v1 := e.t.published(t, "2024-09-04", clauses(3))
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	f.Terms = e.act(v1)
	first := e.confirmed(t, f)
	if err := e.approve(t, first); err != nil {
		t.Fatal(err)
	}
	var user int64
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT id FROM platform_users WHERE personal_code = $1`, f.PersonalCode).Scan(&user); err != nil {
		t.Fatal(err)
	}

	e.clock.advance(time.Hour)
	v2 := e.t.published(t, "2025-01-15", clauses(4))
	g := f
	g.Terms = domain.TermsAct{}
	g.Email = "cits." + f.Email
	renewal := e.confirmed(t, g)
	if p := e.find(t, renewal).Terms; p == nil || p.VersionID != v2.ID {
		t.Fatalf("after a new version Terms = %+v, want %s pending", p, v2.Number)
	}
	wantError(t, e.approve(t, renewal), domain.ECONFLICT, "terms.not_accepted")

	client, _ := apiClient(t, e.db, "portal")
	if err := e.portal.AcceptTerms(asClient(t, client), user, e.act(v2)); err != nil {
		t.Fatalf("accept through the portal: %v", err)
	}
	if p := e.find(t, renewal).Terms; p != nil {
		t.Fatalf("after the portal's acceptance Terms = %+v", p)
	}
	before := e.acceptances(t)
	if err := e.approve(t, renewal); err != nil {
		t.Fatalf("approve after acceptance: %v", err)
	}
	if n := e.acceptances(t); n != before || before != 2 {
		t.Fatalf("acceptances %d → %d, want 2 → 2", before, n)
	}
}

// TestAcceptance_P26_2_InstitutionUser_CarriesTheirOwnSubmissionsAcceptance:
// ¶26.2 with ¶27.2 — an institution's user has no personal code: the
// acceptance they made with the submission stays on the request and the
// account created at approval carries exactly it (their time, their
// channel); without one the registration is refused.
func TestAcceptance_P26_2_InstitutionUser_CarriesTheirOwnSubmissionsAcceptance(t *testing.T) {
	t.Parallel()
	e := newAcceptEnv(t)
	v := e.t.published(t, "2024-09-04", clauses(3))
	bare := e.pending(t, domain.KindInstitution)
	wantError(t, e.approve(t, bare), domain.ECONFLICT, "terms.not_accepted")

	f := rrForm(domain.KindInstitution, 0)
	f.Terms = e.act(v)
	f.Terms.AcceptedAt = f.Terms.AcceptedAt.Add(-time.Second)
	f.Terms.Channel = domain.TermsChannelMobile
	id := e.confirmed(t, f)
	if err := e.approve(t, id); err != nil {
		t.Fatalf("approve: %v", err)
	}
	var at time.Time
	var channel string
	err := e.db.Pool().QueryRow(t.Context(), `
		SELECT a.accepted_at, a.channel FROM terms_acceptances a JOIN platform_users u ON u.id = a.user_id
		 WHERE lower(u.email) = lower($1) AND a.version_id = $2 AND a.role_request_id = $3`, f.Email, v.ID, id).Scan(&at, &channel)
	if err != nil || !at.Equal(f.Terms.AcceptedAt) || channel != "mobile_app" {
		t.Fatalf("the user's acceptance %v %q, %v; want the submission's %v mobile_app", at, channel, err, f.Terms.AcceptedAt)
	}
}

// TestAcceptance_P26_2_IMK_CheckHoldsInReview_ApprovalRefusedUntilAccepted:
// ¶26.2 — the automatic check does not approve an eligible person who has
// not accepted the terms in force: the application waits in review with
// the reason "terms"; the reviewer's approval is refused until the person
// accepts (through the portal), and then goes through without writing an
// acceptance. A person who applied with the acceptance is approved by the
// check.
func TestAcceptance_P26_2_IMK_CheckHoldsInReview_ApprovalRefusedUntilAccepted(t *testing.T) {
	t.Parallel()
	e := newAcceptEnv(t)
	v := e.t.published(t, "2024-09-04", clauses(3))
	regs := storage.NewMirrorRegisters(e.db, storage.Outage{}, nil)
	imk := storage.NewIMKService(e.db, regs)
	client, _ := apiClient(t, e.db, "portal")

	bare, err := imk.ApplyIMK(t.Context(), newCode(71), "Anna", "Bērziņa", "anna@example.lv")
	if err != nil {
		t.Fatal(err)
	}
	withTerms, err := e.portal.ApplyIMK(asClient(t, client), domain.IMKApplicationForm{PersonalCode: newCode(72),
		FirstName: "Pēteris", LastName: "Kalns", Email: "peteris@example.lv", Terms: e.act(v)})
	if err != nil {
		t.Fatal(err)
	}
	importAll(t, e.db, newCode(71), newCode(72))
	if _, err := storage.NewIMKChecker(e.db, regs).RunOnce(t.Context(), 10); err != nil {
		t.Fatal(err)
	}
	ctx := as(t, e.anna)
	if a, err := imk.FindIMK(ctx, withTerms); err != nil || a.State != domain.IMKApproved {
		t.Fatalf("accepted and eligible: %+v, %v; want approved by the check", a, err)
	}
	list, err := imk.ListIMK(ctx, domain.IMKFilter{})
	if err != nil || len(list) != 1 || list[0].ID != bare || list[0].Terms == nil || list[0].Terms.Number != v.Number {
		t.Fatalf("review queue %+v, %v: want the bare application flagged", list, err)
	}
	if ev := list[0].Evaluation; ev == nil || len(ev.ReviewWhy) == 0 || ev.ReviewWhy[len(ev.ReviewWhy)-1] != domain.ReviewTermsNotAccepted {
		t.Fatalf("review why = %+v, want %q", ev, domain.ReviewTermsNotAccepted)
	}
	a, err := imk.ClaimIMK(ctx, bare)
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, imk.DecideIMK(ctx, bare, a.Version, true, "atbilst"), domain.ECONFLICT, "terms.not_accepted")

	// The person signs in to the portal and accepts there.
	var user int64
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, 'anna@example.lv', 'Anna', 'Bērziņa', true) RETURNING id`, newCode(71)).Scan(&user); err != nil {
		t.Fatal(err)
	}
	if err := e.portal.AcceptTerms(asClient(t, client), user, e.act(v)); err != nil {
		t.Fatal(err)
	}
	before := e.acceptances(t)
	a, err = imk.FindIMK(ctx, bare)
	if err != nil || a.Terms != nil {
		t.Fatalf("after accepting %+v, %v", a, err)
	}
	if err := imk.DecideIMK(ctx, bare, a.Version, true, "atbilst"); err != nil {
		t.Fatalf("approve after acceptance: %v", err)
	}
	if n := e.acceptances(t); n != before {
		t.Fatalf("the approval wrote %d acceptances", n-before)
	}
}

// TestAcceptance_P26_2_Demo_MostApplicantsAccepted_AFewNot_NewVersionChangesIt:
// ¶26.2 in the demo — most applicants accepted the version in force with
// their submission, a few have not (their approval is refused, so the
// refusal can be seen); once another version takes force, nobody has
// accepted it.
func TestAcceptance_P26_2_Demo_MostApplicantsAccepted_AFewNot_NewVersionChangesIt(t *testing.T) {
	t.Parallel()
	e := newAcceptEnv(t)
	ctx := t.Context()
	now := time.Now().UTC()
	if _, err := demodata.Load(ctx, e.db, demodata.Options{Scale: 300, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := demodata.LoadTerms(ctx, e.db, demodata.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	pendingShare := func() (flagged, all int) {
		t.Helper()
		list, err := e.svc.ListRoleRequests(as(t, e.anna), domain.RoleRequestFilter{States: []domain.RoleRequestState{domain.StatePending}, Limit: 200})
		if err != nil || len(list) < 20 {
			t.Fatalf("list %d, %v", len(list), err)
		}
		for _, r := range list {
			if r.Terms != nil {
				flagged++
			}
		}
		return flagged, len(list)
	}
	flagged, all := pendingShare()
	if flagged == 0 || flagged*4 > all {
		t.Fatalf("%d of %d pending requests not accepted: want a few", flagged, all)
	}
	// A new version in force: nobody has accepted it yet.
	if _, err := e.db.Pool().Exec(ctx, `UPDATE terms_versions SET state = 'superseded' WHERE state = 'published'`); err != nil {
		t.Fatal(err)
	}
	e.clock.advance(time.Minute)
	e.t.published(t, "2099-01-01", clauses(2))
	if flagged, all = pendingShare(); flagged != all {
		t.Fatalf("after a new version %d of %d flagged, want all", flagged, all)
	}
}

// TestAcceptance_P26_2_HelpdeskSender_ShownNotAccepted: ¶26.2 — a ticket's
// matched Platform user who has not accepted the terms in force is shown
// as such in the sender panel; once they accept (through the portal),
// not; an operator's address never is.
func TestAcceptance_P26_2_HelpdeskSender_ShownNotAccepted(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	te := &termsEnv{db: e.db, terms: storage.NewTermsService(e.db), clock: e.clock}
	te.ilze = editorOperator(t, e.db, "ilze.kalna", "Ilze Kalna", domain.RoleEditor)
	te.maris = editorOperator(t, e.db, "maris.ozols", "Māris Ozols", domain.RoleEditor)
	v := te.published(t, "2024-09-04", clauses(3))
	user := e.vissUser(t, "janis.klients@example.lv")

	m := e.ingest(t, must(rawMail("janis.klients@example.lv", "Jautājums", "Kā pieteikties?")))
	tk := e.ticket(t, m.TicketID)
	if tk.Account == nil || tk.Account.ID != user || tk.Account.Terms == nil || tk.Account.Terms.Number != "2024-09-04" {
		t.Fatalf("sender %+v: want the user, not accepted 2024-09-04", tk.Account)
	}
	client, _ := apiClient(t, e.db, "portal")
	act := domain.TermsAct{VersionID: v.ID, AcceptedAt: e.clock.now().UTC().Truncate(time.Second), Channel: domain.TermsChannelWeb}
	if err := storage.NewPortalService(e.db).AcceptTerms(asClient(t, client), user, act); err != nil {
		t.Fatal(err)
	}
	if tk := e.ticket(t, m.TicketID); tk.Account == nil || tk.Account.Terms != nil {
		t.Fatalf("after accepting, sender %+v", tk.Account)
	}
	m = e.ingest(t, must(rawMail("liga.helpdesk@viaa.gov.lv", "Parole", "Aizmirsu paroli")))
	if tk := e.ticket(t, m.TicketID); tk.Account == nil || tk.Account.Kind != "operator" || tk.Account.Terms != nil {
		t.Fatalf("operator sender %+v", tk.Account)
	}
}

// TestAcceptance_P26_2_DenialSubject_ShownNotAccepted: ¶26.2 — the
// Platform user a denial is about is shown as not having accepted the
// terms in force, in the list and the subject's history, until they do.
func TestAcceptance_P26_2_DenialSubject_ShownNotAccepted(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	te := &termsEnv{db: e.db, terms: storage.NewTermsService(e.db), clock: useClock(e.db)}
	te.ilze = editorOperator(t, e.db, "ilze.kalna", "Ilze Kalna", domain.RoleEditor)
	te.maris = editorOperator(t, e.db, "maris.ozols", "Māris Ozols", domain.RoleEditor)
	v := te.published(t, "2024-09-04", clauses(3))
	u := e.user(t, 0)
	d := e.deny(t, e.ilze, domain.SubjectPlatformUser, u, domain.GroundRulesBroken)
	ctx := as(t, e.ilze)
	hist, err := e.svc.SubjectHistory(ctx, domain.SubjectPlatformUser, u)
	if err != nil || len(hist) != 1 || hist[0].ID != d.ID || hist[0].SubjectTerms == nil || hist[0].SubjectTerms.Number != "2024-09-04" {
		t.Fatalf("history %+v, %v: want the subject not accepted", hist, err)
	}
	client, _ := apiClient(t, e.db, "portal")
	act := domain.TermsAct{VersionID: v.ID, AcceptedAt: te.clock.now().UTC().Truncate(time.Second), Channel: domain.TermsChannelWeb}
	if err := storage.NewPortalService(e.db).AcceptTerms(asClient(t, client), u, act); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.ListDenials(ctx, domain.DenialFilter{})
	if err != nil || len(list) != 1 || list[0].SubjectTerms != nil {
		t.Fatalf("list %+v, %v: want the subject accepted", list, err)
	}
}
