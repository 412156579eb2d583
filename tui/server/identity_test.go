package server

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/viaa/ppp/domain"
	gossh "golang.org/x/crypto/ssh"
)

// fakeSession is the part of an ssh.Session that resolve looks at.
type fakeSession struct {
	ssh.Session
	user   string
	key    ssh.PublicKey
	ext    map[string]string
	stderr bytes.Buffer
	exit   int
}

func (f *fakeSession) User() string             { return f.user }
func (f *fakeSession) PublicKey() ssh.PublicKey { return f.key }
func (f *fakeSession) Stderr() io.ReadWriter    { return &f.stderr }
func (f *fakeSession) Exit(code int) error      { f.exit = code; return nil }
func (f *fakeSession) Permissions() ssh.Permissions {
	return ssh.Permissions{Permissions: &gossh.Permissions{Extensions: f.ext}}
}

func TestResolve_TrustsOnlyTheKeyTheConnectionWasAuthenticatedWith(t *testing.T) {
	ts := startServer(t)
	fpIlze := gossh.FingerprintSHA256(ts.ilzeKey.PublicKey())
	for _, tc := range []struct {
		name string
		sess *fakeSession
		ok   bool
	}{
		{"own key", &fakeSession{user: "ilze", key: ts.ilzeKey.PublicKey(), ext: map[string]string{extOperatorID: "1", extMethod: "publickey", extFingerprint: fpIlze}}, true},
		{"noted key is not the key used", &fakeSession{user: "ilze", key: ts.malKey.PublicKey(), ext: map[string]string{extOperatorID: "1", extMethod: "publickey", extFingerprint: fpIlze}}, false},
		{"no key at all", &fakeSession{user: "ilze", ext: map[string]string{extOperatorID: "1", extMethod: "publickey", extFingerprint: fpIlze}}, false},
		{"operator of another name", &fakeSession{user: "ilze", ext: map[string]string{extOperatorID: "2", extMethod: "password"}}, false},
		{"no method", &fakeSession{user: "ilze", ext: map[string]string{extOperatorID: "1"}}, false},
		{"no extensions", &fakeSession{user: "ilze"}, false},
		{"password", &fakeSession{user: "ilze", ext: map[string]string{extOperatorID: "1", extMethod: "password"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, _, ok := ts.srv.resolve(&session{Session: tc.sess, ctx: context.Background()})
			if ok != tc.ok {
				t.Fatalf("resolved %v (%v), want %v", ok, op, tc.ok)
			}
			if !ok && (tc.sess.exit != 1 || !strings.Contains(tc.sess.stderr.String(), "Sign-in failed")) {
				t.Errorf("refusal: exit %d, message %q", tc.sess.exit, tc.sess.stderr.String())
			}
		})
	}
}

func TestResolve_DisabledOrLockedOperator_IsTurnedAwayInTheirLanguage(t *testing.T) {
	ts := startServer(t)
	sess := func() *fakeSession {
		return &fakeSession{user: "ilze", ext: map[string]string{extOperatorID: "1", extMethod: "password"}}
	}
	ts.ops.Update(1, func(op *domain.Operator) { op.Disabled = true })
	s := sess()
	if _, _, ok := ts.srv.resolve(&session{Session: s, ctx: context.Background()}); ok || !strings.Contains(s.stderr.String(), "Jūsu konts ir atspējots") {
		t.Errorf("disabled: ok %v, message %q", ok, s.stderr.String())
	}
	ts.ops.Update(1, func(op *domain.Operator) {
		op.Disabled, op.LockedUntil, op.Language = false, time.Now().Add(time.Minute), "en"
	})
	s = sess()
	if _, _, ok := ts.srv.resolve(&session{Session: s, ctx: context.Background()}); ok || !strings.Contains(s.stderr.String(), "Your account is locked") {
		t.Errorf("locked: ok %v, message %q", ok, s.stderr.String())
	}
}
