package app

import (
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// everyRoleAt80x24 returns the session of an operator with every role and
// every service (thirteen screens: all but the security officers' incident
// screen, whose tickets the helpdesk's screen shows them) on the classic
// terminal.
func everyRoleAt80x24(t testing.TB, lang string) *Model {
	t.Helper()
	m := newEveryScreenModel(t, lang, false)
	driver.Send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if len(m.tabs) != len(screens)-1 {
		t.Fatalf("the operator with every role sees %d screens, want all %d but incidents", len(m.tabs), len(screens)-1)
	}
	return m
}

// tabLine returns the line of the tabs.
func tabLine(t *testing.T, m *Model) string {
	t.Helper()
	for _, l := range strings.Split(tuitest.Screen(m), "\n") {
		if strings.Contains(l, "[") && strings.Contains(l, "]") && strings.HasSuffix(strings.TrimSpace(l), strings.ToUpper(string(m.Language()))) {
			return l
		}
	}
	t.Fatalf("no tab line:\n%s", tuitest.Screen(m))
	return ""
}

// TestTabs_EveryRoleAt80x24_ActiveWholeNeighboursShort_OverflowMarked
// proves that with all twelve screens the tab bar stays readable at 80
// columns in both languages: whichever screen is open, its number and
// whole name are there in brackets, its neighbours' numbers and short
// names beside it, and "…" on each side where screens are left out.
func TestTabs_EveryRoleAt80x24_ActiveWholeNeighboursShort_OverflowMarked(t *testing.T) {
	for _, lang := range []string{"lv", "en"} {
		t.Run(lang, func(t *testing.T) {
			m := everyRoleAt80x24(t, lang)
			cat := i18n.For(i18n.Lang(lang))
			for i := range m.tabs {
				if i > 0 {
					driver.Send(t, m, tuitest.Press(tea.KeyTab))
				}
				line := tabLine(t, m)
				want := "[" + strconv.Itoa(i+1) + " " + cat.T(m.tabs[i].title) + "]"
				if !strings.Contains(line, want) {
					t.Errorf("screen %d: the tab line lacks %q: %q", i+1, want, line)
				}
				for _, n := range []int{i - 1, i + 1} {
					if n < 0 || n >= len(m.tabs) {
						continue
					}
					short := cat.T(m.tabs[n].title)
					if m.tabs[n].short != "" {
						short = cat.T(m.tabs[n].short)
					}
					if want := strconv.Itoa(n+1) + " " + short; !strings.Contains(line, want) {
						t.Errorf("screen %d: the neighbour %q is missing: %q", i+1, want, line)
					}
				}
				shown := 0
				for n := range m.tabs {
					if strings.Contains(line, strconv.Itoa(n+1)+" ") {
						shown++
					}
				}
				if shown < 6 {
					t.Errorf("screen %d: only %d tabs shown at 80 columns: %q", i+1, shown, line)
				}
				body := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), strings.ToUpper(lang)))
				first := strings.HasPrefix(body, "1 ") || strings.HasPrefix(body, "[1 ")
				last := strings.Contains(body, strconv.Itoa(len(m.tabs))+" ")
				if first == strings.HasPrefix(body, "…") {
					t.Errorf("screen %d: the first tab shown %v, the mark on the left %v: %q", i+1, first, !first, line)
				}
				if last == strings.HasSuffix(body, "…") {
					t.Errorf("screen %d: the last tab shown %v, the mark on the right %v: %q", i+1, last, !last, line)
				}
				if footer := lastLine(m); !strings.Contains(footer, ": "+cat.T("tui.key.jump")) {
					t.Errorf("screen %d: the footer does not name the jump list: %q", i+1, footer)
				}
				tuitest.CheckFits(t, m, 80, 24, "screen "+strconv.Itoa(i+1))
			}
		})
	}
}

func lastLine(m *Model) string {
	lines := strings.Split(tuitest.Screen(m), "\n")
	return lines[len(lines)-1]
}

