package mailin

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"regexp"
	"strings"
	"time"

	smtp "github.com/emersion/go-smtp"
)

// backend is our policy as go-smtp's Backend: one session per connection.
type backend struct{ l *Listener }

// NewSession starts the policy's side of a connection; it never fails.
func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	conn := c.Conn()
	return &session{l: b.l, smtp: c, conn: conn, remote: hostOf(conn.RemoteAddr()), tls: isTLS}, nil
}

// session is one connection's mail transaction state. go-smtp calls its
// methods from the connection's goroutine, except Data for BDAT, which
// runs in a goroutine of its own while the connection's goroutine reads
// the chunks: Data therefore uses only what NewSession and Mail took
// from the connection. A session lives until STARTTLS, which starts a
// new one, so tls never changes.
type session struct {
	l      *Listener
	smtp   *smtp.Conn
	conn   net.Conn
	remote string // the client's IP address
	tls    bool
	helo   string // what the client said in EHLO, as of MAIL
	inTx   bool   // MAIL given
	utf8   bool   // MAIL … SMTPUTF8
	rcpts  int
}

// Replies of the policy. Every error a session returns is an SMTPError:
// go-smtp would otherwise send the error's text to the client.
var (
	errNestedMail = &smtp.SMTPError{Code: 503, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "nested MAIL command"}
	errNoMailbox  = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here; relaying denied"}
	errBareLF     = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "message refused: bare LF in the message (RFC 5321 section 2.3.8)"}
	errRejected   = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "message rejected"}
	errTemporary  = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "temporary failure, try again later"}
	errNotReady   = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "not ready to store mail, try again later"}
	errBroken     = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "the message did not arrive whole, try again later"}
	errStopping   = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "shutting down, try again later"}
)

// Reset ends the mail transaction (RSET, EHLO, after DATA).
func (s *session) Reset() { s.inTx, s.utf8, s.rcpts = false, false, 0 }

// Logout ends the session; nothing to free.
func (s *session) Logout() error { return nil }

// Mail starts a transaction. The reverse path is not kept: the message's
// own From is what the helpdesk reads, and logs must not name addresses.
func (s *session) Mail(_ string, opts *smtp.MailOptions) error {
	if s.inTx {
		return errNestedMail
	}
	s.inTx, s.utf8, s.helo = true, opts != nil && opts.UTF8, s.smtp.Hostname()
	return nil
}

// Rcpt accepts only the configured recipients.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !s.l.rcpts[strings.ToLower(strings.TrimSpace(to))] {
		s.l.log.Info("mail recipient refused", "remote", s.remote)
		return errNoMailbox
	}
	s.rcpts++
	return nil
}

// Data reads the message (go-smtp has undone the dot-stuffing and stops
// at <CRLF>.<CRLF> only), refuses one with a bare LF, prepends the
// Received: header and stores it: 250 once stored, 451 when storing failed
// for now, 554 when Deliver rejected it for good.
func (s *session) Data(r io.Reader) error {
	s.conn.SetReadDeadline(time.Now().Add(s.l.cfg.DataTimeout))
	log := s.l.log.With("remote", s.remote)
	raw, err := io.ReadAll(r)
	if errors.Is(err, smtp.ErrDataTooLarge) {
		log.Info("mail refused: too large", "max", s.l.cfg.MaxSize)
		return smtp.ErrDataTooLarge
	}
	if err != nil {
		log.Info("mail not received: the connection failed during DATA")
		return errBroken
	}
	if hasBareLF(raw) {
		log.Info("mail refused: bare LF", "bytes", len(raw))
		return errBareLF
	}
	id := traceID()
	raw = append(receivedHeader(s.helo, s.remote, s.l.cfg.Hostname, s.tls, s.utf8, id, time.Now()), raw...)
	log = log.With("id", id)
	if s.l.cfg.Deliver == nil {
		return errNotReady
	}
	if !s.l.begin() {
		return errStopping
	}
	defer s.l.inflight.Done()
	ctx, cancel := context.WithTimeout(s.l.ctx, s.l.cfg.DeliverTimeout)
	defer cancel()
	if err := s.l.cfg.Deliver(ctx, raw); err != nil {
		if errors.Is(err, ErrRejected) {
			log.Info("mail rejected", "err", scrubAddresses(err.Error()))
			return errRejected
		}
		log.Warn("mail not stored, sender will retry", "err", scrubAddresses(err.Error()))
		return errTemporary
	}
	log.Info("mail received", "bytes", len(raw))
	return nil
}

// hasBareLF reports whether raw holds an LF not preceded by CR.
func hasBareLF(raw []byte) bool {
	for i := bytes.IndexByte(raw, '\n'); i >= 0; {
		if i == 0 || raw[i-1] != '\r' {
			return true
		}
		j := bytes.IndexByte(raw[i+1:], '\n')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// traceMark follows our host name in the Received: header's "by" clause;
// SyntheticMessageID recognises our own trace header by it.
const traceMark = "(ppp helpdesk)"

// receivedHeader is the Received: trace header of RFC 5321 §4.4 for a
// message from the client that said helo at remote, received by us as
// host: "from HELO ([IP]) by HOST (ppp helpdesk) with ESMTP[S] id ID;
// DATE". The client's HELO is kept only when it is a domain or address
// literal, so that nothing the client says can break the header; ip is
// the client's address as hostOf gives it.
func receivedHeader(helo, ip, host string, tls, utf8 bool, id string, now time.Time) []byte {
	with := "ESMTP"
	if utf8 {
		with = "UTF8SMTP"
	}
	if tls {
		with += "S"
	}
	if len(helo) > 255 || !heloSyntax.MatchString(helo) {
		helo = "unknown"
	}
	if strings.Contains(ip, ":") {
		ip = "IPv6:" + ip
	}
	return []byte("Received: from " + helo + " ([" + ip + "])\r\n" +
		"\tby " + host + " " + traceMark + " with " + with + " id " + id + ";\r\n" +
		"\t" + now.UTC().Format(time.RFC1123Z) + "\r\n")
}

// heloSyntax is a domain or an address literal, at most 255 characters.
var heloSyntax = regexp.MustCompile(`^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]{1,45}\]|\[IPv6:[0-9A-Fa-f:.]{1,45}\])$`)

// traceID is the id of one received message, in the Received: header and
// the log line, so that the two can be matched.
func traceID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// emailLike finds e-mail addresses, which errors may repeat.
var emailLike = regexp.MustCompile(`[^\s<>()\[\],;:"'=]+@[^\s<>()\[\],;:"']+`)

// scrubAddresses removes e-mail addresses from s, for the log.
func scrubAddresses(s string) string {
	return emailLike.ReplaceAllString(s, "<address>")
}
