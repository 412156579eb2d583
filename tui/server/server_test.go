package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	gossh "golang.org/x/crypto/ssh"
)

const goodPassword = "Zaļš-Kalns-42"

// testServer is a server on 127.0.0.1 with fake services: operator "ilze"
// (admin, key and password) and "mallory" (reviewer, key).
type testServer struct {
	srv      *Server
	addr     string
	ops      *fakes.Operators
	auth     *fakes.Auth
	feed     *fakes.Feed
	ilze     *domain.Operator
	mallory  *domain.Operator
	ilzeKey  gossh.Signer
	malKey   gossh.Signer
	authSvc  domain.AuthService
	served   chan error
	shutdown sync.Once
}

type serverOpt func(*Config, *testServer)

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func startServer(t *testing.T, opts ...serverOpt) *testServer {
	t.Helper()
	ts := &testServer{ops: fakes.NewOperators(), feed: fakes.NewFeed(), served: make(chan error, 1)}
	ts.auth = fakes.NewAuth(ts.ops)
	ts.authSvc = ts.auth
	ts.ilze = ts.ops.Add(&domain.Operator{Name: "ilze", FullName: "Ilze Bērziņa", Roles: []domain.Role{domain.RoleAdmin}, Language: "lv"})
	ts.mallory = ts.ops.Add(&domain.Operator{Name: "mallory", FullName: "Mallory", Roles: []domain.Role{domain.RoleReviewer}, Language: "en"})
	ts.ilzeKey, ts.malKey = newSigner(t), newSigner(t)
	ts.ops.AddKey("ilze", ts.ilzeKey.PublicKey())
	ts.ops.AddKey("mallory", ts.malKey.PublicKey())
	ts.auth.SetPassword("ilze", goodPassword)

	cfg := Config{
		HostKeyPath: filepath.Join(t.TempDir(), "keys", "host_ed25519"),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&cfg, ts)
	}
	srv, err := New(cfg, common.Services{Operators: ts.ops, Auth: ts.authSvc, Audit: fakes.NewAudit(3), Dashboard: &fakes.Dashboard{}, Feed: ts.feed})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.srv, ts.addr = srv, ln.Addr().String()
	go func() { ts.served <- srv.Serve(ln) }()
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

func (ts *testServer) stop(t *testing.T) {
	ts.shutdown.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := ts.srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-ts.served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
}

