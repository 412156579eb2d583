package domain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// The three queues (role requests, IMK applications, helpdesk tickets)
// share their shape: an item is claimed by one operator for ClaimLease,
// worked on and decided. Whether an operator may do something to an item
// now is the item's own rule (RoleRequest.Allows, IMKApplication.Allows,
// Ticket.Allows): the screens ask it to offer or refuse a key, storage asks
// it inside the transaction on the row it has locked, and the test doubles
// ask it too, so that every refusal has one code and one catalog key
// wherever it arises. Storage's state-guarded write stays as the guard
// against a race the rule could not see.

// OperatorRef is the operator a rule asks about: the id that holds claims,
// the name others see as the holder, and the e-mail address by which a
// role request about the operator themselves is recognised.
type OperatorRef struct {
	ID    int64
	Name  string // full name, or the sign-in name
	Email string
}

// Ref returns the operator as the rules see them.
func (o *Operator) Ref() OperatorRef {
	if o == nil {
		return OperatorRef{}
	}
	name := o.FullName
	if name == "" {
		name = o.Name
	}
	return OperatorRef{ID: o.ID, Name: name, Email: o.Email}
}

// SessionClaims is what every queue service offers the SSH server: giving
// back the claims of a session that has ended, however it ended, so that
// nothing waits for a lease to run out.
type SessionClaims interface {
	// ReleaseSessionClaims gives up every claim taken in the session. It
	// runs even when ctx is already done (an ended session's context
	// usually is), for a few seconds at most; an empty session id releases
	// nothing. Only the session's own operator or the back office itself
	// may release a session's claims: EFORBIDDEN "access.other_session"
	// for anyone else; EUNAVAILABLE when the database does not answer.
	ReleaseSessionClaims(ctx context.Context, sessionID string) error
}

// heldByOther reports whether a claim by holder that runs until expires
// keeps the operator with id op out at now.
func heldByOther(holder int64, expires time.Time, op int64, now time.Time) bool {
	return holder != 0 && holder != op && now.Before(expires)
}

// whoOr is name, or "—" when nobody is named (a sweep, the institution).
func whoOr(name string) string {
	if strings.TrimSpace(name) == "" {
		return "—"
	}
	return name
}

// RevealReasonMaxLength is the longest reason for revealing a personal
// code, in characters.
const RevealReasonMaxLength = 500

// CheckRevealReason trims the reason an operator gives for looking at a
// whole personal code (GDPR Art. 5(2), Art. 32) and checks it: EINVALID
// "reveal.reason_required" when there is none, "reveal.reason_chars" for
// control or reordering characters, "reveal.reason_too_long" (Args: the
// limit) over RevealReasonMaxLength characters.
func CheckRevealReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", Errorf(EINVALID, "reveal.reason_required", "give the reason for revealing the personal code")
	case !IsPlainText(reason, false):
		return "", Errorf(EINVALID, "reveal.reason_chars", "the reason contains characters that are not allowed")
	case utf8.RuneCountInString(reason) > RevealReasonMaxLength:
		return "", Errorf(EINVALID, "reveal.reason_too_long", "the reason is too long (at most %d characters)", RevealReasonMaxLength)
	}
	return reason, nil
}

// MayReleaseSession says whether the actor may give up the claims taken
// in the session: its own operator (whatever their roles now: a role taken
// away mid-session must not keep the claims held) or the back office
// itself. It returns EFORBIDDEN "access.other_session" for anyone else.
func (a Actor) MayReleaseSession(sessionID string) error {
	if a.IsOperator() && a.SessionID != sessionID {
		return Errorf(EFORBIDDEN, "access.other_session", "only a session's own operator gives up its claims")
	}
	return nil
}
