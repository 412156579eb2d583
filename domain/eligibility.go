package domain

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"
)

// The rules of the target-group check (¶26.4), in the order Evaluate
// reports them.
const (
	RuleAlive       = "alive"
	RuleAge         = "age"
	RuleResidence   = "residence"
	RuleEmployment  = "employment"
	RuleNoOtherIMK  = "no_other_imk"
	RuleStudying    = "studying"
	RulePriorityLKI = "priority_lki"
	RulePriorityAge = "priority_age"
)

// EligibilityRules are the rules an application must pass (¶26.4), in
// Evaluate's order; the priority rules only weigh the place in line.
var EligibilityRules = []string{RuleAlive, RuleAge, RuleResidence, RuleEmployment, RuleNoOtherIMK, RuleStudying}

// DefaultAutoReject returns the eligibility rules whose failure rejects
// automatically in the default policy: those resting on data that is
// complete and authoritative — the Population Register (alive, age,
// declared residence), VID's employment register (an employer registers
// an employee before the first working day) and the Platform's own IMKs.
// "studying" is left to a person: VIIS lacks many older and foreign
// records and enrolment changes reach it late, so a failure on its data
// is often wrong (the same incompleteness that leaves the LKI priority
// unknown).
func DefaultAutoReject() []string {
	return []string{RuleAlive, RuleAge, RuleResidence, RuleEmployment, RuleNoOtherIMK}
}

// How the two priority rules combine (EligibilityPolicy.PriorityCombine).
const (
	PriorityAnyOf = "or"  // priority when either rule passes (the default)
	PriorityAllOf = "and" // priority only when both pass
)

// PriorityState is an application's priority: yes, no, or unknown when
// the data a priority rule rests on is missing and the other rule cannot
// settle it alone. An unknown priority never holds a decision.
type PriorityState string

// Priority states.
const (
	PriorityYes     PriorityState = "yes"
	PriorityNo      PriorityState = "no"
	PriorityUnknown PriorityState = "unknown"
)

// UnmarshalJSON reads a priority state, or the boolean an evaluation
// stored before priority had three states (true: yes, false: no).
func (p *PriorityState) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case "true":
		*p = PriorityYes
		return nil
	case "false", "null":
		*p = PriorityNo
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*p = PriorityState(s)
	return nil
}

// Combine returns how p's priority rules combine: PriorityAllOf, or
// PriorityAnyOf for anything else (an empty value included).
func (p *EligibilityPolicy) Combine() string {
	if p.PriorityCombine == PriorityAllOf {
		return PriorityAllOf
	}
	return PriorityAnyOf
}

// AutoRejects reports whether a failure of rule rejects automatically
// under p.
func (p *EligibilityPolicy) AutoRejects(rule string) bool { return slices.Contains(p.AutoReject, rule) }

// ReviewRegisters is the reason for review, beside the rules' names, of an
// application whose register snapshots could not even be kept.
const ReviewRegisters = "registers"

// ReviewTermsNotAccepted is the reason for review of an application the
// check found eligible whose person has not accepted the terms of use in
// force (¶26.2): it is never approved automatically.
const ReviewTermsNotAccepted = "terms"

// Policy states. A draft becomes approved when a second person approves
// it; an approved version never changes.
const (
	PolicyDraft    = "draft"
	PolicyApproved = "approved"
)

// DefaultEligibilityPolicy returns today's programme: resident adults aged
// 18 or more who are employed or self-employed on the check date, with
// register data no older than 30 days; priority for LKI ≤ 3 and age 45+.
// It is version 1, approved by the system (no drafter or approver).
func DefaultEligibilityPolicy() EligibilityPolicy {
	return EligibilityPolicy{
		Version:           1,
		Name:              "Pieaugušo izglītība (noklusējuma)",
		MinAge:            18,
		RequireEmployment: true,
		RequireResidence:  true,
		MaxDataAge:        30 * 24 * time.Hour,
		PriorityMaxLKI:    3,
		PriorityMinAge:    45,
		PriorityCombine:   PriorityAnyOf,
		AutoReject:        DefaultAutoReject(),
		State:             PolicyApproved,
	}
}

