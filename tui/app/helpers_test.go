package app

import (
	"context"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/theme"
)

// env is a set of fake services with an administrator, a reviewer and a
// security officer.
type env struct {
	ops      *fakes.Operators
	audit    *fakes.Audit
	dash     *fakes.Dashboard
	feed     *fakes.Feed
	admin    *domain.Operator
	reviewer *domain.Operator
	security *domain.Operator
	changes  <-chan domain.Change
	// clock arms the session's timers: they fire when a test advances it
	// (tuitest.Advance), never by themselves.
	clock *tuitest.Clock
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), audit: fakes.NewAudit(120), dash: &fakes.Dashboard{}, feed: fakes.NewFeed(),
		clock: tuitest.NewClock(fixedNow)}
	e.admin = e.ops.Add(&domain.Operator{Name: "ilze.berzina", FullName: "Ilze Bērziņa", Roles: []domain.Role{domain.RoleAdmin, domain.RoleSecurity}, Language: "lv"})
	e.reviewer = e.ops.Add(&domain.Operator{Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.security = e.ops.Add(&domain.Operator{Name: "anna.kalnina", FullName: "Anna Kalniņa", Roles: []domain.Role{domain.RoleSecurity}, Language: "en", Disabled: true})
	ch, unsubscribe := e.feed.Subscribe()
	t.Cleanup(unsubscribe)
	e.changes = ch
	return e
}

type modelOpt func(*Options)

func withSize(w, h int) modelOpt            { return func(o *Options) { o.Width, o.Height = w, h } }
func withNow(now func() time.Time) modelOpt { return func(o *Options) { o.Now = now } }
func withIdle(d time.Duration) modelOpt     { return func(o *Options) { o.IdleTimeout = d } }

// withClockNow makes the env's clock the session's time too, so that
// advancing it moves both.
func withClockNow(e *env) modelOpt { return func(o *Options) { o.Now = e.clock.Now } }

// withFeed delivers the env's feed to the session (Options.Changes), for a
// program run by teatest; the driver's tests send changeMsg themselves.
func withFeed(e *env) modelOpt { return func(o *Options) { o.Changes = e.changes } }

func withProfile(p termenv.Profile) modelOpt {
	return func(o *Options) { o.Styles = theme.New(theme.NewRenderer(io.Discard, p)) }
}

// newModel returns a started model for op at 80×24 without colour, its
// Init commands run. Its timers are the env's clock's; it has no feed
// unless withFeed.
func newModel(t *testing.T, e *env, op *domain.Operator, opts ...modelOpt) *Model {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	o := Options{
		Ctx:      ctx,
		Services: common.Services{Operators: e.ops, Audit: e.audit, Dashboard: e.dash, Feed: e.feed},
		Operator: op,
		Styles:   theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Width:    80,
		Height:   24,
		Timers:   e.clock,
	}
	for _, f := range opts {
		f(&o)
	}
	m := New(o)
	driver.Drain(t, m, m.Init())
	return m
}

// driver runs commands as the program would: a batch's commands at once.
// The timers are the env's clock's and there is no feed, so every command
// answers at once (see tuitest.Driver).
var driver = tuitest.Driver{Wait: tuitest.Default.Wait, Limit: 200}

func opMsg(op *domain.Operator) tea.Msg { return common.OperatorMsg{Operator: op} }

func errMsg(err error) tea.Msg { return common.ErrorMsg{Err: err} }
