package app

import (
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

func TestHelpOverlay_QuestionMarkOpens_EscAndQuestionMarkClose(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	if strings.Contains(tuitest.Screen(m), "Visos ekrānos") {
		t.Fatal("help overlay shown before ?")
	}
	driver.Send(t, m, tuitest.Runes("?")...)
	view := tuitest.Screen(m)
	for _, want := range []string{"Palīdzība — Pārskats", "Visos ekrānos", "nākamais ekrāns", "r atjaunot"} {
		if !strings.Contains(view, want) {
			t.Errorf("overlay lacks %q:\n%s", want, view)
		}
	}
	driver.Send(t, m, tuitest.Press(tea.KeyEsc))
	if strings.Contains(tuitest.Screen(m), "Visos ekrānos") {
		t.Error("esc did not close the overlay")
	}
	// The overlay lists the keys of the screen it was opened on.
	driver.Send(t, m, tuitest.Runes("3?")...)
	if view := tuitest.Screen(m); !strings.Contains(view, "Palīdzība — Audita žurnāls") || !strings.Contains(view, "vecāki ieraksti") {
		t.Errorf("overlay on the audit screen lacks its keys:\n%s", view)
	}
	driver.Send(t, m, tuitest.Runes("?")...)
	if strings.Contains(tuitest.Screen(m), "Visos ekrānos") {
		t.Error("? did not close the overlay")
	}
}

func TestHelpOverlay_OpensAndClosesInARunningProgram(t *testing.T) {
	e := newEnv(t)
	tm := teatest.NewTestModel(t, newModel(t, e, e.reviewer), teatest.WithInitialTermSize(80, 24))
	has := func(s string) func([]byte) bool { return func(b []byte) bool { return strings.Contains(string(b), s) } }
	teatest.WaitFor(t, tm.Output(), has("Pārskats"), teatest.WithDuration(3*time.Second))
	tm.Type("?")
	teatest.WaitFor(t, tm.Output(), has("Visos ekrānos"), teatest.WithDuration(3*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	teatest.WaitFor(t, tm.Output(), has("Darba rindas"), teatest.WithDuration(3*time.Second))
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	if r := tm.FinalModel(t).(*Model).EndReason(); r != ReasonQuit {
		t.Errorf("end reason %q, want %q", r, ReasonQuit)
	}
}

func TestLanguageToggle_SwitchesTextAndRemembersItForTheOperator(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	if !strings.Contains(tuitest.Screen(m), "Pārskats") {
		t.Fatalf("not Latvian at start:\n%s", tuitest.Screen(m))
	}
	driver.Send(t, m, tuitest.Press(tea.KeyF2))
	view := tuitest.Screen(m)
	for _, want := range []string{"Dashboard", "Operators", "Audit log", "DB: connected", "F2 latviski"} {
		if !strings.Contains(view, want) {
			t.Errorf("after F2 the view lacks %q:\n%s", want, view)
		}
	}
	if calls := e.ops.LanguageCalls(); !slices.Equal(calls, []string{"1:en"}) {
		t.Errorf("SetOperatorLanguage calls %v, want [1:en]", calls)
	}
	// Column titles kept inside components follow the language too.
	driver.Send(t, m, tuitest.Runes("2")...)
	if view := tuitest.Screen(m); !strings.Contains(view, "User name") || strings.Contains(view, "Lietotājvārds") {
		t.Errorf("operators table not relabelled:\n%s", view)
	}
	driver.Send(t, m, tuitest.Press(tea.KeyCtrlL))
	if view := tuitest.Screen(m); !strings.Contains(view, "Lietotājvārds") {
		t.Errorf("ctrl+l did not switch back:\n%s", view)
	}
	if calls := e.ops.LanguageCalls(); !slices.Equal(calls, []string{"1:en", "1:lv"}) {
		t.Errorf("SetOperatorLanguage calls %v, want [1:en 1:lv]", calls)
	}
}

func TestOperatorsScreen_HiddenFromNonAdministrators(t *testing.T) {
	e := newEnv(t)
	reviewer := newModel(t, e, e.reviewer)
	if view := tuitest.Screen(reviewer); strings.Contains(view, "Darbinieki") || strings.Contains(view, "Audita žurnāls") {
		t.Errorf("a reviewer sees admin tabs:\n%s", view)
	}
	driver.Send(t, reviewer, tuitest.Runes("2")...)
	driver.Send(t, reviewer, tuitest.Press(tea.KeyTab))
	if !strings.Contains(tuitest.Screen(reviewer), "Darba rindas") {
		t.Errorf("a reviewer left the dashboard:\n%s", tuitest.Screen(reviewer))
	}

	sec := *e.security
	sec.Disabled, sec.Language = false, "lv"
	security := newModel(t, e, &sec)
	view := tuitest.Screen(security)
	if strings.Contains(view, "Darbinieki") || !strings.Contains(view, "2 Audita žurnāls") {
		t.Errorf("a security officer should see the audit log as screen 2 and no operators:\n%s", view)
	}

	admin := newModel(t, e, e.admin)
	if !strings.Contains(tuitest.Screen(admin), "2 Darbinieki") {
		t.Errorf("an administrator does not see the operators tab:\n%s", tuitest.Screen(admin))
	}
	// Losing the admin role while signed in hides the tab at once.
	demoted := *e.admin
	demoted.Roles = []domain.Role{domain.RoleReviewer}
	driver.Send(t, admin, tuitest.Runes("2")...)
	driver.Send(t, admin, opMsg(&demoted))
	if view := tuitest.Screen(admin); strings.Contains(view, "Darbinieki") || !strings.Contains(view, "Darba rindas") {
		t.Errorf("after losing admin the operators screen is still there:\n%s", view)
	}
}

func TestOperatorsAddForm_ShowsEveryPasswordProblemInTheOperatorsLanguage(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.LV, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			e := newEnv(t)
			admin := *e.admin
			admin.Language = string(lang)
			m := newModel(t, e, &admin)
			driver.Send(t, m, tuitest.Runes("2a")...)
			driver.Send(t, m, tuitest.Runes("maris.liepa")...)
			driver.Send(t, m, tuitest.Press(tea.KeyTab))
			driver.Send(t, m, tuitest.Runes("Māris Liepa")...)
			driver.Send(t, m, tuitest.Press(tea.KeyTab))
			driver.Send(t, m, tuitest.Runes("maris@viaa.gov.lv")...)
			driver.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeySpace)) // reviewer
			driver.Send(t, m, tuitest.Press(tea.KeyTab))
			driver.Send(t, m, tuitest.Runes("abc")...)
			driver.Send(t, m, tuitest.Press(tea.KeyTab))
			driver.Send(t, m, tuitest.Runes("abc")...)
			driver.Send(t, m, tuitest.Press(tea.KeyEnter))

			want := domain.PasswordError(domain.CheckPassword("abc", "maris.liepa"))
			if want == nil {
				t.Fatal("the domain accepts the weak password abc")
			}
			// Each problem shows under the password field. Long problems
			// wrap; compare with the whitespace squeezed.
			view := tuitest.Squeeze(tuitest.Screen(m))
			var lines []string
			for _, p := range domain.AsError(want).Problems {
				lines = append(lines, i18n.For(lang).T(p.Key, p.Args...))
			}
			if len(lines) < 3 {
				t.Fatalf("expected several problems, got %q", lines)
			}
			for _, l := range lines {
				if !strings.Contains(view, tuitest.Squeeze(l)) {
					t.Errorf("form lacks the problem %q:\n%s", l, tuitest.Screen(m))
				}
			}
			if len(e.ops.Created) != 0 {
				t.Error("an operator was created with a weak password")
			}
			tuitest.CheckFits(t, m, 80, 24, "add form with password problems")

			// A good password creates the operator and closes the form.
			driver.Send(t, m, tuitest.Press(tea.KeyShiftTab), tuitest.Press(tea.KeyCtrlU))
			driver.Send(t, m, tuitest.Runes("Zaļš-Kalns-42")...)
			driver.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyCtrlU))
			driver.Send(t, m, tuitest.Runes("Zaļš-Kalns-42")...)
			driver.Send(t, m, tuitest.Press(tea.KeyEnter))
			if len(e.ops.Created) != 1 || e.ops.Created[0].Name != "maris.liepa" || !slices.Equal(e.ops.Created[0].Roles, []domain.Role{domain.RoleReviewer}) {
				t.Fatalf("created %+v", e.ops.Created)
			}
			if view := tuitest.Screen(m); !strings.Contains(view, "maris.liepa") || strings.Contains(view, i18n.For(lang).T("tui.ops.add_title")) {
				t.Errorf("after saving the list should show the new operator:\n%s", view)
			}
		})
	}
}

