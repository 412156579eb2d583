package main_test

// End-to-end tests of the reviewers' role-request queue (issue 3): two
// reviewers in two real SSH sessions with PTYs on the built binary and a
// real PostgreSQL database. A request is written the way the portal
// writes it (storage.PortalService: submit, then confirm the e-mail
// address); one reviewer claims it and the other sees the claim on their
// screen, the first approves it, and the database then holds the role
// assignment, the audit entry and the outbox message. A second test drops
// a connection that holds a claim and checks that the claim comes back.

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// The terminal the reviewers use: wider than the default, so that the
// list shows the institution or municipality and the holder columns.
const (
	rrCols = 100
	rrRows = 30
)

// claimVisibleWithin is what the test asserts for a claim to show on
// another reviewer's screen. The issue asks for one second; the assertion
// is generous (-race, parallel tests, small machines) and the real figure
// is logged.
const claimVisibleWithin = 3 * time.Second

// releaseWithin bounds how long a dropped connection may keep its claim.
const releaseWithin = 5 * time.Second

// The two reviewers, with Latvian letters in their names.
const (
	annaName      = "anna.kalnina"
	annaFullName  = "Anna Kalniņa"
	janisName     = "janis.berzins"
	janisFullName = "Jānis Bērziņš"
)

// rrApplicant is the pending request of the tests: a municipal
// coordinator for Liepāja, with a distinctive name.
func rrApplicant() domain.RoleRequestForm {
	return domain.RoleRequestForm{
		Kind:             domain.KindMunicipalCoordinator,
		FirstName:        "Ģertrūde",
		LastName:         "Ķēniņa",
		PersonalCode:     "061193-06460",
		Email:            "gertrude.kenina@liepaja.lv",
		Phone:            "+371 2612 3456",
		MunicipalityCode: "liepaja",
	}
}

// submitPending writes a request as the portal does, submitted and its
// e-mail address confirmed, into the instance's database, and returns its
// id.
func submitPending(t *testing.T, in *instance, form domain.RoleRequestForm) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	db, err := storage.Open(ctx, in.dbURL)
	if err != nil {
		t.Fatalf("open the test's database: %v", err)
	}
	defer db.Close()
	portal := storage.NewPortalService(db)
	id, token, err := portal.SubmitRoleRequest(ctx, form)
	if err != nil {
		t.Fatalf("submit the role request: %v", err)
	}
	confirmed, err := portal.ConfirmEmail(ctx, token)
	if err != nil {
		t.Fatalf("confirm the e-mail of request %d: %v", id, err)
	}
	if confirmed != id {
		t.Fatalf("ConfirmEmail confirmed request %d, want %d", confirmed, id)
	}
	return id
}

