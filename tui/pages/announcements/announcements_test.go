package announcements_test

import (
	"fmt"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/pagetest"
)

// The tests run in UTC, so that typed times read as written.
var fixedNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

func TestMain(m *testing.M) {
	time.Local = time.UTC
	m.Run()
}

type env struct {
	ops    *fakes.Operators
	ann    *fakes.Announcements
	editor *domain.Operator
}

// The seeded announcements.
const (
	idNews      = 1 // published news for everyone
	idDowntime  = 2 // published downtime for two roles, tomorrow night
	idDraft     = 3 // a news draft
	idWithdrawn = 4
)

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), ann: fakes.NewAnnouncements()}
	e.ann.Now = clock
	e.editor = e.ops.Add(&domain.Operator{Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleEditor}, Language: "lv"})
	e.ann.Add(&domain.Announcement{ID: idNews, Kind: domain.AnnouncementNews, State: domain.AnnouncementPublished,
		Title: "Jauna lietošanas noteikumu redakcija", Body: "Publicēta redakcija 2025-1.", PublishedAt: fixedNow.AddDate(0, -1, 0), CreatedByName: "Anna Kalniņa"})
	e.ann.Add(&domain.Announcement{ID: idDowntime, Kind: domain.AnnouncementDowntime, State: domain.AnnouncementPublished,
		Title: "Platformas apkope", Body: "Platforma nebūs pieejama.", Audience: []string{"career_consultant", "institution_staff"},
		StartsAt: fixedNow.Add(10 * time.Hour), EndsAt: fixedNow.Add(12 * time.Hour), Services: "Platformas portāls", EmailAudience: true})
	e.ann.Add(&domain.Announcement{ID: idDraft, Kind: domain.AnnouncementNews, State: domain.AnnouncementDraft,
		Title: "Mācību piedāvājums", Body: "Jauni kursi.", Version: 3})
	e.ann.Add(&domain.Announcement{ID: idWithdrawn, Kind: domain.AnnouncementNews, State: domain.AnnouncementWithdrawn,
		Title: "Kļūdains paziņojums", Body: "…", WithdrawReason: "kļūda"})
	return e
}

func (e *env) model(t *testing.T, langCode string, w, h int) *app.Model {
	t.Helper()
	svc := common.Services{Operators: e.ops, Terms: fakes.NewTerms(), Announcements: e.ann}
	return pagetest.At(fixedNow, svc).Model(t, e.editor, pagetest.Lang(langCode), pagetest.Size(w, h), pagetest.Screen("3"))
}

// selectTitle moves the cursor to the announcement titled title.
func selectTitle(t *testing.T, m *app.Model, title string) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Press(tea.KeyHome))
	for range 10 {
		for _, l := range strings.Split(tuitest.Screen(m), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "›") && strings.Contains(l, title[:12]) {
				return
			}
		}
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	t.Fatalf("%q is not in the list:\n%s", title, tuitest.Screen(m))
}

// field moves the form's focus to the field labelled label.
func field(t *testing.T, m *app.Model, label string) {
	t.Helper()
	for range 10 {
		for _, l := range strings.Split(tuitest.Screen(m), "\n") {
			if strings.HasPrefix(l, "› "+label+":") {
				return
			}
		}
		tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	}
	t.Fatalf("no field %q:\n%s", label, tuitest.Screen(m))
}

func TestList_RendersAt80x24_InLatvianAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"lv", []string{"3 Paziņojumi", "Veids", "Virsraksts", "Stāvoklis", "Kam", "Laiks", "jaunums", "pārtraukums",
			"publicēts", "melnraksts", "atsaukts", "visiem", "2 lomām", "03-03 22:00–00:00", "Platformas apkope"}},
		{"en", []string{"3 Announcements", "Kind", "Title", "State", "Audience", "When", "news", "downtime",
			"published", "draft", "withdrawn", "everyone", "2 roles", "03-03 22:00–00:00", "Platformas apkope"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv(t)
			m := e.model(t, tc.lang, 80, 24)
			tuitest.MustShow(t, m, tc.want...)
			tuitest.CheckFits(t, m, 80, 24, "list")
		})
	}
}

