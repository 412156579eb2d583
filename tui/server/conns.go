package server

import (
	"context"
	"maps"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/viaa/ppp/domain"
	gossh "golang.org/x/crypto/ssh"
)

// Defaults of the caps on connections that have not authenticated yet.
// Each holds a goroutine and the handshake's state (tens of KB) and may
// wait for a password hash; the caps bound what a flood of them costs.
// Opening 20 sessions at once from one address (the fault tests do) stays
// well inside them.
const (
	DefaultMaxUnauth        = 256
	DefaultMaxUnauthPerAddr = 32
)

// refusalLogEvery bounds how often refused connections are logged: a
// flood must not flood the log too.
const refusalLogEvery = 10 * time.Second

// connState is what the server follows about one connection, from accept
// to close. It lives in the connection's context.
type connState struct {
	release func() // gives back the place among unauthenticated connections; idempotent

	mu       sync.Mutex
	signedIn bool   // a session reached the back office
	why      string // why the last session that did not, did not
	// password holds the extensions of a successful password or
	// keyboard-interactive authentication, copied when it succeeded: a
	// client that hangs up at once may end the connection before the
	// server's side of the handshake has finished, and its sign-in must
	// be recorded all the same.
	password map[string]string
}

type connStateKey struct{}

func stateOf(ctx context.Context) *connState {
	st, _ := ctx.Value(connStateKey{}).(*connState)
	return st
}

// noteSignIn notes that a session of the connection reached the back
// office: the connection is a sign-in, recorded as one.
func (st *connState) noteSignIn() {
	if st == nil {
		return
	}
	st.mu.Lock()
	st.signedIn = true
	st.mu.Unlock()
}

// noteRefused notes why a session of the connection was turned away
// before it reached the back office ("no terminal" …).
func (st *connState) noteRefused(why string) {
	if st == nil {
		return
	}
	st.mu.Lock()
	st.why = why
	st.mu.Unlock()
}

// outcome reports whether a session reached the back office and, if not,
// why.
func (st *connState) outcome() (signedIn bool, why string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.why == "" {
		return st.signedIn, "no session"
	}
	return st.signedIn, st.why
}

// unauthGate counts connections that have not authenticated, in total and
// per source address; trusted proxies count in the total only.
type unauthGate struct {
	max, perAddr int
	trusted      []netip.Prefix

	mu      sync.Mutex
	total   int
	byAddr  map[netip.Addr]int
	refused map[string]int // since the last log line, by reason
	logged  time.Time
}

func newUnauthGate(max, perAddr int, trusted []netip.Prefix) *unauthGate {
	return &unauthGate{max: max, perAddr: perAddr, trusted: trusted, byAddr: map[netip.Addr]int{}, refused: map[string]int{}}
}

// admit takes a place for a connection from remote, or reports why there
// is none ("total" or "address").
func (g *unauthGate) admit(remote net.Addr) (release func(), refusedFor string) {
	addr, perAddr := addrOf(remote), true
	for _, p := range g.trusted {
		if p.Contains(addr) {
			perAddr = false
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.total >= g.max:
		return nil, "total"
	case perAddr && g.byAddr[addr] >= g.perAddr:
		return nil, "address"
	}
	g.total++
	if perAddr {
		g.byAddr[addr]++
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.total--
			if perAddr {
				if g.byAddr[addr]--; g.byAddr[addr] <= 0 {
					delete(g.byAddr, addr)
				}
			}
		})
	}, ""
}

// noteRefusal counts a refused connection and says whether (and what) to
// log now: the first refusal, then a count at most every refusalLogEvery.
func (g *unauthGate) noteRefusal(reason string, now time.Time) (map[string]int, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.refused[reason]++
	if now.Sub(g.logged) < refusalLogEvery {
		return nil, false
	}
	out := g.refused
	g.refused, g.logged = map[string]int{}, now
	return out, true
}

