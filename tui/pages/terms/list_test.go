package terms_test

import (
	"fmt"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/pages/terms"
)

func TestList_RendersAt80x24_InLatvianAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"lv", []string{"2 Lietošanas noteikumi", "3 Paziņojumi", "Numurs", "Nosaukums", "Stāvoklis", "Sagatavoja", "Apstiprināja", "Publicēta",
			"Spēkā: ★ 2025-1", "melnraksts", "iesniegta", "nav spēkā", "2025-01-06", "s iesniegt"}},
		{"en", []string{"2 Terms of use", "3 Announcements", "Number", "Title", "State", "Drafted by", "Approved by", "Published",
			"In force: ★ 2025-1", "draft", "submitted", "superseded", "2025-01-06", "s submit"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv(t)
			m := e.model(t, e.editor, lang(tc.lang))
			openTerms(t, m)
			mustShow(t, m, tc.want...)
			// The version in force is marked in its row, not only by colour.
			if l := lineWith(m, "★ 2025-1", "Anna"); l == "" || !strings.Contains(l, map[string]string{"lv": "spēkā", "en": "in force"}[tc.lang]) {
				t.Errorf("the version in force is not marked in the list:\n%s", tuitest.Screen(m))
			}
			for _, n := range []string{"2024-1", "2026-1", "2026-2", "2026-3"} {
				if lineWith(m, n) == "" {
					t.Errorf("version %s is not listed", n)
				}
			}
			tuitest.CheckFits(t, m, 80, 24, "list")
		})
	}
}

func TestList_FeedChange_ShowsAnotherEditorsSubmissionWithinASecond(t *testing.T) {
	e := newEnv(t)
	e.terms.Feed = e.feed
	m := e.program(t, e.editor, withChanges())
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	has := func(s string) func([]byte) bool {
		return func(b []byte) bool { return strings.Contains(string(b), s) }
	}
	tm.Type("2")
	teatest.WaitFor(t, tm.Output(), has("2026-3"), teatest.WithDuration(3*time.Second))
	start := time.Now()
	e.terms.Update(idDraft, func(v *domain.TermsVersion) { v.Title = "Pārdēvēts melnraksts" })
	teatest.WaitFor(t, tm.Output(), has("Pārdēvēts melnraksts"), teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	if d := time.Since(start); d > time.Second {
		t.Errorf("the change showed after %v", d)
	}
}

func TestTabs_HiddenWithoutTheEditorRole(t *testing.T) {
	e := newEnv(t)
	admin := e.model(t, e.admin)
	mustNotShow(t, admin, "Lietošanas noteikumi", "Paziņojumi")
	if n := len(e.terms.Finds()); n != 0 {
		t.Errorf("a non-editor's session read versions %d times", n)
	}
	editor := e.model(t, e.editor)
	mustShow(t, editor, "2 Lietošanas noteikumi", "3 Paziņojumi")
	without := e.model(t, e.editor, withoutServices())
	mustNotShow(t, without, "Lietošanas noteikumi", "Paziņojumi")

	// Gaining the role shows the screens at once; losing it hides them.
	promoted := *e.admin
	promoted.Roles = append(promoted.Roles, domain.RoleEditor)
	tuitest.Send(t, admin, common.OperatorMsg{Operator: &promoted})
	// An administrator-editor has more screens than 80 columns name in
	// full: the active tab keeps its name, so visit both.
	tuitest.Send(t, admin, tuitest.Typed("2")...)
	mustShow(t, admin, "[2 Lietošanas noteikumi]")
	tuitest.Send(t, admin, tuitest.Typed("3")...)
	mustShow(t, admin, "[3 Paziņojumi]")
	demoted := *e.editor
	demoted.Roles = []domain.Role{domain.RoleHelpdesk}
	tuitest.Send(t, editor, common.OperatorMsg{Operator: &demoted})
	mustNotShow(t, editor, "Lietošanas noteikumi", "Paziņojumi")
}

func TestDiff_ShowsRemovedAndAddedLatvianLinesWithSigns(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-2")
	tuitest.Send(t, m, tuitest.Typed("d")...)
	mustShow(t, m, "Redakcija 2026-2 salīdzinājumā ar spēkā esošo 2025-1", "−1 / +2 rindas, 2 vietās")
	removed := lineWith(m, "- 2.1. Aģentūra apstrādā lietotāja personas datus.")
	if removed == "" || strings.Contains(removed, "VDAR") {
		t.Errorf("no '-' line for the old clause 2.1:\n%s", tuitest.Screen(m))
	}
	if lineWith(m, "+ 2.1. Aģentūra apstrādā lietotāja personas datus saskaņā ar VDAR.") == "" {
		t.Errorf("no '+' line for the new clause 2.1:\n%s", tuitest.Screen(m))
	}
	if lineWith(m, "+ 2.4. Lietotājs var pieprasīt savu datu labošanu.") == "" {
		t.Errorf("no '+' line for the added clause 2.4:\n%s", tuitest.Screen(m))
	}
	// Unchanged lines far from a change are folded; a shows them all.
	mustShow(t, m, "nemainītas rindas")
	mustNotShow(t, m, "Prasmju pārvaldības platformas lietošanas noteikumi")
	tuitest.Send(t, m, tuitest.Typed("a")...)
	mustShow(t, m, "Prasmju pārvaldības platformas lietošanas noteikumi", "visas rindas")
	tuitest.CheckFits(t, m, 80, 24, "diff")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	mustShow(t, m, "Spēkā: ★ 2025-1")
}

func TestDiff_InColour_RemovedRedAddedGreen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor, profile(termenv.ANSI))
	openTerms(t, m)
	selectVersion(t, m, "2026-2")
	tuitest.Send(t, m, tuitest.Typed("d")...)
	var minus, plus string
	for _, l := range strings.Split(m.View(), "\n") {
		switch {
		case strings.Contains(l, "- 2.1."):
			minus = l
		case strings.Contains(l, "+ 2.1."):
			plus = l
		}
	}
	if !strings.Contains(minus, "91") || !strings.Contains(plus, "92") {
		t.Errorf("removed line %q should be red (91) and added line %q green (92)", minus, plus)
	}
}

