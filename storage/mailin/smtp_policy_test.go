package mailin

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/mail"
	"net/netip"
	"net/smtp"
	"strings"
	"sync"
	"testing"
	"time"
)

// startWith starts a listener on loopback with cfg (Recipients, Hostname
// and Deliver filled in when unset) and returns its address.
func startWith(t *testing.T, s *sink, cfg Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Hostname == "" {
		cfg.Hostname = "mx.test"
	}
	if cfg.Recipients == nil {
		cfg.Recipients = []string{"stars@viaa.gov.lv"}
	}
	if cfg.Deliver == nil {
		cfg.Deliver = s.deliver
	}
	if cfg.CommandTimeout == 0 {
		cfg.CommandTimeout = 5 * time.Second
	}
	l := NewListener(cfg)
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

// rawSession sends script over a raw TCP connection at once (as a
// pipelining client or an attacker would) and returns everything the
// server answered until it closed the connection.
func rawSession(t *testing.T, addr, script string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(c, script); err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(c)
	return string(out)
}

// TestListener_Smuggling_OnlyCRLFDotCRLFEndsData sends, in one DATA, a
// message followed by a second one separated by an end-of-data sequence
// other than <CRLF>.<CRLF>, the second forged as from boss@viaa.gov.lv
// (SMTP smuggling). No forged message may come out.
func TestListener_Smuggling_OnlyCRLFDotCRLFEndsData(t *testing.T) {
	for name, eod := range map[string]string{
		"LF.LF":   "\n.\n",
		"LF.CRLF": "\n.\r\n",
		"CRLF.LF": "\r\n.\n",
		"CR.CRLF": "\r.\r\n",
		"CRLF.CR": "\r\n.\r",
	} {
		t.Run(name, func(t *testing.T) {
			s := &sink{}
			addr := startWith(t, s, Config{})
			smuggled := "MAIL FROM:<boss@viaa.gov.lv>\r\nRCPT TO:<stars@viaa.gov.lv>\r\nDATA\r\n" +
				"From: boss@viaa.gov.lv\r\nTo: stars@viaa.gov.lv\r\nSubject: forged\r\nMessage-ID: <forged@viaa.gov.lv>\r\n\r\nPay the invoice.\r\n"
			script := "EHLO attacker.test\r\nMAIL FROM:<anna@example.com>\r\nRCPT TO:<stars@viaa.gov.lv>\r\nDATA\r\n" +
				"From: anna@example.com\r\nTo: stars@viaa.gov.lv\r\nSubject: innocent\r\nMessage-ID: <innocent@example.com>\r\n\r\nHello." +
				eod + smuggled + "\r\n.\r\nQUIT\r\n"
			out := rawSession(t, addr, script)
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.msgs) > 1 {
				t.Errorf("one DATA delivered %d messages; server said:\n%s", len(s.msgs), out)
			}
			for _, raw := range s.msgs {
				if m := Parse(raw); m.From == "boss@viaa.gov.lv" || m.MessageID == "forged@viaa.gov.lv" {
					t.Errorf("smuggled message delivered: From %q Message-ID %q", m.From, m.MessageID)
				}
			}
		})
	}
}

// TestListener_BareLFInData_Refused: a message with a bare LF, which
// RFC 5321 §2.3.8 forbids and smuggling relies on, is refused for good.
func TestListener_BareLFInData_Refused(t *testing.T) {
	s := &sink{}
	addr := startWith(t, s, Config{})
	c := dial(t, addr)
	c.cmd(t, "EHLO client.test", 250)
	c.cmd(t, "MAIL FROM:<a@example.com>", 250)
	c.cmd(t, "RCPT TO:<stars@viaa.gov.lv>", 250)
	c.cmd(t, "DATA", 354)
	c.cmd(t, "Subject: x\r\n\r\nline one\nline two\r\n.", 554)
	c.cmd(t, "NOOP", 250) // the session goes on
	if s.count() != 0 {
		t.Error("a message with a bare LF was delivered")
	}
}

