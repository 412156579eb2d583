package rolerequests_test

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
)

func TestApprove_ValidatesTheDate_ConfirmsAndSendsTheVersionSeen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	// Two years ahead by default (the configured validity).
	tuitest.MustShow(t, m, "Apstiprināt pieteikumu #2 — Līga Kalniņa", "Loma derīga līdz: 2027-03-03")

	for _, tc := range []struct{ in, want string }{
		{"2027-13-01", "Datumu raksta kā GGGG-MM-DD, piemēram, 2027-03-03."},
		{"3.3.2027", "Datumu raksta kā GGGG-MM-DD"},
		{"2025-03-03", "Derīguma beigām jābūt vēlāk par šodienu."},
		{"2024-12-31", "Derīguma beigām jābūt vēlāk par šodienu."},
		{"2035-01-01", "Derīguma beigas nevar būt vēlāk par 2030-03-02."},
	} {
		tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
		tuitest.Send(t, m, tuitest.Runes(tc.in)...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
		tuitest.MustShow(t, m, tc.want)
		tuitest.MustNotShow(t, m, "enter — apstiprināt, esc — atpakaļ uz formu")
	}
	if len(e.rr.Decisions()) != 0 {
		t.Fatal("an invalid date was sent")
	}

	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Runes("2026-08-31")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Apstiprināt pieteikumu #2 (Līga Kalniņa, Karjeras konsultants) ar lomas derīgumu līdz 2026-08-31?")
	// esc goes back to the form with the date kept.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.MustShow(t, m, "Loma derīga līdz: 2026-08-31")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter), tuitest.Press(tea.KeyEnter))

	d := e.rr.Decisions()
	if len(d) != 1 || d[0].Action != "approve" || d[0].Err != nil {
		t.Fatalf("decisions %+v", d)
	}
	want := time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)
	if got := d[0].Decision; got.RequestID != idConsultant || got.Version != 7 || !got.ValidUntil.Equal(want) {
		t.Errorf("decision %+v, want request 2, version 7, valid until %v", got, want)
	}
	tuitest.MustShow(t, m, "Pieteikums #2 apstiprināts; pieteicējam nosūtīts e-pasts.", "enter atvērt")
	if rowHas(tuitest.Screen(m), "Līga Kalniņa", "gaida") {
		t.Errorf("the approved request is still in the open queue:\n%s", tuitest.Screen(m))
	}
}

func TestApprove_DefaultComesFromTheServicesConfiguration(t *testing.T) {
	e := newEnv(t)
	e.rr.Config.DefaultValidity = 365 * 24 * time.Hour
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idInstitution)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "Loma derīga līdz: 2026-03-03")
}

func TestReject_RequiresAReason_AndAnExplanationForOther(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer, size(80, 24))
	openQueue(t, m)
	openRequest(t, m, e, idInstitution)
	tuitest.Send(t, m, tuitest.Runes("r")...)
	tuitest.MustShow(t, m, "Noraidīt pieteikumu #1 — Rīgas Tehnikas koledža", "( ) Pieteikumā trūkst vajadzīgās informācijas", "( ) Cits iemesls (jāpaskaidro)")
	tuitest.CheckFits(t, m, 80, 24, "reject form")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	tuitest.MustShow(t, m, "Izvēlieties iemeslu.")

	// The last reason is "other".
	for range 10 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	tuitest.MustShow(t, m, "(•) Cits iemesls (jāpaskaidro)")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter)) // on to the explanation
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	tuitest.MustShow(t, m, "Iemeslam „Cits iemesls” vajag paskaidrojumu.")
	tuitest.Send(t, m, tuitest.Runes("   ")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	tuitest.MustShow(t, m, "vajag paskaidrojumu")
	if len(e.rr.Decisions()) != 0 {
		t.Fatal("an incomplete rejection was sent")
	}

	// A paste with line breaks stays; control characters go.
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Iestāde nav akreditēta.\nSk. IZM vēstuli\x07."), Paste: true})
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	d := e.rr.Decisions()
	if len(d) != 1 || d[0].Action != "reject" || d[0].Err != nil {
		t.Fatalf("decisions %+v", d)
	}
	got := d[0].Decision
	if got.ReasonCode != "other" || got.ReasonText != "Iestāde nav akreditēta.\nSk. IZM vēstuli." || got.Version != 3 {
		t.Errorf("decision %+v", got)
	}
	tuitest.MustShow(t, m, "Pieteikums #1 noraidīts")
}

func TestReject_AListedReason_NeedsNoExplanation(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idInstitution)
	tuitest.Send(t, m, tuitest.Runes("r")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyDown))
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	d := e.rr.Decisions()
	if len(d) != 1 || d[0].Decision.ReasonCode != domain.RejectReasons[1] || d[0].Decision.ReasonText != "" {
		t.Fatalf("decisions %+v", d)
	}
}

func TestInfo_MessageIsRequiredAndLimited(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idInstitution)
	tuitest.Send(t, m, tuitest.Runes("i")...)
	tuitest.MustShow(t, m, "Pieprasīt papildu informāciju — #1 Rīgas Tehnikas koledža", "0 no 2\u00a0000 zīmēm")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	tuitest.MustShow(t, m, "Uzrakstiet ziņu pieteicējam.")
	// q and the digits belong to the field; the limit cuts a long paste.
	tuitest.Send(t, m, tuitest.Runes("q2")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("q1", 1100)), Paste: true})
	tuitest.MustShow(t, m, "2\u00a0000 no 2\u00a0000 zīmēm", "Pieprasīt papildu informāciju — #1")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	d := e.rr.Decisions()
	if len(d) != 1 || d[0].Action != "info" || len([]rune(d[0].Decision.InfoMessage)) != 2000 {
		t.Fatalf("decisions %+v", d)
	}
}

