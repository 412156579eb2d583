package form_test

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/theme"
)

var testNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

var langs = []i18n.Lang{i18n.LV, i18n.EN}

func newCommon(lang i18n.Lang) *common.Common {
	c := &common.Common{Styles: theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)), Catalog: i18n.For(lang),
		Now: func() time.Time { return testNow }}
	c.Keys = common.NewKeyMap(c.Catalog)
	return c
}

// harness drives a form as a page does: each key's result and the
// messages its command leads to (the status line's notices) are kept.
type harness struct {
	t       *testing.T
	c       *common.Common
	f       *form.Model
	w, h    int
	results []form.Result
	notices []string // catalog keys of the notices
}

func newHarness(t *testing.T, lang i18n.Lang, fields ...form.Field) *harness {
	c := newCommon(lang)
	return &harness{t: t, c: c, f: form.New(c, "tui.ann.new_title", nil, fields...), w: 80, h: 24}
}

func (h *harness) send(msgs ...tea.Msg) *harness {
	h.t.Helper()
	for _, msg := range msgs {
		res, cmd := h.f.Update(msg)
		h.results = append(h.results, res)
		for _, out := range tuitest.Results(cmd) {
			if e, ok := out.(common.ErrorMsg); ok {
				h.notices = append(h.notices, domain.AsError(e.Err).Key)
			}
		}
	}
	return h
}

func (h *harness) typed(s string) *harness { h.t.Helper(); return h.send(tuitest.Runes(s)...) }
func (h *harness) press(k tea.KeyType) *harness {
	h.t.Helper()
	return h.send(tuitest.Press(k))
}
func (h *harness) paste(s string) *harness {
	h.t.Helper()
	return h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true})
}

func (h *harness) last() form.Result { return h.results[len(h.results)-1] }

// screen is the view without styling, checked to fill w × h exactly.
func (h *harness) screen() string {
	h.t.Helper()
	v := h.f.View(h.w, h.h)
	lines := strings.Split(v, "\n")
	if len(lines) != h.h {
		h.t.Errorf("the view has %d lines, want %d", len(lines), h.h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > h.w {
			h.t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, n, h.w, ansi.Strip(l))
		}
	}
	return ansi.Strip(v)
}

func (h *harness) mustShow(wants ...string) {
	h.t.Helper()
	s := h.screen()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			h.t.Errorf("the form lacks %q:\n%s", w, s)
		}
	}
}

func (h *harness) mustNotShow(unwanted ...string) {
	h.t.Helper()
	s := h.screen()
	for _, u := range unwanted {
		if strings.Contains(s, u) {
			h.t.Errorf("the form shows %q:\n%s", u, s)
		}
	}
}

// lineWith returns the screen's line holding s.
func (h *harness) lineWith(s string) string {
	h.t.Helper()
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	h.t.Fatalf("no line holds %q:\n%s", s, h.screen())
	return ""
}

func (h *harness) tr(key string, args ...any) string { return h.c.T(key, args...) }

func TestForm_Text_ShowsLabelAndHint_TakesTyping_CutsAtItsLimitAndSaysSo(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			h := newHarness(t, lang, form.Field{ID: "title", Label: "tui.ann.field.title", Hint: "tui.ann.hint.services", Limit: 5})
			h.mustShow(h.tr("tui.ann.new_title"), "› "+h.tr("tui.ann.field.title")+": "+h.tr("tui.ann.hint.services"))
			h.typed("Ģertrūde")
			if got := h.f.Value("title"); got != "Ģertr" {
				t.Errorf("value %q, want the first five characters", got)
			}
			h.mustShow(h.tr("tui.ann.field.title") + ": Ģertr")
			h.mustNotShow(h.tr("tui.ann.hint.services"))
			if len(h.notices) == 0 || h.notices[len(h.notices)-1] != "tui.input.cut" {
				t.Errorf("notices %v, want the cut told", h.notices)
			}
			// What the terminal may send that is not text is dropped and told.
			h.press(tea.KeyBackspace).press(tea.KeyBackspace).paste("\x1b]0;x\x07")
			if got := h.f.Value("title"); got != "Ģer]0" {
				t.Errorf("value %q after a paste with controls", got)
			}
			if h.notices[len(h.notices)-1] != "tui.input.cut_dropped" {
				t.Errorf("notices %v, want the dropped characters and the cut told", h.notices)
			}
		})
	}
}

