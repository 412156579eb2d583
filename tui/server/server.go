// Package server is the back office's SSH server: it authenticates agency
// employees by key or password against the domain services, resolves who
// they are only after authentication has succeeded, and runs one Bubble Tea
// program per session with styles from that session's own renderer.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	gossh "golang.org/x/crypto/ssh"
)

// ErrServerClosed is returned by Serve and ListenAndServe after Shutdown.
var ErrServerClosed = ssh.ErrServerClosed

// Defaults of Config.
const (
	DefaultIdleTimeout = app.DefaultIdleTimeout
	DefaultMaxSession  = 12 * time.Hour
	DefaultAuthTimeout = 5 * time.Second
	// handshakeTimeout closes a connection that has not authenticated in
	// time, so that half-open connections cannot pile up.
	handshakeTimeout = 2 * time.Minute
	// shutdownLimit bounds the whole of Shutdown.
	shutdownLimit = 30 * time.Second
)

// Config configures the server.
type Config struct {
	// Addr is the address ListenAndServe listens on, e.g. ":2222".
	Addr string
	// HostKeyPath is the server's ed25519 host key (OpenSSH PEM). It is
	// generated when missing; empty means a new key for every start.
	HostKeyPath string
	// HostKey, when set, is the host key and HostKeyPath is not used:
	// the key several instances share (LoadHostKeyFile).
	HostKey gossh.Signer
	// IdleTimeout ends a session after this long without a key press
	// (default 15 minutes). Socket traffic does not count.
	IdleTimeout time.Duration
	// MaxSession ends a session this long after it started, whatever it
	// is doing (default 12 hours).
	MaxSession time.Duration
	// AuthTimeout bounds each password attempt (its throttle and its wait
	// for a hashing slot; its record has a deadline of its own) and each
	// database call made during authentication (default 5 seconds).
	AuthTimeout time.Duration
	// Logger receives operational events; never passwords or personal
	// data (default slog.Default()).
	Logger *slog.Logger
	// MaxUnauth and MaxUnauthPerAddr cap the connections that have not
	// authenticated yet, in total and per source address (defaults
	// DefaultMaxUnauth and DefaultMaxUnauthPerAddr): a connection over
	// either is closed before the SSH handshake.
	MaxUnauth        int
	MaxUnauthPerAddr int
	// TrustedProxies are source addresses every client comes through (an
	// SSH bastion, a TCP load balancer) and so are exempt from the cap
	// per address; give the AuthService the same list.
	TrustedProxies []netip.Prefix
	// SignIns, when set, is told of every sign-in's method and outcome
	// (SignInSuccess …), for the metrics; it must not block. A key the
	// client only offers is not a sign-in and is not told.
	SignIns func(method domain.SignInMethod, outcome string)
}

// Outcomes of a sign-in, as Config.SignIns is told them.
const (
	// SignInSuccess: a session started.
	SignInSuccess = "success"
	// SignInFailure: a password or one-time code was refused (wrong, or
	// the account locked, or the address blocked: the client is told
	// none of these apart, and neither are the metrics).
	SignInFailure = "failure"
	// SignInRefused: authenticated, but no session started: the operator
	// is disabled or locked, the identity did not check out, or the
	// sign-in could not be recorded.
	SignInRefused = "refused"
	// SignInUnavailable: the database could not be reached to judge a
	// password.
	SignInUnavailable = "unavailable"
)

// SignInOutcomes lists every outcome, for metrics that start each at 0.
var SignInOutcomes = []string{SignInSuccess, SignInFailure, SignInRefused, SignInUnavailable}

// signIn tells Config.SignIns, when set, of a sign-in by one of the two
// methods (anything else was no sign-in).
func (s *Server) signIn(method domain.SignInMethod, outcome string) {
	if s.cfg.SignIns != nil && (method == domain.SignInPublicKey || method == domain.SignInPassword) {
		s.cfg.SignIns(method, outcome)
	}
}

// OpenSessions returns how many sessions are open now.
func (s *Server) OpenSessions() int {
	s.sessions.mu.Lock()
	defer s.sessions.mu.Unlock()
	return s.sessions.count
}

// Server is the SSH server.
type Server struct {
	cfg      Config
	svc      common.Services
	log      *slog.Logger
	ssh      *ssh.Server
	sessions *registry
	unauth   *unauthGate
	conns    sync.WaitGroup // one per connection, until what its end records is recorded

	mu        sync.Mutex
	addr      net.Addr
	closed    bool
	accepting []chan struct{} // one per Serve call; closed once it accepts
	watching  bool
	stopWatch func()
	watchDone chan struct{}
}

