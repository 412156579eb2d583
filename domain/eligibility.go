package domain

import (
	"fmt"
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
		State:             PolicyApproved,
	}
}

// Validate checks a policy's numbers before it is drafted. It returns
// EINVALID "imk.policy_invalid" naming the first bad value.
func (p *EligibilityPolicy) Validate() error {
	bad := func(what string) error {
		return Errorf(EINVALID, "imk.policy_invalid", "the policy's %s is not valid", what)
	}
	switch {
	case p.MinAge < 0 || p.MinAge > 120:
		return bad("minimum age")
	case p.MaxAge != 0 && p.MaxAge < p.MinAge:
		return bad("maximum age")
	case p.MaxDataAge <= 0:
		return bad("maximum data age")
	case p.PriorityMaxLKI < 0 || p.PriorityMaxLKI > 8:
		return bad("priority LKI")
	case p.PriorityMinAge < 0 || p.PriorityMinAge > 120:
		return bad("priority age")
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
// the rules resting on it VerdictUnknown. Any failed eligibility rule makes
// the outcome not eligible; otherwise any unknown verdict (the priority
// flags included) makes it need review, never a silent pass; otherwise the
// application is eligible.
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
			pop, popWhy = nil, "the Population Register's answer is empty"
		case pop.Person.BirthDate.IsZero():
			popWhy = "no birth date in the Population Register"
		default:
			birth = pop.Person.BirthDate
			if coded, ok := BirthDateFromPersonalCode(pop.Person.PersonalCode); ok && !dateOnly(coded).Equal(dateOnly(birth)) {
				popWhy = "the birth date contradicts the personal code"
				birth = time.Time{}
			}
		}
	}

	// alive
	if pop == nil {
		e.add(RuleAlive, VerdictUnknown, popWhy, RegisterPopulation)
	} else if d := pop.Person.DeceasedOn; !d.IsZero() && !dateOnly(d).After(day) {
		e.add(RuleAlive, VerdictFail, "deceased on "+d.Format(time.DateOnly), RegisterPopulation)
	} else {
		e.add(RuleAlive, VerdictPass, "alive", RegisterPopulation)
	}

	// age
	age := -1
	if birth.IsZero() {
		why := popWhy
		if pop != nil && why == "" {
			why = "no birth date in the Population Register"
		}
		e.add(RuleAge, VerdictUnknown, why, RegisterPopulation)
	} else {
		age = AgeOn(birth, day)
		evidence := fmt.Sprintf("born %s: %d on %s", birth.Format(time.DateOnly), age, day.Format(time.DateOnly))
		switch {
		case age < p.MinAge:
			e.add(RuleAge, VerdictFail, fmt.Sprintf("%s, under %d", evidence, p.MinAge), RegisterPopulation)
		case p.MaxAge > 0 && age > p.MaxAge:
			e.add(RuleAge, VerdictFail, fmt.Sprintf("%s, over %d", evidence, p.MaxAge), RegisterPopulation)
		default:
			e.add(RuleAge, VerdictPass, evidence, RegisterPopulation)
		}
	}

	// residence
	switch {
	case !p.RequireResidence:
		e.add(RuleResidence, VerdictPass, "not required by the policy", "")
	case pop == nil:
		e.add(RuleResidence, VerdictUnknown, popWhy, RegisterPopulation)
	case pop.Person.Resident:
		e.add(RuleResidence, VerdictPass, "declared residence in Latvia ("+pop.Person.Municipality+")", RegisterPopulation)
	default:
		e.add(RuleResidence, VerdictFail, "no declared residence in Latvia", RegisterPopulation)
	}

	// employment
	if !p.RequireEmployment {
		e.add(RuleEmployment, VerdictPass, "not required by the policy", "")
	} else if rev, why := e.usable(RegisterRevenue); rev == nil {
		e.add(RuleEmployment, VerdictUnknown, why, RegisterRevenue)
	} else {
		e.employment(rev)
	}

	// no other active IMK
	if otherActiveIMK {
		e.add(RuleNoOtherIMK, VerdictFail, "the person has another active IMK", "")
	} else {
		e.add(RuleNoOtherIMK, VerdictPass, "no other active IMK", "")
	}

	// studying, and the LKI priority, rest on VIIS.
	edu, eduWhy := e.usable(RegisterEducation)
	if edu != nil && edu.Education == nil {
		edu, eduWhy = nil, "VIIS's answer is empty"
	}
	switch {
	case !p.ExcludeStudying:
		e.add(RuleStudying, VerdictPass, "not an exclusion of the policy", "")
	case edu == nil:
		e.add(RuleStudying, VerdictUnknown, eduWhy, RegisterEducation)
	case edu.Education.Studying:
		e.add(RuleStudying, VerdictFail, "currently studying", RegisterEducation)
	default:
		e.add(RuleStudying, VerdictPass, "not currently studying", RegisterEducation)
	}

	// Priority flags: pass sets the flag, fail leaves it unset.
	switch {
	case edu == nil:
		e.add(RulePriorityLKI, VerdictUnknown, eduWhy, RegisterEducation)
	case edu.Education.HighestLKI < 0 || edu.Education.HighestLKI > 8:
		e.add(RulePriorityLKI, VerdictUnknown, fmt.Sprintf("VIIS gives an impossible LKI %d", edu.Education.HighestLKI), RegisterEducation)
	case edu.Education.HighestLKI <= p.PriorityMaxLKI:
		e.add(RulePriorityLKI, VerdictPass, lkiEvidence(edu.Education.HighestLKI, p.PriorityMaxLKI, "≤"), RegisterEducation)
	default:
		e.add(RulePriorityLKI, VerdictFail, lkiEvidence(edu.Education.HighestLKI, p.PriorityMaxLKI, ">"), RegisterEducation)
	}
	switch {
	case age < 0:
		e.add(RulePriorityAge, VerdictUnknown, "age not known", RegisterPopulation)
	case age >= p.PriorityMinAge:
		e.add(RulePriorityAge, VerdictPass, fmt.Sprintf("%d, at least %d", age, p.PriorityMinAge), RegisterPopulation)
	default:
		e.add(RulePriorityAge, VerdictFail, fmt.Sprintf("%d, under %d", age, p.PriorityMinAge), RegisterPopulation)
	}

	ev.Rules = e.rules
	failed := false
	for _, r := range e.rules {
		switch {
		case r.Verdict == VerdictFail && !isPriorityRule(r.Rule):
			failed = true
		case r.Verdict == VerdictUnknown:
			ev.ReviewWhy = append(ev.ReviewWhy, r.Rule)
		case r.Verdict == VerdictPass && isPriorityRule(r.Rule):
			ev.Priority = true
		}
	}
	switch {
	case failed:
		ev.Outcome = OutcomeNotEligible
		ev.ReviewWhy = nil
	case len(ev.ReviewWhy) > 0:
		ev.Outcome = OutcomeNeedsReview
	default:
		ev.Outcome = OutcomeEligible
	}
	return ev
}