func TestForm_Password_ShowsDotsNeverTheText_AndKeepsSpaces(t *testing.T) {
	h := newHarness(t, i18n.EN, form.Field{ID: "pw", Label: "tui.pw.field.new", Kind: form.Password})
	h.typed(" Slepens#1 ")
	h.mustShow("•••••••••••")
	h.mustNotShow("Slepens")
	if got := h.f.Value("pw"); got != " Slepens#1 " {
		t.Errorf("password %q: it is never trimmed", got)
	}
}

func TestForm_Area_EnterStartsALine_CountsCharacters_CutsAtTheLimit(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			h := newHarness(t, lang,
				form.Field{ID: "body", Label: "tui.ann.field.body", Hint: "tui.ann.hint.body", Kind: form.Area, Limit: 12},
				form.Field{ID: "title", Label: "tui.ann.field.title"})
			count := map[i18n.Lang]string{i18n.LV: "%d no 12 zīmēm", i18n.EN: "%d of 12 characters"}[lang]
			// The hint shows while the text is empty, under the cursor when
			// the field is focused.
			hint := h.tr("tui.ann.hint.body")
			h.mustShow(h.tr("tui.ann.field.body")+":", strings.Replace(count, "%d", "0", 1), "│ ▏"+hint)
			h.press(tea.KeyTab)
			h.mustShow("│ " + hint)
			h.press(tea.KeyShiftTab)

			h.typed("ābols").press(tea.KeyEnter).typed("ozols")
			if h.last() != form.None {
				t.Fatal("enter in a text of several lines submitted the form")
			}
			if got := h.f.Value("body"); got != "ābols\nozols" {
				t.Errorf("value %q", got)
			}
			h.mustShow(strings.Replace(count, "%d", "11", 1), "│ ābols", "│ ozols")
			// One character is left: a line break takes it, then nothing fits.
			h.press(tea.KeyEnter)
			h.notices = nil
			h.press(tea.KeyEnter).paste("x\ny")
			if got := h.f.Value("body"); got != "ābols\nozols" || len(h.notices) != 2 || h.notices[0] != "tui.input.cut" {
				t.Errorf("value %q, notices %v: the limit holds and is told", got, h.notices)
			}
			h.mustShow(strings.Replace(count, "%d", "12", 1))
			// Tab leaves the field; it inserts nothing.
			h.press(tea.KeyTab)
			if h.f.Focused() != "title" {
				t.Errorf("tab left the focus on %q", h.f.Focused())
			}
			h.press(tea.KeyShiftTab).send(tea.KeyMsg{Type: tea.KeyCtrlS})
			if h.last() != form.Submit {
				t.Error("ctrl+s did not submit from the text")
			}
		})
	}
}

func TestForm_Area_TakesTheRowsTheScreenLeaves_UpToItsRows(t *testing.T) {
	h := newHarness(t, i18n.LV, form.Field{ID: "body", Label: "tui.ann.field.body", Kind: form.Area})
	h.w, h.h = 60, 20
	if n := strings.Count(h.screen(), "│"); n != 20-3 {
		t.Errorf("%d rows of text, want the %d the title and label leave", n, 20-3)
	}
	h = newHarness(t, i18n.LV, form.Field{ID: "body", Label: "tui.ann.field.body", Kind: form.Area, Rows: 4})
	if n := strings.Count(h.screen(), "│"); n != 4 {
		t.Errorf("%d rows of text, want its 4", n)
	}
}

