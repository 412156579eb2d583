package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The rules of sanction cases (¶32.5, ¶32.7), asked by storage inside the
// transaction on the rows it has locked and by the test double alike.
//
// Which step may follow which: a case starts with a warning (graduated
// steps); a suspension needs a warning given before it and nothing
// stronger in force; a denial needs a warning given before it and may
// take over a suspension in force. Only one step waits for approval at a
// time. A suspension and a denial need a second security officer: the
// one who proposed cannot approve, whatever their session.

// SanctionClauses are the clauses a case may be opened on.
var SanctionClauses = []Ground{GroundRulesBroken, GroundCooperation}

// SanctionMaxSuspension is the longest period a suspension may be
// proposed for.
const SanctionMaxSuspension = 366 * 24 * time.Hour

// SanctionAction is a step a security officer takes on a case or a step.
type SanctionAction string

// The actions judged by SanctionCase.Allows and SanctionStep.Allows.
const (
	SanctionPropose SanctionAction = "propose" // add a step to a case
	SanctionClose   SanctionAction = "close"   // close a case
	SanctionApprove SanctionAction = "approve" // a colleague's pending step
	SanctionRefuse  SanctionAction = "refuse"  // a pending step
	SanctionLift    SanctionAction = "lift"    // a suspension or a denial in force
)

// checkSanctionText trims a reason and evidence and checks them: EINVALID
// "sanction.reason_required", "sanction.too_long" (over
// DenialNoteMaxLength or DenialEvidenceMaxLength characters),
// "sanction.bad_text" (control characters, not UTF-8).
func checkSanctionText(reason, evidence string) (string, string, error) {
	reason, evidence = strings.TrimSpace(reason), strings.TrimSpace(evidence)
	switch {
	case reason == "":
		return "", "", Errorf(EINVALID, "sanction.reason_required", "say why")
	case utf8.RuneCountInString(reason) > DenialNoteMaxLength || utf8.RuneCountInString(evidence) > DenialEvidenceMaxLength:
		return "", "", Errorf(EINVALID, "sanction.too_long", "the reason or the evidence is too long")
	case !IsPlainText(reason, true) || !IsPlainText(evidence, true):
		return "", "", Errorf(EINVALID, "sanction.bad_text", "the reason or the evidence holds control characters or is not valid UTF-8")
	}
	return reason, evidence, nil
}

// CheckSanctionReason trims the reason of a refusal, a lift or a closing
// and checks it, with the errors of the reason of NewSanctionCase.
func CheckSanctionReason(reason string) (string, error) {
	r, _, err := checkSanctionText(reason, "")
	return r, err
}

// NewSanctionCase checks a case the operator by opens about an
// institution on clause at now and returns it open. openCase is the
// institution's open case, 0 when it has none. It returns EINVALID
// "sanction.bad_clause" (not ¶32.5 or ¶32.7) and the errors of
// checkSanctionText; ECONFLICT "sanction.case_open" when a case of the
// institution is open already.
func NewSanctionCase(institutionID int64, clause Ground, reason, evidence string, by int64, now time.Time, openCase int64) (*SanctionCase, error) {
	if !slices.Contains(SanctionClauses, clause) {
		return nil, Errorf(EINVALID, "sanction.bad_clause", "a sanction case is opened on ¶32.5 or ¶32.7")
	}
	reason, evidence, err := checkSanctionText(reason, evidence)
	if err != nil {
		return nil, err
	}
	if openCase != 0 {
		return nil, Errorf(ECONFLICT, "sanction.case_open", "this institution has an open case already")
	}
	return &SanctionCase{InstitutionID: institutionID, Clause: clause, Reason: reason, Evidence: evidence,
		State: SanctionCaseOpen, OpenedBy: by, OpenedAt: now, Version: 1}, nil
}

