package rolerequests_test

import (
	"context"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"io"
	"strconv"
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

var fixedNow = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// env is a queue of five requests, two reviewers and an administrator.
type env struct {
	ops      *fakes.Operators
	rr       *fakes.RoleRequests
	audit    *fakes.Audit
	feed     *fakes.Feed
	reviewer *domain.Operator // Jānis Ozols
	other    *domain.Operator // Anna Kalniņa, another reviewer
	admin    *domain.Operator
	// clock arms the sessions' timers: they fire when a test advances it
	// (tuitest.Advance), never by themselves.
	clock *tuitest.Clock
}

// The seeded requests, oldest first.
const (
	idInstitution = 1 // pending, two documents
	idConsultant  = 2 // pending, a duplicate, personal code 180565-05610
	idMunicipal   = 3 // e-mail not confirmed
	idStaff       = 4 // waiting at an institution for 12 days
	idAdultEd     = 5 // pending, the newest
)

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), rr: fakes.NewRoleRequests(), audit: fakes.NewAudit(0), feed: fakes.NewFeed(), clock: tuitest.NewClock(fixedNow)}
	e.rr.Now = clock
	e.reviewer = e.ops.Add(&domain.Operator{Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.other = e.ops.Add(&domain.Operator{Name: "anna.kalnina", FullName: "Anna Kalniņa", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.admin = e.ops.Add(&domain.Operator{Name: "ilze.berzina", FullName: "Ilze Bērziņa", Roles: []domain.Role{domain.RoleAdmin, domain.RoleSecurity}, Language: "lv"})

	confirmed := fixedNow.Add(-40 * time.Hour)
	e.rr.Add(&domain.RoleRequest{
		ID: idInstitution, State: domain.StatePending, Version: 3, CreatedAt: fixedNow.Add(-50 * time.Hour),
		EmailSentAt: fixedNow.Add(-50 * time.Hour), EmailConfirmedAt: confirmed, InstitutionName: "Rīgas Tehnikas koledža",
		Form: domain.RoleRequestForm{
			Kind: domain.KindInstitution, InstitutionName: "Rīgas Tehnikas koledža", CompanyRegNumber: "40003521600",
			EducationRegNumber: "3113903386", Email: "info@rtk.lv",
			Documents: []domain.Document{
				{Name: "licence.pdf", MediaType: "application/pdf", Size: 182_000, SHA256: strings.Repeat("ab12", 16)},
				{Name: "nolikums.pdf", MediaType: "application/pdf", Size: 3_400_000, SHA256: strings.Repeat("cd34", 16)},
			},
		},
	})
	e.rr.Add(&domain.RoleRequest{
		ID: idConsultant, State: domain.StatePending, Version: 7, CreatedAt: fixedNow.Add(-26 * time.Hour),
		EmailSentAt: fixedNow.Add(-26 * time.Hour), EmailConfirmedAt: fixedNow.Add(-25 * time.Hour), InstitutionName: "Daugavpils Universitāte",
		Form: domain.RoleRequestForm{
			Kind: domain.KindCareerConsultant, FirstName: "Līga", LastName: "Kalniņa", PersonalCode: "180565-05610",
			Email: "liga.kalnina@du.lv", Position: "karjeras konsultante", InstitutionID: 9,
		},
	})
	e.rr.Add(&domain.RoleRequest{
		ID: idMunicipal, State: domain.StateUnconfirmed, CreatedAt: fixedNow.Add(-3 * time.Hour), EmailSentAt: fixedNow.Add(-3 * time.Hour),
		MunicipalityName: "Jelgava",
		Form: domain.RoleRequestForm{
			Kind: domain.KindMunicipalCoordinator, FirstName: "Pēteris", LastName: "Zariņš", PersonalCode: "061193-06460",
			Email: "peteris.zarins@jelgava.lv", MunicipalityCode: "jelgava",
		},
	})
	e.rr.Add(&domain.RoleRequest{
		ID: idStaff, State: domain.StateAtInstitution, Route: domain.RouteInstitution, CreatedAt: fixedNow.Add(-12*24*time.Hour - time.Hour),
		EmailSentAt: fixedNow.Add(-12*24*time.Hour - time.Hour), EmailConfirmedAt: fixedNow.Add(-12 * 24 * time.Hour),
		InstitutionName: "Liepājas Valsts tehnikums",
		Form: domain.RoleRequestForm{
			Kind: domain.KindInstitutionStaff, FirstName: "Ieva", LastName: "Liepiņa", PersonalCode: "32550128526",
			Email: "ieva.liepina@lvt.lv", Position: "lietvede", InstitutionID: 4,
		},
	})
	e.rr.Add(&domain.RoleRequest{
		ID: idAdultEd, State: domain.StatePending, CreatedAt: fixedNow.Add(-20 * time.Minute),
		EmailSentAt: fixedNow.Add(-20 * time.Minute), EmailConfirmedAt: fixedNow.Add(-10 * time.Minute), MunicipalityName: "Ventspils",
		Form: domain.RoleRequestForm{
			Kind: domain.KindAdultEducationCoordinator, FirstName: "Kārlis", LastName: "Ozoliņš", PersonalCode: "180565-05610",
			Email: "karlis@ventspils.lv", MunicipalityCode: "ventspils",
		},
	})
	e.rr.SetDuplicates(idConsultant, []*domain.Duplicate{{Kind: "request", ID: idAdultEd, Matched: "personal_code", State: "pending", Summary: "Kārlis Ozoliņš, 180565-*****"}})
	e.rr.SetHistory(idConsultant, []*domain.RoleRequestEvent{
		{At: fixedNow.Add(-26 * time.Hour), ActorName: "Līga Kalniņa", Action: "submitted"},
		{At: fixedNow.Add(-25 * time.Hour), ActorName: "Līga Kalniņa", Action: "email_confirmed"},
	})
	return e
}

type opts struct {
	w, h    int
	lang    string
	changes bool // deliver the feed to the session
	noRR    bool // no role-request service
}

type opt func(*opts)

func size(w, h int) opt          { return func(o *opts) { o.w, o.h = w, h } }
func lang(l string) opt          { return func(o *opts) { o.lang = l } }
func withChanges() opt           { return func(o *opts) { o.changes = true } }
func withoutService() opt        { return func(o *opts) { o.noRR = true } }
func sessionOf(op string) string { return "sess-" + op }

// model returns the whole session (root model and every page) for op,
// without colour, its Init commands run.
func (e *env) model(t *testing.T, op *domain.Operator, os ...opt) *app.Model {
	t.Helper()
	m := e.program(t, op, os...)
	tuitest.Drain(t, m, m.Init())
	return m
}

// program returns the session's root model before Init, for a running
// program (whose Init must be the only one: a command left waiting on the
// feed would swallow a change).
func (e *env) program(t *testing.T, op *domain.Operator, os ...opt) *app.Model {
	t.Helper()
	o := opts{w: 80, h: 24}
	for _, f := range os {
		f(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ctx = domain.WithActor(ctx, domain.Actor{OperatorID: op.ID, Name: op.FullName, SessionID: sessionOf(op.Name), RemoteAddr: "192.0.2.7:50022"})
	cp := *op
	if o.lang != "" {
		cp.Language = o.lang
	}
	svc := common.Services{Operators: e.ops, Audit: e.audit, Dashboard: &fakes.Dashboard{}, Feed: e.feed, RoleRequests: e.rr}
	if o.noRR {
		svc.RoleRequests = nil
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
	m := app.New(app.Options{
		Ctx: ctx, Services: svc, Operator: &cp,
		Styles: theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Width:  o.w, Height: o.h, Changes: changes, Now: clock, Timers: timers,
	})
	return m
}

// openQueue switches to the queue's screen (screen 2 for a reviewer).
func openQueue(t *testing.T, m *app.Model) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Runes("2")...)
}

// selectRow moves the list's cursor to the request id.
func selectRow(t *testing.T, m *app.Model, e *env, id int64) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Press(tea.KeyHome))
	for i := 0; i < 60; i++ {
		if strings.Contains(tuitest.Screen(m), "#"+itoa(id)+" ·") {
			return
		}
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	t.Fatalf("request #%d is not in the list:\n%s", id, tuitest.Screen(m))
}

// openRequest selects request id and opens it.
func openRequest(t *testing.T, m *app.Model, e *env, id int64) {
	t.Helper()
	selectRow(t, m, e, id)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
