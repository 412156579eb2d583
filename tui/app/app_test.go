package app

import (
	"github.com/charmbracelet/x/ansi"
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
	if strings.Contains(plain(m), "Visos ekrānos") {
		t.Fatal("help overlay shown before ?")
	}
	send(t, m, keys("?")...)
	view := plain(m)
	for _, want := range []string{"Palīdzība — Pārskats", "Visos ekrānos", "nākamais ekrāns", "r atjaunot"} {
		if !strings.Contains(view, want) {
			t.Errorf("overlay lacks %q:\n%s", want, view)
		}
	}
	send(t, m, press(tea.KeyEsc))
	if strings.Contains(plain(m), "Visos ekrānos") {
		t.Error("esc did not close the overlay")
	}
	// The overlay lists the keys of the screen it was opened on.
	send(t, m, keys("3?")...)
	if view := plain(m); !strings.Contains(view, "Palīdzība — Audita žurnāls") || !strings.Contains(view, "vecāki ieraksti") {
		t.Errorf("overlay on the audit screen lacks its keys:\n%s", view)
	}
	send(t, m, keys("?")...)
	if strings.Contains(plain(m), "Visos ekrānos") {
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
	if !strings.Contains(plain(m), "Pārskats") {
		t.Fatalf("not Latvian at start:\n%s", plain(m))
	}
	send(t, m, press(tea.KeyF2))
	view := plain(m)
	for _, want := range []string{"Dashboard", "Operators", "Audit log", "DB: connected", "F2 latviski"} {
		if !strings.Contains(view, want) {
			t.Errorf("after F2 the view lacks %q:\n%s", want, view)
		}
	}
	if calls := e.ops.LanguageCalls(); !slices.Equal(calls, []string{"1:en"}) {
		t.Errorf("SetOperatorLanguage calls %v, want [1:en]", calls)
	}
	// Column titles kept inside components follow the language too.
	send(t, m, keys("2")...)
	if view := plain(m); !strings.Contains(view, "User name") || strings.Contains(view, "Lietotājvārds") {
		t.Errorf("operators table not relabelled:\n%s", view)
	}
	send(t, m, press(tea.KeyCtrlL))
	if view := plain(m); !strings.Contains(view, "Lietotājvārds") {
		t.Errorf("ctrl+l did not switch back:\n%s", view)
	}
	if calls := e.ops.LanguageCalls(); !slices.Equal(calls, []string{"1:en", "1:lv"}) {
		t.Errorf("SetOperatorLanguage calls %v, want [1:en 1:lv]", calls)
	}
}

func TestOperatorsScreen_HiddenFromNonAdministrators(t *testing.T) {
	e := newEnv(t)
	reviewer := newModel(t, e, e.reviewer)
	if view := plain(reviewer); strings.Contains(view, "Darbinieki") || strings.Contains(view, "Audita žurnāls") {
		t.Errorf("a reviewer sees admin tabs:\n%s", view)
	}
	send(t, reviewer, keys("2")...)
	send(t, reviewer, press(tea.KeyTab))
	if !strings.Contains(plain(reviewer), "Darba rindas") {
		t.Errorf("a reviewer left the dashboard:\n%s", plain(reviewer))
	}

	sec := *e.security
	sec.Disabled, sec.Language = false, "lv"
	security := newModel(t, e, &sec)
	view := plain(security)
	if strings.Contains(view, "Darbinieki") || !strings.Contains(view, "2 Audita žurnāls") {
		t.Errorf("a security officer should see the audit log as screen 2 and no operators:\n%s", view)
	}

	admin := newModel(t, e, e.admin)
	if !strings.Contains(plain(admin), "2 Darbinieki") {
		t.Errorf("an administrator does not see the operators tab:\n%s", plain(admin))
	}
	// Losing the admin role while signed in hides the tab at once.
	demoted := *e.admin
	demoted.Roles = []domain.Role{domain.RoleReviewer}
	send(t, admin, keys("2")...)
	send(t, admin, opMsg(&demoted))
	if view := plain(admin); strings.Contains(view, "Darbinieki") || !strings.Contains(view, "Darba rindas") {
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
			send(t, m, keys("2a")...)
			send(t, m, keys("maris.liepa")...)
			send(t, m, press(tea.KeyTab))
			send(t, m, keys("Māris Liepa")...)
			send(t, m, press(tea.KeyTab))
			send(t, m, keys("maris@viaa.gov.lv")...)
			send(t, m, press(tea.KeyTab), press(tea.KeySpace)) // reviewer
			send(t, m, press(tea.KeyTab))
			send(t, m, keys("abc")...)
			send(t, m, press(tea.KeyTab))
			send(t, m, keys("abc")...)
			send(t, m, press(tea.KeyEnter))

			want := domain.PasswordError(domain.CheckPassword("abc", "maris.liepa"))
			if want == nil {
				t.Fatal("the domain accepts the weak password abc")
			}
			// Long problems wrap; compare with the whitespace squeezed.
			view := squeeze(plain(m))
			lines := strings.Split(i18n.For(lang).Err(want), "\n")
			if len(lines) < 3 {
				t.Fatalf("expected several problems, got %q", lines)
			}
			for _, l := range lines {
				if !strings.Contains(view, squeeze(l)) {
					t.Errorf("form lacks the problem %q:\n%s", l, plain(m))
				}
			}
			if len(e.ops.Created) != 0 {
				t.Error("an operator was created with a weak password")
			}
			checkFits(t, m, 80, 24, "add form with password problems")

			// A good password creates the operator and closes the form.
			send(t, m, press(tea.KeyShiftTab), press(tea.KeyCtrlU))
			send(t, m, keys("Zaļš-Kalns-42")...)
			send(t, m, press(tea.KeyTab), press(tea.KeyCtrlU))
			send(t, m, keys("Zaļš-Kalns-42")...)
			send(t, m, press(tea.KeyEnter))
			if len(e.ops.Created) != 1 || e.ops.Created[0].Name != "maris.liepa" || !slices.Equal(e.ops.Created[0].Roles, []domain.Role{domain.RoleReviewer}) {
				t.Fatalf("created %+v", e.ops.Created)
			}
			if view := plain(m); !strings.Contains(view, "maris.liepa") || strings.Contains(view, i18n.For(lang).T("tui.ops.add_title")) {
				t.Errorf("after saving the list should show the new operator:\n%s", view)
			}
		})
	}
}

