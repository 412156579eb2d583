package rolerequests_test

import (
	"fmt"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/pages/rolerequests"
)

func TestList_RendersAt80x24_InLatvianAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"lv", []string{"2 Pieteikumi", "Veids", "Pieteicējs", "Stāvoklis", "Apstrādā", "Gaida: jebkurš laiks",
			"Iestāde", "Līga Kalniņa", "gaida lēmumu", "neapstiprināts", "iestādē",
			"2 d. 2 st.", "20 min", "1. lapa", "enter atvērt"}},
		{"en", []string{"2 Role requests", "Kind", "Applicant", "State", "Held by", "Waiting: any time",
			"Institution", "Līga Kalniņa", "pending", "unconfirmed", "at institution",
			"2 d 2 h", "20 min", "page 1", "enter open"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv(t)
			// Another reviewer holds one request; the operator holds another.
			e.rr.ClaimAs(idConsultant, e.other.ID, "Anna Kalniņa")
			e.rr.ClaimAs(idAdultEd, e.reviewer.ID, "Jānis Ozols")
			m := e.model(t, e.reviewer, lang(tc.lang))
			openQueue(t, m)
			tuitest.MustShow(t, m, tc.want...)
			tuitest.MustShow(t, m, "Anna Kalniņa")
			you := map[string]string{"lv": "jūs", "en": "you"}[tc.lang]
			if !rowHas(tuitest.Screen(m), "Ozoliņš", you) {
				t.Errorf("the operator's own claim is not shown as %q:\n%s", you, tuitest.Screen(m))
			}
			tuitest.CheckFits(t, m, 80, 24, "list")
			// The pane under the list names the selected request in full.
			selectRow(t, m, e, idInstitution)
			tuitest.MustShow(t, m, "#1 · Rīgas Tehnikas koledža · info@rtk.lv")
		})
	}
}

// rowHas reports whether a line of view holds both texts.
func rowHas(view, a, b string) bool {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, a) && strings.Contains(l, b) {
			return true
		}
	}
	return false
}

func TestList_PersonalCodes_AreMaskedAtEveryWidth(t *testing.T) {
	for _, w := range []int{50, 80, 120} {
		e := newEnv(t)
		m := e.model(t, e.reviewer, size(w, 24))
		openQueue(t, m)
		for _, id := range []int64{idConsultant, idMunicipal, idStaff} {
			selectRow(t, m, e, id)
			tuitest.MustNotShow(t, m, "180565-05610", "18056505610", "061193-06460", "32550128526")
			tuitest.CheckFits(t, m, w, 24, fmt.Sprintf("list at %d", w))
		}
		selectRow(t, m, e, idConsultant)
		tuitest.MustShow(t, m, "180565-*****")
		if w >= 110 && !rowHas(tuitest.Screen(m), "Pēteris Zariņš", "061193-*****") {
			t.Errorf("at %d columns the list lacks the masked code column:\n%s", w, tuitest.Screen(m))
		}
	}
}

func TestList_DefaultFilter_AsksForOpenStatesAPageAtATime(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	// The screen reads nothing until its tab is opened, then once.
	if n := len(e.rr.Filters()); n != 0 {
		t.Errorf("the queue was read %d times before its tab was opened", n)
	}
	openQueue(t, m)
	if n := len(e.rr.Filters()); n != 1 {
		t.Errorf("opening the screen read the list %d times, want once", n)
	}
	f := e.rr.LastFilter()
	want := []domain.RoleRequestState{domain.StateUnconfirmed, domain.StatePending, domain.StateAtInstitution, domain.StateInfoRequested}
	if !slices.Equal(f.States, want) || f.Limit != rolerequests.PageSize+1 || len(f.Kinds) != 0 || f.OlderThan != 0 || f.Search != "" {
		t.Errorf("first filter %+v", f)
	}
}

