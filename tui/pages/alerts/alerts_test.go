package alerts_test

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
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/theme"
)

var fixedNow = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

func newModel(t *testing.T, def *fakes.Defence, op *domain.Operator, lang string) *app.Model {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ctx = domain.WithActor(ctx, domain.Actor{OperatorID: op.ID, Name: op.FullName, SessionID: "sess-" + op.Name})
	cp := *op
	cp.Language = lang
	ops := fakes.NewOperators()
	ops.Add(op)
	svc := common.Services{Operators: ops, Audit: fakes.NewAudit(0), Dashboard: &fakes.Dashboard{}, Feed: fakes.NewFeed(), Defence: def}
	m := app.New(app.Options{
		Ctx: ctx, Services: svc, Operator: &cp,
		Styles: theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Width:  80, Height: 24, Now: func() time.Time { return fixedNow },
	})
	drain(t, m, m.Init())
	return m
}

func seeded() *fakes.Defence {
	def := fakes.NewDefence()
	def.Alerts = []*domain.Alert{{
		ID: 7, Kind: domain.AlertReveals, OperatorID: 9, OperatorName: "Pēteris Skatītājs", Count: 31, Threshold: 30,
		WindowStart: fixedNow.Add(-time.Hour), WindowEnd: fixedNow, RaisedAt: fixedNow,
	}}
	return def
}

var officer = &domain.Operator{ID: 1, Name: "ilze.drosiba", FullName: "Ilze Drošība", Roles: []domain.Role{domain.RoleSecurity}}

func TestDefenceAlerts_ListRendersAt80x24_InLatvianAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"lv", []string{"Atvērtie brīdinājumi", "Operators", "Pēteris Skatītājs", "atklāti personas kodi", "31 (slieksnis 30)"}},
		{"en", []string{"Open alerts", "Operator", "Pēteris Skatītājs", "personal codes revealed", "31 (threshold 30)"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			m := newModel(t, seeded(), officer, tc.lang)
			send(t, m, typed("3")...) // dashboard, audit, alerts
			mustShow(t, m, tc.want...)
			checkFits(t, m, 80, 24)
		})
	}
}

func TestDefenceAlerts_CloseNeedsANote(t *testing.T) {
	def := seeded()
	m := newModel(t, def, officer, "en")
	send(t, m, typed("3")...)
	send(t, m, typed("x")...)
	mustShow(t, m, "Close alert 7", "Note:")
	send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	mustShow(t, m, "An alert is closed with a note.")
	if len(def.Closed) != 0 {
		t.Fatalf("closed without a note: %v", def.Closed)
	}
	checkFits(t, m, 80, 24)
	send(t, m, typed("asked the operator; a school audit")...)
	send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if def.Closed[7] != "asked the operator; a school audit" {
		t.Fatalf("closed = %v", def.Closed)
	}
	mustShow(t, m, "No open alerts.")
}

func TestDefenceAlerts_HiddenFromNonSecurity(t *testing.T) {
	op := &domain.Operator{ID: 2, Name: "janis", FullName: "Jānis", Roles: []domain.Role{domain.RoleReviewer}}
	m := newModel(t, seeded(), op, "en")
	for _, d := range []string{"2", "3"} {
		send(t, m, typed(d)...)
		if strings.Contains(screen(m), "Pēteris Skatītājs") {
			t.Fatalf("a reviewer sees alerts:\n%s", screen(m))
		}
	}
}

func send(t *testing.T, m *app.Model, msgs ...tea.Msg) {
	t.Helper()
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		drain(t, m, cmd)
	}
}

func drain(t *testing.T, m *app.Model, cmd tea.Cmd) {
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
		var all []tea.Msg
		for _, c := range msg {
			all = append(all, results(c)...)
		}
		return all
	}
	return []tea.Msg{msg}
}

func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

func screen(m *app.Model) string { return ansi.Strip(m.View()) }

func mustShow(t *testing.T, m *app.Model, wants ...string) {
	t.Helper()
	view := strings.Join(strings.Fields(screen(m)), " ")
	for _, w := range wants {
		if !strings.Contains(view, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("the screen lacks %q:\n%s", w, screen(m))
		}
	}
}

func checkFits(t *testing.T, m *app.Model, w, h int) {
	t.Helper()
	lines := strings.Split(m.View(), "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide: %q", i+1, n, ansi.Strip(l))
		}
	}
}
