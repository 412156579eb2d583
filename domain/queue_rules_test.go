package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

var ruleNow = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

// wantRefusal fails unless err is nil (key "") or a domain error with that
// code and key.
func wantRefusal(t *testing.T, what string, err error, code, key string) {
	t.Helper()
	if key == "" {
		if err != nil {
			t.Errorf("%s: refused with %v, want allowed", what, err)
		}
		return
	}
	e := domain.AsError(err)
	if e == nil || e.Code != code || e.Key != key {
		t.Errorf("%s: got %v, want %s %s", what, err, code, key)
	}
}

func TestRoleRequestAllows_EachActionFromEachState(t *testing.T) {
	me := domain.OperatorRef{ID: 1, Name: "Jānis Ozols", Email: "janis@viaa.gov.lv"}
	cfg := domain.DefaultRoleRequestConfig()
	req := func(st domain.RoleRequestState, mod ...func(*domain.RoleRequest)) *domain.RoleRequest {
		r := &domain.RoleRequest{ID: 7, State: st, Version: 3, CreatedAt: ruleNow.Add(-24 * time.Hour),
			Form: domain.RoleRequestForm{Email: "liga@example.lv", PersonalCode: "180565-05610"}}
		if st != domain.StateUnconfirmed && st != domain.StateExpired {
			r.EmailConfirmedAt = ruleNow.Add(-20 * time.Hour)
		}
		for _, f := range mod {
			f(r)
		}
		return r
	}
	held := func(r *domain.RoleRequest) {
		r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt = 2, "Anna Kalniņa", ruleNow.Add(time.Minute)
	}
	lapsed := func(r *domain.RoleRequest) {
		r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt = 2, "Anna Kalniņa", ruleNow
	}
	mine := func(r *domain.RoleRequest) { r.Form.Email = " JANIS@viaa.gov.lv " }
	decided := func(r *domain.RoleRequest) { r.DecidedBy, r.DecidedByName = 2, "Anna Kalniņa" }
	waitedLong := func(r *domain.RoleRequest) { r.EmailConfirmedAt = ruleNow.AddDate(0, 0, -cfg.TakeOverAfterDays) }
	old := func(r *domain.RoleRequest) { r.CreatedAt = ruleNow.Add(-domain.UnconfirmedLifetime) }
	noCode := func(r *domain.RoleRequest) { r.Form.PersonalCode = "" }

	const (
		inv = domain.EINVALID
		con = domain.ECONFLICT
		frb = domain.EFORBIDDEN
	)
	for _, tc := range []struct {
		name      string
		r         *domain.RoleRequest
		a         domain.RoleRequestAction
		code, key string
	}{
		{"approve pending", req(domain.StatePending), domain.RoleRequestApprove, "", ""},
		{"reject pending, lapsed claim", req(domain.StatePending, lapsed), domain.RoleRequestReject, "", ""},
		{"ask pending", req(domain.StatePending), domain.RoleRequestAskInfo, "", ""},
		{"approve own", req(domain.StatePending, mine), domain.RoleRequestApprove, frb, "rolerequest.own"},
		{"claim own", req(domain.StatePending, mine), domain.RoleRequestClaim, frb, "rolerequest.own"},
		{"reveal own", req(domain.StatePending, mine), domain.RoleRequestReveal, "", ""},
		{"approve held", req(domain.StatePending, held), domain.RoleRequestApprove, con, "rolerequest.claimed"},
		{"claim held", req(domain.StatePending, held), domain.RoleRequestClaim, con, "rolerequest.claimed"},
		{"reject approved", req(domain.StateApproved, decided), domain.RoleRequestReject, con, "rolerequest.decided"},
		{"claim rejected", req(domain.StateRejected, decided), domain.RoleRequestClaim, con, "rolerequest.decided"},
		{"approve expired", req(domain.StateExpired), domain.RoleRequestApprove, inv, "rolerequest.expired"},
		{"approve unconfirmed", req(domain.StateUnconfirmed), domain.RoleRequestApprove, inv, "rolerequest.unconfirmed"},
		{"approve at institution", req(domain.StateAtInstitution, waitedLong), domain.RoleRequestApprove, inv, "rolerequest.at_institution"},
		{"ask while asked", req(domain.StateInfoRequested), domain.RoleRequestAskInfo, con, "rolerequest.info_requested"},
		{"claim unconfirmed", req(domain.StateUnconfirmed), domain.RoleRequestClaim, "", ""},
		{"claim at institution", req(domain.StateAtInstitution), domain.RoleRequestClaim, "", ""},
		{"claim info requested", req(domain.StateInfoRequested), domain.RoleRequestClaim, "", ""},
		{"resend unconfirmed", req(domain.StateUnconfirmed), domain.RoleRequestResend, "", ""},
		{"resend unconfirmed too old", req(domain.StateUnconfirmed, old), domain.RoleRequestResend, inv, "rolerequest.expired"},
		{"resend pending", req(domain.StatePending), domain.RoleRequestResend, inv, "rolerequest.not_unconfirmed"},
		{"resend held", req(domain.StateUnconfirmed, held), domain.RoleRequestResend, con, "rolerequest.claimed"},
		{"take over due", req(domain.StateAtInstitution, waitedLong), domain.RoleRequestTakeOver, "", ""},
		{"take over early", req(domain.StateAtInstitution), domain.RoleRequestTakeOver, inv, "rolerequest.takeover_too_early"},
		{"take over held", req(domain.StateAtInstitution, waitedLong, held), domain.RoleRequestTakeOver, con, "rolerequest.claimed"},
		{"take over pending", req(domain.StatePending), domain.RoleRequestTakeOver, inv, "rolerequest.not_at_institution"},
		{"reveal decided", req(domain.StateApproved, decided), domain.RoleRequestReveal, "", ""},
		{"reveal without a code", req(domain.StatePending, noCode), domain.RoleRequestReveal, inv, "rolerequest.no_personal_code"},
		{"unknown action", req(domain.StatePending), "sing", domain.EINTERNAL, "error.internal"},
	} {
		wantRefusal(t, tc.name, tc.r.Allows(tc.a, me, ruleNow, cfg), tc.code, tc.key)
	}

	// The refusals name who is in the way.
	err := req(domain.StateApproved, decided).Allows(domain.RoleRequestApprove, me, ruleNow, cfg)
	if args := domain.AsError(err).Args; len(args) != 1 || args[0] != "Anna Kalniņa" {
		t.Errorf("decided: args %v", args)
	}
	err = req(domain.StateRejected).Allows(domain.RoleRequestApprove, me, ruleNow, cfg)
	if args := domain.AsError(err).Args; len(args) != 1 || args[0] != "—" {
		t.Errorf("decided by nobody named: args %v", args)
	}
	err = req(domain.StatePending, held).Allows(domain.RoleRequestApprove, me, ruleNow, cfg)
	if args := domain.AsError(err).Args; len(args) != 1 || args[0] != "Anna Kalniņa" {
		t.Errorf("held: args %v", args)
	}
	// The holder themselves is not kept out.
	anna := domain.OperatorRef{ID: 2, Name: "Anna Kalniņa"}
	wantRefusal(t, "approve by the holder", req(domain.StatePending, held).Allows(domain.RoleRequestApprove, anna, ruleNow, cfg), "", "")

	wantRefusal(t, "same version", req(domain.StatePending).CheckVersion(3), "", "")
	wantRefusal(t, "other version", req(domain.StatePending).CheckVersion(2), con, "rolerequest.changed")
}

