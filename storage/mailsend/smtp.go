package mailsend

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

// Defaults of the SMTP sender.
const (
	defaultDialTimeout = 15 * time.Second
	// defaultSessionTimeout bounds a session whose context has no
	// deadline.
	defaultSessionTimeout = 2 * time.Minute
)

// TLSMode says whether the SMTP sender upgrades the connection with
// STARTTLS.
type TLSMode int

// The TLS modes, chosen by the URL's starttls parameter.
const (
	// StartTLSIfOffered upgrades when the server offers STARTTLS (no
	// starttls parameter).
	StartTLSIfOffered TLSMode = iota
	// StartTLSRequired refuses to send over a server that does not offer
	// it (starttls=1).
	StartTLSRequired
	// StartTLSNever never upgrades (starttls=0).
	StartTLSNever
	// ImplicitTLS speaks TLS from the first byte (smtps://).
	ImplicitTLS
)

// SMTP delivers messages to one SMTP server, one session per message. It
// implements domain.MailSender.
type SMTP struct {
	addr     string // host:port
	host     string
	user     string
	password string
	from     mail.Address
	tlsMode  TLSMode
	helo     string
	// auth is the AUTH mechanism the URL names ("PLAIN", "LOGIN"), or ""
	// to choose from what the server advertises.
	auth string

	// DialTimeout bounds connecting to the server; the context passed to
	// Send bounds the whole session.
	DialTimeout time.Duration
	// TLSConfig, when set, replaces the default (the server's host name
	// verified against the system's roots); tests set it.
	TLSConfig *tls.Config
}

var _ domain.MailSender = (*SMTP)(nil)

// ParseSMTPURL returns a sender configured by a URL of the form
//
//	smtp://user:password@host:port?from=…&starttls=required&auth=login&helo=…
//	smtps://user:password@host:port?from=…
//
// The port defaults to 25 (smtp) or 465 (smtps). User and password, when
// given, are sent with AUTH PLAIN or AUTH LOGIN, only over TLS or to
// localhost: auth=plain or auth=login picks one, and without it PLAIN is
// used when the server offers it (or offers nothing), LOGIN when it offers
// LOGIN and not PLAIN (Exchange relays). from is an address, with or
// without a display name (default DefaultFrom). starttls=1 (or required)
// demands STARTTLS, starttls=0 forbids it, and without it STARTTLS is used
// when the server offers it. helo is the name the client greets with
// (default the machine's host name). It returns EINVALID, never repeating
// the password, for anything else.
func ParseSMTPURL(raw string) (*SMTP, error) {
	bad := func(format string, args ...any) error {
		return domain.Errorf(domain.EINVALID, "", "PPP_SMTP_URL: "+format, args...)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, password included.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return nil, bad("not a valid URL: %v", uerr.Err)
		}
		return nil, bad("not a valid URL")
	}
	s := &SMTP{from: defaultFrom, DialTimeout: defaultDialTimeout}
	port := "25"
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.tlsMode, port = ImplicitTLS, "465"
	default:
		return nil, bad("the scheme must be smtp or smtps, not %q", u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, bad("no host")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	q := u.Query()
	for key := range q {
		switch key {
		case "from", "starttls", "helo", "auth":
		default:
			return nil, bad("unknown parameter %q", key)
		}
	}
	if f := q.Get("from"); f != "" {
		a, err := mail.ParseAddress(f)
		if err != nil {
			return nil, bad("from is not an e-mail address")
		}
		s.from = *a
	}
	switch v := strings.ToLower(q.Get("starttls")); v {
	case "":
	case "1", "true", "yes", "required":
		if s.tlsMode == ImplicitTLS {
			return nil, bad("starttls does not apply to smtps")
		}
		s.tlsMode = StartTLSRequired
	case "0", "false", "no":
		if s.tlsMode == ImplicitTLS {
			return nil, bad("starttls does not apply to smtps")
		}
		s.tlsMode = StartTLSNever
	default:
		return nil, bad("starttls must be 1 (or required) or 0, not %q", v)
	}
	switch v := strings.ToUpper(q.Get("auth")); v {
	case "", "PLAIN", "LOGIN":
		s.auth = v
	default:
		return nil, bad("auth must be plain or login, not %q", q.Get("auth"))
	}
	s.helo = q.Get("helo")
	if s.helo == "" {
		s.helo = "localhost"
		if h, err := os.Hostname(); err == nil && h != "" {
			s.helo = h
		}
	}
	return s, nil
}

// Addr returns the server's host:port.
func (s *SMTP) Addr() string { return s.addr }

// From returns the sender address messages go out with.
func (s *SMTP) From() mail.Address { return s.from }

