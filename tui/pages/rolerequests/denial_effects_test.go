package rolerequests_test

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// ¶24, ¶32: a request whose applicant is denied access shows why it
// cannot be approved on its detail, before the reviewer decides, and the
// approval is not sent.
func TestDetail_DenialInForce_ShownBeforeDeciding_ApprovalRefused_P24(t *testing.T) {
	e := newEnv(t)
	e.rr.Update(idConsultant, func(r *domain.RoleRequest) {
		r.Hold = &domain.DenialHold{DenialID: 41, Ground: domain.GroundRulesBroken, Since: time.Date(2025, 2, 20, 9, 0, 0, 0, time.UTC)}
	})
	m := e.model(t, e.reviewer, size(120, 40))
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.MustShow(t, m, "Piekļuve liegta saskaņā ar noteikumu 32.5. punktu kopš 20.02.2025 (liegums nr. 41)")
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustNotShow(t, m, "Loma derīga līdz:")
	for _, d := range e.rr.Decisions() {
		if d.Action == "approve" && d.Err == nil {
			t.Fatalf("an approval went through: %+v", d)
		}
	}
}

// ¶32.1: the detail lists the person's roles by number; l opens the form
// to extend, end or renew one, with a reason and a new end of validity;
// a step the role's own rule refuses is shown in the form and not sent.
func TestAssignments_ListedOnTheDetail_ExtendAndEndByForm_P32_1(t *testing.T) {
	e := newEnv(t)
	e.rr.SetAssignments(idConsultant, []*domain.RoleAssignment{
		{ID: 71, UserID: 5, Role: domain.PlatformCareerConsultant, InstitutionName: "Daugavpils Universitāte",
			ValidFrom: fixedNow.AddDate(-1, 0, 0), ValidUntil: fixedNow.AddDate(0, 0, 20), RequestID: 1},
		{ID: 52, UserID: 5, Role: domain.PlatformMunicipalCoord, MunicipalityName: "Jelgava",
			ValidFrom: fixedNow.AddDate(-3, 0, 0), ValidUntil: fixedNow.AddDate(-1, 0, 0), EndedAt: fixedNow.AddDate(-1, 0, 0), EndReason: "expired"},
	})
	m := e.model(t, e.reviewer, size(120, 50))
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.MustShow(t, m, "Personas lomas (2)", "#71 Karjeras konsultants · Daugavpils Universitāte · 2024-03-03–2025-03-23 · spēkā",
		"#52", "beidzies derīgums")

	tuitest.Send(t, m, tuitest.Runes("l")...)
	tuitest.MustShow(t, m, "Personas loma — pieteikums #2, Līga Kalniņa", "Lomas nr.: 71", "Darbība", "pagarināt")
	// Renewing a running role is refused by its rule, in the form.
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyRight), tuitest.Press(tea.KeyRight))
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Runes("atgriezies")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Šī loma vēl ir spēkā: pagariniet to.")
	if len(e.rr.AssignmentCalls()) != 0 {
		t.Fatalf("a refused change was sent: %+v", e.rr.AssignmentCalls())
	}
	// Extend it instead, to the date in the form.
	tuitest.Send(t, m, tuitest.Press(tea.KeyShiftTab), tuitest.Press(tea.KeyShiftTab))
	tuitest.Send(t, m, tuitest.Press(tea.KeyLeft), tuitest.Press(tea.KeyLeft))
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Runes("2026-06-30")...)
	// enter goes on to the reason, kept from before, and then sends.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter), tuitest.Press(tea.KeyEnter))
	calls := e.rr.AssignmentCalls()
	if len(calls) != 1 || calls[0].Err != nil {
		t.Fatalf("calls %+v, want one extension", calls)
	}
	want := domain.AssignmentChange{AssignmentID: 71, Action: domain.AssignmentExtend, ValidUntil: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), Reason: "atgriezies"}
	if got := calls[0].Change; got != want {
		t.Errorf("change %+v, want %+v", got, want)
	}
	tuitest.MustShow(t, m, "Loma mainīta.", "2024-03-03–2026-06-30 · spēkā")
}

// ¶32.1: the sweep's end of an assignment whose validity ran out reads
// "beidzies derīgums"; a reviewer who ended one early is quoted as they
// wrote it, even when they wrote the sweep's own word.
func TestAssignments_ReviewersEndQuoted_EvenAsTheSweepsWord_P32_1(t *testing.T) {
	e := newEnv(t)
	e.rr.SetAssignments(idConsultant, []*domain.RoleAssignment{
		{ID: 53, UserID: 5, Role: domain.PlatformMunicipalCoord, MunicipalityName: "Jelgava",
			ValidFrom: fixedNow.AddDate(-1, 0, 0), ValidUntil: fixedNow.AddDate(1, 0, 0), EndedAt: fixedNow.AddDate(0, -1, 0),
			EndReason: domain.AssignmentEndExpired},
	})
	m := e.model(t, e.reviewer, size(120, 50))
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.MustShow(t, m, "#53", domain.AssignmentEndExpired)
	tuitest.MustNotShow(t, m, "beidzies derīgums")
}
