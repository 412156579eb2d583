package domain

import (
	"context"
	"time"
)

// RoleRequestKind is what a role request asks for (¶8, ¶27–¶29).
type RoleRequestKind string

// The kinds of role request.
const (
	KindInstitution               RoleRequestKind = "institution"                 // ¶27.1: registration of an education institution
	KindInstitutionStaff          RoleRequestKind = "institution_staff"           // ¶27.2: a user of a registered institution
	KindMunicipalCoordinator      RoleRequestKind = "municipal_coordinator"       // ¶28
	KindCareerConsultant          RoleRequestKind = "career_consultant"           // ¶29
	KindAdultEducationCoordinator RoleRequestKind = "adult_education_coordinator" // ¶8
)

// RoleRequestKinds lists every kind in a stable order.
var RoleRequestKinds = []RoleRequestKind{KindInstitution, KindInstitutionStaff, KindMunicipalCoordinator, KindCareerConsultant, KindAdultEducationCoordinator}

// RoleRequestState is where a request stands.
type RoleRequestState string

// The states of a role request. Unconfirmed requests cannot be decided;
// they expire after UnconfirmedLifetime. Requests routed to an institution
// (¶29.3) wait there in StateAtInstitution and are read-only for the Agency
// until taken over.
const (
	StateUnconfirmed   RoleRequestState = "unconfirmed"    // e-mail not yet confirmed (¶27.3, ¶28.2, ¶29.2)
	StatePending       RoleRequestState = "pending"        // waiting for an Agency decision
	StateAtInstitution RoleRequestState = "at_institution" // waiting for the institution's decision (¶29.3)
	StateInfoRequested RoleRequestState = "info_requested" // waiting for the applicant's answer
	StateApproved      RoleRequestState = "approved"
	StateRejected      RoleRequestState = "rejected"
	StateExpired       RoleRequestState = "expired" // e-mail never confirmed
)

// RoleRequestStates lists every state in a stable order.
var RoleRequestStates = []RoleRequestState{StateUnconfirmed, StatePending, StateAtInstitution, StateInfoRequested, StateApproved, StateRejected, StateExpired}

// Open reports whether a request in state s still waits for someone.
func (s RoleRequestState) Open() bool {
	switch s {
	case StateUnconfirmed, StatePending, StateAtInstitution, StateInfoRequested:
		return true
	}
	return false
}

// UnconfirmedLifetime is how long a request may wait for its e-mail
// confirmation before it expires.
const UnconfirmedLifetime = 14 * 24 * time.Hour

// Route says who decides a request (¶29.3).
type Route string

// Routes.
const (
	RouteAgency      Route = "agency"
	RouteInstitution Route = "institution"
)

// PlatformRole is a role held on the Platform (not in the back office).
type PlatformRole string

// Platform roles granted by approving a request.
const (
	PlatformInstitutionAdmin   PlatformRole = "institution_admin" // first user of a registered institution
	PlatformInstitutionStaff   PlatformRole = "institution_staff"
	PlatformMunicipalCoord     PlatformRole = "municipal_coordinator"
	PlatformCareerConsultant   PlatformRole = "career_consultant"
	PlatformAdultEducationCoor PlatformRole = "adult_education_coordinator"
)

// Document is an attachment of a request (¶27.1.6): its metadata, and the
// file itself when the portal sent it through the API (issue 15).
type Document struct {
	Name      string
	MediaType string
	Size      int64
	SHA256    string // hex
	// Content is the file, at most DocumentContentMaxSize bytes; nil when
	// only the metadata is known (the demo's documents, and lists).
	// Validate sets Size and, when empty, SHA256 from it.
	Content []byte
}

// RoleRequestForm is what the applicant filled in on the Platform. Which
// fields are required depends on the kind (see Validate).
type RoleRequestForm struct {
	Kind RoleRequestKind
	// The natural person (every kind but KindInstitution, whose applicant
	// is the institution itself). Persons signing in through Latvija.gov.lv
	// are identified by personal code (¶13, ¶28.3, ¶29.4).
	FirstName    string
	LastName     string
	PersonalCode string
	Email        string
	Phone        string
	Position     string
	// ¶27.1: the institution being registered.
	InstitutionName    string
	CompanyRegNumber   string
	EducationRegNumber string
	Password           string // ¶27.1.5, ¶27.2.4: checked against ¶31, stored only as a hash
	// ¶27.2, ¶29.3: the registered institution the person belongs to.
	InstitutionID int64
	// ¶28: the municipality a coordinator works for (reference table code).
	MunicipalityCode string
	Documents        []Document
	Notes            string
	// Terms is the applicant's acceptance of the terms version in force
	// (¶26.2), as the portal reports it with the submission; zero when
	// the portal sent none (the request then waits for an acceptance).
	Terms TermsAct
}