func TestEveryScreen_Fits(t *testing.T) {
	steps := []struct {
		name  string
		title string
		keys  []tea.Msg
	}{
		{"list", "", nil},
		{"detail", "Platformas apkope", []tea.Msg{tuitest.Press(tea.KeyEnter)}},
		{"new", "", tuitest.Typed("n")},
		{"new with errors", "", append(tuitest.Typed("n"), tea.KeyMsg{Type: tea.KeyCtrlS})},
		{"edit", "Mācību piedāvājums", tuitest.Typed("e")},
		{"publish", "Mācību piedāvājums", tuitest.Typed("p")},
		{"withdraw", "Platformas apkope", tuitest.Typed("w")},
	}
	for _, l := range []string{"lv", "en"} {
		for _, sz := range [][2]int{{40, 12}, {60, 20}, {80, 24}, {132, 43}} {
			for _, st := range steps {
				t.Run(fmt.Sprintf("%s/%dx%d/%s", l, sz[0], sz[1], st.name), func(t *testing.T) {
					t.Parallel()
					e := newEnv(t)
					m := e.model(t, l, 80, 24)
					if st.title != "" {
						selectTitle(t, m, st.title)
					}
					tuitest.Send(t, m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
					tuitest.Send(t, m, st.keys...)
					tuitest.CheckFits(t, m, sz[0], sz[1], st.name)
				})
			}
		}
	}
}

func TestNewDowntime_ShowsEachProblemUnderItsField_AndKeepsWhatWasTyped(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "lv", 100, 40)
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.MustShow(t, m, "Jauns paziņojums", "(•) jaunums", "( ) plānots darbības pārtraukums", "nekas nav atzīmēts — visiem lietotājiem")
	tuitest.Send(t, m, tuitest.Typed(" ")...) // downtime
	tuitest.MustShow(t, m, "(•) plānots darbības pārtraukums")
	field(t, m, "Virsraksts")
	tuitest.Send(t, m, tuitest.Typed("Apkope")...)
	field(t, m, "Sākums")
	tuitest.Send(t, m, tuitest.Typed("5.3.2026 22:00")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	// A time that cannot be read is the form's own problem; the example is now.
	tuitest.MustShow(t, m, "! Laiku raksta kā GGGG-MM-DD hh:mm, piemēram, 2026-03-03 12:00.")
	if n := len(e.ann.Saves()); n != 0 {
		t.Fatalf("%d saves with an unreadable time", n)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Typed("2026-03-05 22:00")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	// The rest are the domain's, each under its field.
	tuitest.MustShow(t, m, "Apkope", "2026-03-05 22:00")
	view := tuitest.Screen(m)
	below := func(label, problem string) {
		t.Helper()
		lines := strings.Split(view, "\n")
		for i, l := range lines {
			if strings.Contains(l, label+":") {
				for _, next := range lines[i+1 : min(i+12, len(lines))] {
					if strings.Contains(next, "! ") && strings.Contains(next, problem[:20]) {
						return
					}
				}
			}
		}
		t.Errorf("no %q under %s:\n%s", problem, label, view)
	}
	for _, p := range []struct{ label, key string }{
		{"Teksts", "announcement.body_required"},
		{"Beigas", "announcement.ends_required"},
		{"Skartie pakalpojumi", "announcement.services_required"},
	} {
		below(p.label, lvText(p.key))
	}
	if n := len(e.ann.Saves()); n != 1 {
		t.Fatalf("%d saves", n)
	}
	// Fill in the rest: saved as a draft with every field.
	field(t, m, "Teksts")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Platforma nebūs pieejama.\nAtvainojamies."), Paste: true})
	field(t, m, "Kam")
	tuitest.Send(t, m, tuitest.Press(tea.KeyRight), tuitest.Press(tea.KeySpace))
	tuitest.Send(t, m, tuitest.Press(tea.KeyRight), tuitest.Press(tea.KeyRight), tuitest.Press(tea.KeySpace))
	field(t, m, "Beigas")
	tuitest.Send(t, m, tuitest.Typed("2026-03-06 02:00")...)
	field(t, m, "Skartie pakalpojumi")
	tuitest.Send(t, m, tuitest.Typed("Platformas portāls")...)
	field(t, m, "E-pasts")
	tuitest.Send(t, m, tuitest.Press(tea.KeySpace))
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	saves := e.ann.Saves()
	got := saves[len(saves)-1]
	want := domain.Announcement{Kind: domain.AnnouncementDowntime, Title: "Apkope", Body: "Platforma nebūs pieejama.\nAtvainojamies.",
		Audience: []string{"institution_staff", "career_consultant"}, StartsAt: time.Date(2026, 3, 5, 22, 0, 0, 0, time.UTC),
		EndsAt: time.Date(2026, 3, 6, 2, 0, 0, 0, time.UTC), Services: "Platformas portāls", EmailAudience: true}
	if got.ID != 0 || got.Kind != want.Kind || got.Title != want.Title || got.Body != want.Body || !slices.Equal(got.Audience, want.Audience) ||
		!got.StartsAt.Equal(want.StartsAt) || !got.EndsAt.Equal(want.EndsAt) || got.Services != want.Services || !got.EmailAudience {
		t.Errorf("saved %+v\nwant %+v", got, want)
	}
	tuitest.MustShow(t, m, "Paziņojums saglabāts kā melnraksts.", "Apkope")
}

// lvText is a catalog message in Latvian, as the screen shows it.
func lvText(key string) string {
	return strings.TrimSuffix(i18n.For(i18n.LV).T(key), ".")
}

func TestEditDraft_SendsTheVersionSeen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "lv", 80, 24)
	selectTitle(t, m, "Mācību piedāvājums")
	tuitest.Send(t, m, tuitest.Typed("e")...)
	tuitest.MustShow(t, m, "Paziņojums #3 — melnraksts", "Virsraksts: Mācību piedāvājums")
	field(t, m, "Virsraksts")
	tuitest.Send(t, m, tuitest.Typed(" 2026")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	s := e.ann.Saves()
	if len(s) != 1 || s[0].ID != idDraft || s[0].Version != 3 || s[0].Title != "Mācību piedāvājums 2026" || s[0].Body != "Jauni kursi." {
		t.Errorf("saves %+v", s)
	}
	// A published one cannot be edited.
	selectTitle(t, m, "Jauna lietošanas")
	tuitest.Send(t, m, tuitest.Typed("e")...)
	tuitest.MustShow(t, m, "Labot un publicēt var tikai melnrakstu.")
}

func TestPublish_ConfirmsThenPublishes(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "lv", 80, 24)
	selectTitle(t, m, "Mācību piedāvājums")
	tuitest.Send(t, m, tuitest.Typed("p")...)
	tuitest.MustShow(t, m, "Publicēt paziņojumu #3", "Publicēt „Mācību piedāvājums”? Kam: visiem Platformas lietotājiem. E-pasts netiks sūtīts.")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	if len(e.ann.Published()) != 0 {
		t.Fatal("esc published")
	}
	tuitest.Send(t, m, tuitest.Typed("p")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if p := e.ann.Published(); !slices.Equal(p, []int64{idDraft}) {
		t.Errorf("published %v", p)
	}
	tuitest.MustShow(t, m, "Paziņojums publicēts.")
}

func TestWithdraw_NeedsAReason(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "lv", 80, 24)
	selectTitle(t, m, "Platformas apkope")
	tuitest.Send(t, m, tuitest.Typed("w")...)
	tuitest.MustShow(t, m, "Atsaukt paziņojumu „Platformas apkope”")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Norādiet iemeslu.")
	tuitest.Send(t, m, tuitest.Typed("Apkope pārcelta")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if w := e.ann.Withdrawn(); !slices.Equal(w, []string{fmt.Sprintf("%d:Apkope pārcelta", idDowntime)}) {
		t.Errorf("withdrawn %v", w)
	}
	tuitest.MustShow(t, m, "Paziņojums atsaukts.")
}

func TestDetail_ShowsTheWholeAnnouncement(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "lv", 80, 24)
	selectTitle(t, m, "Platformas apkope")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Paziņojums #2 — plānots darbības pārtraukums", "publicēts", "2026-03-03 22:00 – 2026-03-04 00:00",
		"Karjeras konsultants, Izglītības iestādes lietotājs", "Platformas portāls", "Platforma nebūs pieejama.")
}

