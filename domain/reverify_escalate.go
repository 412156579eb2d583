package domain

import (
	"slices"
	"strconv"
)

// EscalationClause returns the clause on which an escalated
// re-verification opens a sanction case of the institution: ¶32.7 (the
// Agency refuses cooperation) when the registers say the company is
// liquidated or excluded, or the education institution is closed — there
// is no one left to cooperate with; otherwise ¶32.5 (the terms are not
// followed), since the differences mean the institution did not keep its
// details true and current as ¶17.2 requires.
func EscalationClause(diffs []Difference) Ground {
	if slices.Contains(diffs, DiffCompanyLiquidated) || slices.Contains(diffs, DiffSchoolClosed) {
		return GroundCooperation
	}
	return GroundRulesBroken
}

// EscalationEvidence is the evidence an escalated re-verification gives
// its sanction case: the item's number and the differences found, by the
// names of Differences (the case's screen shows them as they are).
func EscalationEvidence(r *Reverification) string {
	s := "reverification " + strconv.FormatInt(r.ID, 10) + ":"
	for i, d := range r.Differences {
		if i > 0 {
			s += ","
		}
		s += " " + string(d)
	}
	return s
}