func TestForm_Choice_OnOneLine_RadioWhenTheOptionsFit_ElseOneBetweenArrows(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			h := newHarness(t, lang, form.Field{ID: "kind", Label: "tui.ann.field.kind", Kind: form.Choice,
				Options: []string{"news", "downtime"}, OptionKey: "announcement.kind."})
			news, down := h.tr("announcement.kind.news"), h.tr("announcement.kind.downtime")
			h.mustShow("(•) " + news + "  ( ) " + down)
			if got, want := helpText(h.f)[0], "←/→ "+map[i18n.Lang]string{i18n.LV: "izvēlēties", i18n.EN: "choose"}[lang]; got != want {
				t.Errorf("help %q, want %q", got, want)
			}
			h.press(tea.KeyRight)
			h.mustShow("( ) " + news + "  (•) " + down)
			if got := h.f.Value("kind"); got != "downtime" {
				t.Errorf("value %q", got)
			}
			// Round and back with space and left.
			h.press(tea.KeySpace)
			if got := h.f.Value("kind"); got != "news" {
				t.Errorf("space after the last option gave %q", got)
			}
			h.press(tea.KeyLeft)
			if got := h.f.Value("kind"); got != "downtime" {
				t.Errorf("left from the first option gave %q", got)
			}
			h.w = 30
			// Too narrow for both: the one chosen between arrows, cut to fit.
			l := h.lineWith("‹ ")
			if !strings.Contains(l, "‹ "+down[:8]) || !strings.HasSuffix(strings.TrimSpace(l), " ›") {
				t.Errorf("narrow choice %q", l)
			}
			h.mustNotShow("( )")
		})
	}
}

func TestForm_ChoiceList_NothingChosenUntilChosen_UpDownChoose(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			h := newHarness(t, lang, form.Field{ID: "reason", Label: "tui.rr.field.reason", Kind: form.Choice, List: true, Unset: true,
				Options: domain.RejectReasons, OptionKey: "rolerequest.reason.", Required: "tui.rr.reason_pick"})
			first, second := h.tr("rolerequest.reason."+domain.RejectReasons[0]), h.tr("rolerequest.reason."+domain.RejectReasons[1])
			h.mustShow("› "+h.tr("tui.rr.field.reason")+":", "    ( ) "+first, "    ( ) "+second)
			if got, want := helpText(h.f)[0], "↑/↓ "+map[i18n.Lang]string{i18n.LV: "izvēlēties", i18n.EN: "choose"}[lang]; got != want {
				t.Errorf("help %q, want %q", got, want)
			}
			h.mustNotShow("(•)")
			if h.f.Check() {
				t.Fatal("Check passed with nothing chosen")
			}
			h.mustShow("  ! " + h.tr("tui.rr.reason_pick"))
			h.press(tea.KeyDown)
			h.mustShow("  › (•) "+first, "    ( ) "+second)
			h.press(tea.KeyUp) // stays on the first
			h.press(tea.KeyDown)
			if got := h.f.Value("reason"); got != domain.RejectReasons[1] {
				t.Errorf("value %q", got)
			}
			if !h.f.Check() {
				t.Error("Check failed with a reason chosen")
			}
			h.mustNotShow(h.tr("tui.rr.reason_pick"))
		})
	}
}

func TestForm_Checklist_MoveAndTick_SaysWhatNoneMeans(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			var audiences []string
			for _, r := range domain.AnnouncementAudiences {
				audiences = append(audiences, string(r))
			}
			h := newHarness(t, lang, form.Field{ID: "audience", Label: "tui.ann.field.audience", Kind: form.Checklist,
				Options: audiences, OptionKey: "tui.prole.", NoneNote: "tui.ann.audience.empty_means_everyone"})
			second := h.tr("tui.prole." + audiences[1])
			h.mustShow("› [ ] "+h.tr("tui.prole."+audiences[0]), h.tr("tui.ann.audience.empty_means_everyone"))
			if got, want := helpText(h.f)[0], "space "+map[i18n.Lang]string{i18n.LV: "atzīmēt", i18n.EN: "tick"}[lang]; got != want {
				t.Errorf("help %q, want %q", got, want)
			}
			h.press(tea.KeyRight).press(tea.KeySpace)
			h.mustShow("› [x] " + second)
			h.mustNotShow(h.tr("tui.ann.audience.empty_means_everyone"))
			h.press(tea.KeyRight).typed("x")
			if got := h.f.Ticked("audience"); len(got) != 2 || got[0] != audiences[1] || got[1] != audiences[2] {
				t.Errorf("ticked %v", got)
			}
		})
	}
}

