package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	smtp "github.com/emersion/go-smtp"
)

// The SMTP protocol itself (commands, PIPELINING, CHUNKING, dot-stuffing,
// strict <CRLF>.<CRLF> as the only end of DATA, STARTTLS, enhanced status
// codes) is github.com/emersion/go-smtp's. This file keeps our policy
// around it: who may connect (the allow-list), how many at once, for how
// long in all (an absolute session deadline on top of the per-command
// timeouts); session.go decides what is accepted and how it is stored.

// Defaults of the listener's configuration.
const (
	DefaultMaxSize        = 10 << 20
	DefaultMaxConns       = 20
	DefaultCommandTimeout = 5 * time.Minute
	DefaultDataTimeout    = 10 * time.Minute
	// DefaultSessionTimeout bounds a whole connection, however busy it
	// keeps itself (NOOP, RSET, one message after another): the relay
	// then connects again, and idle talkers cannot hold every slot.
	DefaultSessionTimeout = 15 * time.Minute
	// DefaultDeliverTimeout bounds storing one message; past it the
	// sender gets 451 and tries again later.
	DefaultDeliverTimeout = time.Minute
	maxRecipients         = 100
	// maxLine bounds command lines and the lines of a message (go-smtp
	// closes the connection past it). RFC 5321 allows 1000 octets and
	// relays fold longer ones, but a message's line costs nothing to read
	// (DATA is streamed), so mail from a sloppy sender is not refused
	// for it; a command line is buffered, 64 KiB at most.
	maxLine = 64 << 10
	// refusalWriteTimeout bounds writing the one-line refusal (allow-list,
	// connection cap) to a client that does not read.
	refusalWriteTimeout = 5 * time.Second
	// closeGrace is how long after the session deadline the server may
	// still write its closing 421.
	closeGrace = 5 * time.Second
)

// ErrRejected marks a permanent failure of a Deliver callback: the sender
// gets 554 and does not retry. Any other error is taken as temporary (451),
// so that the relaying server keeps the message and tries again.
var ErrRejected = errors.New("mailin: message rejected")

// DeliverFunc stores one accepted message. It must be idempotent (store
// once by Message-ID): a sender that missed the reply sends again.
type DeliverFunc func(ctx context.Context, raw []byte) error

// Config configures a Listener.
type Config struct {
	Addr       string   // PPP_MAIL_ADDR, e.g. ":2525"
	Hostname   string   // in the greeting and the Received: header; os.Hostname by default
	Recipients []string // accepted addresses, e.g. stars@viaa.gov.lv
	MaxSize    int64    // bytes of a message; DefaultMaxSize when 0
	MaxConns   int      // concurrent connections; DefaultMaxConns when 0
	// CommandTimeout bounds the wait for each command line.
	CommandTimeout time.Duration
	// DataTimeout bounds the whole DATA phase of one message.
	DataTimeout time.Duration
	// SessionTimeout bounds a connection from accept to close, whatever
	// it does; DefaultSessionTimeout when 0.
	SessionTimeout time.Duration
	// DeliverTimeout bounds one Deliver call; DefaultDeliverTimeout when 0.
	DeliverTimeout time.Duration
	// Allow lists the networks that may connect (PPP_MAIL_ALLOW): the
	// Agency's relay. Empty means loopback only (DefaultAllow). Others
	// are refused with 554 before anything is read from them.
	Allow []netip.Prefix
	// TLS, when set, is offered through STARTTLS (PPP_MAIL_TLS_CERT and
	// PPP_MAIL_TLS_KEY).
	TLS     *tls.Config
	Deliver DeliverFunc
	// Logger receives one line per connection refused and per message
	// received or refused, without addresses (personal data); nil
	// discards them.
	Logger *slog.Logger
}

// Listener is a receive-only SMTP server for the Agency's mail server to
// relay the helpdesk's mail to. It accepts only the configured recipients
// from the allowed hosts and relays nothing.
type Listener struct {
	cfg   Config
	rcpts map[string]bool
	allow []netip.Prefix
	slots chan struct{}
	log   *slog.Logger

	mu       sync.Mutex
	ln       net.Listener
	srv      *smtp.Server
	ctx      context.Context // Serve's; ends deliveries when the server stops
	closed   bool
	inflight sync.WaitGroup // refusals being written and deliveries running
}

// NewListener returns a listener for cfg, with defaults filled in.
func NewListener(cfg Config) *Listener {
	if cfg.MaxSize <= 0 {
		cfg.MaxSize = DefaultMaxSize
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	if cfg.CommandTimeout <= 0 {
		cfg.CommandTimeout = DefaultCommandTimeout
	}
	if cfg.DataTimeout <= 0 {
		cfg.DataTimeout = DefaultDataTimeout
	}
	if cfg.SessionTimeout <= 0 {
		cfg.SessionTimeout = DefaultSessionTimeout
	}
	if cfg.DeliverTimeout <= 0 {
		cfg.DeliverTimeout = DefaultDeliverTimeout
	}
	if cfg.Hostname == "" {
		cfg.Hostname, _ = os.Hostname()
		if cfg.Hostname == "" {
			cfg.Hostname = "localhost"
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	l := &Listener{
		cfg: cfg, rcpts: map[string]bool{}, allow: cfg.Allow, log: cfg.Logger,
		slots: make(chan struct{}, cfg.MaxConns), ctx: context.Background(),
	}
	if len(l.allow) == 0 {
		l.allow = DefaultAllow()
	}
	for _, r := range cfg.Recipients {
		if r = strings.ToLower(strings.TrimSpace(r)); r != "" {
			l.rcpts[r] = true
		}
	}
	return l
}

// ListenAndServe listens on cfg.Addr and serves until ctx ends.
func (l *Listener) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", l.cfg.Addr)
	if err != nil {
		return err
	}
	return l.Serve(ctx, ln)
}

// Serve accepts connections on ln until ctx ends or Close is called; it
// returns once the listener is closed and the deliveries under way have
// returned. It returns ln's error when accepting fails for another reason.
func (l *Listener) Serve(ctx context.Context, ln net.Listener) error {
	srv := smtp.NewServer(&backend{l: l})
	srv.Domain = l.cfg.Hostname
	srv.MaxMessageBytes = l.cfg.MaxSize
	srv.MaxRecipients = maxRecipients
	srv.MaxLineLength = maxLine
	srv.ReadTimeout = l.cfg.CommandTimeout
	srv.WriteTimeout = l.cfg.CommandTimeout
	srv.EnableSMTPUTF8 = true
	srv.TLSConfig = l.cfg.TLS
	srv.ErrorLog = errorLog{l.log}

	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		ln.Close()
		return net.ErrClosed
	}
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	l.ln, l.srv, l.ctx = ln, srv, dctx
	l.mu.Unlock()

	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	err := srv.Serve(&policyListener{Listener: ln, l: l})
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		err = nil
	}
	cancel()
	l.inflight.Wait()
	return err
}

