package domain

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Re-verification of institutions (issue 17, ¶17.2): every active
// institution is compared, once in every cycle (policy data, default 12
// months), with the Register of Enterprises and the register of education
// institutions (VIIS); an institution whose company is liquidated or
// excluded, whose name changed, which either register lacks, or whose
// register data is too old or absent waits in a reviewers' queue with the
// differences, and a reviewer confirms it, updates it from the register,
// or escalates it to security.

// The two registers of institutions, as `ppp registers import` names them.
const (
	RegisterEnterprises  Register = "enterprises"  // Uzņēmumu reģistrs (Register of Enterprises)
	RegisterInstitutions Register = "institutions" // Izglītības iestāžu reģistrs (VIIS)
)

// RegisterStatus is a register's status of a company or an education
// institution.
type RegisterStatus string

// The statuses an extract may give.
const (
	StatusActive        RegisterStatus = "active"
	StatusInLiquidation RegisterStatus = "in_liquidation"
	StatusLiquidated    RegisterStatus = "liquidated"
	StatusExcluded      RegisterStatus = "excluded" // izslēgts no reģistra
)

// RegisterStatuses lists the statuses an extract may give.
var RegisterStatuses = []RegisterStatus{StatusActive, StatusInLiquidation, StatusLiquidated, StatusExcluded}

// EnterpriseRecord is the Register of Enterprises' row of a company.
type EnterpriseRecord struct {
	RegNumber  string
	Name       string
	LegalForm  string
	Status     RegisterStatus
	StatusDate time.Time // zero when none given
	Address    string
	FetchedAt  time.Time // the last import that confirmed the row
}

// SchoolRecord is the register of education institutions' row of an
// institution.
type SchoolRecord struct {
	InstitutionNumber string
	Name              string
	FounderRegNumber  string
	Status            RegisterStatus
	Address           string
	FetchedAt         time.Time
}

// Difference names what a re-verification found.
type Difference string

// The differences, in the order they are listed.
const (
	DiffCompanyLiquidated    Difference = "company_liquidated"     // liquidated or excluded
	DiffCompanyInLiquidation Difference = "company_in_liquidation" // being liquidated
	DiffSchoolClosed         Difference = "school_closed"          // not active in VIIS
	DiffCompanyMissing       Difference = "company_missing"        // not in the Register of Enterprises
	DiffSchoolMissing        Difference = "school_missing"         // not in VIIS
	DiffNameChanged          Difference = "name_changed"           // the registers name it otherwise
	DiffFounderChanged       Difference = "founder_changed"        // VIIS names another founder
	DiffCompanyStale         Difference = "company_stale"          // the register's data is too old
	DiffSchoolStale          Difference = "school_stale"
	DiffCompanyNoData        Difference = "company_no_data" // the register was never imported
	DiffSchoolNoData         Difference = "school_no_data"
)

// Differences lists every difference in the order they are listed.
var Differences = []Difference{DiffCompanyLiquidated, DiffCompanyInLiquidation, DiffSchoolClosed, DiffCompanyMissing,
	DiffSchoolMissing, DiffNameChanged, DiffFounderChanged, DiffCompanyStale, DiffSchoolStale, DiffCompanyNoData, DiffSchoolNoData}

// RegisterView is what the registers held about an institution when it
// was compared: each row (nil when the register had none), and whether
// the register was imported at all and when last.
type RegisterView struct {
	Company          *EnterpriseRecord
	School           *SchoolRecord
	CompanyImported  time.Time // the register's last import; zero: never
	SchoolImported   time.Time
	Now              time.Time
	MaxDataAge       time.Duration
	InstitutionName  string
	CompanyRegNumber string
}

// DefaultReverifyMaxDataAge is how old an extract may be for a comparison
// to count: older data is itself a difference ("stale").
const DefaultReverifyMaxDataAge = 92 * 24 * time.Hour

