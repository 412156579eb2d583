package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The rules of a denial of access (¶24, ¶32), asked by storage inside the
// transaction on the rows it has locked and by the test double alike, so
// that a refusal has one code and one catalog key wherever it arises.

// Limits of what a security officer types about a denial, in characters.
const (
	DenialNoteMaxLength     = 2000 // the note, and a lift's or refusal's reason
	DenialEvidenceMaxLength = 4000
)

// LiveDenialStates are the states in which a denial holds the one place a
// subject has per ground: raised and waiting, in force, or in force with a
// lift waiting.
var LiveDenialStates = []DenialState{DenialPendingApproval, DenialInForce, DenialLiftPending}

// Live reports whether d holds its subject's place on its ground (see
// LiveDenialStates).
func (d *Denial) Live() bool { return slices.Contains(LiveDenialStates, d.State) }

// NewDenial checks a denial the operator with id by (0 for a sweep) raises
// of the subject on ground at now, and returns it as it starts: waiting
// for a second security officer when the subject is a back-office
// operator, in force at once otherwise. The note and the evidence are
// trimmed. live holds the subject's live denials (others are ignored), so
// that a second one on the same ground is refused.
//
// It returns EINVALID "denial.bad_subject", "denial.bad_ground",
// "denial.note_required", "denial.too_long" (over DenialNoteMaxLength or
// DenialEvidenceMaxLength) or "denial.bad_text" (control characters, not
// UTF-8); EFORBIDDEN "denial.self" when an operator would deny
// themselves; ECONFLICT "denial.exists" when the subject is denied on that
// ground already (a sanction suspension, which ends by itself, does not
// count: a denial may stand beside it).
func NewDenial(kind SubjectKind, subjectID int64, ground Ground, note, evidence string, by int64, now time.Time, live []*Denial) (*Denial, error) {
	note, evidence = strings.TrimSpace(note), strings.TrimSpace(evidence)
	switch kind {
	case SubjectPlatformUser, SubjectInstitution, SubjectOperator:
	default:
		return nil, Errorf(EINVALID, "denial.bad_subject", "unknown subject kind %q", string(kind))
	}
	switch {
	case !slices.Contains(Grounds, ground):
		return nil, Errorf(EINVALID, "denial.bad_ground", "unknown ground %q", string(ground))
	case note == "":
		return nil, Errorf(EINVALID, "denial.note_required", "say why access is denied")
	case utf8.RuneCountInString(note) > DenialNoteMaxLength || utf8.RuneCountInString(evidence) > DenialEvidenceMaxLength:
		return nil, Errorf(EINVALID, "denial.too_long", "the note or the evidence is too long")
	case !IsPlainText(note, true) || !IsPlainText(evidence, true):
		return nil, Errorf(EINVALID, "denial.bad_text", "the note or the evidence holds control characters or is not valid UTF-8")
	case by != 0 && kind == SubjectOperator && subjectID == by:
		return nil, deniedSelf()
	}
	for _, d := range live {
		if d.Live() && d.EndsAt.IsZero() && d.SubjectKind == kind && d.SubjectID == subjectID && d.Ground == ground {
			return nil, Errorf(ECONFLICT, "denial.exists", "access is denied on this ground already")
		}
	}
	d := &Denial{SubjectKind: kind, SubjectID: subjectID, Ground: ground, Note: note, Evidence: evidence,
		State: DenialInForce, RaisedBy: by, RaisedAt: now, InForceAt: now, Version: 1}
	if kind == SubjectOperator {
		d.State, d.InForceAt = DenialPendingApproval, time.Time{}
	}
	return d, nil
}

func deniedSelf() error {
	return Errorf(EFORBIDDEN, "denial.self", "you cannot deny your own access")
}

// DenialAction is a step a security officer takes on a denial.
type DenialAction string

// The steps on a denial, as Denial.Allows judges them.
const (
	DenialLift    DenialAction = "lift"    // restore access (or ask to)
	DenialApprove DenialAction = "approve" // a colleague's pending denial or lift
	DenialRefuse  DenialAction = "refuse"  // a pending denial or lift; the one who asked may withdraw it so
)

// Pending reports whether d waits for a second security officer: a denial
// raised, or a lift asked for.
func (d *Denial) Pending() bool {
	return d.State == DenialPendingApproval || d.State == DenialLiftPending
}

// PendingBy is the operator who asked for what d waits for: who raised a
// pending denial, or who asked for a pending lift; 0 when nothing waits.
func (d *Denial) PendingBy() int64 {
	switch d.State {
	case DenialLiftPending:
		return d.LiftedBy
	case DenialPendingApproval:
		return d.RaisedBy
	}
	return 0
}

