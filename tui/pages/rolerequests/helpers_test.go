package rolerequests_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/queuetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
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

type opt = queuetest.Opt

var (
	size        = queuetest.Size
	lang        = queuetest.Lang
	withChanges = queuetest.WithChanges
)

// withoutService leaves the role-request service out.
func withoutService() opt {
	return queuetest.WithServices(func(s *common.Services) { s.RoleRequests = nil })
}

func sessionOf(op string) string { return queuetest.SessionID(&domain.Operator{Name: op}) }

// session is what the env's sessions are made of.
func (e *env) session() queuetest.Env {
	return queuetest.Env{Services: common.Services{Operators: e.ops, Audit: e.audit, Dashboard: &fakes.Dashboard{}, RoleRequests: e.rr},
		Feed: e.feed, Now: clock, Clock: e.clock}
}

// model returns the whole session (root model and every page) for op,
// without colour, its Init commands run.
func (e *env) model(t *testing.T, op *domain.Operator, os ...opt) *app.Model {
	t.Helper()
	return e.session().Model(t, op, os...)
}

// program returns the session's root model before Init, for a running
// program.
func (e *env) program(t *testing.T, op *domain.Operator, os ...opt) *app.Model {
	t.Helper()
	return e.session().Program(t, op, os...)
}

// openQueue switches to the queue's screen (screen 2 for a reviewer).
func openQueue(t *testing.T, m *app.Model) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Runes("2")...)
}

// selectRow moves the list's cursor to the request id.
func selectRow(t *testing.T, m *app.Model, _ *env, id int64) { t.Helper(); queuetest.Select(t, m, id) }

// openRequest selects request id and opens it.
func openRequest(t *testing.T, m *app.Model, _ *env, id int64) { t.Helper(); queuetest.Open(t, m, id) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
