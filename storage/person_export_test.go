package storage_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// hostile is a stored value meant to take over the reader's terminal.
const hostile = "Ļauns\x1b]0;pwned\x07\x1b[2J\u202e\u009b31m teksts"

// TestPersonExport_EverySection_OnlyTheirs_Audited_SecurityOnly proves a
// person's data on request (issue 18, GDPR Art. 15) on PostgreSQL: with
// an entry in every section, the export holds each of them (identity with
// the whole code, contact history, requests with their documents, roles,
// IMK with its rules and the register data used, acceptances, denials,
// tickets with their messages, e-mails, sign-ins, and staff who opened and
// revealed the record); the stranger of the fixture never appears; the
// export is audited as person.export with its reason; only security may
// export (a helpdesk operator and an admin are refused), and a reason is
// required.
func TestPersonExport_EverySection_OnlyTheirs_Audited_SecurityOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	f := seedPerson(t, db)
	ctx := t.Context()
	pool := db.Pool()
	must := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	officer := newOperator(t, db, "sandra.security", withRoles(domain.RoleSecurity))
	helpdesk := newOperator(t, db, "ilze.helpdesk", withRoles(domain.RoleHelpdesk))
	admin := newOperator(t, db, "aivars.admin", withRoles(domain.RoleAdmin))
	sec := asSession(t, officer, "s-export")

	var req int64
	if err := pool.QueryRow(ctx, `
		INSERT INTO role_requests (kind, state, first_name, last_name, personal_code, email, email_confirmed_at, created_at, updated_at)
		VALUES ('career_consultant', 'pending', 'Jānis', 'Bērziņš', $1, 'janis.berzins@example.lv', now(), now(), now())
		RETURNING id`, f.oldCode).Scan(&req); err != nil {
		t.Fatal(err)
	}
	must(`INSERT INTO role_request_documents (request_id, position, name, media_type, size, sha256)
	      VALUES ($1, 1, $2, 'application/pdf', 1234, repeat('ab', 32))`, req, "diploms-"+hostile+".pdf")
	must(`INSERT INTO role_assignments (user_id, role, valid_from, valid_until)
	      VALUES ($1, 'career_consultant', now() - interval '3 days', now() + interval '1 year')`, f.user)
	must(`INSERT INTO denials (subject_kind, subject_id, ground, note, state, raised_at, in_force_at)
	      VALUES ('platform_user', $1, '32.4', $2, 'in_force', now(), now())`, f.user, hostile)
	must(`INSERT INTO terms_versions (number, title, text, summary, state, drafted_by, approved_by, published_at)
	      SELECT '1.0', 'Lietošanas noteikumi', '1. Punkts.', 'Pirmā redakcija.', 'published', min(id), max(id), now() FROM operators`)
	must(`INSERT INTO terms_acceptances (user_id, version_id, accepted_at) SELECT $1, min(id), now() FROM terms_versions`, f.user)
	var snap, ticket, imk int64
	if err := pool.QueryRow(ctx, `
		INSERT INTO register_snapshots (register, personal_code, fetched_at, answered, found, payload)
		VALUES ('population', $1, now(), true, true, $2) RETURNING id`, f.oldCode,
		`{"Person":{"FirstName":"Jānis","LastName":"Bērziņš","BirthDate":"1977-07-07T00:00:00Z","Resident":true,"Municipality":"Ādažu novads"}}`,
	).Scan(&snap); err != nil {
		t.Fatal(err)
	}
	ev, _ := json.Marshal(domain.Evaluation{Outcome: domain.OutcomeNeedsReview, Rules: []domain.RuleResult{{
		Rule: "residence", Verdict: domain.Verdict("pass"), Evidence: domain.Evidence{Key: "imk.ev.resident", Args: []domain.EvidenceArg{domain.TextArg("Ādažu novads")}},
		Source: domain.Register("population"), SnapshotID: snap}}})
	if err := pool.QueryRow(ctx, `UPDATE imk_applications SET evaluation = $2 WHERE person_id = $1 RETURNING id`, f.person, ev).Scan(&imk); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT id FROM tickets WHERE from_addr = 'janis.berzins@example.lv'`).Scan(&ticket); err != nil {
		t.Fatal(err)
	}
	must(`INSERT INTO inbound_messages (message_id, from_addr, subject, body, raw, received_at, ticket_id)
	      VALUES ('in-1@test', 'janis.berzins@example.lv', 'Palīdzība', $2, '\x00', now(), $1)`, ticket, "Labdien,\n"+hostile)
	must(`INSERT INTO ticket_replies (ticket_id, template, lang, body, actor_name, created_at)
	      VALUES ($1, 'answer', 'lv', 'Atbildam uz jautājumu', 'Ilze', now())`, ticket)
	// The stranger's own entries, which must not leak in.
	must(`INSERT INTO tickets (subject, from_addr, category, suggested, created_at, updated_at)
	      VALUES ('Svešs pieteikums', 'cits@example.lv', 'question', 'question', now(), now())`)

	// Staff who opened and revealed the record.
	people := storage.NewPersonDirectory(db)
	hctx := asSession(t, helpdesk, "s-help")
	if _, err := people.OpenPerson(hctx, f.person); err != nil {
		t.Fatal(err)
	}
	if _, err := people.RevealPersonCode(hctx, f.person, "zvans no personas"); err != nil {
		t.Fatal(err)
	}

	svc := storage.NewPersonExporter(db)
	// Role checks and the reason.
	for name, ctx := range map[string]context.Context{"helpdesk": hctx, "admin": asSession(t, admin, "s-admin")} {
		if _, err := svc.ExportPerson(ctx, domain.PersonRef{ID: f.person}, "pieprasījums"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("export by %s = %v, want EFORBIDDEN", name, err)
		}
	}
	if _, err := svc.ExportPerson(sec, domain.PersonRef{ID: f.person}, "  "); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("export without a reason = %v, want EINVALID", err)
	}
	if _, err := svc.ExportPerson(sec, domain.PersonRef{Code: f.oldCode[:6]}, "x"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("export by a part of a code = %v, want EINVALID", err)
	}

	x, err := svc.ExportPerson(sec, domain.PersonRef{Code: f.newCode}, "VDAR 15. panta pieprasījums Nr. 7")
	if err != nil {
		t.Fatal(err)
	}
	if x.Identity.PersonalCode != f.oldCode || len(x.Identity.OtherCodes) != 1 || x.Identity.OtherCodes[0] != f.newCode {
		t.Errorf("identity codes = %q %q", x.Identity.PersonalCode, x.Identity.OtherCodes)
	}
	if x.Account == nil || x.Account.UserID != f.user {
		t.Errorf("account = %+v", x.Account)
	}
	counts := map[string]int{"contact": len(x.ContactHistory), "requests": len(x.Requests), "roles": len(x.Roles),
		"imk": len(x.IMK), "terms": len(x.Acceptances), "denials": len(x.Denials), "tickets": len(x.Tickets),
		"mail": len(x.Mail), "signins": len(x.SignIns)}
	want := map[string]int{"contact": 1, "requests": 1, "roles": 1, "imk": 1, "terms": 1, "denials": 1, "tickets": 1,
		"mail": f.outboxes, "signins": f.signIns}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("section %s holds %d entries, want %d", k, counts[k], n)
		}
	}
	if len(x.Requests) == 1 && (len(x.Requests[0].Documents) != 1 || x.Requests[0].Documents[0].Size != 1234) {
		t.Errorf("request's documents = %+v", x.Requests[0].Documents)
	}
	if len(x.IMK) == 1 {
		a := x.IMK[0]
		if len(a.Rules) != 1 || a.Rules[0].Evidence.Key != "imk.ev.resident" || len(a.RegisterData) != 1 || a.RegisterData[0].ID != snap {
			t.Errorf("IMK rules %+v, register data %+v", a.Rules, a.RegisterData)
		} else if !strings.Contains(strconv.Quote(jsonOf(t, a.RegisterData)), "Ādažu novads") {
			t.Errorf("register data misses the municipality: %s", jsonOf(t, a.RegisterData))
		}
	}
	if len(x.Tickets) == 1 && (len(x.Tickets[0].Messages) != 2 || !x.Tickets[0].Messages[0].In || x.Tickets[0].Messages[1].In) {
		t.Errorf("ticket's messages = %+v", x.Tickets[0].Messages)
	}
	kinds := map[string]bool{}
	for _, a := range x.StaffAccess {
		if a.Operator == "" || a.At.IsZero() {
			t.Errorf("staff access without who or when: %+v", a)
		}
		kinds[a.Kind] = true
		if a.Kind == domain.AccessReveal && a.Reason != "zvans no personas" {
			t.Errorf("reveal's reason = %q", a.Reason)
		}
	}
	if !kinds[domain.AccessView] || !kinds[domain.AccessReveal] {
		t.Errorf("staff access = %+v, want a view and a reveal", x.StaffAccess)
	}
	all := jsonOf(t, x)
	for _, stranger := range []string{"Kalniņš", "cits@example.lv", "Svešs pieteikums"} {
		if strings.Contains(all, stranger) {
			t.Errorf("the export holds the stranger's %q", stranger)
		}
	}

	var found bool
	for _, r := range auditRows(t, db) {
		if r.Action == domain.AuditPersonExport {
			found = r.SubjectKind == "person" && r.SubjectID == strconv.FormatInt(f.person, 10) &&
				r.Reason == "VDAR 15. panta pieprasījums Nr. 7" && r.ActorID == officer.ID
		}
	}
	if !found {
		t.Error("no person.export audit entry with the reason, the person and the officer")
	}
	// A second export lists the first among the staff access.
	x2, err := svc.ExportPerson(sec, domain.PersonRef{ID: f.person}, "otrs")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(jsonOf(t, x2.StaffAccess), `"kind": "export"`) && !strings.Contains(jsonOf(t, x2.StaffAccess), `"kind":"export"`) {
		t.Errorf("the second export does not list the first: %s", jsonOf(t, x2.StaffAccess))
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPersonExport_EveryIMKDecision_WithItsEvidence_RecordNotWritableByApp
// proves that a person's data on request holds each eligibility decision
// of their IMK application, not only the latest (issue 18, GDPR Art. 15:
// "IMK with each eligibility decision, its evidence and the register data
// used"; ¶26.4): the automatic check rejects on the Population Register's
// answer, the person asks for a review (Art. 22; only the reasons for
// review change, which is no new decision), a reviewer re-fetches and
// approves. The export lists the rejection, the re-evaluation and the
// approval, oldest first, each with its rules and the snapshot it rested
// on, and who decided. The application's role can add, change or remove
// no decision record (only the trigger on imk_applications writes them).
// It failed before migration 0335: the export had no decisions, only the
// approval's rules.
func TestPersonExport_EveryIMKDecision_WithItsEvidence_RecordNotWritableByApp(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	f := seedPerson(t, db)
	ctx := t.Context()
	pool := db.Pool()
	officer := newOperator(t, db, "sandra.security", withRoles(domain.RoleSecurity))
	reviewer := newOperator(t, db, "maris.reviewer", withRoles(domain.RoleReviewer))
	snapshot := func(municipality string, resident bool) int64 {
		t.Helper()
		var id int64
		p, _ := json.Marshal(map[string]any{"Person": map[string]any{"FirstName": "Jānis", "LastName": "Bērziņš",
			"Resident": resident, "Municipality": municipality}})
		if err := pool.QueryRow(ctx, `
			INSERT INTO register_snapshots (register, personal_code, fetched_at, answered, found, payload)
			VALUES ('population', $1, now() - interval '3 days', true, true, $2) RETURNING id`, f.oldCode, p).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	eval := func(verdict string, snap int64, why ...string) []byte {
		b, _ := json.Marshal(domain.Evaluation{PolicyID: 1, Outcome: domain.OutcomeNotEligible, ReviewWhy: why,
			Rules: []domain.RuleResult{{Rule: "residence", Verdict: domain.Verdict(verdict),
				Evidence: domain.Evidence{Key: "imk.ev.resident"}, Source: domain.Register("population"), SnapshotID: snap}}})
		return b
	}
	first, second := snapshot("", false), snapshot("Ādažu novads", true)
	var app int64
	step := func(sql string, args ...any) {
		t.Helper()
		if err := pool.QueryRow(ctx, sql+` RETURNING id`, args...).Scan(&app); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// The check rejects; the person asks for a review; a reviewer
	// re-fetches; the reviewer approves.
	step(`UPDATE imk_applications SET state = 'rejected', evaluation = $2, policy_id = 1, decided_at = now() - interval '2 days',
	             reason = 'imk.rule.residence', updated_at = now() - interval '2 days' WHERE person_id = $1`, f.person, eval("fail", first))
	step(`UPDATE imk_applications SET state = 'needs_review', decided_at = NULL, reason = '',
	             evaluation = jsonb_set(evaluation, '{ReviewWhy}', '["person_asked"]'), updated_at = now() - interval '1 day'
	       WHERE person_id = $1`, f.person)
	step(`UPDATE imk_applications SET evaluation = $2, updated_at = now() - interval '1 hour' WHERE person_id = $1`,
		f.person, eval("pass", second, "person_asked"))
	step(`UPDATE imk_applications SET state = 'approved', decided_at = now(), decided_by = $2, reason = 'dzīvo Ādažos'
	       WHERE person_id = $1`, f.person, reviewer.ID)

	x, err := storage.NewPersonExporter(db).ExportPerson(asSession(t, officer, "s-export"), domain.PersonRef{ID: f.person}, "VDAR 15")
	if err != nil {
		t.Fatal(err)
	}
	if len(x.IMK) != 1 {
		t.Fatalf("IMK applications = %d", len(x.IMK))
	}
	ds := x.IMK[0].Decisions
	type want struct {
		state, by, reason, verdict string
		snap                       int64
	}
	wants := []want{{"rejected", "", "imk.rule.residence", "fail", first}, {"needs_review", "", "", "pass", second},
		{"approved", "the reviewer", "dzīvo Ādažos", "pass", second}}
	if len(ds) != len(wants) {
		t.Fatalf("decisions = %s, want %d", jsonOf(t, ds), len(wants))
	}
	for i, w := range wants {
		d := ds[i]
		if d.State != w.state || (w.by == "") != (d.DecidedBy == "") || d.Reason != w.reason ||
			d.PolicyVersion != 1 || len(d.Rules) != 1 || d.Rules[0].Verdict != w.verdict ||
			len(d.RegisterData) != 1 || d.RegisterData[0].ID != w.snap {
			t.Errorf("decision %d = %s, want %+v", i, jsonOf(t, d), w)
		}
		if i > 0 && d.At.Before(ds[i-1].At) {
			t.Errorf("decision %d at %v comes before %v", i, d.At, ds[i-1].At)
		}
	}
	if !strings.Contains(jsonOf(t, ds[0].RegisterData), `"resident","value":"false"`) {
		t.Errorf("the rejection's register data = %s", jsonOf(t, ds[0].RegisterData))
	}

	for _, attack := range []string{
		`INSERT INTO imk_decisions (application_id, at, state) VALUES (` + strconv.FormatInt(app, 10) + `, now(), 'approved')`,
		`UPDATE imk_decisions SET state = 'approved'`,
		`DELETE FROM imk_decisions`,
	} {
		_, err := pool.Exec(ctx, attack)
		wantSQLState(t, err, "42501")
	}
}
