package auditanchor

import (
	"log/syslog"
	"net/url"
	"strings"

	"github.com/viaa/ppp/domain"
)

// SyslogTag is the program name checkpoints carry in syslog.
const SyslogTag = "ppp-audit"

// Syslog sends checkpoints to a syslog server, where a copy is kept that
// neither the database's users nor the back office's server can change.
type Syslog struct {
	w *syslog.Writer
}

// DialSyslog connects to the syslog server named by rawURL:
// udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH (a local socket, such
// as /dev/log). Messages go with facility auth, severity notice, tag
// ppp-audit. log/syslog reconnects by itself when a write fails. It
// returns EINVALID "audit.syslog_url" for another form and EUNAVAILABLE
// "audit.syslog_unreachable" when it cannot connect.
func DialSyslog(rawURL string) (*Syslog, error) {
	u, err := url.Parse(rawURL)
	bad := func() error {
		return domain.Errorf(domain.EINVALID, "audit.syslog_url", "PPP_AUDIT_CHECKPOINT_SYSLOG must be udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH, not %q", rawURL)
	}
	if err != nil {
		return nil, bad()
	}
	var network, addr string
	switch u.Scheme {
	case "udp", "tcp":
		if u.Host == "" || u.Port() == "" || u.Path != "" || u.User != nil {
			return nil, bad()
		}
		network, addr = u.Scheme, u.Host
	case "unix":
		if u.Host != "" || !strings.HasPrefix(u.Path, "/") {
			return nil, bad()
		}
		network, addr = "unixgram", u.Path
	default:
		return nil, bad()
	}
	prio := syslog.LOG_AUTH | syslog.LOG_NOTICE
	w, err := syslog.Dial(network, addr, prio, SyslogTag)
	if err != nil && network == "unixgram" {
		w, err = syslog.Dial("unix", addr, prio, SyslogTag)
	}
	if err != nil {
		return nil, domain.Errorf(domain.EUNAVAILABLE, "audit.syslog_unreachable", "cannot reach the syslog server %s", rawURL)
	}
	return &Syslog{w: w}, nil
}

// Send sends c as one message: its line. It returns EUNAVAILABLE
// "audit.syslog_unreachable" when the message could not be sent.
func (s *Syslog) Send(c domain.AuditCheckpoint) error {
	if err := s.w.Notice(c.MarshalLine()); err != nil {
		return domain.Errorf(domain.EUNAVAILABLE, "audit.syslog_unreachable", "cannot reach the syslog server %v", err)
	}
	return nil
}

// Close closes the connection.
func (s *Syslog) Close() error { return s.w.Close() }
