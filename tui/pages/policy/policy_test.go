package policy_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/pagetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/theme"
)

var fixedNow = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

var (
	anna   = &domain.Operator{ID: 1, Name: "anna.redaktore", FullName: "Anna Redaktore", Roles: []domain.Role{domain.RoleEditor}}
	berta  = &domain.Operator{ID: 2, Name: "berta.admin", FullName: "Berta Admina", Roles: []domain.Role{domain.RoleAdmin}}
	rudolf = &domain.Operator{ID: 3, Name: "rudolfs", FullName: "Rūdolfs Recenzents", Roles: []domain.Role{domain.RoleReviewer}}
)

// seeded holds version 1 in force and version 2, Anna's draft.
func seeded() *fakes.Policy {
	v1 := domain.DefaultEligibilityPolicy()
	v1.ID, v1.Version, v1.State, v1.Name = 1, 1, domain.PolicyApproved, "Sākotnējā politika"
	v2 := v1
	v2.ID, v2.Version, v2.State, v2.Name = 2, 2, domain.PolicyDraft, "Jaunā politika"
	v2.MinAge, v2.ExcludeStudying = v1.MinAge+2, true
	v2.DraftedBy, v2.DraftedByName, v2.CreatedAt = anna.ID, anna.FullName, fixedNow.Add(-time.Hour)
	pol := fakes.NewPolicy(&v1, &v2)
	pol.Now = func() time.Time { return fixedNow } // approvals are refused for dates before it
	return pol
}

func newModel(t *testing.T, pol *fakes.Policy, op *domain.Operator, lang string) *app.Model {
	t.Helper()
	return pagetest.At(fixedNow, common.Services{Policy: pol}, op).Model(t, op, pagetest.Lang(lang))
}

// openPolicy opens the policy screen: the last tab, after the dashboard
// (and the audit log, for an administrator).
func openPolicy(t *testing.T, m *app.Model, op *domain.Operator) {
	t.Helper()
	key := "2"
	if op.HasRole(domain.RoleAdmin) {
		key = "4" // dashboard, operators, audit log, policy
	}
	tuitest.Send(t, m, tuitest.Runes(key)...)
}

func TestPolicyScreen_ListAndCompare_LatvianAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang          string
		list, compare []string
	}{
		{"lv", []string{"IMK mērķa grupas politika", "melnraksts", "apstiprināta (spēkā)", "Anna Redaktore", "Jaunā politika", "salīdzināt versiju 2"},
			[]string{"Versija 2 (melnraksts): Jaunā politika", "Spēkā: versija 1", "Minimālais vecums", "Izslēgt klātienes studējošos", "a apstiprināt", "x dzēst"}},
		{"en", []string{"IMK target-group policy", "draft", "approved (in force)", "Anna Redaktore", "Jaunā politika", "compare version 2"},
			[]string{"Version 2 (draft): Jaunā politika", "In force: version 1", "Minimum age", "Full-time students excluded", "a approve", "x discard"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			m := newModel(t, seeded(), berta, tc.lang)
			openPolicy(t, m, berta)
			tuitest.MustShow(t, m, tc.list...)
			tuitest.CheckFits(t, m, 80, 24, "list")
			tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
			tuitest.MustShow(t, m, tc.compare...)
			tuitest.CheckFits(t, m, 80, 24, "comparison")
			// The changed rules are marked, the others not.
			min := domain.DefaultEligibilityPolicy().MinAge
			var minLine, empLine string
			for _, l := range strings.Split(tuitest.Screen(m), "\n") {
				switch {
				case strings.Contains(l, map[string]string{"lv": "Minimālais vecums", "en": "Minimum age"}[tc.lang]):
					minLine = l
				case strings.Contains(l, map[string]string{"lv": "Jābūt nodarbinātam", "en": "Employment required"}[tc.lang]):
					empLine = l
				}
			}
			if !strings.HasPrefix(minLine, theme.Marker) || !strings.Contains(tuitest.Squeeze(minLine), itoa(min)+" "+itoa(min+2)) {
				t.Errorf("the changed minimum age is not shown beside the one in force, marked: %q", minLine)
			}
			if strings.HasPrefix(empLine, theme.Marker) {
				t.Errorf("an unchanged rule is marked: %q", empLine)
			}
		})
	}
}