// TestListener_SessionDeadline_FreesSlots: clients that keep every slot
// busy with NOOPs (each well within the command timeout) are cut off at
// the session deadline, so a new connection gets in.
func TestListener_SessionDeadline_FreesSlots(t *testing.T) {
	s := &sink{}
	addr := startWith(t, s, Config{MaxConns: 3, CommandTimeout: 5 * time.Second, SessionTimeout: 500 * time.Millisecond})
	var wg sync.WaitGroup
	ended := make(chan struct{}, 3)
	stop := make(chan struct{})
	defer close(stop)
	for range 3 {
		c := dial(t, addr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
				if err := c.PrintfLine("NOOP"); err != nil {
					break
				}
				if code, _, err := c.ReadResponse(250); err != nil || code != 250 {
					break
				}
			}
			ended <- struct{}{}
		}()
	}
	// Give up after 15 s: far beyond the 0.5 s session limit.
	giveUp := time.After(15 * time.Second)
	for range 3 {
		select {
		case <-ended:
		case <-giveUp:
			t.Fatal("NOOP-looping clients still hold their slots")
		}
	}
	// A looper sees the server's 421 a moment before its slot is freed:
	// try a few times.
	var line string
	for try := 0; try < 50 && !strings.HasPrefix(line, "220"); try++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		line, _ = bufio.NewReader(c).ReadString('\n')
		c.Close()
		if !strings.HasPrefix(line, "220") {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if !strings.HasPrefix(line, "220") {
		t.Errorf("new connection after the loopers were cut off got %q", line)
	}
}

// TestListener_AllowList_RefusesOtherHosts: a host outside PPP_MAIL_ALLOW
// is refused with 554 when it connects and cannot deliver anything.
func TestListener_AllowList_RefusesOtherHosts(t *testing.T) {
	s := &sink{}
	var logs syncBuffer
	addr := startWith(t, s, Config{
		Allow:  []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")},
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	out := rawSession(t, addr, "EHLO attacker.test\r\nMAIL FROM:<boss@viaa.gov.lv>\r\nRCPT TO:<stars@viaa.gov.lv>\r\nDATA\r\n"+
		"From: boss@viaa.gov.lv\r\n\r\nx\r\n.\r\nQUIT\r\n")
	if !strings.HasPrefix(out, "554 ") || strings.Count(out, "\r\n") != 1 {
		t.Errorf("server said %q, want one 554 line", out)
	}
	if s.count() != 0 {
		t.Error("a host outside the allow-list delivered mail")
	}
	if !strings.Contains(logs.String(), "not allowed") || strings.Contains(logs.String(), "@") {
		t.Errorf("log = %q", logs.String())
	}
	// Loopback is in the default list.
	s2 := &sink{}
	addr2 := startWith(t, s2, Config{})
	if err := smtp.SendMail(addr2, nil, "anna@example.com", []string{"stars@viaa.gov.lv"}, []byte(testMsgText)); err != nil {
		t.Fatal(err)
	}
	if s2.count() != 1 {
		t.Error("loopback refused by default")
	}
}

// TestListener_ReceivedHeader: each accepted message starts with a
// Received: trace header (RFC 5321 §4.4).
func TestListener_ReceivedHeader(t *testing.T) {
	s := &sink{}
	addr := startWith(t, s, Config{})
	if err := smtp.SendMail(addr, nil, "anna@example.com", []string{"stars@viaa.gov.lv"}, []byte(testMsgText)); err != nil {
		t.Fatal(err)
	}
	if s.count() != 1 {
		t.Fatalf("delivered %d", s.count())
	}
	checkReceived(t, s.msgs[0], false)
}

// checkReceived checks the message's first header is our Received:, with
// the protocol ESMTP (UTF8SMTP when the client asked for SMTPUTF8), plus
// S under TLS, and that the message after it is the one sent.
func checkReceived(t *testing.T, raw []byte, tls bool) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("Received: from ")) {
		t.Fatalf("message starts %q", raw[:min(len(raw), 60)])
	}
	rcv := m.Header.Get("Received")
	s := ""
	if tls {
		s = "S"
	}
	if !strings.Contains(rcv, " with ESMTP"+s+" ") && !strings.Contains(rcv, " with UTF8SMTP"+s+" ") {
		t.Errorf("Received: %q: protocol is not ESMTP%s or UTF8SMTP%s", rcv, s, s)
	}
	for _, want := range []string{"from localhost ([127.0.0.1])", "by mx.test (ppp helpdesk)", " id "} {
		if !strings.Contains(rcv, want) {
			t.Errorf("Received: %q lacks %q", rcv, want)
		}
	}
	_, date, ok := strings.Cut(rcv, ";")
	if !ok {
		t.Fatalf("Received: %q has no date", rcv)
	}
	if d, err := mail.ParseDate(strings.TrimSpace(date)); err != nil || time.Since(d) > time.Hour {
		t.Errorf("Received date %q: %v", date, err)
	}
	if !strings.HasSuffix(string(raw), testMsgText) {
		t.Errorf("message changed: %q", raw)
	}
}