// TestFooter_NamesTheJumpListOnlyWhenScreensAreOutOfReach proves that an
// operator whose screens all show in the tab bar keeps the footer's room
// for the page's keys.
func TestFooter_NamesTheJumpListOnlyWhenScreensAreOutOfReach(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.reviewer)
	if footer := lastLine(m); strings.Contains(footer, ": ekrāni") {
		t.Errorf("a reviewer with every screen in view is shown the jump list's key: %q", footer)
	}
	driver.Send(t, m, tuitest.Runes(":")...)
	if m.jump == nil {
		t.Error("the jump list does not open for an operator with few screens")
	}
}

// TestTabs_ScrollOnlyAsFarAsTheActiveTabNeeds proves that moving along the
// tabs keeps the ones on view where they are until the active tab leaves
// the line, rather than recentring it at every step.
func TestTabs_ScrollOnlyAsFarAsTheActiveTabNeeds(t *testing.T) {
	m := everyRoleAt80x24(t, "lv")
	if m.tabScroll != 0 {
		t.Fatalf("starts scrolled to %d", m.tabScroll)
	}
	driver.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyTab))
	if m.tabScroll != 0 {
		t.Errorf("on screen 3 the line scrolled to %d: %q", m.tabScroll, tabLine(t, m))
	}
	for range len(m.tabs) - 3 {
		driver.Send(t, m, tuitest.Press(tea.KeyTab))
	}
	if lastTab := "[" + strconv.Itoa(len(m.tabs)) + " "; !strings.Contains(tabLine(t, m), lastTab) || m.tabScroll == 0 {
		t.Fatalf("the last screen not in view: %q", tabLine(t, m))
	}
	lo, hi, _ := m.tabWindow(m.tabScroll)
	driver.Send(t, m, tuitest.Press(tea.KeyShiftTab))
	// One step back does not recentre the line: the last tab stays in
	// view. (The first may go: the tab now active shows its whole name,
	// which may need the room.)
	if lo2, hi2, _ := m.tabWindow(m.tabScroll); hi2 != hi || lo2 > m.active-1 {
		t.Errorf("one step back moved the tabs in view from %d…%d to %d…%d: %q", lo, hi, lo2, hi2, tabLine(t, m))
	}
	for range 2 { // to the last screen, then around to screen 1
		driver.Send(t, m, tuitest.Press(tea.KeyTab))
	}
	if line := tabLine(t, m); !strings.Contains(line, "[1 ") || strings.HasPrefix(line, "…") {
		t.Errorf("back on screen 1 the line does not start at it: %q", line)
	}
}

// jumpTo opens the jump list, types q and presses enter.
func jumpTo(t *testing.T, m *Model, q string) {
	t.Helper()
	driver.Send(t, m, tuitest.Runes(":")...)
	if m.jump == nil {
		t.Fatalf("\":\" did not open the jump list:\n%s", tuitest.Screen(m))
	}
	driver.Send(t, m, tuitest.Runes(q)...)
	driver.Send(t, m, tuitest.Press(tea.KeyEnter))
	if m.jump != nil {
		t.Fatalf("enter did not close the jump list (query %q):\n%s", q, tuitest.Screen(m))
	}
}

// activeTitle returns the catalog key of the screen on view.
func activeTitle(m *Model) string { return m.tabs[m.active].title }

