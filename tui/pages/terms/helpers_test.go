package terms_test

import (
	"context"
	"fmt"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/theme"
)

var fixedNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// env holds three versions and a draft, two editors and an administrator
// who is not an editor.
type env struct {
	ops    *fakes.Operators
	terms  *fakes.Terms
	ann    *fakes.Announcements
	feed   *fakes.Feed
	editor *domain.Operator // Jānis Ozols, the session's operator
	other  *domain.Operator // Anna Kalniņa, another editor
	admin  *domain.Operator
	// clock arms the sessions' timers: they fire when a test advances it
	// (tuitest.Advance), never by themselves.
	clock *tuitest.Clock
}

// The seeded versions.
const (
	idOld      = 1 // superseded
	idInForce  = 2 // published, in force
	idOwn      = 3 // submitted by the session's editor
	idAnothers = 4 // submitted by another editor
	idDraft    = 5 // the session's editor's draft
)

// inForceText is the text in force: numbered clauses, Latvian.
var inForceText = strings.Join([]string{
	"Prasmju pārvaldības platformas lietošanas noteikumi",
	"",
	"1. Vispārīgie jautājumi",
	"1.1. Noteikumi nosaka Platformas lietošanas kārtību.",
	"1.2. Platformas pārzinis ir Valsts izglītības attīstības aģentūra.",
	"1.3. Lietotājs apņemas ievērot šos noteikumus.",
	"2. Personas datu apstrāde",
	"2.1. Aģentūra apstrādā lietotāja personas datus.",
	"2.2. Ziņas par lietotāju iegūst no Fizisko personu reģistra.",
	"2.3. Datus glabā ne ilgāk, kā nepieciešams.",
	"3. Rekvizīti",
	"3.1. Lietotājs neizpauž savus rekvizītus.",
	"3.2. Par paroles nozaudēšanu ziņo uz stars@viaa.gov.lv.",
	"4. Noslēguma jautājumi",
	"4.1. Noteikumi stājas spēkā to publicēšanas brīdī.",
}, "\n")

// anothersText changes clause 2.1 and adds 2.4.
var anothersText = strings.Replace(
	strings.Replace(inForceText, "2.1. Aģentūra apstrādā lietotāja personas datus.",
		"2.1. Aģentūra apstrādā lietotāja personas datus saskaņā ar VDAR.", 1),
	"2.3. Datus glabā ne ilgāk, kā nepieciešams.",
	"2.3. Datus glabā ne ilgāk, kā nepieciešams.\n2.4. Lietotājs var pieprasīt savu datu labošanu.", 1)

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), terms: fakes.NewTerms(), ann: fakes.NewAnnouncements(), feed: fakes.NewFeed(), clock: tuitest.NewClock(fixedNow)}
	e.terms.Now, e.ann.Now = clock, clock
	e.terms.Announcements = e.ann
	e.editor = e.ops.Add(&domain.Operator{Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleEditor}, Language: "lv"})
	e.other = e.ops.Add(&domain.Operator{Name: "anna.kalnina", FullName: "Anna Kalniņa", Roles: []domain.Role{domain.RoleEditor}, Language: "lv"})
	e.admin = e.ops.Add(&domain.Operator{Name: "ilze.berzina", FullName: "Ilze Bērziņa", Roles: []domain.Role{domain.RoleAdmin, domain.RoleReviewer}, Language: "lv"})

	e.terms.Add(&domain.TermsVersion{ID: idOld, Number: "2024-1", Title: "Lietošanas noteikumi", Text: "Vecie noteikumi.",
		State: domain.TermsSuperseded, DraftedBy: e.other.ID, DraftedByName: "Anna Kalniņa", ApprovedBy: e.editor.ID, ApprovedName: "Jānis Ozols",
		PublishedAt: fixedNow.AddDate(-2, 0, 0)})
	e.terms.Add(&domain.TermsVersion{ID: idInForce, Number: "2025-1", Title: "Prasmju pārvaldības platformas lietošanas noteikumi",
		Text: inForceText, Summary: "Pirmā redakcija Platformai.", State: domain.TermsPublished, BasedOn: idOld,
		DraftedBy: e.other.ID, DraftedByName: "Anna Kalniņa", ApprovedBy: e.editor.ID, ApprovedName: "Jānis Ozols",
		PublishedAt: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)})
	e.terms.Add(&domain.TermsVersion{ID: idOwn, Number: "2026-1", Title: "Grozījumi par rekvizītiem",
		Text: inForceText + "\n4.2. Jauns punkts.", Summary: "Papildināts 4. punkts.", State: domain.TermsSubmitted, BasedOn: idInForce,
		DraftedBy: e.editor.ID, DraftedByName: "Jānis Ozols", Version: 4})
	e.terms.Add(&domain.TermsVersion{ID: idAnothers, Number: "2026-2", Title: "Grozījumi par datu apstrādi",
		Text: anothersText, Summary: "Precizēta datu apstrāde (VDAR).", State: domain.TermsSubmitted, BasedOn: idInForce,
		DraftedBy: e.other.ID, DraftedByName: "Anna Kalniņa", Version: 6})
	e.terms.Add(&domain.TermsVersion{ID: idDraft, Number: "2026-3", Title: "Prasmju pārvaldības platformas lietošanas noteikumi",
		Text: "Pirmā rinda\nOtrā rinda", State: domain.TermsDraft, BasedOn: idInForce,
		DraftedBy: e.editor.ID, DraftedByName: "Jānis Ozols", Version: 7})
	return e
}