func TestDiff_TheVersionInForce_IsComparedWithTheOneItReplaced(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2025-1")
	tuitest.Send(t, m, tuitest.Typed("d")...)
	mustShow(t, m, "Redakcija 2025-1 salīdzinājumā ar iepriekšējo 2024-1", "- Vecie noteikumi.")
}

func TestPublish_HiddenOnOnesOwnVersion_WithTheReason(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-1")
	if strings.Contains(footer(m), "apstiprināt un publicēt") {
		t.Errorf("the footer offers publishing one's own version: %q", footer(m))
	}
	mustShow(t, m, "Jūs to sagatavojāt: apstiprina un publicē cits redaktors (četru acu princips).")
	tuitest.Send(t, m, tuitest.Typed("p")...)
	mustShow(t, m, "Spēkā: ★ 2025-1") // still the list: no confirmation opened
	mustShow(t, m, "Sevis sagatavotu redakciju apstiprina cits redaktors (četru acu princips).")
	if p := e.terms.Publishes(); len(p) != 0 {
		t.Errorf("ApproveAndPublish called on one's own version: %+v", p)
	}
	// Return to draft stays possible.
	if !strings.Contains(footer(m), "b atgriezt melnrakstā") {
		t.Errorf("the footer lacks return to draft: %q", footer(m))
	}
}