func TestPolicyScreen_DrafterIsNotOfferedTheApproval(t *testing.T) {
	pol := seeded()
	m := newModel(t, pol, anna, "en")
	openPolicy(t, m, anna)
	tuitest.MustShow(t, m, "You cannot approve your own draft")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Version 2 (draft)", "You cannot approve your own draft", "x discard")
	tuitest.MustNotShow(t, m, "a approve")
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustNotShow(t, m, "In force from (YYYY-MM-DD")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if len(pol.Approved) != 0 {
		t.Fatalf("the drafter approved their own draft: %v", pol.Approved)
	}
}

func TestPolicyScreen_SecondEditorApprovesWithADate(t *testing.T) {
	pol := seeded()
	m := newModel(t, pol, berta, "en")
	openPolicy(t, m, berta)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "In force from (YYYY-MM-DD, empty: now):")
	tuitest.Send(t, m, tuitest.Runes("2025-13-40")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Write the date as YYYY-MM-DD")
	for range 10 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyBackspace))
	}
	tuitest.Send(t, m, tuitest.Runes("2025-03-10")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Approve version 2, in force from: 2025-03-10?")
	tuitest.CheckFits(t, m, 80, 24, "confirmation")
	if len(pol.Approved) != 0 {
		t.Fatal("approved before the confirmation")
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	want := time.Date(2025, 3, 10, 0, 0, 0, 0, time.Local)
	if at, ok := pol.Approved[2]; !ok || !at.Equal(want) {
		t.Fatalf("approved = %v, want version 2 from %v", pol.Approved, want)
	}
	tuitest.MustShow(t, m, "Version 2 approved; in force from 2025-03-10 00:00.")
}

func TestPolicyScreen_EmptyDateIsNow(t *testing.T) {
	pol := seeded()
	m := newModel(t, pol, berta, "lv")
	openPolicy(t, m, berta)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Apstiprināt versiju 2, spēkā no: tūlīt?")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if at, ok := pol.Approved[2]; !ok || !at.IsZero() {
		t.Fatalf("approved = %v, want version 2 from now (zero)", pol.Approved)
	}
}

func TestPolicyScreen_DiscardAfterConfirming(t *testing.T) {
	pol := seeded()
	m := newModel(t, pol, anna, "en")
	openPolicy(t, m, anna)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Runes("x")...)
	tuitest.MustShow(t, m, "Discard the draft, version 2?")
	if len(pol.Discarded) != 0 {
		t.Fatal("discarded before the confirmation")
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if len(pol.Discarded) != 1 || pol.Discarded[0] != 2 {
		t.Fatalf("discarded = %v", pol.Discarded)
	}
	tuitest.MustShow(t, m, "Draft (ID 2) discarded.")
	tuitest.MustNotShow(t, m, "Jaunā politika")
}

func TestPolicyScreen_HiddenFromNonEditors(t *testing.T) {
	m := newModel(t, seeded(), rudolf, "en")
	for _, d := range []string{"2", "3", "4"} {
		tuitest.Send(t, m, tuitest.Runes(d)...)
		if strings.Contains(tuitest.Screen(m), "IMK target-group policy") {
			t.Fatalf("a reviewer sees the policy screen:\n%s", tuitest.Screen(m))
		}
	}
}