// addrOf returns the IP of a TCP address (IPv4-mapped IPv6 unmapped), or
// the zero Addr.
func addrOf(a net.Addr) netip.Addr {
	if ta, ok := a.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(ta.IP); ok {
			return ip.Unmap()
		}
	}
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// connCallback runs for every accepted connection before the SSH
// handshake: over a cap it closes the connection at once (before the key
// exchange costs any CPU); otherwise it follows the connection, closing it
// when it has not authenticated within handshakeTimeout, and when it ends
// records an authentication that opened no session.
func (s *Server) connCallback(ctx ssh.Context, conn net.Conn) net.Conn {
	release, why := s.unauth.admit(conn.RemoteAddr())
	if why != "" {
		if counts, ok := s.unauth.noteRefusal(why, time.Now()); ok {
			// No address: it is personal data, and a count says enough.
			s.log.Warn("connections refused before the handshake: too many unauthenticated",
				"refused_total_cap", counts["total"], "refused_address_cap", counts["address"],
				"max", s.cfg.MaxUnauth, "max_per_address", s.cfg.MaxUnauthPerAddr)
		}
		return nil
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		release()
		return nil
	}
	s.conns.Add(1) // under s.mu, so that none is added once Shutdown waits
	s.mu.Unlock()
	st := &connState{release: release}
	ctx.SetValue(connStateKey{}, st)
	t := time.AfterFunc(handshakeTimeout, func() {
		if ctx.Value(ssh.ContextKeyConn) == nil {
			_ = conn.Close()
		}
	})
	go func() {
		defer s.conns.Done()
		<-ctx.Done()
		t.Stop()
		release()
		s.recordNoSession(ctx, st)
	}()
	return conn
}

// serverConfig gives every connection's SSH configuration a callback that
// frees the connection's place among the unauthenticated ones the moment
// it authenticates.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		AuthLogCallback: func(_ gossh.ConnMetadata, method string, err error) {
			if err != nil {
				return
			}
			st := stateOf(ctx)
			if st == nil {
				return
			}
			st.release()
			if method == "password" || method == "keyboard-interactive" {
				// These handlers fill the extensions only when they
				// succeed, and nothing runs after a success: they are the
				// successful attempt's. (A key's are not safe to read here:
				// an offered key's approval fills them too.)
				st.mu.Lock()
				st.password = maps.Clone(ctx.Permissions().Extensions)
				st.mu.Unlock()
			}
		},
	}
}

// recordNoSession records, once the connection has ended, an
// authentication after which no session reached the back office: the
// client hung up, or asked for no terminal. Without it a client could
// test passwords (or keys) and leave no trace.
func (s *Server) recordNoSession(ctx ssh.Context, st *connState) {
	// The permissions are those of the successful authentication only
	// once the handshake has completed (ContextKeyConn is set then); an
	// unfinished handshake may have left an offered key's, so before that
	// only a password's copy (taken when it succeeded) is trusted.
	signedIn, why := st.outcome()
	if signedIn {
		return
	}
	var ext map[string]string
	if ctx.Value(ssh.ContextKeyConn) != nil {
		if perms := ctx.Permissions(); perms.Permissions != nil {
			ext = perms.Extensions
		}
	} else {
		st.mu.Lock()
		ext = st.password
		st.mu.Unlock()
	}
	if ext == nil {
		return
	}
	id, err := strconv.ParseInt(ext[extOperatorID], 10, 64)
	if err != nil || id <= 0 {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.AuthTimeout)
	defer cancel()
	method := domain.SignInMethod(ext[extMethod])
	if err := s.svc.Auth.RecordNoSession(rctx, id, method, ctx.RemoteAddr().String(), why); err != nil {
		s.log.Warn("record authentication without a session", "operator", id, "err", err)
		return
	}
	s.log.Info("authenticated without a session", "operator", id, "method", string(method), "why", why)
}
