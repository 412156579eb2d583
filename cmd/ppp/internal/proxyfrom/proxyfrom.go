// Package proxyfrom accepts connections that come through a TCP load
// balancer speaking the PROXY protocol (v1 or v2, parsed by
// github.com/pires/go-proxyproto), and only those: a connection from an
// address outside the balancers' ranges is closed at once, and one from
// inside them must open with a PROXY header, read within a time limit,
// before Accept hands it on. The connection handed on reports the client's
// address from the header as its RemoteAddr, so everything that counts by
// address (sign-in throttling and lockout, the per-address connection
// caps, the sign-in history, the API's throttle) sees the client, not the
// balancer.
package proxyfrom

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	proxyproto "github.com/pires/go-proxyproto"
)

// Defaults of Config. A balancer sends the header with the connection's
// first bytes, so a second is plenty on a LAN; MaxPending is the SSH
// server's cap on unauthenticated connections.
const (
	DefaultHeaderTimeout = 3 * time.Second
	DefaultMaxPending    = 256
)

// refusalLogEvery bounds how often refusals are logged: a flood must not
// flood the log too.
const refusalLogEvery = 10 * time.Second

// Config configures a Listener.
type Config struct {
	// From are the ranges the balancers connect from; a connection from
	// anywhere else is closed unread. It must not be empty.
	From []netip.Prefix
	// HeaderTimeout bounds the wait for the whole PROXY header (default
	// DefaultHeaderTimeout).
	HeaderTimeout time.Duration
	// MaxPending caps the connections whose header is still awaited;
	// over it, new connections are closed at once (default
	// DefaultMaxPending).
	MaxPending int
	// Name says which listener a log line is about ("ssh", "api").
	Name string
	// Logger receives refusals, counted and at most one line every ten
	// seconds, without addresses (default slog.Default()).
	Logger *slog.Logger
}

// BadEntry is ParseFrom's error: the entry that is neither a CIDR range
// nor an IP address ("" when the list holds no entry at all).
type BadEntry string

func (e BadEntry) Error() string {
	if e == "" {
		return "proxyfrom: no range given"
	}
	return fmt.Sprintf("proxyfrom: %q is not a CIDR range or an IP address", string(e))
}

// ParseFrom parses a comma-separated list of CIDR ranges (a bare address
// is a range of one), as PPP_PROXY_FROM gives them. It returns a BadEntry
// naming the first entry that is neither, or "" when the list is empty.
func ParseFrom(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(part)
		if err != nil {
			addr, aerr := netip.ParseAddr(part)
			if aerr != nil || addr.Zone() != "" {
				return nil, BadEntry(part)
			}
			addr = addr.Unmap()
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		if pfx.Addr().Is4In6() {
			pfx = netip.PrefixFrom(pfx.Addr().Unmap(), pfx.Bits()-96)
		}
		out = append(out, pfx.Masked())
	}
	if len(out) == 0 {
		return nil, BadEntry("")
	}
	return out, nil
}

// Listener is a net.Listener that hands on only connections from
// Config.From that opened with a valid PROXY header.
type Listener struct {
	inner   net.Listener
	cfg     Config
	ready   chan net.Conn
	pending chan struct{} // one token per connection whose header is awaited
	done    chan struct{} // closed by Close or when the inner listener fails

	mu      sync.Mutex
	err     error          // why Accept returns nothing more
	refused map[string]int // since the last log line, by reason
	logged  time.Time
}

// Listen wraps inner; it starts accepting from inner at once. Close closes
// inner.
func Listen(inner net.Listener, cfg Config) *Listener {
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = DefaultHeaderTimeout
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	l := &Listener{inner: inner, cfg: cfg, ready: make(chan net.Conn), pending: make(chan struct{}, cfg.MaxPending),
		done: make(chan struct{}), refused: map[string]int{}}
	go l.acceptLoop()
	return l
}

// Accept returns the next connection whose header has been read. After
// Close it returns net.ErrClosed; after the inner listener failed, its
// error.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ready:
		return c, nil
	case <-l.done:
		l.mu.Lock()
		defer l.mu.Unlock()
		return nil, l.err
	}
}

