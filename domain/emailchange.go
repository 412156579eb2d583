package domain

import "time"

// EmailChangeLifetime is how long a staff request to change a Platform
// account's e-mail address waits for its second person before it expires.
const EmailChangeLifetime = 72 * time.Hour

// States of an EmailChange.
const (
	EmailChangePending  = "pending"
	EmailChangeApproved = "approved"
	EmailChangeRefused  = "refused"
	EmailChangeExpired  = "expired"
)

// EmailChange is a staff request to change a Platform account's e-mail
// address (issue 13). It changes nothing until a second person — a
// helpdesk operator or an administrator other than the requester —
// approves it in their own SSH session; the notices to the old and the new
// address go out then.
type EmailChange struct {
	ID            int64
	UserID        int64
	AccountName   string // the account holder's name, or the old address
	OldEmail      string
	NewEmail      string
	Reason        string
	RequestedBy   int64
	RequestedName string
	RequestedAt   time.Time
	ExpiresAt     time.Time
	State         string // EmailChangePending, …Approved, …Refused, …Expired
	DecidedBy     int64
	DecidedAt     time.Time
	Note          string
}

// ApprovalBlocker returns why the operator with id operatorID may not
// approve c at now, or nil when they may: ECONFLICT
// "defence.email_change_decided" once it is no longer pending, ECONFLICT
// "defence.email_change_expired" after ExpiresAt, EFORBIDDEN
// "defence.own_email_change" for the operator who asked for it, whatever
// their session. The screens ask it to offer the key, storage before it
// writes.
func (c *EmailChange) ApprovalBlocker(operatorID int64, now time.Time) error {
	switch {
	case c.State != EmailChangePending:
		return Errorf(ECONFLICT, "defence.email_change_decided", "the e-mail change was already %s", c.State)
	case !now.Before(c.ExpiresAt):
		return Errorf(ECONFLICT, "defence.email_change_expired", "the e-mail change request has expired")
	case c.RequestedBy == operatorID:
		return Errorf(EFORBIDDEN, "defence.own_email_change", "a second person must approve this change")
	}
	return nil
}
