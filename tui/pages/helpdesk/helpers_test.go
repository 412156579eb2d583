package helpdesk_test

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

func clock() time.Time { return fixedNow }

// env is a queue of requests, two helpdesk operators and a reviewer.
type env struct {
	ops      *fakes.Operators
	hd       *fakes.Helpdesk
	audit    *fakes.Audit
	feed     *fakes.Feed
	helper   *domain.Operator // Jānis Ozols
	other    *domain.Operator // Anna Kalniņa
	reviewer *domain.Operator
	// clock arms the sessions' timers: they fire when a test advances it
	// (tuitest.Advance), never by themselves.
	clock *tuitest.Clock
}

// The seeded requests, oldest first.
const (
	idReset    = 1 // a password reset from a matched institution user
	idRaw      = 2 // an unparsable message, no match
	idSuspend  = 3 // a suspension request from a matched user
	idLatvija  = 4 // a password reset from a Latvija.gov.lv user (¶14)
	idResolved = 5 // resolved, not in the default list
)

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), hd: fakes.NewHelpdesk(), audit: fakes.NewAudit(0), feed: fakes.NewFeed(), clock: tuitest.NewClock(fixedNow)}
	e.hd.Now = clock
	e.hd.Feed = e.feed
	e.helper = e.ops.Add(&domain.Operator{Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleHelpdesk}, Language: "lv"})
	e.other = e.ops.Add(&domain.Operator{Name: "anna.kalnina", FullName: "Anna Kalniņa", Roles: []domain.Role{domain.RoleHelpdesk}, Language: "lv"})
	e.reviewer = e.ops.Add(&domain.Operator{Name: "ilze.berzina", FullName: "Ilze Bērziņa", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.hd.Add(&domain.Ticket{
		ID: idReset, Subject: "Aizmirsu paroli", From: "liga@skola.lv", Category: domain.CategoryPasswordReset,
		Suggested: domain.CategoryPasswordReset, Version: 3, CreatedAt: fixedNow.Add(-50 * time.Hour),
		Account: &domain.AccountRef{Kind: "platform_user", ID: 77, Name: "Līga Kalniņa", HasPassword: true},
		Messages: []*domain.TicketMessage{{
			At: fixedNow.Add(-50 * time.Hour), Inbound: true, From: "liga@skola.lv", Subject: "Aizmirsu paroli",
			Text:   "Labdien! Lūdzu, palīdziet atjaunot paroli Platformā.\nAr cieņu, Līga",
			Attach: []domain.Attachment{{Name: "ekrans.png", MediaType: "image/png", Size: 48213}},
		}},
	})
	e.hd.Add(&domain.Ticket{
		ID: idRaw, Subject: "=?broken?=", From: "nezinams@example.com", Category: domain.CategoryOther,
		Suggested: domain.CategoryQuestion, CreatedAt: fixedNow.Add(-26 * time.Hour),
		Messages: []*domain.TicketMessage{{At: fixedNow.Add(-26 * time.Hour), Inbound: true, From: "nezinams@example.com",
			Raw: true, Text: "Content-Type: multipart/mixed; boundary=\"x\"\n--x\nbojāts ziņojums"}},
	})
	e.hd.Add(&domain.Ticket{
		ID: idSuspend, Subject: "Lūdzu apturēt kontu", From: "peteris@example.lv", Category: domain.CategorySuspension,
		CreatedAt: fixedNow.Add(-20 * time.Minute),
		Account:   &domain.AccountRef{Kind: "platform_user", ID: 78, Name: "Pēteris Zariņš", HasPassword: true},
		Messages:  []*domain.TicketMessage{{At: fixedNow.Add(-20 * time.Minute), Inbound: true, From: "peteris@example.lv", Text: "Lūdzu apturēt manu kontu."}},
	})
	e.hd.Add(&domain.Ticket{
		ID: idLatvija, Subject: "Parole", From: "ieva@example.lv", Category: domain.CategoryPasswordReset,
		CreatedAt: fixedNow.Add(-10 * time.Minute),
		Account:   &domain.AccountRef{Kind: "platform_user", ID: 79, Name: "Ieva Liepiņa", HasPassword: false},
	})
	e.hd.Add(&domain.Ticket{ID: idResolved, Subject: "Vecs jautājums", From: "karlis@example.lv", State: domain.TicketResolved, CreatedAt: fixedNow.Add(-90 * time.Hour)})
	return e
}

type opt = queuetest.Opt

var (
	size        = queuetest.Size
	lang        = queuetest.Lang
	withChanges = queuetest.WithChanges
)

// withoutService leaves the helpdesk service out.
func withoutService() opt {
	return queuetest.WithServices(func(s *common.Services) { s.Helpdesk = nil })
}

// session is what the env's sessions are made of.
func (e *env) session() queuetest.Env {
	return queuetest.Env{Services: common.Services{Operators: e.ops, Audit: e.audit, Dashboard: &fakes.Dashboard{}, Helpdesk: e.hd},
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

// openQueue switches to the helpdesk screen, the second here.
func openQueue(t *testing.T, m *app.Model) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Runes("2")...)
}

// openTicket moves the cursor to item id (the summary under the list
// names it) and opens it.
func openTicket(t *testing.T, m *app.Model, id int64) { t.Helper(); queuetest.Open(t, m, id) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
