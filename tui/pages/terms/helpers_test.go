package terms_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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
	e := &env{ops: fakes.NewOperators(), terms: fakes.NewTerms(), ann: fakes.NewAnnouncements(), feed: fakes.NewFeed()}
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
	drain(t, m, m.Init())
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
	return app.New(app.Options{
		Ctx: ctx, Services: svc, Operator: &cp,
		Styles: theme.New(theme.NewRenderer(io.Discard, o.profile)),
		Width:  o.w, Height: o.h, Changes: changes, Now: clock,
	})
}

// send runs msgs through the model, each followed by every command it
// leads to, as the program would.
func send(t testing.TB, m *app.Model, msgs ...tea.Msg) {
	t.Helper()
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		drain(t, m, cmd)
	}
}

func drain(t testing.TB, m *app.Model, cmd tea.Cmd) {
	t.Helper()
	queue := results(cmd)
	for i := 0; len(queue) > 0; i++ {
		if i > 500 {
			t.Fatal("commands do not settle")
		}
		msg := queue[0]
		queue = queue[1:]
		if _, ok := msg.(tea.QuitMsg); ok {
			continue
		}
		_, next := m.Update(msg)
		queue = append(queue, results(next)...)
	}
}

// results runs cmd and returns what it answers; a batch's commands run at
// once. A command that does not answer soon (a timer) is dropped.
func results(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	out := make(chan tea.Msg, 1)
	go func() { out <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-out:
	case <-time.After(120 * time.Millisecond):
		return nil
	}
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		parts := make([]chan []tea.Msg, len(msg))
		for i, c := range msg {
			parts[i] = make(chan []tea.Msg, 1)
			go func() { parts[i] <- results(c) }()
		}
		var all []tea.Msg
		for _, p := range parts {
			all = append(all, <-p...)
		}
		return all
	}
	return []tea.Msg{msg}
}

func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		if r == ' ' {
			out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			continue
		}
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

func press(k tea.KeyType) tea.Msg { return tea.KeyMsg{Type: k} }

func pasted(s string) tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true} }

// screen is the view without escape sequences.
func screen(m *app.Model) string { return ansi.Strip(m.View()) }

// squeezed collapses runs of white space.
func squeezed(m *app.Model) string { return strings.Join(strings.Fields(screen(m)), " ") }

// cursorGlyph is the editor's cursor on a terminal without colour; the
// checks below see through it unless they look for it.
const cursorGlyph = "▏"

func mustShow(t testing.TB, m *app.Model, wants ...string) {
	t.Helper()
	view := squeezed(m)
	bare := strings.ReplaceAll(view, cursorGlyph, "")
	for _, w := range wants {
		w = strings.Join(strings.Fields(w), " ")
		if !strings.Contains(view, w) && !strings.Contains(bare, w) {
			t.Errorf("the screen lacks %q:\n%s", w, screen(m))
		}
	}
}

func mustNotShow(t testing.TB, m *app.Model, unwanted ...string) {
	t.Helper()
	view := squeezed(m)
	bare := strings.ReplaceAll(view, cursorGlyph, "")
	for _, u := range unwanted {
		u = strings.Join(strings.Fields(u), " ")
		if strings.Contains(view, u) || strings.Contains(bare, u) {
			t.Errorf("the screen shows %q:\n%s", u, screen(m))
		}
	}
}

// footer is the screen's last line.
func footer(m *app.Model) string {
	lines := strings.Split(screen(m), "\n")
	return lines[len(lines)-1]
}

// checkFits fails when the view has a line wider than w or not h lines.
func checkFits(t testing.TB, m *app.Model, w, h int, what string) {
	t.Helper()
	lines := strings.Split(m.View(), "\n")
	if len(lines) != h {
		t.Errorf("%s at %d×%d: %d lines, want %d", what, w, h, len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("%s at %d×%d: line %d is %d cells wide: %q", what, w, h, i+1, n, ansi.Strip(l))
		}
	}
}

// openTerms switches to the terms screen (screen 2 for an editor).
func openTerms(t testing.TB, m *app.Model) {
	t.Helper()
	send(t, m, typed("2")...)
}

// selectVersion moves the list's cursor to the version numbered number.
func selectVersion(t testing.TB, m *app.Model, number string) {
	t.Helper()
	send(t, m, press(tea.KeyHome))
	for i := 0; i < 20; i++ {
		for _, l := range strings.Split(screen(m), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "› ") && strings.Contains(l, " "+number+" ") {
				return
			}
		}
		send(t, m, press(tea.KeyDown))
	}
	t.Fatalf("version %s is not in the list:\n%s", number, screen(m))
}

// lineWith returns the first screen line holding every one of parts.
func lineWith(m *app.Model, parts ...string) string {
	for _, l := range strings.Split(screen(m), "\n") {
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