func (ts *testServer) dial(user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

// screen is an interactive session read as a person would see it, except
// that it never answers a terminal query.
type screen struct {
	sess  *gossh.Session
	stdin io.WriteCloser
	mu    sync.Mutex
	out   bytes.Buffer
	done  chan error
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.Strip(s.out.String())
}

func (s *screen) raw() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

func (s *screen) waitFor(t *testing.T, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if strings.Contains(s.text(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %q on screen within %v; screen:\n%s", want, within, s.text())
}

func (s *screen) waitEnd(t *testing.T, within time.Duration) error {
	t.Helper()
	select {
	case err := <-s.done:
		return err
	case <-time.After(within):
		t.Fatalf("session still open after %v; screen:\n%s", within, s.text())
		return nil
	}
}

func openScreen(t *testing.T, c *gossh.Client, term string, env map[string]string, pty bool) *screen {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	s := &screen{sess: sess, done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = s, s
	if s.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if pty {
		if err := sess.RequestPty(term, 24, 80, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- sess.Wait() }()
	t.Cleanup(func() { _ = sess.Close() })
	return s
}

func waitCalls(t *testing.T, what string, get func() []string, want string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if slices.Contains(get(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s %v lack %q", what, get(), want)
}

func (ts *testServer) signIns() []string  { in, _ := ts.auth.Calls(); return in }
func (ts *testServer) signOuts() []string { _, out := ts.auth.Calls(); return out }

func TestServer_KeySignIn_FirstFrameArrivesWithoutAnsweringTerminalQueries(t *testing.T) {
	ts := startServer(t)
	c, err := ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	s := openScreen(t, c, "xterm", nil, true)
	// Nothing is written to the session: a terminal that answers no query.
	s.waitFor(t, "Ilze Bērziņa (ilze)", 3*time.Second)
	s.waitFor(t, "Pārskats", time.Second)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("first frame took %v", d)
	}
	if !strings.Contains(s.raw(), "\x1b[?1049h") {
		t.Error("the program did not switch to the alternate screen")
	}
	waitCalls(t, "sign-ins", ts.signIns, "ilze publickey")

	if _, err := s.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := s.waitEnd(t, 3*time.Second); err != nil {
		t.Errorf("session ended with %v after q", err)
	}
	waitCalls(t, "sign-outs", ts.signOuts, "ilze quit")
}

func TestServer_KeyboardInteractivePassword_SignsIn_WithTheBilingualPrompt(t *testing.T) {
	ts := startServer(t)
	var prompts []string
	var echoed []bool
	answer := func(pw string) gossh.AuthMethod {
		return gossh.KeyboardInteractive(func(_, _ string, questions []string, echos []bool) ([]string, error) {
			prompts = append(prompts, questions...)
			echoed = append(echoed, echos...)
			out := make([]string, len(questions))
			for i := range out {
				out[i] = pw
			}
			return out, nil
		})
	}
	if _, err := ts.dial("ilze", answer("wrong-Password-1!")); err == nil {
		t.Fatal("signed in with a wrong password")
	}
	c, err := ts.dial("ilze", answer(goodPassword))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(prompts) == 0 || prompts[0] != "Parole / Password: " || echoed[0] {
		t.Errorf("prompts %q echo %v, want the bilingual prompt without echo", prompts, echoed)
	}
	s := openScreen(t, c, "xterm-256color", nil, true)
	s.waitFor(t, "Pārskats", 3*time.Second)
	waitCalls(t, "sign-ins", ts.signIns, "ilze password")
}

func TestServer_PasswordMethod_SignsIn(t *testing.T) {
	ts := startServer(t)
	if _, err := ts.dial("ilze", gossh.Password("nope")); err == nil {
		t.Fatal("signed in with a wrong password")
	}
	c, err := ts.dial("ilze", gossh.Password(goodPassword))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "dumb", nil, true)
	s.waitFor(t, "Pārskats", 3*time.Second)
	if strings.Contains(s.raw(), "\x1b[1;36m") {
		t.Error("TERM=dumb got colours")
	}
}

// offeredKey presents someone else's public key but cannot sign for it: its
// signatures are made with a different key and fail verification.
type offeredKey struct {
	pub   gossh.PublicKey
	other gossh.Signer
}

func (k offeredKey) PublicKey() gossh.PublicKey { return k.pub }
func (k offeredKey) Sign(r io.Reader, data []byte) (*gossh.Signature, error) {
	return k.other.Sign(r, data)
}

// anyKeyAuth is a careless AuthService that approves a key for whichever
// operator owns it, whatever user name the client gave: the server must
// still not hand out an identity for a key the client only offered.
type anyKeyAuth struct {
	*fakes.Auth
	ops *fakes.Operators
}

func (a anyKeyAuth) OperatorForKey(ctx context.Context, _ string, fp string) (*domain.Operator, error) {
	for _, name := range []string{"ilze", "mallory"} {
		if slices.Contains(a.ops.Fingerprints(name), fp) {
			return a.ops.FindOperatorByName(ctx, name)
		}
	}
	return nil, domain.Errorf(domain.EUNAUTHORIZED, "auth.failed", "no")
}

func TestServer_OfferedKeyNotOwned_IsNeverResolvedAsItsOperator(t *testing.T) {
	for _, careless := range []bool{false, true} {
		name := "strict auth"
		if careless {
			name = "careless auth"
		}
		t.Run(name, func(t *testing.T) {
			ts := startServer(t, func(_ *Config, ts *testServer) {
				if careless {
					ts.authSvc = anyKeyAuth{Auth: ts.auth, ops: ts.ops}
				}
			})
			// Mallory offers ilze's public key first, then signs in with
			// her own.
			stolen := offeredKey{pub: ts.ilzeKey.PublicKey(), other: ts.malKey}
			for _, user := range []string{"mallory", "ilze"} {
				c, err := ts.dial(user, gossh.PublicKeys(stolen, ts.malKey))
				if err != nil {
					continue // not let in at all: fine
				}
				s := openScreen(t, c, "xterm", nil, true)
				_ = s.waitEnd
				time.Sleep(300 * time.Millisecond)
				if strings.Contains(s.text(), "Ilze") {
					t.Errorf("user %q: the session shows ilze's identity:\n%s", user, s.text())
				}
				c.Close()
			}
			time.Sleep(100 * time.Millisecond)
			for _, in := range ts.signIns() {
				if strings.HasPrefix(in, "ilze ") {
					t.Errorf("signed in as ilze without her private key: %v", ts.signIns())
				}
			}
			if !careless && !slices.Contains(ts.signIns(), "mallory publickey") {
				t.Errorf("mallory's own sign-in missing: %v", ts.signIns())
			}
		})
	}
}

func TestServer_DisabledOperator_SessionClosesWithinASecond(t *testing.T) {
	ts := startServer(t)
	c, err := ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "xterm", nil, true)
	s.waitFor(t, "Pārskats", 3*time.Second)

	ts.ops.Update(ts.ilze.ID, func(op *domain.Operator) { op.Disabled = true })
	start := time.Now()
	ts.feed.Publish(domain.Change{Topic: domain.TopicOperator, ID: "1"})
	s.waitEnd(t, time.Second)
	if d := time.Since(start); d > time.Second {
		t.Errorf("session closed after %v", d)
	}
	if !strings.Contains(s.text(), "piekļuve jūsu kontam ir liegta") {
		t.Errorf("no message saying why:\n%s", s.text())
	}
	waitCalls(t, "sign-outs", ts.signOuts, "ilze disabled")

	// And a disabled operator cannot come back.
	if _, err := ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey)); err == nil {
		t.Error("a disabled operator signed in again")
	}
}

func TestServer_RoleChange_ReachesTheOpenSession(t *testing.T) {
	ts := startServer(t)
	c, err := ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "dumb", nil, true)
	s.waitFor(t, "Darbinieki", 3*time.Second)
	ts.ops.Update(ts.ilze.ID, func(op *domain.Operator) { op.Roles = []domain.Role{domain.RoleEditor} })
	ts.feed.Publish(domain.Change{Topic: domain.TopicOperator, ID: "1"})
	s.waitFor(t, "redaktors", 2*time.Second)
}

func TestServer_Shutdown_TellsEverySessionAndEndsIt(t *testing.T) {
	ts := startServer(t)
	var screens []*screen
	for _, user := range []string{"ilze", "mallory"} {
		key := ts.ilzeKey
		if user == "mallory" {
			key = ts.malKey
		}
		c, err := ts.dial(user, gossh.PublicKeys(key))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		s := openScreen(t, c, "xterm", nil, true)
		s.waitFor(t, "DB:", 3*time.Second)
		screens = append(screens, s)
	}
	start := time.Now()
	ts.stop(t)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Shutdown took %v", d)
	}
	for i, s := range screens {
		s.waitEnd(t, 2*time.Second)
		want := []string{"Serveris tiek apturēts", "The server is stopping"}[i]
		if !strings.Contains(s.text(), want) {
			t.Errorf("session %d was not told %q:\n%s", i, want, s.text())
		}
	}
	for _, want := range []string{"ilze shutdown", "mallory shutdown"} {
		waitCalls(t, "sign-outs", ts.signOuts, want)
	}
	if _, err := ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey)); err == nil {
		t.Error("connected after shutdown")
	}
	if n := ts.feed.Subscribers(); n != 0 {
		t.Errorf("%d feed subscriptions left open after shutdown", n)
	}
}