// Compare returns what differs between the institution and the registers'
// data, in Differences' order; none: it passes. A register never imported
// is "no data", a row older than MaxDataAge (or, for a missing row, a
// register last imported before it) is "stale", and only fresh data says
// that a row is missing. Names are compared with case, spacing and
// quotation marks folded, against the name VIIS gives the institution (the
// Register of Enterprises' when VIIS has no row).
func (v RegisterView) Compare() []Difference {
	maxAge := v.MaxDataAge
	if maxAge <= 0 {
		maxAge = DefaultReverifyMaxDataAge
	}
	old := func(t time.Time) bool { return t.Before(v.Now.Add(-maxAge)) }
	found := map[Difference]bool{}
	switch {
	case v.CompanyImported.IsZero() && v.Company == nil:
		found[DiffCompanyNoData] = true
	case v.Company == nil && old(v.CompanyImported), v.Company != nil && old(v.Company.FetchedAt):
		found[DiffCompanyStale] = true
	}
	switch {
	case v.SchoolImported.IsZero() && v.School == nil:
		found[DiffSchoolNoData] = true
	case v.School == nil && old(v.SchoolImported), v.School != nil && old(v.School.FetchedAt):
		found[DiffSchoolStale] = true
	}
	if v.Company == nil && !found[DiffCompanyNoData] && !found[DiffCompanyStale] {
		found[DiffCompanyMissing] = true
	}
	if v.School == nil && !found[DiffSchoolNoData] && !found[DiffSchoolStale] {
		found[DiffSchoolMissing] = true
	}
	if c := v.Company; c != nil {
		switch c.Status {
		case StatusLiquidated, StatusExcluded:
			found[DiffCompanyLiquidated] = true
		case StatusInLiquidation:
			found[DiffCompanyInLiquidation] = true
		}
	}
	if s := v.School; s != nil {
		if s.Status != StatusActive {
			found[DiffSchoolClosed] = true
		}
		if s.FounderRegNumber != "" && s.FounderRegNumber != v.CompanyRegNumber {
			found[DiffFounderChanged] = true
		}
	}
	if reg := v.RegisterName(); reg != "" && FoldOrgName(reg) != FoldOrgName(v.InstitutionName) {
		found[DiffNameChanged] = true
	}
	var out []Difference
	for _, d := range Differences {
		if found[d] {
			out = append(out, d)
		}
	}
	return out
}

// RegisterName returns the name the registers give the institution: VIIS's
// when it has one, else the Register of Enterprises'; "" when neither.
func (v RegisterView) RegisterName() string {
	if v.School != nil && v.School.Name != "" {
		return v.School.Name
	}
	if v.Company != nil {
		return v.Company.Name
	}
	return ""
}

// FoldOrgName returns a name as re-verification compares it: lower case, its
// quotation marks dropped and its spaces collapsed (SIA "Ābele" and
// SIA Ābele are one name).
func FoldOrgName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '"', '\'', '«', '»', '„', '“', '”', '‘', '’':
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// ReverifyState is where a re-verification stands.
type ReverifyState string

// The states: a pass is recorded closed; an open item waits for a
// reviewer, who confirms, updates or escalates it.
const (
	ReverifyPassed    ReverifyState = "passed"
	ReverifyOpen      ReverifyState = "open"
	ReverifyConfirmed ReverifyState = "confirmed"
	ReverifyUpdated   ReverifyState = "updated"
	ReverifyEscalated ReverifyState = "escalated"
)

// Reverification is one comparison of an institution with the registers.
type Reverification struct {
	ID              int64
	InstitutionID   int64
	InstitutionName string // the institution's name when it was compared
	CompanyRegNo    string
	InstitutionNo   string
	State           ReverifyState
	Version         int64
	CreatedAt       time.Time
	Company         *EnterpriseRecord // nil: the register had no row
	School          *SchoolRecord
	Differences     []Difference
	ClaimedBy       int64
	ClaimedByName   string
	ClaimExpiresAt  time.Time
	DecidedBy       int64
	DecidedByName   string
	DecidedAt       time.Time
	Reason          string
	OldName         string // an update's: the name before
	NewName         string // and after
	// SanctionCaseID is an escalated item's sanction case: the one it
	// opened or was noted on (¶32.5, ¶32.7); 0 otherwise.
	SanctionCaseID int64
}

// RegisterName is the name the registers gave (see RegisterView).
func (r *Reverification) RegisterName() string {
	return RegisterView{Company: r.Company, School: r.School}.RegisterName()
}

// ReverifyAction is something a reviewer does to a re-verification item.
type ReverifyAction string

// The actions, as Reverification.Allows judges them.
const (
	ReverifyClaim    ReverifyAction = "claim"
	ReverifyConfirm  ReverifyAction = "confirm"  // the data is fine (a change the institution reported)
	ReverifyUpdate   ReverifyAction = "update"   // take the register's name
	ReverifyEscalate ReverifyAction = "escalate" // to security, with a note
)

// Allows says whether op may do a to the item at now: nil, or the refusal
// with the same code and key wherever it arises. A decided item is
// ECONFLICT "reverify.decided" (Args: who decided); a pass EINVALID
// "reverify.not_open"; another operator's running claim ECONFLICT
// "reverify.claimed" (Args: the holder); an update when the registers
// give no name, or the name the institution bears, EINVALID
// "reverify.no_new_name".
func (r *Reverification) Allows(a ReverifyAction, op OperatorRef, now time.Time) error {
	switch a {
	case ReverifyClaim, ReverifyConfirm, ReverifyUpdate, ReverifyEscalate:
	default:
		return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown re-verification action " + string(a)}
	}
	switch r.State {
	case ReverifyOpen:
	case ReverifyPassed:
		return Errorf(EINVALID, "reverify.not_open", "this re-verification passed; there is nothing to decide")
	default:
		return Errorf(ECONFLICT, "reverify.decided", "%s has already decided this re-verification", whoOr(r.DecidedByName))
	}
	if heldByOther(r.ClaimedBy, r.ClaimExpiresAt, op.ID, now) {
		return Errorf(ECONFLICT, "reverify.claimed", "%s is working on this re-verification", whoOr(r.ClaimedByName))
	}
	if a == ReverifyUpdate {
		if n := strings.TrimSpace(r.RegisterName()); n == "" || n == r.InstitutionName {
			return Errorf(EINVALID, "reverify.no_new_name", "the registers give no other name to take")
		}
	}
	return nil
}

