package storage_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// mailBody returns the body of the one mail of template to addr.
func mailBody(t *testing.T, db *storage.DB, template, addr string) string {
	t.Helper()
	var body string
	if err := db.Pool().QueryRow(t.Context(), `SELECT body FROM outbox WHERE template = $1 AND to_addr = $2`, template, addr).Scan(&body); err != nil {
		t.Fatalf("no %s mail to %s: %v", template, addr, err)
	}
	return body
}

// ¶26.4, GDPR Art. 22: automatic rejection is the policy's, rule by rule,
// versioned like the rest of it. Under the default a failed residence
// rejects, and the mail states the rule, the register, its value and the
// date of the data, and how to ask for a person's review; a version that
// leaves residence to a person sends the same case to review with
// residence as the reason, and mails nothing. The approval's mail states
// its rules and how to ask too.
func TestIMKChecker_AutoRejectPerRule_MailStatesRulesDataAndHowToAsk_P26_4_GDPRArt22(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	svc := storage.NewPolicyService(db)
	drafter := newOperator(t, db, "ilze", withRoles(domain.RoleEditor))
	approver := newOperator(t, db, "janis", withRoles(domain.RoleAdmin))

	apply := func(i int) {
		t.Helper()
		seedApplicant(t, db, newCode(i), "anna"+strconv.Itoa(i)+"@example.lv")
	}
	notResident := func(i int) {
		t.Helper()
		if _, err := db.Pool().Exec(t.Context(), `UPDATE population_register SET resident = false WHERE personal_code = $1`, newCode(i)); err != nil {
			t.Fatal(err)
		}
	}
	apply(1)
	apply(2)
	notResident(2)
	checkAll(t, db)

	if st, _, _ := appPolicy(t, db, newCode(1)); st != "approved" {
		t.Fatalf("clear case %s, want approved", st)
	}
	body := mailBody(t, db, "imk.auto_approved", "anna1@example.lv")
	for _, want := range []string{"automātiski", "deklarētā dzīvesvieta Latvijā", "Fizisko personu reģistrs, dati uz ",
		"Valsts ieņēmumu dienests (VID)", "nodarbinātība vai pašnodarbinātība", "VDAR 22. pants", "atbildiet uz šo vēstuli",
		domain.ReviewContactEmail, domain.DefaultPortalURL} {
		if !strings.Contains(body, want) {
			t.Errorf("approval mail lacks %q:\n%s", want, body)
		}
	}
	if st, _, _ := appPolicy(t, db, newCode(2)); st != "rejected" {
		t.Fatalf("not resident under the default: %s, want rejected", st)
	}
	body = mailBody(t, db, "imk.auto_rejected", "anna2@example.lv")
	for _, want := range []string{"personai nav deklarētās dzīvesvietas Latvijā", "– deklarētā dzīvesvieta Latvijā:",
		"Fizisko personu reģistrs, dati uz " + time.Now().In(domain.AgencyZone).Format("2006-01-02"),
		"VDAR 22. pants", domain.ReviewContactEmail, domain.DefaultPortalURL} {
		if !strings.Contains(body, want) {
			t.Errorf("rejection mail lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "nodarbinātība") {
		t.Errorf("the rejection mail names a rule that did not decide:\n%s", body)
	}

	p := domain.DefaultEligibilityPolicy()
	p.Name = "Dzīvesvietu izskata cilvēks"
	p.AutoReject = []string{domain.RuleAge, domain.RuleAlive, domain.RuleEmployment, domain.RuleNoOtherIMK}
	p.PriorityCombine = domain.PriorityAllOf
	draft, err := svc.DraftPolicy(actingAs(t, drafter, "s1"), &p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(draft.AutoReject, []string{domain.RuleAlive, domain.RuleAge, domain.RuleEmployment, domain.RuleNoOtherIMK}) ||
		draft.PriorityCombine != domain.PriorityAllOf {
		t.Fatalf("draft kept auto-reject %v, combine %q", draft.AutoReject, draft.PriorityCombine)
	}
	if _, err := svc.ApprovePolicy(actingAs(t, approver, "s2"), draft.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	apply(3)
	notResident(3)
	checkAll(t, db)
	var state string
	var why []string
	if err := db.Pool().QueryRow(t.Context(), `SELECT state, review_why FROM imk_applications WHERE personal_code = $1`,
		newCode(3)).Scan(&state, &why); err != nil {
		t.Fatal(err)
	}
	if state != "needs_review" || !slices.Equal(why, []string{domain.RuleResidence}) {
		t.Fatalf("residence left to a person: %s %v, want needs_review for residence", state, why)
	}
	if n := countRows(t, db, `SELECT count(*) FROM outbox WHERE to_addr = 'anna3@example.lv'`); n != 0 {
		t.Fatalf("%d mails for an application in review, want none", n)
	}
}

// ¶26.4: an unknown priority is stored as unknown and does not hold the
// decision (VIIS often lacks older diplomas).
func TestIMKChecker_UnknownPriority_StoredNotHeld_P26_4(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	seedOne(t, db, newCode(4))
	if _, err := db.Pool().Exec(t.Context(), `DELETE FROM education_register WHERE personal_code = $1`, newCode(4)); err != nil {
		t.Fatal(err)
	}
	checkAll(t, db)
	var state, priority, evPriority string
	if err := db.Pool().QueryRow(t.Context(), `SELECT state, priority, evaluation->>'Priority' FROM imk_applications WHERE personal_code = $1`,
		newCode(4)).Scan(&state, &priority, &evPriority); err != nil {
		t.Fatal(err)
	}
	if state != "approved" || priority != "unknown" || evPriority != "unknown" {
		t.Fatalf("no VIIS record, born 1990: %s, priority %s/%s; want approved with priority unknown", state, priority, evPriority)
	}
}

// GDPR Art. 22: a person asks, through the portal, that a person review
// the automatic rejection. The application re-enters the review queue with
// "person asked for review", the contested decision is kept beside it and
// audited; asking again, asking about someone else's application, or
// asking about a reviewer's decision is refused.
func TestPortalAPI_RequestIMKReview_ReentersQueue_DecisionKept_GDPRArt22(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	db := e.db
	code := newCode(7)
	seedOne(t, db, code)
	if _, err := db.Pool().Exec(t.Context(), `UPDATE population_register SET resident = false WHERE personal_code = $1`, code); err != nil {
		t.Fatal(err)
	}
	checkAll(t, db)
	var id int64
	if err := db.Pool().QueryRow(t.Context(), `SELECT id FROM imk_applications WHERE personal_code = $1 AND state = 'rejected'`, code).Scan(&id); err != nil {
		t.Fatalf("not rejected automatically: %v", err)
	}
	ctx := asClient(t, e.client)
	req := domain.IMKReviewRequest{ApplicationID: id, PersonalCode: newCode(8), Message: "Dzīvoju Rīgā."}
	if err := e.portal.RequestIMKReview(ctx, req); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("another person's code: %v, want ENOTFOUND", err)
	}
	req.PersonalCode = code
	if err := e.portal.RequestIMKReview(ctx, req); err != nil {
		t.Fatal(err)
	}

	reviewer := newOperator(t, db, "rev.one")
	rctx := actingAs(t, reviewer, "s-rev")
	imk := storage.NewIMKService(db, storage.NewMirrorRegisters(db, storage.Outage{}, nil))
	list, err := imk.ListIMK(rctx, domain.IMKFilter{})
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].State != domain.IMKNeedsReview ||
		!slices.Equal(list[0].Evaluation.ReviewWhy, []string{domain.ReviewPersonAsked}) || !list[0].DecidedAt.IsZero() {
		t.Fatalf("review queue %+v, %v; want the application, asked for review", list, err)
	}
	var decided, reason, message string
	var client int64
	if err := db.Pool().QueryRow(t.Context(), `SELECT decided_state, decided_reason, message, api_client_id FROM imk_review_requests WHERE application_id = $1`,
		id).Scan(&decided, &reason, &message, &client); err != nil {
		t.Fatalf("the contested decision is not kept: %v", err)
	}
	if decided != "rejected" || reason != "imk.rule.residence" || message != "Dzīvoju Rīgā." || client != e.client.ID {
		t.Fatalf("kept %s %q %q client %d", decided, reason, message, client)
	}
	// The reviewer sees what the person contests, and their words.
	found, err := imk.FindIMK(rctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c := found.Contest; c == nil || c.DecidedState != domain.IMKRejected || c.Reason != "imk.rule.residence" ||
		c.Message != "Dzīvoju Rīgā." || c.Channel != "portal" || c.DecidedAt.IsZero() || c.RequestedAt.IsZero() {
		t.Fatalf("the application's contest: %+v", found.Contest)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND actor_name = 'api:portal'`,
		domain.AuditIMKReviewRequest, strconv.FormatInt(id, 10)); n != 1 {
		t.Fatalf("%d review-request audit entries, want 1", n)
	}
	if err := e.portal.RequestIMKReview(ctx, req); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("asking again while in review: %v, want ECONFLICT", err)
	}

	// A reviewer decides: that decision is a person's, not contestable here.
	a, err := imk.ClaimIMK(rctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := imk.DecideIMK(rctx, id, a.Version, true, "Deklarācija iesniegta vakar"); err != nil {
		t.Fatal(err)
	}
	if err := e.portal.RequestIMKReview(ctx, req); domain.AsError(err) == nil || domain.AsError(err).Key != "imk.review_not_automatic" {
		t.Fatalf("asking about a reviewer's decision: %v, want imk.review_not_automatic", err)
	}
}

// GDPR Art. 22, issue 16 (one person, both code forms): a person who asks
// for a review under the other form of their personal code — the one the
// Population Register links to the application's — is the application's
// person, not a stranger.
func TestPortalAPI_RequestIMKReview_EitherCodeForm_GDPRArt22(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	db := e.db
	code, old := newCode(9), personalCodeFor(9)
	seedOne(t, db, code)
	if _, err := db.Pool().Exec(t.Context(), `UPDATE population_register SET resident = false WHERE personal_code = $1`, code); err != nil {
		t.Fatal(err)
	}
	checkAll(t, db)
	var id int64
	if err := db.Pool().QueryRow(t.Context(), `SELECT id FROM imk_applications WHERE personal_code = $1 AND state = 'rejected'`, code).Scan(&id); err != nil {
		t.Fatalf("not rejected automatically: %v", err)
	}
	ctx := asClient(t, e.client)
	req := domain.IMKReviewRequest{ApplicationID: id, PersonalCode: old}
	if err := e.portal.RequestIMKReview(ctx, req); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("a code the register has not linked: %v, want ENOTFOUND", err)
	}
	importPopulation(t, db, old+",Anna,Bērziņa,1980-01-09,false,Rīga,,"+code)
	if err := e.portal.RequestIMKReview(ctx, req); err != nil {
		t.Fatalf("the linked old-form code: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM imk_review_requests WHERE application_id = $1`, id); n != 1 {
		t.Fatalf("%d review requests, want 1", n)
	}
}