// New returns a server for cfg and svc, generating the host key when it is
// missing. Each session's screens get the same svc; an optional service
// that is nil (or a nil pointer) hides its screens. It returns an error
// when a required service is missing or the host key cannot be read or
// written.
func New(cfg Config, svc common.Services) (*Server, error) {
	svc = svc.Normalized()
	if svc.Operators == nil || svc.Auth == nil || svc.Audit == nil || svc.Dashboard == nil || svc.Feed == nil {
		return nil, errors.New("server: every service (Operators, Auth, Audit, Dashboard, Feed) is required")
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxSession <= 0 {
		cfg.MaxSession = DefaultMaxSession
	}
	if cfg.AuthTimeout <= 0 {
		cfg.AuthTimeout = DefaultAuthTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUnauth <= 0 {
		cfg.MaxUnauth = DefaultMaxUnauth
	}
	if cfg.MaxUnauthPerAddr <= 0 {
		cfg.MaxUnauthPerAddr = DefaultMaxUnauthPerAddr
	}
	signer := cfg.HostKey
	var err error
	if signer == nil {
		if signer, err = hostKey(cfg.HostKeyPath); err != nil {
			return nil, fmt.Errorf("server: host key: %w", err)
		}
	}
	s := &Server{cfg: cfg, svc: svc, log: cfg.Logger, sessions: newRegistry(),
		unauth: newUnauthGate(cfg.MaxUnauth, cfg.MaxUnauthPerAddr, cfg.TrustedProxies)}
	session := chain(s.handleSession, s.recoverMiddleware, s.requirePty, s.identify)
	s.ssh, err = wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithVersion("PPP"),
		// The host key is given here: without one, wish would write a new
		// key into the working folder.
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		wish.WithPublicKeyAuth(s.publicKeyHandler),
		wish.WithPasswordAuth(s.passwordHandler),
		wish.WithKeyboardInteractiveAuth(s.keyboardInteractiveHandler),
		// A backstop only: sessions end themselves at MaxSession, with a
		// message; this deadline cuts the connection shortly after.
		wish.WithMaxTimeout(cfg.MaxSession+time.Minute),
		// The session middlewares (identity, PTY, program) run as one wish
		// middleware: they end the session themselves, so next is unused.
		wish.WithMiddleware(func(ssh.Handler) ssh.Handler { return session }),
	)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.ssh.ConnCallback = s.connCallback
	s.ssh.ServerConfigCallback = s.serverConfig
	return s, nil
}

// Serve accepts connections on ln until Shutdown; it returns
// ErrServerClosed then, or the listener's error.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		return ErrServerClosed
	}
	s.addr = ln.Addr()
	started := make(chan struct{})
	s.accepting = append(s.accepting, started)
	s.mu.Unlock()
	s.startWatch()
	sl := &startListener{Listener: ln, started: started}
	defer sl.once.Do(func() { close(started) }) // Serve may fail before accepting
	return s.ssh.Serve(sl)
}

// startListener tells when Serve has begun accepting: the ssh package
// registers a listener just before its first Accept, and shutting down
// before that races with the registration.
type startListener struct {
	net.Listener
	started chan struct{}
	once    sync.Once
}

// Accept accepts a connection, noting the first call.
func (l *startListener) Accept() (net.Conn, error) {
	l.once.Do(func() { close(l.started) })
	return l.Listener.Accept()
}

// ListenAndServe listens on Config.Addr and serves.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Addr returns the address the server listens on, or nil before Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Shutdown tells every session that the server is stopping (in the
// session's language), lets the programs end, stops accepting connections
// and closes the rest. It returns within 30 seconds, or sooner when ctx
// ends, with ctx's error in that case.
func (s *Server) Shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, shutdownLimit)
	defer cancel()
	s.mu.Lock()
	s.closed = true
	accepting := s.accepting
	s.mu.Unlock()
	for _, started := range accepting {
		select {
		case <-started:
		case <-ctx.Done():
		}
	}
	s.sessions.close(app.ReasonShutdown)
	s.sessions.waitEmpty(ctx, 10*time.Second)

	// Sessions are over; connections may linger until their clients hang
	// up, so give them a moment and then cut them.
	sctx, scancel := context.WithTimeout(ctx, 2*time.Second)
	err := s.ssh.Shutdown(sctx)
	scancel()
	if cerr := s.ssh.Close(); err == nil || errors.Is(err, context.DeadlineExceeded) {
		err = cerr
	}
	s.endWatch()
	// Connections that ended without a session are being recorded.
	recorded := make(chan struct{})
	go func() { s.conns.Wait(); close(recorded) }()
	select {
	case <-recorded:
	case <-ctx.Done():
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}