// TestListener_Extensions: EHLO offers what the Agency's relay uses.
func TestListener_Extensions(t *testing.T) {
	s := &sink{}
	addr := startWith(t, s, Config{MaxSize: 1 << 20})
	c := dial(t, addr)
	if err := c.PrintfLine("EHLO client.test"); err != nil {
		t.Fatal(err)
	}
	_, msg, err := c.ReadResponse(250)
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"PIPELINING", "8BITMIME", "SMTPUTF8", "CHUNKING", "ENHANCEDSTATUSCODES", "SIZE 1048576"} {
		if !strings.Contains(msg, ext) {
			t.Errorf("EHLO lacks %s:\n%s", ext, msg)
		}
	}
	if strings.Contains(msg, "STARTTLS") {
		t.Error("STARTTLS offered without a certificate")
	}
	// CHUNKING: a message in two BDAT chunks.
	body := "Subject: chunks\r\n\r\nin two parts\r\n"
	c.cmd(t, "MAIL FROM:<a@example.com> BODY=8BITMIME SMTPUTF8", 250)
	c.cmd(t, "RCPT TO:<stars@viaa.gov.lv>", 250)
	for _, chunk := range []string{fmt.Sprintf("BDAT 10\r\n%s", body[:10]), fmt.Sprintf("BDAT %d LAST\r\n%s", len(body)-10, body[10:])} {
		if _, err := c.W.WriteString(chunk); err != nil || c.W.Flush() != nil {
			t.Fatal(err)
		}
		if _, msg, err := c.ReadResponse(250); err != nil {
			t.Fatalf("%q: %s %v", chunk, msg, err)
		}
	}
	if s.count() != 1 || !strings.HasSuffix(string(s.msgs[0]), body) {
		t.Errorf("msgs = %q", s.msgs)
	}
}

// TestListener_STARTTLS: with a certificate the listener offers STARTTLS
// and records ESMTPS in the trace header.
func TestListener_STARTTLS(t *testing.T) {
	s := &sink{}
	addr := startWith(t, s, Config{TLS: &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}})
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("no STARTTLS")
	}
	if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true}); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("anna@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("stars@viaa.gov.lv"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, testMsgText)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	if s.count() != 1 {
		t.Fatalf("delivered %d", s.count())
	}
	checkReceived(t, s.msgs[0], true)
}

