package imk_test

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strconv"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/queuetest"
)

var fixedNow = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

// evidenceOf is a rule's evidence as domain.Evaluate gives it.
func evidenceOf(key string, args ...domain.EvidenceArg) domain.Evidence {
	return domain.Evidence{Key: key, Args: args}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func clock() time.Time { return fixedNow }

// env is a queue of three applications in review, two reviewers and an
// administrator.
type env struct {
	ops      *fakes.Operators
	imk      *fakes.IMK
	audit    *fakes.Audit
	feed     *fakes.Feed
	reviewer *domain.Operator // Jānis Ozols
	other    *domain.Operator // Anna Kalniņa
	admin    *domain.Operator
	// clock arms the sessions' timers: they fire when a test advances it
	// (tuitest.Advance), never by themselves.
	clock *tuitest.Clock
}

// The seeded applications, oldest first.
const (
	idStale    = 1 // VID data stale: employment unknown, priority by age
	idOutage   = 2 // the Population Register did not answer
	idBorder   = 3 // a birthday today
	idApproved = 4 // decided already, not in the list
)

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), imk: fakes.NewIMK(), audit: fakes.NewAudit(0), feed: fakes.NewFeed(), clock: tuitest.NewClock(fixedNow)}
	e.imk.Now = clock
	e.reviewer = e.ops.Add(&domain.Operator{Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.other = e.ops.Add(&domain.Operator{Name: "anna.kalnina", FullName: "Anna Kalniņa", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.admin = e.ops.Add(&domain.Operator{Name: "ilze.berzina", FullName: "Ilze Bērziņa", Roles: []domain.Role{domain.RoleAdmin, domain.RoleSecurity}, Language: "lv"})

	old := fixedNow.Add(-200 * 24 * time.Hour)
	recent := fixedNow.Add(-2 * time.Hour)
	e.imk.Add(&domain.IMKApplication{
		ID: idStale, PersonalCode: "180565-05610", FirstName: "Līga", LastName: "Kalniņa", Email: "liga@example.lv",
		Version: 4, AppliedAt: fixedNow.Add(-50 * time.Hour),
		Evaluation: &domain.Evaluation{
			PolicyID: 3, CheckDate: fixedNow.Add(-49 * time.Hour), Outcome: domain.OutcomeNeedsReview, Priority: domain.PriorityYes,
			ReviewWhy: []string{"employment"},
			Rules: []domain.RuleResult{
				{Rule: "alive", Verdict: domain.VerdictPass, Evidence: evidenceOf("imk.ev.alive"), Source: domain.RegisterPopulation, SnapshotID: 11, FetchedAt: recent},
				{Rule: "age", Verdict: domain.VerdictPass, Evidence: evidenceOf("imk.ev.age", domain.NumberArg(59), domain.DateArg(day("1965-05-18")), domain.DateArg(day("2025-03-01"))), Source: domain.RegisterPopulation, SnapshotID: 11, FetchedAt: recent},
				{Rule: "residence", Verdict: domain.VerdictPass, Evidence: evidenceOf("imk.ev.resident", domain.TextArg("Rīga")), Source: domain.RegisterPopulation, SnapshotID: 11, FetchedAt: recent},
				{Rule: "employment", Verdict: domain.VerdictUnknown, Evidence: evidenceOf("imk.ev.stale", domain.RegisterArg(domain.RegisterRevenue), domain.DateArg(old)), Source: domain.RegisterRevenue, SnapshotID: 12, FetchedAt: old},
				{Rule: "no_other_imk", Verdict: domain.VerdictPass, Evidence: evidenceOf("imk.ev.no_other_imk")},
				{Rule: "priority_age", Verdict: domain.VerdictPass, Evidence: evidenceOf("imk.ev.age_at_least", domain.NumberArg(59), domain.NumberArg(45)), Source: domain.RegisterPopulation, SnapshotID: 11, FetchedAt: recent},
				{Rule: "priority_lki", Verdict: domain.VerdictFail, Evidence: evidenceOf("imk.ev.lki_gt", domain.NumberArg(6), domain.NumberArg(3)), Source: domain.RegisterEducation, SnapshotID: 13, FetchedAt: recent},
			},
		},
	})
	e.imk.Add(&domain.IMKApplication{
		ID: idOutage, PersonalCode: "061193-06460", FirstName: "Pēteris", LastName: "Zariņš", Version: 2, AppliedAt: fixedNow.Add(-26 * time.Hour),
		Evaluation: &domain.Evaluation{
			PolicyID: 3, CheckDate: fixedNow.Add(-26 * time.Hour), Outcome: domain.OutcomeNeedsReview,
			ReviewWhy: []string{"alive", "residence"},
			Rules: []domain.RuleResult{
				{Rule: "alive", Verdict: domain.VerdictUnknown, Evidence: domain.Evidence{Prose: "population did not answer"}, Source: domain.RegisterPopulation, FetchedAt: fixedNow.Add(-26 * time.Hour)},
				{Rule: "residence", Verdict: domain.VerdictUnknown, Evidence: domain.Evidence{Prose: "population did not answer"}, Source: domain.RegisterPopulation, FetchedAt: fixedNow.Add(-26 * time.Hour)},
				{Rule: "employment", Verdict: domain.VerdictFail, Evidence: evidenceOf("imk.ev.no_employment", domain.NumberArg(0), domain.DateArg(fixedNow)), Source: domain.RegisterRevenue, FetchedAt: fixedNow.Add(-26 * time.Hour)},
			},
		},
	})
	e.imk.Add(&domain.IMKApplication{
		ID: idBorder, PersonalCode: "32550128526", FirstName: "Ieva", LastName: "Liepiņa", Version: 1, AppliedAt: fixedNow.Add(-20 * time.Minute),
		Evaluation: &domain.Evaluation{PolicyID: 3, CheckDate: fixedNow, Outcome: domain.OutcomeNeedsReview, ReviewWhy: []string{"age"},
			Rules: []domain.RuleResult{{Rule: "age", Verdict: domain.VerdictUnknown, Evidence: evidenceOf("imk.ev.no_birth_date"), Source: domain.RegisterPopulation, FetchedAt: fixedNow}}},
	})
	e.imk.Add(&domain.IMKApplication{ID: idApproved, PersonalCode: "180565-05610", FirstName: "Kārlis", LastName: "Ozoliņš", State: domain.IMKApproved, AppliedAt: fixedNow.Add(-90 * time.Hour)})
	return e
}

type opt = queuetest.Opt

var (
	size        = queuetest.Size
	lang        = queuetest.Lang
	withChanges = queuetest.WithChanges
)

// withoutService leaves the IMK service out.
func withoutService() opt {
	return queuetest.WithServices(func(s *common.Services) { s.IMK = nil })
}

// session is what the env's sessions are made of.
func (e *env) session() queuetest.Env {
	return queuetest.Env{Services: common.Services{Operators: e.ops, Audit: e.audit, Dashboard: &fakes.Dashboard{}, IMK: e.imk},
		Feed: e.feed, Now: clock, Clock: e.clock}
}

// model returns the whole session for op, without colour, Init run.
func (e *env) model(t *testing.T, op *domain.Operator, os ...opt) *app.Model {
	t.Helper()
	return e.session().Model(t, op, os...)
}

// program returns the session's root model before Init.
func (e *env) program(t *testing.T, op *domain.Operator, os ...opt) *app.Model {
	t.Helper()
	return e.session().Program(t, op, os...)
}

// openQueue switches to the IMK screen, the second here.
func openQueue(t *testing.T, m *app.Model) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Runes("2")...)
}

// openApp moves the cursor to item id (the summary under the list
// names it) and opens it.
func openApp(t *testing.T, m *app.Model, id int64) { t.Helper(); queuetest.Open(t, m, id) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
