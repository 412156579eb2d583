package domain

import (
	"strings"
	"unicode/utf8"
)

// AccountReasonMaxLength is the longest reason an operator gives for a
// staff action on a person's account, in characters.
const AccountReasonMaxLength = 1000

// CheckAccountReason trims the reason an operator gives for an action on
// a person's Platform account (a change of its e-mail address, a password
// reset) and checks it: EINVALID "account.reason_required" when there is
// none, "account.reason_too_long" (Args: the limit) over
// AccountReasonMaxLength characters.
func CheckAccountReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", Errorf(EINVALID, "account.reason_required", "say why")
	}
	if utf8.RuneCountInString(reason) > AccountReasonMaxLength {
		return "", Errorf(EINVALID, "account.reason_too_long", "the reason is too long (at most %d characters)", AccountReasonMaxLength)
	}
	return reason, nil
}

// ResetAccount is a Platform account as the rules of a reset started from
// a person's account see it.
type ResetAccount struct {
	Kind           string // "viss" or "password"
	EmailConfirmed bool
	Ended          bool
}

// ResetBlocker returns why no reset link may be sent for the account, or
// nil: EINVALID "account.reset_viss" for a Latvija.gov.lv account, which
// has no Platform password to reset (¶14: the person is told so instead);
// "account.reset_unconfirmed" when its address is not confirmed, since the
// link goes only to the confirmed address (¶31.3); "account.reset_ended"
// for an account ended in a merge of two records of one person. The same
// rules as a reset from a helpdesk ticket, where the sender must be the
// confirmed address and a Latvija.gov.lv user is answered with ¶14.
func (a ResetAccount) ResetBlocker() error {
	switch {
	case a.Ended:
		return Errorf(EINVALID, "account.reset_ended", "the account was ended")
	case a.Kind != "password":
		return Errorf(EINVALID, "account.reset_viss", "the account signs in through Latvija.gov.lv and has no Platform password (¶14)")
	case !a.EmailConfirmed:
		return Errorf(EINVALID, "account.reset_unconfirmed", "the account's e-mail address is not confirmed; the link goes only to a confirmed address")
	}
	return nil
}

// AccountResetResult is what a reset started from a person's account did:
// sent the link at once, or (a privileged account) held it for a second
// person, with the held reset's id.
type AccountResetResult struct {
	Held      bool
	PendingID int64
}
