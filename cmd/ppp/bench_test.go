package main_test

// Connect-to-first-frame: how long an operator waits from dialling until
// the first full screen is there, beside the same measurement on a minimal
// wish + Bubble Tea "hello" app in the same run. The README reports the
// ratio of the two; run both together:
//
//	go test -run '^$' -bench ConnectToFirstFrame ./cmd/ppp/
//
// Both use firstFrame below, the same client code: TCP connect, SSH
// handshake with an ed25519 key, a PTY (xterm-256color, 80×24), the shell,
// reading until the frame's marker text shows, then closing the
// connection.

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	charmssh "github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/bubbletea"
	"golang.org/x/crypto/ssh"
)

// BenchmarkConnectToFirstFrame measures the back office: key sign-in (a
// database lookup), the sign-in audit entry, and the dashboard's first
// frame, read until the header shows the operator's full name.
func BenchmarkConnectToFirstFrame(b *testing.B) {
	in := newInstance(b)
	op := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	srv := in.startServer()
	benchFirstFrame(b, srv.addr, srv.hostKey, op.name, op.signer, op.header())
}

// BenchmarkConnectToFirstFrame_MinimalWish measures the baseline: a wish
// server in this process that accepts any key and runs a Bubble Tea
// program whose whole view is "hello".
func BenchmarkConnectToFirstFrame_MinimalWish(b *testing.B) {
	addr, hostKey := startHelloWish(b)
	_, signer := newKey(b)
	benchFirstFrame(b, addr, hostKey, "hello", signer, helloText)
}

// TestMinimalWish_ShowsHello checks the baseline of the benchmark: the
// minimal app answers the benchmark's client with its frame.
func TestMinimalWish_ShowsHello(t *testing.T) {
	t.Parallel()
	addr, hostKey := startHelloWish(t)
	_, signer := newKey(t)
	firstFrame(t, addr, hostKey, "hello", signer, helloText)
}

func benchFirstFrame(b *testing.B, addr string, hostKey ssh.PublicKey, user string, signer ssh.Signer, want string) {
	b.Helper()
	// One round before timing: the server's first connection warms
	// caches (database pool, prepared statements) that every later one
	// finds warm.
	firstFrame(b, addr, hostKey, user, signer, want)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		firstFrame(b, addr, hostKey, user, signer, want)
	}
}

// firstFrame connects, opens a PTY and the shell, reads until want shows,
// and closes the connection.
func firstFrame(tb testing.TB, addr string, hostKey ssh.PublicKey, user string, signer ssh.Signer, want string) {
	tb.Helper()
	client, err := dialSSH(addr, hostKey, user, ssh.PublicKeys(signer))
	if err != nil {
		tb.Fatalf("dial %s: %v", addr, err)
	}
	defer client.Close()
	term, err := startTerminal(tb, client, "xterm-256color", 80, 24)
	if err != nil {
		tb.Fatalf("%s: %v", user, err)
	}
	defer term.sess.Close()
	term.waitFor("the first frame", 0, func(s string) bool { return strings.Contains(s, want) })
}

const helloText = "hello"

// helloModel is the smallest Bubble Tea program: it shows "hello" and
// quits on q.
type helloModel struct{}

func (helloModel) Init() tea.Cmd { return nil }

func (m helloModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "q" {
		return m, tea.Quit
	}
	return m, nil
}

func (helloModel) View() string { return helloText }

// startHelloWish serves helloModel with wish on 127.0.0.1:0, with an
// ed25519 host key like the back office's, until tb ends.
func startHelloWish(tb testing.TB) (string, ssh.PublicKey) {
	tb.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "hello host key")
	if err != nil {
		tb.Fatal(err)
	}
	hostSigner, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := wish.NewServer(
		wish.WithHostKeyPEM(pem.EncodeToMemory(block)),
		wish.WithPublicKeyAuth(func(charmssh.Context, charmssh.PublicKey) bool { return true }),
		wish.WithMiddleware(bubbletea.Middleware(func(charmssh.Session) (tea.Model, []tea.ProgramOption) {
			return helloModel{}, []tea.ProgramOption{tea.WithAltScreen(), tea.WithoutSignalHandler()}
		})),
	)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		_ = srv.Close()
		<-served
	})
	return ln.Addr().String(), hostSigner.PublicKey()
}
