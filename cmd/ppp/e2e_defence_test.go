package main_test

// End-to-end test of the two-person reset (issue 9, "Must show"): an
// education institution's administrator mails "Aizmirsu paroli"; helpdesk
// operator H1 issues the reset over SSH and nothing is mailed, the reset
// waits; H1 is not offered the approval; H2, in a session of their own,
// approves it and the outbox delivers the link; the audit chain verifies.

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func TestE2E_Defence_PrivilegedReset_SecondOperatorApproves(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	const userAddr = "maris.admins@skola.example.lv"
	const subject = "Aizmirsu paroli"

	// An institution administrator: a Platform user with a running
	// institution_admin role and a confirmed address.
	conn := sqlConn(t, in)
	instID, userID := institutionUser(t, conn, 2, "Rīgas Valsts 2. ģimnāzija", "Māris", "Admins", userAddr)
	if _, err := conn.Exec(t.Context(), `
		INSERT INTO role_assignments (user_id, role, institution_id, valid_from, valid_until)
		VALUES ($1, 'institution_admin', $2, now() - interval '1 day', now() + interval '1 year')`,
		userID, instID); err != nil {
		t.Fatal(err)
	}

	h1 := in.addOperator("ilze.palidziba", "Ilze Palīdzība", "helpdesk")
	h2 := in.addOperator("karlis.palidzigs", "Kārlis Palīdzīgs", "helpdesk")
	srv, mailAddr := in.startServerWithMail()
	mailStars(t, mailAddr, "Māris Admins", userAddr, subject, "Labdien!\r\n\r\nAizmirsu Platformas paroli.\r\n\r\nMāris\r\n")
	ticketID := waitTicket(t, conn, subject, "")

	// H1 issues the reset.
	c1 := srv.mustDial(t, h1.name, ssh.PublicKeys(h1.signer))
	t1 := openTerminal(t, c1, "xterm-256color", hdCols, hdRows)
	t1.waitText(h1.header(), 0)
	mark := t1.mark()
	t1.press("2")
	t1.waitFor("the ticket in the list", mark, func(s string) bool { return strings.Contains(s, subject) })
	mark = t1.mark()
	t1.press("\r")
	t1.waitText(text(t, lv, "tui.hd.detail.title", ticketID, subject), mark)
	// The detail is drawn before the claim returns; p is refused until it has.
	t1.waitText(prefixOf(t, "tui.hd.claim.yours"), mark)
	mark = t1.mark()
	t1.press("p")
	t1.waitText(text(t, lv, "tui.hd.reset_title", ticketID), mark)
	mark = t1.mark()
	t1.press("\r")
	t1.waitText(text(t, lv, "tui.hd.done.reset", ticketID), mark)

	// It waits; nothing went to the administrator.
	var pendingID int64
	var state string
	scalar(t, conn, `SELECT id, state FROM pending_resets WHERE account_kind = 'platform_user' AND account_id = $1`,
		[]any{userID}, &pendingID, &state)
	if state != "pending" {
		t.Fatalf("pending reset %d is %q, want pending", pendingID, state)
	}
	time.Sleep(2 * time.Second) // give the outbox worker a chance to (wrongly) deliver
	for _, m := range readOutbox(t, in) {
		if strings.Contains(strings.ToLower(m.to), userAddr) && resetLinkRE.MatchString(m.body) {
			t.Fatalf("a reset link went out before the second approval: %s", m.file)
		}
	}

	// H1 is not offered the approval, and y does nothing.
	mark = t1.mark()
	t1.press("\x1b")
	t1.waitText(text(t, lv, "tui.hd.queue_title"), mark)
	mark = t1.mark()
	t1.press("a")
	t1.waitText("Šo atjaunošanu pieprasījāt jūs", mark)
	mark = t1.mark()
	t1.press("y")
	time.Sleep(500 * time.Millisecond)
	if strings.Contains(t1.screen.textSince(mark), "Apstiprināt paroles atjaunošanu") {
		t.Fatal("the requester was asked to confirm their own reset")
	}
	scalar(t, conn, `SELECT state FROM pending_resets WHERE id = $1`, []any{pendingID}, &state)
	if state != "pending" {
		t.Fatalf("after H1's y the reset is %q", state)
	}

	// H2, in a session of their own, approves.
	c2 := srv.mustDial(t, h2.name, ssh.PublicKeys(h2.signer))
	t2 := openTerminal(t, c2, "xterm-256color", hdCols, hdRows)
	t2.waitText(h2.header(), 0)
	mark = t2.mark()
	t2.press("2")
	t2.waitText(text(t, lv, "tui.hd.queue_title"), mark)
	mark = t2.mark()
	t2.press("a")
	t2.waitText("Māris Admins", mark)
	mark = t2.mark()
	t2.press("y")
	t2.waitText("Apstiprināt paroles atjaunošanu", mark)
	mark = t2.mark()
	t2.press("\r")
	t2.waitText(text(t, lv, "tui.pr.approved", pendingID), mark)

	token, delivered := waitMail(t, in, userAddr, resetLinkRE)
	t.Logf("reset link delivered after the second approval in %s", delivered.file)
	if strings.Contains(t1.screen.textSince(0)+t2.screen.textSince(0), token) {
		t.Error("a helpdesk screen showed the reset token")
	}
	scalar(t, conn, `SELECT state FROM pending_resets WHERE id = $1`, []any{pendingID}, &state)
	if state != "approved" {
		t.Errorf("the reset is %q after approval", state)
	}

	t1.press("q")
	_ = t1.waitEnd("q")
	t2.press("q")
	_ = t2.waitEnd("q")
	srv.stop()
	if res := in.run(t, "", "audit", "verify"); res.code != 0 {
		t.Errorf("audit verify: %s", res)
	}
}
