package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// RoleAssignment is a role a Platform user holds, with its scope and
// validity (¶32.1). A reviewer may extend or end a running one, and renew
// one that ended, each with a reason (AssignmentChange).
type RoleAssignment struct {
	ID               int64
	UserID           int64
	UserName         string // display name; no personal code
	Role             PlatformRole
	InstitutionName  string
	MunicipalityName string
	ValidFrom        time.Time
	ValidUntil       time.Time
	EndedAt          time.Time // zero while running
	EndReason        string    // AssignmentEndExpired, "renewed", a reviewer's reason …
	SuspendedAt      time.Time // set while a denial suspends it (¶32)
	RequestID        int64     // the request that granted it; 0 for none
	// Hold is the denial in force over the holder or the scope's
	// institution; a renewal waits until it is lifted.
	Hold *DenialHold
}

// AssignmentEndExpired is the end reason the ¶32.1 sweep writes when an
// assignment's validity has run out.
const AssignmentEndExpired = "expired"

// Expired reports whether the assignment ended because its validity ran
// out (the sweep's end), not by a reviewer's hand: a reviewer ends one
// before its validity is over, whatever reason they type.
func (a *RoleAssignment) Expired() bool {
	return a.EndReason == AssignmentEndExpired && !a.EndedAt.IsZero() && !a.EndedAt.Before(a.ValidUntil)
}

// Running reports whether the assignment has not ended.
func (a *RoleAssignment) Running() bool { return a.EndedAt.IsZero() }

// AssignmentAction is what a reviewer does to a role assignment.
type AssignmentAction string

// The actions on a role assignment (¶32.1).
const (
	AssignmentExtend AssignmentAction = "extend" // a running one: a new end of validity
	AssignmentEnd    AssignmentAction = "end"    // a running one: ended now
	AssignmentRenew  AssignmentAction = "renew"  // an ended one: held again until a new end, without a new request
)

// AssignmentActions lists the actions in the order a screen offers them.
var AssignmentActions = []AssignmentAction{AssignmentExtend, AssignmentEnd, AssignmentRenew}

// AssignmentChange is a reviewer's change of one role assignment.
type AssignmentChange struct {
	AssignmentID int64
	Action       AssignmentAction
	ValidUntil   time.Time // extend, renew: the new end of validity
	Reason       string
}

// AssignmentReasonMaxLength is the longest reason of a change, in
// characters.
const AssignmentReasonMaxLength = MessageMaxLength

// Allows says whether action act may be taken on a now: nil, or the
// refusal. Extending or ending needs a running assignment (ECONFLICT
// "assignment.ended"); renewing needs an ended one (ECONFLICT
// "assignment.running") over which no denial is in force (ECONFLICT
// "denial.holds_approval", ¶24, ¶32); an unknown action is EINVALID
// "assignment.bad_action".
func (a *RoleAssignment) Allows(act AssignmentAction) error {
	switch act {
	case AssignmentExtend, AssignmentEnd:
		if !a.Running() {
			return Errorf(ECONFLICT, "assignment.ended", "this role assignment has ended")
		}
		return nil
	case AssignmentRenew:
		if a.Running() {
			return Errorf(ECONFLICT, "assignment.running", "this role assignment is still running: extend it instead")
		}
		return a.Hold.Refusal()
	}
	return Errorf(EINVALID, "assignment.bad_action", "unknown action %q", string(act))
}

// Check trims the reason and checks the change at now: EINVALID
// "assignment.bad_action", "assignment.reason_required",
// "assignment.reason_too_long" (Args: the limit), "assignment.bad_text"
// (control characters, not UTF-8), and for an extension or a renewal
// the end of validity as a role request's approval checks it
// (Decision.CheckApproval: EINVALID "rolerequest.valid_until_past",
// "rolerequest.valid_until_too_far"; no end given means the default
// validity from now).
func (c *AssignmentChange) Check(now time.Time, cfg RoleRequestConfig) error {
	c.Reason = strings.TrimSpace(c.Reason)
	switch c.Action {
	case AssignmentExtend, AssignmentEnd, AssignmentRenew:
	default:
		return Errorf(EINVALID, "assignment.bad_action", "unknown action %q", string(c.Action))
	}
	switch {
	case c.Reason == "":
		return Errorf(EINVALID, "assignment.reason_required", "give a reason")
	case utf8.RuneCountInString(c.Reason) > AssignmentReasonMaxLength:
		return Errorf(EINVALID, "assignment.reason_too_long", "the reason is too long (at most %d characters)", AssignmentReasonMaxLength)
	case !IsPlainText(c.Reason, true):
		return Errorf(EINVALID, "assignment.bad_text", "the reason holds control characters or is not valid UTF-8")
	}
	if c.Action == AssignmentEnd {
		c.ValidUntil = time.Time{}
		return nil
	}
	d := Decision{ValidUntil: c.ValidUntil}
	if err := d.CheckApproval(now, cfg); err != nil {
		return err
	}
	c.ValidUntil = d.ValidUntil
	return nil
}
