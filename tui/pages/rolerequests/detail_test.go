package rolerequests_test

import (
	"context"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

func TestOpen_ClaimsTheRequest_EscReleasesIt(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	if got := e.rr.Claims(); !slices.Equal(got, []int64{idConsultant}) {
		t.Fatalf("claims %v, want [%d]", got, idConsultant)
	}
	if r := e.rr.Get(idConsultant); r.ClaimedBy != e.reviewer.ID {
		t.Fatalf("the request is held by %d", r.ClaimedBy)
	}
	tuitest.MustShow(t, m, "Pieteikums #2 · Karjeras konsultants", "Jūs to apstrādājat (līdz 12:15).", "a apstiprināt")
	tuitest.CheckFits(t, m, 80, 24, "detail")

	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	if got := e.rr.Releases(); !slices.Equal(got, []int64{idConsultant}) {
		t.Fatalf("releases %v, want [%d]", got, idConsultant)
	}
	if r := e.rr.Get(idConsultant); r.ClaimedBy != 0 {
		t.Errorf("still held by %d after esc", r.ClaimedBy)
	}
	tuitest.MustShow(t, m, "enter atvērt")
	if rowHas(tuitest.Screen(m), "Līga Kalniņa", "jūs") {
		t.Errorf("the list still shows the claim:\n%s", tuitest.Screen(m))
	}
}

func TestOpen_HeldByAnother_ShowsTheHolderAndOpensReadOnly(t *testing.T) {
	e := newEnv(t)
	e.rr.ClaimAs(idConsultant, e.other.ID, "Anna Kalniņa")
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.MustShow(t, m,
		"Pieteikumu #2 jau apstrādā Anna Kalniņa — atvērts tikai lasīšanai.",
		"Tikai lasīšanai — pieteikumu apstrādā Anna Kalniņa.")
	tuitest.MustNotShow(t, m, "a apstiprināt", "r noraidīt")

	for _, k := range []string{"a", "r", "i"} {
		tuitest.Send(t, m, tuitest.Runes(k)...)
		tuitest.MustShow(t, m, "Pieteikumu apstrādā Anna Kalniņa, tāpēc jūs to izlemt nevarat.")
		tuitest.MustNotShow(t, m, "Loma derīga līdz", "Iemesls:", "Ziņa pieteicējam")
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	if got := e.rr.Releases(); len(got) != 0 {
		t.Errorf("leaving a request held by another released it: %v", got)
	}
	if r := e.rr.Get(idConsultant); r.ClaimedBy != e.other.ID {
		t.Errorf("the other reviewer's claim was lost: held by %d", r.ClaimedBy)
	}
	if len(e.rr.Decisions()) != 0 {
		t.Errorf("decisions were sent: %+v", e.rr.Decisions())
	}
}

func TestOpen_LeavingBeforeTheClaimAnswers_GivesTheClaimBack(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	selectRow(t, m, e, idInstitution)
	// enter and esc come before the claim's answer is taken in.
	_, open := m.Update(tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.Drain(t, m, open)
	if r := e.rr.Get(idInstitution); r.ClaimedBy != 0 {
		t.Errorf("a claim made after leaving is kept: held by %d", r.ClaimedBy)
	}
}

// TestOpen_DecisionKeyBeforeTheClaimAnswers_SaysTakingIt: a reviewer who
// presses a decision key while the claim that opening made has not
// answered is told it is being taken, not that they do not hold it (issue
// 14); once the claim holds, the key works.
func TestOpen_DecisionKeyBeforeTheClaimAnswers_SaysTakingIt(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	selectRow(t, m, e, idConsultant)
	_, open := m.Update(tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "Ņem darbā… mirkli.")
	tuitest.MustNotShow(t, m, "vispirms paņemiet pieteikumu darbā", "Loma derīga līdz")
	tuitest.Drain(t, m, open)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "Loma derīga līdz: 2027-03-03")
}

func TestDetail_ShowsEverySectionAndFitsTheScreen(t *testing.T) {
	for _, l := range []string{"lv", "en"} {
		e := newEnv(t)
		m := e.model(t, e.reviewer, lang(l), size(80, 60))
		openQueue(t, m)
		openRequest(t, m, e, idConsultant)
		want := map[string][]string{
			"lv": {"!! Iespējami dublikāti: 1", "Dublikāti (1)", "pieteikums #5 · tas pats personas kods · gaida lēmumu",
				"Vārds: Līga", "Uzvārds: Kalniņa", "Personas kods: 180565-***** (v — parādīt)", "Amats: karjeras konsultante",
				"Izglītības iestāde: Daugavpils Universitāte", "Adrese: liga.kalnina@du.lv", "Apstiprinājums: apstiprināts",
				"Lēmumu pieņem: Aģentūra", "Iesniegts:", "Dokumenti (0)", "Vēsture", "Līga Kalniņa iesniegts", "e-pasts apstiprināts"},
			"en": {"!! Possible duplicates: 1", "Duplicates (1)", "request #5 · same personal code · pending",
				"First name: Līga", "Last name: Kalniņa", "Personal code: 180565-***** (v — reveal)", "Position: karjeras konsultante",
				"Education institution: Daugavpils Universitāte", "Address: liga.kalnina@du.lv", "Confirmation: confirmed",
				"Decided by: the Agency", "Submitted:", "Documents (0)", "History", "Līga Kalniņa submitted", "e-mail confirmed"},
		}[l]
		tuitest.MustShow(t, m, want...)
		tuitest.MustNotShow(t, m, "180565-05610")
		tuitest.CheckFits(t, m, 80, 60, "detail "+l)
	}

	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idInstitution)
	tuitest.MustShow(t, m, "Iestādes nosaukums: Rīgas Tehnikas koledža", "Uzņēmumu reģistra nr.: 40003521600", "Izglītības iestādes reģ. nr.: 3113903386")
	// Longer than the screen: the documents are further down.
	for i := 0; i < 3 && !strings.Contains(tuitest.Screen(m), "nolikums.pdf"); i++ {
		tuitest.Send(t, m, tuitest.Press(tea.KeyPgDown))
	}
	tuitest.MustShow(t, m, "licence.pdf · application/pdf · 178 KiB · sha256 ab12ab12ab12…", "nolikums.pdf · application/pdf · 3.2 MiB")
	tuitest.CheckFits(t, m, 80, 24, "scrolled detail")
}

func TestDetail_StoredTextCannotDriveTheTerminal(t *testing.T) {
	e := newEnv(t)
	e.rr.Update(idConsultant, func(r *domain.RoleRequest) {
		r.Form.FirstName = "Līga\x1b[2J\x1b]0;pwned\x07"
		r.Form.Notes = "pirmā rinda\n\x1b[31motrā rinda"
	})
	m := e.model(t, e.reviewer, size(80, 40))
	openQueue(t, m)
	if strings.Contains(m.View(), "\x1b[2J") || strings.Contains(m.View(), "\x1b]0;") {
		t.Fatal("the list passes escape sequences from stored data")
	}
	openRequest(t, m, e, idConsultant)
	if v := m.View(); strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\x1b]0;") || strings.Contains(v, "\x1b[31m") {
		t.Fatal("the detail passes escape sequences from stored data")
	}
	tuitest.MustShow(t, m, "Piezīmes:", "pirmā rinda", "otrā rinda")
}

