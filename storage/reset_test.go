package storage_test

import (
	"crypto/sha256"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

var tokenRE = regexp.MustCompile(`https://stars\.gov\.lv/parole\?token=([A-Za-z0-9_-]+)`)

// issueReset files a password-reset mail from sender, lets anna issue
// the reset and returns the ticket.
func (e *hdEnv) issueReset(t testing.TB, sender, subject, body string) *domain.Ticket {
	t.Helper()
	m := e.ingest(t, must(rawMail(sender, subject, body)))
	ctx := as(t, e.anna)
	tk := e.claim(t, ctx, m.TicketID)
	if err := e.svc.IssuePasswordReset(ctx, tk.ID, tk.Version); err != nil {
		t.Fatalf("IssuePasswordReset: %v", err)
	}
	return e.ticket(t, tk.ID)
}

// resetToken returns the token of the last reset link mailed to addr.
func (e *hdEnv) resetToken(t testing.TB, addr string) string {
	t.Helper()
	mails := e.mailsTo(t, addr)
	if len(mails) == 0 || mails[len(mails)-1].Template != "helpdesk.reset_link" {
		t.Fatalf("no reset link mailed to %s: %+v", addr, mails)
	}
	sm := tokenRE.FindStringSubmatch(mails[len(mails)-1].Body)
	if sm == nil {
		t.Fatalf("no link in %q", mails[len(mails)-1].Body)
	}
	return sm[1]
}

const newPortalPassword = "Jauna-Vārpa-42!"

func TestReset_IssueAndRedeem_SingleUse_OnlyHashStored(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	user := e.passwordUser(t, "liga.berzina@example.lv", true)
	tk := e.issueReset(t, "liga.berzina@example.lv", "I forgot my password", "Hello, I forgot my password, please help.")
	if tk.State != domain.TicketWaiting {
		t.Errorf("state %s, want waiting", tk.State)
	}
	token := e.resetToken(t, "liga.berzina@example.lv")
	if mails := e.mailsTo(t, "liga.berzina@example.lv"); mails[0].Lang != "en" || !strings.Contains(mails[0].Body, "60 minutes") {
		t.Errorf("mail %+v", mails[0])
	}
	if len(token) < 43 {
		t.Errorf("token %q shorter than 256 bits", token)
	}
	// Only the hash is stored, and the thread never shows the link.
	sum := sha256.Sum256([]byte(token))
	if n := e.count(t, `SELECT count(*) FROM password_reset_tokens WHERE token_hash = $1 AND account_id = $2`, sum[:], user); n != 1 {
		t.Errorf("%d tokens with the hash", n)
	}
	if n := e.count(t, `SELECT count(*) FROM password_reset_tokens WHERE position(convert_to($1, 'UTF8') in token_hash) > 0`, token); n != 0 {
		t.Error("the token itself is stored")
	}
	for _, msg := range tk.Messages {
		if strings.Contains(msg.Text, token) {
			t.Errorf("the thread shows the token: %+v", msg)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM ticket_replies WHERE position($1 in body) > 0`, token); n != 0 {
		t.Error("a reply stores the token")
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE position($1 in details || reason || subject_id) > 0`, token); n != 0 {
		t.Error("the audit log has the token")
	}

	portal := storage.NewPortalService(e.db)
	wantError(t, portal.RedeemResetToken(t.Context(), token, "short"), domain.EINVALID, "password.weak")
	if err := portal.RedeemResetToken(t.Context(), token, newPortalPassword); err != nil {
		t.Fatalf("redeem: %v", err)
	}
	var hash string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT password_hash FROM platform_users WHERE id = $1`, user).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || hash == "$argon2id$old" {
		t.Errorf("password hash %q", hash)
	}
	wantError(t, portal.RedeemResetToken(t.Context(), token, newPortalPassword+"x"), domain.EUNAUTHORIZED, "reset.invalid")
	wantError(t, portal.RedeemResetToken(t.Context(), "nonsense", newPortalPassword), domain.EUNAUTHORIZED, "reset.invalid")
	other, _ := domain.NewResetToken()
	wantError(t, portal.RedeemResetToken(t.Context(), other, newPortalPassword), domain.EUNAUTHORIZED, "reset.invalid")
}

func TestReset_TokenExpires(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	e.passwordUser(t, "liga.berzina@example.lv", true)
	e.issueReset(t, "liga.berzina@example.lv", "Parole", "Aizmirsu paroli")
	token := e.resetToken(t, "liga.berzina@example.lv")
	e.clock.advance(domain.ResetTokenLifetime + time.Second)
	wantError(t, storage.NewPortalService(e.db).RedeemResetToken(t.Context(), token, newPortalPassword), domain.EUNAUTHORIZED, "reset.invalid")
}

func TestReset_TokenVoidedByPasswordChangeOrNewToken(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	user := e.passwordUser(t, "liga.berzina@example.lv", true)
	e.issueReset(t, "liga.berzina@example.lv", "Parole", "Aizmirsu paroli")
	first := e.resetToken(t, "liga.berzina@example.lv")
	e.issueReset(t, "liga.berzina@example.lv", "Parole atkal", "Aizmirsu paroli vēlreiz")
	second := e.resetToken(t, "liga.berzina@example.lv")
	portal := storage.NewPortalService(e.db)
	wantError(t, portal.RedeemResetToken(t.Context(), first, newPortalPassword), domain.EUNAUTHORIZED, "reset.invalid")

	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET password_hash = '$argon2id$changed' WHERE id = $1`, user); err != nil {
		t.Fatal(err)
	}
	wantError(t, portal.RedeemResetToken(t.Context(), second, newPortalPassword), domain.EUNAUTHORIZED, "reset.invalid")
}

func TestReset_RefusedSender_GetsTheSameReplyAsNoAccount(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	e.passwordUser(t, "neapstiprinats@example.lv", false)
	e.issueReset(t, "neapstiprinats@example.lv", "Parole", "Aizmirsu paroli")
	e.issueReset(t, "nav.konta@example.lv", "Parole", "Aizmirsu paroli")
	a, b := e.mailsTo(t, "neapstiprinats@example.lv"), e.mailsTo(t, "nav.konta@example.lv")
	if len(a) != 1 || len(b) != 1 {
		t.Fatalf("mails %+v %+v", a, b)
	}
	if a[0].Template != "helpdesk.reset_refused" || b[0].Template != "helpdesk.reset_refused" ||
		a[0].Subj != b[0].Subj || a[0].Body != b[0].Body {
		t.Errorf("replies differ or are not refusals:\n%+v\n%+v", a[0], b[0])
	}
	if n := e.count(t, `SELECT count(*) FROM password_reset_tokens`); n != 0 {
		t.Errorf("%d tokens issued", n)
	}
}

func TestReset_LatvijaGovLvUser_GetsTheNoPasswordReply(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	e.vissUser(t, "janis.ozolins@example.lv")
	tk := e.issueReset(t, "janis.ozolins@example.lv", "Parole", "Aizmirsu paroli")
	if tk.Account == nil || tk.Account.HasPassword {
		t.Errorf("account %+v", tk.Account)
	}
	mails := e.mailsTo(t, "janis.ozolins@example.lv")
	if len(mails) != 1 || mails[0].Template != "helpdesk.no_password" || !strings.Contains(mails[0].Body, "Latvija.gov.lv") {
		t.Fatalf("mails %+v", mails)
	}
	if n := e.count(t, `SELECT count(*) FROM password_reset_tokens`); n != 0 {
		t.Errorf("%d tokens issued", n)
	}
}

// TestReset_OperatorAccount_HeldForSecondPerson proves that a reset of an
// agency employee's password sends nothing until a second person approves
// it (issue 9; the approval itself is tested with the defences).
func TestReset_OperatorAccount_HeldForSecondPerson(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	e.issueReset(t, "liga.helpdesk@viaa.gov.lv", "Password", "I forgot my password")
	if mails := e.mailsTo(t, "liga.helpdesk@viaa.gov.lv"); len(mails) != 0 {
		t.Errorf("an operator's reset sent mail before a second approval: %+v", mails)
	}
	if n := e.count(t, `SELECT count(*) FROM pending_resets WHERE account_kind = 'operator' AND account_id = $1 AND state = 'pending'`, e.liga.ID); n != 1 {
		t.Errorf("%d pending resets for the operator, want 1", n)
	}
}

var codeRE = regexp.MustCompile(`: ([A-Z0-9]{10})\n`)

func (e *hdEnv) operatorCode(t testing.TB, addr string) string {
	t.Helper()
	mails := e.mailsTo(t, addr)
	if len(mails) == 0 || mails[len(mails)-1].Template != "operator.reset_code" {
		t.Fatalf("no code mailed to %s: %+v", addr, mails)
	}
	sm := codeRE.FindStringSubmatch(mails[len(mails)-1].Body)
	if sm == nil {
		t.Fatalf("no code in %q", mails[len(mails)-1].Body)
	}
	return sm[1]
}

func TestReset_OperatorCode_SingleUse_Expiry_HashOnly(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	auth := storage.NewAuthService(e.db)
	ctx := t.Context()
	if err := auth.IssueOperatorResetCode(ctx, "liga.helpdesk"); err != nil {
		t.Fatal(err)
	}
	code := e.operatorCode(t, "liga.helpdesk@viaa.gov.lv")
	sum := sha256.Sum256([]byte("operator-code:" + code))
	if n := e.count(t, `SELECT count(*) FROM operator_reset_codes WHERE code_hash = $1`, sum[:]); n != 1 {
		t.Errorf("%d codes with the hash", n)
	}
	if n := e.count(t, `SELECT count(*) FROM operator_reset_codes WHERE position(convert_to($1, 'UTF8') in code_hash) > 0`, code); n != 0 {
		t.Error("the code itself is stored")
	}

	_, err := auth.RedeemOperatorResetCode(ctx, "liga.helpdesk", "AAAAAAAAAA")
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	_, err = auth.RedeemOperatorResetCode(ctx, "anna.helpdesk", code)
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	op, err := auth.RedeemOperatorResetCode(ctx, "liga.helpdesk", strings.ToLower(code))
	if err != nil || op.ID != e.liga.ID {
		t.Fatalf("redeem: %v %v", op, err)
	}
	_, err = auth.RedeemOperatorResetCode(ctx, "liga.helpdesk", code)
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")

	// A second code, within a minute, is not sent; later it is, and it
	// expires.
	if err := auth.IssueOperatorResetCode(ctx, "liga.helpdesk"); err != nil {
		t.Fatal(err)
	}
	if n := len(e.mailsTo(t, "liga.helpdesk@viaa.gov.lv")); n != 1 {
		t.Errorf("%d codes mailed within a minute", n)
	}
	e.clock.advance(2 * time.Minute)
	if err := auth.IssueOperatorResetCode(ctx, "liga.helpdesk"); err != nil {
		t.Fatal(err)
	}
	code2 := e.operatorCode(t, "liga.helpdesk@viaa.gov.lv")
	e.clock.advance(domain.OperatorResetCodeLifetime + time.Second)
	_, err = auth.RedeemOperatorResetCode(ctx, "liga.helpdesk", code2)
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")

	// Unknown names get the same nil and no mail.
	if err := auth.IssueOperatorResetCode(ctx, "nav.tada"); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditResetCodeIssue+`' AND subject_id = 'nav.tada'`); n != 1 {
		t.Errorf("%d audit entries for the unknown name", n)
	}
}