func TestIMKAllows_EachActionFromEachState(t *testing.T) {
	me := domain.OperatorRef{ID: 1}
	app := func(st domain.IMKState, mod ...func(*domain.IMKApplication)) *domain.IMKApplication {
		a := &domain.IMKApplication{ID: 4, State: st, Version: 2, PersonalCode: "180565-05610"}
		for _, f := range mod {
			f(a)
		}
		return a
	}
	held := func(a *domain.IMKApplication) {
		a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = 2, "Anna Kalniņa", ruleNow.Add(time.Second)
	}
	for _, tc := range []struct {
		name      string
		a         *domain.IMKApplication
		act       domain.IMKAction
		code, key string
	}{
		{"approve in review", app(domain.IMKNeedsReview), domain.IMKApprove, "", ""},
		{"claim in review", app(domain.IMKNeedsReview), domain.IMKClaim, "", ""},
		{"refetch held", app(domain.IMKNeedsReview, held), domain.IMKRefetch, domain.ECONFLICT, "imk.claimed"},
		{"reject approved", app(domain.IMKApproved), domain.IMKReject, domain.ECONFLICT, "imk.decided"},
		{"claim rejected", app(domain.IMKRejected), domain.IMKClaim, domain.ECONFLICT, "imk.decided"},
		{"approve while checking", app(domain.IMKChecking), domain.IMKApprove, domain.EINVALID, "imk.not_in_review"},
		{"claim suspended", app(domain.IMKSuspended), domain.IMKClaim, domain.EINVALID, "imk.not_in_review"},
		{"reveal decided", app(domain.IMKApproved), domain.IMKReveal, "", ""},
		{"reveal without a code", app(domain.IMKNeedsReview, func(a *domain.IMKApplication) { a.PersonalCode = "" }), domain.IMKReveal, domain.EINVALID, "imk.no_personal_code"},
	} {
		wantRefusal(t, tc.name, tc.a.Allows(tc.act, me, ruleNow), tc.code, tc.key)
	}
	wantRefusal(t, "other version", app(domain.IMKNeedsReview).CheckVersion(1), domain.ECONFLICT, "imk.changed")

	for _, tc := range []struct{ in, key string }{
		{" fits the target group ", ""}, {"  ", "imk.reason_required"},
		{strings.Repeat("ā", domain.IMKReasonMaxLength+1), "imk.reason_too_long"}, {"two\nlines", ""},
	} {
		got, err := domain.CheckIMKReason(tc.in)
		wantRefusal(t, "reason "+tc.in[:min(len(tc.in), 12)], err, domain.EINVALID, tc.key)
		if tc.key == "" && got != strings.TrimSpace(tc.in) {
			t.Errorf("reason %q trimmed to %q", tc.in, got)
		}
	}
}