func TestDetail_UnconfirmedEmail_CannotBeDecidedButCanBeResent(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idMunicipal)
	tuitest.MustShow(t, m, "Lēmumu pieņemt nevar: e-pasta adrese nav apstiprināta.", "!! NAV APSTIPRINĀTS — saite nosūtīta", "e e-pasts")
	tuitest.MustNotShow(t, m, "a apstiprināt")
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustNotShow(t, m, "Loma derīga līdz")
	tuitest.Send(t, m, tuitest.Runes("e")...)
	if got := e.rr.Resent(); !slices.Equal(got, []int64{idMunicipal}) {
		t.Fatalf("resent %v", got)
	}
	tuitest.MustShow(t, m, "Apstiprinājuma e-pasts nosūtīts vēlreiz (#3).")

	// A confirmed request has nothing to resend.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	openRequest(t, m, e, idConsultant)
	tuitest.Send(t, m, tuitest.Runes("e")...)
	tuitest.MustShow(t, m, "E-pasta adrese jau ir apstiprināta")
	if got := e.rr.Resent(); len(got) != 1 {
		t.Errorf("resent %v", got)
	}
}

func TestDetail_WaitingAtAnInstitution_TakeOverNeedsAReasonAndShowsTheAge(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idStaff)
	tuitest.MustShow(t, m, "Lēmumu pieņem izglītības iestāde (¶29.3), kur pieteikums gaida jau 12 d. 0 st.", "t pārņemt")
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustNotShow(t, m, "Loma derīga līdz")

	tuitest.Send(t, m, tuitest.Runes("t")...)
	tuitest.MustShow(t, m, "Pārņemt pieteikumu #4 no izglītības iestādes", "Pieteikums gaida iestādē 12 d. 0 st.")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Norādiet iemeslu.")
	if len(e.rr.Decisions()) != 0 {
		t.Fatal("a take-over without a reason was sent")
	}
	tuitest.Send(t, m, tuitest.Runes("Iestāde neatbild divas nedēļas")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	d := e.rr.Decisions()
	if len(d) != 1 || d[0].Action != "takeover" || d[0].Decision.ReasonText != "Iestāde neatbild divas nedēļas" || d[0].Err != nil {
		t.Fatalf("decisions %+v", d)
	}
	tuitest.MustShow(t, m, "Pieteikums #4 pārņemts Aģentūrai.", "gaida lēmumu", "a apstiprināt")
}

