package storage_test

import (
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Staff changes of a Platform account's e-mail address are requests that
// a second person approves (issue 13).

// requestChange files a request by op and returns it.
func requestChange(t testing.TB, ds *storage.DefenceService, op *domain.Operator, user int64, addr string) *domain.EmailChange {
	t.Helper()
	c, err := ds.RequestEmailChange(as(t, op), user, addr, "ticket 12: the old mailbox is closed")
	if err != nil {
		t.Fatalf("RequestEmailChange by %s: %v", op.Name, err)
	}
	return c
}

func accountEmail(t testing.TB, e *hdEnv, user int64) string {
	t.Helper()
	var email string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT email FROM platform_users WHERE id = $1`, user).Scan(&email); err != nil {
		t.Fatal(err)
	}
	return email
}

func TestDefence_EmailChange_RequestChangesNothing_UntilASecondPersonApproves(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	user := e.passwordUser(t, "vecais@skola.lv", true)
	ctx := as(t, e.anna)
	wantError(t, func() error { _, err := ds.RequestEmailChange(ctx, user, "jaunais@skola.lv", " "); return err }(),
		domain.EINVALID, "defence.reason_required")
	if _, err := ds.RequestEmailChange(ctx, user, "not an address", "asked by phone"); err == nil {
		t.Fatal("bad address accepted")
	}
	wantError(t, func() error {
		_, err := ds.RequestEmailChange(ctx, user, "VECAIS@skola.lv", "asked by phone")
		return err
	}(),
		domain.EINVALID, "defence.email_same")

	c := requestChange(t, ds, e.anna, user, "jaunais@skola.lv")
	if c.State != domain.EmailChangePending || c.OldEmail != "vecais@skola.lv" || c.NewEmail != "jaunais@skola.lv" ||
		c.RequestedBy != e.anna.ID || c.AccountName != "Līga Bērziņa" || !c.ExpiresAt.Equal(c.RequestedAt.Add(domain.EmailChangeLifetime)) {
		t.Fatalf("request = %+v", c)
	}
	if got := accountEmail(t, e, user); got != "vecais@skola.lv" {
		t.Fatalf("the address changed on the request alone: %q", got)
	}
	for _, a := range []string{"vecais@skola.lv", "jaunais@skola.lv"} {
		if got := e.mailsTo(t, a); len(got) != 0 {
			t.Fatalf("mails to %s before approval: %v", a, templates(got))
		}
	}
	// One request per account at a time.
	wantError(t, func() error {
		_, err := ds.RequestEmailChange(as(t, e.liga), user, "cits@skola.lv", "asked again")
		return err
	}(),
		domain.ECONFLICT, "defence.email_change_pending")

	pending, err := ds.PendingEmailChanges(as(t, e.liga))
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].ID != c.ID {
		t.Fatalf("pending = %+v", pending)
	}
	if err := ds.ApproveEmailChange(as(t, e.liga), c.ID); err != nil {
		t.Fatalf("ApproveEmailChange by liga: %v", err)
	}
	if got := accountEmail(t, e, user); got != "jaunais@skola.lv" {
		t.Fatalf("address after approval = %q", got)
	}
	for _, a := range []string{"vecais@skola.lv", "jaunais@skola.lv"} {
		if got := templates(e.mailsTo(t, a)); len(got) != 1 || got[0] != "account.email_changed" {
			t.Errorf("mails to %s = %v", a, got)
		}
	}
	h, err := ds.AccountHistory(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 1 || h[0].Old != "vecais@skola.lv" || h[0].New != "jaunais@skola.lv" || h[0].Field != "email" ||
		h[0].Reason == "" || h[0].ActorName != e.anna.FullName || h[0].ApprovedByName != e.liga.FullName {
		t.Fatalf("history = %+v", h)
	}
	if pending, _ := ds.PendingEmailChanges(as(t, e.liga)); len(pending) != 0 {
		t.Fatalf("still pending after approval: %+v", pending)
	}
	wantError(t, ds.ApproveEmailChange(as(t, e.liga), c.ID), domain.ECONFLICT, "defence.email_change_decided")
	acts := auditActions(t, e.db)
	if !contains(acts, domain.AuditEmailChangeRequest) || !contains(acts, domain.AuditEmailChange) {
		t.Errorf("not audited: %v", acts)
	}

	// A reset within 30 days tells the previous address too.
	e.issueReset(t, "jaunais@skola.lv", "Parole", "Aizmirsu paroli")
	if got := templates(e.mailsTo(t, "vecais@skola.lv")); len(got) != 2 || got[1] != "account.reset_notice" {
		t.Errorf("mails to the previous address = %v", got)
	}
	if got := templates(e.mailsTo(t, "jaunais@skola.lv")); len(got) != 2 || got[1] != "helpdesk.reset_link" {
		t.Errorf("mails to the current address = %v", got)
	}
	// After 30 days only the current address.
	e.clock.advance(31 * 24 * time.Hour)
	e.issueReset(t, "jaunais@skola.lv", "Parole", "Atkal aizmirsu")
	if got := templates(e.mailsTo(t, "vecais@skola.lv")); len(got) != 2 {
		t.Errorf("mails to the previous address after 30 days = %v", got)
	}
}

func TestDefence_EmailChange_RequesterCannotApprove_EvenFromAnotherSession(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	user := e.passwordUser(t, "vecais@skola.lv", true)
	c := requestChange(t, ds, e.anna, user, "jaunais@skola.lv")
	if err := c.ApprovalBlocker(e.anna.ID, time.Now()); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("domain rule for the requester: %v", err)
	}
	wantError(t, ds.ApproveEmailChange(as(t, e.anna), c.ID), domain.EFORBIDDEN, "defence.own_email_change")
	wantError(t, ds.ApproveEmailChange(asSession(t, e.anna, "cli-another"), c.ID), domain.EFORBIDDEN, "defence.own_email_change")
	// The CHECK backs it.
	_, err := e.db.Pool().Exec(t.Context(), `
		UPDATE email_change_requests SET state = 'approved', decided_by = requested_by, decided_at = now() WHERE id = $1`, c.ID)
	wantSQLState(t, err, "23514")
	if got := accountEmail(t, e, user); got != "vecais@skola.lv" {
		t.Fatalf("the requester changed the address: %q", got)
	}
	if n := len(e.mailsTo(t, "jaunais@skola.lv")); n != 0 {
		t.Fatalf("%d mails after refused approvals", n)
	}
}

func TestDefence_EmailChange_Roles(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	user := e.passwordUser(t, "vecais@skola.lv", true)
	reviewer := &domain.Operator{Name: "rita.recenzente", FullName: "Rita Recenzente", Roles: []domain.Role{domain.RoleReviewer}}
	if err := storage.NewOperatorService(e.db).CreateOperator(adminCtx(t), reviewer, ""); err != nil {
		t.Fatal(err)
	}
	wantError(t, func() error {
		_, err := ds.RequestEmailChange(as(t, reviewer), user, "jaunais@skola.lv", "asked")
		return err
	}(),
		domain.EFORBIDDEN, "defence.forbidden")
	// Security may ask, but not approve: the second person is the
	// helpdesk or an administrator.
	c := requestChange(t, ds, e.ilze, user, "jaunais@skola.lv")
	wantError(t, ds.ApproveEmailChange(as(t, e.andris), c.ID), domain.EFORBIDDEN, "defence.forbidden")
	wantError(t, func() error { _, err := ds.PendingEmailChanges(as(t, e.andris)); return err }(), domain.EFORBIDDEN, "defence.forbidden")
	wantError(t, ds.ApproveEmailChange(t.Context(), c.ID), domain.EUNAUTHORIZED, "defence.no_operator")
	if err := ds.ApproveEmailChange(as(t, e.anna), c.ID); err != nil {
		t.Fatalf("a helpdesk operator approves security's request: %v", err)
	}
}

func TestDefence_EmailChange_Refused_NothingSent(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	user := e.passwordUser(t, "vecais@skola.lv", true)
	c := requestChange(t, ds, e.anna, user, "jaunais@skola.lv")
	wantError(t, ds.RefuseEmailChange(as(t, e.liga), c.ID, " "), domain.EINVALID, "defence.note_required")
	if err := ds.RefuseEmailChange(as(t, e.liga), c.ID, "the caller could not say the school"); err != nil {
		t.Fatal(err)
	}
	wantError(t, ds.ApproveEmailChange(as(t, e.liga), c.ID), domain.ECONFLICT, "defence.email_change_decided")
	wantError(t, ds.RefuseEmailChange(as(t, e.liga), c.ID, "again"), domain.ECONFLICT, "defence.email_change_decided")
	if got := accountEmail(t, e, user); got != "vecais@skola.lv" {
		t.Fatalf("a refused request changed the address: %q", got)
	}
	for _, a := range []string{"vecais@skola.lv", "jaunais@skola.lv"} {
		if n := len(e.mailsTo(t, a)); n != 0 {
			t.Errorf("%d mails to %s after a refusal", n, a)
		}
	}
	// The account is free for a new request.
	requestChange(t, ds, e.liga, user, "jaunais@skola.lv")
}

func TestDefence_EmailChange_Expired_CannotBeApproved(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	user := e.passwordUser(t, "vecais@skola.lv", true)
	c := requestChange(t, ds, e.anna, user, "jaunais@skola.lv")
	e.clock.advance(domain.EmailChangeLifetime + time.Minute)
	if pending, _ := ds.PendingEmailChanges(as(t, e.liga)); len(pending) != 0 {
		t.Fatalf("an expired request is listed: %+v", pending)
	}
	wantError(t, ds.ApproveEmailChange(as(t, e.liga), c.ID), domain.ECONFLICT, "defence.email_change_expired")
	var state string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT state FROM email_change_requests WHERE id = $1`, c.ID).Scan(&state); err != nil {
		t.Fatal(err)
	}
	if state != domain.EmailChangeExpired {
		t.Fatalf("state after a late approval = %q, want expired", state)
	}
	if got := accountEmail(t, e, user); got != "vecais@skola.lv" {
		t.Fatalf("an expired request changed the address: %q", got)
	}
	// A new request replaces it.
	requestChange(t, ds, e.anna, user, "jaunais@skola.lv")
}