func TestTicketAllows_EachActionFromEachState(t *testing.T) {
	me := domain.OperatorRef{ID: 1}
	tk := func(st domain.TicketState, mod ...func(*domain.Ticket)) *domain.Ticket {
		t := &domain.Ticket{ID: 9, State: st, Version: 5, Account: &domain.AccountRef{Kind: "platform_user", ID: 3}}
		for _, f := range mod {
			f(t)
		}
		return t
	}
	held := func(t *domain.Ticket) {
		t.ClaimedBy, t.ClaimedByName, t.ClaimExpiresAt = 2, "Anna Kalniņa", ruleNow.Add(time.Second)
	}
	unmatched := func(t *domain.Ticket) { t.Account = nil }
	for _, tc := range []struct {
		name      string
		t         *domain.Ticket
		act       domain.TicketAction
		code, key string
	}{
		{"claim new", tk(domain.TicketNew), domain.TicketClaim, "", ""},
		{"reply waiting", tk(domain.TicketWaiting), domain.TicketReply, "", ""},
		{"claim resolved", tk(domain.TicketResolved), domain.TicketClaim, domain.EINVALID, "helpdesk.resolved"},
		{"reply resolved", tk(domain.TicketResolved), domain.TicketReply, domain.EINVALID, "helpdesk.resolved"},
		{"category held", tk(domain.TicketInProgress, held), domain.TicketSetCategory, domain.ECONFLICT, "helpdesk.claimed"},
		{"suspend unmatched", tk(domain.TicketInProgress, unmatched), domain.TicketSuspend, domain.EINVALID, "helpdesk.no_account"},
		{"suspend matched", tk(domain.TicketInProgress), domain.TicketSuspend, "", ""},
		{"reset unmatched", tk(domain.TicketInProgress, unmatched), domain.TicketReset, "", ""},
	} {
		wantRefusal(t, tc.name, tc.t.Allows(tc.act, me, ruleNow), tc.code, tc.key)
	}
	wantRefusal(t, "other version", tk(domain.TicketNew).CheckVersion(4), domain.ECONFLICT, "helpdesk.changed")

	for _, tc := range []struct{ tmpl, text, key string }{
		{"helpdesk.reply", "Labdien!", ""},
		{"helpdesk.reply", "  ", "helpdesk.text_required"},
		{"helpdesk.no_password", "", ""},
		{"helpdesk.secret", "x", "helpdesk.bad_template"},
		{"helpdesk.reply", strings.Repeat("x", domain.TicketReplyMaxLength+1), "helpdesk.text_too_long"},
	} {
		_, err := domain.CheckTicketReply(tc.tmpl, tc.text)
		wantRefusal(t, "reply "+tc.tmpl, err, domain.EINVALID, tc.key)
	}
	_, err := domain.CheckSuspensionNote(strings.Repeat("x", domain.SuspensionNoteMaxLength+1))
	wantRefusal(t, "long note", err, domain.EINVALID, "helpdesk.note_too_long")
}

func TestCheckRevealReason(t *testing.T) {
	for _, tc := range []struct{ in, key string }{
		{" sakrīt ar #5 ", ""}, {"", "reveal.reason_required"}, {"a\nb", "reveal.reason_chars"},
		{strings.Repeat("x", domain.RevealReasonMaxLength+1), "reveal.reason_too_long"},
	} {
		got, err := domain.CheckRevealReason(tc.in)
		wantRefusal(t, "reveal reason", err, domain.EINVALID, tc.key)
		if tc.key == "" && got != "sakrīt ar #5" {
			t.Errorf("trimmed to %q", got)
		}
	}
}

func TestPendingResetApprovalBlocker_DecidedFirstThenFourEyes(t *testing.T) {
	p := &domain.PendingReset{ID: 1, RequestedBy: 7, State: "pending"}
	wantRefusal(t, "another operator", p.ApprovalBlocker(8), "", "")
	wantRefusal(t, "the requester", p.ApprovalBlocker(7), domain.EFORBIDDEN, "defence.own_reset")
	p.State = "refused"
	wantRefusal(t, "refused, the requester", p.ApprovalBlocker(7), domain.ECONFLICT, "defence.reset_decided")
	wantRefusal(t, "refused, another", p.ApprovalBlocker(8), domain.ECONFLICT, "defence.reset_decided")
}
