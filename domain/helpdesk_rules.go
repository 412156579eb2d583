package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TicketAction is something the helpdesk does to a ticket.
type TicketAction string

// The actions on a ticket, as Ticket.Allows judges them.
const (
	TicketClaim       TicketAction = "claim"    // claim it, or renew the claim
	TicketSetCategory TicketAction = "category" // change its category
	TicketReply       TicketAction = "reply"    // reply from a template
	TicketReset       TicketAction = "reset"    // a password reset for the matched account
	TicketSuspend     TicketAction = "suspend"  // a ¶32.4 suspension request
)

// Limits of what the helpdesk types, in characters.
const (
	TicketReplyMaxLength    = 4000 // a reply's text
	SuspensionNoteMaxLength = 1000 // the note of a suspension request
)

// FreeReplyTemplate is the reply template whose whole text the helpdesk
// types; the others carry their own text.
const FreeReplyTemplate = "helpdesk.reply"

// TicketReplyTemplates are the templates a reply may use, the free one
// first: "helpdesk.no_password" tells a Latvija.gov.lv user that the
// account has no Platform password (¶14), "helpdesk.reset_refused" answers
// a reset asked from an address that is no account's confirmed one.
var TicketReplyTemplates = []string{FreeReplyTemplate, "helpdesk.no_password", "helpdesk.reset_refused"}

// Allows says whether op may do a to the ticket at now: nil, or the
// refusal, with the same code and catalog key from the screen, storage and
// the test doubles. In order: a resolved ticket is EINVALID
// "helpdesk.resolved"; another operator's running claim is ECONFLICT
// "helpdesk.claimed" (Args: the holder's name); a suspension request needs
// a matched account, EINVALID "helpdesk.no_account". The version a write
// names is checked apart (CheckVersion), a reply by CheckTicketReply.
func (t *Ticket) Allows(a TicketAction, op OperatorRef, now time.Time) error {
	switch a {
	case TicketClaim, TicketSetCategory, TicketReply, TicketReset, TicketSuspend:
	default:
		return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown ticket action " + string(a)}
	}
	if t.State == TicketResolved {
		return Errorf(EINVALID, "helpdesk.resolved", "the ticket is resolved")
	}
	if heldByOther(t.ClaimedBy, t.ClaimExpiresAt, op.ID, now) {
		return Errorf(ECONFLICT, "helpdesk.claimed", "%s is working on this ticket", whoOr(t.ClaimedByName))
	}
	if a == TicketSuspend && t.Account == nil {
		return Errorf(EINVALID, "helpdesk.no_account", "the sender's confirmed address matches no account")
	}
	return nil
}

// CheckVersion returns ECONFLICT "helpdesk.changed" unless the ticket is
// still at the version a write names.
func (t *Ticket) CheckVersion(seen int64) error {
	if t.Version != seen {
		return Errorf(ECONFLICT, "helpdesk.changed", "someone else changed this ticket; look at it again")
	}
	return nil
}

// CheckTicketReply trims a reply's text and checks it with its template:
// EINVALID "helpdesk.bad_template" (Args: the template) for one not in
// TicketReplyTemplates, "helpdesk.text_required" for a free reply without
// text, "helpdesk.text_too_long" (Args: the limit) over
// TicketReplyMaxLength characters.
func CheckTicketReply(template, text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case !slices.Contains(TicketReplyTemplates, template):
		return "", Errorf(EINVALID, "helpdesk.bad_template", "unknown reply template %q", template)
	case template == FreeReplyTemplate && text == "":
		return "", Errorf(EINVALID, "helpdesk.text_required", "write the reply's text")
	case utf8.RuneCountInString(text) > TicketReplyMaxLength:
		return "", Errorf(EINVALID, "helpdesk.text_too_long", "the reply is too long (at most %d characters)", TicketReplyMaxLength)
	}
	return text, nil
}

// CheckSuspensionNote trims the note of a suspension request and checks
// it: EINVALID "denial.note_required" when there is none (the denial it
// becomes needs one), "helpdesk.note_too_long" (Args: the limit) over
// SuspensionNoteMaxLength characters.
func CheckSuspensionNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return "", Errorf(EINVALID, "denial.note_required", "say why access is denied")
	}
	if utf8.RuneCountInString(note) > SuspensionNoteMaxLength {
		return "", Errorf(EINVALID, "helpdesk.note_too_long", "the note is too long (at most %d characters)", SuspensionNoteMaxLength)
	}
	return note, nil
}

// Check returns EINVALID "helpdesk.bad_category" (Args: the category) for
// a category not in TicketCategories.
func (c TicketCategory) Check() error {
	if !slices.Contains(TicketCategories, c) {
		return Errorf(EINVALID, "helpdesk.bad_category", "unknown category %q", string(c))
	}
	return nil
}
