package domain

import (
	"context"
	"time"
)

// IMKState is where an individual learning account (IMK) stands (¶26).
type IMKState string

// IMK states. One person has at most one active IMK (applied, checking,
// needs review, approved, suspended); an IMK is never approved twice.
const (
	IMKApplied     IMKState = "applied"
	IMKChecking    IMKState = "checking"
	IMKNeedsReview IMKState = "needs_review"
	IMKApproved    IMKState = "approved"
	IMKRejected    IMKState = "rejected"
	IMKSuspended   IMKState = "suspended"
	IMKClosed      IMKState = "closed"
)

// Register names a state register the Platform takes data from (¶26).
type Register string

// The registers.
const (
	RegisterPopulation Register = "population" // Fizisko personu reģistrs
	RegisterRevenue    Register = "revenue"    // Valsts ieņēmumu dienests
	RegisterEducation  Register = "education"  // VIIS
)

// PersonRecord is the Population Register's answer about one person.
type PersonRecord struct {
	PersonalCode string
	FirstName    string
	LastName     string
	BirthDate    time.Time
	Resident     bool // declared residence in Latvia
	Municipality string
	DeceasedOn   time.Time // zero when alive
}

// EmploymentPeriod is one period of employment or self-employment (VID).
type EmploymentPeriod struct {
	Employer     string // company registration number or name
	SelfEmployed bool
	From         time.Time
	Until        time.Time // zero when ongoing
}

// EducationRecord is VIIS's answer: documents with their LKI level and
// current enrolment.
type EducationRecord struct {
	HighestLKI int // 0 when no document is known
	Studying   bool
}

// Snapshot is what one register said about a person, when, and whether it
// answered at all; exactly one of the payloads is set for an answer.
type Snapshot struct {
	ID         int64
	Register   Register
	FetchedAt  time.Time
	Answered   bool   // false: the register did not answer (outage)
	Found      bool   // the register knows the person
	Error      string // why it did not answer; no personal data
	Person     *PersonRecord
	Employment []EmploymentPeriod
	Education  *EducationRecord
}

// Registers fetches a person's data from the three registers. Every fetch
// is kept as a snapshot so that a decision can show what it rested on.
type Registers interface {
	// Fetch asks one register about personalCode and returns the snapshot
	// it kept. A register that does not answer gives a snapshot with
	// Answered false, not an error; an error means the snapshot could not
	// be kept (EUNAVAILABLE).
	Fetch(ctx context.Context, reg Register, personalCode string) (*Snapshot, error)
	// FetchAll asks each of regs (all three when none) about personalCode
	// in one go and returns their snapshots in that order, with Fetch's
	// errors.
	FetchAll(ctx context.Context, personalCode string, regs ...Register) ([]*Snapshot, error)
}

// EligibilityPolicy is a version of the target-group policy (¶26.4): Agency
// policy that changes between programme rounds, so it is data. A version
// never changes in place; a new one takes effect when a second person
// approves it.
type EligibilityPolicy struct {
	ID                int64
	Version           int // 1, 2, …
	Name              string
	MinAge            int  // e.g. 18 (25 in the 2017–2023 programme)
	MaxAge            int  // 0: no upper limit
	RequireEmployment bool // employed or self-employed on the check date
	RequireResidence  bool
	ExcludeStudying   bool // people in full-time studies are not the target group
	MaxDataAge        time.Duration
	PriorityMaxLKI    int // priority when the highest LKI ≤ this (3)
	PriorityMinAge    int // priority from this age (45)
	// PriorityCombine is how the LKI and age priorities combine into the
	// application's priority: PriorityAnyOf ("or", the default when
	// empty) or PriorityAllOf ("and").
	PriorityCombine string
	// AutoReject names the eligibility rules (EligibilityRules) whose
	// failure rejects an application without a person looking; a failed
	// rule not named here sends it to review with the rule as the reason
	// (GDPR Art. 22). Nil: no rule rejects automatically.
	AutoReject     []string
	State          string
	DraftedBy      int64
	DraftedByName  string
	ApprovedBy     int64
	ApprovedByName string
	EffectiveFrom  time.Time
	CreatedAt      time.Time
}

// Verdict is one rule's outcome.
type Verdict string

// Verdicts.
const (
	VerdictPass    Verdict = "pass"
	VerdictFail    Verdict = "fail"
	VerdictUnknown Verdict = "unknown"
)

