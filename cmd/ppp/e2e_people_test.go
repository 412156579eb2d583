package main_test

// The end-to-end test of the people screen (issue 17): a security
// officer finds a person by code, denies access from the person's page,
// and lifts it there; a second officer approves the lift on the denials
// screen. And the person's data on request (issue 18), exported on the
// command line as a security officer does.

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
)

// TestE2E_People_FindByCode_DenyFromThePage_IMKSuspended_MailQueued: Laura
// (security) opens the people screen from the jump list, searches the
// whole personal code of Jānis (typed without the hyphen), sees it masked,
// opens his page and denies his account on ¶32.3 from it — the subject
// is the page's account, no number typed. A Platform user's denial is in
// force at once (domain.NewDenial; only an operator's waits): his
// approved IMK is suspended and the ¶32 notice to his address is in the
// outbox. Laura then asks to lift it from the page; ¶32.3 needs a second
// officer, and Māris approves on the denials screen: the IMK is restored.
func TestE2E_People_FindByCode_DenyFromThePage_IMKSuspended_MailQueued(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	laura := in.addOperator("laura.sec", "Laura Bērziņa", "security")
	maris := in.addOperator("maris.sec", "Māris Kalniņš", "security")
	srv := in.startServer()
	conn := sqlConn(t, in)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()

	const code = "050375-12425"
	var user int64
	if err := conn.QueryRow(ctx, `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, 'janis.berzins@example.lv', 'Jānis', 'Bērziņš', true) RETURNING id`, code).Scan(&user); err != nil {
		t.Fatal(err)
	}
	var imk int64
	if err := conn.QueryRow(ctx, `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, applied_at, updated_at, decided_at, policy_id)
		VALUES ($1, 'Jānis', 'Bērziņš', 'janis.berzins@example.lv', 'approved', now() - interval '30 days', now(), now() - interval '20 days',
		        (SELECT min(id) FROM eligibility_policies)) RETURNING id`, code).Scan(&imk); err != nil {
		t.Fatal(err)
	}

	l := signIn(t, srv.mustDial(t, laura.name, ssh.PublicKeys(laura.signer)), laura)
	mark := l.mark()
	l.press(":")
	l.waitText(text(t, lv, "tui.jump.title"), mark)
	l.press("person")
	l.waitText("› person", mark)
	mark = l.mark()
	l.press(keyEnter)
	l.waitText(text(t, lv, "tui.ppl.title"), mark)
	mark = l.mark()
	l.press("/")
	l.waitText(text(t, lv, "tui.ppl.search_title"), mark)
	// The operator's own typing shows in the field; what counts is what
	// the screen draws once the search is sent.
	l.press(strings.ReplaceAll(code, "-", ""))
	l.waitText(strings.ReplaceAll(code, "-", ""), mark)
	mark = l.mark()
	l.press(keyEnter)
	// The row, not only the title (which names the masked code as soon
	// as the search is sent): an enter before the rows come is no open.
	l.waitText("janis.berzins@example.lv", mark)
	l.waitText("050375-*****", mark)
	if s := l.screen.textSince(mark); strings.Contains(s, "12425 ") || strings.Contains(s, code) {
		t.Errorf("the whole code is on the screen after the search:\n%s", l.screen.dump(mark))
	}
	mark = l.mark()
	l.press(keyEnter)
	l.waitText(text(t, lv, "tui.ppl.f.account"), mark)
	l.press("n")
	l.waitText(text(t, lv, "tui.ppl.deny_intro", "Jānis Bērziņš", strconv.FormatInt(user, 10)), mark)
	l.press(keyRight + keyRight) // ¶32.1 → ¶32.3
	l.waitText(text(t, lv, "tui.den.ground."+string(domain.GroundCompromised)), mark)
	mark = l.mark()
	l.press(keyTab + "Konta dati nopludināti" + keyCtrlS)

	var denial int64
	deadline := time.Now().Add(waitTimeout)
	for denial == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no denial of user %d was raised\n%s", user, l.screen.dump(mark))
		}
		_ = conn.QueryRow(ctx, `SELECT id FROM denials WHERE subject_kind = 'platform_user' AND subject_id = $1`, user).Scan(&denial)
		time.Sleep(20 * time.Millisecond)
	}
	l.waitText(text(t, lv, "tui.den.done.denied", denial), mark)
	var state, imkState string
	scalar(t, conn, `SELECT d.state, a.state FROM denials d, imk_applications a WHERE d.id = $1 AND a.id = $2`, []any{denial, imk}, &state, &imkState)
	if state != string(domain.DenialInForce) || imkState != string(domain.IMKSuspended) {
		t.Fatalf("denial %s, IMK %s; want in force and suspended (¶32, ¶24)", state, imkState)
	}
	if n := count(t, conn, `SELECT count(*) FROM outbox WHERE lower(to_addr) = 'janis.berzins@example.lv'`); n < 1 {
		t.Errorf("no e-mail to the person is queued")
	}
	if n := count(t, conn, `SELECT count(*) FROM person_views WHERE operator_id = $1`, operatorID(t, conn, laura.name)); n < 2 {
		t.Errorf("the search and the opening counted %d look-ups, want 2", n)
	}

	// Lift from the page's denials tab: ¶32.3 waits for Māris. (The note
	// was on the screen already, in the form: the tab is awaited after a
	// new mark, with its count.)
	mark = l.mark()
	l.press(keyRight + keyRight + keyRight + keyRight)
	l.waitText(text(t, lv, "tui.ppl.tab.denials")+" 1", mark)
	l.waitText("Konta dati nopludināti", mark)
	mark = l.mark()
	l.press("l")
	l.waitText(text(t, lv, "tui.den.lift_title", denial), mark)
	l.press("Paroles nomainītas" + keyCtrlS)
	l.waitText(text(t, lv, "tui.den.done.lift_waits", denial), mark)

	m := openDenials(t, srv.mustDial(t, maris.name, ssh.PublicKeys(maris.signer)), maris)
	mark = m.mark()
	m.press("v")
	m.waitText("Jānis Bērziņš", mark)
	m.press("y")
	m.waitText(text(t, lv, "tui.den.approve_title", denial), mark)
	mark = m.mark()
	m.press(keyEnter)
	m.waitText(text(t, lv, "tui.den.done.approved", denial), mark)
	scalar(t, conn, `SELECT d.state, a.state FROM denials d, imk_applications a WHERE d.id = $1 AND a.id = $2`, []any{denial, imk}, &state, &imkState)
	if state != string(domain.DenialLifted) || imkState != string(domain.IMKApproved) {
		t.Errorf("after the approved lift: denial %s, IMK %s; want lifted and approved", state, imkState)
	}
}