func TestForm_Roles_TickedAsTheOperatorsRoles(t *testing.T) {
	h := newHarness(t, i18n.EN, form.Field{ID: "roles", Label: "tui.ops.field.roles", Kind: form.Roles})
	h.f.SetRoles("roles", []domain.Role{domain.RoleAdmin, domain.RoleReviewer})
	h.mustShow("[x] "+h.c.RoleName(domain.RoleReviewer), "[ ] "+h.c.RoleName(domain.RoleHelpdesk), "[x] "+h.c.RoleName(domain.RoleAdmin))
	h.press(tea.KeySpace) // the first, reviewer, off
	if got := h.f.Roles("roles"); len(got) != 1 || got[0] != domain.RoleAdmin {
		t.Errorf("roles %v", got)
	}
}

func TestForm_Checkbox_SpaceTicks(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			h := newHarness(t, lang, form.Field{ID: "email", Label: "tui.ann.field.email", Kind: form.Checkbox, Caption: "tui.ann.email_option"})
			h.mustShow(h.tr("tui.ann.field.email") + ": [ ] " + h.tr("tui.ann.email_option"))
			h.press(tea.KeySpace)
			h.mustShow("[x] " + h.tr("tui.ann.email_option"))
			if !h.f.Checked("email") {
				t.Error("not checked")
			}
		})
	}
}

func TestForm_Date_ReadInTheAgencysTimeZone_ABadOneIsAProblemInTheOperatorsLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang            i18n.Lang
		dateHint, wrong string
	}{
		{i18n.LV, "GGGG-MM-DD", "! Datumu raksta kā GGGG-MM-DD, piemēram, 2027-03-03."},
		{i18n.EN, "YYYY-MM-DD", "! Write the date as YYYY-MM-DD, e.g. 2027-03-03."},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			h := newHarness(t, tc.lang,
				form.Field{ID: "until", Label: "tui.rr.field.valid_until", Kind: form.Date},
				form.Field{ID: "from", Label: "tui.ann.field.starts", Kind: form.DateTime})
			h.mustShow(h.tr("tui.rr.field.valid_until")+": "+tc.dateHint, tc.dateHint+" hh:mm")
			// The date the page suggests is the example of how to type one.
			h.f.SetValue("until", "2027-03-03")
			h.send(tuitest.Press(tea.KeyCtrlU)).typed("3.3.2027")
			if h.f.Check() {
				t.Fatal("Check passed 3.3.2027")
			}
			if l := h.lineWith("! "); !strings.Contains(h.screen(), tc.wrong) {
				t.Errorf("problem %q, want %q", l, tc.wrong)
			}
			h.send(tuitest.Press(tea.KeyCtrlU)).typed("2027-03-04").press(tea.KeyTab).typed("2026-03-05 22:00")
			if !h.f.Check() {
				t.Fatalf("Check failed:\n%s", h.screen())
			}
			until, err := h.f.Time("until")
			from, err2 := h.f.Time("from")
			if err != nil || err2 != nil || !until.Equal(time.Date(2027, 3, 4, 0, 0, 0, 0, time.Local)) ||
				!from.Equal(time.Date(2026, 3, 5, 22, 0, 0, 0, time.Local)) || from.Location() != time.Local {
				t.Errorf("until %v (%v), from %v (%v): want them in the local zone", until, err, from, err2)
			}
			// With nothing suggested, today is the example.
			h.send(tuitest.Press(tea.KeyCtrlU)).typed("vakar")
			h.f.Check()
			if s := tuitest.Squeeze(h.screen()); !strings.Contains(s, "2026-03-03 12:00.") {
				t.Errorf("no example of today:\n%s", h.screen())
			}
		})
	}
}

func TestForm_Date_IsTheOperatorsTimeZone_EuropeRiga(t *testing.T) {
	riga, err := time.LoadLocation("Europe/Riga")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	saved := time.Local
	time.Local = riga // as cmd/ppp sets it
	t.Cleanup(func() { time.Local = saved })
	h := newHarness(t, i18n.LV, form.Field{ID: "from", Label: "tui.ann.field.starts", Kind: form.DateTime})
	h.typed("2026-07-01 09:30")
	at, err := h.f.Time("from")
	if err != nil || !at.Equal(time.Date(2026, 7, 1, 6, 30, 0, 0, time.UTC)) {
		t.Errorf("09:30 in Riga in July is %v (%v), want 06:30 UTC", at.UTC(), err)
	}
}