// TestJumpList_ReachesEveryScreen_ByPartOfItsNameInEitherLanguage proves
// that every screen of an operator with every role, the tenth to the
// twelfth too (no number key reaches them), opens from the jump list by
// a part of its name typed without diacritics, in the session's language
// or the other.
func TestJumpList_ReachesEveryScreen_ByPartOfItsNameInEitherLanguage(t *testing.T) {
	for _, lang := range []string{"lv", "en"} {
		t.Run(lang, func(t *testing.T) {
			m := everyRoleAt80x24(t, lang)
			for _, name := range []i18n.Lang{i18n.LV, i18n.EN} {
				cat := i18n.For(name)
				for i := range m.tabs {
					want := m.tabs[i].title
					// The whole name, folded: it may be a prefix of
					// another screen's ("IMK" and "IMK politika"), and
					// the name itself ranks first.
					q := fold(cat.T(want))
					// Start elsewhere, so that staying put cannot pass.
					driver.Send(t, m, tuitest.Press(tea.KeyTab))
					jumpTo(t, m, q)
					if got := activeTitle(m); got != want {
						t.Errorf("%q (%s name of screen %d) opened %s, want %s", q, name, i+1, got, want)
					}
					tuitest.CheckFits(t, m, 80, 24, q)
				}
			}
		})
	}
}

// TestJumpList_FindsByPartsWithoutDiacritics_TileNamesAndNumbers proves
// the ways an operator finds a screen: a part of a Latvian name with or
// without its diacritics, a dashboard tile's name ("palid" finds the
// helpdesk by its tile "Palīdzības dienests"), a number beyond 9, and the
// arrows.
func TestJumpList_FindsByPartsWithoutDiacritics_TileNamesAndNumbers(t *testing.T) {
	m := everyRoleAt80x24(t, "lv")
	for _, tc := range []struct{ q, want string }{
		{"palid", "tui.tab.helpdesk"},
		{"Palīdz", "tui.tab.helpdesk"},
		{"zurn", "tui.tab.audit"},
		{"žurnāl", "tui.tab.audit"},
		{"bridin", "tui.tab.alerts"},
		{"PAZIŅ", "tui.tab.announcements"},
		{"sign", "tui.tab.signins"},
		{"politika", "tui.tab.policy"},
		{"11", "tui.tab.signins"},
		{"12", "tui.tab.policy"},
		{"10", "tui.tab.alerts"},
		{"1", "tui.tab.dashboard"},
	} {
		jumpTo(t, m, tc.q)
		if got := activeTitle(m); got != tc.want {
			t.Errorf("%q opened %s, want %s", tc.q, got, tc.want)
		}
	}
	// "palid" shows why it found the helpdesk: the tile's name.
	driver.Send(t, m, tuitest.Runes(":palid")...)
	tuitest.MustShow(t, m, "4 Pieprasījumi — Palīdzības dienests")
	driver.Send(t, m, tuitest.Press(tea.KeyEsc))

	// The arrows move through the list, which opens on the screen on view.
	jumpTo(t, m, "")
	if got := activeTitle(m); got != "tui.tab.dashboard" {
		t.Errorf("\":\" and enter moved from the dashboard to %s", got)
	}
	driver.Send(t, m, tuitest.Runes(":")...)
	driver.Send(t, m, tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyUp), tuitest.Press(tea.KeyDown))
	driver.Send(t, m, tuitest.Press(tea.KeyEnter))
	if got := activeTitle(m); got != "tui.tab.imk" {
		t.Errorf("two down from the dashboard opened %s, want the third screen", got)
	}

	// Esc closes it where it was; a query that finds nothing says so and
	// enter does nothing.
	driver.Send(t, m, tuitest.Runes(":audit")...)
	driver.Send(t, m, tuitest.Press(tea.KeyEsc))
	if m.jump != nil || activeTitle(m) != "tui.tab.imk" {
		t.Errorf("esc: jump list open %v, screen %s", m.jump != nil, activeTitle(m))
	}
	driver.Send(t, m, tuitest.Runes(":qqq")...)
	tuitest.MustShow(t, m, "Neviens ekrāns neatbilst.")
	driver.Send(t, m, tuitest.Press(tea.KeyEnter))
	if m.jump == nil || activeTitle(m) != "tui.tab.imk" {
		t.Errorf("enter on an empty list: jump list open %v, screen %s", m.jump != nil, activeTitle(m))
	}
	driver.Send(t, m, tuitest.Press(tea.KeyEsc))
}