func TestDecide_Conflict_ShowsWhoDecidedAndKeepsTheForm(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idInstitution)
	tuitest.Send(t, m, tuitest.Runes("i")...)
	tuitest.Send(t, m, tuitest.Runes("Lūdzu, atsūtiet licenci.")...)
	// Meanwhile another reviewer decides it (say, from a claim that ran out).
	e.rr.Update(idInstitution, func(r *domain.RoleRequest) {
		r.State, r.DecidedBy, r.DecidedByName, r.DecidedAt = domain.StateRejected, e.other.ID, "Anna Kalniņa", fixedNow
	})
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	d := e.rr.Decisions()
	if len(d) != 1 || domain.ErrorCode(d[0].Err) != domain.ECONFLICT {
		t.Fatalf("decisions %+v", d)
	}
	// In the form and in the status line; what was typed is still there.
	// The refusal is the request's own rule, the same the service gave
	// (issue 14: one key for "decided" wherever it arises).
	if d[0].Err == nil || domain.AsError(d[0].Err).Key != "rolerequest.decided" {
		t.Errorf("the service refused with %v, want rolerequest.decided", d[0].Err)
	}
	view := tuitest.Screen(m)
	if n := strings.Count(view, "Šo pieteikumu jau izlēma Anna Kalniņa."); n != 2 {
		t.Errorf("the conflict message shows %d times, want in the form and the status line:\n%s", n, view)
	}
	tuitest.MustShow(t, m, "Lūdzu, atsūtiet licenci.", "Pieprasīt papildu informāciju — #1")

	// Leaving the form shows the request as it is now; the draft is kept.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.MustShow(t, m, "Izlēma: Anna Kalniņa", "Šo pieteikumu jau izlēma Anna Kalniņa.")
	tuitest.Send(t, m, tuitest.Runes("i")...)
	tuitest.MustNotShow(t, m, "Ziņa pieteicējam")
}

func TestDecide_ConflictWithoutADecision_SaysItChangedAndKeepsTheDraft(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.Send(t, m, tuitest.Runes("r")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Runes("Nav pievienots diploms.")...)
	e.rr.FailNext("Reject", &domain.Error{Code: domain.ECONFLICT, Message: "changed"})
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	tuitest.MustShow(t, m, "Pieteikums pa to laiku ir mainīts, tāpēc nekas netika saglabāts.", "Nav pievienots diploms.", "(•) Pieteikumā trūkst")

	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.Send(t, m, tuitest.Runes("r")...)
	tuitest.MustShow(t, m, "(•) Pieteikumā trūkst vajadzīgās informācijas", "Nav pievienots diploms.")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	d := e.rr.Decisions()
	if len(d) != 2 || d[1].Err != nil || d[1].Decision.ReasonText != "Nav pievienots diploms." {
		t.Fatalf("decisions %+v", d)
	}
}

func TestDecide_OtherErrors_ShowInTheStatusLineAndKeepTheForm(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	e.rr.FailNext("Approve", &domain.Error{Code: domain.EFORBIDDEN, Message: "about yourself"})
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter), tuitest.Press(tea.KeyEnter))
	view := tuitest.Screen(m)
	if n := strings.Count(view, "Jums nav tiesību to darīt."); n != 2 {
		t.Errorf("the error shows %d times:\n%s", n, view)
	}
	tuitest.MustShow(t, m, "Loma derīga līdz: 2027-03-03")
}

func TestReveal_AsksForAReason_RecordsItAndShowsTheCodeForThisViewOnly(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.MustShow(t, m, "180565-***** (v — parādīt)")
	// Opening it was a look at the person, counted by the read itself.
	if v := e.rr.Views(); len(v) == 0 || v[0].ItemID != idConsultant || v[0].OperatorID != e.reviewer.ID {
		t.Errorf("views %+v, want the open request's", v)
	}
	tuitest.Send(t, m, tuitest.Runes("v")...)
	tuitest.MustShow(t, m, "Parādīt personas kodu — #2 Līga Kalniņa", "Skatījumu ierakstīs audita žurnālā")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Norādiet iemeslu.")
	tuitest.MustNotShow(t, m, "180565-05610")
	if got := e.rr.Reveals(); len(got) != 0 {
		t.Fatalf("revealed without a reason: %+v", got)
	}

	// One call of the service reveals, audits and counts (issue 14).
	tuitest.Send(t, m, tuitest.Runes("Sakrīt ar pieteikumu #5?")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	got := e.rr.Reveals()
	if len(got) != 1 {
		t.Fatalf("reveals %+v", got)
	}
	if a := got[0]; a.ItemID != 2 || a.Reason != "Sakrīt ar pieteikumu #5?" || a.OperatorID != e.reviewer.ID || a.SessionID != sessionOf(e.reviewer.Name) {
		t.Errorf("reveal %+v", a)
	}
	tuitest.MustShow(t, m, "180565-05610 (parādīts; ierakstīts audita žurnālā)", "Personas kods parādīts")

	// Leaving and opening again masks it again.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	openRequest(t, m, e, idConsultant)
	tuitest.MustShow(t, m, "180565-***** (v — parādīt)")
	tuitest.MustNotShow(t, m, "180565-05610")
}