func TestForm_Keys_TabGoesRound_EnterMovesOnAndSubmitsOnTheLast_EscCancels(t *testing.T) {
	h := newHarness(t, i18n.EN,
		form.Field{ID: "a", Label: "tui.ann.field.title"},
		form.Field{ID: "b", Label: "tui.ann.field.services"})
	h.press(tea.KeyShiftTab)
	if h.f.Focused() != "b" {
		t.Errorf("shift+tab from the first field focused %q, want the last", h.f.Focused())
	}
	h.press(tea.KeyTab)
	if h.f.Focused() != "a" {
		t.Errorf("tab from the last field focused %q, want the first", h.f.Focused())
	}
	if got, want := strings.Join(helpText(h.f), " • "), "tab next field • ctrl+s save • esc cancel"; got != want {
		t.Errorf("help %q, want %q", got, want)
	}
	h.press(tea.KeyEnter)
	if h.f.Focused() != "b" || h.last() != form.None {
		t.Errorf("enter on the first field: focus %q, result %v", h.f.Focused(), h.last())
	}
	if !slicesHas(h.f.ShortHelp(), "enter") {
		t.Error("the last field's help does not name enter")
	}
	h.press(tea.KeyEnter)
	if h.last() != form.Submit {
		t.Error("enter on the last field did not submit")
	}
	h.press(tea.KeyEsc)
	if h.last() != form.Cancel {
		t.Error("esc did not cancel")
	}
}

// helpText is the form's short help as the footer shows it.
func helpText(f *form.Model) []string {
	var s []string
	for _, b := range f.ShortHelp() {
		s = append(s, b.Help().Key+" "+b.Help().Desc)
	}
	return s
}

func slicesHas(bs []key.Binding, k string) bool {
	for _, b := range bs {
		if b.Help().Key == k {
			return true
		}
	}
	return false
}

func TestForm_Busy_OnlyEscWorks_AndSaysSo(t *testing.T) {
	h := newHarness(t, i18n.LV, form.Field{ID: "a", Label: "tui.ann.field.title"})
	h.f.Busy = true
	h.typed("abc").send(tea.KeyMsg{Type: tea.KeyCtrlS})
	if h.f.Value("a") != "" || h.last() != form.None {
		t.Errorf("a busy form took keys: value %q, result %v", h.f.Value("a"), h.last())
	}
	h.mustShow("Saglabā…")
	h.press(tea.KeyEsc)
	if h.last() != form.Cancel {
		t.Error("esc did not cancel a busy form")
	}
}

func TestForm_DraftAndRestore_BringBackEveryKindOfField(t *testing.T) {
	fields := []form.Field{
		{ID: "text", Label: "tui.ann.field.title"},
		{ID: "area", Label: "tui.ann.field.body", Kind: form.Area},
		{ID: "choice", Label: "tui.ann.field.kind", Kind: form.Choice, Options: []string{"news", "downtime"}, OptionKey: "announcement.kind."},
		{ID: "list", Label: "tui.rr.field.reason", Kind: form.Choice, List: true, Unset: true, Options: domain.RejectReasons, OptionKey: "rolerequest.reason."},
		{ID: "roles", Label: "tui.ops.field.roles", Kind: form.Roles},
		{ID: "box", Label: "tui.ann.field.email", Kind: form.Checkbox, Caption: "tui.ann.email_option"},
		{ID: "date", Label: "tui.ann.field.starts", Kind: form.DateTime},
	}
	h := newHarness(t, i18n.LV, fields...)
	h.typed("Virsraksts ").press(tea.KeyTab).
		typed("pirmā").press(tea.KeyEnter).typed("otrā").press(tea.KeyTab).
		press(tea.KeyRight).press(tea.KeyTab).
		press(tea.KeyDown).press(tea.KeyDown).press(tea.KeyTab).
		press(tea.KeyRight).press(tea.KeySpace).press(tea.KeyTab).
		press(tea.KeySpace).press(tea.KeyTab).
		typed("2026-03-0")
	d := h.f.Draft()
	want := form.Draft{"text": "Virsraksts ", "area": "pirmā\notrā", "choice": "downtime", "list": domain.RejectReasons[1],
		"roles": string(domain.Roles[1]), "box": "1", "date": "2026-03-0"}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("draft[%s] = %q, want %q", k, d[k], v)
		}
	}
	again := newHarness(t, i18n.LV, fields...)
	again.f.Restore(d)
	for id := range want {
		if got, was := again.f.Value(id), h.f.Value(id); got != was {
			t.Errorf("%s restored as %q, was %q", id, got, was)
		}
	}
	again.mustShow("Virsraksts", "│ pirmā", "│ otrā", "(•) "+again.tr("announcement.kind.downtime"), "(•) "+again.tr("rolerequest.reason."+domain.RejectReasons[1]),
		"[x] "+again.c.RoleName(domain.Roles[1]), "[x] "+again.tr("tui.ann.email_option"), "2026-03-0")
}

