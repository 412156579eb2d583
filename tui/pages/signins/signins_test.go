package signins_test

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/pagetest"
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
	return pagetest.At(fixedNow, common.Services{Operators: e.ops, Defence: e.def}).Model(t, op, pagetest.Lang(lang))
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
			tuitest.Send(t, m, tuitest.Runes("2")...) // dashboard, sign-ins
			tuitest.MustShow(t, m, tc.want...)
			tuitest.CheckFits(t, m, 80, 24, "")
			if strings.Contains(tuitest.Screen(m), "203.0.113.5") {
				t.Errorf("an operator sees another's sign-ins:\n%s", tuitest.Screen(m))
			}
			// Only an administrator may ask for another operator.
			tuitest.Send(t, m, tuitest.Runes("/anna.admina")...)
			tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
			if strings.Contains(tuitest.Screen(m), "203.0.113.5") {
				t.Errorf("a non-administrator sees another's sign-ins:\n%s", tuitest.Screen(m))
			}
		})
	}
}

func TestDefenceSignIns_AdminTypesAnotherOperator_SeesTheirs(t *testing.T) {
	e := newEnv()
	m := e.model(t, e.admin, "en")
	// dashboard, operators, audit, sign-ins
	tuitest.Send(t, m, tuitest.Runes("4")...)
	tuitest.MustShow(t, m, "Sign-in history: anna.admina", "203.0.113.5:22022")
	tuitest.Send(t, m, tuitest.Runes("/")...)
	tuitest.Send(t, m, tuitest.Runes("janis.ozols")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	tuitest.MustShow(t, m, "Sign-in history: janis.ozols", "198.51.100.9:41000", "failed")
	tuitest.CheckFits(t, m, 80, 24, "")
}
