package domain

import (
	"context"
	"time"
)

// InboundMessage is a parsed e-mail sent to stars@viaa.gov.lv. A message
// that could not be parsed keeps its raw bytes and ParseError, and is shown
// as such, never dropped.
type InboundMessage struct {
	ID          int64
	MessageID   string // without angle brackets; unique
	InReplyTo   string
	References  []string
	From        string // address only, lower case
	FromName    string
	To          []string
	Subject     string
	Date        time.Time
	Text        string // the body as plain text (HTML reduced to text)
	Attachments []Attachment
	Raw         []byte
	ParseError  string
	ReceivedAt  time.Time
	TicketID    int64
}

// Attachment is an attachment kept as metadata only.
type Attachment struct {
	Name      string
	MediaType string
	Size      int64
	SHA256    string
}

// TicketCategory is what a ticket is about.
type TicketCategory string

// Ticket categories (¶31.3, ¶32.4, ¶17.5, ¶22).
const (
	CategoryPasswordReset TicketCategory = "password_reset"
	CategorySuspension    TicketCategory = "suspension" // ¶32.4
	CategoryIncident      TicketCategory = "incident"   // ¶17.5
	CategoryQuestion      TicketCategory = "question"   // ¶22
	CategoryOther         TicketCategory = "other"
)

// TicketCategories lists every category in a stable order.
var TicketCategories = []TicketCategory{CategoryPasswordReset, CategorySuspension, CategoryIncident, CategoryQuestion, CategoryOther}

// TicketState is where a ticket stands.
type TicketState string

// Ticket states.
const (
	TicketNew        TicketState = "new"
	TicketInProgress TicketState = "in_progress"
	TicketWaiting    TicketState = "waiting" // for the user
	TicketResolved   TicketState = "resolved"
)

// AccountRef is the Platform account (or back-office operator) a ticket is
// matched to by the sender's confirmed e-mail address.
type AccountRef struct {
	Kind        string // "platform_user" or "operator"
	ID          int64
	Name        string
	HasPassword bool // false for Latvija.gov.lv users (¶14)
	// Terms is the version of the terms in force a matched Platform user
	// has not accepted (¶26.2); nil when they have, none is in force, or
	// the account is an operator.
	Terms *TermsPending
}

// Ticket is a helpdesk ticket: a thread of inbound messages and replies.
type Ticket struct {
	ID             int64
	Subject        string
	From           string
	Category       TicketCategory
	Suggested      TicketCategory // what the text suggested
	State          TicketState
	Account        *AccountRef // nil when no confirmed address matches
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ClaimedBy      int64
	ClaimedByName  string
	ClaimExpiresAt time.Time
	Messages       []*TicketMessage // oldest first; only with FindTicket
}

// TicketMessage is one message of a ticket's thread: inbound or a reply.
type TicketMessage struct {
	At        time.Time
	Inbound   bool
	From      string
	Subject   string
	Text      string
	Raw       bool // unparsed: Text holds the raw message
	Attach    []Attachment
	ActorName string // for replies
	Template  string // for replies
}

// TicketFilter narrows the helpdesk queue; keyset paged oldest first.
type TicketFilter struct {
	States     []TicketState // default: new, in progress
	Categories []TicketCategory
	Search     string
	AfterAt    time.Time
	AfterID    int64
	Limit      int
}

// ResetTokenLifetime is how long a password-reset link works by default.
const ResetTokenLifetime = 60 * time.Minute

// HelpdeskService is the helpdesk's queue: every method needs one of
// HelpdeskRoles (see Actor.IsOperator), and a security officer without the
// helpdesk role sees and works incident tickets only
// (Ticket.AllowsOperator, ¶25, ¶17.5). Every change is audited; replies
// and reset links go through the outbox; claims work as in the other
// queues.
type HelpdeskService interface {
	ListTickets(ctx context.Context, f TicketFilter) ([]*Ticket, error)
	// FindTicket returns a ticket with its thread. ENOTFOUND.
	FindTicket(ctx context.Context, id int64) (*Ticket, error)
	// ClaimTicket claims (or renews) a ticket for ClaimLease: the refusals
	// of Ticket.Allows (TicketClaim).
	ClaimTicket(ctx context.Context, id int64) (*Ticket, error)
	// ReleaseTicket gives the actor's claim up.
	ReleaseTicket(ctx context.Context, id int64) error
	// SessionClaims gives up every claim of a session on its end.
	SessionClaims
	// SetCategory changes the category. Every write below refuses as
	// Ticket.Allows and CheckVersion do (ECONFLICT on a stale version or
	// another's claim, EINVALID for a resolved ticket).
	SetCategory(ctx context.Context, id, version int64, c TicketCategory) error
	// Reply sends a templated reply in lang to the sender through the
	// outbox and sets the ticket's state. EINVALID from CheckTicketReply.
	Reply(ctx context.Context, id, version int64, template, lang, text string, state TicketState) error
	// IssuePasswordReset e-mails a single-use reset link to the matched
	// account's confirmed address. The helpdesk never sees the token or a
	// password. A sender who is not the account's confirmed address, or an
	// account without a Platform password (¶14), gets the matching
	// template reply instead, which never reveals whether an account
	// exists. ECONFLICT on a stale version.
	IssuePasswordReset(ctx context.Context, id, version int64) error
	// RequestSuspension turns a ¶32.4 request into a denial waiting for a
	// security officer's approval. EINVALID when no account is matched.
	RequestSuspension(ctx context.Context, id, version int64, note string) error
	// RaiseIncidentDenial raises a ¶32.6 denial of the subject from
	// incident ticket id, its evidence led by the ticket's reference
	// (IncidentEvidence), and notes it in the ticket's thread
	// (TicketDenialNote), in one transaction. A security officer's work:
	// the refusals of Ticket.AllowsOperator (TicketDenyIncident) and
	// DenialService.Deny's (EINVALID note, ENOTFOUND subject, ECONFLICT
	// already denied on that ground).
	RaiseIncidentDenial(ctx context.Context, id int64, kind SubjectKind, subjectID int64, note, evidence string) (*Denial, error)
}