// TestListener_LogsNoAddresses: whatever happens to a message, the log
// names no e-mail address (personal data).
func TestListener_LogsNoAddresses(t *testing.T) {
	s := &sink{}
	var logs syncBuffer
	addr := startWith(t, s, Config{MaxSize: 64 << 10, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	send := func(to string, msg string) {
		_ = smtp.SendMail(addr, nil, "anna.berzina@example.com", []string{to}, []byte(msg))
	}
	send("stars@viaa.gov.lv", testMsgText)                                                      // received
	send("someone@elsewhere.example", testMsgText)                                              // refused recipient
	send("stars@viaa.gov.lv", testMsgText+strings.Repeat(strings.Repeat("x", 998)+"\r\n", 100)) // too large
	s.mu.Lock()
	s.err = errors.New("database down")
	s.mu.Unlock()
	send("stars@viaa.gov.lv", testMsgText) // temporary failure
	s.mu.Lock()
	s.err = fmt.Errorf("spam: %w", ErrRejected)
	s.mu.Unlock()
	send("stars@viaa.gov.lv", testMsgText) // rejected
	out := logs.String()
	if !strings.Contains(out, "mail received") {
		t.Fatalf("nothing logged: %q", out)
	}
	if strings.Contains(out, "@") {
		t.Errorf("the log names an address:\n%s", out)
	}
}

// syncBuffer is a bytes.Buffer safe for the listener's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// selfSigned makes a certificate for localhost.
func selfSigned(t *testing.T) tls.Certificate {
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
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestParseAllow(t *testing.T) {
	got, err := ParseAllow(" 10.20.0.0/16, 192.168.1.5 ,::1, 2001:db8::/32,10.1.2.3/8")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.20.0.0/16", "192.168.1.5/32", "::1/128", "2001:db8::/32", "10.0.0.0/8"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("entry %d = %s, want %s", i, got[i], want[i])
		}
	}
	if def, _ := ParseAllow(""); len(def) != 2 || def[0].String() != "127.0.0.0/8" || def[1].String() != "::1/128" {
		t.Errorf("default = %v", def)
	}
	for _, bad := range []string{"10.0.0.0/33", "mail.viaa.gov.lv", "10.0.0.1,nonsense", "fe80::1%eth0"} {
		if _, err := ParseAllow(bad); err == nil {
			t.Errorf("ParseAllow(%q) accepted", bad)
		}
	}
	l := NewListener(Config{Allow: []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}})
	for addr, want := range map[string]bool{
		"10.20.3.4:25": true, "10.21.0.1:25": false, "127.0.0.1:25": false, "[::ffff:10.20.0.9]:25": true,
	} {
		ap := netip.MustParseAddrPort(addr)
		if got := l.allowed(net.TCPAddrFromAddrPort(ap)); got != want {
			t.Errorf("allowed(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestListener_ResentWithoutMessageID_SameSyntheticID: a message without a
// Message-ID that the relay sends twice (it missed our 250) gets the same
// synthetic Message-ID both times, although our Received: header differs.
func TestListener_ResentWithoutMessageID_SameSyntheticID(t *testing.T) {
	s := &sink{}
	addr := startWith(t, s, Config{})
	msg := []byte("From: anna@example.com\r\nTo: stars@viaa.gov.lv\r\nSubject: no id\r\n\r\nHello.\r\n")
	for range 2 {
		if err := smtp.SendMail(addr, nil, "anna@example.com", []string{"stars@viaa.gov.lv"}, msg); err != nil {
			t.Fatal(err)
		}
	}
	if s.count() != 2 || bytes.Equal(s.msgs[0], s.msgs[1]) {
		t.Fatalf("deliveries %q", s.msgs)
	}
	a, b := Parse(s.msgs[0]).MessageID, Parse(s.msgs[1]).MessageID
	if a != b || a != SyntheticMessageID(msg) {
		t.Errorf("synthetic ids %q, %q; of the message itself %q", a, b, SyntheticMessageID(msg))
	}
}

// TestListener_ReceivedHeader_HostileHELO: what a client says in EHLO
// cannot break the trace header.
func TestListener_ReceivedHeader_HostileHELO(t *testing.T) {
	for helo, want := range map[string]string{
		"relay.viaa.gov.lv":          "from relay.viaa.gov.lv ([127.0.0.1])",
		"[10.20.0.5]":                "from [10.20.0.5] ([127.0.0.1])",
		"evil\x1b]0;pwned\x07":       "from unknown ([127.0.0.1])",
		"x\rBcc:boss@viaa.gov.lv":    "from unknown ([127.0.0.1])",
		strings.Repeat("a.", 200):    "from unknown ([127.0.0.1])",
		"relay.viaa.gov.lv;injected": "from unknown ([127.0.0.1])",
	} {
		s := &sink{}
		addr := startWith(t, s, Config{})
		out := rawSession(t, addr, "EHLO "+helo+"\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<stars@viaa.gov.lv>\r\nDATA\r\n"+testMsgText+".\r\nQUIT\r\n")
		if s.count() != 1 {
			t.Errorf("EHLO %q: nothing delivered:\n%s", helo, out)
			continue
		}
		head, _, _ := bytes.Cut(s.msgs[0], []byte("\r\n"))
		if got := string(head); got != "Received: "+want {
			t.Errorf("EHLO %q: first line %q, want %q", helo, got, "Received: "+want)
		}
		m, err := mail.ReadMessage(bytes.NewReader(s.msgs[0]))
		if err != nil || len(m.Header["Received"]) != 1 || m.Header.Get("Bcc") != "" || m.Header.Get("Message-Id") != "<smtp-1@example.com>" {
			t.Errorf("EHLO %q: headers %v (%v)", helo, m.Header, err)
		}
	}
}

// TestListener_LongLines: a message line far beyond RFC 5321's 1000
// octets (HTML from a careless mail program) is still received.
func TestListener_LongLines(t *testing.T) {
	s := &sink{}
	addr := startWith(t, s, Config{})
	long := strings.Repeat("<td>x</td>", 2000) // 20,000 characters
	msg := "From: a@example.com\r\nMessage-ID: <long@example.com>\r\nContent-Type: text/html\r\n\r\n" + long + "\r\n"
	out := rawSession(t, addr, "EHLO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<stars@viaa.gov.lv>\r\nDATA\r\n"+msg+".\r\nQUIT\r\n")
	if s.count() != 1 || !strings.HasSuffix(string(s.msgs[0]), msg) {
		t.Errorf("long line not received; server said:\n%s", out)
	}
}