func TestForm_WithProblems_ScrollsToKeepTheFocusedFieldInView(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "lv", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.Send(t, m, tuitest.Typed(" ")...) // downtime
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	tuitest.MustShow(t, m, "! Norādiet paziņojuma virsrakstu")
	// shift+tab from the first field goes round to the last.
	tuitest.Send(t, m, tuitest.Press(tea.KeyShiftTab))
	if !strings.Contains(tuitest.Screen(m), "› E-pasts:") {
		t.Errorf("the focused last field is out of view:\n%s", tuitest.Screen(m))
	}
	tuitest.MustShow(t, m, "Jauns paziņojums")
	tuitest.CheckFits(t, m, 80, 24, "scrolled form")
}

func TestDetail_ALongText_Scrolls(t *testing.T) {
	e := newEnv(t)
	var body []string
	for i := 1; i <= 60; i++ {
		body = append(body, fmt.Sprintf("Rinda %d.", i))
	}
	e.ann.Add(&domain.Announcement{ID: 9, Kind: domain.AnnouncementNews, State: domain.AnnouncementDraft, Title: "Garš paziņojums", Body: strings.Join(body, "\n")})
	m := e.model(t, "lv", 80, 24)
	selectTitle(t, m, "Garš paziņojums")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Rinda 1.", "↕ 1/60")
	tuitest.Send(t, m, tuitest.Press(tea.KeyPgDown), tuitest.Press(tea.KeyPgDown), tuitest.Press(tea.KeyPgDown), tuitest.Press(tea.KeyPgDown))
	tuitest.MustShow(t, m, "Rinda 60.")
	tuitest.CheckFits(t, m, 80, 24, "scrolled detail")
}

