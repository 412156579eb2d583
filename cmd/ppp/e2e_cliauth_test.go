package main_test

// End-to-end tests of acting as an operator from the command line (issue
// 13): a verb with --as NAME proves it with NAME's password, checked and
// counted like a sign-in (the same lockout and audit), and a second
// person's approval is never given from the command line.

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// cliUser is a Platform user (an institution's staff member with a
// password) whose address the tests try to change.
func cliUser(t *testing.T, conn *pgx.Conn, email string) int64 {
	t.Helper()
	_, id := institutionUser(t, conn, 2, "Cēsu skola", "Dace", "Ozola", email)
	return id
}

// policyDraft is `ppp imk policy draft` with a valid policy, acting as
// the operator named as; more arguments follow.
func policyDraft(as string, more ...string) []string {
	return append([]string{"imk", "policy", "draft", "--min-age", "20", "--name", "Jaunā politika " + randomHex(2), "--as", as}, more...)
}

// draftAs stores a draft policy version drafted by op, the way a
// verified --as does, and returns its id.
func draftAs(t *testing.T, in *instance, conn *pgx.Conn, op *operator) int64 {
	t.Helper()
	ctx := domain.WithActor(t.Context(), domain.Actor{OperatorID: operatorID(t, conn, op.name), Name: op.name, SessionID: "e2e"})
	p := domain.DefaultEligibilityPolicy()
	p.Name, p.MinAge = "Jaunā politika "+randomHex(2), 20
	q, err := storage.NewPolicyService(openDB(t, in)).DraftPolicy(ctx, &p)
	if err != nil {
		t.Fatalf("draft a policy as %s: %v", op.name, err)
	}
	return q.ID
}

func policyCount(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	return count(t, conn, `SELECT count(*) FROM eligibility_policies`)
}

// TestE2E_CLIAuth_ActAsWithoutPassword_Refused_NothingChanged: the attack
// of issue 13 — `--as NAME` alone made the shell user that operator. With
// no password (standard input is not a terminal and --password-stdin is
// not given) every verb acting as an operator refuses on one line, exits
// non-zero and changes nothing.
func TestE2E_CLIAuth_ActAsWithoutPassword_Refused_NothingChanged(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	ed := in.addOperator("anna.redaktore", "Anna Redaktore", "editor")
	hd := in.addOperator("ivars.palidziba", "Ivars Palīdzība", "helpdesk")
	conn := sqlConn(t, in)
	user := cliUser(t, conn, "dace.ozola@skola.example.lv")
	before := policyCount(t, conn)

	res := in.run(t, "", policyDraft(ed.name)...)
	assertOneLineRefusal(t, res, text(t, en, "cli.as.no_password", ed.name))
	if n := policyCount(t, conn); n != before {
		t.Errorf("a draft was stored without the drafter's password: %d policy versions, want %d", n, before)
	}

	// The password on standard input without --password-stdin is not read.
	res = in.run(t, hd.password+"\n", "account", "email", strconv.FormatInt(user, 10), "nolaupits@example.com", "--reason", "ticket 9", "--as", hd.name)
	assertOneLineRefusal(t, res, text(t, en, "cli.as.no_password", hd.name))
	var email string
	scalar(t, conn, `SELECT email FROM platform_users WHERE id = $1`, []any{user}, &email)
	if email != "dace.ozola@skola.example.lv" {
		t.Errorf("the account's address became %q without anyone's password", email)
	}
	if n := count(t, conn, `SELECT count(*) FROM outbox WHERE to_addr IN ('dace.ozola@skola.example.lv', 'nolaupits@example.com')`); n != 0 {
		t.Errorf("%d notices queued for a refused change", n)
	}
}