func TestAudit_NextPage_AsksForEntriesBeforeTheLastRow_AndPrevGoesBack(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	driver.Send(t, m, tuitest.Runes("3")...)
	if f := e.audit.LastFilter(); f.BeforeSeq != 0 {
		t.Fatalf("first page asked BeforeSeq %d, want 0", f.BeforeSeq)
	}
	if !strings.Contains(tuitest.Screen(m), "120") {
		t.Fatalf("newest entry not shown:\n%s", tuitest.Screen(m))
	}
	driver.Send(t, m, tuitest.Runes("n")...)
	// 120 entries, 50 a page: the first page ends at Seq 71.
	if f := e.audit.LastFilter(); f.BeforeSeq != 71 {
		t.Fatalf("next page asked BeforeSeq %d, want 71 (the last row)", f.BeforeSeq)
	}
	view := tuitest.Screen(m)
	if !strings.Contains(view, "2. lapa") || !strings.Contains(view, "› 70 ") {
		t.Errorf("second page should start at 70:\n%s", view)
	}
	driver.Send(t, m, tuitest.Runes("n")...)
	if f := e.audit.LastFilter(); f.BeforeSeq != 21 {
		t.Fatalf("third page asked BeforeSeq %d, want 21", f.BeforeSeq)
	}
	calls := len(e.audit.Filters)
	driver.Send(t, m, tuitest.Runes("n")...) // no older page: nothing asked
	if len(e.audit.Filters) != calls {
		t.Error("asked for a page past the oldest entry")
	}
	driver.Send(t, m, tuitest.Runes("p")...)
	if f := e.audit.LastFilter(); f.BeforeSeq != 71 {
		t.Errorf("previous page asked BeforeSeq %d, want 71", f.BeforeSeq)
	}
	driver.Send(t, m, tuitest.Runes("p")...)
	if f := e.audit.LastFilter(); f.BeforeSeq != 0 {
		t.Errorf("first page again asked BeforeSeq %d, want 0", f.BeforeSeq)
	}
}