// inForce reports whether the case has a step of kind in force.
func (c *SanctionCase) inForce(kind SanctionStepKind) *SanctionStep {
	for _, s := range c.Steps {
		if s.Kind == kind && s.State == SanctionStepInForce {
			return s
		}
	}
	return nil
}

// pending returns the step waiting for approval, nil when none.
func (c *SanctionCase) pending() *SanctionStep {
	for _, s := range c.Steps {
		if s.State == SanctionStepPending {
			return s
		}
	}
	return nil
}

// warned reports whether a warning was given in the case.
func (c *SanctionCase) warned() bool {
	return slices.ContainsFunc(c.Steps, func(s *SanctionStep) bool { return s.Kind == SanctionWarning && s.State == SanctionStepGiven })
}

// InForce returns the suspension or denial of the case in force, nil
// when none.
func (c *SanctionCase) InForce() *SanctionStep {
	if s := c.inForce(SanctionDenial); s != nil {
		return s
	}
	return c.inForce(SanctionSuspension)
}

// Allows says whether the operator op may take action a (SanctionPropose
// of a step of kind, or SanctionClose) on c now (c with its steps): nil,
// or the refusal. Any step needs the case open (ECONFLICT
// "sanction.closed") and nothing waiting (ECONFLICT
// "sanction.step_pending"); a suspension or a denial needs a warning
// given before (ECONFLICT "sanction.warn_first"); a warning or a
// suspension is refused while a suspension or a denial is in force, a
// denial while a denial is (ECONFLICT "sanction.step_in_force"); closing
// needs nothing waiting and nothing in force (the same keys). EINVALID
// "sanction.bad_step" for an unknown kind.
func (c *SanctionCase) Allows(a SanctionAction, kind SanctionStepKind) error {
	if c.State != SanctionCaseOpen {
		return Errorf(ECONFLICT, "sanction.closed", "this case is closed")
	}
	if c.pending() != nil {
		return Errorf(ECONFLICT, "sanction.step_pending", "a step of this case waits for a second security officer")
	}
	inForce := Errorf(ECONFLICT, "sanction.step_in_force", "a suspension or a denial of this case is in force")
	switch a {
	case SanctionClose:
		if c.InForce() != nil {
			return inForce
		}
		return nil
	case SanctionPropose:
	default:
		return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown sanction action " + string(a)}
	}
	if !slices.Contains(SanctionStepKinds, kind) {
		return Errorf(EINVALID, "sanction.bad_step", "unknown step %q", string(kind))
	}
	if kind != SanctionWarning && !c.warned() {
		return Errorf(ECONFLICT, "sanction.warn_first", "a warning comes before a suspension or a denial")
	}
	if c.inForce(SanctionDenial) != nil || kind != SanctionDenial && c.inForce(SanctionSuspension) != nil {
		return inForce
	}
	return nil
}

// NewSanctionStep checks a step of kind the operator by proposes on c at
// now and returns it as it starts: a warning given at once, a suspension
// or a denial waiting for approval. until is a suspension's end: after
// now, within SanctionMaxSuspension (EINVALID "sanction.bad_until"); any
// other step ignores it. Errors of c.Allows and of checkSanctionText.
func NewSanctionStep(c *SanctionCase, kind SanctionStepKind, reason, evidence string, until time.Time, by int64, now time.Time) (*SanctionStep, error) {
	if err := c.Allows(SanctionPropose, kind); err != nil {
		return nil, err
	}
	reason, evidence, err := checkSanctionText(reason, evidence)
	if err != nil {
		return nil, err
	}
	s := &SanctionStep{CaseID: c.ID, Kind: kind, Reason: reason, Evidence: evidence, State: SanctionStepPending,
		ProposedBy: by, ProposedAt: now, Version: 1}
	switch kind {
	case SanctionWarning:
		s.State, s.InForceAt = SanctionStepGiven, now
	case SanctionSuspension:
		if !until.After(now) || until.Sub(now) > SanctionMaxSuspension {
			return nil, Errorf(EINVALID, "sanction.bad_until", "a suspension ends after now and within a year")
		}
		s.Until = until.UTC()
	}
	return s, nil
}