func isPriorityRule(rule string) bool { return rule == RulePriorityLKI || rule == RulePriorityAge }

func lkiEvidence(lki, max int, op string) string {
	if lki == 0 {
		return fmt.Sprintf("no education document known (LKI 0 %s %d)", op, max)
	}
	return fmt.Sprintf("highest LKI %d %s %d", lki, op, max)
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
func (e *evaluator) usable(reg Register) (*Snapshot, string) {
	s := e.latest[reg]
	switch {
	case s == nil:
		return nil, "no data from " + string(reg)
	case !s.Answered:
		return nil, string(reg) + " did not answer"
	case !s.Found:
		return nil, string(reg) + " does not know the person"
	case s.FetchedAt.IsZero() || e.checkAt.Sub(s.FetchedAt) > e.p.MaxDataAge:
		return nil, string(reg) + " data is stale (fetched " + s.FetchedAt.UTC().Format(time.DateOnly) + ")"
	}
	return s, ""
}

func (e *evaluator) add(rule string, v Verdict, evidence string, src Register) {
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
			e.add(RuleEmployment, VerdictUnknown, "VID gives a period ending before it starts", RegisterRevenue)
			return
		}
	}
	for _, per := range rev.Employment {
		from := dateOnly(per.From)
		if from.After(e.day) || (!per.Until.IsZero() && dateOnly(per.Until).Before(e.day)) {
			continue
		}
		kind := "employed"
		if per.SelfEmployed {
			kind = "self-employed"
		}
		until := "ongoing"
		if !per.Until.IsZero() {
			until = "until " + per.Until.Format(time.DateOnly)
		}
		e.add(RuleEmployment, VerdictPass, fmt.Sprintf("%s since %s, %s", kind, from.Format(time.DateOnly), until), RegisterRevenue)
		return
	}
	e.add(RuleEmployment, VerdictFail, fmt.Sprintf("no employment on %s (%d periods known)", e.day.Format(time.DateOnly), len(rev.Employment)), RegisterRevenue)
}