// RoleRequest is a request with its state, as the back office sees it.
type RoleRequest struct {
	ID      int64
	Form    RoleRequestForm
	State   RoleRequestState
	Route   Route
	Version int64 // incremented by every change; decisions name the version they saw

	InstitutionName  string // of Form.InstitutionID, or Form.InstitutionName
	MunicipalityName string

	EmailSentAt      time.Time
	EmailConfirmedAt time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time

	ClaimedBy      int64 // operator id; 0 when nobody holds it
	ClaimedByName  string
	ClaimExpiresAt time.Time

	DecidedBy     int64
	DecidedByName string // the operator, or the institution that decided (¶29.3)
	DecidedAt     time.Time
	ReasonCode    string
	ReasonText    string
	InfoMessage   string
	InfoAnswer    string // the applicant's answer to InfoMessage
	ValidUntil    time.Time

	// ¶29.3: a career consultant's request waiting at an institution.
	// InstitutionReminderAt is when the sweep reminded the institution
	// before the take-over limit (once); AgencyRemindedAt when the Agency
	// last reminded it after the limit. Zero when not (yet).
	InstitutionReminderAt time.Time
	AgencyRemindedAt      time.Time
	// Hold is the denial in force over the applicant or the institution
	// (¶24, ¶32) that keeps the request from being approved; nil when none.
	Hold *DenialHold
	// Terms is the version of the terms in force the applicant has not
	// accepted (¶26.2); nil when they have, or none is in force.
	Terms *TermsPending
}

// PlatformRole returns the role that approving a request of this kind
// grants: institution_admin for an institution's registration (its first
// user), and the role of the same name for the others.
func (k RoleRequestKind) PlatformRole() PlatformRole {
	switch k {
	case KindInstitution:
		return PlatformInstitutionAdmin
	case KindInstitutionStaff:
		return PlatformInstitutionStaff
	case KindMunicipalCoordinator:
		return PlatformMunicipalCoord
	case KindCareerConsultant:
		return PlatformCareerConsultant
	case KindAdultEducationCoordinator:
		return PlatformAdultEducationCoor
	}
	return ""
}

// UsesPassword reports whether the applicant signs in with an e-mail
// address and a password (¶27.1.5, ¶27.2.4) rather than through
// Latvija.gov.lv with a personal code (¶14, ¶28.3, ¶29.4).
func (k RoleRequestKind) UsesPassword() bool {
	return k == KindInstitution || k == KindInstitutionStaff
}

// RoleRequestConfig is the Agency's configuration of the queue.
type RoleRequestConfig struct {
	// DefaultValidity is how long an approved role lasts when the
	// reviewer does not choose the end (¶32.1).
	DefaultValidity time.Duration
	// MaxValidity bounds the end a reviewer may choose, so that a mistyped
	// year does not grant a role for a century.
	MaxValidity time.Duration
	// TakeOverAfterDays is how many days a request must have waited at an
	// institution (since its e-mail was confirmed) before the Agency may
	// take it over.
	TakeOverAfterDays int
	// TakeOverRemindDays is how many days before the take-over limit the
	// institution is reminded of a request waiting for it (¶29.3).
	TakeOverRemindDays int
}

// DefaultRoleRequestConfig returns the configuration used unless the
// Agency sets another: roles valid for two years (at most five), take-over
// after ten days, the institution reminded three days before.
func DefaultRoleRequestConfig() RoleRequestConfig {
	return RoleRequestConfig{
		DefaultValidity:    2 * 365 * 24 * time.Hour,
		MaxValidity:        5 * 365 * 24 * time.Hour,
		TakeOverAfterDays:  10,
		TakeOverRemindDays: 3,
	}
}

// RemindFrom returns when the institution a request waits at is due its
// reminder under cfg (¶29.3): cfg.TakeOverRemindDays before the take-over
// limit, but never before the wait began; zero for any other request.
func (r *RoleRequest) RemindFrom(cfg RoleRequestConfig) time.Time {
	from := r.TakeOverFrom(cfg)
	if from.IsZero() {
		return time.Time{}
	}
	at := from.AddDate(0, 0, -cfg.TakeOverRemindDays)
	if at.Before(r.EmailConfirmedAt) {
		return r.EmailConfirmedAt
	}
	return at
}

