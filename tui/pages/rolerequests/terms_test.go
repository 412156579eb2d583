package rolerequests_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// ¶26.2: a request whose applicant has not accepted the terms in force is
// flagged on its list row and summary, shows the line on its detail
// before the reviewer decides, and the approve key is refused with the
// reason: no approval is sent.
func TestDetail_TermsNotAccepted_ShownBeforeDeciding_ApprovalRefused_P26_2(t *testing.T) {
	e := newEnv(t)
	e.rr.Update(idConsultant, func(r *domain.RoleRequest) {
		r.Terms = &domain.TermsPending{VersionID: 3, Number: "2024-09-04"}
	})
	m := e.model(t, e.reviewer, size(120, 40))
	openQueue(t, m)
	tuitest.MustShow(t, m, "⚠ gaida lēmumu")
	tuitest.Send(t, m, tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyDown))
	tuitest.MustShow(t, m, "noteikumu versija 2024-09-04 nav apstiprināta")
	openRequest(t, m, e, idConsultant)
	tuitest.MustShow(t, m, "Lietošanas noteikumi: nav apstiprināta spēkā esošā versija 2024-09-04")
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "Persona nav apstiprinājusi spēkā esošo lietošanas noteikumu versiju 2024-09-04")
	tuitest.MustNotShow(t, m, "Loma derīga līdz:")
	for _, d := range e.rr.Decisions() {
		if d.Action == "approve" && d.Err == nil {
			t.Fatalf("an approval went through: %+v", d)
		}
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
}

// ¶26.2: an applicant who has accepted shows no such line.
func TestDetail_TermsAccepted_NoLine_P26_2(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer, size(120, 40))
	openQueue(t, m)
	tuitest.MustNotShow(t, m, "⚠")
	openRequest(t, m, e, idConsultant)
	tuitest.MustNotShow(t, m, "Lietošanas noteikumi:")
}