// Validate checks a policy's values before it is drafted. It returns
// EINVALID "imk.policy_invalid" with one Problem naming the first bad value
// by its own catalog key ("imk.policy_min_age" …, "imk.policy_priority_combine"
// for a combination other than "or" or "and", "imk.policy_auto_reject" for
// an automatic rejection naming no eligibility rule), so that the value is
// named in the reader's language.
func (p *EligibilityPolicy) Validate() error {
	bad := func(field, key, what string) error {
		return &Error{Code: EINVALID, Key: "imk.policy_invalid", Message: "the policy's " + what + " is not valid",
			Problems: []Problem{{Field: field, Key: key}}}
	}
	switch {
	case p.MinAge < 0 || p.MinAge > 120:
		return bad("min_age", "imk.policy_min_age", "minimum age")
	case p.MaxAge != 0 && p.MaxAge < p.MinAge:
		return bad("max_age", "imk.policy_max_age", "maximum age")
	case p.MaxDataAge <= 0:
		return bad("max_data_age", "imk.policy_max_data_age", "maximum data age")
	case p.PriorityMaxLKI < 0 || p.PriorityMaxLKI > 8:
		return bad("priority_lki", "imk.policy_priority_lki", "priority LKI")
	case p.PriorityMinAge < 0 || p.PriorityMinAge > 120:
		return bad("priority_age", "imk.policy_priority_age", "priority age")
	case p.PriorityCombine != "" && p.PriorityCombine != PriorityAnyOf && p.PriorityCombine != PriorityAllOf:
		return bad("priority_combine", "imk.policy_priority_combine", "priority combination")
	}
	for _, r := range p.AutoReject {
		if !slices.Contains(EligibilityRules, r) {
			return bad("auto_reject", "imk.policy_auto_reject", "automatic rejection rule")
		}
	}
	return nil
}

// AgeOn returns a person's age in whole years on day: the birthday counts
// on the day itself, and a 29 February birthday is reached on 1 March in
// a year without one. Only the calendar dates count, not the times.
func AgeOn(birth, day time.Time) int {
	by, bm, bd := birth.Date()
	y, m, d := day.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	return age
}