// ScopedToInstitution reports whether approving the request grants a
// role scoped to the institution the form names. A career consultant's
// role is the institution's only when the institution approves it
// (¶29.3): the Agency — a request it took over too — approves the
// consultant without an institution's scope ("Pārējiem"). Staff and an
// institution's registration are always the institution's.
func (r *RoleRequest) ScopedToInstitution(byInstitution bool) bool {
	switch r.Form.Kind {
	case KindInstitution, KindInstitutionStaff:
		return true
	case KindCareerConsultant:
		return byInstitution && r.Form.InstitutionID != 0
	}
	return false
}

// TakeOverFrom returns when the Agency may take over a request waiting at
// an institution under cfg; zero for any other request.
func (r *RoleRequest) TakeOverFrom(cfg RoleRequestConfig) time.Time {
	if r.State != StateAtInstitution || r.EmailConfirmedAt.IsZero() {
		return time.Time{}
	}
	return r.EmailConfirmedAt.AddDate(0, 0, cfg.TakeOverAfterDays)
}

// CanTakeOver reports whether the Agency may take the request over at now
// under cfg.
func (r *RoleRequest) CanTakeOver(now time.Time, cfg RoleRequestConfig) bool {
	from := r.TakeOverFrom(cfg)
	return !from.IsZero() && !now.Before(from)
}

// ApplicantName is the name shown in lists: the person, or the institution.
func (r *RoleRequest) ApplicantName() string {
	if r.Form.Kind == KindInstitution {
		return r.Form.InstitutionName
	}
	return r.Form.FirstName + " " + r.Form.LastName
}

// ClaimedByOther reports whether someone other than operatorID holds the
// request at now.
func (r *RoleRequest) ClaimedByOther(operatorID int64, now time.Time) bool {
	return heldByOther(r.ClaimedBy, r.ClaimExpiresAt, operatorID, now)
}

// RejectReasons are the reasons a reviewer picks from when rejecting; the
// catalog key of each is "rolerequest.reason."+code.
var RejectReasons = []string{"incomplete", "not_eligible", "duplicate", "unverifiable", "institution_unknown", "other"}

// RoleRequestFilter narrows the queue. Results come oldest first, keyset
// paged: only requests after (AfterCreated, AfterID).
type RoleRequestFilter struct {
	Kinds        []RoleRequestKind
	States       []RoleRequestState // default: the open states
	OlderThan    time.Duration      // only requests waiting at least this long
	Search       string             // name, personal code, registration number or e-mail
	AfterCreated time.Time
	AfterID      int64
	Limit        int
}

// RoleRequestEvent is one line of a request's history.
type RoleRequestEvent struct {
	At        time.Time
	ActorName string
	Action    string // "submitted", "email_confirmed", "claimed", "approved" …
	Note      string
}

// Duplicate is an active or pending record that matches a request on the
// same person, e-mail or registration number.
type Duplicate struct {
	Kind    string // "request" or "assignment" or "institution"
	ID      int64
	Matched string // "personal_code", "email", "company_reg", "education_reg"
	State   string
	Summary string // masked: no full personal codes
}

// Decision is a reviewer's decision on a request.
type Decision struct {
	RequestID   int64
	Version     int64     // the version the reviewer saw
	ValidUntil  time.Time // approve: the role's validity end (¶32.1)
	ReasonCode  string    // reject: one of RejectReasons
	ReasonText  string    // reject: free text; take-over: why
	InfoMessage string    // ask for information: the message to the applicant
}