func TestDefence_EmailChange_Stale_WhenTheAddressChangedMeanwhile(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	user := e.passwordUser(t, "vecais@skola.lv", true)
	c := requestChange(t, ds, e.anna, user, "jaunais@skola.lv")
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET email = 'cits@skola.lv' WHERE id = $1`, user); err != nil {
		t.Fatal(err)
	}
	wantError(t, ds.ApproveEmailChange(as(t, e.liga), c.ID), domain.ECONFLICT, "defence.email_change_stale")
	if got := accountEmail(t, e, user); got != "cits@skola.lv" {
		t.Fatalf("a stale request changed the address: %q", got)
	}
}

func TestDefence_EmailChange_ConcurrentApprovals_DecideOnce(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	user := e.passwordUser(t, "vecais@skola.lv", true)
	c := requestChange(t, ds, e.anna, user, "jaunais@skola.lv")
	approvers := []*domain.Operator{e.liga}
	for _, n := range []string{"karlis.helpdesk", "maija.helpdesk", "otto.helpdesk", "pauls.helpdesk", "rudite.helpdesk", "sandra.helpdesk", "toms.helpdesk"} {
		op := &domain.Operator{Name: n, FullName: n, Email: n + "@viaa.gov.lv", Roles: []domain.Role{domain.RoleHelpdesk}}
		if err := storage.NewOperatorService(e.db).CreateOperator(adminCtx(t), op, ""); err != nil {
			t.Fatal(err)
		}
		approvers = append(approvers, op)
	}
	errs := make([]error, len(approvers))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, op := range approvers {
		wg.Go(func() {
			<-start
			errs[i] = ds.ApproveEmailChange(as(t, op), c.ID)
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case domain.AsError(err) == nil || domain.AsError(err).Key != "defence.email_change_decided":
			t.Errorf("a losing approval got %v, want defence.email_change_decided", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d approvals succeeded, want exactly 1", ok)
	}
	for _, a := range []string{"vecais@skola.lv", "jaunais@skola.lv"} {
		if n := len(e.mailsTo(t, a)); n != 1 {
			t.Errorf("%d notices to %s, want 1", n, a)
		}
	}
	var changes int
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM account_changes WHERE user_id = $1`, user).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	if changes != 1 {
		t.Errorf("%d history entries, want 1", changes)
	}
}
