package main_test

// End-to-end tests of the helpdesk (issue 7, "Must show"): a message
// mailed to stars@viaa.gov.lv through the server's SMTP listener becomes a
// ticket; a helpdesk operator signed in over SSH opens it and issues the
// password reset; the outbox delivers the link (to DATA_DIR/outbox, there
// being no PPP_SMTP_URL) and the portal's side redeems the token once. And
// the operator path: a one-time code by e-mail, an SSH sign-in with it
// (keyboard-interactive), the forced change to a password that obeys ¶31,
// the dashboard, and then the new password works and the code does not.

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/smtp"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// hdCols and hdRows: wide enough that the ticket list and the ¶31
// problems are not cut or wrapped.
const (
	hdCols = 160
	hdRows = 40
)

// mailWait bounds the wait for the outbox worker to deliver a mail.
const mailWait = 30 * time.Second

// startServerWithMail starts the server with PPP_MAIL_ADDR=127.0.0.1:0 and
// returns it with the address of its SMTP listener (the "Mail (SMTP): ADDR"
// line, cli.serve.mail_listening).
func (in *instance) startServerWithMail() (*server, string) {
	in.tb.Helper()
	s := in.startServer("PPP_MAIL_ADDR=127.0.0.1:0")
	return s, s.waitLine("cli.serve.mail_listening")
}

// sendSMTP hands a message to the listener the way the Agency's mail
// server relays one: a plain SMTP conversation with net/smtp.
func sendSMTP(t *testing.T, addr, from, to string, msg []byte) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatalf("smtp dial %s: %v", addr, err)
	}
	defer c.Close()
	if err := c.Hello("mx.viaa.gov.lv"); err != nil {
		t.Fatalf("HELO: %v", err)
	}
	if err := c.Mail(from); err != nil {
		t.Fatalf("MAIL FROM: %v", err)
	}
	if err := c.Rcpt(to); err != nil {
		t.Fatalf("RCPT TO %s: %v", to, err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if _, err := w.Write(msg); err != nil {
		t.Fatalf("DATA write: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("end of DATA: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("QUIT: %v", err)
	}
}

// deliveredMail is one .eml the outbox wrote, its body decoded.
type deliveredMail struct {
	file    string
	to      string
	subject string
	body    string
}

// readOutbox parses every DATA_DIR/outbox/*.eml.
func readOutbox(t *testing.T, in *instance) []deliveredMail {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(in.dataDir, "outbox", "*.eml"))
	var out []deliveredMail
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), ".") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		m, err := mail.ReadMessage(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		var body io.Reader = m.Body
		if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(m.Body)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("decode the body of %s: %v", f, err)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			subject = m.Header.Get("Subject")
		}
		out = append(out, deliveredMail{file: f, to: m.Header.Get("To"), subject: subject, body: string(b)})
	}
	return out
}