// TestE2E_CLIAuth_WrongPassword_CountedLikeASignIn_LocksAfterFive: a
// wrong password given to --as counts exactly like a failed sign-in over
// SSH: each is recorded in the sign-in attempts with an address that says
// it came from the command line and audited as auth.failure; the fifth
// locks the account, after which the right password is refused too.
// Nothing is drafted.
func TestE2E_CLIAuth_WrongPassword_CountedLikeASignIn_LocksAfterFive(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	ed := in.addOperator("anna.redaktore", "Anna Redaktore", "editor")
	conn := sqlConn(t, in)
	before := policyCount(t, conn)

	for i := range 5 {
		res := in.run(t, "Nepareiza-Parole-"+strconv.Itoa(i)+"\n", policyDraft(ed.name, "--password-stdin")...)
		assertOneLineRefusal(t, res, text(t, en, "cli.as.refused", ed.name))
	}
	if n := count(t, conn, `
		SELECT count(*) FROM sign_in_attempts
		 WHERE operator_name = $1 AND NOT success AND method = 'password' AND remote_addr LIKE 'cli/%'`, ed.name); n != 5 {
		t.Errorf("%d failed sign-in attempts from the command line recorded; want 5", n)
	}
	// Failures are audited through audit_pending; verifying chains them,
	// as an auditor's look at the log would.
	if res := in.run(t, "", "audit", "verify"); res.code != 0 {
		t.Fatalf("audit verify: %s", res)
	}
	if n := count(t, conn, `
		SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditSignInFailure+`' AND subject_id = $1 AND remote_addr LIKE 'cli/%'`, ed.name); n != 5 {
		t.Errorf("%d auth.failure audit entries; want 5", n)
	}
	if n := count(t, conn, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditSignInLock+`' AND subject_id = $1`, ed.name); n != 1 {
		t.Errorf("%d auth.lock audit entries after five wrong passwords; want 1", n)
	}
	var locked bool
	scalar(t, conn, `SELECT coalesce(locked_until > now(), false) FROM operators WHERE name = $1`, []any{ed.name}, &locked)
	if !locked {
		t.Error("five wrong passwords on the command line did not lock the account")
	}

	// Locked: the right password is refused the same way.
	res := in.run(t, ed.password+"\n", policyDraft(ed.name, "--password-stdin")...)
	assertOneLineRefusal(t, res, text(t, en, "cli.as.refused", ed.name))
	if n := policyCount(t, conn); n != before {
		t.Errorf("%d policy versions after refused passwords; want %d", n, before)
	}
	auditEntries(t, in)
}

// TestE2E_CLIAuth_DisabledOperator_Refused: a disabled operator's right
// password is refused like a wrong one, and nothing is drafted.
func TestE2E_CLIAuth_DisabledOperator_Refused(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	ed := in.addOperator("anna.redaktore", "Anna Redaktore", "editor")
	in.mustRun(t, "", "operator", "disable", ed.name, "--reason", "left the Agency")
	conn := sqlConn(t, in)
	before := policyCount(t, conn)
	res := in.run(t, ed.password+"\n", policyDraft(ed.name, "--password-stdin")...)
	assertOneLineRefusal(t, res, text(t, en, "cli.as.refused", ed.name))
	if n := policyCount(t, conn); n != before {
		t.Errorf("a disabled operator drafted: %d policy versions, want %d", n, before)
	}
	if n := count(t, conn, `SELECT count(*) FROM sign_in_attempts WHERE operator_name = $1 AND NOT success`, ed.name); n != 1 {
		t.Errorf("%d failed attempts recorded for the disabled operator; want 1", n)
	}
}

// TestE2E_CLIAuth_RightPassword_SignsInAndActs: with the right password
// the verb acts as the operator: the sign-in is recorded (method password,
// the command line's address) and the draft is audited under the
// operator and the same session.
func TestE2E_CLIAuth_RightPassword_SignsInAndActs(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	ed := in.addOperator("anna.redaktore", "Anna Redaktore", "editor")
	conn := sqlConn(t, in)
	before := policyCount(t, conn)
	in.mustRun(t, ed.password+"\n", policyDraft(ed.name, "--password-stdin")...)
	if n := policyCount(t, conn); n != before+1 {
		t.Fatalf("%d policy versions after the draft; want %d", n, before+1)
	}
	if n := count(t, conn, `
		SELECT count(*) FROM sign_in_attempts
		 WHERE operator_name = $1 AND success AND method = 'password' AND remote_addr LIKE 'cli/%'`, ed.name); n != 1 {
		t.Errorf("%d successful command-line sign-ins recorded; want 1", n)
	}
	edID := operatorID(t, conn, ed.name)
	if n := count(t, conn, `
		SELECT count(*) FROM audit_log d JOIN audit_log s
		    ON s.action = '`+domain.AuditSignIn+`' AND s.actor_id = d.actor_id AND s.session_id = d.session_id AND s.session_id <> ''
		 WHERE d.action = '`+domain.AuditIMKPolicyDraft+`' AND d.actor_id = $1`, edID); n != 1 {
		t.Errorf("the draft's audit entry is not in the session of the operator's command-line sign-in (%d matches)", n)
	}
}

