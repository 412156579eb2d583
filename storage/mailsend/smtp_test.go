package mailsend_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage/mailsend"
)

// testMail is a message with Latvian letters everywhere, a line starting
// with a dot (SMTP must stuff it) and a line longer than quoted-printable
// allows.
func testMail() *domain.Mail {
	return &domain.Mail{
		ID:        4711,
		MessageID: "3f8a1c0d9e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f@ppp.viaa.gov.lv",
		To:        "janis.berzins@example.lv",
		Lang:      "lv",
		Subject:   "Jūsu pieteikums ir apstiprināts – Prasmju pārvaldības platforma (ģ, ķ, ļ, ņ, š, ž, č)",
		Body: "Labdien!\n\nPiešķirtā loma: karjeras konsultants\n.\n..punkts\n" +
			strings.Repeat("Garš teikums ar garumzīmēm ā ē ī ū. ", 8) + "\n\nAr cieņu\nValsts izglītības attīstības aģentūra\n",
		CreatedAt: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
	}
}

// newSMTP returns a sender for the test server at addr.
func newSMTP(t testing.TB, addr, query string) *mailsend.SMTP {
	t.Helper()
	s, err := mailsend.ParseSMTPURL("smtp://" + addr + query)
	if err != nil {
		t.Fatalf("ParseSMTPURL: %v", err)
	}
	s.DialTimeout = 2 * time.Second
	return s
}

func send(t testing.TB, s *mailsend.SMTP, m *domain.Mail) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	return s.Send(ctx, m)
}

