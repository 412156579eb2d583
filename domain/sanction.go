package domain

import (
	"context"
	"time"
)

// Sanctions against an education institution (¶32.5: the terms are not
// followed; ¶32.7: the Agency refused cooperation). A case file per
// institution holds graduated steps: a warning (recorded and mailed at
// once), a suspension for a period (its users cannot sign in until it ends
// by itself), and a denial of access. A suspension and a denial take
// effect only when a second security officer approves them; in force, each
// is a denial of the institution (Denial, SubjectInstitution), so that
// their effects are the denial effects, undone exactly when they end.

// SanctionStepKind is the kind of a step of a sanction case.
type SanctionStepKind string

// The steps, mildest first.
const (
	SanctionWarning    SanctionStepKind = "warning"
	SanctionSuspension SanctionStepKind = "suspension"
	SanctionDenial     SanctionStepKind = "denial"
)

// SanctionStepKinds lists the steps, mildest first.
var SanctionStepKinds = []SanctionStepKind{SanctionWarning, SanctionSuspension, SanctionDenial}

// SanctionStepState is where a step stands.
type SanctionStepState string

// The states of a step. A warning is given at once; a suspension or a
// denial waits for a second security officer, who puts it in force or
// refuses it. One in force ends by a lift, by its period's end (a
// suspension) or, a suspension, by a denial that takes its place.
const (
	SanctionStepPending    SanctionStepState = "pending"    // waiting for a second security officer
	SanctionStepRefused    SanctionStepState = "refused"    // refused before it had any effect
	SanctionStepGiven      SanctionStepState = "given"      // a warning, recorded and mailed
	SanctionStepInForce    SanctionStepState = "in_force"   // its denial of the institution holds
	SanctionStepLifted     SanctionStepState = "lifted"     // lifted with a reason
	SanctionStepExpired    SanctionStepState = "expired"    // a suspension whose period ended
	SanctionStepSuperseded SanctionStepState = "superseded" // a suspension a denial took over
)

// SanctionCaseState is whether a case is open.
type SanctionCaseState string

// The states of a case.
const (
	SanctionCaseOpen   SanctionCaseState = "open"
	SanctionCaseClosed SanctionCaseState = "closed"
)

// SanctionCase is a case file about one institution.
type SanctionCase struct {
	ID              int64
	InstitutionID   int64
	InstitutionName string
	// InstitutionRegNumber is the institution's company registration
	// number (¶27.1.2).
	InstitutionRegNumber string
	Clause               Ground // GroundRulesBroken (¶32.5) or GroundCooperation (¶32.7)
	Reason               string
	Evidence             string
	State                SanctionCaseState
	OpenedBy             int64
	OpenedByName         string
	OpenedAt             time.Time
	ClosedBy             int64
	ClosedAt             time.Time
	CloseReason          string
	// Current is the strongest step in force (a suspension or a denial),
	// or the last warning given; "" when none.
	Current SanctionStepKind
	// Pending reports whether a step waits for a second officer.
	Pending bool
	// Steps are the case's steps, oldest first (FindCase fills them;
	// lists leave them nil).
	Steps   []*SanctionStep
	Version int64
}

// SanctionStep is one step of a case.
type SanctionStep struct {
	ID             int64
	CaseID         int64
	Kind           SanctionStepKind
	Reason         string
	Evidence       string
	Until          time.Time // a suspension: when it ends by itself
	State          SanctionStepState
	ProposedBy     int64
	ProposedByName string
	ProposedAt     time.Time
	DecidedBy      int64 // who approved or refused it; 0 for a warning
	DecidedByName  string
	DecidedAt      time.Time
	RefuseReason   string
	InForceAt      time.Time
	EndedAt        time.Time
	EndReason      string // a lift's reason
	EndedBy        int64  // who lifted it; 0 for the sweep
	DenialID       int64  // the denial of the institution that carries it; 0 for a warning
	Version        int64
}

// SanctionFilter narrows the list of cases; keyset paged (open first,
// then newest first) by the last case seen.
type SanctionFilter struct {
	States []SanctionCaseState // default: every state
	// Steps keeps cases whose current step is one of these.
	Steps []SanctionStepKind
	// PendingOnly keeps cases with a step waiting for approval.
	PendingOnly bool
	// After is the last case of the previous page (its state and id).
	AfterState SanctionCaseState
	AfterID    int64
	Limit      int
}

// SanctionInstitution is an institution as a security officer picks one
// for a case: by name or registration number, never by internal id.
type SanctionInstitution struct {
	ID                 int64
	Name               string
	CompanyRegNumber   string
	EducationRegNumber string
	State              string // pending, active, suspended
	OpenCaseID         int64  // its open case, 0 when none
}

// SanctionService is the security officers' work on sanction cases. Every
// change needs the security role, except opening a case, which a reviewer
// may do too (a re-verification escalates to one); reads need the
// security or the reviewer role. Every change is audited.
type SanctionService interface {
	// ListCases returns cases matching f, open first, newest first.
	// EFORBIDDEN (not security or reviewer).
	ListCases(ctx context.Context, f SanctionFilter) ([]*SanctionCase, error)
	// CasesOf returns one institution's cases, newest first, without
	// steps, at most InstitutionSectionMax (a section of the institution's
	// page). EFORBIDDEN.
	CasesOf(ctx context.Context, institutionID int64) ([]*SanctionCase, error)
	// FindCase returns one case with its steps. ENOTFOUND, EFORBIDDEN.
	FindCase(ctx context.Context, id int64) (*SanctionCase, error)
	// FindInstitutions returns up to limit institutions whose name
	// contains query or whose registration number (company or
	// education) starts with it. EINVALID (query too short), EFORBIDDEN.
	FindInstitutions(ctx context.Context, query string, limit int) ([]*SanctionInstitution, error)
	// OpenCase opens a case about an institution on clause (¶32.5 or
	// ¶32.7) with a reason (a note) and evidence. EINVALID (clause,
	// reason, text), ENOTFOUND (institution), ECONFLICT (a case of it is
	// open already), EFORBIDDEN.
	OpenCase(ctx context.Context, institutionID int64, clause Ground, reason, evidence string) (*SanctionCase, error)
	// ProposeStep adds a step to case id (at version): a warning takes
	// effect at once; a suspension (until its end) or a denial waits for
	// a second security officer. EINVALID, ECONFLICT (the step may not
	// follow, or the case changed), EFORBIDDEN.
	ProposeStep(ctx context.Context, caseID, version int64, kind SanctionStepKind, reason, evidence string, until time.Time) (*SanctionStep, error)
	// ApproveStep puts a pending step (at version) in force. EFORBIDDEN
	// when the actor proposed it (also from another session), ECONFLICT
	// when it is not pending or changed, EINVALID when a suspension's end
	// has passed meanwhile.
	ApproveStep(ctx context.Context, stepID, version int64) error
	// RefuseStep refuses a pending step with a reason; it never had
	// effect. EINVALID (reason), ECONFLICT, EFORBIDDEN.
	RefuseStep(ctx context.Context, stepID, version int64, reason string) error
	// LiftStep lifts a suspension or a denial in force with a reason,
	// undoing exactly what it changed. EINVALID, ECONFLICT, EFORBIDDEN.
	LiftStep(ctx context.Context, stepID, version int64, reason string) error
	// CloseCase closes case id (at version) with a reason, once nothing
	// waits and nothing is in force. EINVALID, ECONFLICT, EFORBIDDEN.
	CloseCase(ctx context.Context, caseID, version int64, reason string) error
}
