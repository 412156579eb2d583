// Package queuetest is the session the queue screens' tests drive: the
// whole root model of an operator's session on the test doubles, without
// colour, on a clock the test moves, and the moves through a queue's list
// that find an item by the "#id ·" its summary starts with.
package queuetest

import (
	"context"
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
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/theme"
)

// Env is what a session is made of: the services (the feed among them),
// the session's time and the clock its timers are armed on.
type Env struct {
	Services common.Services
	Feed     *fakes.Feed
	Now      func() time.Time
	Clock    *tuitest.Clock
}

// Options change a session.
type Options struct {
	Width, Height int
	Lang          string // the operator's language; "": theirs
	// Changes delivers the feed to the session, which then keeps real
	// timers: its test waits for the debounce as an operator would.
	Changes bool
	// Services changes the services of the session.
	Services []func(*common.Services)
}

// Opt is an option of a session.
type Opt func(*Options)

// Size sets the session's terminal size.
func Size(w, h int) Opt { return func(o *Options) { o.Width, o.Height = w, h } }

// Lang sets the operator's language.
func Lang(l string) Opt { return func(o *Options) { o.Lang = l } }

// WithChanges delivers the feed to the session.
func WithChanges() Opt { return func(o *Options) { o.Changes = true } }

// WithServices changes the session's services.
func WithServices(change func(*common.Services)) Opt {
	return func(o *Options) { o.Services = append(o.Services, change) }
}

// SessionID is the id of op's session.
func SessionID(op *domain.Operator) string { return "sess-" + op.Name }

// Model returns op's whole session, its Init commands run.
func (e Env) Model(t *testing.T, op *domain.Operator, opts ...Opt) *app.Model {
	t.Helper()
	m := e.Program(t, op, opts...)
	tuitest.Drain(t, m, m.Init())
	return m
}

// Program returns op's session before Init, for a running program (whose
// Init must be the only one: a command left waiting on the feed would
// swallow a change).
func (e Env) Program(t *testing.T, op *domain.Operator, opts ...Opt) *app.Model {
	t.Helper()
	o := Options{Width: 80, Height: 24}
	for _, f := range opts {
		f(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ctx = domain.WithActor(ctx, domain.Actor{OperatorID: op.ID, Name: op.FullName, SessionID: SessionID(op), RemoteAddr: "192.0.2.7:50022"})
	cp := *op
	if o.Lang != "" {
		cp.Language = o.Lang
	}
	svc := e.Services
	svc.Feed = e.Feed
	for _, change := range o.Services {
		change(&svc)
	}
	var changes <-chan domain.Change
	var timers common.Timers = e.Clock
	if o.Changes {
		ch, stop := e.Feed.Subscribe()
		t.Cleanup(stop)
		changes, timers = ch, nil
	}
	return app.New(app.Options{
		Ctx: ctx, Services: svc, Operator: &cp,
		Styles: theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Width:  o.Width, Height: o.Height, Changes: changes, Now: e.Now, Timers: timers,
	})
}

// Select moves the list's cursor to item id, which the summary under the
// list names as "#id ·".
func Select(t *testing.T, m *app.Model, id int64) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Press(tea.KeyHome))
	for range 60 {
		if strings.Contains(tuitest.Screen(m), "#"+strconv.FormatInt(id, 10)+" ·") {
			return
		}
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	t.Fatalf("item #%d is not in the list:\n%s", id, tuitest.Screen(m))
}

// Open selects item id and opens it.
func Open(t *testing.T, m *app.Model, id int64) {
	t.Helper()
	Select(t, m, id)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
}