func TestPublish_AnotherEditorsVersion_ConfirmsThenCallsApproveAndPublish(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-2")
	if !strings.Contains(footer(m), "p apstiprināt un publicēt") {
		t.Errorf("the footer does not offer publishing: %q", footer(m))
	}
	tuitest.Send(t, m, tuitest.Typed("p")...)
	mustShow(t, m, "Apstiprināt un publicēt redakciju 2026-2",
		"Publicēt redakciju 2026-2 „Grozījumi par datu apstrādi” (sagatavoja Anna Kalniņa)? Tā stāsies spēkā nekavējoties; redakcija 2025-1 zaudēs spēku.",
		"Izmaiņas: Precizēta datu apstrāde (VDAR).")
	tuitest.CheckFits(t, m, 80, 24, "publish confirmation")
	// esc steps back without publishing; q is not quitting here.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	if len(e.terms.Publishes()) != 0 {
		t.Fatal("esc published")
	}
	tuitest.Send(t, m, tuitest.Typed("p")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	p := e.terms.Publishes()
	if len(p) != 1 || p[0].ID != idAnothers || p[0].Actor != e.editor.ID || p[0].Err != nil {
		t.Fatalf("publishes %+v, want one of version %d by %d", p, idAnothers, e.editor.ID)
	}
	mustShow(t, m, "Redakcija 2026-2 publicēta un ir spēkā; paziņojums izveidots.", "Spēkā: ★ 2026-2")
	if l := lineWith(m, "2025-1"); !strings.Contains(l, "nav spēkā") {
		t.Errorf("the previous version is not shown superseded: %q", l)
	}
}

