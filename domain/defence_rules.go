package domain

import (
	"strings"
	"time"
)

// The rules of the defences against account takeover and staff misuse
// (issue 9, issue 13), asked by storage inside the transaction on the rows
// it has locked and by the test double alike, so that a refusal has one
// code and one catalog key wherever it arises.

// CheckDefenceNote tidies the note a refusal or a closed alert carries
// (bytes that are not UTF-8 replaced, NUL dropped, trimmed) and returns
// EINVALID "defence.note_required" when none is left.
func CheckDefenceNote(note string) (string, error) {
	note = tidy(note)
	if note == "" {
		return "", Errorf(EINVALID, "defence.note_required", "write a note")
	}
	return note, nil
}

// tidy makes typed text storable: valid UTF-8 without NUL, trimmed.
func tidy(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", ""))
}

// RefusalBlocker returns ECONFLICT "defence.reset_decided" once the held
// reset is no longer pending; anyone who may approve it may refuse it, the
// one who asked for it included (they withdraw it so).
func (p *PendingReset) RefusalBlocker() error {
	if p.State != "pending" && p.State != "" {
		return Errorf(ECONFLICT, "defence.reset_decided", "the reset was already %s", p.State)
	}
	return nil
}

// CloseBlocker returns ECONFLICT "defence.alert_closed" once the alert is
// closed.
func (a *Alert) CloseBlocker() error {
	if !a.ClosedAt.IsZero() {
		return Errorf(ECONFLICT, "defence.alert_closed", "the alert is already closed")
	}
	return nil
}

// SignInsBlocker returns why o may not read the sign-in history of the
// operator with id operatorID: EFORBIDDEN "defence.forbidden" unless it is
// their own or o is an administrator.
func (o *Operator) SignInsBlocker(operatorID int64) error {
	if o.ID != operatorID && !o.HasRole(RoleAdmin) {
		return Errorf(EFORBIDDEN, "defence.forbidden", "only the operator or an administrator sees this")
	}
	return nil
}

// CheckPersonKey tidies the key of a person whose record was opened and
// returns EINVALID "defence.no_person" when none is left.
func CheckPersonKey(key string) (string, error) {
	key = tidy(key)
	if key == "" {
		return "", Errorf(EINVALID, "defence.no_person", "a person's key is required")
	}
	return key, nil
}

// CheckEmailChangeRequest tidies the new address and the reason of a staff
// request to change a Platform account's e-mail address and checks them:
// EINVALID "defence.reason_required" without a reason, or the errors of
// ValidateEmail.
func CheckEmailChangeRequest(email, reason string) (string, string, error) {
	reason, email = tidy(reason), strings.TrimSpace(email)
	if reason == "" {
		return "", "", Errorf(EINVALID, "defence.reason_required", "write why the address changes")
	}
	if err := ValidateEmail(email); err != nil {
		return "", "", err
	}
	return email, reason, nil
}

// NewEmailChange returns the request of the operator by, at now, to change
// the address of Platform user userID from oldEmail to newEmail for reason
// (as CheckEmailChangeRequest leaves them): pending until
// EmailChangeLifetime has passed. requests are the account's earlier
// requests; one still waiting (Waiting) keeps another out. It returns the
// errors of CheckEmailChangeRequest, EINVALID "defence.email_same" for the
// address the account has, and ECONFLICT "defence.email_change_pending".
func NewEmailChange(userID int64, oldEmail, newEmail, reason string, by OperatorRef, now time.Time, requests []*EmailChange) (*EmailChange, error) {
	newEmail, reason, err := CheckEmailChangeRequest(newEmail, reason)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(oldEmail, newEmail) {
		return nil, Errorf(EINVALID, "defence.email_same", "the address is the same")
	}
	for _, c := range requests {
		if c.UserID == userID && c.Waiting(now) {
			return nil, Errorf(ECONFLICT, "defence.email_change_pending", "another change of this account's address is waiting for a second person")
		}
	}
	return &EmailChange{UserID: userID, AccountName: oldEmail, OldEmail: oldEmail, NewEmail: newEmail, Reason: reason,
		RequestedBy: by.ID, RequestedName: by.Name, RequestedAt: now, ExpiresAt: now.Add(EmailChangeLifetime),
		State: EmailChangePending}, nil
}

// EmailTaken is the refusal of an address another Platform account has:
// ECONFLICT "defence.email_taken".
func EmailTaken() error {
	return Errorf(ECONFLICT, "defence.email_taken", "another account has that address")
}

// Waiting reports whether c waits for its second person at now: pending
// and not expired.
func (c *EmailChange) Waiting(now time.Time) bool {
	return c.State == EmailChangePending && now.Before(c.ExpiresAt)
}

// RefusalBlocker returns ECONFLICT "defence.email_change_decided" once c
// is no longer pending; anyone who may approve it may refuse it, the
// requester included (they withdraw it so).
func (c *EmailChange) RefusalBlocker() error {
	if c.State != EmailChangePending {
		return Errorf(ECONFLICT, "defence.email_change_decided", "the e-mail change was already %s", c.State)
	}
	return nil
}

// CheckCurrent returns ECONFLICT "defence.email_change_stale" unless the
// account's address is still the one the request saw.
func (c *EmailChange) CheckCurrent(current string) error {
	if current != c.OldEmail {
		return Errorf(ECONFLICT, "defence.email_change_stale", "the account's address changed since the request")
	}
	return nil
}