// RuleResult is one rule's verdict with its evidence and where it came
// from.
type RuleResult struct {
	Rule       string // "alive", "age", "residence", "employment", "no_other_imk", "studying", "priority_lki", "priority_age"
	Verdict    Verdict
	Evidence   Evidence // a catalog key and its arguments; no full personal code
	Source     Register
	SnapshotID int64
	FetchedAt  time.Time
}

// Outcome is the evaluation's overall result.
type Outcome string

// Outcomes.
const (
	OutcomeEligible    Outcome = "eligible"
	OutcomeNotEligible Outcome = "not_eligible"
	OutcomeNeedsReview Outcome = "needs_review"
)

// Evaluation is the evaluator's answer: a verdict per rule and the outcome.
type Evaluation struct {
	PolicyID  int64
	CheckDate time.Time
	Rules     []RuleResult
	Outcome   Outcome
	Priority  PriorityState // yes, no, or unknown when a priority rule's data is missing
	ReviewWhy []string      // rules that made it need review
}

// IMKApplication is an application for an IMK with its latest evaluation.
type IMKApplication struct {
	ID             int64
	PersonalCode   string
	FirstName      string
	LastName       string
	Email          string
	State          IMKState
	Version        int64
	AppliedAt      time.Time
	DecidedAt      time.Time
	DecidedBy      int64
	DecidedByName  string
	Reason         string
	Evaluation     *Evaluation
	ClaimedBy      int64
	ClaimedByName  string
	ClaimExpiresAt time.Time
	// Hold is the denial in force over the applicant (¶24, ¶32) that keeps
	// the application from being approved; nil when none.
	Hold *DenialHold
	// Terms is the version of the terms in force the applicant has not
	// accepted (¶26.2); nil when they have, or none is in force.
	Terms *TermsPending
	// Contest is the person's latest request that a person review an
	// automatic decision (GDPR Art. 22), with the decision it contests;
	// nil when they made none. Only FindIMK fills it in.
	Contest *IMKContest
}

// IMKContest is a person's request to have an automatic IMK decision
// reviewed by a person (GDPR Art. 22, ¶26.4), and that decision.
type IMKContest struct {
	RequestedAt  time.Time
	Channel      string // "portal" or "mail"
	Message      string // the person's words, as sent
	DecidedState IMKState
	DecidedAt    time.Time
	Reason       string // the automatic decision's reason: a rule key ("imk.rule.residence") or text
}

// IMKFilter narrows the review queue; keyset paged oldest first.
type IMKFilter struct {
	States       []IMKState // default: needs review
	Search       string
	AfterApplied time.Time
	AfterID      int64
	Limit        int
}

// IMKService is the reviewer's IMK eligibility queue: every method needs
// the reviewer role (see Actor.IsOperator). Decisions are
// audited and state-guarded; the client is told by e-mail (outbox).
type IMKService interface {
	// ListIMK returns a page of applications.
	ListIMK(ctx context.Context, f IMKFilter) ([]*IMKApplication, error)
	// FindIMK returns one application with its latest evaluation. Reading
	// an application is looking at its person: for an operator it counts
	// toward the alert on bulk look-ups (AlertViews) in the same call.
	// ENOTFOUND.
	FindIMK(ctx context.Context, id int64) (*IMKApplication, error)
	// ClaimIMK claims (or renews) an application for ClaimLease: the
	// refusals of IMKApplication.Allows (IMKClaim).
	ClaimIMK(ctx context.Context, id int64) (*IMKApplication, error)
	// ReleaseIMK gives the actor's claim up.
	ReleaseIMK(ctx context.Context, id int64) error
	// SessionClaims gives up every claim of a session on its end.
	SessionClaims
	// Refetch asks the registers again and re-evaluates; the application
	// stays in review, claimed by the actor. The refusals of
	// IMKApplication.Allows (IMKRefetch).
	Refetch(ctx context.Context, id int64) (*IMKApplication, error)
	// DecideIMK approves or rejects an application in review, with a
	// reason: the refusals of IMKApplication.Allows and CheckVersion,
	// EINVALID from CheckIMKReason, and ECONFLICT "imk.active_exists" when
	// the person has another active IMK.
	DecideIMK(ctx context.Context, id, version int64, approve bool, reason string) error
	// RevealPersonalCode returns the applicant's whole personal code and,
	// in the same call, records the look with its reason in the audit log
	// ("personal_data.reveal", GDPR Art. 5(2), Art. 32) and counts it toward the alert on
	// revealed codes (AlertReveals). EINVALID from CheckRevealReason and
	// "imk.no_personal_code"; ENOTFOUND.
	RevealPersonalCode(ctx context.Context, id int64, reason string) (string, error)
}
