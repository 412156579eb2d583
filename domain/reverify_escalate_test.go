package domain

import "testing"

// TestEscalationClause_LiquidatedIsP32_7_OtherwiseP32_5: ¶32.7 when the
// registers say the company or the school is gone, ¶32.5 (¶17.2 details not
// kept true) for every other difference.
func TestEscalationClause_LiquidatedIsP32_7_OtherwiseP32_5(t *testing.T) {
	for _, tc := range []struct {
		diffs []Difference
		want  Ground
	}{
		{[]Difference{DiffCompanyLiquidated, DiffNameChanged}, GroundCooperation},
		{[]Difference{DiffSchoolClosed}, GroundCooperation},
		{[]Difference{DiffNameChanged}, GroundRulesBroken},
		{[]Difference{DiffSchoolMissing, DiffCompanyStale}, GroundRulesBroken},
		{[]Difference{DiffCompanyInLiquidation}, GroundRulesBroken},
	} {
		if got := EscalationClause(tc.diffs); got != tc.want {
			t.Errorf("EscalationClause(%v) = %s, want %s", tc.diffs, got, tc.want)
		}
	}
	r := &Reverification{ID: 7, Differences: []Difference{DiffCompanyLiquidated, DiffNameChanged}}
	if got, want := EscalationEvidence(r), "reverification 7: company_liquidated, name_changed"; got != want {
		t.Errorf("evidence %q, want %q", got, want)
	}
}
