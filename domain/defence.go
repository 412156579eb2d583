package domain

import (
	"context"
	"time"
)

// PendingReset is a password reset of a privileged account (an education
// institution's administrator or an agency employee) waiting for a second
// helpdesk or security person before any link or code is sent.
type PendingReset struct {
	ID            int64
	TicketID      int64
	AccountKind   string // "platform_user" or "operator"
	AccountID     int64
	AccountName   string
	RequestedBy   int64
	RequestedName string
	RequestedAt   time.Time
	State         string // "pending", "approved", "refused"
	DecidedBy     int64
	DecidedAt     time.Time
	Note          string
	// Reason is the requester's, for a reset started from a person's
	// account (TicketID 0, issue 17).
	Reason string
}

// ApprovalBlocker returns why the operator with id operatorID may not
// approve the held reset, or nil when they may: ECONFLICT
// "defence.reset_decided" once it is no longer pending, EFORBIDDEN
// "defence.own_reset" for the operator who asked for it, whatever their
// session (four eyes). The screen asks it to offer the key, storage on the
// row it has locked, the test double too.
func (p *PendingReset) ApprovalBlocker(operatorID int64) error {
	switch {
	case p.State != "pending" && p.State != "":
		return Errorf(ECONFLICT, "defence.reset_decided", "the reset was already %s", p.State)
	case p.RequestedBy == operatorID:
		return Errorf(EFORBIDDEN, "defence.own_reset", "a second person must approve this reset")
	}
	return nil
}

// AlertKind is what a misuse alert is about (¶18.4, ¶20).
type AlertKind string

// Alert kinds.
const (
	AlertReveals AlertKind = "reveals" // full personal codes revealed in an hour
	AlertViews   AlertKind = "views"   // distinct persons' records opened in an hour
)

// AlertThresholds are the configurable limits per operator per hour.
type AlertThresholds struct {
	RevealsPerHour int // default 30
	ViewsPerHour   int // default 200
}

// DefaultAlertThresholds returns the defaults of issue 9.
func DefaultAlertThresholds() AlertThresholds {
	return AlertThresholds{RevealsPerHour: 30, ViewsPerHour: 200}
}

// Alert is raised when an operator goes over a threshold; the operator is
// not blocked. A security officer closes it with a note.
type Alert struct {
	ID           int64
	Kind         AlertKind
	OperatorID   int64
	OperatorName string
	Count        int
	Threshold    int
	WindowStart  time.Time
	WindowEnd    time.Time
	RaisedAt     time.Time
	ClosedBy     int64
	ClosedByName string
	ClosedAt     time.Time
	Note         string
}

// SignIn is one sign-in attempt of an operator.
type SignIn struct {
	At         time.Time
	Name       string
	RemoteAddr string
	Method     string
	Success    bool
}

// AccountChange is one staff change of a Platform account's e-mail
// address, with the old and new values and the reason: asked for by
// ActorName, approved by ApprovedByName (empty for changes made before
// four eyes applied to them).
type AccountChange struct {
	At             time.Time
	ActorName      string
	ApprovedByName string
	Field          string
	Old            string
	New            string
	Reason         string
}

// DefenceService holds the defences against account takeover and staff
// misuse. Every change is audited. Each method names the roles it needs
// (see Actor.IsOperator).
type DefenceService interface {
	// PendingResets lists privileged resets waiting for a second person.
	PendingResets(ctx context.Context) ([]*PendingReset, error)
	// ApproveReset sends the held reset; EFORBIDDEN for the requester
	// (also from another session) or without the helpdesk or security
	// role; ECONFLICT when it is no longer pending.
	ApproveReset(ctx context.Context, id int64) error
	// RefuseReset refuses it with a note.
	RefuseReset(ctx context.Context, id int64, note string) error
	// RecordView notes that the actor opened a person's record (the
	// person's key, e.g. a hash of their personal code), raising an
	// alert when the actor goes over the threshold in the last hour.
	RecordView(ctx context.Context, personKey string) error
	// OpenAlerts lists the alerts not yet closed, newest first.
	OpenAlerts(ctx context.Context) ([]*Alert, error)
	// CloseAlert closes an alert with a note (security role). EINVALID
	// without a note.
	CloseAlert(ctx context.Context, id int64, note string) error
	// SignIns returns an operator's sign-in history, newest first; only
	// the operator themselves or an administrator. EFORBIDDEN otherwise.
	SignIns(ctx context.Context, operatorID int64, before time.Time, limit int) ([]*SignIn, error)
	// RequestEmailChange asks for a Platform user's e-mail address to
	// change, with a reason (helpdesk, security or admin role). Nothing
	// changes and nothing is sent until ApproveEmailChange. EINVALID
	// without a reason or with a bad address; ECONFLICT when another
	// request for the account is waiting or the address is taken.
	RequestEmailChange(ctx context.Context, userID int64, email, reason string) (*EmailChange, error)
	// PendingEmailChanges lists the requests waiting for a second
	// person, oldest first (helpdesk or admin role).
	PendingEmailChanges(ctx context.Context) ([]*EmailChange, error)
	// ApproveEmailChange applies a request and notifies the previous and
	// the new address (helpdesk or admin role); the errors of
	// EmailChange.ApprovalBlocker, and ECONFLICT when the account's
	// address changed since the request or the new one is taken.
	ApproveEmailChange(ctx context.Context, id int64) error
	// RefuseEmailChange refuses a request with a note; nothing is sent.
	RefuseEmailChange(ctx context.Context, id int64, note string) error
	// AccountHistory returns a Platform user's staff changes, newest first.
	AccountHistory(ctx context.Context, userID int64) ([]*AccountChange, error)
	// StartAccountReset starts a password reset of a Platform user from
	// the back office, with a reason (helpdesk role): the link goes to the
	// confirmed address at once, or, for a privileged account, waits for a
	// second person (ApproveReset). EINVALID without a reason, for a
	// Latvija.gov.lv account (¶14) or an unconfirmed address (¶31.3);
	// ECONFLICT when a reset waits or one was sent a moment ago.
	StartAccountReset(ctx context.Context, userID int64, reason string) (*AccountResetResult, error)
	// AccountEmailChanges lists a Platform user's e-mail change requests in
	// every state, newest first (helpdesk, security or admin role): with
	// AccountHistory, the account's contact history on the person page.
	AccountEmailChanges(ctx context.Context, userID int64) ([]*EmailChange, error)
}
