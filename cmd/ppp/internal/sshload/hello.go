package sshload

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	charmssh "github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/bubbletea"
)

// helloText is the baseline app's first frame.
const helloText = "hello"

// helloPrompt comes before the text typed into the baseline app.
const helloPrompt = "> "

// ServeHello serves the baseline of `ppp bench` on addr until ctx ends: a
// minimal wish server that accepts any public key and runs, per session, a
// Bubble Tea program showing "hello" and echoing what is typed (ctrl+u
// clears it, ctrl+c ends the session). hostKeyFile is its host key in
// OpenSSH format, created when missing. It returns an error when the key
// cannot be read or addr cannot be listened on, and nil once ctx ends and
// the server has shut down.
func ServeHello(ctx context.Context, addr, hostKeyFile string) error {
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(hostKeyFile),
		wish.WithPublicKeyAuth(func(charmssh.Context, charmssh.PublicKey) bool { return true }),
		wish.WithMiddleware(bubbletea.Middleware(func(charmssh.Session) (tea.Model, []tea.ProgramOption) {
			return helloModel{}, []tea.ProgramOption{tea.WithAltScreen(), tea.WithoutSignalHandler()}
		})),
	)
	if err != nil {
		return fmt.Errorf("hello server: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("hello server: listen on %s: %w", addr, err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("hello server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("hello server: shut down: %w", err)
	}
	_ = srv.Close()
	<-served
	return nil
}

// helloModel is the smallest Bubble Tea program that echoes typing.
type helloModel struct{ typed string }

func (helloModel) Init() tea.Cmd { return nil }

func (m helloModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	switch k.Type {
	case tea.KeyCtrlC:
		return m, tea.Quit
	case tea.KeyCtrlU:
		m.typed = ""
	case tea.KeyRunes:
		m.typed += string(k.Runes)
	}
	return m, nil
}

func (m helloModel) View() string { return helloText + "\n" + helloPrompt + m.typed }
