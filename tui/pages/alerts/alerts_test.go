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

func seededMisuse() *fakes.Misuse {
	ms := fakes.NewMisuse()
	ms.Now = func() time.Time { return fixedNow }
	ms.Signals = []*domain.MisuseSignal{{
		ID: 11, Kind: domain.MisuseSharedContact, Key: "email:ab12", Subject: "kopa@example.lv\x1b[31m", Count: 4, Threshold: 3,
		WindowStart: fixedNow.Add(-30 * 24 * time.Hour), WindowEnd: fixedNow, RaisedAt: fixedNow,
		Evidence: []domain.MisuseEvidence{{Kind: "role_request", ID: 12}, {Kind: "role_request", ID: 15}, {Kind: "imk_application", ID: 4}},
	}, {
		ID: 12, Kind: domain.MisuseResetBurst, Key: "platform_user:42", Subject: "aizmirsu@example.lv", Count: 5, Threshold: 5,
		WindowStart: fixedNow.Add(-24 * time.Hour), WindowEnd: fixedNow, RaisedAt: fixedNow.Add(-time.Minute),
		Evidence: []domain.MisuseEvidence{{Kind: "ticket", ID: 1}, {Kind: "ticket", ID: 2}},
	}}
	return ms
}

// TestMisuseSignals_ViewShowsEvidence_ClosesWithANote_InLatvianAndEnglish
// proves the alerts screen's second view (issue 18): m shows the signals
// about applicants and providers with what they are about (a stored value,
// drawn plain), the count against the threshold and the rows counted by
// id; x closes one only with a note; a goes back to the alerts on staff.
func TestMisuseSignals_ViewShowsEvidence_ClosesWithANote_InLatvianAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"lv", []string{"Atvērtie signāli par pieteicējiem", "kopīgs kontakts", "kopa@example.lv", "4 (slieksnis 3)",
			"lomu pieteikumi 12, 15; IMK pieteikumi 4", "daudz paroles maiņu", "02-01 12:00–03-03"}},
		{"en", []string{"Open signals on applicants and providers", "shared contact", "kopa@example.lv", "4 (threshold 3)",
			"role requests 12, 15; IMK applications 4", "many password resets"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			ms := seededMisuse()
			m := pagetest.At(fixedNow, common.Services{Defence: seeded(), Misuse: ms}, officer).Model(t, officer, pagetest.Lang(tc.lang))
			tuitest.Send(t, m, tuitest.Runes("3")...)
			tuitest.MustShow(t, m, "Pēteris Skatītājs")
			tuitest.Send(t, m, tuitest.Runes("m")...)
			tuitest.MustShow(t, m, tc.want...)
			if s := tuitest.Screen(m); strings.Contains(s, "\x1b[31m") || strings.Contains(s, "Pēteris Skatītājs") {
				t.Fatalf("the view draws a stored escape or still the staff alerts:\n%q", s)
			}
			tuitest.CheckFits(t, m, 80, 24, "")
			if tc.lang != "en" {
				return
			}
			tuitest.Send(t, m, tuitest.Runes("x")...)
			tuitest.MustShow(t, m, "Close signal 11", "Note:")
			tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
			tuitest.MustShow(t, m, "A signal is closed with a note.")
			if len(ms.Closed) != 0 {
				t.Fatalf("closed without a note: %v", ms.Closed)
			}
			tuitest.Send(t, m, tuitest.Runes("mother and daughter, one address")...)
			tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
			if ms.Closed[11] != "mother and daughter, one address" {
				t.Fatalf("closed = %v", ms.Closed)
			}
			tuitest.MustShow(t, m, "aizmirsu@example.lv")
			if strings.Contains(tuitest.Screen(m), "kopa@example.lv") {
				t.Fatalf("the closed signal is still listed:\n%s", tuitest.Screen(m))
			}
			tuitest.Send(t, m, tuitest.Runes("a")...)
			tuitest.MustShow(t, m, "Open alerts", "Pēteris Skatītājs")
		})
	}
}

func TestMisuseSignals_HiddenFromNonSecurity(t *testing.T) {
	op := &domain.Operator{ID: 2, Name: "anna", FullName: "Anna", Roles: []domain.Role{domain.RoleAdmin, domain.RoleReviewer}}
	m := pagetest.At(fixedNow, common.Services{Defence: seeded(), Misuse: seededMisuse()}, op).Model(t, op, pagetest.Lang("en"))
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "m"} {
		tuitest.Send(t, m, tuitest.Runes(k)...)
		if strings.Contains(tuitest.Screen(m), "kopa@example.lv") {
			t.Fatalf("a non-security operator sees the signals after %q:\n%s", k, tuitest.Screen(m))
		}
	}
}
