package imk_test

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
)

func TestIMK_ListAndDetail_RenderAt80x24_InLatvianAndEnglish_NoLineOverWidth(t *testing.T) {
	for _, tc := range []struct {
		lang      string
		list      []string
		detail    []string
		form      []string
		confirm   []string
		notInList []string
	}{
		{"lv", []string{"2 IMK", "Pieteicējs", "Personas kods", "Iemesls", "Gaida", "Izskata",
			"Līga Kalniņa", "180565-*****", "nodarbinātība vai pašnodarbinātība", "2 d. 2 st.", "Pēteris Zariņš", "Ieva Liepiņa"},
			[]string{"IMK pieteikums #1 — Līga Kalniņa", "jāizskata", "Mērķa grupas atbilstības pārbaude",
				"Politikas versija: #3", "✓ atbilst", "? nav zināms", "pierādījums: Valsts ieņēmumu dienests (VID): dati novecojuši (iegūti 2024-08-15)",
				"VID · iegūts pirms 200 d. 0 st.", "Fizisko personu reģistrs · iegūts pirms 2 st. 0 min", "VIIS",
				"Prioritāte: jā — prioritāte: vecums 45+", "180565-*****", "a apstiprināt"},
			[]string{"Apstiprināt IMK #1 — Līga Kalniņa", "Pamatojums:"},
			[]string{"Apstiprināt individuālo mācību kontu #1"},
			[]string{"Kārlis Ozoliņš"}},
		{"en", []string{"2 IMK", "Applicant", "Personal code", "Reason", "Waiting", "Held by",
			"Līga Kalniņa", "180565-*****", "employment or self-employment", "2 d 2 h"},
			[]string{"IMK application #1 — Līga Kalniņa", "needs review", "Target-group eligibility check",
				"Policy version: #3", "✓ pass", "? unknown", "evidence: State Revenue Service (VID): the data is stale (fetched 2024-08-15)",
				"State Revenue Service (VID) · fetched 200 d 0 h ago", "Population Register · fetched 2 h 0 min ago", "VIIS",
				"Priority: yes — priority: age 45+", "180565-*****", "a approve"},
			[]string{"Approve IMK #1 — Līga Kalniņa", "Reason:"},
			[]string{"Approve individual learning account #1"},
			[]string{"Kārlis Ozoliņš"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv(t)
			m := e.model(t, e.reviewer, lang(tc.lang))
			openQueue(t, m)
			tuitest.MustShow(t, m, tc.list...)
			tuitest.MustNotShow(t, m, tc.notInList...)
			tuitest.CheckFits(t, m, 80, 24, "list")

			openApp(t, m, idStale)
			tuitest.CheckFits(t, m, 80, 24, "detail")
			seen := tuitest.Squeezed(m)
			for i := 0; i < 40; i++ {
				tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
				tuitest.CheckFits(t, m, 80, 24, "detail scrolled")
				seen += " " + tuitest.Squeezed(m)
			}
			for _, want := range tc.detail {
				if !strings.Contains(seen, want) {
					t.Errorf("scrolling the detail never shows %q", want)
				}
			}

			tuitest.Send(t, m, tuitest.Runes("a")...)
			tuitest.MustShow(t, m, tc.form...)
			tuitest.CheckFits(t, m, 80, 24, "approve form")
			tuitest.Send(t, m, tuitest.Runes("Darba devējs apstiprina nodarbinātību")...)
			tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
			tuitest.MustShow(t, m, tc.confirm...)
			tuitest.CheckFits(t, m, 80, 24, "confirm")
		})
	}
}

func TestIMK_OtherSizes_NoLineOverWidth(t *testing.T) {
	for _, sz := range [][2]int{{60, 20}, {100, 30}, {132, 43}, {40, 20}} {
		e := newEnv(t)
		m := e.model(t, e.reviewer, size(sz[0], sz[1]))
		openQueue(t, m)
		tuitest.CheckFits(t, m, sz[0], sz[1], "list")
		openApp(t, m, idOutage)
		tuitest.CheckFits(t, m, sz[0], sz[1], "detail")
	}
}

func TestIMK_VerdictMarks_ReadWithoutColour(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer, size(100, 40))
	openQueue(t, m)
	openApp(t, m, idStale)
	// The renderer has no colour at all: the mark and the word carry the
	// verdict.
	if v := m.View(); strings.Contains(v, "\x1b[3") || strings.Contains(v, "\x1b[9") {
		t.Fatalf("colour in a colourless session:\n%q", v)
	}
	tuitest.MustShow(t, m, "✓ atbilst persona ir dzīva", "? nav zināms nodarbinātība vai pašnodarbinātība", "✗ neatbilst prioritāte: izglītība LKI ≤ 3")
}