// waitMail waits for a delivered mail to addr whose body matches re and
// returns the first submatch.
func waitMail(t *testing.T, in *instance, addr string, re *regexp.Regexp) (string, deliveredMail) {
	t.Helper()
	deadline := time.Now().Add(mailWait)
	for {
		for _, m := range readOutbox(t, in) {
			if !strings.Contains(strings.ToLower(m.to), strings.ToLower(addr)) {
				continue
			}
			if sm := re.FindStringSubmatch(m.body); sm != nil {
				return sm[1], m
			}
		}
		if time.Now().After(deadline) {
			var seen []string
			for _, m := range readOutbox(t, in) {
				seen = append(seen, fmt.Sprintf("%s to %q: %q\n%s", filepath.Base(m.file), m.to, m.subject, m.body))
			}
			t.Fatalf("no mail to %s matching %s in %s within %v; the outbox holds:\n%s",
				addr, re, filepath.Join(in.dataDir, "outbox"), mailWait, strings.Join(seen, "\n---\n"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// openDB opens the instance's database for the storage functions the
// portal and the command line use.
func openDB(t *testing.T, in *instance) *storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
	defer cancel()
	db, err := storage.Open(ctx, in.dbURL)
	if err != nil {
		t.Fatalf("open the test's database: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

var resetLinkRE = regexp.MustCompile(regexp.QuoteMeta(domain.DefaultPortalURL+domain.ResetPath+"?token=") + `([A-Za-z0-9_-]+)`)

var resetCodeRE = regexp.MustCompile(`:\s*([A-HJ-NP-Z2-9]{10})\b`)

func TestE2E_Helpdesk_MailIn_Ticket_ResetIssued_TokenRedeemed(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	const userAddr = "liga.berzina@skola.example.lv"
	const subject = "Aizmirsu paroli"

	// An institution user with a Platform password and a confirmed
	// address, as storage/helpdesk_test.go sets one up.
	conn := sqlConn(t, in)
	_, userID := institutionUser(t, conn, 1, "Rīgas Valsts 1. ģimnāzija", "Līga", "Bērziņa", userAddr)

	helper := in.addOperator("ilze.palidziba", "Ilze Palīdzība", "helpdesk")
	srv, mailAddr := in.startServerWithMail()

	// Mail in, over SMTP.
	mailStars(t, mailAddr, "Līga Bērziņa", userAddr, subject,
		"Labdien!\r\n\r\nEsmu aizmirsusi savu Platformas paroli. Lūdzu, palīdziet to atjaunot.\r\n\r\nAr cieņu,\r\nLīga Bērziņa\r\n")
	ticketID := waitTicket(t, conn, subject, "")
	var category, suggested, accKind string
	var accID int64
	scalar(t, conn, `SELECT category, suggested, coalesce(account_kind, ''), coalesce(account_id, 0) FROM tickets WHERE id = $1`,
		[]any{ticketID}, &category, &suggested, &accKind, &accID)
	if suggested != "password_reset" || category != "password_reset" {
		t.Errorf("ticket %d: category %q, suggested %q; want password_reset", ticketID, category, suggested)
	}
	if accKind != "platform_user" || accID != userID {
		t.Errorf("ticket %d matched %s %d, want platform_user %d", ticketID, accKind, accID, userID)
	}

	// The helpdesk operator signs in and opens the helpdesk screen.
	client := srv.mustDial(t, helper.name, ssh.PublicKeys(helper.signer))
	term := openTerminal(t, client, "xterm-256color", hdCols, hdRows)
	term.waitText(helper.header(), 0)
	mark := term.mark()
	term.press("2")
	term.waitText(text(t, lv, "tui.hd.queue_title"), mark)
	term.waitFor("the ticket in the list with its suggested category", mark, func(s string) bool {
		return strings.Contains(s, subject) && strings.Contains(s, text(t, lv, "tui.hd.cat.password_reset"))
	})

	// Open it: it is claimed, the category shows as suggested.
	mark = term.mark()
	term.press("\r")
	term.waitText(text(t, lv, "tui.hd.detail.title", ticketID, subject), mark)
	term.waitText(prefixOf(t, "tui.hd.claim.yours"), mark)
	term.waitText(text(t, lv, "tui.hd.category_same", text(t, lv, "tui.hd.cat.password_reset")), mark)

	// p, then confirm.
	mark = term.mark()
	term.press("p")
	term.waitText(text(t, lv, "tui.hd.reset_title", ticketID), mark)
	mark = term.mark()
	term.press("\r")
	term.waitText(text(t, lv, "tui.hd.done.reset", ticketID), mark)

	// The outbox delivers the link to the confirmed address.
	token, delivered := waitMail(t, in, userAddr, resetLinkRE)
	if len(token) < 22 {
		t.Errorf("token %q is shorter than 128 bits", token)
	}
	t.Logf("reset link delivered in %s, subject %q", filepath.Base(delivered.file), delivered.subject)

	// The portal redeems it once.
	portal := storage.NewPortalService(openDB(t, in))
	newPassword := strongPassword()
	if err := portal.RedeemResetToken(t.Context(), token, newPassword); err != nil {
		t.Fatalf("RedeemResetToken: %v", err)
	}
	err := portal.RedeemResetToken(t.Context(), token, strongPassword())
	if domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Errorf("second redeem: %v, want EUNAUTHORIZED reset.invalid", err)
	}
	var hash string
	scalar(t, conn, `SELECT password_hash FROM platform_users WHERE id = $1`, []any{userID}, &hash)
	if hash == "$argon2id$old" || strings.Contains(hash, newPassword) {
		t.Errorf("password hash after redeem: %q", hash)
	}
	var state string
	scalar(t, conn, `SELECT state FROM tickets WHERE id = $1`, []any{ticketID}, &state)
	if state != "waiting" {
		t.Errorf("ticket state %q after the reset, want waiting", state)
	}

	// The helpdesk never saw the token.
	if strings.Contains(term.screen.String(), token) || strings.Contains(term.screen.textSince(0), token) {
		t.Error("the helpdesk's screen showed the reset token")
	}
	if strings.Contains(srv.stdout.String()+srv.stderr.String(), token) {
		t.Error("the server's log shows the reset token")
	}

	term.press("q")
	_ = term.waitEnd("q")
	srv.stop()
	if res := in.run(t, "", "audit", "verify"); res.code != 0 {
		t.Errorf("audit verify: %s", res)
	}
}

func TestE2E_Helpdesk_OperatorCodeSignIn_ForcedPasswordChange(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	const name = "maris.ozols"
	const fullName = "Māris Ozols"
	const addr = "maris.ozols@viaa.gov.lv"
	oldPassword := strongPassword()
	_, _, pubFile := newKeyFiles(t, name)
	in.mustRun(t, oldPassword+"\n", "operator", "add", name,
		"--role", "helpdesk", "--full-name", fullName, "--email", addr,
		"--key", pubFile, "--password-stdin")

	srv, _ := in.startServerWithMail()

	// The code is issued as the command line would (the system actor).
	db := openDB(t, in)
	if err := storage.NewAuthService(db).IssueOperatorResetCode(t.Context(), name); err != nil {
		t.Fatalf("IssueOperatorResetCode: %v", err)
	}
	code, delivered := waitMail(t, in, addr, resetCodeRE)
	t.Logf("code delivered in %s, subject %q", filepath.Base(delivered.file), delivered.subject)

	// Sign in with the code, by keyboard-interactive.
	answers := &passwordAnswers{password: code}
	client := srv.mustDial(t, name, answers.method())
	term := openTerminal(t, client, "xterm-256color", hdCols, hdRows)
	term.waitText(text(t, lv, "tui.pw.title"), 0)
	term.waitText(fullName, 0)
	if s := term.screen.textSince(0); strings.Contains(s, "["+"1 "+text(t, lv, "tui.tab.dashboard")+"]") {
		t.Errorf("the dashboard's tab shows before the new password:\n%s", s)
	}

	// A weak password: the ¶31 problems.
	mark := term.mark()
	term.press("abcdef\tabcdef\r")
	weak := term.waitText(text(t, lv, "password.weak"), mark)
	for _, k := range []string{"password.no_upper", "password.no_digit", "password.no_special"} {
		want := text(t, lv, k)
		if !strings.Contains(weak, want) {
			weak = term.waitText(want, mark)
		}
	}
	term.waitText(text(t, lv, "password.too_short", 9), mark)

	// A strong one: the dashboard.
	newPassword := strongPassword()
	mark = term.mark()
	// Clear the fields (the form keeps what was typed): backspaces.
	term.press("\x1b[Z") // shift+tab back to the first field, in case focus stayed on the second
	term.press(strings.Repeat("\x7f", 12) + newPassword + "\t" + strings.Repeat("\x7f", 12) + newPassword + "\r")
	term.waitText(text(t, lv, "tui.pw.done"), mark)
	term.waitText("[1 "+text(t, lv, "tui.tab.dashboard")+"]", mark)
	term.waitText(text(t, lv, "tui.dash.title"), mark)
	// The header line does not change, so the renderer does not redraw
	// it: the operator's name is in the header drawn at sign-in.
	term.waitText(fullName+" ("+name+")", 0)
	term.press("q")
	_ = term.waitEnd("q")

	// A fresh sign-in with the new password works…
	fresh := &passwordAnswers{password: newPassword}
	c2 := srv.mustDial(t, name, fresh.method())
	t2 := openTerminal(t, c2, "xterm-256color", hdCols, hdRows)
	t2.waitText("[1 "+text(t, lv, "tui.tab.dashboard")+"]", 0)
	if strings.Contains(t2.screen.textSince(0), text(t, lv, "tui.pw.title")) {
		t.Error("the password-change screen shows again after a sign-in with the new password")
	}
	t2.press("q")
	_ = t2.waitEnd("q")

	// …and the code, the old password do not.
	if c, err := srv.dial(name, (&passwordAnswers{password: code}).method()); err == nil {
		c.Close()
		t.Error("the one-time code signed in a second time")
	}
	if c, err := srv.dial(name, (&passwordAnswers{password: oldPassword}).method()); err == nil {
		c.Close()
		t.Error("the old password still signs in")
	}

	srv.stop()
	if res := in.run(t, "", "audit", "verify"); res.code != 0 {
		t.Errorf("audit verify: %s", res)
	}
}

// institutionUser makes an active institution (its registration numbers
// ending in n) and one of its password users with a confirmed address;
// it returns the institution's id and the user's.
func institutionUser(t *testing.T, conn *pgx.Conn, n int, institution, first, last, addr string) (instID, userID int64) {
	t.Helper()
	scalar(t, conn, `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ($1, '4000300000' || $2, '310000000' || $2, 'skola' || $2 || '@example.lv', 'active', now()) RETURNING id`,
		[]any{institution, strconv.Itoa(n)}, &instID)
	scalar(t, conn, `
		INSERT INTO platform_users (kind, email, password_hash, institution_id, first_name, last_name, email_confirmed)
		VALUES ('password', $1, '$argon2id$old', $2, $3, $4, true) RETURNING id`, []any{addr, instID, first, last}, &userID)
	return instID, userID
}

// mailStars delivers a plain-text message from name <addr> to
// stars@viaa.gov.lv through the server's SMTP listener at mailAddr.
func mailStars(t *testing.T, mailAddr, name, addr, subject, body string) {
	t.Helper()
	msg := "From: " + name + " <" + addr + ">\r\n" +
		"To: stars@viaa.gov.lv\r\n" +
		"Subject: " + subject + "\r\n" +
		"Message-ID: <e2e-" + randomHex(6) + "@skola.example.lv>\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n" +
		"\r\n" + body
	sendSMTP(t, mailAddr, addr, "stars@viaa.gov.lv", []byte(msg))
}

// waitTicket waits until the mail with subject has become a ticket (of
// category, when that is not empty) and returns the ticket's id.
func waitTicket(t *testing.T, conn *pgx.Conn, subject, category string) int64 {
	t.Helper()
	var id int64
	deadline := time.Now().Add(waitTimeout)
	for {
		err := conn.QueryRow(t.Context(), `SELECT id FROM tickets WHERE subject = $1 AND ($2 = '' OR category = $2)`, subject, category).Scan(&id)
		if err == nil {
			return id
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ticket %q after the SMTP delivery: %v", subject, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
