package mergeconflicts_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/pagetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

var fixedNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

var (
	officer  = &domain.Operator{ID: 1, Name: "ilze.drosiba", FullName: "Ilze Drošība", Roles: []domain.Role{domain.RoleSecurity}}
	reviewer = &domain.Operator{ID: 2, Name: "rita", FullName: "Rita", Roles: []domain.Role{domain.RoleReviewer}}
)

func seeded() *fakes.PersonMerge {
	return &fakes.PersonMerge{Conflicts: []*domain.MergeConflict{
		{ID: 5, Why: "both have a Platform account", FoundAt: fixedNow.Add(-time.Hour),
			From: domain.MergeSide{PersonID: 10, MaskedCode: "010180-*****", Name: "Jānis Ozoliņš", UserID: 501, AccountEmail: "janis@example.lv",
				AccountKind: "viss", IMKStates: []string{"rejected"}},
			Into: domain.MergeSide{PersonID: 11, MaskedCode: "320000-*****", Name: "Jānis Ozoliņš", UserID: 502, AccountEmail: "j.ozolins@example.lv",
				AccountKind: "viss"}},
		{ID: 6, Why: "both have an active IMK", FoundAt: fixedNow.Add(-time.Minute),
			From: domain.MergeSide{PersonID: 12, MaskedCode: "020290-*****", Name: "Inese Kļava", IMKStates: []string{"approved"}, ActiveIMK: true},
			Into: domain.MergeSide{PersonID: 13, MaskedCode: "320001-*****", Name: "Inese Kļava", IMKStates: []string{"applied"}, ActiveIMK: true}},
	}}
}

func newModel(t *testing.T, pm *fakes.PersonMerge, op *domain.Operator, lang string) *app.Model {
	t.Helper()
	m := pagetest.At(fixedNow, common.Services{PersonMerge: pm}, op).Model(t, op, pagetest.Lang(lang), pagetest.Size(100, 30))
	return m
}

// open goes to the screen by its tab.
func open(t *testing.T, m *app.Model) {
	t.Helper()
	for _, d := range "123456789" {
		tuitest.Send(t, m, tuitest.Runes(string(d))...)
		if strings.Contains(tuitest.Screen(m), "Vecākais ieraksts") || strings.Contains(tuitest.Screen(m), "Older record") {
			return
		}
	}
	t.Fatalf("no merge conflicts screen:\n%s", tuitest.Screen(m))
}

// Issue 17: the officer sees both records side by side, codes masked, in
// Latvian; a merge needs the account that stays and a reason; both with
// an active IMK cannot be merged here.
func TestMergeConflicts_SideBySide_MergeNeedsChoiceAndReason(t *testing.T) {
	pm := seeded()
	m := newModel(t, pm, officer, "lv")
	open(t, m)
	tuitest.MustShow(t, m, "Personu sapludināšanas konflikti", "010180-*****", "320000-*****", "abiem ir Platformas konts",
		"konts 501 · janis@example.lv", "konts 502 · j.ozolins@example.lv", "IMK: noraidīts", "bez IMK")
	tuitest.MustNotShow(t, m, "rejected")
	tuitest.CheckFits(t, m, 100, 30, "")
	tuitest.Send(t, m, tuitest.Runes("j")...)
	tuitest.MustShow(t, m, "Sapludināt konfliktu 5", "Paliek konts", "vecākā ieraksta konts")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter}, tea.KeyMsg{Type: tea.KeyEnter})
	tuitest.MustShow(t, m, "Izvēlieties, kurš konts paliek.", "Norādiet iemeslu.")
	if len(pm.Resolved) != 0 {
		t.Fatal("merged without a choice or a reason")
	}
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyShiftTab}, tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyTab})
	tuitest.Send(t, m, tuitest.Runes("persona apliecināja abus kodus")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if len(pm.Resolved) != 1 || pm.Resolved[0].KeepUserID != 501 || pm.Resolved[0].Reason != "persona apliecināja abus kodus" {
		t.Fatalf("resolved = %+v\n%s", pm.Resolved, tuitest.Screen(m))
	}
	tuitest.MustShow(t, m, "Konflikts 5 atrisināts")
	tuitest.MustNotShow(t, m, "010180-*****")
	// The remaining pair both hold an active IMK: merge is refused.
	tuitest.Send(t, m, tuitest.Runes("j")...)
	tuitest.MustShow(t, m, "IMK ekrānā")
	tuitest.Send(t, m, tuitest.Runes("n")...)
	tuitest.Send(t, m, tuitest.Runes("dažādi dzimšanas datumi")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if len(pm.Resolved) != 2 || pm.Resolved[1].Outcome != domain.MergeDistinct {
		t.Fatalf("resolved = %+v", pm.Resolved)
	}
	tuitest.MustShow(t, m, "Nav neatrisinātu konfliktu.")
}

// The IMK states are the IMK screen's words, in the session's language.
func TestMergeConflicts_IMKStatesInTheSessionsLanguage(t *testing.T) {
	m := newModel(t, seeded(), officer, "en")
	open(t, m)
	tuitest.MustShow(t, m, "IMK: rejected", "no IMK")
}

func TestMergeConflicts_HiddenFromReviewers(t *testing.T) {
	m := newModel(t, seeded(), reviewer, "en")
	for _, d := range "123456789" {
		tuitest.Send(t, m, tuitest.Runes(string(d))...)
		if strings.Contains(tuitest.Screen(m), "320000-*****") {
			t.Fatalf("a reviewer sees merge conflicts:\n%s", tuitest.Screen(m))
		}
	}
}
