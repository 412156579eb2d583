package domain

import (
	"context"
	"time"
)

// Institutions (¶27.1) and their page on the back office (issue 17): the
// list with its searches and filters, one institution's details with
// their history of changes (¶17.2), its staff users and career
// consultants with their roles, the requests waiting for its decision
// (¶29.3), the documents it registered with (¶27.1.6) and the denials of
// its access (¶32).

// InstitutionState is where an institution is in its life.
type InstitutionState string

// The states of an institution (migration 0011).
const (
	InstitutionPending   InstitutionState = "pending"
	InstitutionActive    InstitutionState = "active"
	InstitutionSuspended InstitutionState = "suspended"
)

// InstitutionStates are the states, in the order the screen's filter
// cycles them.
var InstitutionStates = []InstitutionState{InstitutionActive, InstitutionPending, InstitutionSuspended}

// Institution is an education institution's details.
type Institution struct {
	ID                 int64
	Name               string
	CompanyRegNumber   string // uzņēmuma reģistrācijas numurs, ¶27.1.2
	EducationRegNumber string // izglītības iestādes reģistrācijas numurs, ¶27.1.3
	Email              string
	Phone              string // "" when none is known (rows older than issue 17)
	Address            string // "" when none is known
	State              InstitutionState
	ActivatedAt        time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	// Version grows with every edit of the details; an edit names the
	// version it was typed over (Institution.CheckVersion).
	Version int64
	// ReverifyDueAt is when an active institution is next re-verified
	// against the registers (issue 17); zero until the sweep places it.
	ReverifyDueAt time.Time
}

// InstitutionFilter narrows the list of institutions. At most one of
// Name, CompanyRegNumber and EducationRegNumber is used (in that order of
// precedence); the list is ordered by name and keyset paged after
// (AfterName, AfterID), the last row of the page before.
type InstitutionFilter struct {
	Name               string // a part of the name, any case (a prefix where the database lacks pg_trgm)
	CompanyRegNumber   string // exact, 11 digits with a valid check digit
	EducationRegNumber string // exact, 10 digits
	States             []InstitutionState
	// ReverifyDueBy keeps the active institutions whose re-verification
	// falls due by then (issue 17); zero: any.
	ReverifyDueBy time.Time
	AfterName     string // the last row's name as listed
	AfterID       int64
	Limit         int // 0: InstitutionPageSize
}

// InstitutionPageSize is how many institutions a page of the list holds
// when a filter names no limit; InstitutionListMax is the most one read
// returns.
const (
	InstitutionPageSize = 50
	InstitutionListMax  = 500
)

// The fields of an institution's details: the names its history of
// changes (InstitutionChange.Field) and the edit form's problems use.
const (
	InstitutionFieldName               = "name"
	InstitutionFieldCompanyRegNumber   = "company_reg_number"
	InstitutionFieldEducationRegNumber = "education_reg_number"
	InstitutionFieldEmail              = "email"
	InstitutionFieldPhone              = "phone"
	InstitutionFieldAddress            = "address"
	// InstitutionFieldReason is the edit's reason, a problem's field only.
	InstitutionFieldReason = "reason"
)

// InstitutionFields are the details an operator edits, in the form's
// order.
var InstitutionFields = []string{
	InstitutionFieldName, InstitutionFieldCompanyRegNumber, InstitutionFieldEducationRegNumber,
	InstitutionFieldEmail, InstitutionFieldPhone, InstitutionFieldAddress,
}

// InstitutionEdit is what an operator typed into the edit form: every
// detail as it should be (unchanged ones as they were).
type InstitutionEdit struct {
	Name               string
	CompanyRegNumber   string
	EducationRegNumber string
	Email              string
	Phone              string
	Address            string
}

// ChangeSource says who changed an institution's details.
type ChangeSource string

// The sources of a change (migration 0210's CHECK lists them).
const (
	ChangeByOperator       ChangeSource = "operator"       // a reviewer on the institutions screen
	ChangeByReverification ChangeSource = "reverification" // the re-verification against the registers
	ChangeByRegister       ChangeSource = "register"       // an import of a register extract
)

// InstitutionChange is one changed detail in an institution's history
// (¶17.2).
type InstitutionChange struct {
	ID            int64
	InstitutionID int64
	Field         string // InstitutionField…
	OldValue      string
	NewValue      string
	Reason        string
	OperatorID    int64 // 0 when no operator made it
	OperatorName  string
	Source        ChangeSource
	ChangedAt     time.Time
}

// InstitutionMember is a Platform user of an institution: a staff user
// (platform_users.institution_id) or a career consultant the institution
// approved (role_assignments scoped to it, ¶29.3), with the roles they
// hold in its scope now.
type InstitutionMember struct {
	UserID int64
	Name   string
	Email  string
	Roles  []MemberRole
	// Denied says the user's sign-in is denied (¶32).
	Denied bool
}