// TestE2E_CLIAuth_PolicyApprove_NotOnCommandLine: the second half of the
// attack — `ppp imk policy approve ID --as B` put A's draft into force
// from one shell. The verb is gone: with or without B's password the
// draft stays a draft.
func TestE2E_CLIAuth_PolicyApprove_NotOnCommandLine(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	a := in.addOperator("anna.redaktore", "Anna Redaktore", "editor")
	b := in.addOperator("berta.redaktore", "Berta Redaktore", "editor")
	conn := sqlConn(t, in)
	id := draftAs(t, in, conn, a)

	for _, args := range [][]string{
		{"imk", "policy", "approve", strconv.FormatInt(id, 10), "--as", b.name},
		{"imk", "policy", "approve", strconv.FormatInt(id, 10), "--as", b.name, "--password-stdin"},
	} {
		res := in.run(t, b.password+"\n", args...)
		if res.code == 0 {
			t.Errorf("the command line approved a policy: %s", res)
		}
		if !strings.Contains(res.stderr, text(t, en, "cli.imk_policy.approve_in_tui")) {
			t.Errorf("the refusal does not say where approval happens: %s", res)
		}
	}
	var state string
	scalar(t, conn, `SELECT state FROM eligibility_policies WHERE id = $1`, []any{id}, &state)
	if state != "draft" {
		t.Errorf("policy %d is %q after approvals from the command line; want draft", id, state)
	}
}

// TestE2E_CLIAuth_AccountEmail_IsOnlyARequest: `ppp account email …
// --as X` with X's password no longer changes the address: it files a
// request that waits for a second person, and no notice goes out yet.
func TestE2E_CLIAuth_AccountEmail_IsOnlyARequest(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	hd := in.addOperator("ivars.palidziba", "Ivars Palīdzība", "helpdesk")
	conn := sqlConn(t, in)
	const oldAddr, newAddr = "dace.ozola@skola.example.lv", "dace.jauna@example.com"
	user := cliUser(t, conn, oldAddr)
	res := in.mustRun(t, hd.password+"\n", "account", "email", strconv.FormatInt(user, 10), newAddr,
		"--reason", "ticket 9: the old mailbox is closed", "--as", hd.name, "--password-stdin")
	var reqID int64
	scalar(t, conn, `SELECT id FROM email_change_requests WHERE user_id = $1 AND state = 'pending'`, []any{user}, &reqID)
	if !strings.Contains(res.stdout, text(t, en, "cli.account.email_requested", reqID, user)) {
		t.Errorf("the command does not say the change waits for a second person: %s", res)
	}
	var email string
	scalar(t, conn, `SELECT email FROM platform_users WHERE id = $1`, []any{user}, &email)
	if email != oldAddr {
		t.Errorf("the address changed to %q with one person's consent", email)
	}
	if n := count(t, conn, `SELECT count(*) FROM outbox WHERE to_addr IN ($1, $2)`, oldAddr, newAddr); n != 0 {
		t.Errorf("%d notices queued before the second approval", n)
	}
}

// TestE2E_CLIAuth_PasswordAskedOnTheTerminal_WithoutEcho: run from a
// terminal (tmux) without --password-stdin, the verb asks for the
// operator's password by name, does not echo it, and acts once it is
// right.
func TestE2E_CLIAuth_PasswordAskedOnTheTerminal_WithoutEcho(t *testing.T) {
	t.Parallel()
	x := newTmux(t)
	in := newInstance(t)
	ed := in.addOperator("anna.redaktore", "Anna Redaktore", "editor")
	conn := sqlConn(t, in)
	before := policyCount(t, conn)

	command := []string{"env", "PPP_DATABASE_URL=" + in.dbURL, "PPP_DATA_DIR=" + in.dataDir, "PPP_LANG=en", in.bin}
	command = append(command, policyDraft(ed.name)...)
	for i, a := range command {
		command[i] = shellQuote(a)
	}
	const pane = "cli"
	x.newSession(pane, strings.Join(command, " "))
	x.waitPaneText(pane, strings.TrimSpace(text(t, en, "cli.as.prompt", ed.name)))
	x.mustTmux("send-keys", "-t", pane, "-l", ed.password)
	x.mustTmux("send-keys", "-t", pane, "Enter")
	if status := x.waitExit(pane); status != "0" {
		t.Fatalf("the draft exited with status %s; want 0\n%s", status, x.capture(pane))
	}
	if screen := x.mustTmux("capture-pane", "-p", "-S", "-", "-t", pane); strings.Contains(screen, ed.password) {
		t.Errorf("the password was echoed:\n%s", screen)
	}
	if n := policyCount(t, conn); n != before+1 {
		t.Errorf("%d policy versions after the draft; want %d", n, before+1)
	}
}

