package storage_test

import (
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// A password reset started from a person's account (issue 17) follows the
// ticket's rules: ¶31.3 (a single-use link to the confirmed address only),
// ¶14 (a Latvija.gov.lv account is told it has no Platform password), the
// helpdesk role, and one link a minute.
func TestAccountReset_Rules_P31_3_P14(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	user := e.passwordUser(t, "parastais@skola.lv", true)
	unconfirmed := e.passwordUser(t, "neapstiprinats@skola.lv", false)
	viss := e.vissUser(t, "viss@example.lv")
	start := func(op *domain.Operator, id int64, reason string) (*domain.AccountResetResult, error) {
		return ds.StartAccountReset(as(t, op), id, reason)
	}
	tokens := func(id int64) int {
		return e.count(t, `SELECT count(*) FROM password_reset_tokens WHERE account_kind = 'platform_user' AND account_id = $1`, id)
	}

	_, err := start(e.ilze, user, "asked by phone")
	wantError(t, err, domain.EFORBIDDEN, "defence.forbidden")
	_, err = start(e.anna, user, "  ")
	wantError(t, err, domain.EINVALID, "account.reason_required")
	_, err = start(e.anna, viss, "asked by phone")
	wantError(t, err, domain.EINVALID, "account.reset_viss")
	_, err = start(e.anna, unconfirmed, "asked by phone")
	wantError(t, err, domain.EINVALID, "account.reset_unconfirmed")
	_, err = start(e.anna, 999999, "asked by phone")
	wantError(t, err, domain.ENOTFOUND, "defence.no_such_user")
	if tokens(viss)+tokens(unconfirmed) != 0 || len(e.mailsTo(t, "viss@example.lv"))+len(e.mailsTo(t, "neapstiprinats@skola.lv")) != 0 {
		t.Fatal("a refused reset made a token or sent mail")
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1`, domain.AuditAccountResetRefused); n != 2 {
		t.Fatalf("refusals audited: %d, want 2", n)
	}

	res, err := start(e.anna, user, "asked by phone, ticket lost")
	if err != nil || res.Held {
		t.Fatalf("StartAccountReset = %+v, %v; want the link sent", res, err)
	}
	mails := e.mailsTo(t, "parastais@skola.lv")
	if len(mails) != 1 || mails[0].Template != "helpdesk.reset_link" || !strings.Contains(mails[0].Body, "http") || tokens(user) != 1 {
		t.Fatalf("mails = %+v, tokens %d; want one link", mails, tokens(user))
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND reason = $3`,
		domain.AuditAccountResetIssued, itoa(user), "asked by phone, ticket lost"); n != 1 {
		t.Fatal("the reset was not audited with its reason")
	}
	_, err = start(e.liga, user, "again")
	wantError(t, err, domain.ECONFLICT, "account.reset_too_soon")
}

// Four eyes for a privileged account (an institution's administrator):
// the requester's reset holds no link; the requester cannot approve it,
// from any session; a second helpdesk operator can, and only then the
// link is in the outbox. Both steps are audited.
func TestAccountReset_Privileged_SecondPersonApproves_P31_3(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	admin := e.passwordUser(t, "direktore@skola.lv", true)
	e.institutionAdmin(t, admin)

	res, err := ds.StartAccountReset(as(t, e.anna), admin, "the director asked by phone")
	if err != nil || !res.Held || res.PendingID == 0 {
		t.Fatalf("StartAccountReset = %+v, %v; want held", res, err)
	}
	if n := e.count(t, `SELECT count(*) FROM password_reset_tokens WHERE account_id = $1`, admin); n != 0 || len(e.mailsTo(t, "direktore@skola.lv")) != 0 {
		t.Fatal("a held reset made a token or sent mail before approval")
	}
	_, err = ds.StartAccountReset(as(t, e.liga), admin, "again")
	wantError(t, err, domain.ECONFLICT, "account.reset_pending")
	p := e.onlyPending(t, ds)
	if p.ID != res.PendingID || p.TicketID != 0 || p.AccountID != admin || p.RequestedBy != e.anna.ID {
		t.Fatalf("pending = %+v", p)
	}
	wantError(t, ds.ApproveReset(as(t, e.anna), p.ID), domain.EFORBIDDEN, "defence.own_reset")
	wantError(t, ds.ApproveReset(asSession(t, e.anna, "another-session"), p.ID), domain.EFORBIDDEN, "defence.own_reset")
	if len(e.mailsTo(t, "direktore@skola.lv")) != 0 {
		t.Fatal("a refused approval sent the link")
	}
	if err := ds.ApproveReset(as(t, e.ilze), p.ID); err != nil {
		t.Fatalf("a security officer approves: %v", err)
	}
	mails := e.mailsTo(t, "direktore@skola.lv")
	if len(mails) != 1 || mails[0].Template != "helpdesk.reset_link" {
		t.Fatalf("mails after approval = %+v", mails)
	}
	wantError(t, ds.ApproveReset(as(t, e.liga), p.ID), domain.ECONFLICT, "defence.reset_decided")
	for _, a := range []string{domain.AuditAccountResetHeld, domain.AuditResetApprove} {
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2`, a, itoa(admin)); n != 1 {
			t.Fatalf("%s audited %d times", a, n)
		}
	}

	// A held reset of an account whose address is no longer confirmed is
	// stale; refusing one touches no ticket.
	other := e.passwordUser(t, "vietniece@skola.lv", true)
	e.institutionAdmin(t, other)
	res, err = ds.StartAccountReset(as(t, e.anna), other, "asked by phone")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET email_confirmed = false WHERE id = $1`, other); err != nil {
		t.Fatal(err)
	}
	wantError(t, ds.ApproveReset(as(t, e.liga), res.PendingID), domain.ECONFLICT, "defence.reset_stale")
	if err := ds.RefuseReset(as(t, e.liga), res.PendingID, "the address is not confirmed"); err != nil {
		t.Fatalf("refuse a ticketless reset: %v", err)
	}
}