// TestJumpList_View_At80x24_InLatvianAndEnglish proves that the list of all
// the screens fits the classic terminal (scrolling when they outnumber its
// rows), marks the chosen one, says its
// keys in the footer, and follows a language switch while open.
func TestJumpList_View_At80x24_InLatvianAndEnglish(t *testing.T) {
	for _, lang := range []string{"lv", "en"} {
		t.Run(lang, func(t *testing.T) {
			m := everyRoleAt80x24(t, lang)
			cat := i18n.For(i18n.Lang(lang))
			driver.Send(t, m, tuitest.Runes(":")...)
			tuitest.CheckFits(t, m, 80, 24, "jump list")
			tuitest.MustShow(t, m, cat.T("tui.jump.title"), cat.T("tui.jump.key.go"))
			if s := tuitest.Squeezed(m); !strings.Contains(s, "› 1 "+cat.T("tui.tab.dashboard")) {
				t.Errorf("the screen on view is not marked:\n%s", tuitest.Screen(m))
			}
			// As many as the box holds, from the first; moving down
			// brings the rest into view, down to the last.
			shown := 0
			for i := range m.tabs {
				if !strings.Contains(tuitest.Squeezed(m), strconv.Itoa(i+1)+" "+cat.T(m.tabs[i].title)) {
					break
				}
				shown++
			}
			if shown < min(len(m.tabs), 12) {
				t.Errorf("the jump list shows %d of %d screens from the first:\n%s", shown, len(m.tabs), tuitest.Screen(m))
			}
			for range len(m.tabs) - 1 {
				driver.Send(t, m, tuitest.Press(tea.KeyDown))
			}
			last := len(m.tabs) - 1
			tuitest.MustShow(t, m, strconv.Itoa(last+1)+" "+cat.T(m.tabs[last].title))
			for range len(m.tabs) - 1 {
				driver.Send(t, m, tuitest.Press(tea.KeyUp))
			}
			driver.Send(t, m, tuitest.Press(tea.KeyF2))
			other := i18n.For(i18n.EN)
			if lang == "en" {
				other = i18n.For(i18n.LV)
			}
			if m.jump == nil {
				t.Fatal("the language switch closed the jump list")
			}
			tuitest.MustShow(t, m, other.T("tui.jump.title"), "12 "+other.T("tui.tab.policy"))
			tuitest.CheckFits(t, m, 80, 24, "jump list after F2")
		})
	}
}

// TestJumpList_ColonWhileTyping_BelongsToTheField proves that ":" typed
// into a search or a form goes into the field and opens nothing, and that
// the list opens again once the field has let go.
func TestJumpList_ColonWhileTyping_BelongsToTheField(t *testing.T) {
	m := everyRoleAt80x24(t, "lv")
	for _, keys := range []string{"2 /", "8 a", "9 /"} {
		driver.Send(t, m, keysOf(keys)...)
		if !typingHere(m) {
			t.Fatalf("%q: no field has the focus", keys)
		}
		driver.Send(t, m, tuitest.Runes("a:b")...)
		if m.jump != nil {
			t.Fatalf("%q: \":\" opened the jump list while typing", keys)
		}
		tuitest.MustShow(t, m, "a:b")
		driver.Send(t, m, tuitest.Press(tea.KeyEsc))
		if typingHere(m) {
			driver.Send(t, m, tuitest.Press(tea.KeyEsc))
		}
	}
	driver.Send(t, m, tuitest.Press(tea.KeyCtrlP))
	if m.jump == nil {
		t.Fatalf("ctrl+p did not open the jump list once no field had the focus:\n%s", tuitest.Screen(m))
	}
}