func TestAudit_NextPage_AsksForEntriesBeforeTheLastRow_AndPrevGoesBack(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	send(t, m, keys("3")...)
	if f := e.audit.LastFilter(); f.BeforeSeq != 0 {
		t.Fatalf("first page asked BeforeSeq %d, want 0", f.BeforeSeq)
	}
	if !strings.Contains(plain(m), "120") {
		t.Fatalf("newest entry not shown:\n%s", plain(m))
	}
	send(t, m, keys("n")...)
	// 120 entries, 50 a page: the first page ends at Seq 71.
	if f := e.audit.LastFilter(); f.BeforeSeq != 71 {
		t.Fatalf("next page asked BeforeSeq %d, want 71 (the last row)", f.BeforeSeq)
	}
	view := plain(m)
	if !strings.Contains(view, "2. lapa") || !strings.Contains(view, "› 70 ") {
		t.Errorf("second page should start at 70:\n%s", view)
	}
	send(t, m, keys("n")...)
	if f := e.audit.LastFilter(); f.BeforeSeq != 21 {
		t.Fatalf("third page asked BeforeSeq %d, want 21", f.BeforeSeq)
	}
	calls := len(e.audit.Filters)
	send(t, m, keys("n")...) // no older page: nothing asked
	if len(e.audit.Filters) != calls {
		t.Error("asked for a page past the oldest entry")
	}
	send(t, m, keys("p")...)
	if f := e.audit.LastFilter(); f.BeforeSeq != 71 {
		t.Errorf("previous page asked BeforeSeq %d, want 71", f.BeforeSeq)
	}
	send(t, m, keys("p")...)
	if f := e.audit.LastFilter(); f.BeforeSeq != 0 {
		t.Errorf("first page again asked BeforeSeq %d, want 0", f.BeforeSeq)
	}
}

func TestAudit_SearchAndActionFilter_AreSentAndQDoesNotQuitWhileTyping(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	send(t, m, keys("3/")...)
	if r := send(t, m, keys("quit")...); r.quit {
		t.Fatal("q quit while typing in the search field")
	}
	send(t, m, press(tea.KeyTab))
	send(t, m, keys("auth.")...)
	send(t, m, press(tea.KeyEnter))
	f := e.audit.LastFilter()
	if f.Text != "quit" || f.Action != "auth." || f.BeforeSeq != 0 {
		t.Errorf("filter %+v, want text quit, action auth.", f)
	}
	// Esc leaves the field; then q quits.
	send(t, m, keys("/")...)
	send(t, m, press(tea.KeyEsc))
	if r := send(t, m, keys("q")...); !r.quit {
		t.Error("q did not quit after esc left the field")
	}
}