// The IMK policy screen is an editor's fifth: the dashboard, the terms of
// use, the announcements, the sign-ins, the policy.
const policyTabKey = "5"

// TestE2E_CLIAuth_PolicyDraftedOnCLI_ApprovedInTUI: four eyes as issue
// 13 wants it. Editor A drafts on the command line with A's password;
// editor B, signed in over SSH, opens the IMK policy screen, sees the
// draft beside the version in force and approves it from now: the
// policy is in force, approved by B. B then drafts a version of their own
// on the command line: in B's session it shows, is not offered for
// approval, and a does nothing; it stays a draft.
func TestE2E_CLIAuth_PolicyDraftedOnCLI_ApprovedInTUI(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	a := in.addOperator("anna.redaktore", "Anna Redaktore", "editor")
	b := in.addOperator("berta.redaktore", "Berta Redaktore", "editor")
	conn := sqlConn(t, in)
	in.mustRun(t, a.password+"\n", "imk", "policy", "draft", "--min-age", "21", "--name", "Annas versija", "--as", a.name, "--password-stdin")
	var id int64
	var version int
	scalar(t, conn, `SELECT id, version FROM eligibility_policies WHERE name = 'Annas versija'`, nil, &id, &version)
	srv := in.startServer()

	term := signIn(t, srv.mustDial(t, b.name, ssh.PublicKeys(b.signer)), b)
	mark := term.mark()
	term.press(policyTabKey)
	term.waitText(text(t, lv, "tui.pol.title"), mark)
	term.waitText("Annas versija", mark)
	mark = term.mark()
	term.press("\r")
	term.waitText(text(t, lv, "tui.pol.detail_title", version, text(t, lv, "tui.pol.state.draft"), "Annas versija"), mark)
	term.waitText(text(t, lv, "tui.pol.col.in_force", version-1), mark)
	mark = term.mark()
	term.press("a")
	term.waitText(text(t, lv, "tui.pol.date"), mark)
	mark = term.mark()
	term.press("\r")
	question, _, _ := strings.Cut(text(t, lv, "tui.pol.confirm_approve", version, text(t, lv, "tui.pol.now")), "?")
	term.waitText(question+"?", mark)
	mark = term.mark()
	term.press("\r")
	term.waitText(prefixBefore(t, "tui.pol.approved", version, "\x00"), mark)

	var state string
	var approvedBy *int64
	scalar(t, conn, `SELECT state, approved_by FROM eligibility_policies WHERE id = $1`, []any{id}, &state, &approvedBy)
	if state != "approved" || approvedBy == nil || *approvedBy != operatorID(t, conn, b.name) {
		t.Fatalf("policy %d is %q approved by %s; want approved by %s", id, state, ptrText(approvedBy), b.name)
	}
	var inForce int64
	scalar(t, conn, `SELECT id FROM eligibility_policies WHERE state = 'approved' AND effective_from <= now()
	                  ORDER BY effective_from DESC, version DESC LIMIT 1`, nil, &inForce)
	if inForce != id {
		t.Errorf("the version in force is %d; want %d", inForce, id)
	}

	// B's own draft: shown, not approvable by B.
	mark = term.mark()
	in.mustRun(t, b.password+"\n", "imk", "policy", "draft", "--min-age", "22", "--name", "Bertas versija", "--as", b.name, "--password-stdin")
	var own int64
	scalar(t, conn, `SELECT id FROM eligibility_policies WHERE name = 'Bertas versija'`, nil, &own)
	term.waitText("Bertas versija", mark) // the change feed brings it
	term.press("\x1b[A")                  // up: the newest first
	term.press("\x1b[A")
	mark = term.mark()
	term.press("\r")
	term.waitText(lvPrefix(t, "imk.policy_own_draft"), mark)
	term.press("a")
	term.press("\r")
	term.press("\r")
	time.Sleep(500 * time.Millisecond)
	scalar(t, conn, `SELECT state FROM eligibility_policies WHERE id = $1`, []any{own}, &state)
	if state != "draft" {
		t.Fatalf("B's own draft is %q after B pressed a, enter, enter; want draft", state)
	}
	if s := term.screen.textSince(mark); strings.Contains(s, lvPrefix(t, "tui.pol.confirm_approve")) {
		t.Errorf("B was asked to confirm the approval of their own draft:\n%s", term.screen.dump(mark))
	}
	term.press("q")
	_ = term.waitEnd("q")
	srv.stop()
	auditEntries(t, in)
}

