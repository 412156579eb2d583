package main_test

// End-to-end test of the reviewers' IMK eligibility queue (issue 4): an
// application is put into review the way the Platform does it
// (storage.IMKService.ApplyIMK, then one run of the automatic check while
// the registers do not answer), a reviewer signs in over a real SSH
// connection with a PTY on the built binary, opens the IMK screen and the
// application (claiming it), sees each rule's verdict with its source,
// and approves it with a reason. The database then holds the application
// approved by the reviewer, the audit entry of the decision, and an
// intact audit chain.

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// The IMK screen is the third a reviewer has: the dashboard, role
// requests, IMK.
const imkTabKey = "3"

// imkInReview applies for an IMK in the instance's database and runs the
// automatic check once with every register failing, which must send the
// application to review rather than decide it. It returns the id.
func imkInReview(t *testing.T, in *instance, code, first, last, email string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	db, err := storage.Open(ctx, in.dbURL)
	if err != nil {
		t.Fatalf("open the test's database: %v", err)
	}
	defer db.Close()
	id, err := storage.NewIMKService(db, nil).ApplyIMK(ctx, code, first, last, email)
	if err != nil {
		t.Fatalf("apply for an IMK: %v", err)
	}
	down := storage.NewMirrorRegisters(db, storage.Outage{FailureRate: 1}, rand.NewPCG(1, 2))
	if n, err := storage.NewIMKChecker(db, down).RunOnce(ctx, 10); err != nil || n != 1 {
		t.Fatalf("the automatic check processed %d applications (err %v); want 1", n, err)
	}
	var state string
	scalar(t, sqlConn(t, in), `SELECT state FROM imk_applications WHERE id = $1`, []any{id}, &state)
	if state != string(domain.IMKNeedsReview) {
		t.Fatalf("with the registers down the application is %q; want needs_review", state)
	}
	return id
}

// TestE2E_IMK_ReviewerApprovesWithReason_OverSSH: the reviewer sees the
// application in the IMK queue with its masked personal code, opens it
// (the database records the claim), sees the rules with the verdict
// "nav zināms" and the Population Register as the source, and approves
// with a reason after confirming. The application is then approved,
// decided by the reviewer, with the reason and no claim; the audit log
// holds the decision by the reviewer; `ppp audit verify` exits 0.
func TestE2E_IMK_ReviewerApprovesWithReason_OverSSH(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	rev := in.addOperator("marta.liepa", "Marta Liepa", "reviewer")
	const (
		code   = "180565-05610"
		first  = "Ģirts"
		last   = "Šķēle"
		reason = "VID izziņa apliecina nodarbinātību"
	)
	applicant := first + " " + last
	id := imkInReview(t, in, code, first, last, "girts.skele@example.lv")
	srv := in.startServer()
	conn := sqlConn(t, in)
	revID := operatorID(t, conn, rev.name)

	term := openTerminal(t, srv.mustDial(t, rev.name, ssh.PublicKeys(rev.signer)), "xterm-256color", 80, 24)
	term.waitText(rev.header(), 0)
	mark := term.mark()
	term.press(imkTabKey)
	term.waitFor("the IMK queue with the application", mark, func(s string) bool {
		return strings.Contains(s, text(t, lv, "tui.imk.col.why")) && strings.Contains(s, applicant)
	})
	if s := term.screen.textSince(mark); !strings.Contains(s, domain.MaskPersonalCode(code)) || strings.Contains(s, code) {
		t.Errorf("the list should show the personal code masked (%s), never in full\n%s", domain.MaskPersonalCode(code), term.screen.dump(mark))
	}

	// Open it: the claim is the reviewer's, and the rules show.
	mark = term.mark()
	term.press("\r")
	term.waitText(text(t, lv, "tui.imk.detail.title", id, applicant), mark)
	term.waitText(prefixOf(t, "tui.imk.claim.yours"), mark)
	term.waitFor("a rule's verdict and its register", mark, func(s string) bool {
		return strings.Contains(s, "? "+text(t, lv, "tui.imk.verdict.unknown")) &&
			strings.Contains(s, text(t, lv, "tui.imk.register.population"))
	})
	var claimedBy *int64
	scalar(t, conn, `SELECT claimed_by FROM imk_applications WHERE id = $1`, []any{id}, &claimedBy)
	if claimedBy == nil || *claimedBy != revID {
		t.Fatalf("after opening application %d the database says claimed_by=%s; want the reviewer (%d)", id, ptrText(claimedBy), revID)
	}

	// Approve: a, the reason, enter, then enter on the confirmation.
	mark = term.mark()
	term.press("a")
	term.waitText(text(t, lv, "tui.imk.approve_title", id, applicant), mark)
	term.press(reason)
	mark = term.mark()
	term.press("\r")
	term.waitText(text(t, lv, "tui.imk.confirm_keys"), mark)
	mark = term.mark()
	term.press("\r")
	term.waitText(text(t, lv, "tui.imk.approved", id), mark)

	var state, gotReason string
	var decidedBy *int64
	scalar(t, conn, `SELECT state, decided_by, coalesce(reason, ''), claimed_by FROM imk_applications WHERE id = $1`,
		[]any{id}, &state, &decidedBy, &gotReason, &claimedBy)
	switch {
	case state != string(domain.IMKApproved):
		t.Errorf("application %d is %q; want approved", id, state)
	case decidedBy == nil || *decidedBy != revID:
		t.Errorf("application %d decided_by = %s; want the reviewer (%d)", id, ptrText(decidedBy), revID)
	case gotReason != reason:
		t.Errorf("application %d reason = %q; want %q", id, gotReason, reason)
	case claimedBy != nil:
		t.Errorf("application %d is still claimed by %d after the decision", id, *claimedBy)
	}
	subject := strconv.FormatInt(id, 10)
	if n := count(t, conn, `
		SELECT count(*) FROM audit_log
		 WHERE action LIKE 'imk.approve%' AND subject_kind = 'imk_application' AND subject_id = $1 AND actor_id = $2`,
		subject, revID); n != 1 {
		t.Errorf("%d audit entries of the approval of application %d by the reviewer; want exactly 1", n, id)
	}

	term.press("q")
	if err := term.waitEnd("q"); err != nil {
		t.Errorf("q should end the session with exit status 0; Wait returned %v", err)
	}
	auditEntries(t, in) // `ppp audit verify` exits 0
}
