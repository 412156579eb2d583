package main_test

// The end-to-end test of access denial (issue 5): denying a back-office
// operator waits for a second security officer, and once approved their
// open SSH session ends within a second (¶32: "takes effect at once,
// everywhere").

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
)

// Keys as a terminal sends them (keyEnter and keyCtrlS are the terms
// test's).
const (
	keyRight = "\x1b[C"
	keyTab   = "\t"
)

// openDenials signs the security officer in and opens the denials screen
// (the second tab of an operator who is only a security officer).
func openDenials(t *testing.T, client *ssh.Client, op *operator) *terminal {
	t.Helper()
	term := signIn(t, client, op)
	mark := term.mark()
	term.press("2")
	term.waitText(text(t, lv, "tui.den.filter.current"), mark)
	return term
}

// TestE2E_Denial_OperatorDeniedByFourEyes_SessionClosesWithinASecond:
// Ilze (a reviewer) works on her dashboard. Security officer Laura raises
// a ¶32.3 denial against her through the denials screen: it waits for
// approval and Ilze's session stays open. Security officer Māris approves
// it on his screen (select, y, enter); Ilze's session ends within a
// second of his key press, she cannot sign in again, and the audit log
// verifies.
func TestE2E_Denial_OperatorDeniedByFourEyes_SessionClosesWithinASecond(t *testing.T) {
	in := newInstance(t)
	ilze := in.addOperator("ilze", "Ilze Ozoliņa", "reviewer")
	laura := in.addOperator("laura.sec", "Laura Bērziņa", "security")
	maris := in.addOperator("maris.sec", "Māris Kalniņš", "security")
	srv := in.startServer()
	conn := sqlConn(t, in)
	ilzeID := operatorID(t, conn, ilze.name)

	ilzeTerm := signIn(t, srv.mustDial(t, ilze.name, ssh.PublicKeys(ilze.signer)), ilze)

	// Laura denies Ilze: operator, her number, ¶32.3, a note.
	l := openDenials(t, srv.mustDial(t, laura.name, ssh.PublicKeys(laura.signer)), laura)
	mark := l.mark()
	l.press("n")
	l.waitText(text(t, lv, "tui.den.deny_title"), mark)
	l.press(keyRight + keyRight) // platform user → institution → operator
	l.waitText(text(t, lv, "tui.den.kind.operator"), mark)
	l.press(keyTab + strconv.FormatInt(ilzeID, 10) + keyTab)
	mark = l.mark()
	l.press(keyRight + keyRight) // ¶32.1 → ¶32.3
	l.waitText(text(t, lv, "tui.den.ground."+string(domain.GroundCompromised)), mark)
	l.press(keyTab + "Parole nopludināta publiskā repozitorijā" + keyCtrlS)

	var denialID int64
	deadline := time.Now().Add(waitTimeout)
	for denialID == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no denial of operator %d was raised\n%s", ilzeID, l.screen.dump(mark))
		}
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		_ = conn.QueryRow(ctx, `SELECT id FROM denials WHERE subject_kind = 'operator' AND subject_id = $1`, ilzeID).Scan(&denialID)
		cancel()
		time.Sleep(20 * time.Millisecond)
	}
	l.waitText(text(t, lv, "tui.den.done.deny_waits", denialID), mark)
	var state, ground string
	scalar(t, conn, `SELECT state, ground FROM denials WHERE id = $1`, []any{denialID}, &state, &ground)
	if state != string(domain.DenialPendingApproval) || ground != string(domain.GroundCompromised) {
		t.Fatalf("denial %d is %s on ¶%s; want pending approval on ¶32.3", denialID, state, ground)
	}

	// Laura's own pending denial offers her no approval.
	mark = l.mark()
	l.press("v")
	l.waitText(text(t, lv, "tui.den.own_short"), mark)
	l.press("y")
	l.waitText(text(t, lv, "tui.den.why.own"), mark)

	// Pending, the denial has no effect: Ilze works on.
	time.Sleep(1500 * time.Millisecond)
	if ilzeTerm.ended() {
		t.Fatalf("Ilze's session ended while the denial only waited for approval\n%s", ilzeTerm.screen.dump(0))
	}
	if n := count(t, conn, `SELECT count(*) FROM operators WHERE id = $1 AND disabled`, ilzeID); n != 0 {
		t.Fatalf("Ilze is disabled before the second officer approved")
	}

	// Māris approves: the pending view, the one row, y, enter.
	m := openDenials(t, srv.mustDial(t, maris.name, ssh.PublicKeys(maris.signer)), maris)
	mark = m.mark()
	m.press("v")
	m.waitText(ilze.fullName, mark)
	m.press("y")
	m.waitText(text(t, lv, "tui.den.approve_title", denialID), mark)
	mark = m.mark()
	pressed := time.Now()
	m.press(keyEnter)
	if err := ilzeTerm.waitEnd("the approval of her denial"); err == nil {
		t.Logf("Ilze's session ended with exit status 0")
	}
	closeDelay := ilzeTerm.endedAt.Sub(pressed)
	var inForceAt time.Time
	scalar(t, conn, `SELECT state, in_force_at FROM denials WHERE id = $1`, []any{denialID}, &state, &inForceAt)
	t.Logf("Ilze's session ended %v after the approval key press (%v after in_force_at, by the database's clock on the same host)",
		closeDelay.Round(time.Millisecond), ilzeTerm.endedAt.Sub(inForceAt).Round(time.Millisecond))
	if closeDelay > time.Second {
		t.Errorf("Ilze's session ended %v after the approval; want within a second", closeDelay)
	}
	if state != string(domain.DenialInForce) {
		t.Errorf("denial %d is %s after the approval; want in force", denialID, state)
	}
	m.waitText(text(t, lv, "tui.den.done.approved", denialID), mark)

	// She cannot sign in again: refused at authentication, or the session
	// is refused before any screen.
	if client, err := srv.dial(ilze.name, ssh.PublicKeys(ilze.signer)); err == nil {
		defer client.Close()
		again, err := startTerminal(t, client, "xterm-256color", 80, 24)
		if err == nil {
			defer again.sess.Close()
			if werr := again.waitEnd("signing in while denied"); werr == nil {
				t.Errorf("a denied operator's session ended with exit status 0")
			}
			if s := again.screen.textSince(0); strings.Contains(s, text(t, lv, "tui.tab.dashboard")) {
				t.Errorf("Ilze saw the dashboard while denied:\n%s", s)
			}
		}
	}

	// Four eyes in the audit log: raised by Laura, approved by Māris.
	if n := count(t, conn, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND actor_id = $2`, strconv.FormatInt(denialID, 10), operatorID(t, conn, maris.name)); n < 1 {
		t.Errorf("no audit entry by Māris about denial %d", denialID)
	}
	auditEntries(t, in) // `ppp audit verify` exits 0
}