func TestServer_SessionWithoutPty_GetsOneLineAndExits(t *testing.T) {
	ts := startServer(t)
	c, err := ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "", nil, false)
	err = s.waitEnd(t, 3*time.Second)
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("exit %v, want status 1", err)
	}
	if got := strings.TrimSpace(s.text()); !strings.Contains(got, "ssh -t") || strings.Count(got, "\n") != 0 {
		t.Errorf("want one line mentioning ssh -t, got %q", got)
	}
	if len(ts.signIns()) != 0 {
		t.Errorf("a session without a terminal was signed in: %v", ts.signIns())
	}
}

func TestServer_Inactivity_EndsTheSessionWithAMessage(t *testing.T) {
	ts := startServer(t, func(c *Config, _ *testServer) { c.IdleTimeout = 400 * time.Millisecond })
	c, err := ts.dial("mallory", gossh.PublicKeys(ts.malKey))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "xterm", nil, true)
	s.waitFor(t, "Dashboard", 3*time.Second)
	s.waitEnd(t, 3*time.Second)
	if !strings.Contains(s.text(), "inactivity") {
		t.Errorf("no inactivity message:\n%s", s.text())
	}
	waitCalls(t, "sign-outs", ts.signOuts, "mallory idle")
}

func TestServer_MaxSession_EndsTheSession(t *testing.T) {
	ts := startServer(t, func(c *Config, _ *testServer) { c.MaxSession = 500 * time.Millisecond })
	c, err := ts.dial("mallory", gossh.PublicKeys(ts.malKey))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "xterm", nil, true)
	s.waitFor(t, "Dashboard", 3*time.Second)
	s.waitEnd(t, 3*time.Second)
	if !strings.Contains(s.text(), "maximum length") {
		t.Errorf("no message:\n%s", s.text())
	}
	waitCalls(t, "sign-outs", ts.signOuts, "mallory max")
}

func TestServer_ResizeAndNoColor(t *testing.T) {
	ts := startServer(t)
	c, err := ts.dial("ilze", gossh.PublicKeys(ts.ilzeKey))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "xterm-256color", map[string]string{"NO_COLOR": "1"}, true)
	s.waitFor(t, "Pārskats", 3*time.Second)
	if err := s.sess.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	// At 100 columns the language tag moves to column 100 of the tab line.
	tabs := "[1 Pārskats]  2 Darbinieki   3 Audita žurnāls"
	s.waitFor(t, tabs+strings.Repeat(" ", 100-ansi.StringWidth(tabs)-2)+"LV", 3*time.Second)
	if strings.Contains(s.raw(), "\x1b[1;36m") || strings.Contains(s.raw(), "\x1b[92m") {
		t.Error("NO_COLOR session got colours")
	}
}

func TestHostKey_IsCreatedOnceAndReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "host")
	k1, err := hostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := hostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if k1.PublicKey().Type() != gossh.KeyAlgoED25519 || !bytes.Equal(k1.PublicKey().Marshal(), k2.PublicKey().Marshal()) {
		t.Error("host key not ed25519 or not reused")
	}
}