func TestForm_SetError_ProblemsUnderTheirFields_TheRestBelow(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang), func(t *testing.T) {
			h := newHarness(t, lang,
				form.Field{ID: domain.FieldTitle, Label: "tui.ann.field.title"},
				form.Field{ID: domain.FieldBody, Label: "tui.ann.field.body", Kind: form.Area, Rows: 3},
				form.Field{ID: "services", Label: "tui.ann.field.services"})
			err := &domain.Error{Code: domain.EINVALID, Key: "validation.failed", Problems: []domain.Problem{
				{Field: domain.FieldTitle, Key: "announcement.title_required"},
				{Field: domain.FieldBody, Key: "announcement.body_required"},
				{Field: "elsewhere", Key: "announcement.ends_required"},
			}}
			h.f.SetError(err)
			lines := strings.Split(h.screen(), "\n")
			at := func(s string) int {
				for i, l := range lines {
					if strings.Contains(l, s) {
						return i
					}
				}
				t.Fatalf("no %q:\n%s", s, h.screen())
				return -1
			}
			title, titleP := at(h.tr("tui.ann.field.title")+":"), at("! "+h.tr("announcement.title_required"))
			body, bodyP := at(h.tr("tui.ann.field.body")+":"), at("! "+h.tr("announcement.body_required"))
			services, other := at(h.tr("tui.ann.field.services")+":"), at(h.tr("announcement.ends_required"))
			if titleP != title+1 || bodyP != body+4 || other <= services || strings.Contains(lines[other], "!") {
				t.Errorf("problems at lines %d (title %d), %d (body %d), the other at %d (services %d):\n%s",
					titleP, title, bodyP, body, other, services, h.screen())
			}
			// An error without problems shows whole, below the fields.
			h.f.SetError(&domain.Error{Code: domain.ECONFLICT, Key: "announcement.changed"})
			h.mustShow(h.tr("announcement.changed"))
			h.mustNotShow(h.tr("announcement.title_required"))
			h.f.SetError(nil)
			if h.f.HasProblems() {
				t.Error("SetError(nil) left problems")
			}
		})
	}
}