func TestReset_OperatorCode_VoidedByPasswordChange_AndWrongCodesLock(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	auth := storage.NewAuthService(e.db)
	ctx := t.Context()
	if err := auth.IssueOperatorResetCode(ctx, "liga.helpdesk"); err != nil {
		t.Fatal(err)
	}
	code := e.operatorCode(t, "liga.helpdesk@viaa.gov.lv")
	if err := storage.NewOperatorService(e.db).SetOperatorPassword(adminCtx(t), "liga.helpdesk", newPortalPassword); err != nil {
		t.Fatal(err)
	}
	_, err := auth.RedeemOperatorResetCode(ctx, "liga.helpdesk", code)
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")

	e.clock.advance(2 * time.Minute)
	if err := auth.IssueOperatorResetCode(ctx, "liga.helpdesk"); err != nil {
		t.Fatal(err)
	}
	code = e.operatorCode(t, "liga.helpdesk@viaa.gov.lv")
	storage.NoteWaits(auth) // the address's throttle is another test's
	for range auth.Policy.AccountFailures {
		_, err := auth.RedeemOperatorResetCode(ctx, "liga.helpdesk", "BBBBBBBBBB")
		wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	}
	// Wrong codes count like wrong passwords: the password is locked.
	if op, _ := storage.NewOperatorService(e.db).FindOperatorByName(ctx, "liga.helpdesk"); !op.PasswordLocked(e.clock.now()) {
		t.Fatal("five wrong codes did not lock the password")
	}
	// The right code still works: it is how an operator locked out by
	// someone else's guesses gets back in (issue 13).
	if op, err := auth.RedeemOperatorResetCode(ctx, "liga.helpdesk", code); err != nil || op.ID != e.liga.ID {
		t.Fatalf("the right code while the password is locked: %v, %v", op, err)
	}
}