type opts struct {
	w, h    int
	lang    string
	profile termenv.Profile
	changes bool
	noTerms bool
}

type opt func(*opts)

func size(w, h int) opt             { return func(o *opts) { o.w, o.h = w, h } }
func lang(l string) opt             { return func(o *opts) { o.lang = l } }
func profile(p termenv.Profile) opt { return func(o *opts) { o.profile = p } }
func withChanges() opt              { return func(o *opts) { o.changes = true } }
func withoutServices() opt          { return func(o *opts) { o.noTerms = true } }

// model returns the whole session for op, without colour unless asked,
// its Init commands run.
func (e *env) model(t testing.TB, op *domain.Operator, os ...opt) *app.Model {
	t.Helper()
	m := e.program(t, op, os...)
	tuitest.Drain(t, m, m.Init())
	return m
}

// program returns the session's root model before Init.
func (e *env) program(t testing.TB, op *domain.Operator, os ...opt) *app.Model {
	t.Helper()
	o := opts{w: 80, h: 24, profile: termenv.Ascii}
	for _, f := range os {
		f(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ctx = domain.WithActor(ctx, domain.Actor{OperatorID: op.ID, Name: op.FullName, SessionID: "sess-" + op.Name, RemoteAddr: "192.0.2.7:50022"})
	cp := *op
	if o.lang != "" {
		cp.Language = o.lang
	}
	svc := common.Services{Operators: e.ops, Audit: fakes.NewAudit(0), Dashboard: &fakes.Dashboard{}, Feed: e.feed,
		Terms: e.terms, Announcements: e.ann}
	if o.noTerms {
		svc.Terms, svc.Announcements = nil, nil
	}
	var changes <-chan domain.Change
	if o.changes {
		ch, stop := e.feed.Subscribe()
		t.Cleanup(stop)
		changes = ch
	}
	// A program run by teatest with the feed keeps real timers: its
	// test waits for the debounce as an operator would.
	var timers common.Timers = e.clock
	if o.changes {
		timers = nil
	}
	return app.New(app.Options{
		Ctx: ctx, Services: svc, Operator: &cp,
		Styles: theme.New(theme.NewRenderer(io.Discard, o.profile)),
		Width:  o.w, Height: o.h, Changes: changes, Now: clock, Timers: timers,
	})
}

func pasted(s string) tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true} }

// cursorGlyph is the editor's cursor on a terminal without colour; the
// checks below see through it unless they look for it.
const cursorGlyph = "▏"

func mustShow(t testing.TB, m *app.Model, wants ...string) {
	t.Helper()
	view := tuitest.Squeezed(m)
	bare := strings.ReplaceAll(view, cursorGlyph, "")
	for _, w := range wants {
		w = strings.Join(strings.Fields(w), " ")
		if !strings.Contains(view, w) && !strings.Contains(bare, w) {
			t.Errorf("the screen lacks %q:\n%s", w, tuitest.Screen(m))
		}
	}
}

func mustNotShow(t testing.TB, m *app.Model, unwanted ...string) {
	t.Helper()
	view := tuitest.Squeezed(m)
	bare := strings.ReplaceAll(view, cursorGlyph, "")
	for _, u := range unwanted {
		u = strings.Join(strings.Fields(u), " ")
		if strings.Contains(view, u) || strings.Contains(bare, u) {
			t.Errorf("the screen shows %q:\n%s", u, tuitest.Screen(m))
		}
	}
}

// footer is the screen's last line.
func footer(m *app.Model) string {
	lines := strings.Split(tuitest.Screen(m), "\n")
	return lines[len(lines)-1]
}

// openTerms switches to the terms screen (screen 2 for an editor).
func openTerms(t testing.TB, m *app.Model) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Typed("2")...)
}

// selectVersion moves the list's cursor to the version numbered number.
func selectVersion(t testing.TB, m *app.Model, number string) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Press(tea.KeyHome))
	for i := 0; i < 20; i++ {
		for _, l := range strings.Split(tuitest.Screen(m), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "› ") && strings.Contains(l, " "+number+" ") {
				return
			}
		}
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	t.Fatalf("version %s is not in the list:\n%s", number, tuitest.Screen(m))
}

// lineWith returns the first screen line holding every one of parts.
func lineWith(m *app.Model, parts ...string) string {
	for _, l := range strings.Split(tuitest.Screen(m), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return l
		}
	}
	return ""
}

// latvianText returns about size bytes of numbered Latvian clauses, one
// per line, long and short: 200 KB make about 3,300 lines.
func latvianText(size int) string {
	clauses := []string{
		"Lietotājs apņemas ievērot šos noteikumus un Platformas pārziņa norādījumus.",
		"Aģentūra nodrošina Platformas darbību, izņemot plānotus darbības pārtraukumus.",
		"Klients ar savu individuālo mācību kontu rīkojas pats un atbild par rekvizītu drošību.",
		"Izglītības iestāde ir atbildīga par to, lai tās sniegtā informācija būtu patiesa un aktuāla.",
		"Noteikumi ir saistoši visiem lietotājiem.",
		"Skatīt 2. pielikumu.",
		"Pārzinis ir Aģentūra.",
	}
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d.%d. %s\n", i/10+1, i%10+1, clauses[i%len(clauses)])
	}
	return b.String()
}

func itoa(n int) string { return fmt.Sprint(n) }