func TestList_FilterKeys_CycleAndAskTheServiceAgain(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	step := func(key string, check func(domain.RoleRequestFilter) bool, what string) {
		t.Helper()
		before := len(e.rr.Filters())
		tuitest.Send(t, m, tuitest.Runes(key)...)
		if len(e.rr.Filters()) != before+1 {
			t.Fatalf("%s: %q did not read the list", what, key)
		}
		if f := e.rr.LastFilter(); !check(f) {
			t.Errorf("%s: filter %+v", what, f)
		}
	}
	kinds := func(k ...domain.RoleRequestKind) func(domain.RoleRequestFilter) bool {
		return func(f domain.RoleRequestFilter) bool { return slices.Equal(f.Kinds, k) }
	}
	step("f", kinds(domain.KindInstitution), "first kind")
	tuitest.MustShow(t, m, "Veids: Iestāde")
	step("f", kinds(domain.KindInstitutionStaff), "second kind")
	step("F", kinds(domain.KindInstitution), "kind backwards")
	step("F", kinds(), "every kind")
	step("F", kinds(domain.KindAdultEducationCoordinator), "kind wraps backwards")
	step("f", kinds(), "kind wraps forwards")

	states := func(s ...domain.RoleRequestState) func(domain.RoleRequestFilter) bool {
		return func(f domain.RoleRequestFilter) bool { return slices.Equal(f.States, s) }
	}
	for _, s := range domain.RoleRequestStates {
		step("s", states(s), "state "+string(s))
	}
	tuitest.MustShow(t, m, "Stāvoklis: novecojis")
	step("s", states(domain.RoleRequestStates...), "every state")
	step("s", states(domain.StateUnconfirmed, domain.StatePending, domain.StateAtInstitution, domain.StateInfoRequested), "back to open")

	older := func(d time.Duration) func(domain.RoleRequestFilter) bool {
		return func(f domain.RoleRequestFilter) bool { return f.OlderThan == d }
	}
	step("d", older(24*time.Hour), "over a day")
	step("d", older(7*24*time.Hour), "over a week")
	tuitest.MustShow(t, m, "Gaida: ilgāk par 7 d.")
	step("d", older(14*24*time.Hour), "over two weeks")
	step("d", older(0), "any age")
	step("D", older(14*24*time.Hour), "age backwards")

	step("f", kinds(domain.KindInstitution), "kind again")
	step("x", func(f domain.RoleRequestFilter) bool {
		return len(f.Kinds) == 0 && f.OlderThan == 0 && len(f.States) == 4 && f.Search == ""
	}, "clear")
}