// RoleRequestService is the reviewer's queue: every method needs the
// reviewer role (see Actor.IsOperator). Every change is audited,
// notified (topic "role_request", the id only) and, where the applicant is
// told, written to the outbox in the same transaction.
type RoleRequestService interface {
	// ListRoleRequests returns a page of the queue, each request with what
	// a list shows (identity, kind, state, institution or municipality,
	// e-mail confirmation, age, holder, version); FindRoleRequest reads
	// the rest. EINVALID for a bad filter.
	ListRoleRequests(ctx context.Context, f RoleRequestFilter) ([]*RoleRequest, error)
	// FindRoleRequest returns one request with its documents. Reading a
	// request is looking at its person: for an operator it counts toward
	// the alert on bulk look-ups (AlertViews) in the same call. ENOTFOUND.
	FindRoleRequest(ctx context.Context, id int64) (*RoleRequest, error)
	// RoleRequestHistory returns a request's events, oldest first.
	RoleRequestHistory(ctx context.Context, id int64) ([]*RoleRequestEvent, error)
	// FindDuplicates returns active or pending matches of the request.
	FindDuplicates(ctx context.Context, id int64) ([]*Duplicate, error)
	// ClaimRoleRequest claims (or renews the claim on) a request for the
	// actor for ClaimLease: the refusals of RoleRequest.Allows
	// (RoleRequestClaim), such as ECONFLICT when another operator holds it.
	ClaimRoleRequest(ctx context.Context, id int64) (*RoleRequest, error)
	// ReleaseRoleRequest gives up the actor's claim; a no-op when the actor
	// holds none.
	ReleaseRoleRequest(ctx context.Context, id int64) error
	// SessionClaims gives up every claim of a session on its end.
	SessionClaims
	// Approve, Reject and RequestInfo decide a pending request: the
	// refusals of RoleRequest.Allows and CheckVersion (ECONFLICT when it
	// was decided, changed or is held meanwhile; EFORBIDDEN when it
	// concerns the actor; EINVALID in a state that cannot be decided), and
	// EINVALID from Decision's checks of the validity end and the texts.
	Approve(ctx context.Context, d Decision) error
	Reject(ctx context.Context, d Decision) error
	RequestInfo(ctx context.Context, d Decision) error
	// ResendConfirmation sends the e-mail confirmation link again (a new
	// token); the refusals of RoleRequest.Allows (EINVALID unless the
	// request is unconfirmed and young enough).
	ResendConfirmation(ctx context.Context, id int64) error
	// TakeOver moves a request waiting at an institution for at least the
	// configured number of days to the Agency, with a reason; the refusals
	// of RoleRequest.Allows and CheckVersion, and EINVALID without a
	// reason.
	TakeOver(ctx context.Context, d Decision) error
	// RemindInstitution reminds the institution a career consultant's
	// request waits at, once the take-over limit has passed, by e-mail
	// with d.ReasonText as the Agency's note (may be empty); the request
	// stays at the institution and the limit is not reset (¶29.3). It is
	// audited and recorded in the history. The refusals of
	// RoleRequest.Allows (RoleRequestRemind) and CheckVersion, and
	// EINVALID from Decision.CheckReminder.
	RemindInstitution(ctx context.Context, d Decision) error
	// RevealPersonalCode returns the request's whole personal code and, in
	// the same call, records the look with its reason in the audit log
	// ("personal_data.reveal", GDPR Art. 5(2), Art. 32) and counts it toward the alert on
	// revealed codes (AlertReveals). EINVALID from CheckRevealReason and
	// "rolerequest.no_personal_code"; ENOTFOUND.
	RevealPersonalCode(ctx context.Context, id int64, reason string) (string, error)
	// RoleRequestConfig returns the configuration the service decides by,
	// so that a screen offers the same default validity and take-over
	// limit. It reads no one's data and needs no role.
	RoleRequestConfig() RoleRequestConfig
	// ClaimNext claims for the actor the oldest pending request of the
	// given kinds (every kind when none) that nobody else holds and that
	// does not concern the actor, and returns it as a queue page shows it
	// (FindRoleRequest reads the rest). ENOTFOUND "rolerequest.queue_empty"
	// when there is none.
	ClaimNext(ctx context.Context, kinds ...RoleRequestKind) (*RoleRequest, error)
	// PersonAssignments returns the role assignments, running first, of
	// the person request id is about: the user it granted a role to, the
	// Latvija.gov.lv user with its personal code, or the institution
	// password user with its e-mail address (¶32.1). ENOTFOUND.
	PersonAssignments(ctx context.Context, requestID int64) ([]*RoleAssignment, error)
	// ChangeAssignment extends, ends or renews one role assignment with a
	// reason, audited (¶32.1): EINVALID from AssignmentChange.Check, the
	// refusals of RoleAssignment.Allows, ENOTFOUND "assignment.not_found".
	ChangeAssignment(ctx context.Context, c AssignmentChange) error
}

// ClaimLease is how long a claim lasts unless renewed.
const ClaimLease = 15 * time.Minute
