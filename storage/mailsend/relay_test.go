package mailsend_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"github.com/viaa/ppp/storage/mailsend"
)

// relay is a mail relay such as the Agency's Exchange server, on
// github.com/emersion/go-smtp: it advertises the AUTH mechanisms it is
// given, STARTTLS when it has a certificate, and records what it saw.
type relay struct {
	ln    net.Listener
	cert  *x509.Certificate // nil: no STARTTLS
	mechs []string

	mu    sync.Mutex
	auths []relayAuth
	msgs  []relayMsg
}

// relayAuth is one AUTH command: the mechanism, the credentials when the
// exchange got that far, and whether the connection was encrypted.
type relayAuth struct {
	mech, user, password string
	tls                  bool
}

// relayMsg is one accepted message.
type relayMsg struct {
	from, to, user string
	tls            bool
}

// startRelay listens on host (port chosen) until the test ends; withTLS
// gives it a certificate for "localhost", and so STARTTLS. Credentials
// are accepted over a plain connection too (AllowInsecureAuth), as a
// careless or hostile server would: it is the client's part never to send
// them there.
func startRelay(t *testing.T, host string, withTLS bool, mechs ...string) *relay {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", host, err)
	}
	r := &relay{ln: ln, mechs: mechs}
	srv := gosmtp.NewServer(r)
	srv.Domain = "relay.test"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 5*time.Second, 5*time.Second
	if withTLS {
		pair, cert := localhostCert(t)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pair}}
		r.cert = cert
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ln) }()
	// Close may come before Serve has the listener: close that too.
	t.Cleanup(func() { _ = srv.Close(); _ = ln.Close(); <-done })
	return r
}

// sender returns a sender for the relay by URL parameters query, the
// relay's certificate trusted.
func (r *relay) sender(t *testing.T, userinfo, query string) *mailsend.SMTP {
	t.Helper()
	s, err := mailsend.ParseSMTPURL("smtp://" + userinfo + r.ln.Addr().String() + query)
	if err != nil {
		t.Fatalf("ParseSMTPURL: %v", err)
	}
	s.DialTimeout = 2 * time.Second
	if r.cert != nil {
		roots := x509.NewCertPool()
		roots.AddCert(r.cert)
		s.TLSConfig = &tls.Config{RootCAs: roots, ServerName: "localhost", MinVersion: tls.VersionTLS12}
	}
	return s
}

func (r *relay) seen() ([]relayAuth, []relayMsg) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.auths), slices.Clone(r.msgs)
}

// NewSession implements gosmtp.Backend.
func (r *relay) NewSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	return &relaySession{r: r, c: c}, nil
}

type relaySession struct {
	r        *relay
	c        *gosmtp.Conn
	user     string
	from, to string
}

func (s *relaySession) encrypted() bool { _, ok := s.c.TLSConnectionState(); return ok }

func (s *relaySession) AuthMechanisms() []string { return s.r.mechs }

func (s *relaySession) Auth(mech string) (sasl.Server, error) {
	s.r.mu.Lock()
	s.r.auths = append(s.r.auths, relayAuth{mech: mech, tls: s.encrypted()})
	i := len(s.r.auths) - 1
	s.r.mu.Unlock()
	if !slices.Contains(s.r.mechs, mech) {
		return nil, errors.New("unsupported mechanism")
	}
	accept := func(user, password string) error {
		s.r.mu.Lock()
		s.r.auths[i].user, s.r.auths[i].password = user, password
		s.r.mu.Unlock()
		s.user = user
		return nil
	}
	if mech == sasl.Plain {
		return sasl.NewPlainServer(func(_, user, password string) error { return accept(user, password) }), nil
	}
	return &loginServer{accept: accept}, nil
}

func (s *relaySession) Mail(from string, _ *gosmtp.MailOptions) error { s.from = from; return nil }
func (s *relaySession) Rcpt(to string, _ *gosmtp.RcptOptions) error   { s.to = to; return nil }
func (s *relaySession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.r.mu.Lock()
	s.r.msgs = append(s.r.msgs, relayMsg{from: s.from, to: s.to, user: s.user, tls: s.encrypted()})
	s.r.mu.Unlock()
	return nil
}
func (s *relaySession) Reset()        {}
func (s *relaySession) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN as Exchange speaks it:
// "Username:", "Password:", each answered in base64.
type loginServer struct {
	step   int
	user   string
	accept func(user, password string) error
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step = 1
		if response == nil {
			return []byte("Username:"), false, nil
		}
		fallthrough
	case 1:
		l.user, l.step = string(response), 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.accept(l.user, string(response))
	}
}

