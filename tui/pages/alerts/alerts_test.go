package alerts_test

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

func newModel(t *testing.T, def *fakes.Defence, op *domain.Operator, lang string) *app.Model {
	t.Helper()
	return pagetest.At(fixedNow, common.Services{Defence: def}, op).Model(t, op, pagetest.Lang(lang))
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
			tuitest.Send(t, m, tuitest.Runes("3")...) // dashboard, audit, alerts
			tuitest.MustShow(t, m, tc.want...)
			tuitest.CheckFits(t, m, 80, 24, "")
		})
	}
}

func TestDefenceAlerts_CloseNeedsANote(t *testing.T) {
	def := seeded()
	m := newModel(t, def, officer, "en")
	tuitest.Send(t, m, tuitest.Runes("3")...)
	tuitest.Send(t, m, tuitest.Runes("x")...)
	tuitest.MustShow(t, m, "Close alert 7", "Note:")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	tuitest.MustShow(t, m, "An alert is closed with a note.")
	if len(def.Closed) != 0 {
		t.Fatalf("closed without a note: %v", def.Closed)
	}
	tuitest.CheckFits(t, m, 80, 24, "")
	tuitest.Send(t, m, tuitest.Runes("asked the operator; a school audit")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if def.Closed[7] != "asked the operator; a school audit" {
		t.Fatalf("closed = %v", def.Closed)
	}
	tuitest.MustShow(t, m, "No open alerts.")
}

func TestDefenceAlerts_HiddenFromNonSecurity(t *testing.T) {
	op := &domain.Operator{ID: 2, Name: "janis", FullName: "Jānis", Roles: []domain.Role{domain.RoleReviewer}}
	m := newModel(t, seeded(), op, "en")
	for _, d := range []string{"2", "3"} {
		tuitest.Send(t, m, tuitest.Runes(d)...)
		if strings.Contains(tuitest.Screen(m), "Pēteris Skatītājs") {
			t.Fatalf("a reviewer sees alerts:\n%s", tuitest.Screen(m))
		}
	}
}