// checkMessage parses raw as the message m and checks its headers and
// body.
func checkMessage(t testing.TB, raw string, m *domain.Mail) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 78 && !strings.Contains(line, "=") {
			t.Errorf("line %d is %d characters long: %q", i, len(line), line)
		}
		if len(line) > 998 {
			t.Errorf("line %d breaks the 998 limit", i)
		}
	}
	if strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") {
		t.Error("bare LF in the message")
	}
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, raw)
	}
	h := msg.Header
	var dec mime.WordDecoder
	if got, want := h.Get("Message-ID"), "<3f8a1c0d9e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f@ppp.viaa.gov.lv>"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	subject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, m.Subject)
	}
	if raw := h.Get("Subject"); !strings.Contains(raw, "=?UTF-8?q?") || strings.ContainsFunc(raw, func(r rune) bool { return r > 127 }) {
		t.Errorf("Subject %q is not Q-encoded UTF-8", raw)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "VIAA Prasmju pārvaldības platforma" || from[0].Address != "no-reply@viaa.gov.lv" {
		t.Errorf("From = %q → %v, %v", h.Get("From"), from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != m.To {
		t.Errorf("To = %q → %v, %v", h.Get("To"), to, err)
	}
	if date, err := h.Date(); err != nil || !date.Equal(m.CreatedAt) {
		t.Errorf("Date = %q → %v, %v; want %v", h.Get("Date"), date, err, m.CreatedAt)
	}
	for k, want := range map[string]string{
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=UTF-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("the body does not decode: %v", err)
	}
	if got := strings.ReplaceAll(string(body), "\r\n", "\n"); got != m.Body {
		t.Errorf("body decodes to\n%q\nwant\n%q", got, m.Body)
	}
}

func TestSMTP_Send_DeliversAProperMessage(t *testing.T) {
	srv := startSMTPServer(t, "127.0.0.1:0")
	m := testMail()
	if err := send(t, newSMTP(t, srv.addr(), ""), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if got.From != "no-reply@viaa.gov.lv" || len(got.To) != 1 || got.To[0] != m.To || got.Auth != "" {
		t.Errorf("envelope = %+v", got)
	}
	checkMessage(t, got.Data, m)
}

func TestSMTP_Send_AuthenticatesAndUsesTheConfiguredSender(t *testing.T) {
	srv := startSMTPServer(t, "127.0.0.1:0")
	// 127.0.0.1 counts as local, so net/smtp sends PLAIN without TLS.
	s := newSMTP(t, "ppp:slep%C4%81ts%21@"+srv.addr(), "?from=Aģentūra+%3Cppp%40viaa.gov.lv%3E&starttls=0")
	if err := send(t, s, testMail()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.messages()[0]
	if got.Auth != "ppp\x00slepāts!" || got.From != "ppp@viaa.gov.lv" {
		t.Errorf("auth %q from %q", got.Auth, got.From)
	}
	msg, _ := mail.ReadMessage(strings.NewReader(got.Data))
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].Name != "Aģentūra" {
		t.Errorf("From = %q → %v, %v", msg.Header.Get("From"), from, err)
	}
}

func TestSMTP_Send_FilesAndSMTPWriteTheSameBytes(t *testing.T) {
	srv := startSMTPServer(t, "127.0.0.1:0")
	m := testMail()
	if err := send(t, newSMTP(t, srv.addr(), ""), m); err != nil {
		t.Fatal(err)
	}
	composed, err := mailsend.Compose(mustAddress(t, mailsend.DefaultFrom), m)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.messages()[0].Data; got != string(composed) {
		t.Errorf("SMTP delivered\n%q\nCompose gives\n%q", got, composed)
	}
}

func TestSMTP_Send_TemporaryFailureThenRecovery(t *testing.T) {
	srv := startSMTPServer(t, "127.0.0.1:0")
	s := newSMTP(t, srv.addr(), "")
	m := testMail()

	srv.set(func(s *smtpServer) { s.dataReply = "451 4.3.0 <janis.berzins@example.lv> try again later" })
	err := send(t, s, m)
	var se *mailsend.SendError
	if !errors.As(err, &se) || se.Step != "DATA" || se.Permanent() {
		t.Fatalf("Send = %v, want a temporary DATA error", err)
	}
	srv.set(func(s *smtpServer) { s.dataReply = ""; s.endReply = "452 4.3.1 insufficient storage" })
	if err := send(t, s, m); !errors.As(err, &se) || se.Permanent() {
		t.Fatalf("Send = %v, want a temporary error at the end of DATA", err)
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("server kept %d messages while failing", n)
	}
	srv.set(func(s *smtpServer) { s.endReply = "" })
	if err := send(t, s, m); err != nil {
		t.Fatalf("Send after recovery: %v", err)
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("server has %d messages, want 1", n)
	}
}

func TestSMTP_Send_RecipientRefused_IsPermanent(t *testing.T) {
	srv := startSMTPServer(t, "127.0.0.1:0")
	srv.set(func(s *smtpServer) { s.rcptReply = "550 5.1.1 no such user" })
	err := send(t, newSMTP(t, srv.addr(), ""), testMail())
	var se *mailsend.SendError
	if !errors.As(err, &se) || se.Step != "RCPT TO" || !se.Permanent() {
		t.Fatalf("Send = %v, want a permanent RCPT TO error", err)
	}
}

func TestSMTP_Send_ConnectionRefused_IsTemporary(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = send(t, newSMTP(t, addr, ""), testMail())
	var se *mailsend.SendError
	if !errors.As(err, &se) || se.Step != "dial" || se.Permanent() {
		t.Fatalf("Send = %v, want a temporary dial error", err)
	}
}

func TestSMTP_Send_SilentServer_EndsWithTheContext(t *testing.T) {
	srv := startSMTPServer(t, "127.0.0.1:0")
	srv.set(func(s *smtpServer) { s.silent = true })
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := newSMTP(t, srv.addr(), "").Send(ctx, testMail())
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send = %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Send took %v after a 300 ms deadline", d)
	}
}

func TestSMTP_Send_StartTLSRequiredButNotOffered_SendsNothing(t *testing.T) {
	srv := startSMTPServer(t, "127.0.0.1:0")
	err := send(t, newSMTP(t, srv.addr(), "?starttls=1"), testMail())
	var se *mailsend.SendError
	if !errors.As(err, &se) || se.Step != "STARTTLS" {
		t.Fatalf("Send = %v, want a STARTTLS error", err)
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("server got %d messages", n)
	}
}

func TestParseSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		url, addr string
		tls       mailsend.TLSMode
		from      string
	}{
		{"smtp://mail.viaa.gov.lv", "mail.viaa.gov.lv:25", mailsend.StartTLSIfOffered, "no-reply@viaa.gov.lv"},
		{"smtp://u:p@mail.viaa.gov.lv:587?starttls=1&from=ppp%40viaa.gov.lv", "mail.viaa.gov.lv:587", mailsend.StartTLSRequired, "ppp@viaa.gov.lv"},
		{"smtp://[::1]:2525?starttls=0", "[::1]:2525", mailsend.StartTLSNever, "no-reply@viaa.gov.lv"},
		{"smtps://u:p@mail.viaa.gov.lv", "mail.viaa.gov.lv:465", mailsend.ImplicitTLS, "no-reply@viaa.gov.lv"},
		{"smtp://u:p@relay.viaa.lv:587?starttls=required&auth=LOGIN", "relay.viaa.lv:587", mailsend.StartTLSRequired, "no-reply@viaa.gov.lv"},
		{"smtp://u:p@relay.viaa.lv:587?starttls=1&auth=plain", "relay.viaa.lv:587", mailsend.StartTLSRequired, "no-reply@viaa.gov.lv"},
	} {
		s, err := mailsend.ParseSMTPURL(tc.url)
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		if s.Addr() != tc.addr || s.TLS() != tc.tls || s.From().Address != tc.from {
			t.Errorf("%s: addr %s tls %d from %s", tc.url, s.Addr(), s.TLS(), s.From().Address)
		}
	}
	for _, bad := range []string{
		"http://mail.viaa.gov.lv",
		"smtp://user:secret@mail.viaa.gov.lv:notaport",
		"smtp://user:secret@",
		"smtp://user:secret@mail.viaa.gov.lv?starttls=maybe",
		"smtp://user:secret@mail.viaa.gov.lv?from=nobody",
		"smtp://user:secret@mail.viaa.gov.lv?form=x%40y.lv",
		"smtps://user:secret@mail.viaa.gov.lv?starttls=1",
		"smtp://user:secret@mail.viaa.gov.lv:%zz",
		"smtp://user:secret@mail.viaa.gov.lv?auth=cram-md5",
		"smtp://user:secret@mail.viaa.gov.lv?starttls=requried",
	} {
		_, err := mailsend.ParseSMTPURL(bad)
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", bad, err)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error repeats the password: %v", bad, err)
		}
	}
}

func mustAddress(t testing.TB, s string) mail.Address {
	t.Helper()
	a, err := mail.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return *a
}