// TestE2E_CLIAuth_EmailChangeRequestedOnCLI_ApprovedInHelpdesk: helpdesk
// operator H1 asks on the command line (with H1's password) for an
// account's address to change; nothing changes. In H1's own SSH session
// the request waits in the helpdesk's list but y does nothing. H2, in a
// session of their own, approves it: the address changes and the notices
// to the old and the new address are queued.
func TestE2E_CLIAuth_EmailChangeRequestedOnCLI_ApprovedInHelpdesk(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	h1 := in.addOperator("ivars.palidziba", "Ivars Palīdzība", "helpdesk")
	h2 := in.addOperator("karina.palidziba", "Karina Palīdzība", "helpdesk")
	conn := sqlConn(t, in)
	const oldAddr, newAddr = "dace.ozola@skola.example.lv", "dace.jauna@example.com"
	user := cliUser(t, conn, oldAddr)
	in.mustRun(t, h1.password+"\n", "account", "email", strconv.FormatInt(user, 10), newAddr,
		"--reason", "ticket 9: the old mailbox is closed", "--as", h1.name, "--password-stdin")
	var reqID int64
	scalar(t, conn, `SELECT id FROM email_change_requests WHERE user_id = $1`, []any{user}, &reqID)
	srv := in.startServer()

	open := func(op *operator) *terminal {
		term := openTerminal(t, srv.mustDial(t, op.name, ssh.PublicKeys(op.signer)), "xterm-256color", hdCols, hdRows)
		term.waitText(op.header(), 0)
		mark := term.mark()
		term.press("2")
		term.waitText(text(t, lv, "tui.hd.queue_title"), mark)
		mark = term.mark()
		term.press("a")
		term.waitText(text(t, lv, "tui.pe.title"), mark)
		term.waitText("Dace Ozola → "+newAddr, mark)
		return term
	}

	t1 := open(h1)
	t1.waitText(lvPrefix(t, "defence.own_email_change"), 0)
	mark := t1.mark()
	t1.press("y")
	t1.press("\r")
	time.Sleep(500 * time.Millisecond)
	var email, state string
	scalar(t, conn, `SELECT email FROM platform_users WHERE id = $1`, []any{user}, &email)
	scalar(t, conn, `SELECT state FROM email_change_requests WHERE id = $1`, []any{reqID}, &state)
	if email != oldAddr || state != "pending" {
		t.Fatalf("after the requester's y and enter the address is %q and the request %q", email, state)
	}
	if strings.Contains(t1.screen.textSince(mark), lvPrefix(t, "tui.pe.confirm")) {
		t.Error("the requester was asked to confirm their own change")
	}

	t2 := open(h2)
	mark = t2.mark()
	t2.press("y")
	t2.waitText(lvPrefix(t, "tui.pe.confirm"), mark)
	mark = t2.mark()
	t2.press("\r")
	t2.waitText(text(t, lv, "tui.pe.approved", reqID), mark)

	scalar(t, conn, `SELECT email FROM platform_users WHERE id = $1`, []any{user}, &email)
	if email != newAddr {
		t.Errorf("after the second person's approval the address is %q; want %q", email, newAddr)
	}
	if n := count(t, conn, `SELECT count(*) FROM outbox WHERE template = 'account.email_changed' AND to_addr IN ($1, $2)`, oldAddr, newAddr); n != 2 {
		t.Errorf("%d notices queued after the approval; want 2 (old and new address)", n)
	}
	var approvedBy string
	scalar(t, conn, `SELECT approved_by_name FROM account_changes WHERE user_id = $1`, []any{user}, &approvedBy)
	if approvedBy != h2.fullName {
		t.Errorf("the history says approved by %q; want %q", approvedBy, h2.fullName)
	}
	res := in.mustRun(t, h1.password+"\n", "account", "history", strconv.FormatInt(user, 10), "--as", h1.name, "--password-stdin")
	if !strings.Contains(res.stdout, h1.fullName) || !strings.Contains(res.stdout, h2.fullName) || !strings.Contains(res.stdout, newAddr) {
		t.Errorf("ppp account history does not show who asked and who approved:\n%s", res.stdout)
	}
	t1.press("q")
	t2.press("q")
	srv.stop()
	auditEntries(t, in)
}

// lvPrefix is the Latvian message of key up to its first argument (or a
// line's worth), for matching a message that wraps on the screen.
func lvPrefix(t *testing.T, key string) string {
	t.Helper()
	s, _, _ := strings.Cut(text(t, lv, key), "%")
	if r := []rune(s); len(r) > 30 {
		s = string(r[:30])
	}
	return s
}
