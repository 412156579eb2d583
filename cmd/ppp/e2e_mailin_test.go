package main_test

// End-to-end tests of the mail listener's configuration (issue 13, "Mail
// in") and of the outbox's development mode ("Secrets at rest"), against
// the real binary.

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestServe_NoSMTPURL_WarnsDevelopmentMode: with no PPP_SMTP_URL the
// outbox writes .eml files, reset links included; ppp serve says so at
// start, as a log line and as a sentence on stderr. With an SMTP server
// configured it does not.
func TestServe_NoSMTPURL_WarnsDevelopmentMode(t *testing.T) {
	in := newInstance(t)
	s := in.startServer()
	warning, _, _ := strings.Cut(text(t, en, "cli.serve.mail_dev_mode", "\x00"), "\x00")
	out := waitStderr(s, warning)
	if !strings.Contains(out, warning) || !strings.Contains(out, "development mode") {
		t.Errorf("no development-mode warning on stderr:\n%s", out)
	}
	s.stop()

	in2 := newInstance(t)
	s2 := in2.startServer("PPP_SMTP_URL=smtp://127.0.0.1:9?from=no-reply@viaa.gov.lv")
	s2.stop() // everything it printed at start is in
	if out := s2.stderr.String(); strings.Contains(out, warning) || strings.Contains(out, "development mode") {
		t.Errorf("development-mode warning with an SMTP server:\n%s", out)
	}
}

// TestServe_MailAllow_RefusesHostsNotListed: with PPP_MAIL_ALLOW naming
// only the relay's network, a connection from anywhere else (here
// loopback) is refused with 554 at once; the log says so without any
// address from the conversation.
func TestServe_MailAllow_RefusesHostsNotListed(t *testing.T) {
	in := newInstance(t)
	s := in.startServer("PPP_MAIL_ADDR=127.0.0.1:0", "PPP_MAIL_ALLOW=10.20.0.0/16")
	addr := s.waitLine("cli.serve.mail_listening")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	if !strings.HasPrefix(line, "554 ") {
		t.Errorf("greeting %q, want 554", line)
	}
	if out := waitStderr(s, "host not allowed"); !strings.Contains(out, "host not allowed") || strings.Contains(out, "@") {
		t.Errorf("log:\n%s", out)
	}
}

// TestServe_MailConfig_Malformed: a malformed PPP_MAIL_ALLOW, or half a
// certificate, stops ppp serve with a one-line reason.
func TestServe_MailConfig_Malformed(t *testing.T) {
	in := newInstance(t)
	for _, c := range []struct {
		env  []string
		want string
	}{
		{[]string{"PPP_MAIL_ALLOW=10.0.0.0/33"}, "PPP_MAIL_ALLOW:"},
		{[]string{"PPP_MAIL_TLS_CERT=/nonexistent.pem"}, text(t, en, "cli.mail.tls_pair")},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, in.bin, "serve", "--ssh-addr", "127.0.0.1:0")
		cmd.Env = append(in.environ(), append([]string{"PPP_MAIL_ADDR=127.0.0.1:0"}, c.env...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		cancel()
		if err == nil || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: err %v, stderr:\n%s", c.env, err, stderr.String())
		}
	}
}

// waitStderr returns the server's stderr once it holds want, or after ten
// seconds: stderr arrives apart from stdout, whose lines the helpers
// wait for.
func waitStderr(s *server, want string) string {
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		if out := s.stderr.String(); strings.Contains(out, want) {
			return out
		}
		select {
		case <-s.stderr.notify:
		case <-deadline.C:
			return s.stderr.String()
		}
	}
}