func TestIMK_OpenClaims_LeaveReleases(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openApp(t, m, idOutage)
	if got := e.imk.Claims(); len(got) != 1 || got[0] != idOutage {
		t.Fatalf("claims = %v, want [%d]", got, idOutage)
	}
	tuitest.MustShow(t, m, "Jūs izskatāt šo pieteikumu")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	if got := e.imk.Releases(); len(got) != 1 || got[0] != idOutage {
		t.Fatalf("releases = %v, want [%d]", got, idOutage)
	}
	if a := e.imk.Get(idOutage); a.ClaimedBy != 0 {
		t.Errorf("still held by %d after leaving", a.ClaimedBy)
	}
}

func TestIMK_Approve_NeedsReasonAndConfirmation_SendsVersionSeen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openApp(t, m, idStale)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter)) // no reason
	tuitest.MustShow(t, m, "Norādiet pamatojumu.")
	if n := len(e.imk.Decisions()); n != 0 {
		t.Fatalf("%d decisions sent without a reason", n)
	}
	tuitest.Send(t, m, tuitest.Runes("VID izziņa apliecina darbu")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if n := len(e.imk.Decisions()); n != 0 {
		t.Fatal("approved before confirmation")
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	d := e.imk.Decisions()
	if len(d) != 1 {
		t.Fatalf("decisions = %+v, want one", d)
	}
	if got := d[0]; !got.Approve || got.Version != 4 || got.Reason != "VID izziņa apliecina darbu" || got.ActorID != e.reviewer.ID || got.Err != nil {
		t.Errorf("decision = %+v, want an approval of version 4 with the reason by the reviewer", got)
	}
	if a := e.imk.Get(idStale); a.State != domain.IMKApproved {
		t.Errorf("state = %s, want approved", a.State)
	}
	tuitest.MustShow(t, m, "IMK #1 apstiprināts.")
	tuitest.MustNotShow(t, m, "Līga Kalniņa")
}

func TestIMK_Reject_NeedsReason_SendsVersionSeen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer, lang("en"))
	openQueue(t, m)
	openApp(t, m, idOutage)
	tuitest.Send(t, m, tuitest.Runes("r")...)
	tuitest.Send(t, m, tuitest.Runes("   ")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Give a reason.")
	tuitest.Send(t, m, tuitest.Runes("deceased per the Population Register")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	d := e.imk.Decisions()
	if len(d) != 1 || d[0].Approve || d[0].Version != 2 || d[0].Reason != "deceased per the Population Register" {
		t.Fatalf("decisions = %+v, want one rejection of version 2 with the reason", d)
	}
	tuitest.MustShow(t, m, "IMK #2 rejected.")
}

func TestIMK_Refetch_ShowsTheNewEvaluation(t *testing.T) {
	e := newEnv(t)
	e.imk.Reevaluate = func(a *domain.IMKApplication, now time.Time) *domain.Evaluation {
		ev := *a.Evaluation
		ev.Rules = nil
		for _, r := range a.Evaluation.Rules {
			if r.Rule == "employment" {
				r.Verdict, r.Evidence, r.FetchedAt = domain.VerdictPass, evidenceOf("imk.ev.employed", domain.DateArg(day("2019-04-01"))), now
			}
			ev.Rules = append(ev.Rules, r)
		}
		ev.ReviewWhy = nil
		ev.Outcome = domain.OutcomeEligible
		return &ev
	}
	m := e.model(t, e.reviewer, size(100, 50))
	openQueue(t, m)
	openApp(t, m, idStale)
	tuitest.MustShow(t, m, "? nav zināms nodarbinātība", "VID · iegūts pirms 200 d. 0 st.")
	tuitest.Send(t, m, tuitest.Runes("f")...)
	if got := e.imk.Refetches(); len(got) != 1 || got[0] != idStale {
		t.Fatalf("refetches = %v", got)
	}
	tuitest.MustShow(t, m, "✓ atbilst nodarbinātība vai pašnodarbinātība", "pierādījums: nodarbinātība kopš 2019-04-01, turpinās",
		"VID · iegūts tikko", "Rezultāts: atbilst mērķa grupai", "Dati iegūti vēlreiz un pārbaudīti: atbilst mērķa grupai.")
	tuitest.MustNotShow(t, m, "dati novecojuši")

	// The decision after the refetch names the version the refetch made.
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.Send(t, m, tuitest.Runes("pārbaudīts")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter), tuitest.Press(tea.KeyEnter))
	if d := e.imk.Decisions(); len(d) != 1 || d[0].Version != 5 || d[0].Err != nil {
		t.Errorf("decisions = %+v, want version 5 accepted", d)
	}
}