func TestViews_FitTheTerminal_At80x24_AndAfterResizeTo100x30(t *testing.T) {
	e := newEnv(t)
	tiles := sampleTiles()
	for i := range 10 {
		tiles = append(tiles, domain.QueueTile{Queue: strings.Repeat("garš_rindas_nosaukums_", i%3+1), Count: int64(i * 1000), Oldest: fixedNow.Add(-time.Duration(i) * 100 * time.Hour)})
	}
	e.dash.Set(tiles, nil)
	e.ops.Add(&domain.Operator{Name: "ļoti.garš.lietotājvārds", FullName: strings.Repeat("Ādažu Ķēniņš ", 5), Roles: domain.Roles, Language: "lv", LockedUntil: time.Now().Add(time.Hour)})
	m := newModel(t, e, e.admin, withNow(clock))
	states := []struct {
		name string
		msgs []tea.Msg
	}{
		{"dashboard", nil},
		{"help", keys("?")},
		{"operators", append([]tea.Msg{press(tea.KeyEsc)}, keys("2")...)},
		{"add form", keys("a")},
		{"add form errors", []tea.Msg{press(tea.KeyCtrlS)}},
		{"keys", append([]tea.Msg{press(tea.KeyEsc)}, press(tea.KeyEnter))},
		{"audit", append([]tea.Msg{press(tea.KeyEsc)}, keys("3")...)},
		{"audit search", keys("/")},
		{"english", []tea.Msg{press(tea.KeyEsc), press(tea.KeyF2)}},
		{"error", []tea.Msg{errMsg(domain.Errorf(domain.EINVALID, "role.unknown", "unknown role %q", strings.Repeat("x", 200)))}},
	}
	for _, st := range states {
		send(t, m, st.msgs...)
		send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		checkFits(t, m, 80, 24, st.name)
		send(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
		checkFits(t, m, 100, 30, st.name)
	}
}

func TestColourless_SelectedRowIsStillMarked(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin) // Ascii profile
	send(t, m, keys("2")...)
	send(t, m, press(tea.KeyDown))
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
	send(t, c, keys("2")...)
	if !strings.Contains(c.View(), "\n\x1b[1;7m› anna.kalnina") {
		t.Errorf("16-colour view has no reverse video on the selected row: %q", c.View())
	}
}

func TestInactivity_EndsSessionAfterTheDeadline_KeysPostponeIt(t *testing.T) {
	e := newEnv(t)
	now := fixedNow
	m := newModel(t, e, e.reviewer, withNow(func() time.Time { return now }))

	now = now.Add(14 * time.Minute)
	send(t, m, keys("r")...) // a key press at 14 min
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
	m := newModel(t, e, e.reviewer, withIdle(300*time.Millisecond))
	start := time.Now()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if r := tm.FinalModel(t).(*Model).EndReason(); r != ReasonIdle {
		t.Errorf("end reason %q, want idle", r)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("quit after %v, before the deadline", d)
	}
}

func TestUnavailableDatabase_ShowsReconnecting_AndTheScreenWorksOnceItIsBack(t *testing.T) {
	e := newEnv(t)
	e.dash.Set(nil, domain.Errorf(domain.EUNAVAILABLE, "", "database down"))
	m := newModel(t, e, e.reviewer)
	view := plain(m)
	if !strings.Contains(view, "DB: atjauno savienojumu…") || !strings.Contains(view, "atjauno savienojumu") {
		t.Fatalf("no reconnecting state:\n%s", view)
	}
	e.dash.Set(sampleTiles(), nil)
	send(t, m, changeMsg{Topic: "db", ID: "up"})
	view = plain(m)
	if !strings.Contains(view, "DB: savienots") || !strings.Contains(view, "12 gaida") || strings.Contains(view, "Datubāze nav pieejama") {
		t.Errorf("screen did not recover after the database came back:\n%s", view)
	}
}

func TestServiceError_IsShownInTheOperatorsLanguage(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	send(t, m, keys("2")...)
	send(t, m, keys("d")...) // the selected operator is anna.kalnina
	send(t, m, press(tea.KeyEnter))
	if !strings.Contains(plain(m), "Norādiet iemeslu.") {
		t.Errorf("empty reason accepted:\n%s", plain(m))
	}
	e.ops.Err = domain.Errorf(domain.EFORBIDDEN, "", "forbidden")
	send(t, m, keys("atvaļinājums beidzies")...)
	send(t, m, press(tea.KeyEnter))
	if !strings.Contains(plain(m), "Jums nav tiesību to darīt.") {
		t.Errorf("forbidden not shown in Latvian:\n%s", plain(m))
	}
	e.ops.Err = nil
	send(t, m, press(tea.KeyEnter))
	if len(e.ops.Disabled) != 1 {
		t.Fatalf("SetOperatorDisabled calls %v", e.ops.Disabled)
	}
	if !strings.Contains(plain(m), "anna.kalnina iespējots") {
		t.Errorf("success not reported:\n%s", plain(m))
	}
}

// TestTabs_TooManyForTheWidth_ShrinkButKeepEveryNumber proves that an
// operator with more screens than the line holds still sees every
// screen's key and the active screen's name, within the width.
func TestTabs_TooManyForTheWidth_ShrinkButKeepEveryNumber(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin, withSize(34, 24))
	lines := strings.Split(plain(m), "\n")
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
		t.Fatalf("the active tab's name is missing:\n%s", plain(m))
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