// dateOnly is t's calendar date at midnight UTC.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Evaluate checks one application against policy p with the registers'
// snapshots (the newest of each register counts), on checkDate. It is pure
// and deterministic: the same inputs always give the same evaluation.
//
// Every rule gets a verdict with its evidence. A register that did not
// answer, that does not know the person, whose newest snapshot is older
// than p.MaxDataAge at checkDate, or whose data contradicts itself gives
// the rules resting on it VerdictUnknown. A failed eligibility rule that
// p.AutoReject names makes the outcome not eligible (¶26.4); a failed one
// it does not name, or an unknown verdict, makes it need review with the
// rule as the reason (GDPR Art. 22: a person looks before a rejection the
// policy does not trust to data alone), never a silent pass; otherwise the
// application is eligible. The priority rules never hold the decision:
// they give Priority (combined by p.Combine), which is unknown when their
// data is missing and cannot settle it.
func Evaluate(p EligibilityPolicy, snaps []*Snapshot, otherActiveIMK bool, checkDate time.Time) Evaluation {
	day := dateOnly(checkDate)
	ev := Evaluation{PolicyID: p.ID, CheckDate: day}
	latest := map[Register]*Snapshot{}
	for _, s := range snaps {
		if s == nil {
			continue
		}
		cur := latest[s.Register]
		if cur == nil || s.FetchedAt.After(cur.FetchedAt) || (s.FetchedAt.Equal(cur.FetchedAt) && s.ID > cur.ID) {
			latest[s.Register] = s
		}
	}
	e := evaluator{p: p, day: day, checkAt: checkDate, latest: latest}

	pop, popWhy := e.usable(RegisterPopulation)
	var birth time.Time
	if pop != nil {
		switch {
		case pop.Person == nil:
			pop, popWhy = nil, evidence("imk.ev.empty", RegisterArg(RegisterPopulation))
		case pop.Person.BirthDate.IsZero():
			popWhy = evidence("imk.ev.no_birth_date")
		default:
			birth = pop.Person.BirthDate
			if coded, ok := BirthDateFromPersonalCode(pop.Person.PersonalCode); ok && !dateOnly(coded).Equal(dateOnly(birth)) {
				popWhy = evidence("imk.ev.birth_contradicts")
				birth = time.Time{}
			}
		}
	}

	// alive
	if pop == nil {
		e.add(RuleAlive, VerdictUnknown, popWhy, RegisterPopulation)
	} else if d := pop.Person.DeceasedOn; !d.IsZero() && !dateOnly(d).After(day) {
		e.add(RuleAlive, VerdictFail, evidence("imk.ev.deceased", DateArg(d)), RegisterPopulation)
	} else {
		e.add(RuleAlive, VerdictPass, evidence("imk.ev.alive"), RegisterPopulation)
	}

	// age: the age comes first, as the count its words agree with.
	age := -1
	if birth.IsZero() {
		why := popWhy
		if pop != nil && why.IsZero() {
			why = evidence("imk.ev.no_birth_date")
		}
		e.add(RuleAge, VerdictUnknown, why, RegisterPopulation)
	} else {
		age = AgeOn(birth, day)
		born := []EvidenceArg{NumberArg(age), DateArg(birth), DateArg(day)}
		switch {
		case age < p.MinAge:
			e.add(RuleAge, VerdictFail, evidence("imk.ev.age_under", append(born, NumberArg(p.MinAge))...), RegisterPopulation)
		case p.MaxAge > 0 && age > p.MaxAge:
			e.add(RuleAge, VerdictFail, evidence("imk.ev.age_over", append(born, NumberArg(p.MaxAge))...), RegisterPopulation)
		default:
			e.add(RuleAge, VerdictPass, evidence("imk.ev.age", born...), RegisterPopulation)
		}
	}

	// residence
	switch {
	case !p.RequireResidence:
		e.add(RuleResidence, VerdictPass, evidence("imk.ev.not_required"), "")
	case pop == nil:
		e.add(RuleResidence, VerdictUnknown, popWhy, RegisterPopulation)
	case pop.Person.Resident:
		e.add(RuleResidence, VerdictPass, evidence("imk.ev.resident", TextArg(pop.Person.Municipality)), RegisterPopulation)
	default:
		e.add(RuleResidence, VerdictFail, evidence("imk.ev.not_resident"), RegisterPopulation)
	}

	// employment
	if !p.RequireEmployment {
		e.add(RuleEmployment, VerdictPass, evidence("imk.ev.not_required"), "")
	} else if rev, why := e.usable(RegisterRevenue); rev == nil {
		e.add(RuleEmployment, VerdictUnknown, why, RegisterRevenue)
	} else {
		e.employment(rev)
	}

	// no other active IMK
	if otherActiveIMK {
		e.add(RuleNoOtherIMK, VerdictFail, evidence("imk.ev.other_imk"), "")
	} else {
		e.add(RuleNoOtherIMK, VerdictPass, evidence("imk.ev.no_other_imk"), "")
	}

	// studying, and the LKI priority, rest on VIIS.
	edu, eduWhy := e.usable(RegisterEducation)
	if edu != nil && edu.Education == nil {
		edu, eduWhy = nil, evidence("imk.ev.empty", RegisterArg(RegisterEducation))
	}
	switch {
	case !p.ExcludeStudying:
		e.add(RuleStudying, VerdictPass, evidence("imk.ev.not_excluded"), "")
	case edu == nil:
		e.add(RuleStudying, VerdictUnknown, eduWhy, RegisterEducation)
	case edu.Education.Studying:
		e.add(RuleStudying, VerdictFail, evidence("imk.ev.studying"), RegisterEducation)
	default:
		e.add(RuleStudying, VerdictPass, evidence("imk.ev.not_studying"), RegisterEducation)
	}

	// Priority flags: pass sets the flag, fail leaves it unset.
	switch {
	case edu == nil:
		e.add(RulePriorityLKI, VerdictUnknown, eduWhy, RegisterEducation)
	case edu.Education.HighestLKI < 0 || edu.Education.HighestLKI > 8:
		e.add(RulePriorityLKI, VerdictUnknown, evidence("imk.ev.lki_impossible", NumberArg(edu.Education.HighestLKI)), RegisterEducation)
	default:
		v, ev := lkiVerdict(edu.Education.HighestLKI, p.PriorityMaxLKI)
		e.add(RulePriorityLKI, v, ev, RegisterEducation)
	}
	switch {
	case age < 0:
		e.add(RulePriorityAge, VerdictUnknown, evidence("imk.ev.age_unknown"), RegisterPopulation)
	case age >= p.PriorityMinAge:
		e.add(RulePriorityAge, VerdictPass, evidence("imk.ev.age_at_least", NumberArg(age), NumberArg(p.PriorityMinAge)), RegisterPopulation)
	default:
		e.add(RulePriorityAge, VerdictFail, evidence("imk.ev.age_below", NumberArg(age), NumberArg(p.PriorityMinAge)), RegisterPopulation)
	}

	ev.Rules = e.rules
	rejected := false
	var lki, agePrio Verdict
	for _, r := range e.rules {
		switch {
		case r.Rule == RulePriorityLKI:
			lki = r.Verdict
		case r.Rule == RulePriorityAge:
			agePrio = r.Verdict
		case r.Verdict == VerdictFail && p.AutoRejects(r.Rule):
			rejected = true
		case r.Verdict != VerdictPass:
			ev.ReviewWhy = append(ev.ReviewWhy, r.Rule)
		}
	}
	ev.Priority = combinePriority(p.Combine(), lki, agePrio)
	switch {
	case rejected:
		ev.Outcome = OutcomeNotEligible
		ev.ReviewWhy = nil
	case len(ev.ReviewWhy) > 0:
		ev.Outcome = OutcomeNeedsReview
	default:
		ev.Outcome = OutcomeEligible
	}
	return ev
}

