package domain

import (
	"slices"
	"strings"
	"time"
)

// RoleRequestAction is something an operator does to a role request.
type RoleRequestAction string

// The actions on a role request, as RoleRequest.Allows judges them.
const (
	RoleRequestClaim    RoleRequestAction = "claim"        // claim it, or renew the claim
	RoleRequestApprove  RoleRequestAction = "approve"      // ¶32.1
	RoleRequestReject   RoleRequestAction = "reject"       // with a reason
	RoleRequestAskInfo  RoleRequestAction = "request_info" // ask the applicant for more
	RoleRequestResend   RoleRequestAction = "resend"       // the e-mail confirmation link
	RoleRequestTakeOver RoleRequestAction = "take_over"    // from an institution (¶29.3)
	RoleRequestReveal   RoleRequestAction = "reveal"       // the whole personal code
	RoleRequestRemind   RoleRequestAction = "remind"       // remind the institution again, after the take-over limit (¶29.3)
)

// RoleRequestDecisions are the actions that decide a pending request.
var RoleRequestDecisions = []RoleRequestAction{RoleRequestApprove, RoleRequestReject, RoleRequestAskInfo}

// About reports whether the request concerns op: its e-mail address is
// the operator's. Nobody works on a request about themselves.
func (r *RoleRequest) About(op OperatorRef) bool {
	mine := strings.TrimSpace(op.Email)
	return mine != "" && strings.EqualFold(mine, strings.TrimSpace(r.Form.Email))
}

// Allows says whether op may do a to the request at now under cfg: nil, or
// the refusal as an *Error whose code and catalog key are the same
// wherever it arises (the screen greying out a key, storage refusing a
// write, a test double). The refusals, in the order they are checked:
//
//   - reveal: EINVALID "rolerequest.no_personal_code" when the form has
//     none; nothing else keeps an operator from a reveal (it is audited).
//   - EFORBIDDEN "rolerequest.own" for a request about op (About).
//   - ECONFLICT "rolerequest.decided" (Args: who decided, "—" for nobody
//     named) once approved or rejected; EINVALID "rolerequest.expired" once
//     expired, or for a resend when the confirmation's lifetime is over.
//   - approve, reject, ask for information: EINVALID
//     "rolerequest.unconfirmed" before the e-mail confirmation, EINVALID
//     "rolerequest.at_institution" while the institution decides it (¶29.3),
//     ECONFLICT "rolerequest.info_requested" while the applicant is asked.
//   - resend: EINVALID "rolerequest.not_unconfirmed" once confirmed.
//   - take over, remind: EINVALID "rolerequest.not_at_institution" unless
//     it waits at an institution.
//   - ECONFLICT "rolerequest.claimed" (Args: the holder's name) while
//     another operator's claim runs.
//   - approve: ECONFLICT "denial.holds_approval" (DenialHold.Refusal)
//     while a denial in force reaches the applicant or the institution
//     (¶24, ¶32); then ECONFLICT "terms.not_accepted"
//     (TermsPending.Refusal) while the applicant has not accepted the
//     terms of use in force (¶26.2).
//   - take over, remind: EINVALID "rolerequest.takeover_too_early" (Args:
//     the number of days) before cfg.TakeOverAfterDays have passed since
//     the e-mail confirmation: until then the sweep's reminder is the
//     institution's (¶29.3).
//
// A claim is allowed in every open state. The version a decision names is
// checked apart (CheckVersion); the texts of decisions by Decision's
// checks.
func (r *RoleRequest) Allows(a RoleRequestAction, op OperatorRef, now time.Time, cfg RoleRequestConfig) error {
	if a == RoleRequestReveal {
		if strings.TrimSpace(r.Form.PersonalCode) == "" {
			return Errorf(EINVALID, "rolerequest.no_personal_code", "the request names no personal code")
		}
		return nil
	}
	if r.About(op) {
		return Errorf(EFORBIDDEN, "rolerequest.own", "nobody works on a request about themselves")
	}
	switch r.State {
	case StateApproved, StateRejected:
		return Errorf(ECONFLICT, "rolerequest.decided", "%s has already decided this request", whoOr(r.DecidedByName))
	case StateExpired:
		return Errorf(EINVALID, "rolerequest.expired", "the e-mail address was never confirmed; the request has expired")
	}
	switch a {
	case RoleRequestClaim:
	case RoleRequestApprove, RoleRequestReject, RoleRequestAskInfo:
		switch r.State {
		case StateUnconfirmed:
			return Errorf(EINVALID, "rolerequest.unconfirmed", "the applicant has not confirmed the e-mail address yet")
		case StateAtInstitution:
			return Errorf(EINVALID, "rolerequest.at_institution", "the request waits for the institution's decision")
		case StateInfoRequested:
			return Errorf(ECONFLICT, "rolerequest.info_requested", "the request waits for the applicant's answer")
		}
	case RoleRequestResend:
		if r.State != StateUnconfirmed {
			return Errorf(EINVALID, "rolerequest.not_unconfirmed", "the request's e-mail address needs no confirmation")
		}
		if !now.Before(r.CreatedAt.Add(UnconfirmedLifetime)) {
			return Errorf(EINVALID, "rolerequest.expired", "the e-mail address was never confirmed; the request has expired")
		}
	case RoleRequestTakeOver, RoleRequestRemind:
		if r.State != StateAtInstitution {
			return Errorf(EINVALID, "rolerequest.not_at_institution", "only a request waiting at an institution can be taken over")
		}
	default:
		return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown role request action " + string(a)}
	}
	if heldByOther(r.ClaimedBy, r.ClaimExpiresAt, op.ID, now) {
		return Errorf(ECONFLICT, "rolerequest.claimed", "%s is working on this request", whoOr(r.ClaimedByName))
	}
	if a == RoleRequestApprove {
		if err := r.Hold.Refusal(); err != nil {
			return err
		}
		if err := r.Terms.Refusal(); err != nil {
			return err
		}
	}
	if (a == RoleRequestTakeOver || a == RoleRequestRemind) && !r.CanTakeOver(now, cfg) {
		return Errorf(EINVALID, "rolerequest.takeover_too_early",
			"the Agency may take a request over once it has waited %d days at the institution", cfg.TakeOverAfterDays)
	}
	return nil
}

// CheckVersion returns ECONFLICT "rolerequest.changed" unless the request
// is still at the version a decision names: it changed since the reviewer
// looked, in a way Allows does not refuse.
func (r *RoleRequest) CheckVersion(seen int64) error {
	if r.Version != seen {
		return Errorf(ECONFLICT, "rolerequest.changed", "the request has changed meanwhile; look at it again")
	}
	return nil
}

// OfferedNext reports whether ClaimNext may hand the request to op at now:
// it waits for the Agency's decision (pending), is of one of kinds (any
// when none), nobody holds it (a lapsed lease counts as nobody, the
// operator's own claim does not), and Allows lets op claim it (so never a
// request about op). Storage asks the same in SQL, in one statement.
func (r *RoleRequest) OfferedNext(op OperatorRef, now time.Time, cfg RoleRequestConfig, kinds ...RoleRequestKind) bool {
	if r.State != StatePending || len(kinds) > 0 && !slices.Contains(kinds, r.Form.Kind) {
		return false
	}
	if r.ClaimedBy != 0 && now.Before(r.ClaimExpiresAt) {
		return false
	}
	return r.Allows(RoleRequestClaim, op, now, cfg) == nil
}
