package domain

import (
	"context"
	"slices"
	"time"
)

// A person's data on request (issue 18, GDPR Art. 15): everything the
// back office holds about one natural person, gathered in one read for
// `ppp person export`. The export carries the whole personal code: it is
// the person's own data, handed to them.

// PersonExportRoles are the roles that may export a person's data. Only
// security: an export discloses the whole record with the whole code in
// one go, more than any reveal, and the security officers are the ones
// who already answer for reveals and misuse alerts (defence.go); the
// administrators, who give operators their roles, stay out of personal
// data, as they do on the people screen's acting actions.
var PersonExportRoles = []Role{RoleSecurity}

// PersonExportAction is the person page's action that tells how to
// export the person's data (the screen shows the command; it exports
// nothing itself).
const PersonExportAction PersonAction = "export"

// PersonExportFormat is the version of the export's JSON shape: a field
// renamed or removed bumps it.
const PersonExportFormat = 1

// PersonRef names the person to export: by the id of persons, or by a
// whole personal code in either form (exactly one of them).
type PersonRef struct {
	ID   int64
	Code string
}

// PersonExport is everything held about one person. Its JSON field names
// are stable (PersonExportFormat); times are UTC.
type PersonExport struct {
	Format   int            `json:"format"`
	MadeAt   time.Time      `json:"made_at"`
	MadeBy   string         `json:"made_by"`
	Reason   string         `json:"reason"`
	Identity ExportIdentity `json:"identity"`
	Account  *ExportAccount `json:"account"`
	// Addresses are every e-mail address known for the person.
	Addresses      []string       `json:"addresses"`
	ContactHistory []ExportEntry  `json:"contact_history"` // account changes and staff requests to change the address
	Requests       []ExportEntry  `json:"role_requests"`   // with their documents' metadata
	Roles          []ExportEntry  `json:"roles"`
	IMK            []ExportEntry  `json:"imk_applications"` // with each rule's decision, evidence and the register data used
	Acceptances    []ExportEntry  `json:"terms_acceptances"`
	Denials        []ExportEntry  `json:"denials"`
	Tickets        []ExportEntry  `json:"tickets"` // with their messages
	Mail           []ExportEntry  `json:"emails_sent"`
	SignIns        []ExportEntry  `json:"platform_sign_ins"`
	StaffAccess    []ExportAccess `json:"staff_access"`
}

// ExportIdentity is who the person is, with the whole code.
type ExportIdentity struct {
	PersonalCode   string     `json:"personal_code"`
	OtherCodes     []string   `json:"other_codes"` // earlier codes of the same person
	FirstName      string     `json:"first_name"`
	LastName       string     `json:"last_name"`
	Language       string     `json:"language"`
	CreatedAt      time.Time  `json:"created_at"`
	LastDeathCheck *time.Time `json:"last_death_check,omitempty"`
	DeceasedOn     *time.Time `json:"deceased_on,omitempty"`
}

// ExportAccount is the person's Platform account.
type ExportAccount struct {
	UserID         int64     `json:"user_id"`
	Kind           string    `json:"kind"`
	Email          string    `json:"email"`
	EmailConfirmed bool      `json:"email_confirmed"`
	SignInDenied   bool      `json:"sign_in_denied"`
	CreatedAt      time.Time `json:"created_at"`
}

// ExportEntry is one entry of a section: the person page's PersonEntry,
// with what the page leaves out.
type ExportEntry struct {
	ID           int64            `json:"id"`
	At           time.Time        `json:"at"`
	Kind         string           `json:"kind,omitempty"`
	State        string           `json:"state,omitempty"`
	Text         string           `json:"text,omitempty"`
	Note         string           `json:"note,omitempty"`
	Until        *time.Time       `json:"until,omitempty"`
	By           string           `json:"by,omitempty"`
	DecidedBy    string           `json:"decided_by,omitempty"`
	Effects      []string         `json:"effects,omitempty"`
	Documents    []ExportDocument `json:"documents,omitempty"`
	Rules        []ExportRule     `json:"rules,omitempty"`
	RegisterData []ExportSnapshot `json:"register_data,omitempty"`
	// Decisions are an IMK application's eligibility decisions and
	// evaluations, oldest first, each with its rules and the register
	// data it used (Rules and RegisterData above are the latest's).
	Decisions []ExportDecision `json:"decisions,omitempty"`
	Messages  []ExportMessage  `json:"messages,omitempty"`
}

