package storage_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// institutionAdmin makes user an institution_admin of the env's institution.
func (e *hdEnv) institutionAdmin(t testing.TB, user int64) {
	t.Helper()
	if _, err := e.db.Pool().Exec(t.Context(), `
		INSERT INTO role_assignments (user_id, role, institution_id, valid_from, valid_until)
		VALUES ($1, 'institution_admin', $2, now() - interval '1 day', now() + interval '1 year')`,
		user, e.institutionID); err != nil {
		t.Fatal(err)
	}
}

func (e *hdEnv) onlyPending(t testing.TB, ds *storage.DefenceService) *domain.PendingReset {
	t.Helper()
	ps, err := ds.PendingResets(as(t, e.liga))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("pending resets = %d, want 1", len(ps))
	}
	return ps[0]
}

func templates(ms []outboxMail) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Template)
	}
	return out
}

func TestDefence_PrivilegedReset_NeedsSecondPerson(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	addr := "direktore@skola.lv"
	user := e.passwordUser(t, addr, true)
	e.institutionAdmin(t, user)
	tk := e.issueReset(t, addr, "Parole", "Aizmirsu paroli")
	if n := len(e.mailsTo(t, addr)); n != 0 {
		t.Fatalf("%d mails sent before approval", n)
	}
	if tk.State != domain.TicketInProgress {
		t.Errorf("ticket state %q, want in_progress", tk.State)
	}
	p := e.onlyPending(t, ds)
	if p.AccountKind != "platform_user" || p.AccountID != user || p.RequestedBy != e.anna.ID {
		t.Fatalf("pending = %+v", p)
	}
	// The requester cannot approve, not even from another session.
	wantError(t, ds.ApproveReset(as(t, e.anna), p.ID), domain.EFORBIDDEN, "defence.own_reset")
	wantError(t, ds.ApproveReset(asSession(t, e.anna, "another-session"), p.ID), domain.EFORBIDDEN, "defence.own_reset")
	if n := len(e.mailsTo(t, addr)); n != 0 {
		t.Fatalf("%d mails sent after refused approvals", n)
	}
	// The CHECK backs it.
	_, err := e.db.Pool().Exec(t.Context(), `UPDATE pending_resets SET state = 'approved', decided_by = requested_by, decided_at = now() WHERE id = $1`, p.ID)
	wantSQLState(t, err, "23514")
	if err := ds.ApproveReset(as(t, e.liga), p.ID); err != nil {
		t.Fatalf("ApproveReset by liga: %v", err)
	}
	got := templates(e.mailsTo(t, addr))
	if len(got) != 1 || got[0] != "helpdesk.reset_link" {
		t.Fatalf("mails = %v, want the link", got)
	}
	e.resetToken(t, addr)
	wantError(t, ds.ApproveReset(as(t, e.ilze), p.ID), domain.ECONFLICT, "defence.reset_decided")
	if ps, _ := ds.PendingResets(as(t, e.liga)); len(ps) != 0 {
		t.Fatalf("still pending: %+v", ps)
	}
}

func TestDefence_OperatorReset_ApprovedBySecurity_SendsCode(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	e.issueReset(t, "liga.helpdesk@viaa.gov.lv", "Password", "I forgot my password")
	if n := len(e.mailsTo(t, "liga.helpdesk@viaa.gov.lv")); n != 0 {
		t.Fatalf("%d mails sent before approval", n)
	}
	p := e.onlyPending(t, ds)
	if err := ds.ApproveReset(as(t, e.ilze), p.ID); err != nil {
		t.Fatal(err)
	}
	e.operatorCode(t, "liga.helpdesk@viaa.gov.lv")
}

func TestDefence_RefuseReset_NeedsNote(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	e.issueReset(t, "liga.helpdesk@viaa.gov.lv", "Password", "I forgot my password")
	p := e.onlyPending(t, ds)
	wantError(t, ds.RefuseReset(as(t, e.ilze), p.ID, " "), domain.EINVALID, "defence.note_required")
	if err := ds.RefuseReset(as(t, e.ilze), p.ID, "called her, she did not ask"); err != nil {
		t.Fatal(err)
	}
	wantError(t, ds.ApproveReset(as(t, e.andris), p.ID), domain.ECONFLICT, "defence.reset_decided")
	if n := len(e.mailsTo(t, "liga.helpdesk@viaa.gov.lv")); n != 0 {
		t.Fatalf("%d mails after refusal", n)
	}
}

