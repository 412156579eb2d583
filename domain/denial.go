package domain

import (
	"context"
	"time"
)

// Ground is a ground for denying access to the Platform (¶32).
type Ground string

// The grounds of ¶32. Expiry and death are found by sweeps; the others are
// raised by security officers.
const (
	GroundRoleExpired     Ground = "32.1" // role validity expired
	GroundAuthDeactivated Ground = "32.2" // authentication method deactivated
	GroundCompromised     Ground = "32.3" // rights or roles compromised
	GroundUserRequest     Ground = "32.4" // the user asked for suspension
	GroundRulesBroken     Ground = "32.5" // the terms were not followed
	GroundIncident        Ground = "32.6" // security incident
	GroundCooperation     Ground = "32.7" // the Agency refused cooperation
	GroundDeath           Ground = "32.8" // death
)

// Grounds lists every ground in clause order.
var Grounds = []Ground{GroundRoleExpired, GroundAuthDeactivated, GroundCompromised, GroundUserRequest, GroundRulesBroken, GroundIncident, GroundCooperation, GroundDeath}

// LiftNeedsSecondApproval reports whether lifting a denial on this ground
// takes effect only when a second security officer approves (four eyes).
func (g Ground) LiftNeedsSecondApproval() bool {
	return g == GroundCompromised || g == GroundIncident
}

// DenialEffect is one kind of thing a denial did and a lift undoes
// (denial_effects.effect, ¶24, ¶32).
type DenialEffect string

// The effects of a denial.
const (
	EffectSignIn      DenialEffect = "sign_in"     // a Platform account's sign-in denied
	EffectAssignment  DenialEffect = "assignment"  // a role assignment suspended
	EffectInstitution DenialEffect = "institution" // an institution suspended
	EffectOperator    DenialEffect = "operator"    // an operator disabled
	EffectIMK         DenialEffect = "imk"         // an approved IMK suspended (¶24)
)

// DenialEffects lists every effect in a stable order.
var DenialEffects = []DenialEffect{EffectSignIn, EffectAssignment, EffectInstitution, EffectOperator, EffectIMK}

// SubjectKind is what a denial is about.
type SubjectKind string

// Subject kinds.
const (
	SubjectPlatformUser SubjectKind = "platform_user"
	SubjectInstitution  SubjectKind = "institution"
	SubjectOperator     SubjectKind = "operator"
)

// DenialState is where a denial stands.
type DenialState string

// Denial states. A denial waiting for a second approval has no effect yet;
// a lift waiting for approval leaves the denial in force.
const (
	DenialPendingApproval DenialState = "pending_approval" // raised, waiting for a second officer
	DenialInForce         DenialState = "in_force"
	DenialLiftPending     DenialState = "lift_pending" // in force; lifting waits for a second officer
	DenialLifted          DenialState = "lifted"
	DenialCancelled       DenialState = "cancelled" // refused by the second officer before taking effect
)

// Denial is a denial of access with its history.
type Denial struct {
	ID           int64
	SubjectKind  SubjectKind
	SubjectID    int64
	SubjectName  string // display name; personal codes masked
	Ground       Ground
	Note         string
	Evidence     string
	State        DenialState
	RaisedBy     int64 // operator id; 0 for a sweep
	RaisedByName string
	RaisedAt     time.Time
	ApprovedBy   int64
	InForceAt    time.Time
	LiftReason   string
	LiftedBy     int64
	LiftApprover int64
	LiftedAt     time.Time
	RefusedBy    int64  // who refused the last pending denial or lift; 0 if none
	RefuseReason string // why
	// LiftNewPassword: the lift (asked for or done) requires the
	// institution password users the denial reaches to choose a new
	// password at their next sign-in (¶32.3, ¶32.6).
	LiftNewPassword bool
	// EndsAt is when a sanction suspension (¶32.5, ¶32.7) ends by
	// itself; zero for a denial until lifted. A suspension holds no place
	// on its ground: a denial may stand beside it (NewDenial).
	EndsAt  time.Time
	Version int64
	// SubjectTerms is the version of the terms in force a Platform user
	// subject has not accepted (¶26.2); nil when they have, none is in
	// force, or the subject is not a Platform user.
	SubjectTerms *TermsPending
}

// DenialFilter narrows the list of denials; keyset paged by id
// descending (only ids below BeforeID).
type DenialFilter struct {
	States      []DenialState // default: in force and lift pending
	Grounds     []Ground
	SubjectKind SubjectKind
	SubjectID   int64
	BeforeID    int64
	Limit       int
}

// SweepRun is one run of a scheduled sweep, with its counts.
type SweepRun struct {
	ID         int64
	Sweep      string // "role-expiry", "auth-deactivated", "death-check"
	Instance   string // which server ran it
	StartedAt  time.Time
	FinishedAt time.Time
	Checked    int64
	Changed    int64 // denied, ended, warned …
	Error      string
	Skipped    bool // another instance held the sweep's lease; nothing ran and nothing was recorded
}