// TestForm_LeftAndOpenedAgain_KeepsWhatWasTyped proves the draft's form
// keeps what was typed when left with esc: a new announcement's form and
// an existing draft's each bring theirs back; saving starts afresh; and
// what was typed over a draft that has changed since is not laid over it.
func TestForm_LeftAndOpenedAgain_KeepsWhatWasTyped(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "lv", 100, 40)
	tuitest.Send(t, m, tuitest.Typed("n")...)
	field(t, m, "Virsraksts")
	tuitest.Send(t, m, tuitest.Typed("Jauni kursi")...)
	field(t, m, "Teksts")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Pirmā rinda.\nOtrā rinda."), Paste: true})
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.MustShow(t, m, "Virsraksts: Jauni kursi", "│ Pirmā rinda.", "│ Otrā rinda.")

	// Another form keeps its own.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	selectTitle(t, m, "Mācību piedāvājums")
	tuitest.Send(t, m, tuitest.Typed("e")...)
	tuitest.MustShow(t, m, "Virsraksts: Mācību piedāvājums")
	field(t, m, "Virsraksts")
	tuitest.Send(t, m, tuitest.Typed(" rudenī")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.Send(t, m, tuitest.Typed("e")...)
	tuitest.MustShow(t, m, "Virsraksts: Mācību piedāvājums rudenī")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))

	// The draft changes meanwhile: its form shows it as it is now.
	changed := e.ann.Get(idDraft)
	changed.Title, changed.Version = "Mācību piedāvājums 2027", changed.Version+1
	e.ann.Add(changed)
	tuitest.Send(t, m, tuitest.Typed("r")...)
	selectTitle(t, m, "Mācību piedāvājums")
	tuitest.Send(t, m, tuitest.Typed("e")...)
	tuitest.MustShow(t, m, "Virsraksts: Mācību piedāvājums 2027")
	tuitest.MustNotShow(t, m, "rudenī")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))

	// Saved: the new announcement's form starts empty again.
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if s := e.ann.Saves(); len(s) != 1 || s[0].Title != "Jauni kursi" || s[0].Body != "Pirmā rinda.\nOtrā rinda." {
		t.Fatalf("saves %+v", s)
	}
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.MustNotShow(t, m, "Jauni kursi")
}