func TestDefence_OrdinaryReset_OnePerson_WithNotice(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	addr := "skolotaja@skola.lv"
	e.passwordUser(t, addr, true)
	e.issueReset(t, addr, "Parole", "Aizmirsu paroli")
	got := templates(e.mailsTo(t, addr))
	if len(got) != 1 || got[0] != "helpdesk.reset_link" {
		t.Fatalf("mails = %v", got)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func openAlerts(t testing.TB, ds *storage.DefenceService, e *hdEnv) []*domain.Alert {
	t.Helper()
	as, err := ds.OpenAlerts(as(t, e.ilze))
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func TestDefence_ViewAlert_Threshold(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	e.db.AlertThresholds = domain.AlertThresholds{ViewsPerHour: 3, RevealsPerHour: 2}
	ctx := as(t, e.anna)
	for _, k := range []string{"p1", "p2", "p3", "p3", "p1"} { // just at the limit: 3 distinct
		if err := ds.RecordView(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if got := openAlerts(t, ds, e); len(got) != 0 {
		t.Fatalf("alerts at the threshold: %+v", got)
	}
	if err := ds.RecordView(ctx, "p4"); err != nil {
		t.Fatal(err)
	}
	got := openAlerts(t, ds, e)
	if len(got) != 1 || got[0].Kind != domain.AlertViews || got[0].Count != 4 || got[0].Threshold != 3 || got[0].OperatorID != e.anna.ID {
		t.Fatalf("alerts = %+v", got)
	}
	for _, k := range []string{"p5", "p6"} {
		if err := ds.RecordView(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if got := openAlerts(t, ds, e); len(got) != 1 {
		t.Fatalf("second alert within the hour: %+v", got)
	}
	// The security role only.
	if _, err := ds.OpenAlerts(ctx); err == nil {
		t.Error("helpdesk saw the alerts")
	}
	wantError(t, ds.CloseAlert(as(t, e.ilze), got[0].ID, ""), domain.EINVALID, "defence.note_required")
	if err := ds.CloseAlert(as(t, e.ilze), got[0].ID, "checked: a school's mass enrolment"); err != nil {
		t.Fatal(err)
	}
	if got := openAlerts(t, ds, e); len(got) != 0 {
		t.Fatalf("closed alert still open: %+v", got)
	}
	acts := auditActions(t, e.db)
	if !contains(acts, domain.AuditAlertRaise) || !contains(acts, domain.AuditAlertClose) {
		t.Errorf("audit = %v", acts)
	}
	// An hour later another alert may be raised.
	e.clock.advance(61 * time.Minute)
	for _, k := range []string{"q1", "q2", "q3", "q4"} {
		if err := ds.RecordView(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if got := openAlerts(t, ds, e); len(got) != 1 {
		t.Fatalf("alerts after an hour = %+v", got)
	}
}

func TestDefence_RevealAlert_Threshold(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	e.db.AlertThresholds = domain.AlertThresholds{ViewsPerHour: 100, RevealsPerHour: 2}
	// Reveals are made in the reviewers' queues: the audit entry and the
	// count are one call.
	ctx := as(t, newOperator(t, e.db, "rita.reviewer"))
	rr := &rrEnv{db: e.db, portal: storage.NewPortalService(e.db), svc: storage.NewRoleRequestService(e.db)}
	id := rr.pending(t, domain.KindMunicipalCoordinator)
	reveal := func() {
		t.Helper()
		if _, err := rr.svc.RevealPersonalCode(ctx, id, "sakrīt ar citu pieteikumu?"); err != nil {
			t.Fatal(err)
		}
	}
	reveal()
	reveal()
	if got := openAlerts(t, ds, e); len(got) != 0 {
		t.Fatalf("alerts at the threshold: %+v", got)
	}
	reveal()
	got := openAlerts(t, ds, e)
	if len(got) != 1 || got[0].Kind != domain.AlertReveals || got[0].Count != 3 {
		t.Fatalf("alerts = %+v", got)
	}
	reveal()
	if got := openAlerts(t, ds, e); len(got) != 1 {
		t.Fatalf("second alert within the hour: %+v", got)
	}
}

func TestDefence_SignIns_OwnOrAdmin(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	ds := storage.NewDefenceService(e.db)
	auth := storage.NewAuthService(e.db)
	for i := 0; i < 3; i++ {
		// A key sign-in's row is written by RecordSignIn (a password's by
		// the attempt itself).
		if err := auth.RecordSignIn(t.Context(), e.anna, domain.SignInPublicKey, "s", "192.0.2.5:1000"); err != nil {
			t.Fatal(err)
		}
		e.clock.advance(time.Minute)
	}
	got, err := ds.SignIns(as(t, e.anna), e.anna.ID, time.Time{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].At.After(got[1].At) || got[0].RemoteAddr != "192.0.2.5" || !got[0].Success || got[0].Method != "publickey" {
		t.Fatalf("sign-ins = %+v", got)
	}
	more, err := ds.SignIns(as(t, e.anna), e.anna.ID, got[1].At, 10)
	if err != nil || len(more) != 1 {
		t.Fatalf("next page = %+v, %v", more, err)
	}
	_, err = ds.SignIns(as(t, e.liga), e.anna.ID, time.Time{}, 10)
	wantError(t, err, domain.EFORBIDDEN, "defence.forbidden")
	admin := newOperator(t, e.db, "admins.visi", withRoles(domain.RoleAdmin))
	if got, err := ds.SignIns(as(t, admin), e.anna.ID, time.Time{}, 10); err != nil || len(got) != 3 {
		t.Fatalf("admin: %d, %v", len(got), err)
	}
}