// DeathCheckReport is the compliance view of ¶32.8: every natural person
// the Platform knows (a user by personal code, an IMK client) checked
// against the Population Register at least every DeathCheckInterval, on
// data the register gave no more than the allowed age before.
type DeathCheckReport struct {
	Persons       int64        // living persons (never the deceased)
	CheckedByMon  []MonthCount // completed checks in each of the last 12 months
	Overdue       int64        // last completed check (or, never checked, their first record) more than DeathCheckInterval ago
	NotFound      int64        // the last attempt found no register record for any of their codes
	Stale         int64        // the last attempt found only register data older than the allowed age
	NoCode        int64        // Platform users without a personal code (¶27.2): they cannot be checked
	DueNext       []DueCheck   // the next persons due, soonest first
	OverdueList   []DueCheck   // some of the overdue, longest overdue first
	NotFoundList  []DueCheck   // some of the not found
	StaleList     []DueCheck   // some of the stale
	NoCodeList    []DueCheck   // some of the users without a personal code (PersonID 0)
	OldestCheckAt time.Time
}

// Failing reports whether the report shows persons whose check has not
// been done as ¶32.8 requires and who could be checked: overdue, not
// found or stale. Users without a personal code are listed but do not
// fail it: no register can be asked about them, and no run of the check
// would change that.
func (r *DeathCheckReport) Failing() bool {
	return r.Overdue > 0 || r.NotFound > 0 || r.Stale > 0
}

// MonthCount is a count for one calendar month ("2026-11").
type MonthCount struct {
	Month string
	Count int64
}

// DueCheck is a person in the death-check report; no personal code.
// UserID is their Platform account, 0 for an IMK client who has none.
type DueCheck struct {
	PersonID int64
	UserID   int64
	Name     string
	DueAt    time.Time // due (DueNext), last completed check (OverdueList), last attempt (NotFound/Stale), registered (NoCode)
}

// DeathCheckOutcome is what one attempt of the ¶32.8 check found.
type DeathCheckOutcome string

// The outcomes of a death check. Only DeathChecked and DeathDeceased
// complete a check; not found and stale are retried at the next run.
const (
	DeathChecked  DeathCheckOutcome = "checked"
	DeathDeceased DeathCheckOutcome = "deceased"
	DeathNotFound DeathCheckOutcome = "not_found"
	DeathStale    DeathCheckOutcome = "stale"
)

// DefaultDeathCheckMaxDataAge is how old the register's data for a person
// may be for a check to count (PPP_DEATH_CHECK_MAX_DATA_AGE).
const DefaultDeathCheckMaxDataAge = 31 * 24 * time.Hour

// DeathCheckInterval is the longest time between two checks of a person
// against the Population Register (¶32.8: at least every six months).
const DeathCheckInterval = 183 * 24 * time.Hour

// DenialService is the security officer's work: every method needs the
// security role (see Actor.IsOperator). Every change is audited;
// effects take hold in the same transaction as the change that makes the
// denial in force.
type DenialService interface {
	// ListDenials returns denials matching f, newest first.
	ListDenials(ctx context.Context, f DenialFilter) ([]*Denial, error)
	// FindDenial returns one denial. ENOTFOUND.
	FindDenial(ctx context.Context, id int64) (*Denial, error)
	// SubjectHistory returns every denial of one subject, newest first.
	SubjectHistory(ctx context.Context, kind SubjectKind, id int64) ([]*Denial, error)
	// Deny raises a denial. For a back-office operator it waits for a
	// second security officer; otherwise it is in force at once. EINVALID
	// (ground, note), ENOTFOUND (subject), EFORBIDDEN (not security, or
	// denying oneself), ECONFLICT (already denied on that ground).
	Deny(ctx context.Context, kind SubjectKind, subjectID int64, ground Ground, note, evidence string) (*Denial, error)
	// Lift lifts a denial with a reason; ¶32.3 and ¶32.6 wait for a second
	// officer. EINVALID (no reason), ECONFLICT (not in force / version).
	Lift(ctx context.Context, id, version int64, reason string) error
	// LiftRequiringNewPassword is Lift, as one step with requiring the
	// institution password users the denial reaches (its subject, or its
	// institution's users) to choose a new password at their next sign-in
	// (¶32.3, ¶32.6); a lift that waits for a second officer requires it
	// when approved. The requirement is named in the lift's audit entry.
	// Errors as Lift.
	LiftRequiringNewPassword(ctx context.Context, id, version int64, reason string) error
	// Approve approves a pending denial or lift; EFORBIDDEN when the actor
	// raised it (also from another session). ECONFLICT when not pending.
	Approve(ctx context.Context, id, version int64) error
	// Refuse refuses a pending denial or lift, with a reason.
	Refuse(ctx context.Context, id, version int64, reason string) error
	// PendingApprovals lists denials and lifts waiting for a second officer.
	PendingApprovals(ctx context.Context) ([]*Denial, error)
	// SweepRuns returns the latest runs, newest first.
	SweepRuns(ctx context.Context, limit int) ([]*SweepRun, error)
	// DeathCheckReport returns the ¶32.8 compliance view at now.
	DeathCheckReport(ctx context.Context, now time.Time) (*DeathCheckReport, error)
}