func TestAudit_SearchAndActionFilter_AreSentAndQDoesNotQuitWhileTyping(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	driver.Send(t, m, tuitest.Runes("3/")...)
	if quit := driver.Send(t, m, tuitest.Runes("quit")...); quit {
		t.Fatal("q quit while typing in the search field")
	}
	driver.Send(t, m, tuitest.Press(tea.KeyTab))
	driver.Send(t, m, tuitest.Runes("auth.")...)
	driver.Send(t, m, tuitest.Press(tea.KeyEnter))
	f := e.audit.LastFilter()
	if f.Text != "quit" || f.Action != "auth." || f.BeforeSeq != 0 {
		t.Errorf("filter %+v, want text quit, action auth.", f)
	}
	// Esc leaves the field; then q quits.
	driver.Send(t, m, tuitest.Runes("/")...)
	driver.Send(t, m, tuitest.Press(tea.KeyEsc))
	if quit := driver.Send(t, m, tuitest.Runes("q")...); !quit {
		t.Error("q did not quit after esc left the field")
	}
}

func TestViews_FitTheTerminal_At80x24_AndAfterResizeTo100x30(t *testing.T) {
	e := newEnv(t)
	fillQueues(e, 12345) // a count as wide as a tile gets
	e.ops.Add(&domain.Operator{Name: "ļoti.garš.lietotājvārds", FullName: strings.Repeat("Ādažu Ķēniņš ", 5), Roles: domain.Roles, Language: "lv", LockedUntil: time.Now().Add(time.Hour)})
	m := newModel(t, e, e.admin, withNow(clock))
	states := []struct {
		name string
		msgs []tea.Msg
	}{
		{"dashboard", nil},
		{"help", tuitest.Runes("?")},
		{"operators", append([]tea.Msg{tuitest.Press(tea.KeyEsc)}, tuitest.Runes("2")...)},
		{"add form", tuitest.Runes("a")},
		{"add form errors", []tea.Msg{tuitest.Press(tea.KeyCtrlS)}},
		{"keys", append([]tea.Msg{tuitest.Press(tea.KeyEsc)}, tuitest.Press(tea.KeyEnter))},
		{"audit", append([]tea.Msg{tuitest.Press(tea.KeyEsc)}, tuitest.Runes("3")...)},
		{"audit search", tuitest.Runes("/")},
		{"english", []tea.Msg{tuitest.Press(tea.KeyEsc), tuitest.Press(tea.KeyF2)}},
		{"error", []tea.Msg{errMsg(domain.Errorf(domain.EINVALID, "role.unknown", "unknown role %q", strings.Repeat("x", 200)))}},
	}
	for _, st := range states {
		driver.Send(t, m, st.msgs...)
		driver.Send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		tuitest.CheckFits(t, m, 80, 24, st.name)
		driver.Send(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
		tuitest.CheckFits(t, m, 100, 30, st.name)
	}
}

func TestColourless_SelectedRowIsStillMarked(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin) // Ascii profile
	driver.Send(t, m, tuitest.Runes("2")...)
	driver.Send(t, m, tuitest.Press(tea.KeyDown))
	view := m.View()
	if strings.Contains(view, "\x1b[") {
		t.Fatalf("colourless view has escape sequences: %q", view)
	}
	var marked []string
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, "› ") {
			marked = append(marked, l)
		}
	}
	if len(marked) != 1 || !strings.Contains(marked[0], "ilze.berzina") {
		t.Errorf("want exactly the second operator marked, got %q:\n%s", marked, view)
	}

	// With colour the selected row is also in reverse video.
	c := newModel(t, e, e.admin, withProfile(termenv.ANSI))
	driver.Send(t, c, tuitest.Runes("2")...)
	if !strings.Contains(c.View(), "\n\x1b[1;7m› anna.kalnina") {
		t.Errorf("16-colour view has no reverse video on the selected row: %q", c.View())
	}
}

