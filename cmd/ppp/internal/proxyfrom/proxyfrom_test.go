package proxyfrom

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	proxyproto "github.com/pires/go-proxyproto"
)

// listen serves a Listener on 127.0.0.1 that trusts from (and only
// from), handing accepted connections to the returned channel.
func listen(t *testing.T, from string, cfg Config) (*Listener, <-chan net.Conn) {
	t.Helper()
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.From, err = ParseFrom(from); err != nil {
		t.Fatal(err)
	}
	cfg.Logger = slog.New(slog.DiscardHandler)
	l := Listen(inner, cfg)
	t.Cleanup(func() { _ = l.Close() })
	accepted := make(chan net.Conn, 16)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	return l, accepted
}

// dial connects to l from the loopback address local.
func dial(t *testing.T, l *Listener, local string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// header is a v2 PROXY header for a TCP client at src.
func header(t *testing.T, version byte, src string, dst net.Addr) []byte {
	t.Helper()
	b, err := proxyproto.HeaderProxyFromAddrs(version, net.TCPAddrFromAddrPort(netip.MustParseAddrPort(src)), dst).Format()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// closedWithin fails unless the server closes c within d, having sent
// nothing.
func closedWithin(t *testing.T, c net.Conn, d time.Duration) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(d))
	n, err := c.Read(make([]byte, 1))
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the connection is still open after %v", d)
	}
	if n != 0 {
		t.Fatal("the server sent something on a refused connection")
	}
}

// noneAccepted fails when Accept handed a connection on.
func noneAccepted(t *testing.T, accepted <-chan net.Conn) {
	t.Helper()
	select {
	case c := <-accepted:
		t.Fatalf("a connection from %v was accepted", c.RemoteAddr())
	default:
	}
}

func TestListener_StrangerRefusedUnread_EvenWithAHeader(t *testing.T) {
	l, accepted := listen(t, "127.0.0.2/32", Config{})
	c := dial(t, l, "127.0.0.3")
	_, _ = c.Write(header(t, 2, "203.0.113.7:4000", l.Addr()))
	closedWithin(t, c, 2*time.Second)
	noneAccepted(t, accepted)
}

func TestListener_BalancerWithoutHeaderRefused(t *testing.T) {
	l, accepted := listen(t, "127.0.0.2", Config{})
	c := dial(t, l, "127.0.0.2")
	_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
	closedWithin(t, c, 2*time.Second)
	noneAccepted(t, accepted)
}

// A stranger on the balancer's host sends half a header and waits: the
// connection is closed when HeaderTimeout has passed, and it never
// reaches Accept (nor any cap counted there).
func TestListener_HalfAHeaderTimesOut(t *testing.T) {
	l, accepted := listen(t, "127.0.0.0/8", Config{HeaderTimeout: 200 * time.Millisecond})
	c := dial(t, l, "127.0.0.2")
	_, _ = c.Write(header(t, 2, "203.0.113.7:4000", l.Addr())[:14])
	closedWithin(t, c, 2*time.Second)
	noneAccepted(t, accepted)
}

// Headers awaited are capped: over MaxPending a new connection is closed
// at once, and a place frees when a header arrives.
func TestListener_PendingHeadersCapped(t *testing.T) {
	l, accepted := listen(t, "127.0.0.0/8", Config{MaxPending: 2, HeaderTimeout: 5 * time.Second})
	a := dial(t, l, "127.0.0.2")
	dial(t, l, "127.0.0.2")            // silent: holds the second place until its timeout
	time.Sleep(100 * time.Millisecond) // both are awaiting their headers
	closedWithin(t, dial(t, l, "127.0.0.2"), 2*time.Second)
	_, _ = a.Write(header(t, 2, "203.0.113.7:4000", l.Addr()))
	select {
	case <-accepted:
	case <-time.After(2 * time.Second):
		t.Fatal("a complete header was not accepted")
	}
	c := dial(t, l, "127.0.0.2")
	_, _ = c.Write(header(t, 1, "203.0.113.8:4000", l.Addr()))
	select {
	case <-accepted:
	case <-time.After(2 * time.Second):
		t.Fatal("no place freed after a header arrived")
	}
}

