package mailin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

type sink struct {
	mu   sync.Mutex
	msgs [][]byte
	err  error
}

func (s *sink) deliver(_ context.Context, raw []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.msgs = append(s.msgs, raw)
	return nil
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

func startListener(t *testing.T, s *sink, maxSize int64) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := NewListener(Config{
		Hostname: "mx.test", Recipients: []string{"Stars@viaa.gov.lv"}, MaxSize: maxSize,
		CommandTimeout: 5 * time.Second, Deliver: s.deliver,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

const testMsgText = "From: Anna <anna@example.com>\r\nTo: stars@viaa.gov.lv\r\nSubject: Sveiki\r\nMessage-ID: <smtp-1@example.com>\r\n\r\n" +
	".a line that starts with a dot\r\nLūdzu palīdziet.\r\n"

func TestListener_AcceptedRecipient(t *testing.T) {
	s := &sink{}
	addr := startListener(t, s, 1<<20)
	if err := smtp.SendMail(addr, nil, "anna@example.com", []string{"STARS@viaa.gov.lv"}, []byte(testMsgText)); err != nil {
		t.Fatal(err)
	}
	if s.count() != 1 {
		t.Fatalf("delivered %d", s.count())
	}
	checkReceived(t, s.msgs[0], false)
	m := Parse(s.msgs[0])
	if m.MessageID != "smtp-1@example.com" || !strings.HasPrefix(m.Text, ".a line") {
		t.Errorf("parsed %q %q", m.MessageID, m.Text)
	}
}

func TestListener_RefusedRecipient(t *testing.T) {
	s := &sink{}
	addr := startListener(t, s, 1<<20)
	err := smtp.SendMail(addr, nil, "anna@example.com", []string{"someone@elsewhere.example"}, []byte(testMsgText))
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 550 {
		t.Fatalf("err = %v, want 550", err)
	}
	if s.count() != 0 {
		t.Error("callback called")
	}
}

func TestListener_OversizeMessage(t *testing.T) {
	s := &sink{}
	addr := startListener(t, s, 64<<10)
	big := testMsgText + strings.Repeat(strings.Repeat("x", 998)+"\r\n", 100)
	err := smtp.SendMail(addr, nil, "anna@example.com", []string{"stars@viaa.gov.lv"}, []byte(big))
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 552 {
		t.Fatalf("err = %v, want 552", err)
	}
	if s.count() != 0 {
		t.Error("callback called")
	}

	// SIZE= declared too large is refused at MAIL FROM, and the session
	// goes on.
	c := dial(t, addr)
	c.cmd(t, "EHLO client.test", 250)
	c.cmd(t, "MAIL FROM:<a@example.com> SIZE=999999999", 552)
	c.cmd(t, "MAIL FROM:<a@example.com> SIZE=100", 250)
	c.cmd(t, "RCPT TO:<stars@viaa.gov.lv>", 250)
	c.cmd(t, "QUIT", 221)
}

func TestListener_TemporaryFailureGives451(t *testing.T) {
	s := &sink{err: errors.New("database down")}
	addr := startListener(t, s, 1<<20)
	err := smtp.SendMail(addr, nil, "anna@example.com", []string{"stars@viaa.gov.lv"}, []byte(testMsgText))
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 451 {
		t.Fatalf("err = %v, want 451", err)
	}
	s.mu.Lock()
	s.err = fmt.Errorf("spam: %w", ErrRejected)
	s.mu.Unlock()
	err = smtp.SendMail(addr, nil, "anna@example.com", []string{"stars@viaa.gov.lv"}, []byte(testMsgText))
	if !errors.As(err, &te) || te.Code != 554 {
		t.Fatalf("err = %v, want 554", err)
	}
}

func TestListener_Protocol(t *testing.T) {
	s := &sink{}
	addr := startListener(t, s, 1<<20)
	c := dial(t, addr)
	c.cmd(t, "MAIL FROM:<a@example.com>", 502)
	c.cmd(t, "HELO client.test", 250)
	c.cmd(t, "RCPT TO:<stars@viaa.gov.lv>", 502)
	c.cmd(t, "DATA", 502)
	c.cmd(t, "NOOP", 250)
	c.cmd(t, "MAIL FROM:<a@example.com> BODY=8BITMIME", 250)
	c.cmd(t, "MAIL FROM:<a@example.com>", 503)
	c.cmd(t, "RSET", 250)
	c.cmd(t, "MAIL FROM:<>", 250)
	c.cmd(t, "RCPT TO:<postmaster@viaa.gov.lv>", 550)
	c.cmd(t, "RCPT TO:<stars@viaa.gov.lv>", 250)
	c.cmd(t, "DATA", 354)
	c.cmd(t, "Subject: x\r\n\r\n..dot\r\nend\r\n.", 250)
	c.cmd(t, "STARTTLS", 502)
	c.cmd(t, "XYZW", 500)
	c.cmd(t, "QUIT", 221)
	if s.count() != 1 || !strings.HasSuffix(string(s.msgs[0]), "\r\nSubject: x\r\n\r\n.dot\r\nend\r\n") {
		t.Errorf("msgs = %q", s.msgs)
	}
}

func TestListener_ConnectionCap(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	l := NewListener(Config{Recipients: []string{"stars@viaa.gov.lv"}, MaxConns: 1, Deliver: (&sink{}).deliver})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go l.Serve(ctx, ln)
	c1 := dial(t, ln.Addr().String())
	c1.cmd(t, "NOOP", 250)
	c2, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	line, _ := bufio.NewReader(c2).ReadString('\n')
	if !strings.HasPrefix(line, "421") {
		t.Errorf("second connection got %q", line)
	}
}

type client struct {
	*textproto.Conn
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := textproto.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, _, err := c.ReadResponse(220); err != nil {
		t.Fatal(err)
	}
	return &client{c}
}

func (c *client) cmd(t *testing.T, line string, want int) {
	t.Helper()
	if err := c.PrintfLine("%s", line); err != nil {
		t.Fatal(err)
	}
	code, msg, err := c.ReadResponse(want)
	if code != want {
		t.Fatalf("%q: got %d %s (%v), want %d", line, code, msg, err, want)
	}
}