// TestE2E_PersonExport_TextAndJSON_Audited runs `ppp person
// export` on the built binary as the issue has it (GDPR Art. 15; that
// only security may is TestPersonExport_EverySection_OnlyTheirs_Audited_
// SecurityOnly's): Laura (security) exports Jānis by his code typed
// without the hyphen, as Latvian text with his whole code, his address and
// his ticket's message; then by --id as JSON, which lists her first export
// with its reason among the staff who accessed the record; each export is
// one audit entry with its reason; naming the person twice is bad use.
// Both eligibility decisions of his IMK application (the check's
// rejection, the reviewer's approval) are in both formats.
func TestE2E_PersonExport_TextAndJSON_Audited(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	laura := in.addOperator("laura.sec", "Laura Bērziņa", "security")
	conn := sqlConn(t, in)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()

	const code = "050375-12425"
	var person int64
	if err := conn.QueryRow(ctx, `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, 'janis.berzins@example.lv', 'Jānis', 'Bērziņš', true) RETURNING person_id`, code).Scan(&person); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `
		WITH t AS (INSERT INTO tickets (subject, from_addr, category, suggested, created_at, updated_at)
		           VALUES ('Nevaru pieslēgties', 'janis.berzins@example.lv', 'question', 'question', now(), now()) RETURNING id)
		INSERT INTO inbound_messages (message_id, from_addr, subject, body, raw, received_at, ticket_id)
		SELECT 'e2e-export-1@example.lv', 'janis.berzins@example.lv', 'Nevaru pieslēgties', 'Sveiki, neizdodas pieslēgties.', '\x00', now(), id FROM t`); err != nil {
		t.Fatal(err)
	}
	// Two eligibility decisions of his IMK application (¶26.4): the check
	// rejected it, a reviewer approved it.
	for _, sql := range []string{
		`INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, policy_id, evaluation, decided_at, reason)
		 VALUES ($1, 'Jānis', 'Bērziņš', 'janis.berzins@example.lv', 'rejected', 1,
		         '{"PolicyID":1,"Outcome":"not_eligible","Rules":[{"Rule":"residence","Verdict":"fail","Evidence":{"key":"imk.ev.resident"}}]}',
		         now() - interval '2 days', 'imk.rule.residence')`,
		`UPDATE imk_applications SET state = 'approved', decided_at = now(), reason = 'dzīvo Ādažos',
		        decided_by = (SELECT id FROM operators WHERE name = 'laura.sec') WHERE personal_code = $1`,
	} {
		if _, err := conn.Exec(ctx, sql, code); err != nil {
			t.Fatal(err)
		}
	}
	exports := func() int {
		return count(t, conn, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2`,
			domain.AuditPersonExport, strconv.FormatInt(person, 10))
	}
	bare := strings.ReplaceAll(code, "-", "")

	res := in.mustRun(t, laura.password+"\n", "person", "export", bare, "--reason", "pieprasījums Nr. 7", "--as", laura.name, "--password-stdin")
	for _, want := range []string{text(t, lv, "pex.title"), text(t, lv, "pex.f.code", code), "Jānis Bērziņš",
		"janis.berzins@example.lv", text(t, lv, "pex.s.tickets"), "Sveiki, neizdodas pieslēgties.", "pieprasījums Nr. 7",
		text(t, lv, "pexd.automatic"), text(t, lv, "pexd.reason", "dzīvo Ādažos")} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the text export lacks %q:\n%s", want, res.stdout)
		}
	}
	if n := strings.Count(res.stdout, strings.SplitN(text(t, lv, "pexd.decision", "", ""), " ", 2)[0]+" "); n != 2 {
		t.Errorf("the text export lists %d IMK decisions, want 2:\n%s", n, res.stdout)
	}

	res = in.mustRun(t, laura.password+"\n", "person", "export", "--id", strconv.FormatInt(person, 10), "--format", "json",
		"--reason", "pieprasījums Nr. 8", "--as", laura.name, "--password-stdin")
	var x domain.PersonExport
	if err := json.Unmarshal([]byte(res.stdout), &x); err != nil {
		t.Fatalf("the JSON export does not parse: %v\n%s", err, res.stdout)
	}
	if len(x.IMK) != 1 || len(x.IMK[0].Decisions) != 2 || x.IMK[0].Decisions[0].State != "rejected" ||
		x.IMK[0].Decisions[1].State != "approved" || x.IMK[0].Decisions[1].DecidedBy == "" {
		t.Errorf("JSON export's IMK = %+v", x.IMK)
	}
	if x.Format != domain.PersonExportFormat || x.Identity.PersonalCode != code || x.Account == nil ||
		x.Account.Email != "janis.berzins@example.lv" || len(x.Tickets) != 1 || len(x.Tickets[0].Messages) != 1 || x.Reason != "pieprasījums Nr. 8" {
		t.Errorf("JSON export = %+v", x)
	}
	found := false
	for _, a := range x.StaffAccess {
		found = found || a.Kind == domain.AccessExport && a.Reason == "pieprasījums Nr. 7"
	}
	if !found {
		t.Errorf("the staff access does not list the first export: %+v", x.StaffAccess)
	}
	if n := exports(); n != 2 {
		t.Errorf("two exports left %d audit entries", n)
	}

	res = in.run(t, "", "person", "export", bare, "--id", "1", "--reason", "x", "--as", laura.name, "--password-stdin")
	if res.code != 2 || res.stdout != "" {
		t.Errorf("a code and an id together: %s; want bad use (exit 2)", res)
	}
}
