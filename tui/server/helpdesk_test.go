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

// TestServer_DroppedSession_ReleasesItsTicketAtOnce proves issue 14's
// finding fixed: HelpdeskService.ReleaseSessionClaims had no caller, so a
// ticket held by a session whose connection dropped stayed held for the
// whole lease (15 minutes). Every queue's claims are now given back when a
// session ends, through the interface itself.
func TestServer_DroppedSession_ReleasesItsTicketAtOnce(t *testing.T) {
	ops, feed := fakes.NewOperators(), fakes.NewFeed()
	auth := fakes.NewAuth(ops)
	hd := fakes.NewHelpdesk()
	hd.Add(&domain.Ticket{Subject: "Nevaru pieslēgties", From: "liga@example.lv", CreatedAt: time.Now().Add(-time.Hour)})
	helper := ops.Add(&domain.Operator{Name: "ilze", FullName: "Ilze Bērziņa", Roles: []domain.Role{domain.RoleHelpdesk}, Language: "en"})
	key := newSigner(t)
	ops.AddKey("ilze", key.PublicKey())

	srv, err := New(Config{
		HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, common.Services{Operators: ops, Auth: auth, Audit: fakes.NewAudit(0), Dashboard: &fakes.Dashboard{}, Feed: feed, Helpdesk: hd})
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
		User: "ilze", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	s := openScreen(t, c, "dumb", nil, true)
	s.waitFor(t, "2 Helpdesk", 3*time.Second)
	if _, err := s.stdin.Write([]byte("2")); err != nil {
		t.Fatal(err)
	}
	s.waitFor(t, "Nevaru pieslēgties", 2*time.Second)
	if _, err := s.stdin.Write([]byte("\r")); err != nil {
		t.Fatal(err)
	}
	s.waitFor(t, "You hold it", 2*time.Second)
	if tk := hd.Get(1); tk.ClaimedBy != helper.ID {
		t.Fatalf("the ticket is held by %d", tk.ClaimedBy)
	}
	// The connection drops with the ticket open: no q, no esc.
	c.Close()
	deadline := time.Now().Add(3 * time.Second)
	for hd.Get(1).ClaimedBy != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if tk := hd.Get(1); tk.ClaimedBy != 0 {
		t.Errorf("the claim outlived the session: held by %d until %v", tk.ClaimedBy, tk.ClaimExpiresAt)
	}
	if got := hd.SessionReleases(); len(got) != 1 || got[0] == "" {
		t.Errorf("session releases %v", got)
	}
}