// Addr is the address listened on, once Serve has started.
func (l *Listener) Addr() net.Addr {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return nil
	}
	return l.ln.Addr()
}

// Close stops accepting and ends the open sessions; deliveries under way
// see their context end.
func (l *Listener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.srv != nil {
		if err := l.srv.Close(); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// begin counts a delivery or refusal that Serve must wait for; false once
// the listener is closed.
func (l *Listener) begin() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.inflight.Add(1)
	return true
}

// allowed reports whether addr is in the allow-list.
func (l *Listener) allowed(addr net.Addr) bool {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	for _, p := range l.allow {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// policyListener hands go-smtp only the connections our policy lets in:
// from an allowed host, within the connection cap. Each comes wrapped in
// a deadlineConn that ends it at the session deadline and frees its slot
// when it closes.
type policyListener struct {
	net.Listener
	l *Listener
}

// Accept returns the next connection the policy admits; refused ones are
// answered and closed here, without reading anything from them.
func (p *policyListener) Accept() (net.Conn, error) {
	for {
		c, err := p.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if !p.l.allowed(c.RemoteAddr()) {
			p.l.log.Warn("mail connection refused: host not allowed (PPP_MAIL_ALLOW)", "remote", hostOf(c.RemoteAddr()))
			p.refuse(c, "554 5.7.1 "+p.l.cfg.Hostname+" does not accept mail from this host")
			continue
		}
		select {
		case p.l.slots <- struct{}{}:
		default:
			p.l.log.Warn("mail connection refused: too many connections", "remote", hostOf(c.RemoteAddr()), "max", p.l.cfg.MaxConns)
			p.refuse(c, "421 4.3.2 "+p.l.cfg.Hostname+" too many connections, try again later")
			continue
		}
		end := time.Now().Add(p.l.cfg.SessionTimeout)
		dc := &deadlineConn{Conn: c, end: end, release: func() { <-p.l.slots }}
		// The greeting is written before go-smtp sets any deadline.
		dc.SetDeadline(time.Time{})
		return dc, nil
	}
}

// refuse writes one reply line to c and closes it, in the background so
// that a client that does not read cannot stall the accept loop.
func (p *policyListener) refuse(c net.Conn, line string) {
	if !p.l.begin() {
		c.Close()
		return
	}
	go func() {
		defer p.l.inflight.Done()
		defer c.Close()
		c.SetWriteDeadline(time.Now().Add(refusalWriteTimeout))
		fmt.Fprintf(c, "%s\r\n", line)
	}()
}

// hostOf is the IP address of addr, without the port.
func hostOf(addr net.Addr) string {
	if ap, err := netip.ParseAddrPort(addr.String()); err == nil {
		return ap.Addr().Unmap().String()
	}
	return addr.String()
}

// deadlineConn is a connection with an absolute end: every deadline set on
// it (go-smtp sets one per command) is clamped to end for reads and to
// end+closeGrace for writes, so that a session ends at end however busy
// it keeps itself, with time left to say so. Close frees its slot once.
type deadlineConn struct {
	net.Conn
	end     time.Time
	release func()
	once    sync.Once
}

func (c *deadlineConn) clamp(t, end time.Time) time.Time {
	if t.IsZero() || t.After(end) {
		return end
	}
	return t
}

// SetDeadline sets both deadlines, clamped.
func (c *deadlineConn) SetDeadline(t time.Time) error {
	if err := c.Conn.SetReadDeadline(c.clamp(t, c.end)); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(c.clamp(t, c.end.Add(closeGrace)))
}

// SetReadDeadline sets the read deadline, never past the session's end.
func (c *deadlineConn) SetReadDeadline(t time.Time) error {
	return c.Conn.SetReadDeadline(c.clamp(t, c.end))
}

// SetWriteDeadline sets the write deadline, never past the session's end
// and its grace.
func (c *deadlineConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.clamp(t, c.end.Add(closeGrace)))
}

// Close closes the connection and frees its slot.
func (c *deadlineConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// errorLog passes go-smtp's internal errors (broken connections, panics
// recovered) to our logger. They name the remote host and port, never an
// address from the conversation.
type errorLog struct{ log *slog.Logger }

func (e errorLog) Printf(format string, v ...any) {
	e.log.Warn("mail listener: " + strings.TrimSpace(scrubAddresses(fmt.Sprintf(format, v...))))
}

func (e errorLog) Println(v ...any) {
	e.log.Warn("mail listener: " + strings.TrimSpace(scrubAddresses(fmt.Sprintln(v...))))
}
