package server

import (
	"context"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/domain/passhash"
	"github.com/viaa/ppp/tui/internal/fakes"
	gossh "golang.org/x/crypto/ssh"
)

// TestServer_PasswordLockedOperator_SignsInByKey: anyone can fail five
// passwords in someone's name; that locks the password, not the key
// (issue 13). A disabled operator's key is still refused.
func TestServer_PasswordLockedOperator_SignsInByKey(t *testing.T) {
	ts := startServer(t)
	ts.ops.Update(ts.ilze.ID, func(op *domain.Operator) { op.LockedUntil = time.Now().Add(time.Hour) })
	if _, err := ts.dial("ilze", gossh.Password(goodPassword)); err == nil {
		t.Fatal("the locked password signed in")
	}
	c, err := ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "xterm", nil, true)
	s.waitFor(t, "Pārskats", 3*time.Second)
	waitCalls(t, "sign-ins", ts.signIns, "ilze publickey")

	ts.ops.Update(ts.mallory.ID, func(op *domain.Operator) { op.Disabled = true })
	if c, err := ts.dial("mallory", gossh.PublicKeys(ts.malKey)); err == nil {
		s := openScreen(t, c, "xterm", nil, true)
		if err := s.waitEnd(t, 3*time.Second); err == nil {
			t.Error("a disabled operator's key opened a session")
		}
		c.Close()
	}
}

// TestServer_DatabaseDown_ThePromptSaysSo_AndNothingIsCounted: a password
// typed while the database cannot be reached was answered like a wrong
// one. Now the prompt comes again with an instruction saying why, in both
// languages, in the same authentication round (the client's tries are not
// used up), and the next answer is checked once the database is back.
func TestServer_DatabaseDown_ThePromptSaysSo_AndNothingIsCounted(t *testing.T) {
	ts := startServer(t)
	ts.auth.FailNext("authenticate", domain.Errorf(domain.EUNAVAILABLE, "", "the database is not available"))
	var mu sync.Mutex
	var instructions []string
	c, err := ts.dial("ilze", gossh.KeyboardInteractive(func(_, instruction string, questions []string, _ []bool) ([]string, error) {
		mu.Lock()
		instructions = append(instructions, instruction)
		mu.Unlock()
		return slices.Repeat([]string{goodPassword}, len(questions)), nil
	}))
	if err != nil {
		t.Fatalf("the password after the database came back did not sign in: %v", err)
	}
	defer c.Close()
	want := i18n.For(i18n.LV).T("auth.db_unavailable") + " / " + i18n.For(i18n.EN).T("auth.db_unavailable")
	if len(instructions) != 2 || instructions[0] != "" || instructions[1] != want {
		t.Fatalf("instructions %q, want none and then %q", instructions, want)
	}
	if !strings.Contains(want, "database") || !strings.Contains(want, "datubāz") {
		t.Errorf("the instruction %q does not say what is wrong in both languages", want)
	}
	s := openScreen(t, c, "xterm", nil, true)
	s.waitFor(t, "Pārskats", 3*time.Second)
	if _, answers := ts.auth.NoSessionCalls(); len(answers) != 1 {
		t.Errorf("answers checked %q, want only the one after the database came back", answers)
	}
}

// TestServer_AuthenticatedWithoutSession_IsRecorded: a client that
// authenticates and hangs up without opening a session (or opens one
// without a terminal) used to leave no trace: a way to test passwords
// unseen. Now the connection's end records it, once per connection.
func TestServer_AuthenticatedWithoutSession_IsRecorded(t *testing.T) {
	ts := startServer(t)
	noSessions := func() []string { n, _ := ts.auth.NoSessionCalls(); return n }

	c, err := ts.dial("ilze", answering(goodPassword))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	waitCalls(t, "authentications without a session", noSessions, "1 password no session")

	c, err = ts.dial("mallory", gossh.PublicKeys(ts.malKey))
	if err != nil {
		t.Fatal(err)
	}
	s := openScreen(t, c, "", nil, false) // no PTY: refused
	_ = s.waitEnd(t, 3*time.Second)
	c.Close()
	waitCalls(t, "authentications without a session", noSessions, "2 publickey no terminal")

	// A real session is a sign-in, not recorded as without one.
	c, err = ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey))
	if err != nil {
		t.Fatal(err)
	}
	s = openScreen(t, c, "xterm", nil, true)
	s.waitFor(t, "Pārskats", 3*time.Second)
	c.Close()
	waitCalls(t, "sign-outs", ts.signOuts, "ilze dropped")
	time.Sleep(100 * time.Millisecond)
	if got := noSessions(); len(got) != 2 {
		t.Errorf("authentications without a session %q, want the two above", got)
	}
}

// rawConn opens a TCP connection from the loopback address local without
// an SSH handshake, and reports whether the server greeted it with its
// version line (true) or closed it at once (false).
func rawConn(t *testing.T, addr, local string) (net.Conn, bool) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 3 * time.Second}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 8)
	n, err := io.ReadFull(conn, buf)
	if err == nil && string(buf[:n]) == "SSH-2.0-" {
		return conn, true
	}
	return conn, false
}