func TestPublish_Forbidden_ShowsTheServicesReason(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-2")
	e.terms.FailNext("ApproveAndPublish", domain.Errorf(domain.ECONFLICT, "terms.published_meanwhile", "another version was published"))
	tuitest.Send(t, m, tuitest.Typed("p")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	mustShow(t, m, "Spēkā: ★ 2025-1")
	if s := lineWith(m, "redakcij"); s == "" {
		t.Errorf("no reason shown:\n%s", tuitest.Screen(m))
	}
}

func TestSubmit_NeedsASummary_ThenSavesItAndSubmitsTheVersionSeen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-3")
	tuitest.Send(t, m, tuitest.Typed("s")...)
	mustShow(t, m, "Iesniegt apstiprināšanai redakciju 2026-3", "Izmaiņu kopsavilkums:")
	tuitest.CheckFits(t, m, 80, 24, "submit")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	mustShow(t, m, "Bez izmaiņu kopsavilkuma iesniegt nevar.")
	tuitest.Send(t, m, tuitest.Typed("   ")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if n := len(e.terms.Submits()) + len(e.terms.Saves()); n != 0 {
		t.Fatalf("an empty summary was sent (%d calls)", n)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, pasted("Precizēti 2. punkti.\nPievienots 4.2."))
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	saves := e.terms.Saves()
	if len(saves) != 1 || saves[0].Version != 7 || saves[0].Summary != "Precizēti 2. punkti.\nPievienots 4.2." || saves[0].Text != "Pirmā rinda\nOtrā rinda" {
		t.Fatalf("saves %+v", saves)
	}
	if s := e.terms.Submits(); !slices.Equal(s, [][2]int64{{idDraft, 8}}) {
		t.Errorf("submits %v, want version %d at 8 (after saving the summary)", s, idDraft)
	}
	mustShow(t, m, "Redakcija 2026-3 iesniegta apstiprināšanai.")
	if l := lineWith(m, "2026-3"); !strings.Contains(l, "iesniegta") {
		t.Errorf("the list does not show the submission: %q", l)
	}
}

func TestSubmit_RefusedByTheService_CanBeRetriedWithTheSummarySaved(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-3")
	tuitest.Send(t, m, tuitest.Typed("s")...)
	tuitest.Send(t, m, tuitest.Typed("Kopsavilkums")...)
	e.terms.FailNext("SubmitTermsDraft", domain.Errorf(domain.EINVALID, "terms.unchanged", "the text is the text in force"))
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	mustShow(t, m, "Teksts neatšķiras no spēkā esošās redakcijas.", "Kopsavilkums")
	// The summary was saved (version 8); a retry submits at that version
	// instead of taking its own save for someone else's change.
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if s := e.terms.Submits(); len(s) != 2 || s[1] != [2]int64{idDraft, 8} {
		t.Errorf("submits %v, want the retry at version 8", s)
	}
	if n := len(e.terms.Saves()); n != 1 {
		t.Errorf("%d saves: the unchanged summary was saved again", n)
	}
	mustShow(t, m, "Redakcija 2026-3 iesniegta apstiprināšanai.")
}

func TestSubmit_ADraftChangedMeanwhile_IsAConflictAndTheSummaryStays(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-3")
	tuitest.Send(t, m, tuitest.Typed("s")...)
	e.terms.Update(idDraft, func(v *domain.TermsVersion) { v.Text += "\nkāds cits" })
	tuitest.Send(t, m, tuitest.Typed("Kopsavilkums")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if len(e.terms.Submits()) != 0 || len(e.terms.Saves()) != 0 {
		t.Fatal("a draft changed meanwhile was submitted")
	}
	mustShow(t, m, "Kopsavilkums", "Iesniegt apstiprināšanai redakciju 2026-3")
	if lineWith(m, "mainīts") == "" && lineWith(m, "mainīja") == "" && lineWith(m, "mainījis") == "" {
		t.Errorf("no conflict message:\n%s", tuitest.Screen(m))
	}
}

func TestReturn_NeedsANote(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-2")
	tuitest.Send(t, m, tuitest.Typed("b")...)
	mustShow(t, m, "Atgriezt melnrakstā redakciju 2026-2", "Piezīmi redzēs Anna Kalniņa")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	mustShow(t, m, "Uzrakstiet piezīmi")
	tuitest.Send(t, m, tuitest.Typed("Jāprecizē 2.4. punkts")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if r := e.terms.Returns(); !slices.Equal(r, []string{fmt.Sprintf("%d:Jāprecizē 2.4. punkts", idAnothers)}) {
		t.Errorf("returns %v", r)
	}
	mustShow(t, m, "Redakcija 2026-2 atgriezta melnrakstā.")
	selectVersion(t, m, "2026-2")
	mustShow(t, m, "Atgriezta melnrakstā: Jāprecizē 2.4. punkts")
}

func TestNewDraft_OffersTheNextNumber_AndOpensTheEditor(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	tuitest.Send(t, m, tuitest.Typed("n")...)
	mustShow(t, m, "Jauns melnraksts no spēkā esošās redakcijas", "Numurs: 2026-4", "Nosaukums: Prasmju pārvaldības platformas lietošanas noteikumi")
	// A taken number is refused under the form, with nothing lost.
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Typed("2026-2")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	mustShow(t, m, "Redakcija ar šādu numuru jau ir.", "Numurs: 2026-2")
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Typed("2026-4")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	mustShow(t, m, "Labo redakciju 2026-4 — melnraksts", "Prasmju pārvaldības platformas lietošanas noteikumi", "1.1. Noteikumi nosaka")
}

func TestAcceptance_CountsByRole_AndPagesThoseWhoHaveNot(t *testing.T) {
	e := newEnv(t)
	e.terms.SetAcceptance(&domain.TermsAcceptance{VersionID: idInForce, Users: 3000, Accepted: 1200, ByRole: []domain.RoleCount{
		{Role: string(domain.PlatformInstitutionAdmin), Users: 40, Accepted: 30},
		{Role: string(domain.PlatformCareerConsultant), Users: 200, Accepted: 50},
	}})
	var pending []*domain.PendingAcceptance
	for i := 1; i <= 120; i++ {
		pending = append(pending, &domain.PendingAcceptance{UserID: int64(i * 10), Name: fmt.Sprintf("Lietotājs Nr%03d", i),
			Email: fmt.Sprintf("u%03d@example.lv", i), Roles: []string{string(domain.PlatformCareerConsultant)}, LastAccepted: "2024-1"})
	}
	e.terms.SetPending(pending)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2025-1")
	tuitest.Send(t, m, tuitest.Typed("a")...)
	// Counts grouped and per cents with a decimal comma, as Latvians
	// write them.
	mustShow(t, m, "Akceptēšana — redakcija 2025-1 (spēkā)", "Akceptējuši: 1\u00a0200 no 3\u00a0000 lietotājiem (40,0 %)",
		"Izglītības iestādes administrators 30 no 40 (75,0 %)", "Karjeras konsultants 50 no 200 (25,0 %)",
		"Nav akceptējuši spēkā esošo redakciju:", "1. lapa", "Lietotājs Nr001", "u001@example.lv", "2024-1")
	tuitest.CheckFits(t, m, 80, 24, "acceptance")
	if c := e.terms.PendingCalls(); len(c) != 1 || c[0] != [2]int64{0, terms.PendingPageSize + 1} {
		t.Fatalf("pending calls %v", c)
	}
	tuitest.Send(t, m, tuitest.Typed("n")...)
	if c := e.terms.PendingCalls(); c[len(c)-1] != [2]int64{500, terms.PendingPageSize + 1} {
		t.Errorf("next page asked after %v, want after user 500", c[len(c)-1])
	}
	mustShow(t, m, "2. lapa", "Lietotājs Nr051")
	tuitest.Send(t, m, tuitest.Typed("n")...)
	mustShow(t, m, "3. lapa", "Lietotājs Nr101")
	before := len(e.terms.PendingCalls())
	tuitest.Send(t, m, tuitest.Typed("n")...)
	if len(e.terms.PendingCalls()) != before {
		t.Error("n on the last page read again")
	}
	tuitest.Send(t, m, tuitest.Typed("p")...)
	if c := e.terms.PendingCalls(); c[len(c)-1] != [2]int64{500, terms.PendingPageSize + 1} {
		t.Errorf("back to page 2 asked after %v", c[len(c)-1])
	}
	tuitest.Send(t, m, tuitest.Typed("p")...)
	mustShow(t, m, "1. lapa", "Lietotājs Nr001")

	// A superseded version has counts but no list: the list is about the
	// version in force.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	selectVersion(t, m, "2024-1")
	tuitest.Send(t, m, tuitest.Typed("a")...)
	mustShow(t, m, "Sarakstu ar tiem, kuri nav akceptējuši, rāda tikai spēkā esošajai redakcijai.")
	// A draft has none.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	selectVersion(t, m, "2026-3")
	tuitest.Send(t, m, tuitest.Typed("a")...)
	mustShow(t, m, "Akceptēšanas dati ir tikai publicētām redakcijām.")
}

func TestHelp_ListsTheScreensKeys(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	tuitest.Send(t, m, tuitest.Typed("?")...)
	mustShow(t, m, "Palīdzība — Lietošanas noteikumi", "n jauns melnraksts", "d salīdzināt", "s iesniegt",
		"p apstiprināt un publicēt", "b atgriezt melnrakstā", "a akceptēšana")
	tuitest.CheckFits(t, m, 80, 24, "help")
}

func TestEveryScreen_FitsFromSmallToLarge(t *testing.T) {
	sizes := [][2]int{{40, 12}, {60, 20}, {80, 24}, {132, 43}}
	steps := []struct {
		name    string
		version string
		keys    []tea.Msg
	}{
		{"list", "", nil},
		{"new draft", "", tuitest.Typed("n")},
		{"diff", "2026-2", tuitest.Typed("d")},
		{"diff all", "2026-2", tuitest.Typed("da")},
		{"submit", "2026-3", tuitest.Typed("s")},
		{"return", "2026-2", tuitest.Typed("b")},
		{"publish", "2026-2", tuitest.Typed("p")},
		{"acceptance", "2025-1", tuitest.Typed("a")},
		{"editor", "2026-3", []tea.Msg{tuitest.Press(tea.KeyEnter)}},
		{"editor leaving", "2026-3", append([]tea.Msg{tuitest.Press(tea.KeyEnter)}, append(tuitest.Typed("x"), tuitest.Press(tea.KeyEsc))...)},
		{"read-only", "2025-1", []tea.Msg{tuitest.Press(tea.KeyEnter)}},
		{"help", "", tuitest.Typed("?")},
	}
	for _, l := range []string{"lv", "en"} {
		for _, sz := range sizes {
			for _, st := range steps {
				t.Run(fmt.Sprintf("%s/%dx%d/%s", l, sz[0], sz[1], st.name), func(t *testing.T) {
					t.Parallel()
					e := newEnv(t)
					m := e.model(t, e.editor, lang(l))
					openTerms(t, m)
					if st.version != "" {
						selectVersion(t, m, st.version)
					}
					tuitest.Send(t, m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
					tuitest.Send(t, m, st.keys...)
					tuitest.CheckFits(t, m, sz[0], sz[1], st.name)
				})
			}
		}
	}
}

// The fake's topic is the one storage announces changes on.
var _ = fakes.TermsTopic