// Allows says whether the operator op may take action a on s at now: nil,
// or the refusal. Approving is refused to the one who proposed the step,
// whatever their session (EFORBIDDEN "sanction.own"), and, like refusing,
// needs the step pending (ECONFLICT "sanction.not_pending"); a suspension
// whose end has passed cannot be approved (EINVALID "sanction.bad_until").
// Lifting needs a suspension or a denial in force (ECONFLICT
// "sanction.not_in_force").
func (s *SanctionStep) Allows(a SanctionAction, op int64, now time.Time) error {
	switch a {
	case SanctionApprove:
		if s.State == SanctionStepPending && s.ProposedBy == op {
			return Errorf(EFORBIDDEN, "sanction.own", "a second security officer must approve this")
		}
		if s.State == SanctionStepPending && s.Kind == SanctionSuspension && !s.Until.After(now) {
			return Errorf(EINVALID, "sanction.bad_until", "a suspension ends after now and within a year")
		}
		fallthrough
	case SanctionRefuse:
		if s.State != SanctionStepPending {
			return Errorf(ECONFLICT, "sanction.not_pending", "this step does not wait for approval")
		}
		return nil
	case SanctionLift:
		if s.State != SanctionStepInForce {
			return Errorf(ECONFLICT, "sanction.not_in_force", "this step is not in force")
		}
		return nil
	}
	return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown sanction action " + string(a)}
}

// CheckVersion returns ECONFLICT "sanction.changed" unless c is still at
// the version an action names.
func (c *SanctionCase) CheckVersion(seen int64) error {
	if c.Version != seen {
		return sanctionChanged()
	}
	return nil
}

// CheckVersion returns ECONFLICT "sanction.changed" unless s is still at
// the version an action names.
func (s *SanctionStep) CheckVersion(seen int64) error {
	if s.Version != seen {
		return sanctionChanged()
	}
	return nil
}

func sanctionChanged() error {
	return Errorf(ECONFLICT, "sanction.changed", "someone else changed this case; look at it again")
}

// Summarize sets c.Current and c.Pending from c.Steps: the strongest step
// in force, else the last warning given; and whether a step waits.
func (c *SanctionCase) Summarize() {
	c.Current, c.Pending = "", c.pending() != nil
	if s := c.InForce(); s != nil {
		c.Current = s.Kind
		return
	}
	if c.warned() {
		c.Current = SanctionWarning
	}
}

// Normalize fills in the filter's page limit (PageLimit).
func (f *SanctionFilter) Normalize() { f.Limit = PageLimit(f.Limit) }

// Matches reports whether c is one of the cases f lists, ignoring the
// page (f normalized).
func (f *SanctionFilter) Matches(c *SanctionCase) bool {
	return (len(f.States) == 0 || slices.Contains(f.States, c.State)) &&
		(len(f.Steps) == 0 || slices.Contains(f.Steps, c.Current)) &&
		(!f.PendingOnly || c.Pending)
}

// SanctionCaseOrder orders cases as lists show them: open first, then
// newest first. It returns a negative number when a comes before b.
func SanctionCaseOrder(a, b *SanctionCase) int {
	ao, bo := a.State == SanctionCaseOpen, b.State == SanctionCaseOpen
	switch {
	case ao && !bo:
		return -1
	case bo && !ao:
		return 1
	case a.ID > b.ID:
		return -1
	case a.ID < b.ID:
		return 1
	}
	return 0
}

// After reports whether c comes after the last case of the previous page
// the filter names (AfterID 0: the first page).
func (f *SanctionFilter) After(c *SanctionCase) bool {
	if f.AfterID == 0 {
		return true
	}
	return SanctionCaseOrder(&SanctionCase{ID: f.AfterID, State: f.AfterState}, c) < 0
}