func TestInactivity_EndsSessionAfterTheDeadline_KeysPostponeIt(t *testing.T) {
	e := newEnv(t)
	now := fixedNow
	m := newModel(t, e, e.reviewer, withNow(func() time.Time { return now }))

	now = now.Add(14 * time.Minute)
	driver.Send(t, m, tuitest.Runes("r")...) // a key press at 14 min
	now = now.Add(10 * time.Minute)
	_, cmd := m.Update(idleCheckMsg{})
	if m.EndReason() != "" || cmd == nil {
		t.Fatalf("ended 10 min after the last key (reason %q)", m.EndReason())
	}
	now = now.Add(5 * time.Minute)
	_, cmd = m.Update(idleCheckMsg{})
	if m.EndReason() != ReasonIdle {
		t.Fatalf("end reason %q after 15 min without keys, want idle", m.EndReason())
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("the program was not told to quit")
	}
}

func TestInactivity_RunningProgramQuitsWithoutKeyPresses(t *testing.T) {
	e := newEnv(t)
	// The timer Init arms is all that ends it: no key, no message.
	m := newModel(t, e, e.reviewer, withIdle(300*time.Millisecond), withClockNow(e))
	if quit := tuitest.Advance(t, m, e.clock, 299*time.Millisecond); quit || m.EndReason() != "" {
		t.Fatalf("ended before the deadline (reason %q)", m.EndReason())
	}
	if quit := tuitest.Advance(t, m, e.clock, time.Millisecond); !quit {
		t.Error("the program was not told to quit at the deadline")
	}
	if r := m.EndReason(); r != ReasonIdle {
		t.Errorf("end reason %q, want idle", r)
	}
}