// TestServer_UnauthenticatedConnections_CappedPerAddressAndInTotal: every
// connection that has not authenticated holds a goroutine and handshake
// state; nothing capped them. Over the cap per source address, or in
// total, a connection is closed before the handshake; one that
// authenticates, or leaves, frees its place.
func TestServer_UnauthenticatedConnections_CappedPerAddressAndInTotal(t *testing.T) {
	ts := startServer(t, func(cfg *Config, _ *testServer) { cfg.MaxUnauth, cfg.MaxUnauthPerAddr = 4, 2 })
	var open []net.Conn
	greeted := func(local string) bool {
		conn, ok := rawConn(t, ts.addr, local)
		open = append(open, conn)
		return ok
	}

	if ok1, ok2, ok3 := greeted("127.0.0.1"), greeted("127.0.0.1"), greeted("127.0.0.1"); !ok1 || !ok2 || ok3 {
		t.Fatalf("from one address: greeted %v %v %v, want the third closed", ok1, ok2, ok3)
	}
	if ok4, ok5, ok6 := greeted("127.0.0.2"), greeted("127.0.0.2"), greeted("127.0.0.3"); !ok4 || !ok5 || ok6 {
		t.Fatalf("in total: greeted %v %v %v, want the fifth closed", ok4, ok5, ok6)
	}

	// One leaves: its place is free again.
	_ = open[0].Close()
	deadline := time.Now().Add(3 * time.Second)
	for !greeted("127.0.0.3") {
		if time.Now().After(deadline) {
			t.Fatal("the place of a closed connection was not freed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range open {
		_ = c.Close()
	}
	open = nil

	// Authenticated connections do not count: three signed in from one
	// address leave its two places free.
	for range 3 {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.5")}, Timeout: 3 * time.Second}
		var c *gossh.Client
		var err error
		for end := time.Now().Add(3 * time.Second); ; {
			var conn net.Conn
			if conn, err = d.Dial("tcp", ts.addr); err == nil {
				var cc gossh.Conn
				var chans <-chan gossh.NewChannel
				var reqs <-chan *gossh.Request
				cc, chans, reqs, err = gossh.NewClientConn(conn, ts.addr, &gossh.ClientConfig{
					User: "ilze", Auth: []gossh.AuthMethod{gossh.PublicKeys(ts.ilzeKey)},
					HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 3 * time.Second,
				})
				if err == nil {
					c = gossh.NewClient(cc, chans, reqs)
					break
				}
			}
			if time.Now().After(end) { // the earlier raw connections may still be leaving
				t.Fatalf("key sign-in from 127.0.0.5: %v", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		defer c.Close()
	}
	if ok1, ok2, ok3 := greeted("127.0.0.5"), greeted("127.0.0.5"), greeted("127.0.0.5"); !ok1 || !ok2 || ok3 {
		t.Fatalf("beside three authenticated connections: greeted %v %v %v, want two", ok1, ok2, ok3)
	}
}

// hashingAuth hashes every password answer through passhash's gate with
// the deadline the server gives it, as storage's AuthService does.
type hashingAuth struct {
	*fakes.Auth
}

func (a hashingAuth) AuthenticateAnswer(ctx context.Context, name, answer, remoteAddr string) (*domain.Operator, bool, error) {
	if err := passhash.DummyVerifyContext(ctx); err != nil {
		return nil, false, domain.Errorf(domain.EUNAUTHORIZED, "auth.failed", "sign-in failed")
	}
	return a.Auth.AuthenticateAnswer(ctx, name, answer, remoteAddr)
}

// TestServer_ParallelPasswordAttempts_OneHashAtATime_WaitsEndAtTheDeadline:
// 24 clients answering the password prompt at once never have more hashes
// running than the gate allows, and every one has its answer within the
// server's deadline for an attempt (plus one hash), not after everyone
// else's hashes.
func TestServer_ParallelPasswordAttempts_OneHashAtATime_WaitsEndAtTheDeadline(t *testing.T) {
	defer passhash.SetConcurrency(passhash.SetConcurrency(1))
	ts := startServer(t, func(cfg *Config, ts *testServer) {
		cfg.AuthTimeout = 300 * time.Millisecond
		ts.authSvc = hashingAuth{ts.auth}
	})
	passhash.ResetPeak()
	before := passhash.ReadStats()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var slowest time.Duration
	for range 24 {
		wg.Go(func() {
			var asked time.Time
			start := time.Now()
			_, err := ts.dial("ilze", gossh.KeyboardInteractive(func(_, _ string, q []string, _ []bool) ([]string, error) {
				asked = time.Now()
				return slices.Repeat([]string{"Nepareiza-1"}, len(q)), nil
			}))
			if err == nil {
				t.Error("a wrong password signed in")
			}
			if asked.IsZero() {
				t.Errorf("never asked for the password (%v after %v)", err, time.Since(start))
				return
			}
			mu.Lock()
			slowest = max(slowest, time.Since(asked))
			mu.Unlock()
		})
	}
	wg.Wait()
	s := passhash.ReadStats()
	if s.Peak > 1 {
		t.Errorf("%d hashes ran at once, want 1", s.Peak)
	}
	if s.GaveUp == before.GaveUp {
		t.Error("no attempt gave up waiting: the deadline did not reach the hashing")
	}
	t.Logf("%d hashed, %d gave up; the slowest answer came %v after the password", s.Done-before.Done, s.GaveUp-before.GaveUp, slowest)
}