// The connection handed on says the client's address, and reads what
// followed the header, for v2 and v1 alike; a LOCAL header (a balancer's
// health check) keeps the balancer's address.
func TestListener_RemoteAddrIsTheClients(t *testing.T) {
	l, accepted := listen(t, "127.0.0.2/32, ::1", Config{})
	for _, tc := range []struct {
		version byte
		src     string
	}{{2, "203.0.113.7:4000"}, {1, "198.51.100.9:4001"}, {2, "[2001:db8::5]:4002"}} {
		c := dial(t, l, "127.0.0.2")
		_, _ = c.Write(append(header(t, tc.version, tc.src, l.Addr()), "SSH-2.0-x\r\n"...))
		var got net.Conn
		select {
		case got = <-accepted:
		case <-time.After(2 * time.Second):
			t.Fatalf("v%d: not accepted", tc.version)
		}
		if got.RemoteAddr().String() != tc.src {
			t.Errorf("v%d: RemoteAddr %v, want %s", tc.version, got.RemoteAddr(), tc.src)
		}
		buf := make([]byte, len("SSH-2.0-x\r\n"))
		if _, err := io.ReadFull(got, buf); err != nil || string(buf) != "SSH-2.0-x\r\n" {
			t.Errorf("v%d: read %q, %v after the header", tc.version, buf, err)
		}
		got.Close()
	}
	c := dial(t, l, "127.0.0.2")
	local := &proxyproto.Header{Version: 2, Command: proxyproto.LOCAL, TransportProtocol: proxyproto.UNSPEC}
	b, err := local.Format()
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Write(b)
	select {
	case got := <-accepted:
		if got.RemoteAddr().String() != c.LocalAddr().String() {
			t.Errorf("LOCAL: RemoteAddr %v, want the balancer's %v", got.RemoteAddr(), c.LocalAddr())
		}
		got.Close()
	case <-time.After(2 * time.Second):
		t.Fatal("a LOCAL header (health check) was not accepted")
	}
}

// A PROXY header that names no TCP client (UNSPEC, UDP, a UNIX socket)
// is refused: it would leave the balancer's address standing for one.
func TestListener_HeaderWithoutTCPClientRefused(t *testing.T) {
	l, accepted := listen(t, "127.0.0.2/32", Config{})
	for _, h := range []*proxyproto.Header{
		{Version: 2, Command: proxyproto.PROXY, TransportProtocol: proxyproto.UNSPEC},
		{Version: 2, Command: proxyproto.PROXY, TransportProtocol: proxyproto.UDPv4,
			SourceAddr: &net.UDPAddr{IP: net.ParseIP("203.0.113.7"), Port: 1}, DestinationAddr: &net.UDPAddr{IP: net.ParseIP("127.0.0.1"), Port: 2}},
	} {
		b, err := h.Format()
		if err != nil {
			t.Fatal(err)
		}
		c := dial(t, l, "127.0.0.2")
		_, _ = c.Write(b)
		closedWithin(t, c, 2*time.Second)
	}
	noneAccepted(t, accepted)
}

func TestListener_CloseEndsAccept(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := Listen(inner, Config{From: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}, Logger: slog.New(slog.DiscardHandler)})
	errc := make(chan error, 1)
	go func() { _, err := l.Accept(); errc <- err }()
	_ = l.Close()
	select {
	case err := <-errc:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v, want net.ErrClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Accept still waiting after Close")
	}
}

func TestParseFrom(t *testing.T) {
	got, err := ParseFrom(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::ffff:10.1.2.3,10.9.9.9/16")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32", "10.1.2.3/32", "10.9.0.0/16"}
	var s []string
	for _, p := range got {
		s = append(s, p.String())
	}
	if !slices.Equal(s, want) {
		t.Errorf("ParseFrom: %v, want %v", s, want)
	}
	for _, bad := range []string{"", " , ", "10.0.0.0/33", "balancer.example", "10.0.0.1/8x", "fe80::1%eth0"} {
		if _, err := ParseFrom(bad); err == nil {
			t.Errorf("ParseFrom(%q) accepted", bad)
		}
	}
}
