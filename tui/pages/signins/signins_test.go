package signins_test

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

type env struct {
	ops   *fakes.Operators
	def   *fakes.Defence
	user  *domain.Operator
	admin *domain.Operator
}

func newEnv() *env {
	e := &env{ops: fakes.NewOperators(), def: fakes.NewDefence()}
	e.user = e.ops.Add(&domain.Operator{Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.admin = e.ops.Add(&domain.Operator{Name: "anna.admina", FullName: "Anna Admina", Roles: []domain.Role{domain.RoleAdmin}, Language: "lv"})
	e.def.Admins[e.admin.ID] = true
	e.def.History[e.user.ID] = []*domain.SignIn{
		{At: fixedNow.Add(-2 * time.Hour), Name: "janis.ozols", RemoteAddr: "192.0.2.7:50022", Method: "publickey", Success: true},
		{At: fixedNow.Add(-1 * time.Hour), Name: "janis.ozols", RemoteAddr: "198.51.100.9:41000", Method: "password", Success: false},
	}
	e.def.History[e.admin.ID] = []*domain.SignIn{
		{At: fixedNow.Add(-3 * time.Hour), Name: "anna.admina", RemoteAddr: "203.0.113.5:22022", Method: "publickey", Success: true},
	}
	return e
}

func (e *env) model(t *testing.T, op *domain.Operator, lang string) *app.Model {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ctx = domain.WithActor(ctx, domain.Actor{OperatorID: op.ID, Name: op.FullName, SessionID: "sess-" + op.Name, RemoteAddr: "192.0.2.7:50022"})
	cp := *op
	cp.Language = lang
	svc := common.Services{Operators: e.ops, Audit: fakes.NewAudit(0), Dashboard: &fakes.Dashboard{}, Feed: fakes.NewFeed(), Defence: e.def}
	m := app.New(app.Options{
		Ctx: ctx, Services: svc, Operator: &cp,
		Styles: theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Width:  80, Height: 24, Now: func() time.Time { return fixedNow },
	})
	drain(t, m, m.Init())
	return m
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

func TestDefenceSignIns_OwnHistory_RendersAt80x24_InLatvianAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"lv", []string{"Pierakstīšanās vēsture: janis.ozols", "Laiks", "Adrese", "Veids", "Rezultāts",
			"192.0.2.7:50022", "SSH atslēga", "izdevās", "198.51.100.9:41000", "parole", "neizdevās"}},
		{"en", []string{"Sign-in history: janis.ozols", "Time", "Address", "Method", "Result",
			"192.0.2.7:50022", "SSH key", "succeeded", "198.51.100.9:41000", "password", "failed"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv()
			m := e.model(t, e.user, tc.lang)
			send(t, m, typed("2")...) // dashboard, sign-ins
			mustShow(t, m, tc.want...)
			checkFits(t, m, 80, 24)
			if strings.Contains(screen(m), "203.0.113.5") {
				t.Errorf("an operator sees another's sign-ins:\n%s", screen(m))
			}
			// Only an administrator may ask for another operator.
			send(t, m, typed("/anna.admina")...)
			send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
			if strings.Contains(screen(m), "203.0.113.5") {
				t.Errorf("a non-administrator sees another's sign-ins:\n%s", screen(m))
			}
		})
	}
}

func TestDefenceSignIns_AdminTypesAnotherOperator_SeesTheirs(t *testing.T) {
	e := newEnv()
	m := e.model(t, e.admin, "en")
	// dashboard, operators, audit, sign-ins
	send(t, m, typed("4")...)
	mustShow(t, m, "Sign-in history: anna.admina", "203.0.113.5:22022")
	send(t, m, typed("/")...)
	send(t, m, typed("janis.ozols")...)
	send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	mustShow(t, m, "Sign-in history: janis.ozols", "198.51.100.9:41000", "failed")
	checkFits(t, m, 80, 24)
}