// combinePriority is the priority of the two priority verdicts a and b
// combined by how (PriorityAnyOf or PriorityAllOf): settled when the
// known verdicts settle it (one pass for "or", one fail for "and"),
// unknown when an unknown one could still change it.
func combinePriority(how string, a, b Verdict) PriorityState {
	settles, other := VerdictPass, PriorityNo // "or": one pass is enough
	if how == PriorityAllOf {
		settles, other = VerdictFail, PriorityYes // "and": one fail is enough
	}
	switch {
	case a == settles || b == settles:
		if settles == VerdictPass {
			return PriorityYes
		}
		return PriorityNo
	case a == VerdictUnknown || b == VerdictUnknown:
		return PriorityUnknown
	}
	return other
}

// DecidingRules returns the rules that decided an automatic outcome: the
// failed rules that reject automatically for a rejection, every
// eligibility rule for an approval (each had to pass); none for review.
func (ev *Evaluation) DecidingRules(p *EligibilityPolicy) []RuleResult {
	var out []RuleResult
	for _, r := range ev.Rules {
		if isPriorityRule(r.Rule) {
			continue
		}
		switch ev.Outcome {
		case OutcomeNotEligible:
			if r.Verdict == VerdictFail && (p == nil || p.AutoRejects(r.Rule)) {
				out = append(out, r)
			}
		case OutcomeEligible:
			out = append(out, r)
		}
	}
	return out
}

