package rolerequests_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// openConsultant makes the staff request a career consultant's waiting at
// its institution, set changing it further, and opens its detail.
func openConsultant(t *testing.T, e *env, set func(r *domain.RoleRequest)) *app.Model {
	t.Helper()
	e.rr.Update(idStaff, func(r *domain.RoleRequest) {
		r.Form.Kind = domain.KindCareerConsultant
		set(r)
	})
	m := e.model(t, e.reviewer, size(100, 60))
	openQueue(t, m)
	openRequest(t, m, e, idStaff)
	return m
}

// ¶29.3: the detail of a career consultant's request waiting at an
// institution shows since when it waits, when the Agency may take it
// over, the reminder sent, and what an approval will grant; the reviewer
// may remind the institution again (m) after the limit, and once the
// Agency has taken it over the detail says, before any decision, that
// approving grants the role without the institution's scope.
func TestDetail_ConsultantAtInstitution_ShowsTheWaitRemindersAndWhatApprovalGrants_P29_3(t *testing.T) {
	e := newEnv(t)
	m := openConsultant(t, e, func(r *domain.RoleRequest) { r.InstitutionReminderAt = fixedNow.Add(-5 * 24 * time.Hour) })
	tuitest.MustShow(t, m, "Iestādes lēmums (29.3. p.)",
		"Gaida iestādē kopš: 2025-02-19 12:00",
		"Aģentūra var pārņemt no: 2025-03-01 12:00",
		"Atgādinājums iestādei: nosūtīts 2025-02-26 12:00",
		"Apstiprinājums piešķirs: karjeras konsultanta lomu iestādē „Liepājas Valsts tehnikums” (apstiprina iestāde)",
		"m atgādināt")
	tuitest.CheckFits(t, m, 100, 60, "consultant detail")

	// Remind again: the request stays at the institution.
	tuitest.Send(t, m, tuitest.Runes("m")...)
	tuitest.MustShow(t, m, "Atgādināt iestādei par pieteikumu #4", "termiņš netiek atjaunots")
	tuitest.Send(t, m, tuitest.Runes("Lūdzam izskatīt šonedēļ")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	d := e.rr.Decisions()
	if len(d) != 1 || d[0].Action != "remind" || d[0].Decision.ReasonText != "Lūdzam izskatīt šonedēļ" || d[0].Err != nil {
		t.Fatalf("decisions %+v", d)
	}
	tuitest.MustShow(t, m, "Iestādei nosūtīts atgādinājums par pieteikumu #4.", "Aģentūras atgādinājums: 2025-03-03 12:00")
	if r := e.rr.Get(idStaff); r.State != domain.StateAtInstitution {
		t.Errorf("reminded request is %s", r.State)
	}

	// Taken over: the approval will be the Agency's, without the scope.
	tuitest.Send(t, m, tuitest.Runes("t")...)
	tuitest.Send(t, m, tuitest.Runes("Iestāde neatbild")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Apstiprinājums piešķirs: karjeras konsultanta lomu BEZ iestādes piesaistes (Aģentūras apstiprināts, 29.3. p.)")
	tuitest.MustNotShow(t, m, "(apstiprina iestāde)")
}

// ¶29.3: before the take-over limit the Agency cannot remind the
// institution (the sweep's reminder is due first); the detail says when
// it is due.
func TestDetail_ConsultantAtInstitution_RemindTooEarly_P29_3(t *testing.T) {
	e := newEnv(t)
	m := openConsultant(t, e, func(r *domain.RoleRequest) { r.EmailConfirmedAt = fixedNow.Add(-3 * 24 * time.Hour) })
	tuitest.MustShow(t, m, "Atgādinājums iestādei: tiks nosūtīts 2025-03-07 12:00")
	tuitest.MustNotShow(t, m, "m atgādināt")
	tuitest.Send(t, m, tuitest.Runes("m")...)
	tuitest.MustNotShow(t, m, "Atgādināt iestādei par pieteikumu #4")
	if len(e.rr.Decisions()) != 0 {
		t.Fatal("a reminder was sent before the limit")
	}
}

// The institution's name in the consultant section (¶29.3) and the
// institution, municipality and end reason of each listed role (¶32.1)
// come from outside (a registration, a register, a reviewer's reason):
// drawn plain, they cannot drive the reviewer's terminal.
func TestDetail_ConsultantAndAssignments_StoredTextCannotDriveTheTerminal(t *testing.T) {
	e := newEnv(t)
	e.rr.SetAssignments(idStaff, []*domain.RoleAssignment{
		{ID: 71, UserID: 5, Role: domain.PlatformCareerConsultant, InstitutionName: "Skola\x1b]0;pwned\x07",
			ValidFrom: fixedNow.AddDate(-1, 0, 0), ValidUntil: fixedNow.AddDate(0, 0, 20)},
		{ID: 52, UserID: 5, Role: domain.PlatformMunicipalCoord, MunicipalityName: "Jelgava\x1b[2J",
			ValidFrom: fixedNow.AddDate(-3, 0, 0), ValidUntil: fixedNow.AddDate(-1, 0, 0), EndedAt: fixedNow.AddDate(-1, 0, 0),
			EndReason: "beidza\x1b[31m sarkans"},
	})
	m := openConsultant(t, e, func(r *domain.RoleRequest) { r.InstitutionName = "Tehnikums\x1b[2J\x1b]0;pwned\x07" })
	if v := m.View(); strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\x1b]0;") || strings.Contains(v, "\x1b[31m") {
		t.Fatal("the detail passes escape sequences from stored data")
	}
	tuitest.MustShow(t, m, "Iestādes lēmums (29.3. p.)", "Personas lomas (2)", "#71", "#52", "beidza")
	tuitest.CheckFits(t, m, 100, 60, "hostile consultant detail")
}
