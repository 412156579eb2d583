package contracttest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// DefenceHarness is an implementation of domain.DefenceService with what
// the suite needs around it.
type DefenceHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.DefenceService
	// Views returns how many record views the service has counted for the
	// operator.
	Views(t *testing.T, op *domain.Operator) int
	// Account stores a Platform user of Latvija.gov.lv with the confirmed
	// address email and no name, and returns its id.
	Account(t *testing.T, email string) int64
	// SetAccountEmail changes an account's address, as the Platform would.
	SetAccountEmail(t *testing.T, id int64, email string)
	// SeedPendingReset holds a password reset of a privileged account (an
	// operator's, who will get a one-time code), asked for by requester
	// through a ticket at requestedAt, and returns its id.
	SeedPendingReset(t *testing.T, requester *domain.Operator, requestedAt time.Time) int64
	// ResetAccount stores a Platform user of kind a.Kind ("viss" or
	// "password"; a password user belongs to an institution) with the
	// address email, confirmed or not, who administers their institution
	// when privileged, and returns its id.
	ResetAccount(t *testing.T, email string, a domain.ResetAccount, privileged bool) int64
	// SeedAlert raises an alert of kind about op at raisedAt and returns
	// its id.
	SeedAlert(t *testing.T, op *domain.Operator, kind domain.AlertKind, raisedAt time.Time) int64
	// SeedSignIn records a sign-in attempt of op at at.
	SeedSignIn(t *testing.T, op *domain.Operator, at time.Time, success bool)
}

// defEnv is one run of the suite: a fresh harness, two helpdesk operators,
// a security officer and an administrator.
type defEnv struct {
	h                        DefenceHarness
	svc                      domain.DefenceService
	ilze, anna, laura, berta *domain.Operator
	ilzeC, annaC, lauraC     context.Context
	bertaC                   context.Context
}

