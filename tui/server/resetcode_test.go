package server

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/fakes"
	gossh "golang.org/x/crypto/ssh"
)

// codeAuth is a fake AuthService whose prompt answers may also be a
// one-time reset code, as storage's: once, for one operator.
type codeAuth struct {
	*fakes.Auth
	mu       sync.Mutex
	name     string
	code     string
	redeemed []string // "name remote-address"
}

func (a *codeAuth) AuthenticateAnswer(ctx context.Context, name, answer, remoteAddr string) (*domain.Operator, bool, error) {
	a.mu.Lock()
	if a.code == "" || name != a.name || !bytes.Equal(domain.HashOperatorResetCode(answer), domain.HashOperatorResetCode(a.code)) {
		a.mu.Unlock()
		return a.Auth.AuthenticateAnswer(ctx, name, answer, remoteAddr)
	}
	a.code = ""
	a.redeemed = append(a.redeemed, name+" "+remoteAddr)
	a.mu.Unlock()
	op, err := a.Ops.FindOperatorByName(ctx, name)
	return op, true, err
}

func answering(s string) gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
		out := make([]string, len(questions))
		for i := range out {
			out[i] = s
		}
		return out, nil
	})
}

func TestServer_ResetCodeSignIn_ForcesPasswordChange_ListsProblems_ThenDashboard(t *testing.T) {
	const code = "ABCDEFGH23"
	var ca *codeAuth
	ts := startServer(t, func(_ *Config, ts *testServer) {
		ca = &codeAuth{Auth: ts.auth, name: "ilze", code: code}
		ts.authSvc = ca
	})
	// Someone else's code, and a wrong one, do not open a session.
	if _, err := ts.dial("mallory", answering(code)); err == nil {
		t.Fatal("signed in with another operator's code")
	}
	if _, err := ts.dial("ilze", answering("ZZZZZZZZZZ")); err == nil {
		t.Fatal("signed in with a wrong code")
	}
	c, err := ts.dial("ilze", answering(strings.ToLower(code[:5])+"-"+code[5:]))
	if err != nil {
		t.Fatalf("the code did not sign in: %v", err)
	}
	defer c.Close()
	if len(ca.redeemed) != 1 || ca.redeemed[0] != "ilze 127.0.0.1" {
		t.Errorf("redeemed %q, want once for ilze from 127.0.0.1", ca.redeemed)
	}
	// The code works once.
	if _, err := ts.dial("ilze", answering(code)); err == nil {
		t.Fatal("the code worked twice")
	}

	s := openScreen(t, c, "xterm-256color", nil, true)
	s.waitFor(t, "Jānomaina parole", 3*time.Second)
	if strings.Contains(s.text(), "Pārskats") {
		t.Fatalf("the dashboard shows before the new password:\n%s", s.text())
	}
	// q and esc do not get past the screen.
	_, _ = s.stdin.Write([]byte("q\x1b"))
	time.Sleep(100 * time.Millisecond)

	_, _ = s.stdin.Write([]byte("\x15parole\tparole\r"))
	s.waitFor(t, "vismaz 9 simbolus", 3*time.Second)
	s.waitFor(t, "lielais latīņu", time.Second)
	if strings.Contains(s.text(), "Pārskats") {
		t.Fatalf("a weak password opened the dashboard:\n%s", s.text())
	}

	// Different twice: refused on the screen.
	bs := strings.Repeat("\x7f", 40)
	_, _ = s.stdin.Write([]byte("\x1b[Z" + bs + goodPassword + "\t" + bs + goodPassword + "x\r"))
	s.waitFor(t, "Paroles nesakrīt.", 3*time.Second)

	// The same good password twice.
	_, _ = s.stdin.Write([]byte(bs + goodPassword + "\r"))
	s.waitFor(t, "Parole nomainīta.", 3*time.Second)
	s.waitFor(t, "Pārskats", time.Second)
	if op, _ := ts.ops.FindOperatorByName(context.Background(), "ilze"); !op.HasPassword {
		t.Error("the new password was not stored")
	}
	waitCalls(t, "sign-ins", ts.signIns, "ilze password")
}

func TestServer_ACodeTheAuthServiceDoesNotTakeIsJustAWrongPassword(t *testing.T) {
	ts := startServer(t)
	if _, err := ts.dial("ilze", answering("ABCDEFGH23")); err == nil {
		t.Fatal("signed in with a code the AuthService did not take")
	}
}