// Close closes the inner listener; connections still awaiting their
// header are closed as they finish.
func (l *Listener) Close() error {
	err := l.inner.Close()
	l.stop(net.ErrClosed)
	return err
}

// Addr returns the inner listener's address.
func (l *Listener) Addr() net.Addr { return l.inner.Addr() }

func (l *Listener) stop(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
		close(l.done)
	}
}

// acceptLoop accepts from inner, closes connections from outside
// Config.From at once, and reads each other connection's header in a
// goroutine of its own, so that a slow one holds up nobody.
func (l *Listener) acceptLoop() {
	var backoff time.Duration
	for {
		c, err := l.inner.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && !errors.Is(err, net.ErrClosed) && ne.Timeout() || isTemporary(err) {
				// Out of file descriptors and the like: wait, as
				// net/http does, rather than give up serving.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				select {
				case <-time.After(backoff):
					continue
				case <-l.done:
					return
				}
			}
			l.stop(err)
			return
		}
		backoff = 0
		if !l.fromBalancer(c.RemoteAddr()) {
			_ = c.Close()
			l.refuse("source")
			continue
		}
		select {
		case l.pending <- struct{}{}:
		default:
			_ = c.Close()
			l.refuse("pending")
			continue
		}
		go l.readHeader(c)
	}
}

// isTemporary reports whether err is one of the accept errors a server
// waits out (too many open files, a connection aborted before accept).
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// fromBalancer reports whether a is in Config.From.
func (l *Listener) fromBalancer(a net.Addr) bool {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	for _, p := range l.cfg.From {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// readHeader reads c's header within Config.HeaderTimeout and hands the
// connection to Accept, or closes it.
func (l *Listener) readHeader(c net.Conn) {
	defer func() { <-l.pending }()
	pc := proxyproto.NewConn(c,
		proxyproto.WithPolicy(proxyproto.REQUIRE),
		proxyproto.SetReadHeaderTimeout(l.cfg.HeaderTimeout),
		proxyproto.ValidateHeader(validHeader))
	// ProxyHeader reads the header (once) and is nil when it is missing,
	// malformed, late or not valid; a LOCAL header is returned too.
	if pc.ProxyHeader() == nil {
		_ = c.Close()
		l.refuse("header")
		return
	}
	select {
	case l.ready <- pc:
	case <-l.done:
		_ = c.Close()
	}
}

// validHeader accepts the LOCAL command (the connection is the
// balancer's own; its address stays the balancer's) and PROXY for TCP
// over IPv4 or IPv6 only: a header that names no TCP client (UNIX, UDP,
// UNSPEC) would leave the balancer's address standing for a client.
func validHeader(h *proxyproto.Header) error {
	if h.Command.IsLocal() {
		return nil
	}
	if !h.TransportProtocol.IsStream() || !(h.TransportProtocol.IsIPv4() || h.TransportProtocol.IsIPv6()) {
		return errors.New("proxyfrom: the PROXY header names no TCP client")
	}
	if _, ok := h.SourceAddr.(*net.TCPAddr); !ok {
		return errors.New("proxyfrom: the PROXY header names no TCP client")
	}
	return nil
}

// refuse counts a refusal and logs the counts at most every
// refusalLogEvery. No address is logged: a count says enough, and a
// client's address is personal data.
func (l *Listener) refuse(reason string) {
	l.mu.Lock()
	l.refused[reason]++
	now := time.Now()
	if now.Sub(l.logged) < refusalLogEvery {
		l.mu.Unlock()
		return
	}
	counts := l.refused
	l.refused, l.logged = map[string]int{}, now
	l.mu.Unlock()
	l.cfg.Logger.Warn("connections refused: PPP_PROXY_FROM is set", "listener", l.cfg.Name,
		"not_from_balancer", counts["source"], "no_valid_proxy_header", counts["header"],
		"too_many_awaiting_header", counts["pending"])
}