// localhostCert makes a self-signed certificate for localhost.
func localhostCert(t *testing.T) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, cert
}

// TestSMTP_Send_RelayOfferingOnlyLogin_AuthenticatesWithLogin proves AUTH
// LOGIN, which Exchange relays offer alone: the sender picks it from what
// the relay advertises (PLAIN when both are offered), or as the URL's
// auth parameter says, and authenticates only after STARTTLS.
func TestSMTP_Send_RelayOfferingOnlyLogin_AuthenticatesWithLogin(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mechs []string
		query string
		want  string
	}{
		{"only LOGIN offered", []string{sasl.Login}, "?starttls=required", sasl.Login},
		{"both offered", []string{sasl.Login, sasl.Plain}, "?starttls=1", sasl.Plain},
		{"both offered, auth=login", []string{sasl.Plain, sasl.Login}, "?starttls=1&auth=login", sasl.Login},
		{"only LOGIN offered, auth=plain", []string{sasl.Login}, "?auth=plain", sasl.Plain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startRelay(t, "127.0.0.1", true, tc.mechs...)
			err := send(t, r.sender(t, "ppp%40viaa.gov.lv:p%C4%81role%20x@", tc.query), testMail())
			auths, msgs := r.seen()
			if len(auths) != 1 || auths[0].mech != tc.want || !auths[0].tls {
				t.Fatalf("AUTH commands %+v; want one %s, over TLS", auths, tc.want)
			}
			if !slices.Contains(tc.mechs, tc.want) {
				// Asked for a mechanism the relay does not offer: it refuses.
				var se *mailsend.SendError
				if !errors.As(err, &se) || se.Step != "AUTH" || len(msgs) != 0 {
					t.Fatalf("Send = %v, %d messages; want an AUTH error and none", err, len(msgs))
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if a := auths[0]; a.user != "ppp@viaa.gov.lv" || a.password != "pārole x" {
				t.Errorf("the relay got user %q password %q", a.user, a.password)
			}
			if len(msgs) != 1 || msgs[0].user != "ppp@viaa.gov.lv" || !msgs[0].tls || msgs[0].to != testMail().To {
				t.Errorf("messages %+v; want one, authenticated, over TLS", msgs)
			}
		})
	}
}

// TestSMTP_Send_STARTTLSRequired_RelayWithoutIt_NothingSent proves that a
// URL requiring STARTTLS (starttls=required, or 1) never talks in clear to
// a relay that does not offer it — one stripped of it by a man in the
// middle, say: the delivery fails at STARTTLS with a clear error, and the
// relay got neither the credentials nor the message.
func TestSMTP_Send_STARTTLSRequired_RelayWithoutIt_NothingSent(t *testing.T) {
	for _, query := range []string{"?starttls=required", "?starttls=1&auth=login"} {
		r := startRelay(t, "127.0.0.1", false, sasl.Login)
		err := send(t, r.sender(t, "ppp:secret@", query), testMail())
		var se *mailsend.SendError
		if !errors.As(err, &se) || se.Step != "STARTTLS" || !strings.Contains(err.Error(), "does not offer STARTTLS") {
			t.Errorf("%s: Send = %v; want a STARTTLS error saying the relay does not offer it", query, err)
		}
		if auths, msgs := r.seen(); len(auths) != 0 || len(msgs) != 0 {
			t.Errorf("%s: the relay saw AUTH %+v and %d messages", query, auths, len(msgs))
		}
	}
}

// TestSMTP_Send_LoginOverPlainConnection_CredentialsNeverSent proves that
// AUTH LOGIN keeps net/smtp's rule for PLAIN: credentials go only over
// TLS (or to the machine itself). A relay on another host that offers no
// STARTTLS (the URL not requiring it) gets no AUTH command at all, and the
// delivery fails at AUTH. (127.0.0.2 is this machine, but not a name the
// rule trusts.)
func TestSMTP_Send_LoginOverPlainConnection_CredentialsNeverSent(t *testing.T) {
	r := startRelay(t, "127.0.0.2", false, sasl.Login)
	err := send(t, r.sender(t, "ppp:secret@", ""), testMail())
	var se *mailsend.SendError
	if !errors.As(err, &se) || se.Step != "AUTH" || !strings.Contains(err.Error(), "unencrypted") {
		t.Errorf("Send = %v; want an AUTH error about the unencrypted connection", err)
	}
	if auths, msgs := r.seen(); len(auths) != 0 || len(msgs) != 0 {
		t.Errorf("the relay saw AUTH %+v and %d messages", auths, len(msgs))
	}
}
