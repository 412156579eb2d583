package demodata_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
	"github.com/viaa/ppp/storage/pgtest"
)

// withDemo returns a database holding the demo's operators and its data
// (role requests at scale, terms, IMK applications), loaded at now,
// before the work.
func withDemo(t *testing.T, scale int, now time.Time) *storage.DB {
	t.Helper()
	db := pgtest.NewDB(t)
	ctx := domain.WithActor(t.Context(), domain.Actor{Name: "cli:test"})
	ops := storage.NewOperatorService(db)
	for _, op := range demodata.Staff() {
		if err := ops.CreateOperator(ctx, &op, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := demodata.Load(ctx, db, demodata.Options{Scale: scale, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := demodata.LoadTerms(ctx, db, demodata.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := demodata.LoadIMK(ctx, db, demodata.Options{Scale: 500, Now: now}); err != nil {
		t.Fatal(err)
	}
	return db
}

// as returns ctx acting as the demo operator named.
func as(t *testing.T, db *storage.DB, name string) context.Context {
	t.Helper()
	op, err := storage.NewOperatorService(db).FindOperatorByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(t.Context(), domain.Actor{OperatorID: op.ID, Name: op.Name, SessionID: "test-" + name, RemoteAddr: "127.0.0.1"})
}

// workCounts counts the rows of every table the work writes.
func workCounts(t *testing.T, db *storage.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"tickets", "inbound_messages", "ticket_replies", "denials", "pending_resets",
		"email_change_requests", "alerts", "sweep_runs", "eligibility_policies", "sign_in_attempts", "outbox", "audit_log",
		"sanction_cases", "sanction_steps"} {
		out[table] = count(t, db, `SELECT count(*) FROM `+table)
	}
	out["terms submitted"] = count(t, db, `SELECT count(*) FROM terms_versions WHERE state = 'submitted'`)
	out["imk in review"] = count(t, db, `SELECT count(*) FROM imk_applications WHERE state = 'needs_review'`)
	// The people screen's long histories (issue 17, demodata/people.go).
	out["long histories"] = count(t, db, `SELECT count(*) FROM (SELECT user_id FROM platform_sign_ins GROUP BY user_id HAVING count(*) >= 150) h`)
	return out
}

// TestLoadWork_MailInBothCharsets_ThroughTheIngest_ThreadedAndCategorised
// proves the helpdesk's mail went through the real ingest: every message
// parsed, Latvian text decoded from UTF-8, windows-1257 and ISO-8859-13 in
// quoted-printable, base64 and 8 bits and from HTML; a reply threaded
// into its ticket beside the helpdesk's answer; accounts matched by
// their confirmed address (a Platform user and an operator); and every
// category and state a ticket can have.
func TestLoadWork_MailInBothCharsets_ThroughTheIngest_ThreadedAndCategorised(t *testing.T) {
	t.Parallel()
	db := withDemo(t, 1500, time.Now())
	res, err := demodata.LoadWork(t.Context(), db, demodata.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tickets < 9 || res.Messages != res.Tickets+1 {
		t.Fatalf("result = %+v", res)
	}

	var raws [][]byte
	rows, err := db.Pool().Query(t.Context(), `SELECT raw FROM inbound_messages WHERE parse_error = ''`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		raws = append(raws, raw)
	}
	if len(raws) != res.Messages {
		t.Fatalf("%d of %d messages parsed", len(raws), res.Messages)
	}
	for _, want := range []string{"charset=utf-8", "charset=windows-1257", "charset=iso-8859-13",
		"Content-Transfer-Encoding: quoted-printable", "Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: 8bit",
		"Content-Type: text/html", "Content-Type: application/pdf", "In-Reply-To: <", "=?windows-1257?", "=?iso-8859-13?"} {
		found := slices.ContainsFunc(raws, func(r []byte) bool { return strings.Contains(string(r), want) })
		if !found {
			t.Errorf("no message has %q", want)
		}
	}

	hd := storage.NewHelpdeskService(db)
	ctx := as(t, db, demodata.OperatorDemo)
	all, err := hd.ListTickets(ctx, domain.TicketFilter{States: []domain.TicketState{domain.TicketNew, domain.TicketInProgress,
		domain.TicketWaiting, domain.TicketResolved}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != res.Tickets {
		t.Fatalf("%d tickets listed, %d loaded", len(all), res.Tickets)
	}
	categories, states := map[domain.TicketCategory]bool{}, map[domain.TicketState]bool{}
	byOperator, threaded := false, false
	texts := ""
	for _, tk := range all {
		categories[tk.Category], states[tk.State] = true, true
		full, err := hd.FindTicket(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		inbound, replies := 0, 0
		for _, m := range full.Messages {
			if m.Raw {
				t.Errorf("ticket %q: a message shown raw", tk.Subject)
			}
			if m.Inbound {
				inbound++
				texts += tk.Subject + "\n" + m.Text + "\n"
			} else {
				replies++
			}
		}
		if inbound == 2 && replies >= 1 && full.Messages[len(full.Messages)-1].Inbound {
			threaded = true
		}
		if tk.Account != nil && tk.Account.Kind == "operator" {
			byOperator = true
		}
	}
	for _, c := range []domain.TicketCategory{domain.CategoryPasswordReset, domain.CategorySuspension,
		domain.CategoryIncident, domain.CategoryQuestion} {
		if !categories[c] {
			t.Errorf("no ticket of category %s", c)
		}
	}
	for _, s := range []domain.TicketState{domain.TicketNew, domain.TicketInProgress, domain.TicketWaiting, domain.TicketResolved} {
		if !states[s] {
			t.Errorf("no ticket in state %s", s)
		}
	}
	if !threaded {
		t.Error("no ticket holds a user's answer to the helpdesk's reply")
	}
	if !byOperator {
		t.Error("no ticket is matched to an operator")
	}
	// Words of each charset's message, decoded, and the HTML's as text.
	for _, want := range []string{"nevaru pieslēgties", "administratora tiesības", "apturēt manu kontu",
		"Lūdzu atiestatīt paroli", "pikšķerēšana", "ievadīt savu e-pasta adresi", "„Grāmatvedība iesācējiem”",
		"How do I apply"} {
		if !strings.Contains(texts, want) {
			t.Errorf("no message reads %q", want)
		}
	}
	if strings.Contains(texts, "<p>") || strings.Contains(texts, "&bdquo;") {
		t.Error("the HTML message is shown as HTML")
	}
}

// TestLoadWork_WhatWaitsForASecondPerson_DemoCanApprove proves that every
// four-eyes action of the demo was started by someone other than "demo",
// so that the newcomer signed in as demo can be the second person: the
// held resets, the denial of an operator and the helpdesk's suspension
// request, the lift, the e-mail change, the IMK policy draft and the
// terms version. Each is approved as demo through the services.
func TestLoadWork_WhatWaitsForASecondPerson_DemoCanApprove(t *testing.T) {
	t.Parallel()
	db := withDemo(t, 1500, time.Now())
	if _, err := demodata.LoadWork(t.Context(), db, demodata.Options{}); err != nil {
		t.Fatal(err)
	}
	ctx := as(t, db, demodata.OperatorDemo)

	def := storage.NewDefenceService(db)
	resets, err := def.PendingResets(ctx)
	if err != nil || len(resets) < 2 {
		t.Fatalf("pending resets: %d, %v", len(resets), err)
	}
	kinds := map[string]bool{}
	for _, r := range resets {
		kinds[r.AccountKind] = true
		if err := def.ApproveReset(ctx, r.ID); err != nil {
			t.Errorf("demo approving the reset of %s: %v", r.AccountName, err)
		}
	}
	if !kinds["platform_user"] || !kinds["operator"] {
		t.Errorf("resets held for %v; want a Platform user's and an operator's", kinds)
	}
	// Issue 17: one of them started from an institution administrator's
	// account, with no ticket behind it.
	if !slices.ContainsFunc(resets, func(r *domain.PendingReset) bool { return r.TicketID == 0 }) {
		t.Error("no reset started from an account waits")
	}
	// Issue 17: a person merge conflict waits for security.
	pm := storage.NewPersonMergeService(db)
	conflicts, err := pm.OpenMergeConflicts(ctx)
	if err != nil || len(conflicts) != 1 || conflicts[0].From.UserID == 0 || conflicts[0].Into.UserID == 0 {
		t.Fatalf("merge conflicts: %+v, %v; want one of two accounts", conflicts, err)
	}
	if err := pm.ResolveMergeConflict(ctx, domain.MergeResolution{ConflictID: conflicts[0].ID, Outcome: domain.MergeResolved,
		KeepUserID: conflicts[0].Into.UserID, Reason: "demo"}); err != nil {
		t.Errorf("demo merging the conflict: %v", err)
	}
	changes, err := def.PendingEmailChanges(ctx)
	if err != nil || len(changes) == 0 {
		t.Fatalf("pending e-mail changes: %d, %v", len(changes), err)
	}
	for _, c := range changes {
		if err := def.ApproveEmailChange(ctx, c.ID); err != nil {
			t.Errorf("demo approving the e-mail change of %s: %v", c.AccountName, err)
		}
	}

	den := storage.NewDenialService(db)
	pending, err := den.PendingApprovals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waiting := map[domain.DenialState]int{}
	for _, d := range pending {
		waiting[d.State]++
		if err := den.Approve(ctx, d.ID, d.Version); err != nil {
			t.Errorf("demo approving denial %d (%s, %s): %v", d.ID, d.State, d.Ground, err)
		}
	}
	if waiting[domain.DenialPendingApproval] < 2 || waiting[domain.DenialLiftPending] < 1 {
		t.Errorf("waiting for a second officer: %v; want two denials and a lift", waiting)
	}

	// Issue 17: a bulk job done, one waiting for a second officer (demo
	// approves it), one running with some items done.
	bulk := storage.NewBulkService(db, den, storage.NewRoleRequestService(db), nil)
	jobs, err := bulk.ListBulk(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[domain.BulkState]int{}
	for _, j := range jobs {
		shapes[j.State]++
		switch {
		case j.State == domain.BulkPendingApproval:
			if err := bulk.StepBulk(ctx, j.ID, j.Version, domain.BulkApprove, ""); err != nil {
				t.Errorf("demo approving bulk job %d: %v", j.ID, err)
			}
		case j.State == domain.BulkRunning && (j.Done == 0 || j.Pending() == 0):
			t.Errorf("the running bulk job has %d of %d done, want some", j.Done, j.Total)
		case j.State == domain.BulkDone && j.Done != j.Total:
			t.Errorf("the finished bulk job did %d of %d", j.Done, j.Total)
		}
	}
	if shapes[domain.BulkDone] != 1 || shapes[domain.BulkPendingApproval] != 1 || shapes[domain.BulkRunning] != 1 {
		t.Errorf("bulk jobs by state: %v; want one done, one awaiting approval, one running", shapes)
	}

	pol := storage.NewPolicyService(db)
	policies, err := pol.ListPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	drafts := 0
	for _, p := range policies {
		if p.State == domain.PolicyDraft {
			drafts++
			// Issue 16's shapes: priority for both, residence left to a person.
			if p.Combine() != domain.PriorityAllOf || p.AutoRejects(domain.RuleResidence) || !p.AutoRejects(domain.RuleAge) {
				t.Errorf("the demo draft: combine %q, auto-reject %v", p.PriorityCombine, p.AutoReject)
			}
			if _, err := pol.ApprovePolicy(ctx, p.ID, time.Time{}); err != nil {
				t.Errorf("demo approving policy draft %d: %v", p.Version, err)
			}
		}
	}
	if len(policies) < 3 || drafts != 1 {
		t.Errorf("%d policy versions, %d drafts; want the first, one approved since and a draft", len(policies), drafts)
	}

	// GDPR Art. 22: a person asked that a person review an automatic
	// rejection; it waits in the review queue as asked.
	if n := count(t, db, `SELECT count(*) FROM imk_review_requests r JOIN imk_applications a ON a.id = r.application_id
		WHERE a.state = 'needs_review' AND a.review_why = '{person_asked}'`); n != 1 {
		t.Errorf("%d applications asked for review, want 1", n)
	}

	terms := storage.NewTermsService(db)
	versions, err := terms.ListTermsVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	submitted := 0
	for _, v := range versions {
		if v.State == domain.TermsSubmitted {
			submitted++
			if err := terms.ApproveAndPublish(ctx, v.ID); err != nil {
				t.Errorf("demo publishing terms %s: %v", v.Number, err)
			}
		}
	}
	if submitted != 1 {
		t.Errorf("%d terms versions wait for a second editor, want 1", submitted)
	}

	// Sanction cases (¶32.5, ¶32.7): one in each step; the suspension
	// waiting for a second officer is demo's to approve.
	sanctions := storage.NewSanctionService(db)
	cases, err := sanctions.ListCases(ctx, domain.SanctionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string]int{}
	for _, c := range cases {
		full, err := sanctions.FindCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := full.Steps[len(full.Steps)-1]; p.State == domain.SanctionStepPending {
			steps["pending "+string(p.Kind)]++
			if err := sanctions.ApproveStep(ctx, p.ID, p.Version); err != nil {
				t.Errorf("demo approving the %s of case %d: %v", p.Kind, c.ID, err)
			}
		} else {
			steps[string(full.Current)]++
		}
	}
	if want := map[string]int{"warning": 1, "suspension": 1, "denial": 1, "pending suspension": 1}; !maps.Equal(steps, want) {
		t.Errorf("sanction cases by step: %v, want %v", steps, want)
	}
}

// TestLoadWork_Twice_SecondChangesNothing proves the work is loaded once:
// a second run writes nothing, and a part already present (here tickets
// from real mail) is left alone while the other parts are loaded.
func TestLoadWork_Twice_SecondChangesNothing(t *testing.T) {
	t.Parallel()
	db := withDemo(t, 600, time.Now())
	ctx := t.Context()
	// A real ticket first: the helpdesk part is then not loaded.
	hd := storage.NewHelpdeskService(db)
	if _, err := hd.Ingest(ctx, []byte("From: a@example.lv\r\nTo: stars@viaa.gov.lv\r\nSubject: Jautājums\r\n"+
		"Message-ID: <real-1@example.lv>\r\n\r\nLabdien!\r\n")); err != nil {
		t.Fatal(err)
	}
	first, err := demodata.LoadWork(ctx, db, demodata.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Tickets != 0 || first.Denials == 0 || first.SweepRuns == 0 || first.Alerts == 0 {
		t.Fatalf("first load = %+v; want everything but the helpdesk's mail", first)
	}
	before := workCounts(t, db)
	if before["tickets"] != 1 {
		t.Errorf("%d tickets; the demo's mail went into a helpdesk that had some", before["tickets"])
	}
	if before["long histories"] != 3 {
		t.Errorf("%d people with long histories, want 3", before["long histories"])
	}
	again, err := demodata.LoadWork(ctx, db, demodata.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Loaded() {
		t.Errorf("second load = %+v", again)
	}
	after := workCounts(t, db)
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d rows, then %d", k, n, after[k])
		}
	}
}

// TestLoadWork_DenialEffects_P24_P32 proves the demo builds the shapes of
// a denial's effects: an IMK suspended by a denial in force (¶24), the
// mails of a denial taking force and being lifted, an institution lifted
// with a new password required of its users (¶32.3, ¶32.6), and the
// notice that a role ended (¶32.1).
func TestLoadWork_DenialEffects_P24_P32(t *testing.T) {
	t.Parallel()
	db := withDemo(t, 1500, time.Now())
	if _, err := demodata.LoadWork(t.Context(), db, demodata.Options{}); err != nil {
		t.Fatal(err)
	}
	for what, sql := range map[string]string{
		"IMK suspended by a denial":   `SELECT count(*) FROM denial_effects e JOIN imk_applications a ON a.id = e.target_id WHERE e.effect = 'imk' AND a.state = 'suspended'`,
		"denial mails":                `SELECT count(*) FROM outbox WHERE template = 'access.denied'`,
		"lift mails":                  `SELECT count(*) FROM outbox WHERE template = 'access.restored'`,
		"lift with new passwords":     `SELECT count(*) FROM denials WHERE state = 'lifted' AND lift_password_change`,
		"role ended notices (¶32.1)":  `SELECT count(*) FROM role_expiry_warnings WHERE days = 0`,
		"lift with new password mail": `SELECT count(*) FROM outbox WHERE template = 'access.restored_new_password'`,
	} {
		if n := count(t, db, sql); n == 0 {
			t.Errorf("the demo has no %s", what)
		}
	}
}
