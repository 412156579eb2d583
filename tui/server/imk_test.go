package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	gossh "golang.org/x/crypto/ssh"
)

// TestServer_SessionEnd_ReleasesTheIMKApplicationsItHolds: the IMK
// service gets the session's claims back when the session ends (its
// ReleaseSessionClaims, part of domain.IMKService), without a role-request
// service configured.
func TestServer_SessionEnd_ReleasesTheIMKApplicationsItHolds(t *testing.T) {
	ops, feed := fakes.NewOperators(), fakes.NewFeed()
	auth := fakes.NewAuth(ops)
	rr := fakes.NewIMK()
	rr.Add(&domain.IMKApplication{FirstName: "Līga", LastName: "Kalniņa", PersonalCode: "180565-05610", AppliedAt: time.Now().Add(-time.Hour)})
	reviewer := ops.Add(&domain.Operator{Name: "janis", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleReviewer}, Language: "en"})
	key := newSigner(t)
	ops.AddKey("janis", key.PublicKey())

	srv, err := New(Config{
		HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, common.Services{Operators: ops, Auth: auth, Audit: fakes.NewAudit(0), Dashboard: &fakes.Dashboard{}, Feed: feed, IMK: rr})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})

	c, err := gossh.Dial("tcp", ln.Addr().String(), &gossh.ClientConfig{
		User: "janis", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := openScreen(t, c, "dumb", nil, true)
	s.waitFor(t, "2 IMK", 3*time.Second)
	if _, err := s.stdin.Write([]byte("2")); err != nil {
		t.Fatal(err)
	}
	s.waitFor(t, "Līga Kalniņa", 2*time.Second)
	if _, err := s.stdin.Write([]byte("\r")); err != nil {
		t.Fatal(err)
	}
	s.waitFor(t, "You hold this application", 2*time.Second)
	if r := rr.Get(1); r.ClaimedBy != reviewer.ID {
		t.Fatalf("the application is held by %d", r.ClaimedBy)
	}
	// q ends the session with the application still open: the server gives
	// the claim back.
	if _, err := s.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := s.waitEnd(t, 3*time.Second); err != nil {
		t.Errorf("session ended with %v", err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for rr.Get(1).ClaimedBy != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if r := rr.Get(1); r.ClaimedBy != 0 {
		t.Errorf("the claim outlived the session: held by %d", r.ClaimedBy)
	}
	if got := rr.SessionReleases(); len(got) != 1 || got[0] == "" {
		t.Errorf("session releases %v", got)
	}
}