// sqlConn is a connection of the test's own to the instance's database,
// for looking at what the server wrote. It is closed when the test ends.
func sqlConn(t *testing.T, in *instance) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, in.dbURL)
	if err != nil {
		t.Fatalf("connect to the test's database: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// scalar runs a query that returns one row and scans it into dest.
func scalar(t *testing.T, conn *pgx.Conn, sql string, args []any, dest ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := conn.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
		t.Fatalf("%s %v: %v", strings.Join(strings.Fields(sql), " "), args, err)
	}
}

// count returns the number of rows a COUNT(*) query gives.
func count(t *testing.T, conn *pgx.Conn, sql string, args ...any) int {
	t.Helper()
	var n int
	scalar(t, conn, sql, args, &n)
	return n
}

// operatorID returns the id of the operator with the given name.
func operatorID(t *testing.T, conn *pgx.Conn, name string) int64 {
	t.Helper()
	var id int64
	scalar(t, conn, `SELECT id FROM operators WHERE name = $1`, []any{name}, &id)
	return id
}

// claimOf returns who holds the request now (0 for nobody) and the
// session that claimed it.
func claimOf(t *testing.T, conn *pgx.Conn, id int64) (by int64, session string) {
	t.Helper()
	var b *int64
	var s *string
	scalar(t, conn, `SELECT claimed_by, claim_session FROM role_requests WHERE id = $1`, []any{id}, &b, &s)
	if b != nil {
		by = *b
	}
	if s != nil {
		session = *s
	}
	return by, session
}

// openQueue opens a 100×30 terminal for op on client, waits for the
// dashboard, switches to the role-request screen (the second screen a
// reviewer has) and waits for want to show there.
func openQueue(t *testing.T, client *ssh.Client, op *operator, want string) *terminal {
	t.Helper()
	term := openTerminal(t, client, "xterm-256color", rrCols, rrRows)
	term.waitText(op.header(), 0)
	mark := term.mark()
	term.press("2")
	term.waitFor("the role-request screen with "+strconv.Quote(want), mark, func(s string) bool {
		return strings.Contains(s, text(t, lv, "tui.rr.col.holder")) && strings.Contains(s, want)
	})
	return term
}

// queueRow reports whether the screen text has a line of the list (the
// short kind and the applicant's name) that holds every one of also, and
// none of unless.
func queueRow(s, kindShort, applicant string, also []string, unless ...string) bool {
lines:
	for _, line := range screenLines(s) {
		if !strings.Contains(line, kindShort) || !strings.Contains(line, applicant) {
			continue
		}
		for _, a := range also {
			if !strings.Contains(line, a) {
				continue lines
			}
		}
		for _, u := range unless {
			if strings.Contains(line, u) {
				continue lines
			}
		}
		return true
	}
	return false
}

// prefixOf returns the part of a catalog message before its first
// argument, for messages whose argument (a time) the test cannot know.
func prefixOf(t *testing.T, key string) string {
	t.Helper()
	const mark = "\x00"
	before, _, ok := strings.Cut(text(t, lv, key, mark), mark)
	if !ok || strings.TrimSpace(before) == "" {
		t.Fatalf("catalog message %q has no text before its argument", key)
	}
	return before
}

// TestE2E_RoleRequest_ClaimSeenByOther_Approve: two reviewers in two SSH
// sessions. Anna opens the pending request and so claims it; within a
// second Jānis's list shows that she holds it, and when he opens it he
// gets it read-only with her name. Anna approves it with the default
// validity; Jānis's list drops it. The database then holds exactly one
// role assignment for the applicant, the audit entry of the approval, one
// outbox message to the applicant (delivered as an .eml file, since no
// SMTP server is configured), and the request approved by Anna with no
// claim left; `ppp audit verify` passes.
func TestE2E_RoleRequest_ClaimSeenByOther_Approve(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	anna := in.addOperator(annaName, annaFullName, "reviewer")
	janis := in.addOperator(janisName, janisFullName, "reviewer")
	form := rrApplicant()
	applicant := form.FirstName + " " + form.LastName
	kindShort := text(t, lv, "tui.rr.kind_short."+string(form.Kind))
	id := submitPending(t, in, form)
	srv := in.startServer()
	conn := sqlConn(t, in)
	annaID := operatorID(t, conn, anna.name)

	// Both open the queue and see the request, held by nobody.
	a := openQueue(t, srv.mustDial(t, anna.name, ssh.PublicKeys(anna.signer)), anna, applicant)
	b := openQueue(t, srv.mustDial(t, janis.name, ssh.PublicKeys(janis.signer)), janis, applicant)
	for _, term := range []*terminal{a, b} {
		if s := term.screen.textSince(0); !queueRow(s, kindShort, applicant, []string{"Liepāja", text(t, lv, "tui.rr.state.pending")}) {
			t.Fatalf("%s: the list has no row for the pending request of %s in Liepāja\n%s", term.name, applicant, term.screen.dump(0))
		}
	}

	// Anna opens it: her detail view says she holds it, and Jānis's list
	// shows her name on its row.
	aMark, bMark := a.mark(), b.mark()
	pressed := time.Now()
	a.press("\r")
	b.waitFor("Anna's name on the request's row", bMark, func(s string) bool {
		return queueRow(s, kindShort, applicant, []string{anna.fullName})
	})
	seen := time.Since(pressed)
	t.Logf("the claim showed on the other reviewer's screen %v after the key press", seen.Round(time.Millisecond))
	if seen > claimVisibleWithin {
		t.Errorf("the claim took %v to show on the other reviewer's screen; the issue asks for a second (asserted: %v)", seen.Round(time.Millisecond), claimVisibleWithin)
	}
	a.waitText(text(t, lv, "tui.rr.detail.title", id, text(t, lv, "tui.rr.kind."+string(form.Kind))), aMark)
	a.waitText(prefixOf(t, "tui.rr.claim.yours"), aMark)
	if by, session := claimOf(t, conn, id); by != annaID || session == "" {
		t.Fatalf("after Anna opened request %d the database says claimed_by=%d session=%q; want %d and her session", id, by, session, annaID)
	}

	// Jānis opens it too: read-only, held by Anna; the claim stays hers.
	bMark = b.mark()
	b.press("\r")
	b.waitText(text(t, lv, "tui.rr.claim.other", anna.fullName), bMark)
	b.waitText(text(t, lv, "tui.rr.held_by", id, anna.fullName), bMark)
	if by, _ := claimOf(t, conn, id); by != annaID {
		t.Fatalf("after Jānis opened the held request the database says claimed_by=%d; want Anna (%d)", by, annaID)
	}
	bMark = b.mark()
	b.press("\x1b") // back to the list
	b.waitFor("the list again, the row held by Anna", bMark, func(s string) bool {
		return queueRow(s, kindShort, applicant, []string{anna.fullName})
	})

	// Anna approves with the default validity: a, enter in the form (the
	// date as offered), enter on the confirmation.
	aMark = a.mark()
	a.press("a")
	label := text(t, lv, "tui.rr.field.valid_until")
	date := regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}`)
	var offered string
	a.waitFor("the approval form with a date", aMark, func(s string) bool {
		for _, line := range screenLines(s) {
			if strings.Contains(line, label) && date.MatchString(line) {
				offered = date.FindString(line)
				return true
			}
		}
		return false
	})
	validUntil, err := time.Parse("2006-01-02", offered)
	if err != nil {
		t.Fatalf("the approval form's date %q: %v", offered, err)
	}
	if want := time.Now().Add(domain.DefaultRoleRequestConfig().DefaultValidity); validUntil.Sub(want).Abs() > 48*time.Hour {
		t.Errorf("the approval form offered %s; want the default validity, about %s", offered, want.Format("2006-01-02"))
	}
	aMark = a.mark()
	a.press("\r")
	question := a.waitText(text(t, lv, "tui.rr.approve_confirm_keys"), aMark)
	// The question wraps to the width; compare without the breaks.
	noSpace := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if want := text(t, lv, "tui.rr.approve_confirm", id, applicant, text(t, lv, "tui.rr.kind."+string(form.Kind)), offered); !strings.Contains(noSpace(question), noSpace(want)) {
		t.Errorf("the confirmation does not ask %q\n%s", want, a.screen.dump(aMark))
	}
	aMark, bMark = a.mark(), b.mark()
	approved := time.Now()
	a.press("\r")
	a.waitText(text(t, lv, "tui.rr.approved", id), aMark)
	b.waitText(text(t, lv, "tui.rr.none"), bMark)
	t.Logf("the approved request left the other reviewer's list %v after the key press", time.Since(approved).Round(time.Millisecond))

	// The request: approved by Anna, valid until the confirmed date, no
	// claim left.
	var state string
	var decidedBy, claimedBy *int64
	var claimSession *string
	var claimExpires, reqValidUntil *time.Time
	scalar(t, conn, `
		SELECT state, decided_by, claimed_by, claim_session, claim_expires_at, valid_until
		  FROM role_requests WHERE id = $1`, []any{id},
		&state, &decidedBy, &claimedBy, &claimSession, &claimExpires, &reqValidUntil)
	switch {
	case state != string(domain.StateApproved):
		t.Errorf("request %d is %q; want approved", id, state)
	case decidedBy == nil || *decidedBy != annaID:
		t.Errorf("request %d decided_by = %v; want Anna (%d)", id, ptrText(decidedBy), annaID)
	case claimedBy != nil || claimSession != nil || claimExpires != nil:
		t.Errorf("request %d still has a claim after the decision: by %s, session %v, until %v", id, ptrText(claimedBy), claimSession, claimExpires)
	case reqValidUntil == nil || !reqValidUntil.Equal(validUntil):
		t.Errorf("request %d valid_until = %v; want %s", id, reqValidUntil, validUntil.Format(time.RFC3339))
	}

	// Exactly one role assignment for the applicant: the municipal
	// coordinator of Liepāja, granted by Anna, until the confirmed date.
	if n := count(t, conn, `SELECT count(*) FROM role_assignments WHERE request_id = $1`, id); n != 1 {
		t.Fatalf("%d role assignments for request %d; want exactly 1", n, id)
	}
	var userID int64
	var role, userEmail, firstName, lastName string
	var municipality *string
	var grantedBy *int64
	var assignUntil time.Time
	var endedAt *time.Time
	scalar(t, conn, `
		SELECT a.user_id, a.role, a.municipality_code, a.granted_by, a.valid_until, a.ended_at,
		       u.email, u.first_name, u.last_name
		  FROM role_assignments a JOIN platform_users u ON u.id = a.user_id
		 WHERE a.request_id = $1`, []any{id},
		&userID, &role, &municipality, &grantedBy, &assignUntil, &endedAt, &userEmail, &firstName, &lastName)
	if n := count(t, conn, `SELECT count(*) FROM role_assignments WHERE user_id = $1`, userID); n != 1 {
		t.Errorf("the applicant (platform user %d) has %d role assignments; want exactly 1", userID, n)
	}
	if want := string(form.Kind.PlatformRole()); role != want {
		t.Errorf("role assignment: role %q; want %q", role, want)
	}
	if municipality == nil || *municipality != form.MunicipalityCode {
		t.Errorf("role assignment: municipality %v; want %q", municipality, form.MunicipalityCode)
	}
	if grantedBy == nil || *grantedBy != annaID {
		t.Errorf("role assignment: granted_by %s; want Anna (%d)", ptrText(grantedBy), annaID)
	}
	if !assignUntil.Equal(validUntil) {
		t.Errorf("role assignment: valid_until %s; want %s", assignUntil.Format(time.RFC3339), validUntil.Format(time.RFC3339))
	}
	if endedAt != nil {
		t.Errorf("role assignment: ended at %v already", endedAt)
	}
	if userEmail != form.Email || firstName != form.FirstName || lastName != form.LastName {
		t.Errorf("the assignment's platform user is %s %s <%s>; want %s <%s>", firstName, lastName, userEmail, applicant, form.Email)
	}

	// The audit log: the approval, by Anna, about the request; and her
	// claim before it (claims' entries reach the chain within a second;
	// `ppp audit verify` chains any still pending first).
	auditEntries(t, in)
	subject := strconv.FormatInt(id, 10)
	if n := count(t, conn, `
		SELECT count(*) FROM audit_log
		 WHERE action = '`+domain.AuditRoleRequestApprove+`' AND subject_kind = 'role_request' AND subject_id = $1 AND actor_id = $2`,
		subject, annaID); n != 1 {
		t.Errorf("%d audit entries '"+domain.AuditRoleRequestApprove+"' by Anna about request %d; want exactly 1", n, id)
	}
	if n := count(t, conn, `
		SELECT count(*) FROM audit_log
		 WHERE action = '`+domain.AuditRoleRequestClaim+`' AND subject_kind = 'role_request' AND subject_id = $1 AND actor_id = $2`,
		subject, annaID); n < 1 {
		t.Errorf("no audit entry '"+domain.AuditRoleRequestClaim+"' by Anna about request %d", id)
	}
	if n := count(t, conn, `
		SELECT count(*) FROM audit_log
		 WHERE action = '`+domain.AuditRoleRequestApprove+`' AND subject_id = $1 AND actor_id IS DISTINCT FROM $2`,
		subject, annaID); n != 0 {
		t.Errorf("%d approvals of request %d by someone other than Anna in the audit log", n, id)
	}

	// The outbox: exactly one approval message to the applicant, in the
	// decision's transaction; the worker delivers it as an .eml file.
	if n := count(t, conn, `SELECT count(*) FROM outbox WHERE template = 'rolerequest.approved'`); n != 1 {
		t.Errorf("%d outbox messages 'rolerequest.approved'; want exactly 1", n)
	}
	var mailID int64
	scalar(t, conn, `SELECT id FROM outbox WHERE template = 'rolerequest.approved' AND to_addr = $1`, []any{form.Email}, &mailID)
	eml := filepath.Join(in.dataDir, "outbox", strconv.FormatInt(mailID, 10)+".eml")
	deadline := time.Now().Add(waitTimeout)
	for {
		data, err := os.ReadFile(eml)
		if err == nil {
			if !strings.Contains(string(data), form.Email) {
				t.Errorf("%s is not addressed to %s:\n%s", eml, form.Email, data)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the approval message %d was not delivered to %s within %v: %v", mailID, eml, waitTimeout, err)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}

	for _, term := range []*terminal{a, b} {
		term.press("q")
		if err := term.waitEnd("q"); err != nil {
			t.Errorf("%s: q should end the session with exit status 0; Wait returned %v", term.name, err)
		}
	}
	if n := count(t, conn, `SELECT count(*) FROM role_requests WHERE claimed_by IS NOT NULL`); n != 0 {
		t.Errorf("%d requests still claimed after both sessions ended", n)
	}
	auditEntries(t, in) // `ppp audit verify` exits 0
}

// TestE2E_RoleRequest_DroppedConnection_ReleasesClaim: Anna opens (claims)
// the request and her connection drops without quitting. Within a few
// seconds the claim is released in the database, Jānis's list no longer
// shows her on the row, and he can open and claim it himself.
func TestE2E_RoleRequest_DroppedConnection_ReleasesClaim(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	anna := in.addOperator(annaName, annaFullName, "reviewer")
	janis := in.addOperator(janisName, janisFullName, "reviewer")
	form := rrApplicant()
	applicant := form.FirstName + " " + form.LastName
	kindShort := text(t, lv, "tui.rr.kind_short."+string(form.Kind))
	id := submitPending(t, in, form)
	srv := in.startServer()
	conn := sqlConn(t, in)
	annaID, janisID := operatorID(t, conn, anna.name), operatorID(t, conn, janis.name)

	annaClient := srv.mustDial(t, anna.name, ssh.PublicKeys(anna.signer))
	a := openQueue(t, annaClient, anna, applicant)
	b := openQueue(t, srv.mustDial(t, janis.name, ssh.PublicKeys(janis.signer)), janis, applicant)

	aMark, bMark := a.mark(), b.mark()
	a.press("\r")
	a.waitText(prefixOf(t, "tui.rr.claim.yours"), aMark)
	b.waitFor("Anna's name on the request's row", bMark, func(s string) bool {
		return queueRow(s, kindShort, applicant, []string{anna.fullName})
	})
	if by, _ := claimOf(t, conn, id); by != annaID {
		t.Fatalf("after Anna opened request %d the database says claimed_by=%d; want %d", id, by, annaID)
	}

	// The connection drops: the client goes away without a key press.
	bMark = b.mark()
	dropped := time.Now()
	if err := annaClient.Close(); err != nil {
		t.Fatalf("close Anna's connection: %v", err)
	}
	var released time.Duration
	for {
		if by, _ := claimOf(t, conn, id); by == 0 {
			released = time.Since(dropped)
			break
		}
		if time.Since(dropped) > waitTimeout {
			t.Fatalf("request %d is still claimed by Anna %v after her connection dropped\nserver stderr:\n%s", id, waitTimeout, srv.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("the claim was released %v after the connection dropped", released.Round(time.Millisecond))
	if released > releaseWithin {
		t.Errorf("the claim was released %v after the connection dropped; want within %v", released.Round(time.Millisecond), releaseWithin)
	}
	if n := count(t, conn, `
		SELECT count(*) FROM role_request_events
		 WHERE request_id = $1 AND action = 'released' AND actor_id = $2`, id, annaID); n != 1 {
		t.Errorf("%d 'released' events by Anna in request %d's history; want 1", n, id)
	}
	b.waitFor("the request's row without Anna's name", bMark, func(s string) bool {
		return queueRow(s, kindShort, applicant, nil, anna.fullName)
	})
	t.Logf("the release showed on the other reviewer's screen %v after the connection dropped", time.Since(dropped).Round(time.Millisecond))

	// Jānis opens it and holds it.
	bMark = b.mark()
	b.press("\r")
	b.waitText(prefixOf(t, "tui.rr.claim.yours"), bMark)
	if by, _ := claimOf(t, conn, id); by != janisID {
		t.Fatalf("after Jānis opened the released request the database says claimed_by=%d; want Jānis (%d)", by, janisID)
	}
	// Leaving the request gives the claim back.
	b.press("\x1b")
	deadline := time.Now().Add(waitTimeout)
	for {
		if by, _ := claimOf(t, conn, id); by == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("request %d is still claimed %v after Jānis left it with esc\n%s", id, waitTimeout, b.screen.dump(bMark))
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-a.done:
	case <-time.After(waitTimeout):
		t.Errorf("Anna's session did not end within %v of closing the connection", waitTimeout)
	}
	b.press("q")
	if err := b.waitEnd("q"); err != nil {
		t.Errorf("q should end Jānis's session with exit status 0; Wait returned %v", err)
	}
	auditEntries(t, in)
}

// ptrText renders a nullable id for a message.
func ptrText(p *int64) string {
	if p == nil {
		return "NULL"
	}
	return strconv.FormatInt(*p, 10)
}