// MemberRole is a role a member holds in the institution's scope.
type MemberRole struct {
	Role       string // role_assignments.role, e.g. "institution_admin", "career_consultant"
	ValidUntil time.Time
}

// InstitutionWaiting is a role request waiting for the institution's
// decision (¶29.3): since when, and from when the Agency may take it over.
type InstitutionWaiting struct {
	RequestID    int64
	Applicant    string
	Since        time.Time // the applicant's e-mail confirmation
	TakeOverFrom time.Time
	RemindedAt   time.Time // the institution's reminder; zero: none yet
}

// InstitutionDocument is a document submitted with the institution's
// registration (¶27.1.6): role_request_documents of its registration
// requests. ID is what `ppp document get` and the screen name.
type InstitutionDocument struct {
	ID        int64
	RequestID int64
	Position  int
	Name      string
	MediaType string
	Size      int64
	SHA256    string
	// Stored says the file itself is kept (sent through the portal's API);
	// otherwise only its metadata is known.
	Stored bool
}

// InstitutionPage is everything an institution's page shows. Each list
// holds at most InstitutionSectionMax entries, newest first.
type InstitutionPage struct {
	Institution *Institution
	Changes     []*InstitutionChange
	Members     []*InstitutionMember
	Waiting     []*InstitutionWaiting
	Documents   []*InstitutionDocument
	// Denials are the denials of the institution's access (subject kind
	// institution), in force and past.
	Denials []*Denial
	// Reverification is its place in the re-verification cycle.
	Reverification InstitutionReverification
	// Sanctions are its sanction cases (¶32.5, ¶32.7), newest first, each
	// with its steps (SanctionCase.InForce says what holds until when).
	Sanctions []*SanctionCase
}

// InstitutionReverification is an institution's re-verification state
// (migration 0220): when it was last compared with the registers, when it
// is next due (zero: the sweep has not placed it yet), and its newest
// item waiting for a reviewer or escalated to security, nil when none.
type InstitutionReverification struct {
	ReverifiedAt time.Time
	DueAt        time.Time
	Item         *Reverification
}

// InstitutionSectionMax is the most entries one section of the page
// holds.
const InstitutionSectionMax = 100

// DocumentViewMaxSize is the largest file the screen reads to show
// (text or an image); a larger one is described, to be saved with
// `ppp document get`.
const DocumentViewMaxSize = 2 << 20

// DocumentView is a document opened to be viewed: its metadata, and its
// file when it is kept and at most DocumentViewMaxSize bytes.
type DocumentView struct {
	InstitutionDocument
	// Content is nil when the file is not kept or is too large to view.
	Content []byte
}

// InstitutionService is the institutions screen's work (issue 17).
// Reviewers and security officers read (administrators too); reviewers
// edit. Every method returns EUNAUTHORIZED "institution.no_operator"
// without a signed-in operator and EFORBIDDEN "institution.forbidden"
// for an operator without the role; EUNAVAILABLE when the database does
// not answer.
type InstitutionService interface {
	// ListInstitutions returns a page of institutions matching f, ordered
	// by name and id. It returns EINVALID with the registration number's
	// own key (ValidateCompanyRegNumber, ValidateInstitutionRegNumber) or
	// "institution.search_short" / "institution.search_long" when f
	// cannot be searched (InstitutionFilter.Validate).
	ListInstitutions(ctx context.Context, f InstitutionFilter) ([]*Institution, error)
	// InstitutionPage returns institution id's page; ENOTFOUND
	// "institution.not_found".
	InstitutionPage(ctx context.Context, id int64) (*InstitutionPage, error)
	// EditInstitution changes institution id's details to e, for reason,
	// over the version the operator saw: each changed detail goes into
	// the history with the reason (¶17.2) and the audit log. It returns
	// the institution as it is now; EINVALID "institution.invalid" with a
	// Problem per field (InstitutionEdit.Validate), "institution.reason_required",
	// "institution.unchanged"; ECONFLICT "institution.changed" when
	// someone else edited it meanwhile, "institution.reg_taken" when
	// another active institution holds the registration number;
	// ENOTFOUND "institution.not_found"; EFORBIDDEN
	// "institution.edit_forbidden" for an operator who may not edit
	// (InstitutionAllows).
	EditInstitution(ctx context.Context, id, version int64, e InstitutionEdit, reason string) (*Institution, error)
	// OpenInstitutionDocument returns document id (an InstitutionDocument's
	// ID) to view, its file when kept and small enough
	// (DocumentViewMaxSize); the look is audited. ENOTFOUND
	// "institution.document_not_found".
	OpenInstitutionDocument(ctx context.Context, id int64) (*DocumentView, error)
}