func TestList_Search_SendsTheCleanedTextAndShowsOnlyMatches(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("/")...)
	// A paste from a document may carry tabs, line breaks and escapes.
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("\tKalniņa\x1b[31m\n"), Paste: true})
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	f := e.rr.LastFilter()
	if f.Search != "Kalniņa[31m" && f.Search != "Kalniņa" {
		t.Errorf("search %q: control characters were not stripped", f.Search)
	}
	if strings.ContainsAny(f.Search, "\x1b\t\n") {
		t.Errorf("search %q carries control characters", f.Search)
	}

	// Keys belong to the field while it is focused: q does not quit.
	tuitest.Send(t, m, tuitest.Runes("/")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Runes("40003521600")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if f := e.rr.LastFilter(); f.Search != "40003521600" || f.AfterID != 0 {
		t.Errorf("search by registration number: filter %+v", f)
	}
	tuitest.MustShow(t, m, "Rīgas Tehnikas koledža")
	tuitest.MustNotShow(t, m, "Līga Kalniņa", "Pēteris")

	// esc leaves the field without changing the search.
	before := len(e.rr.Filters())
	tuitest.Send(t, m, tuitest.Runes("/qq")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	if len(e.rr.Filters()) != before {
		t.Error("esc searched")
	}
	tuitest.MustShow(t, m, "Meklēt: 40003521600")
}

func TestList_Paging_PassesTheLastRowsKeysetAndComesBack(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 120; i++ {
		e.rr.Add(&domain.RoleRequest{
			ID: int64(100 + i), State: domain.StatePending, CreatedAt: fixedNow.Add(-time.Duration(200-i) * time.Hour),
			EmailConfirmedAt: fixedNow.Add(-time.Hour),
			Form:             domain.RoleRequestForm{Kind: domain.KindCareerConsultant, FirstName: "Pers", LastName: fmt.Sprintf("Nr%03d", i)},
		})
	}
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	page1, _ := e.rr.ListRoleRequests(t.Context(), e.rr.LastFilter())
	if len(page1) != rolerequests.PageSize+1 {
		t.Fatalf("first page has %d rows", len(page1))
	}
	last := page1[rolerequests.PageSize-1]

	tuitest.Send(t, m, tuitest.Runes("n")...)
	f := e.rr.LastFilter()
	if !f.AfterCreated.Equal(last.CreatedAt) || f.AfterID != last.ID || f.Limit != rolerequests.PageSize+1 {
		t.Fatalf("next page filter %+v, want after (%v, %d)", f, last.CreatedAt, last.ID)
	}
	tuitest.MustShow(t, m, "2. lapa")
	page2, _ := e.rr.ListRoleRequests(t.Context(), f)
	last2 := page2[rolerequests.PageSize-1]

	tuitest.Send(t, m, tuitest.Runes("n")...)
	if f := e.rr.LastFilter(); f.AfterID != last2.ID {
		t.Fatalf("third page filter %+v, want after %d", f, last2.ID)
	}
	tuitest.MustShow(t, m, "3. lapa")
	// The last page has fewer rows: no page after it.
	before := len(e.rr.Filters())
	tuitest.Send(t, m, tuitest.Runes("n")...)
	if len(e.rr.Filters()) != before {
		t.Error("n on the last page read the list")
	}

	tuitest.Send(t, m, tuitest.Runes("p")...)
	if f := e.rr.LastFilter(); f.AfterID != last.ID {
		t.Errorf("back to page 2: filter %+v, want after %d", f, last.ID)
	}
	tuitest.Send(t, m, tuitest.Runes("p")...)
	if f := e.rr.LastFilter(); f.AfterID != 0 || !f.AfterCreated.IsZero() {
		t.Errorf("back to page 1: filter %+v", f)
	}
	tuitest.MustShow(t, m, "1. lapa")
	// A new filter starts from the first page.
	tuitest.Send(t, m, tuitest.Runes("nf")...)
	if f := e.rr.LastFilter(); f.AfterID != 0 {
		t.Errorf("a new filter kept the keyset: %+v", f)
	}
	tuitest.MustShow(t, m, "1. lapa")
}

func TestList_ReloadAfterTheDatabaseCameBack_ReadsThePageShown(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	e.rr.ClaimAs(idInstitution, e.other.ID, "Anna Kalniņa")
	before := len(e.rr.Filters())
	tuitest.Send(t, m, common.ReloadMsg{})
	if len(e.rr.Filters()) != before+1 {
		t.Fatal("no read after the database came back")
	}
	tuitest.MustShow(t, m, "Anna Kalniņa")
}

func TestList_FeedChange_ShowsAnotherOperatorsClaimWithinASecond(t *testing.T) {
	e := newEnv(t)
	e.rr.Feed = e.feed
	m := e.program(t, e.reviewer, withChanges())
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	has := func(s string) func([]byte) bool {
		return func(b []byte) bool { return strings.Contains(string(b), s) }
	}
	tm.Type("2")
	teatest.WaitFor(t, tm.Output(), has("Ieva Liepiņa"), teatest.WithDuration(3*time.Second))

	reads := len(e.rr.Filters())
	start := time.Now()
	e.rr.ClaimAs(idStaff, e.other.ID, "Anna Kalniņa")
	teatest.WaitFor(t, tm.Output(), has("Anna Kalniņa"), teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	if d := time.Since(start); d > time.Second {
		t.Errorf("the claim showed after %v", d)
	}
	if n := len(e.rr.Filters()) - reads; n != 1 {
		t.Errorf("one change read the list %d times", n)
	}
}

// TestList_FeedBurst_IsReadOnce_OtherTopicsNotAtAll proves the coalescing
// on the clock, without waiting: a burst of changes is read once when the
// debounce runs out, not before and not once per change; changes of other
// topics read nothing.
func TestList_FeedBurst_IsReadOnce_OtherTopicsNotAtAll(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)

	reads := len(e.rr.Filters())
	for i := 0; i < 12; i++ {
		tuitest.Send(t, m, common.ChangeMsg{Topic: domain.TopicRoleRequest, ID: fmt.Sprint(i + 1)})
	}
	tuitest.Advance(t, m, e.clock, 200*time.Millisecond) // the debounce is 250 ms
	if n := len(e.rr.Filters()) - reads; n != 0 {
		t.Errorf("the list was read %d times before the debounce ran out", n)
	}
	tuitest.Advance(t, m, e.clock, time.Second)
	if n := len(e.rr.Filters()) - reads; n != 1 {
		t.Errorf("a burst of 12 changes read the list %d times", n)
	}
	// Changes of other topics do not read the queue.
	reads = len(e.rr.Filters())
	tuitest.Send(t, m, common.ChangeMsg{Topic: domain.TopicOperator, ID: "1"})
	tuitest.Advance(t, m, e.clock, time.Minute)
	if n := len(e.rr.Filters()) - reads; n != 0 {
		t.Errorf("an operator change read the queue %d times", n)
	}
}

func TestTab_OnlyForReviewers(t *testing.T) {
	e := newEnv(t)
	admin := e.model(t, e.admin)
	tuitest.MustNotShow(t, admin, "Pieteikumi")
	if n := len(e.rr.Filters()); n != 0 {
		t.Errorf("an administrator's session read the queue %d times", n)
	}
	reviewer := e.model(t, e.reviewer)
	tuitest.MustShow(t, reviewer, "2 Pieteikumi")
	without := e.model(t, e.reviewer, withoutService())
	tuitest.MustNotShow(t, without, "Pieteikumi")

	// Gaining the role shows the screen at once; losing it hides it.
	promoted := *e.admin
	promoted.Roles = append(promoted.Roles, domain.RoleReviewer)
	tuitest.Send(t, admin, common.OperatorMsg{Operator: &promoted})
	tuitest.MustShow(t, admin, "2 Pieteikumi")
	demoted := *e.reviewer
	demoted.Roles = []domain.Role{domain.RoleHelpdesk}
	tuitest.Send(t, reviewer, common.OperatorMsg{Operator: &demoted})
	tuitest.MustNotShow(t, reviewer, "Pieteikumi")
}

func TestHelp_ListsTheQueuesKeys(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("?")...)
	tuitest.MustShow(t, m, "Palīdzība — Pieteikumi", "/ meklēt", "f veids", "s stāvoklis", "d gaidīšanas laiks", "n nākamā lapa", "p iepriekšējā lapa")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	openRequest(t, m, e, idConsultant)
	tuitest.Send(t, m, tuitest.Runes("?")...)
	tuitest.MustShow(t, m, "a apstiprināt", "r noraidīt", "i pieprasīt papildu informāciju", "e sūtīt e-pastu vēlreiz", "t pārņemt no iestādes", "v parādīt personas kodu")
	tuitest.CheckFits(t, m, 80, 24, "help")
}

// BenchmarkSearchKeystroke_FullPage times a key typed into the queue's
// search field with a full page of requests on screen: the key's Update
// and the frame's View(), as every typing operator costs the server.
//
//	go test -run '^$' -bench SearchKeystroke ./tui/pages/rolerequests/
func BenchmarkSearchKeystroke_FullPage(b *testing.B) {
	t := &testing.T{}
	e := newEnv(t)
	for i := range 60 {
		e.rr.Add(&domain.RoleRequest{ID: int64(1000 + i), State: domain.StatePending, Version: 2,
			CreatedAt: fixedNow.Add(-time.Duration(i) * time.Hour), InstitutionName: "Rīgas Tehnikas koledža",
			Form: domain.RoleRequestForm{Kind: domain.KindCareerConsultant, FirstName: "Pēteris", LastName: "Zariņš",
				PersonalCode: "061193-12345", Email: "peteris@example.lv"}})
	}
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("/")...)
	keys := []tea.Msg{tuitest.Runes("a")[0], tea.KeyMsg{Type: tea.KeyBackspace}}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, cmd := m.Update(keys[i%2])
		_ = cmd
		_ = m.View()
	}
}