func TestDetail_TakeOverTooEarly_SaysFromWhen(t *testing.T) {
	e := newEnv(t)
	e.rr.Update(idStaff, func(r *domain.RoleRequest) { r.EmailConfirmedAt = fixedNow.Add(-3 * 24 * time.Hour) })
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idStaff)
	tuitest.MustShow(t, m, "Aģentūra to var pārņemt no")
	tuitest.MustNotShow(t, m, "t pārņemt")
	tuitest.Send(t, m, tuitest.Runes("t")...)
	tuitest.MustShow(t, m, "Pārņemt varēs no")
	tuitest.MustNotShow(t, m, "Pārņemt pieteikumu #4")
}

func TestDetail_AnotherReviewerClaimsAfterTheLeaseRanOut_TheViewSaysSo(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	e.rr.ClaimAs(idConsultant, e.other.ID, "Anna Kalniņa")
	finds := len(e.rr.Finds())
	tuitest.Send(t, m, common.ChangeMsg{Topic: "role_request", ID: "2"})
	// The change is read after a short pause that gathers bursts; the test
	// driver drops timers, so deliver the reading itself.
	tuitest.Send(t, m, common.ReloadMsg{})
	if len(e.rr.Finds()) == finds {
		t.Fatal("the open request was not read again")
	}
	tuitest.MustShow(t, m, "Jūs vairs neapstrādājat pieteikumu #2 — to apstrādā Anna Kalniņa.", "Tikai lasīšanai — pieteikumu apstrādā Anna Kalniņa.")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	if got := e.rr.Releases(); len(got) != 0 {
		t.Errorf("leaving released another reviewer's claim: %v", got)
	}
}

func TestDetail_LanguageSwitch_RelabelsTheOpenRequestAndItsForm(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openRequest(t, m, e, idConsultant)
	tuitest.Send(t, m, tuitest.Press(tea.KeyF2))
	tuitest.MustShow(t, m, "Request #2 · Career consultant", "You hold it", "First name: Līga", "a approve")
	tuitest.Send(t, m, tuitest.Runes("r")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyF2))
	tuitest.MustShow(t, m, "Noraidīt pieteikumu #2", "( ) Cits iemesls (jāpaskaidro)", "↑/↓ izvēlēties")
}

// TestTakeNext_ClaimsTheOldestNobodyHolds_AndOpensIt drives "take the next
// waiting" as a reviewer does from the list: c claims the oldest pending
// request another reviewer does not hold, through the queue's ClaimNext,
// and opens it; when nothing is left, the status line says so.
func TestTakeNext_ClaimsTheOldestNobodyHolds_AndOpensIt(t *testing.T) {
	e := newEnv(t)
	asOther := domain.WithActor(context.Background(), domain.Actor{OperatorID: e.other.ID, Name: e.other.FullName, SessionID: "other"})
	if _, err := e.rr.ClaimRoleRequest(asOther, idInstitution); err != nil {
		t.Fatal(err)
	}
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	tuitest.MustShow(t, m, "c paņemt nākamo gaidošo")
	tuitest.Send(t, m, tuitest.Runes("c")...)
	tuitest.MustShow(t, m, "Pieteikums #2 · Karjeras konsultants", "Jūs to apstrādājat (līdz 12:15).")
	if r := e.rr.Get(idConsultant); r.ClaimedBy != e.reviewer.ID {
		t.Fatalf("request #%d is held by %d, want the reviewer", idConsultant, r.ClaimedBy)
	}
	if r := e.rr.Get(idInstitution); r.ClaimedBy != e.other.ID {
		t.Errorf("the other reviewer's request changed hands: held by %d", r.ClaimedBy)
	}

	// Back in the list (which releases #2), the other reviewer takes the
	// rest of the pending requests; nothing is left to take.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	for _, id := range []int64{idConsultant, idAdultEd} {
		if _, err := e.rr.ClaimRoleRequest(asOther, id); err != nil {
			t.Fatal(err)
		}
	}
	tuitest.Send(t, m, tuitest.Runes("c")...)
	tuitest.MustShow(t, m, "Neviens pieteikums negaida izskatīšanu.", "enter atvērt")
}