// CheckVersion returns ECONFLICT "reverify.changed" unless the item is
// still at the version a decision names.
func (r *Reverification) CheckVersion(seen int64) error {
	if r.Version != seen {
		return Errorf(ECONFLICT, "reverify.changed", "someone else has just changed this re-verification")
	}
	return nil
}

// CheckReverifyReason trims a decision's reason (an escalation's note) and
// checks it: EINVALID "reverify.reason_required", "reverify.reason_chars"
// for control or reordering characters, "reverify.reason_too_long" (Args:
// the limit) over MessageMaxLength characters.
func CheckReverifyReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", Errorf(EINVALID, "reverify.reason_required", "give a reason for the decision")
	case !IsPlainText(reason, true):
		return "", Errorf(EINVALID, "reverify.reason_chars", "the reason contains characters that are not allowed")
	case utf8.RuneCountInString(reason) > MessageMaxLength:
		return "", Errorf(EINVALID, "reverify.reason_too_long", "the reason is too long (at most %d characters)", MessageMaxLength)
	}
	return reason, nil
}

// Queue returns the dashboard queue an item waits in: the open ones;
// "" otherwise.
func (r *Reverification) Queue() string {
	if r.State == ReverifyOpen {
		return QueueReverify
	}
	return ""
}

// QueueReverify is the dashboard's queue of open re-verifications.
const QueueReverify = "reverify"

// The re-verification cycle's bounds, in months (policy data).
const (
	DefaultReverifyCycleMonths = 12
	MinReverifyCycleMonths     = 1
	MaxReverifyCycleMonths     = 60
)

// CheckReverifyCycle returns EINVALID "reverify.cycle_range" (Args: the
// bounds) for a cycle outside MinReverifyCycleMonths–MaxReverifyCycleMonths.
func CheckReverifyCycle(months int) error {
	if months < MinReverifyCycleMonths || months > MaxReverifyCycleMonths {
		return Errorf(EINVALID, "reverify.cycle_range", "the re-verification cycle is %d to %d months", MinReverifyCycleMonths, MaxReverifyCycleMonths)
	}
	return nil
}

// ReverifyCycle returns the length of a cycle of months months, as the
// sweep spreads institutions over it: months of 30.4375 days.
func ReverifyCycle(months int) time.Duration {
	return time.Duration(months) * 2629800 * time.Second
}

// ReverifyPolicy is the re-verification policy in force.
type ReverifyPolicy struct {
	CycleMonths   int
	ChangedAt     time.Time
	ChangedByName string // "" when never changed by an operator
}

// ReverifyFilter selects a page of re-verification items: the states
// (open when none), a search of the institution's name (its start, case
// folded) or a whole registration or institution number, after the item
// (AfterCreated, AfterID), Limit items (PageLimit).
type ReverifyFilter struct {
	States       []ReverifyState
	Search       string
	AfterCreated time.Time
	AfterID      int64
	Limit        int
}

// ReverifyService is the reviewers' queue of re-verifications. The queue
// is worked by reviewers; escalated items are seen by security officers
// too. Every decision carries a reason, is audited, and names the
// version the reviewer saw.
type ReverifyService interface {
	// ListReverifications returns a page of items, oldest first.
	// EFORBIDDEN "reverify.not_reviewer" for an operator who is neither
	// reviewer nor (for escalated items only) security.
	ListReverifications(ctx context.Context, f ReverifyFilter) ([]*Reverification, error)
	// FindReverification returns one item. ENOTFOUND "reverify.not_found".
	FindReverification(ctx context.Context, id int64) (*Reverification, error)
	// ClaimReverification claims an open item (or renews the claim): the
	// refusals of Reverification.Allows (ReverifyClaim).
	ClaimReverification(ctx context.Context, id int64) (*Reverification, error)
	// ReleaseReverification gives the actor's claim back.
	ReleaseReverification(ctx context.Context, id int64) error
	// SessionClaims gives up every claim of a session on its end.
	SessionClaims
	// DecideReverification confirms, updates or escalates an open item
	// at the version seen, with a reason: the refusals of Allows and
	// CheckVersion, and of CheckReverifyReason.
	DecideReverification(ctx context.Context, id, version int64, a ReverifyAction, reason string) (*Reverification, error)
	// ReverifyPolicy returns the policy in force.
	ReverifyPolicy(ctx context.Context) (*ReverifyPolicy, error)
	// SetReverifyCycle changes the cycle (an administrator's):
	// CheckReverifyCycle's refusal, EFORBIDDEN "reverify.not_admin".
	SetReverifyCycle(ctx context.Context, months int) (*ReverifyPolicy, error)
}

// TopicReverify is a re-verification of an institution (the change feed).
const TopicReverify = "reverify"