// Allows says whether the operator with id op may take step a on d now:
// nil, or the refusal. Lifting needs a denial in force (ECONFLICT
// "denial.not_in_force") and is refused to its subject (EFORBIDDEN
// "denial.self"); approving is refused to the denial's subject and to the
// one who asked for what waits, whatever their session (EFORBIDDEN
// "denial.own"), and, like refusing, needs something waiting (ECONFLICT
// "denial.not_pending"). The version a step names is checked apart
// (CheckVersion), a reason by CheckDenialReason.
func (d *Denial) Allows(a DenialAction, op int64) error {
	subject := d.SubjectKind == SubjectOperator && d.SubjectID == op
	switch a {
	case DenialLift:
		if d.State != DenialInForce {
			return Errorf(ECONFLICT, "denial.not_in_force", "this denial is not in force")
		}
		if subject {
			return deniedSelf()
		}
		return nil
	case DenialApprove:
		if subject || d.Pending() && d.PendingBy() == op {
			return Errorf(EFORBIDDEN, "denial.own", "a second security officer must approve this")
		}
		fallthrough
	case DenialRefuse:
		if !d.Pending() {
			return Errorf(ECONFLICT, "denial.not_pending", "nothing waits for approval here")
		}
		return nil
	}
	return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown denial action " + string(a)}
}

// After returns the state step a leads d to, once Allows lets it: a lift
// of a ¶32.3 or ¶32.6 denial waits for a second officer, any other lift
// restores access; an approval puts a pending denial in force or lifts a
// denial whose lift waited; a refusal cancels a pending denial, or drops
// a pending lift and leaves the denial in force.
func (d *Denial) After(a DenialAction) DenialState {
	switch {
	case a == DenialLift && d.Ground.LiftNeedsSecondApproval():
		return DenialLiftPending
	case a == DenialLift:
		return DenialLifted
	case d.State == DenialPendingApproval && a == DenialApprove:
		return DenialInForce
	case d.State == DenialPendingApproval:
		return DenialCancelled
	case d.State == DenialLiftPending && a == DenialApprove:
		return DenialLifted
	case d.State == DenialLiftPending:
		return DenialInForce
	}
	return d.State
}

// CheckVersion returns ECONFLICT "denial.changed" unless d is still at the
// version a step names.
func (d *Denial) CheckVersion(seen int64) error {
	if d.Version != seen {
		return Errorf(ECONFLICT, "denial.changed", "someone else changed this denial; look at it again")
	}
	return nil
}

// CheckDenialReason trims the reason of a lift or a refusal and checks it:
// EINVALID "denial.reason_required" when there is none,
// "denial.too_long" over DenialNoteMaxLength characters.
func CheckDenialReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", Errorf(EINVALID, "denial.reason_required", "say why access is restored")
	case utf8.RuneCountInString(reason) > DenialNoteMaxLength:
		return "", Errorf(EINVALID, "denial.too_long", "the note or the evidence is too long")
	}
	return reason, nil
}

// Normalize fills in the filter's defaults: the denials in force (with or
// without a lift waiting) when it names no state, and the page limit
// (PageLimit).
func (f *DenialFilter) Normalize() {
	if len(f.States) == 0 {
		f.States = []DenialState{DenialInForce, DenialLiftPending}
	}
	f.Limit = PageLimit(f.Limit)
}

// Matches reports whether d is one of the denials f lists (f normalized).
func (f *DenialFilter) Matches(d *Denial) bool {
	return slices.Contains(f.States, d.State) &&
		(len(f.Grounds) == 0 || slices.Contains(f.Grounds, d.Ground)) &&
		(f.SubjectKind == "" || d.SubjectKind == f.SubjectKind) &&
		(f.SubjectID == 0 || d.SubjectID == f.SubjectID) &&
		(f.BeforeID == 0 || d.ID < f.BeforeID)
}

// SweepDeathCheck names the ¶32.8 sweep in SweepRun.Sweep.
const SweepDeathCheck = "death-check"

// AgencyZone is the time zone the Agency counts days and months in.
var AgencyZone = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Riga"); err == nil {
		return loc
	}
	return time.FixedZone("EET", 2*60*60)
}()

// DeathCheckMonths returns the twelve calendar months, in the Agency's
// zone, that the ¶32.8 report counts checks in, oldest first and ending
// with the month of now, each with a zero count, and the moment the first
// begins. A death-check run started from then until now counts in its
// month (MonthOf).
func DeathCheckMonths(now time.Time) ([]MonthCount, time.Time) {
	local := now.In(AgencyZone)
	first := time.Date(local.Year(), local.Month()-11, 1, 0, 0, 0, 0, AgencyZone)
	months := make([]MonthCount, 12)
	for i := range months {
		months[i].Month = first.AddDate(0, i, 0).Format("2006-01")
	}
	return months, first
}

// MonthOf returns the calendar month of t in the Agency's zone, as
// "2006-01".
func MonthOf(t time.Time) string { return t.In(AgencyZone).Format("2006-01") }

// ParseDeathCheckMaxDataAge reads PPP_DEATH_CHECK_MAX_DATA_AGE: a Go
// duration ("744h") or whole days ("31d"), positive; empty is the default
// (DefaultDeathCheckMaxDataAge). It returns EINVALID "config.bad_max_data_age"
// otherwise.
func ParseDeathCheckMaxDataAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultDeathCheckMaxDataAge, nil
	}
	bad := Errorf(EINVALID, "config.bad_max_data_age", "PPP_DEATH_CHECK_MAX_DATA_AGE=%q is neither a duration (744h) nor days (31d)", s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 3650 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}
