package institutions_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/pagetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// TestInstitutionsScreen_Page_ReverificationAndSanctions (¶17.2, ¶32.5,
// ¶32.7): the page shows when the institution was last re-verified and is
// next due, its escalated item with the differences and the sanction case
// the escalation went to, and its sanction
// cases with state, current step, clause, opening day and the suspension
// in force until its end.
func TestInstitutionsScreen_Page_ReverificationAndSanctions(t *testing.T) {
	f := seeded(t)
	f.Pages[2] = &domain.InstitutionPage{
		Reverification: domain.InstitutionReverification{ReverifiedAt: fixedNow.AddDate(-1, 0, 0), DueAt: fixedNow.AddDate(0, 0, 5),
			Item: &domain.Reverification{ID: 77, State: domain.ReverifyEscalated, CreatedAt: fixedNow.AddDate(0, 0, -2),
				Differences: []domain.Difference{domain.DiffCompanyLiquidated, domain.DiffNameChanged}, SanctionCaseID: 9}},
		Sanctions: []*domain.SanctionCase{
			{ID: 9, State: domain.SanctionCaseOpen, Current: domain.SanctionSuspension, Clause: domain.GroundCooperation,
				OpenedAt: fixedNow.AddDate(0, 0, -10), Steps: []*domain.SanctionStep{
					{Kind: domain.SanctionWarning, State: domain.SanctionStepGiven},
					{Kind: domain.SanctionSuspension, State: domain.SanctionStepInForce, Until: fixedNow.AddDate(0, 1, 0)}}},
			{ID: 4, State: domain.SanctionCaseClosed, Current: domain.SanctionWarning, Clause: domain.GroundRulesBroken,
				OpenedAt: fixedNow.AddDate(-1, 0, 0)},
		},
	}
	m := pagetest.At(fixedNow, common.Services{Institutions: f}, sandis).Model(t, sandis, pagetest.Size(140, 70))
	tuitest.Send(t, m, tuitest.Runes("3")...)
	tuitest.MustShow(t, m, "Beta ģimnāzija")
	tuitest.Send(t, m, tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Iestāde #2: Beta ģimnāzija", "Pārbaude pret reģistriem",
		"Pēdējā pārbaude: 2025-03-03 · nākamā: 2026-03-08", "#77 nodota drošībai · 2026-03-01 · uzņēmums likvidēts vai izslēgts, mainīts nosaukums → lieta #9",
		"Sankcijas (32.5., 32.7. p.)", "lieta #9", "atvērta 2026-02-21", "¶32.7", "spēkā: apturēšana līdz 2026-04-03", "lieta #4", "¶32.5")
}