func isPriorityRule(rule string) bool { return rule == RulePriorityLKI || rule == RulePriorityAge }

// lkiVerdict is the LKI priority's verdict on a highest LKI level (0: no
// education document known) against the policy's max: priority up to it.
func lkiVerdict(lki, max int) (Verdict, Evidence) {
	args := []EvidenceArg{NumberArg(lki), NumberArg(max)}
	switch {
	case lki > max: // never 0: a policy's max is not negative (Validate)
		return VerdictFail, evidence("imk.ev.lki_gt", args...)
	case lki == 0:
		return VerdictPass, evidence("imk.ev.no_document", args...)
	}
	return VerdictPass, evidence("imk.ev.lki_le", args...)
}

// evidence is a rule's evidence: a catalog key ("imk.ev.…") and its
// arguments.
func evidence(key string, args ...EvidenceArg) Evidence {
	return Evidence{Key: key, Args: args}
}

// evaluator collects the rules' verdicts of one evaluation.
type evaluator struct {
	p       EligibilityPolicy
	day     time.Time
	checkAt time.Time
	latest  map[Register]*Snapshot
	rules   []RuleResult
}

// usable returns the newest snapshot of reg when it can be relied on, or
// nil and why not.
func (e *evaluator) usable(reg Register) (*Snapshot, Evidence) {
	s := e.latest[reg]
	switch {
	case s == nil:
		return nil, evidence("imk.ev.no_data", RegisterArg(reg))
	case !s.Answered:
		return nil, evidence("imk.ev.no_answer", RegisterArg(reg))
	case !s.Found:
		return nil, evidence("imk.ev.not_found", RegisterArg(reg))
	case s.FetchedAt.IsZero() || e.checkAt.Sub(s.FetchedAt) > e.p.MaxDataAge:
		return nil, evidence("imk.ev.stale", RegisterArg(reg), DateArg(s.FetchedAt.UTC()))
	}
	return s, Evidence{}
}

func (e *evaluator) add(rule string, v Verdict, evidence Evidence, src Register) {
	r := RuleResult{Rule: rule, Verdict: v, Evidence: evidence, Source: src}
	if s := e.latest[src]; s != nil && src != "" {
		r.SnapshotID, r.FetchedAt = s.ID, s.FetchedAt
	}
	e.rules = append(e.rules, r)
}

// employment decides the employment rule from a usable VID snapshot: a
// period covering the check date (ending on it counts) passes; a period
// ending before it starts is contradictory data.
func (e *evaluator) employment(rev *Snapshot) {
	for _, per := range rev.Employment {
		if !per.Until.IsZero() && dateOnly(per.Until).Before(dateOnly(per.From)) {
			e.add(RuleEmployment, VerdictUnknown, evidence("imk.ev.period_contradicts"), RegisterRevenue)
			return
		}
	}
	for _, per := range rev.Employment {
		from := dateOnly(per.From)
		if from.After(e.day) || (!per.Until.IsZero() && dateOnly(per.Until).Before(e.day)) {
			continue
		}
		var ev Evidence
		switch {
		case per.SelfEmployed && per.Until.IsZero():
			ev = evidence("imk.ev.self_employed", DateArg(from))
		case per.SelfEmployed:
			ev = evidence("imk.ev.self_employed_until", DateArg(from), DateArg(per.Until))
		case per.Until.IsZero():
			ev = evidence("imk.ev.employed", DateArg(from))
		default:
			ev = evidence("imk.ev.employed_until", DateArg(from), DateArg(per.Until))
		}
		e.add(RuleEmployment, VerdictPass, ev, RegisterRevenue)
		return
	}
	// The count comes first: the words agree with it.
	e.add(RuleEmployment, VerdictFail, evidence("imk.ev.no_employment", NumberArg(len(rev.Employment)), DateArg(e.day)), RegisterRevenue)
}
