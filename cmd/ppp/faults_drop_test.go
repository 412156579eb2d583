//go:build faults

package main_test

import (
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"golang.org/x/crypto/ssh"
)

// TestFaults_DroppedClient_FormOpen_ReleasesClaimDecidesNothing: Anna
// opens (claims) a request and opens its approval form, and then her
// connection is reset at the TCP level (RST, no SSH close, no key press),
// as when a laptop's network goes. Within a few seconds the claim is
// released, with a 'released' event in the request's history; nothing
// was decided (the request is pending, with no approval event, audit
// entry or e-mail); Jānis can then claim it. The dropped connection
// without a form (a plain close) is TestE2E_RoleRequest_DroppedConnection_
// ReleasesClaim, which make test-faults runs too.
func TestFaults_DroppedClient_FormOpen_ReleasesClaimDecidesNothing(t *testing.T) {
	faultsCluster(t)
	in := newInstance(t)
	anna := in.addOperator(annaName, annaFullName, "reviewer")
	janis := in.addOperator(janisName, janisFullName, "reviewer")
	form := rrApplicant()
	applicant := form.FirstName + " " + form.LastName
	id := submitPending(t, in, form)
	srv := in.startServer()
	conn := sqlConn(t, in)
	annaID, janisID := operatorID(t, conn, anna.name), operatorID(t, conn, janis.name)

	// Anna's connection, dialled by hand so the test can reset it.
	raw, err := net.DialTimeout("tcp", srv.addr, waitTimeout)
	if err != nil {
		t.Fatal(err)
	}
	cc, chans, reqs, err := ssh.NewClientConn(raw, srv.addr, &ssh.ClientConfig{
		User:            anna.name,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(anna.signer)},
		HostKeyCallback: ssh.FixedHostKey(srv.hostKey),
	})
	if err != nil {
		t.Fatal(err)
	}
	annaClient := ssh.NewClient(cc, chans, reqs)
	t.Cleanup(func() { _ = annaClient.Close() })
	a := openQueue(t, annaClient, anna, applicant)
	b := openQueue(t, srv.mustDial(t, janis.name, ssh.PublicKeys(janis.signer)), janis, applicant)

	mark := a.mark()
	a.press("\r")
	a.waitText(prefixOf(t, "tui.rr.claim.yours"), mark)
	mark = a.mark()
	a.press("a")
	a.waitText(text(t, lv, "tui.rr.field.valid_until"), mark)
	if by, _ := claimOf(t, conn, id); by != annaID {
		t.Fatalf("with the approval form open the database says claimed_by=%d; want Anna (%d)", by, annaID)
	}

	// The network goes: a reset, no SSH goodbye.
	if err := raw.(*net.TCPConn).SetLinger(0); err != nil {
		t.Fatal(err)
	}
	dropped := time.Now()
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	for {
		if by, _ := claimOf(t, conn, id); by == 0 {
			break
		}
		if time.Since(dropped) > waitTimeout {
			t.Fatalf("request %d still claimed by Anna %v after her connection was reset\n%s", id, waitTimeout, srv.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	released := time.Since(dropped)
	t.Logf("the claim was released %v after the connection was reset", released.Round(time.Millisecond))
	if released > releaseWithin {
		t.Errorf("the claim was released %v after the reset; want within %v", released.Round(time.Millisecond), releaseWithin)
	}

	// Nothing was decided.
	var state string
	scalar(t, conn, `SELECT state FROM role_requests WHERE id = $1`, []any{id}, &state)
	if state != "pending" {
		t.Errorf("request %d is %q after the drop; want pending", id, state)
	}
	if n := count(t, conn, `SELECT count(*) FROM role_request_events WHERE request_id = $1 AND action IN ('approved', 'rejected')`, id); n != 0 {
		t.Errorf("%d decision events for request %d after the drop; want none", n, id)
	}
	if n := count(t, conn, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action IN ('`+domain.AuditRoleRequestApprove+`', '`+domain.AuditRoleRequestReject+`')`, strconv.FormatInt(id, 10)); n != 0 {
		t.Errorf("%d decision audit entries for request %d after the drop; want none", n, id)
	}
	if n := count(t, conn, `SELECT count(*) FROM outbox WHERE to_addr = $1 AND template IN ('rolerequest.approved', 'rolerequest.rejected')`, form.Email); n != 0 {
		t.Errorf("%d decision e-mails to the applicant after the drop; want none", n)
	}
	if n := count(t, conn, `SELECT count(*) FROM role_request_events WHERE request_id = $1 AND action = 'released' AND actor_id = $2`, id, annaID); n != 1 {
		t.Errorf("%d 'released' events by Anna in request %d's history; want 1", n, id)
	}

	// Jānis takes it.
	mark = b.mark()
	b.press("\r")
	b.waitText(prefixOf(t, "tui.rr.claim.yours"), mark)
	if by, _ := claimOf(t, conn, id); by != janisID {
		t.Fatalf("after Jānis opened the released request the database says claimed_by=%d; want Jānis (%d)", by, janisID)
	}
	select {
	case <-a.done:
	case <-time.After(waitTimeout):
		t.Errorf("Anna's session did not end within %v of the reset", waitTimeout)
	}
	b.press("\x1b")
	time.Sleep(200 * time.Millisecond) // esc and q together read as alt+q
	b.press("q")
	if err := b.waitEnd("q"); err != nil {
		t.Errorf("q should end Jānis's session with exit status 0; Wait returned %v", err)
	}
	auditEntries(t, in)
}