// TestJumpList_RolesChangeWhileOpen_ListFollows proves that the list
// never points at a screen the operator has just lost.
func TestJumpList_RolesChangeWhileOpen_ListFollows(t *testing.T) {
	m := everyRoleAt80x24(t, "lv")
	driver.Send(t, m, tuitest.Runes(":")...)
	for range 11 {
		driver.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	op := *m.Operator()
	op.Roles = []domain.Role{domain.RoleHelpdesk}
	driver.Send(t, m, common.OperatorMsg{Operator: &op})
	tuitest.CheckFits(t, m, 80, 24, "jump list after the roles changed")
	tuitest.MustNotShow(t, m, "IMK politika", "Audita žurnāls")
	driver.Send(t, m, tuitest.Press(tea.KeyEnter))
	if m.active >= len(m.tabs) {
		t.Fatalf("active tab %d of %d", m.active, len(m.tabs))
	}
}

// TestHelpOverlay_ListsTheScreensWithTheirNumbers proves that the help
// overlay names the operator's screens with their numbers and the jump
// list's key.
func TestHelpOverlay_ListsTheScreensWithTheirNumbers(t *testing.T) {
	m := everyRoleAt80x24(t, "en")
	driver.Send(t, m, tuitest.Runes("?")...)
	tuitest.MustShow(t, m, "Screens", "1 Dashboard", "10 Alerts", "12 IMK policy", ":/ctrl+p")
	tuitest.CheckFits(t, m, 80, 24, "help")
}

// TestScreens_TableDecidesWhoSeesWhat proves the screens table's rules
// for each role alone, and that a missing service hides its screens.
func TestScreens_TableDecidesWhoSeesWhat(t *testing.T) {
	full := newEveryScreenModel(t, "lv", false).c.Services
	names := func(svc common.Services, roles ...domain.Role) string {
		var out []string
		for _, s := range visibleScreens(&domain.Operator{Roles: roles}, &svc) {
			out = append(out, string(s.id))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		role domain.Role
		want string
	}{
		{domain.RoleReviewer, "dashboard rolerequests imk signins people institutions reverification bulk"},
		{domain.RoleHelpdesk, "dashboard helpdesk signins people"},
		{domain.RoleEditor, "dashboard terms announcements signins policy"},
		// Incident tickets (¶25, ¶17.5) last: the other screens keep their numbers.
		{domain.RoleSecurity, "dashboard denials audit alerts signins incidents people institutions sanctions mergeconflicts bulk reports"},
		{domain.RoleAdmin, "dashboard operators audit signins policy people institutions mergeconflicts reports"},
	} {
		if got := names(full, tc.role); got != tc.want {
			t.Errorf("%s sees %q, want %q", tc.role, got, tc.want)
		}
	}
	if got, want := names(full, domain.Roles...), "dashboard rolerequests imk helpdesk terms announcements denials operators audit alerts signins policy people institutions reverification sanctions mergeconflicts bulk reports"; got != want {
		t.Errorf("every role sees %q, want %q (the order operators know)", got, want)
	}
	bare := full
	bare.IMK, bare.Defence, bare.Policy, bare.Institutions, bare.Sanctions, bare.People, bare.Bulk, bare.Reports = nil, nil, nil, nil, nil, nil, nil, nil
	if got, want := names(bare, domain.Roles...), "dashboard rolerequests helpdesk terms announcements denials operators audit reverification mergeconflicts"; got != want {
		t.Errorf("without IMK, Defence, Policy, Institutions, Sanctions, People, Bulk and Reports: %q, want %q", got, want)
	}
	if w := ansi.StringWidth(tabLine(t, everyRoleAt80x24(t, "lv"))); w > 80 {
		t.Errorf("tab line %d wide", w)
	}
}

// BenchmarkTabBar_EveryRoleAt80 measures what the tab bar costs a key
// press with twelve screens: finding the window (every Update) and
// drawing the line (every View).
func BenchmarkTabBar_EveryRoleAt80(b *testing.B) {
	m := everyRoleAt80x24(b, "lv")
	m.active = 8
	b.ReportAllocs()
	for b.Loop() {
		m.tabScroll = m.scrollTabs()
		_ = m.tabsView()
	}
}