// TestForm_EveryKind_FitsFromSmallToLarge_AndKeepsTheFocusedFieldInView
// lays a form of every kind of field, with a problem under each, out at
// sizes from 40×12 to 132×43 with each field focused in turn.
func TestForm_EveryKind_FitsFromSmallToLarge_AndKeepsTheFocusedFieldInView(t *testing.T) {
	fields := []form.Field{
		{ID: "text", Label: "tui.ann.field.title", Hint: "tui.ann.hint.services"},
		{ID: "area", Label: "tui.ann.field.body", Kind: form.Area, Rows: 8},
		{ID: "choice", Label: "tui.ann.field.kind", Kind: form.Choice, Options: []string{"news", "downtime"}, OptionKey: "announcement.kind."},
		{ID: "list", Label: "tui.rr.field.reason", Kind: form.Choice, List: true, Options: domain.RejectReasons, OptionKey: "rolerequest.reason."},
		{ID: "roles", Label: "tui.ops.field.roles", Kind: form.Roles},
		{ID: "box", Label: "tui.ann.field.email", Kind: form.Checkbox, Caption: "tui.ann.email_option"},
		{ID: "date", Label: "tui.ann.field.starts", Kind: form.DateTime},
		{ID: "pw", Label: "tui.pw.field.new", Kind: form.Password},
	}
	for _, lang := range langs {
		for _, size := range [][2]int{{40, 12}, {60, 20}, {80, 24}, {132, 43}} {
			h := newHarness(t, lang, fields...)
			h.w, h.h = size[0], size[1]
			h.f.WithIntro("tui.rr.reveal_intro").SetNote("tui.den.takes_effect")
			var problems []domain.Problem
			for _, f := range fields {
				problems = append(problems, domain.Problem{Field: f.ID, Key: "announcement.title_required"})
			}
			h.f.SetProblems(problems)
			h.paste(strings.Repeat("garš teksts ", 20))
			for i, f := range fields {
				label := h.tr(f.Label) + ":"
				screen := h.screen()
				if !strings.Contains(screen, "› "+ansi.Truncate(label, 10, "")) {
					t.Errorf("%s %v: field %d (%s) focused but not in view:\n%s", lang, size, i, f.ID, screen)
				}
				h.press(tea.KeyTab)
			}
		}
	}
}

func TestForm_Help_NamesTheKeysOfTheFocusedField(t *testing.T) {
	h := newHarness(t, i18n.LV,
		form.Field{ID: "choice", Label: "tui.ann.field.kind", Kind: form.Choice, Options: []string{"news", "downtime"}, OptionKey: "announcement.kind."},
		form.Field{ID: "area", Label: "tui.ann.field.body", Kind: form.Area})
	h.f.WithSave("tui.rr.key.send")
	help := func() string { return strings.Join(helpText(h.f), " • ") }
	if got, want := help(), "←/→ izvēlēties • tab nākamais lauks • ctrl+s nosūtīt • esc atcelt"; got != want {
		t.Errorf("choice help %q, want %q", got, want)
	}
	h.press(tea.KeyTab)
	if got, want := help(), "ctrl+s nosūtīt • tab nākamais lauks • esc atcelt"; got != want {
		t.Errorf("text help %q, want %q", got, want)
	}
	// After a language change.
	h.c.SetLanguage(i18n.EN)
	h.f.Relabel()
	if got, want := help(), "ctrl+s send • tab next field • esc cancel"; got != want {
		t.Errorf("text help in English %q, want %q", got, want)
	}
}

// TestForm_StoredValues_AreDrawnPlain puts hostile stored text — escape
// sequences, C1 controls, reordering characters, invalid bytes — into the
// title, the intro and every text field, as a page does when it edits a
// stored record: the view carries none of it, and sequences leave no
// debris.
func TestForm_StoredValues_AreDrawnPlain(t *testing.T) {
	hostile := "A\x1b]0;pwned\x07B\x1b[2JC\u009b31mD\u202eE\xff\ufeffF"
	c := newCommon(i18n.EN)
	f := form.New(c, "tui.hd.reply_title", []any{1, hostile},
		form.Field{ID: "text", Label: "tui.ann.field.title", Limit: 8},
		form.Field{ID: "area", Label: "tui.ann.field.body", Kind: form.Area},
		form.Field{ID: "date", Label: "tui.ann.field.starts", Kind: form.DateTime}).
		WithIntro("tui.rr.takeover_age", hostile, hostile)
	for _, id := range []string{"text", "area", "date"} {
		f.SetValue(id, hostile+"\n"+hostile)
	}
	view := f.View(80, 24)
	if loc := regexp.MustCompile("[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069\ufeff]").FindStringIndex(view); loc != nil {
		t.Errorf("the view holds %q:\n%s", view[loc[0]:loc[1]], view)
	}
	if strings.Contains(view, "pwned") || strings.Contains(view, "[2J") || strings.Contains(view, "31m") {
		t.Errorf("a sequence left debris:\n%s", view)
	}
	if got := f.Value("text"); got != "ABCDEF A" {
		t.Errorf("text %q: cleaned, one line, cut to its 8 characters", got)
	}
	if got := f.Value("area"); got != "ABCDEF\nABCDEF" {
		t.Errorf("area %q", got)
	}
}
