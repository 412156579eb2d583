package app

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), audit: fakes.NewAudit(120), dash: &fakes.Dashboard{}, feed: fakes.NewFeed()}
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
func withProfile(p termenv.Profile) modelOpt {
	return func(o *Options) { o.Styles = theme.New(theme.NewRenderer(io.Discard, p)) }
}

// newModel returns a started model for op at 80×24 without colour, its
// Init commands run.
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
		Changes:  e.changes,
	}
	for _, f := range opts {
		f(&o)
	}
	m := New(o)
	drain(t, m, m.Init())
	return m
}

// quitReason is set by drain when a command asked the program to quit.
type result struct{ quit bool }

// send runs msg through the model and then every command it leads to,
// feeding their messages back, as the program would. Commands that do not
// answer within a moment (timers, the feed) are dropped.
func send(t *testing.T, m *Model, msgs ...tea.Msg) result {
	t.Helper()
	var r result
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		if drain(t, m, cmd).quit {
			r.quit = true
		}
	}
	return r
}

func drain(t *testing.T, m *Model, cmd tea.Cmd) result {
	t.Helper()
	var r result
	queue := run(cmd)
	for i := 0; len(queue) > 0; i++ {
		if i > 200 {
			t.Fatal("commands do not settle")
		}
		msg := queue[0]
		queue = queue[1:]
		if _, ok := msg.(tea.QuitMsg); ok {
			r.quit = true
			continue
		}
		_, cmd := m.Update(msg)
		queue = append(queue, run(cmd)...)
	}
	return r
}

// run executes cmd and returns the messages it leads to: a batch's
// commands run concurrently; a single command that does not answer within
// 150 ms (a timer, the feed) is dropped.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	one := make(chan tea.Msg, 1)
	go func() { one <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-one:
	case <-time.After(150 * time.Millisecond):
		return nil
	}
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		res := make(chan []tea.Msg, len(msg))
		for _, c := range msg {
			go func() { res <- run(c) }()
		}
		var all []tea.Msg
		for range msg {
			all = append(all, <-res...)
		}
		return all
	}
	return []tea.Msg{msg}
}

func keys(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

func press(k tea.KeyType) tea.Msg { return tea.KeyMsg{Type: k} }

// plain is the view without escape sequences.
func plain(m *Model) string { return ansi.Strip(m.View()) }

// checkFits fails when the view has a line wider than w or not exactly h
// lines.
func checkFits(t *testing.T, m *Model, w, h int, what string) {
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

func opMsg(op *domain.Operator) tea.Msg { return common.OperatorMsg{Operator: op} }

func errMsg(err error) tea.Msg { return common.ErrorMsg{Err: err} }

// squeeze collapses every run of white space into one space.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }
