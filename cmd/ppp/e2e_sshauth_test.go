package main_test

// End to end, through the real binary and SSH clients: a flood of wrong
// passwords for one operator is recorded attempt by attempt and locks the
// account; the right password is refused then, the operator's key is not;
// `ppp operator unlock` lifts the lock (issue 13, "SSH before sign-in").

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"golang.org/x/crypto/ssh"
)

// dialFrom is dialSSH from the loopback address local (all of 127/8 is
// the loopback), so that a test can play several source addresses.
func dialFrom(s *server, local, user string, auth ...ssh.AuthMethod) (*ssh.Client, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: waitTimeout}
	conn, err := d.Dial("tcp", s.addr)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(2 * waitTimeout))
	cc, chans, reqs, err := ssh.NewClientConn(conn, s.addr, &ssh.ClientConfig{
		User: user, Auth: auth, HostKeyCallback: ssh.FixedHostKey(s.hostKey),
	})
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return ssh.NewClient(cc, chans, reqs), nil
}

// answer is a keyboard-interactive client that answers every question
// with password and counts the answers it sent.
func answer(password string, sent *atomic.Int64) ssh.AuthMethod {
	return ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
		out := make([]string, len(questions))
		for i := range out {
			out[i] = password
		}
		if sent != nil {
			sent.Add(int64(len(questions)))
		}
		return out, nil
	})
}

func TestE2E_SignInFlood_EveryAttemptRecorded_AccountLocked_KeyAndUnlockStillWork(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	op := in.addOperator("ilze.uzbrukta", "Ilze Uzbrukta", "reviewer")
	srv := in.startServer()

	// 16 connections at once, each trying three wrong passwords.
	const conns, tries = 16, 3
	var sent atomic.Int64
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			c, err := dialFrom(srv, "127.0.0.1", op.name, ssh.RetryableAuthMethod(answer("Nepareiza-Parole-"+string(rune('A'+i)), &sent), tries))
			if err == nil {
				c.Close()
				t.Error("a wrong password signed in")
			}
		})
	}
	wg.Wait()
	if n := sent.Load(); n != conns*tries {
		t.Fatalf("%d answers sent, want %d (a connection was refused?)", n, conns*tries)
	}

	db := openDB(t, in)
	count := func(query string) int64 {
		var n int64
		if err := db.Pool().QueryRow(t.Context(), query, op.name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM sign_in_attempts WHERE operator_name = $1 AND NOT success AND NOT pending`); n != sent.Load() {
		t.Errorf("%d failed attempts recorded for %d sent", n, sent.Load())
	}
	if n := count(`SELECT (SELECT count(*) FROM audit_log WHERE action = '` + domain.AuditSignInFailure + `' AND subject_id = $1)
	                    + (SELECT count(*) FROM audit_pending WHERE action = '` + domain.AuditSignInFailure + `' AND subject_id = $1)`); n != sent.Load() {
		t.Errorf("%d auth.failure entries for %d attempts", n, sent.Load())
	}
	if n := count(`SELECT count(*) FROM operators WHERE name = $1 AND locked_until > now()`); n != 1 {
		t.Fatal("the account is not locked after the flood")
	}

	// The right password, from an address with no failures of its own,
	// is refused while the account is locked.
	if c, err := dialFrom(srv, "127.0.0.2", op.name, answer(op.password, nil)); err == nil {
		c.Close()
		t.Fatal("the right password signed in while the account is locked")
	}
	// The key is not stopped by the lock, even from the flooding address.
	signIn(t, srv.mustDial(t, op.name, ssh.PublicKeys(op.signer)), op)

	// An administrator lifts the lock; the password works again.
	res := in.mustRun(t, "", "operator", "unlock", op.name)
	if want := text(t, en, "cli.operator.unlocked", op.name); res.stdout != want+"\n" {
		t.Errorf("unlock printed %q, want %q", res.stdout, want)
	}
	if n := count(`SELECT count(*) FROM audit_log WHERE action = '` + domain.AuditOperatorUnlock + `' AND subject_id = $1`); n != 1 {
		t.Errorf("%d operator.unlock entries, want 1", n)
	}
	c, err := dialFrom(srv, "127.0.0.2", op.name, answer(op.password, nil))
	if err != nil {
		t.Fatalf("the right password after the unlock: %v", err)
	}
	defer c.Close()
	signIn(t, c, op)
	res = in.mustRun(t, "", "operator", "unlock", op.name)
	if want := text(t, en, "cli.operator.not_locked", op.name); res.stdout != want+"\n" {
		t.Errorf("second unlock printed %q, want %q", res.stdout, want)
	}
}
