package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// IMKAction is something a reviewer does to an IMK application.
type IMKAction string

// The actions on an IMK application, as IMKApplication.Allows judges them.
const (
	IMKClaim   IMKAction = "claim"   // claim it, or renew the claim
	IMKApprove IMKAction = "approve" // with a reason
	IMKReject  IMKAction = "reject"  // with a reason
	IMKRefetch IMKAction = "refetch" // ask the registers again and re-evaluate
	IMKReveal  IMKAction = "reveal"  // the whole personal code
)

// IMKReasonMaxLength is the longest reason of an IMK decision, in
// characters.
const IMKReasonMaxLength = MessageMaxLength

// Allows says whether op may do a to the application at now: nil, or the
// refusal, with the same code and catalog key from the screen, storage and
// the test doubles. In order: a reveal needs a personal code (EINVALID
// "imk.no_personal_code") and nothing else; an approved or rejected
// application is ECONFLICT "imk.decided" (Args: who decided, "—" for
// nobody named); one in any other state but needs_review is EINVALID
// "imk.not_in_review"; another operator's running claim is ECONFLICT
// "imk.claimed" (Args: the holder's name); an approval while a denial in
// force reaches the applicant is ECONFLICT "denial.holds_approval"
// (DenialHold.Refusal, ¶24, ¶32); an approval while the applicant has not
// accepted the terms in force is ECONFLICT "terms.not_accepted"
// (TermsPending.Refusal, ¶26.2). The version a decision names is
// checked apart (CheckVersion), the reason by CheckIMKReason.
func (app *IMKApplication) Allows(a IMKAction, op OperatorRef, now time.Time) error {
	switch a {
	case IMKReveal:
		if strings.TrimSpace(app.PersonalCode) == "" {
			return Errorf(EINVALID, "imk.no_personal_code", "the application names no personal code")
		}
		return nil
	case IMKClaim, IMKApprove, IMKReject, IMKRefetch:
	default:
		return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown IMK action " + string(a)}
	}
	switch app.State {
	case IMKNeedsReview:
	case IMKApproved, IMKRejected:
		return Errorf(ECONFLICT, "imk.decided", "%s has already decided this application", whoOr(app.DecidedByName))
	default:
		return Errorf(EINVALID, "imk.not_in_review", "the application is not waiting for review")
	}
	if heldByOther(app.ClaimedBy, app.ClaimExpiresAt, op.ID, now) {
		return Errorf(ECONFLICT, "imk.claimed", "%s is working on this application", whoOr(app.ClaimedByName))
	}
	if a == IMKApprove {
		if err := app.Hold.Refusal(); err != nil {
			return err
		}
		return app.Terms.Refusal()
	}
	return nil
}

// CheckVersion returns ECONFLICT "imk.changed" unless the application is
// still at the version a decision names.
func (app *IMKApplication) CheckVersion(seen int64) error {
	if app.Version != seen {
		return Errorf(ECONFLICT, "imk.changed", "someone else has just changed this application")
	}
	return nil
}

// CheckIMKReason trims the reason of an IMK decision and checks it:
// EINVALID "imk.reason_required" when there is none, "imk.reason_too_long"
// (Args: the limit) over IMKReasonMaxLength characters. Bytes the database
// cannot store are storage's to refuse ("storage.bad_text").
func CheckIMKReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", Errorf(EINVALID, "imk.reason_required", "give a reason for the decision")
	case utf8.RuneCountInString(reason) > IMKReasonMaxLength:
		return "", Errorf(EINVALID, "imk.reason_too_long", "the reason is too long (at most %d characters)", IMKReasonMaxLength)
	}
	return reason, nil
}