// ¶26.4, GDPR Art. 22 (issue 16): the comparison shows how the priorities
// combine and which rules reject automatically, marked where they
// change; a new draft from a version edits both, the rest of the version
// kept.
func TestPolicyScreen_DraftEditsAutoRejectAndCombine_P26_4(t *testing.T) {
	pol := seeded()
	m := newModel(t, pol, berta, "en")
	openPolicy(t, m, berta)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "LKI and age priority combine by", "or (either)", "Failures a person reviews")
	tuitest.CheckFits(t, m, 80, 24, "comparison")
	tuitest.Send(t, m, tuitest.Runes("d")...)
	tuitest.MustShow(t, m, "A new draft from version 2", "Name", "or (either)", "and (both)", "current studies")
	tuitest.CheckFits(t, m, 80, 24, "draft form")
	tuitest.Send(t, m, tuitest.Runes("Tikai cilvēks")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Press(tea.KeyRight)) // and
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	for range len(domain.DefaultAutoReject()) { // untick alive … no_other_imk, tick studying
		tuitest.Send(t, m, tuitest.Runes(" ")...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	tuitest.Send(t, m, tuitest.Runes(" ")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Draft created: version 3.")
	rows, _ := pol.ListPolicies(t.Context())
	d := rows[0]
	if d.Version != 3 || d.Name != "Tikai cilvēks" || d.PriorityCombine != domain.PriorityAllOf ||
		strings.Join(d.AutoReject, ",") != domain.RuleStudying || d.MinAge != 20 || !d.ExcludeStudying {
		t.Fatalf("drafted %+v", d)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyUp))
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Version 3 (draft): Tikai cilvēks", "and (both)")
	// Version 3 leaves every rule but studying to a person: marked.
	for _, l := range strings.Split(tuitest.Screen(m), "\n") {
		if strings.Contains(l, "Failures a person reviews") &&
			(!strings.HasPrefix(l, theme.Marker) || !strings.Contains(tuitest.Squeeze(l), "studying deceased, age,")) {
			t.Errorf("the changed automatic rejections are not shown beside those in force, marked: %q", l)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// GDPR Art. 22 (issue 16): a value too long for its column (the rules a
// person reviews, when that is all six) is wrapped within the column, not
// cut: a draft that leaves every rule to a person shows every one of
// them beside the version in force. It failed before the wrapping: the
// draft's column ended "deceased, age, resid…" at 80 columns, which could
// not be told from other lists.
func TestPolicyScreen_LongValueWrapsInItsColumn_GDPRArt22(t *testing.T) {
	v1 := domain.DefaultEligibilityPolicy()
	v1.ID, v1.Version, v1.State, v1.Name = 1, 1, domain.PolicyApproved, "Sākotnējā politika"
	v2 := v1
	v2.ID, v2.Version, v2.State, v2.Name, v2.AutoReject = 2, 2, domain.PolicyDraft, "Cilvēks lemj", []string{}
	v2.DraftedBy, v2.DraftedByName, v2.CreatedAt = anna.ID, anna.FullName, fixedNow.Add(-time.Hour)
	pol := fakes.NewPolicy(&v1, &v2)
	pol.Now = func() time.Time { return fixedNow }
	m := newModel(t, pol, berta, "en")
	openPolicy(t, m, berta)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Version 2 (draft): Cilvēks lemj", "Failures a person reviews")
	tuitest.CheckFits(t, m, 80, 24, "comparison")
	lines := strings.Split(tuitest.Screen(m), "\n")
	var cells []string // the draft column of the row and the lines it wraps onto
	for i, l := range lines {
		if !strings.Contains(l, "Failures a person reviews") {
			continue
		}
		if !strings.HasPrefix(l, theme.Marker) {
			t.Errorf("the changed row is not marked: %q", l)
		}
		cells = append(cells, l)
		for _, next := range lines[i+1:] {
			if strings.TrimSpace(ansi.Strip(next)) == "" || !strings.HasPrefix(next, "   ") {
				break
			}
			cells = append(cells, next)
		}
	}
	got := tuitest.Squeeze(strings.Join(cells, " "))
	for _, want := range []string{"deceased,", "age,", "residence,", "employment,", "other IMK,", "studying"} {
		if !strings.Contains(got, want) {
			t.Errorf("the rules a person reviews lack %q: %q", want, got)
		}
	}
	if strings.Contains(got, "…") {
		t.Errorf("the value is cut: %q", got)
	}
}