// TLS returns the sender's TLS mode.
func (s *SMTP) TLS() TLSMode { return s.tlsMode }

// SendError is a failed SMTP delivery: the step that failed and the
// server's reply or the network error. The reply may repeat the
// recipient's address; callers that log or store it must remove that.
type SendError struct {
	Step string // "dial", "greeting", "EHLO", "STARTTLS", "AUTH", "MAIL FROM", "RCPT TO", "DATA", "message"
	Err  error
	// permanent is set for 5xx replies about this very message (RCPT
	// TO, the end of DATA): sending it again cannot help.
	permanent bool
}

// Error returns "smtp STEP: reason".
func (e *SendError) Error() string { return "smtp " + e.Step + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// Permanent reports whether the server refused this message for good, so
// that the outbox gives up on it rather than retrying.
func (e *SendError) Permanent() bool { return e.permanent }

// stepError wraps err for step; 5xx replies at the steps in permanentAt
// are permanent.
func stepError(step string, err error, permanentAt bool) error {
	var tp *textproto.Error
	perm := permanentAt && errors.As(err, &tp) && tp.Code >= 500 && tp.Code < 600
	return &SendError{Step: step, Err: err, permanent: perm}
}

// Send delivers m in one SMTP session: EHLO, STARTTLS as configured, AUTH
// when a user is configured, MAIL, RCPT, DATA, QUIT. The session ends when
// ctx does (or after two minutes when ctx has no deadline). It returns a
// *SendError; one whose Permanent is true means the server refused the
// recipient or the message for good. A session that fails after the server
// accepted the message (at QUIT) counts as sent.
func (s *SMTP) Send(ctx context.Context, m *domain.Mail) error {
	msg, err := Compose(s.from, m)
	if err != nil {
		return &SendError{Step: "message", Err: err, permanent: true}
	}
	if err := ctx.Err(); err != nil {
		return &SendError{Step: "dial", Err: err}
	}

	conn, err := s.dial(ctx)
	if err != nil {
		return &SendError{Step: "dial", Err: err}
	}
	defer conn.Close()
	if _, ok := ctx.Deadline(); !ok {
		ctx2, cancel := context.WithTimeout(ctx, defaultSessionTimeout)
		defer cancel()
		ctx = ctx2
	}
	// Ending ctx interrupts whatever read or write is under way. (Not a
	// connection deadline equal to ctx's: it could fire before ctx says
	// it is done, and the error would not tell why.)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return stepError("greeting", s.interrupted(ctx, err), false)
	}
	defer c.Close()
	if err := c.Hello(s.helo); err != nil {
		return stepError("EHLO", s.interrupted(ctx, err), false)
	}
	if s.tlsMode == StartTLSRequired || s.tlsMode == StartTLSIfOffered {
		offered, _ := c.Extension("STARTTLS")
		switch {
		case offered:
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return stepError("STARTTLS", s.interrupted(ctx, err), false)
			}
		case s.tlsMode == StartTLSRequired:
			return &SendError{Step: "STARTTLS", Err: errors.New("the server does not offer STARTTLS, which the configuration requires")}
		}
	}
	if s.user != "" {
		if err := c.Auth(&credentials{user: s.user, password: s.password, host: s.host, mech: s.auth}); err != nil {
			return stepError("AUTH", s.interrupted(ctx, err), false)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return stepError("MAIL FROM", s.interrupted(ctx, err), false)
	}
	if err := c.Rcpt(m.To); err != nil {
		return stepError("RCPT TO", s.interrupted(ctx, err), true)
	}
	w, err := c.Data()
	if err != nil {
		return stepError("DATA", s.interrupted(ctx, err), false)
	}
	if _, err := w.Write(msg); err != nil {
		return stepError("DATA", s.interrupted(ctx, err), false)
	}
	// Close sends the final dot and reads the server's verdict.
	if err := w.Close(); err != nil {
		return stepError("DATA", s.interrupted(ctx, err), true)
	}
	// The message is accepted; a failing QUIT changes nothing.
	_ = c.Quit()
	return nil
}

// dial connects, with TLS from the start for smtps.
func (s *SMTP) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{Timeout: s.DialTimeout}
	if s.tlsMode == ImplicitTLS {
		td := &tls.Dialer{NetDialer: d, Config: s.tlsConfig()}
		return td.DialContext(ctx, "tcp", s.addr)
	}
	return d.DialContext(ctx, "tcp", s.addr)
}

// tlsConfig returns the TLS configuration: TLSConfig, or one verifying
// the server's host name.
func (s *SMTP) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig.Clone()
	}
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}

// interrupted explains an I/O error caused by ctx ending, which shows up as
// a deadline on the connection.
func (s *SMTP) interrupted(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	return err
}