// ExportDecision is one eligibility decision or evaluation of an IMK
// application: the state it left the application in (approved, rejected,
// needs_review…), who decided (empty: the automatic check), the reason,
// the policy version, and the evaluation's rules with the register data
// they rested on.
type ExportDecision struct {
	At            time.Time        `json:"at"`
	State         string           `json:"state"`
	DecidedBy     string           `json:"decided_by,omitempty"`
	Reason        string           `json:"reason,omitempty"`
	PolicyVersion int              `json:"policy_version,omitempty"`
	Rules         []ExportRule     `json:"rules"`
	RegisterData  []ExportSnapshot `json:"register_data"`
}

// ExportDocument is a role request's document, as metadata (the files
// stay with the portal).
type ExportDocument struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

// ExportRule is one rule's decision of an IMK eligibility check.
type ExportRule struct {
	Rule       string   `json:"rule"`
	Verdict    string   `json:"verdict"`
	Evidence   Evidence `json:"evidence"`
	Source     string   `json:"source,omitempty"`
	SnapshotID int64    `json:"snapshot_id,omitempty"`
}

// ExportSnapshot is what a register said, as the check used it.
type ExportSnapshot struct {
	ID        int64         `json:"id"`
	Register  string        `json:"register"`
	FetchedAt time.Time     `json:"fetched_at"`
	Answered  bool          `json:"answered"`
	Found     bool          `json:"found"`
	Fields    []ExportField `json:"fields"`
}

// ExportField is one value of a register's answer; Name is one of a
// fixed set (birth_date, resident, municipality, deceased_on, employer,
// self_employed, from, until, highest_lki, studying, first_name,
// last_name).
type ExportField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ExportMessage is one message of a helpdesk ticket: one the person sent
// (in) or a reply of the helpdesk (out).
type ExportMessage struct {
	At      time.Time `json:"at"`
	In      bool      `json:"in"`
	From    string    `json:"from"`
	Subject string    `json:"subject,omitempty"`
	Body    string    `json:"body"`
}

// Kinds of staff access to a person's record.
const (
	AccessView   = "view"   // opened the record or found it by code
	AccessReveal = "reveal" // revealed the whole personal code
	AccessExport = "export" // exported the person's data
)

// ExportAccess is one time staff opened, revealed or exported the
// person's record.
type ExportAccess struct {
	At       time.Time `json:"at"`
	Operator string    `json:"operator"`
	Kind     string    `json:"kind"`
	Reason   string    `json:"reason,omitempty"`
}

// PersonExporter gathers a person's data on request.
type PersonExporter interface {
	// ExportPerson returns everything held about the person for a reason
	// (CheckRevealReason's EINVALID), audited as AuditPersonExport with
	// the reason. It needs one of PersonExportRoles: EUNAUTHORIZED without
	// a signed-in operator, EFORBIDDEN "person.export_forbidden" otherwise.
	// EINVALID "person.export_ref" for a ref naming neither or both, the
	// errors of ParsePersonQuery for a code that is not whole; ENOTFOUND
	// "person.not_found"; EUNAVAILABLE.
	ExportPerson(ctx context.Context, who PersonRef, reason string) (*PersonExport, error)
}

// MayExportPerson says whether op may export a person's data: nil, or
// EFORBIDDEN "person.export_forbidden".
func MayExportPerson(op *Operator) error {
	if op == nil || !slices.ContainsFunc(PersonExportRoles, op.HasRole) {
		return Errorf(EFORBIDDEN, "person.export_forbidden", "only security officers export a person's data")
	}
	return nil
}

// CheckPersonRef returns EINVALID "person.export_ref" unless exactly one
// of r's fields is set.
func CheckPersonRef(r PersonRef) error {
	if (r.ID > 0) == (r.Code != "") || r.ID < 0 {
		return Errorf(EINVALID, "person.export_ref", "name the person by an id or by a personal code")
	}
	return nil
}

// TimeOrNil is t, or nil for the zero time: an optional time of an export.
func TimeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