func TestUnavailableDatabase_ShowsReconnecting_AndTheScreenWorksOnceItIsBack(t *testing.T) {
	e := newEnv(t)
	fillQueues(e, 12)
	e.dash.FailNext("QueueTiles", domain.Errorf(domain.EUNAVAILABLE, "", "database down"))
	m := newModel(t, e, e.reviewer)
	view := tuitest.Screen(m)
	if !strings.Contains(view, "DB: atjauno savienojumu…") || !strings.Contains(view, "atjauno savienojumu") {
		t.Fatalf("no reconnecting state:\n%s", view)
	}
	driver.Send(t, m, changeMsg{Topic: "db", ID: "up"})
	view = tuitest.Screen(m)
	if !strings.Contains(view, "DB: savienots") || !strings.Contains(view, "12 gaida") || strings.Contains(view, "Datubāze nav pieejama") {
		t.Errorf("screen did not recover after the database came back:\n%s", view)
	}
}

func TestServiceError_IsShownInTheOperatorsLanguage(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	driver.Send(t, m, tuitest.Runes("2")...)
	driver.Send(t, m, tuitest.Runes("d")...) // the selected operator is anna.kalnina
	driver.Send(t, m, tuitest.Press(tea.KeyEnter))
	if !strings.Contains(tuitest.Screen(m), "Norādiet iemeslu.") {
		t.Errorf("empty reason accepted:\n%s", tuitest.Screen(m))
	}
	e.ops.Err = domain.Errorf(domain.EFORBIDDEN, "", "forbidden")
	driver.Send(t, m, tuitest.Runes("atvaļinājums beidzies")...)
	driver.Send(t, m, tuitest.Press(tea.KeyEnter))
	if !strings.Contains(tuitest.Screen(m), "Jums nav tiesību to darīt.") {
		t.Errorf("forbidden not shown in Latvian:\n%s", tuitest.Screen(m))
	}
	e.ops.Err = nil
	driver.Send(t, m, tuitest.Press(tea.KeyEnter))
	if len(e.ops.Disabled) != 1 {
		t.Fatalf("SetOperatorDisabled calls %v", e.ops.Disabled)
	}
	if !strings.Contains(tuitest.Screen(m), "anna.kalnina iespējots") {
		t.Errorf("success not reported:\n%s", tuitest.Screen(m))
	}
}

// TestTabs_TooManyForTheWidth_ShrinkButKeepEveryNumber proves that an
// operator with more screens than the line holds still sees every
// screen's key and the active screen's name, within the width.
func TestTabs_TooManyForTheWidth_ShrinkButKeepEveryNumber(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin, withSize(34, 24))
	lines := strings.Split(tuitest.Screen(m), "\n")
	var tabs string
	for _, l := range lines {
		if strings.Contains(l, "[1 Pārskats]") {
			tabs = l
		}
		if w := ansi.StringWidth(l); w > 34 {
			t.Errorf("line %q is %d wide, over 34", l, w)
		}
	}
	if tabs == "" {
		t.Fatalf("the active tab's name is missing:\n%s", tuitest.Screen(m))
	}
	for _, n := range []string{" 2", " 3"} {
		if !strings.Contains(tabs, n) {
			t.Errorf("tab key%s missing from %q", n, tabs)
		}
	}
	if strings.Contains(tabs, "Audita žurnāls") {
		t.Errorf("tabs were not shortened at 34 columns: %q", tabs)
	}
}