// RunDefenceService runs the defences' suite, each test on a harness of
// its own from newHarness.
func RunDefenceService(t *testing.T, newHarness func(t *testing.T) DefenceHarness) {
	run := func(name string, f func(t *testing.T, e *defEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &defEnv{h: h, svc: h.Service()}
			e.ilze = h.Operator(t, "ilze.berzina", "Ilze Bērziņa", "ilze.berzina@viaa.gov.lv", domain.RoleHelpdesk)
			e.anna = h.Operator(t, "anna.kalnina", "Anna Kalniņa", "anna.kalnina@viaa.gov.lv", domain.RoleHelpdesk)
			e.laura = h.Operator(t, "laura.liepa", "Laura Liepa", "laura.liepa@viaa.gov.lv", domain.RoleSecurity)
			e.berta = h.Operator(t, "berta.admina", "Berta Admina", "berta.admina@viaa.gov.lv", domain.RoleAdmin)
			e.ilzeC, e.annaC, e.lauraC, e.bertaC = As(t, e.ilze, "s-ilze"), As(t, e.anna, "s-anna"), As(t, e.laura, "s-laura"), As(t, e.berta, "s-berta")
			f(t, e)
		})
	}

	run("Resets_SecondPersonApproves_AnyoneRefuses", func(t *testing.T, e *defEnv) {
		now := e.h.Now()
		a := e.h.SeedPendingReset(t, e.ilze, now.Add(-time.Hour))
		b := e.h.SeedPendingReset(t, e.ilze, now.Add(-2*time.Hour))
		list, err := e.svc.PendingResets(e.annaC)
		must(t, "pending resets", err)
		if ids := resetIDs(list); !slices.Equal(ids, []int64{b, a}) {
			t.Errorf("pending, oldest first: %v, want %v", ids, []int64{b, a})
		} else if list[0].RequestedBy != e.ilze.ID || list[0].State != "pending" {
			t.Errorf("a pending reset: %+v", list[0])
		}
		wantErr(t, "the requester", e.svc.ApproveReset(e.ilzeC, a), domain.EFORBIDDEN, "defence.own_reset")
		wantErr(t, "the requester in another session", e.svc.ApproveReset(As(t, e.ilze, "s-ilze-2"), a), domain.EFORBIDDEN, "defence.own_reset")
		must(t, "approve", e.svc.ApproveReset(e.lauraC, a))
		wantErr(t, "approve again", e.svc.ApproveReset(e.annaC, a), domain.ECONFLICT, "defence.reset_decided")
		wantErr(t, "no such reset", e.svc.ApproveReset(e.annaC, b+1000), domain.ENOTFOUND, "defence.reset_not_found")

		wantErr(t, "refuse without a note", e.svc.RefuseReset(e.annaC, b, " \x00 "), domain.EINVALID, "defence.note_required")
		must(t, "the requester withdraws", e.svc.RefuseReset(e.ilzeC, b, "Lietotājs atrada paroli"))
		wantErr(t, "refuse again", e.svc.RefuseReset(e.annaC, b, "x"), domain.ECONFLICT, "defence.reset_decided")
		wantErr(t, "refuse a decided one", e.svc.RefuseReset(e.annaC, a, "x"), domain.ECONFLICT, "defence.reset_decided")
		wantErr(t, "refuse no such reset", e.svc.RefuseReset(e.annaC, b+1000, "x"), domain.ENOTFOUND, "defence.reset_not_found")
		list, err = e.svc.PendingResets(e.lauraC)
		must(t, "pending resets", err)
		if len(list) != 0 {
			t.Errorf("still pending: %v", resetIDs(list))
		}
	})

	run("Alerts_OpenNewestFirst_ClosedWithANote", func(t *testing.T, e *defEnv) {
		now := e.h.Now()
		older := e.h.SeedAlert(t, e.ilze, domain.AlertViews, now.Add(-2*time.Hour))
		newer := e.h.SeedAlert(t, e.anna, domain.AlertReveals, now.Add(-time.Hour))
		open, err := e.svc.OpenAlerts(e.lauraC)
		must(t, "open alerts", err)
		if len(open) != 2 || open[0].ID != newer || open[1].ID != older || open[0].OperatorID != e.anna.ID ||
			open[0].Kind != domain.AlertReveals || !open[0].ClosedAt.IsZero() {
			t.Errorf("open, newest first: %+v", open)
		}
		wantErr(t, "no note", e.svc.CloseAlert(e.lauraC, older, "  "), domain.EINVALID, "defence.note_required")
		must(t, "close", e.svc.CloseAlert(e.lauraC, older, " Pārbaudīts: skolas audits "))
		wantErr(t, "close again", e.svc.CloseAlert(e.lauraC, older, "x"), domain.ECONFLICT, "defence.alert_closed")
		wantErr(t, "no such alert", e.svc.CloseAlert(e.lauraC, newer+1000, "x"), domain.ENOTFOUND, "defence.alert_not_found")
		open, err = e.svc.OpenAlerts(e.lauraC)
		must(t, "open alerts", err)
		if len(open) != 1 || open[0].ID != newer {
			t.Errorf("open after closing one: %+v", open)
		}
	})

	run("SignIns_OwnOrAnAdministrators", func(t *testing.T, e *defEnv) {
		now := e.h.Now()
		for i, ok := range []bool{true, false, true} {
			e.h.SeedSignIn(t, e.ilze, now.Add(-time.Duration(3-i)*time.Hour), ok)
		}
		e.h.SeedSignIn(t, e.anna, now.Add(-time.Minute), true)
		own, err := e.svc.SignIns(e.ilzeC, e.ilze.ID, time.Time{}, 0)
		must(t, "own sign-ins", err)
		if len(own) != 3 || !own[0].Success || own[1].Success || !near(own[0].At, now.Add(-time.Hour)) ||
			!slices.IsSortedFunc(own, func(a, b *domain.SignIn) int { return b.At.Compare(a.At) }) {
			t.Errorf("own sign-ins, newest first: %+v", own)
		}
		page, err := e.svc.SignIns(e.ilzeC, e.ilze.ID, own[0].At, 1)
		must(t, "the next page", err)
		if len(page) != 1 || !page[0].At.Equal(own[1].At) {
			t.Errorf("the page before the newest: %+v", page)
		}
		_, err = e.svc.SignIns(e.annaC, e.ilze.ID, time.Time{}, 0)
		wantErr(t, "a colleague's", err, domain.EFORBIDDEN, "defence.forbidden")
		theirs, err := e.svc.SignIns(e.bertaC, e.ilze.ID, time.Time{}, 0)
		must(t, "an administrator reads anyone's", err)
		if len(theirs) != 3 {
			t.Errorf("the administrator sees %d sign-ins, want 3", len(theirs))
		}
		_, err = e.svc.SignIns(e.bertaC, e.berta.ID+1000, time.Time{}, 0)
		wantErr(t, "no such operator", err, domain.ENOTFOUND, "defence.no_such_operator")
	})

	run("RecordView_CountsTheActorsLook", func(t *testing.T, e *defEnv) {
		wantErr(t, "no person", e.svc.RecordView(e.ilzeC, "  "), domain.EINVALID, "defence.no_person")
		must(t, "view", e.svc.RecordView(e.ilzeC, domain.PersonKey(PersonalCode(27001))))
		must(t, "view", e.svc.RecordView(e.ilzeC, domain.PersonKey(PersonalCode(27002))))
		if n := e.h.Views(t, e.ilze); n != 2 {
			t.Errorf("views counted: %d, want 2", n)
		}
	})

	run("EmailChange_RequestChangesNothing_UntilASecondPersonApproves", func(t *testing.T, e *defEnv) {
		user := e.h.Account(t, "vecais@example.lv")
		e.h.Account(t, "aiznemts@example.lv")
		for _, tc := range []struct {
			what, email, reason, code, key string
			user                           int64
		}{
			{"no reason", "jauns@example.lv", "  ", domain.EINVALID, "defence.reason_required", user},
			{"a bad address", "nav adrese", "lūgums", domain.EINVALID, "email.format", user},
			{"the same address", "VECAIS@example.lv", "lūgums", domain.EINVALID, "defence.email_same", user},
			{"another account's", "aiznemts@example.lv", "lūgums", domain.ECONFLICT, "defence.email_taken", user},
			{"no such user", "jauns@example.lv", "lūgums", domain.ENOTFOUND, "defence.no_such_user", user + 1000},
		} {
			_, err := e.svc.RequestEmailChange(e.ilzeC, tc.user, tc.email, tc.reason)
			wantErr(t, tc.what, err, tc.code, tc.key)
		}
		c, err := e.svc.RequestEmailChange(e.ilzeC, user, " jauns@example.lv ", " Lietotāja lūgums pa tālruni ")
		must(t, "request", err)
		if c.ID == 0 || c.UserID != user || c.OldEmail != "vecais@example.lv" || c.NewEmail != "jauns@example.lv" ||
			c.Reason != "Lietotāja lūgums pa tālruni" || c.RequestedBy != e.ilze.ID || c.RequestedName != "Ilze Bērziņa" ||
			c.State != domain.EmailChangePending || !near(c.ExpiresAt, e.h.Now().Add(domain.EmailChangeLifetime)) {
			t.Errorf("the request: %+v", c)
		}
		_, err = e.svc.RequestEmailChange(e.bertaC, user, "cits@example.lv", "vēl viens")
		wantErr(t, "a second request", err, domain.ECONFLICT, "defence.email_change_pending")
		pending, err := e.svc.PendingEmailChanges(e.annaC)
		must(t, "pending", err)
		if len(pending) != 1 || pending[0].ID != c.ID {
			t.Errorf("pending: %+v", pending)
		}
		if h, err := e.svc.AccountHistory(e.annaC, user); err != nil || len(h) != 0 {
			t.Errorf("history before the approval: %v, %v", h, err)
		}

		wantErr(t, "the requester", e.svc.ApproveEmailChange(e.ilzeC, c.ID), domain.EFORBIDDEN, "defence.own_email_change")
		wantErr(t, "the requester in another session", e.svc.ApproveEmailChange(As(t, e.ilze, "s-ilze-2"), c.ID),
			domain.EFORBIDDEN, "defence.own_email_change")
		must(t, "approve", e.svc.ApproveEmailChange(e.annaC, c.ID))
		hist, err := e.svc.AccountHistory(e.annaC, user)
		must(t, "history", err)
		if len(hist) != 1 || hist[0].Field != "email" || hist[0].Old != "vecais@example.lv" || hist[0].New != "jauns@example.lv" ||
			hist[0].ActorName != "Ilze Bērziņa" || hist[0].ApprovedByName != "Anna Kalniņa" || hist[0].Reason != c.Reason {
			t.Errorf("the account's history: %+v", hist)
		}
		wantErr(t, "approve again", e.svc.ApproveEmailChange(e.bertaC, c.ID), domain.ECONFLICT, "defence.email_change_decided")
		wantErr(t, "refuse what was approved", e.svc.RefuseEmailChange(e.bertaC, c.ID, "x"), domain.ECONFLICT, "defence.email_change_decided")
		wantErr(t, "no such request", e.svc.ApproveEmailChange(e.annaC, c.ID+1000), domain.ENOTFOUND, "defence.email_change_not_found")
		// The address is the new one now.
		_, err = e.svc.RequestEmailChange(e.ilzeC, user, "jauns@example.lv", "atpakaļ")
		wantErr(t, "the address it has now", err, domain.EINVALID, "defence.email_same")
	})

	run("EmailChange_ExpiredStaleOrWithdrawn", func(t *testing.T, e *defEnv) {
		user := e.h.Account(t, "lietotajs@example.lv")
		c, err := e.svc.RequestEmailChange(e.ilzeC, user, "jauns@example.lv", "lūgums")
		must(t, "request", err)
		e.h.Advance(domain.EmailChangeLifetime + time.Minute)
		pending, err := e.svc.PendingEmailChanges(e.annaC)
		must(t, "pending", err)
		if len(pending) != 0 {
			t.Errorf("an expired request is listed: %+v", pending)
		}
		wantErr(t, "approve after expiry", e.svc.ApproveEmailChange(e.annaC, c.ID), domain.ECONFLICT, "defence.email_change_expired")
		// Expired, it keeps no other request out.
		c, err = e.svc.RequestEmailChange(e.ilzeC, user, "jauns@example.lv", "lūgums vēlreiz")
		must(t, "request again", err)

		e.h.SetAccountEmail(t, user, "pasa@example.lv")
		wantErr(t, "the address changed meanwhile", e.svc.ApproveEmailChange(e.annaC, c.ID), domain.ECONFLICT, "defence.email_change_stale")
		wantErr(t, "refuse without a note", e.svc.RefuseEmailChange(e.ilzeC, c.ID, ""), domain.EINVALID, "defence.note_required")
		must(t, "the requester withdraws", e.svc.RefuseEmailChange(e.ilzeC, c.ID, "Lietotājs pats nomainīja"))
		pending, err = e.svc.PendingEmailChanges(e.bertaC)
		must(t, "pending", err)
		if len(pending) != 0 {
			t.Errorf("a refused request is listed: %+v", pending)
		}
		wantErr(t, "refuse no such request", e.svc.RefuseEmailChange(e.annaC, c.ID+1000, "x"), domain.ENOTFOUND, "defence.email_change_not_found")
		// Issue 17: the account's contact history lists every request,
		// newest first, with its state, addresses, requester and reason.
		all, err := e.svc.AccountEmailChanges(e.lauraC, user)
		must(t, "the account's requests", err)
		if len(all) != 2 || all[0].ID != c.ID || all[0].State != domain.EmailChangeRefused || all[0].Reason != "lūgums vēlreiz" ||
			all[0].NewEmail != "jauns@example.lv" || all[0].RequestedBy != e.ilze.ID || all[1].State != domain.EmailChangeExpired {
			t.Errorf("the account's requests = %+v", all)
		}
	})

	// Issue 17: a reset started from a person's account follows the
	// ticket's rules (¶14, ¶31.3), and a privileged account's waits for a
	// second person, listed with no ticket and with the reason.
	run("AccountReset_RulesAndFourEyes_P14_P31_3", func(t *testing.T, e *defEnv) {
		viss := e.h.ResetAccount(t, "viss@example.lv", domain.ResetAccount{Kind: "viss", EmailConfirmed: true}, false)
		unconfirmed := e.h.ResetAccount(t, "nav@skola.lv", domain.ResetAccount{Kind: "password"}, false)
		plain := e.h.ResetAccount(t, "parasts@skola.lv", domain.ResetAccount{Kind: "password", EmailConfirmed: true}, false)
		admin := e.h.ResetAccount(t, "direktors@skola.lv", domain.ResetAccount{Kind: "password", EmailConfirmed: true}, true)
		start := func(id int64, reason string) (*domain.AccountResetResult, error) {
			return e.svc.StartAccountReset(e.ilzeC, id, reason)
		}
		_, err := start(viss, "zvanīja")
		wantErr(t, "a Latvija.gov.lv account", err, domain.EINVALID, "account.reset_viss")
		_, err = start(unconfirmed, "zvanīja")
		wantErr(t, "an unconfirmed address", err, domain.EINVALID, "account.reset_unconfirmed")
		_, err = start(plain, " ")
		wantErr(t, "no reason", err, domain.EINVALID, "account.reason_required")
		res, err := start(plain, "zvanīja")
		must(t, "an ordinary account", err)
		if res.Held {
			t.Fatal("an ordinary account's reset was held")
		}
		res, err = start(admin, "direktors zvanīja")
		must(t, "a privileged account", err)
		if !res.Held || res.PendingID == 0 {
			t.Fatalf("a privileged account's reset = %+v; want held", res)
		}
		_, err = e.svc.StartAccountReset(e.annaC, admin, "vēlreiz")
		wantErr(t, "a second start", err, domain.ECONFLICT, "account.reset_pending")
		list, err := e.svc.PendingResets(e.annaC)
		must(t, "pending resets", err)
		if len(list) != 1 || list[0].ID != res.PendingID || list[0].TicketID != 0 || list[0].AccountID != admin ||
			list[0].Reason != "direktors zvanīja" || list[0].RequestedBy != e.ilze.ID {
			t.Fatalf("pending = %+v", list)
		}
		wantErr(t, "the requester", e.svc.ApproveReset(As(t, e.ilze, "s-ilze-2"), res.PendingID), domain.EFORBIDDEN, "defence.own_reset")
		must(t, "a second person", e.svc.ApproveReset(e.lauraC, res.PendingID))
	})
}

func resetIDs(list []*domain.PendingReset) []int64 {
	var out []int64
	for _, r := range list {
		out = append(out, r.ID)
	}
	return out
}