func TestIMK_DecisionConflict_KeepsTheForm_SaysWhoDecided(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer, size(100, 50))
	openQueue(t, m)
	openApp(t, m, idStale)
	tuitest.Send(t, m, tuitest.Runes("r")...)
	tuitest.Send(t, m, tuitest.Runes("nav nodarbināta")...)
	// Meanwhile another reviewer decides it (the lease ran out, say).
	e.imk.Update(idStale, func(a *domain.IMKApplication) {
		a.State, a.DecidedBy, a.DecidedByName, a.DecidedAt = domain.IMKApproved, e.other.ID, "Anna Kalniņa", fixedNow
		a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = 0, "", time.Time{}
	})
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	d := e.imk.Decisions()
	if len(d) != 1 || domain.ErrorCode(d[0].Err) != domain.ECONFLICT {
		t.Fatalf("decisions = %+v, want one conflict", d)
	}
	// The refusal is the application's own rule, the one the service gave.
	if domain.AsError(d[0].Err).Key != "imk.decided" {
		t.Errorf("refused with %v, want imk.decided", d[0].Err)
	}
	tuitest.MustShow(t, m, "Noraidīt IMK #1", "nav nodarbināta", "Šo pieteikumu jau izlēma Anna Kalniņa.")
}

func TestIMK_HeldByAnother_OpensViewOnly_NamesTheHolder(t *testing.T) {
	e := newEnv(t)
	e.imk.ClaimAs(idOutage, e.other.ID, "Anna Kalniņa")
	m := e.model(t, e.reviewer, size(100, 50))
	openQueue(t, m)
	tuitest.MustShow(t, m, "Anna Kalniņa")
	openApp(t, m, idOutage)
	tuitest.MustShow(t, m, "Izskata Anna Kalniņa — tikai apskatei.", "Pieteikumu #2 izskata Anna Kalniņa.")
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustNotShow(t, m, "Apstiprināt IMK #2")
	if n := len(e.imk.Decisions()); n != 0 {
		t.Fatalf("%d decisions on an application held by another", n)
	}
}

func TestIMK_Reveal_NeedsReason_RecordsTheLook(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer, size(100, 50))
	openQueue(t, m)
	openApp(t, m, idStale)
	tuitest.MustShow(t, m, "180565-*****")
	tuitest.MustNotShow(t, m, "180565-05610")
	tuitest.Send(t, m, tuitest.Runes("v")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Norādiet pamatojumu.")
	tuitest.Send(t, m, tuitest.Runes("klients zvana, jāidentificē")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "180565-05610")
	// One call of the service reveals, audits and counts (issue 14).
	got := e.imk.Reveals()
	if len(got) != 1 {
		t.Fatalf("reveals = %+v, want one", got)
	}
	if a := got[0]; a.ItemID != 1 || a.Reason != "klients zvana, jāidentificē" || a.OperatorID != e.reviewer.ID || a.SessionID != "sess-janis.ozols" {
		t.Errorf("reveal = %+v", a)
	}
}

func TestIMK_Tab_HiddenWithoutReviewerRoleOrService(t *testing.T) {
	e := newEnv(t)
	tabLine := func(m *app.Model) string { return strings.Split(tuitest.Screen(m), "\n")[1] }
	admin := e.model(t, e.admin)
	if strings.Contains(tabLine(admin), "IMK") {
		t.Errorf("an administrator sees the IMK tab:\n%s", tuitest.Screen(admin))
	}
	noSvc := e.model(t, e.reviewer, withoutService())
	if strings.Contains(tabLine(noSvc), "IMK") {
		t.Errorf("the IMK tab shows without a service:\n%s", tuitest.Screen(noSvc))
	}
	reviewer := e.model(t, e.reviewer)
	tuitest.MustShow(t, reviewer, "2 IMK")
}

func TestIMK_ReloadAfterDatabaseReturn_ReadsAgain(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	e.imk.ClaimAs(idBorder, e.other.ID, "Anna Kalniņa")
	tuitest.Send(t, m, common.ReloadMsg{})
	tuitest.MustShow(t, m, "Anna Kalniņa")
}

func TestIMK_FeedChange_ShowsAnotherOperatorsClaimWithinASecond(t *testing.T) {
	e := newEnv(t)
	e.imk.Feed = e.feed
	m := e.program(t, e.reviewer, withChanges())
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	has := func(s string) func([]byte) bool {
		return func(b []byte) bool { return strings.Contains(string(b), s) }
	}
	tm.Type("2")
	teatest.WaitFor(t, tm.Output(), has("Ieva Liepiņa"), teatest.WithDuration(3*time.Second))
	start := time.Now()
	e.imk.ClaimAs(idBorder, e.other.ID, "Anna Kalniņa")
	teatest.WaitFor(t, tm.Output(), has("Anna Kalniņa"), teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	if d := time.Since(start); d > time.Second {
		t.Errorf("the claim showed after %v", d)
	}
}
