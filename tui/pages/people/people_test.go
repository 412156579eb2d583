package people_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/pagetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

var now = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

const code = "050375-12425"

type env struct {
	people *fakes.People
	den    *fakes.Denials
	rr     *fakes.RoleRequests
	id     int64
	asg    *domain.RoleAssignment
	denial *domain.Denial
	// def and bulk are served when set (the account's forms, bulk
	// actions).
	def  *fakes.Defence
	bulk *fakes.Bulk
}

// newEnv holds Jānis Bērziņš with an account, 25 sign-ins, a running
// role and a denial in force.
func newEnv() *env {
	e := &env{people: fakes.NewPeople(), den: fakes.NewDenials(), rr: fakes.NewRoleRequests()}
	e.den.Now, e.rr.Now, e.people.Now = func() time.Time { return now }, func() time.Time { return now }, func() time.Time { return now }
	e.asg = &domain.RoleAssignment{ID: 31, UserID: 501, UserName: "Jānis Bērziņš", Role: domain.PlatformInstitutionStaff,
		InstitutionName: "Rīgas Valsts tehnikums", ValidFrom: now.AddDate(0, -6, 0), ValidUntil: now.AddDate(0, 6, 0)}
	e.rr.SetAssignments(999, []*domain.RoleAssignment{e.asg})
	e.den.AddSubject(domain.SubjectPlatformUser, 501, "Jānis Bērziņš")
	e.denial = e.den.Add(&domain.Denial{ID: 7, SubjectKind: domain.SubjectPlatformUser, SubjectID: 501, SubjectName: "Jānis Bērziņš",
		Ground: domain.GroundRulesBroken, Note: "Kopīgoja rekvizītus", State: domain.DenialInForce, RaisedBy: 77,
		RaisedAt: now.Add(-48 * time.Hour), InForceAt: now.Add(-48 * time.Hour), Version: 1})
	p := &fakes.Person{Codes: []string{code},
		Page: domain.PersonPage{Identity: domain.PersonIdentity{FirstName: "Jānis", LastName: "Bērziņš", DeathOutcome: "checked",
			LastDeathCheck: now.AddDate(0, -1, 0)},
			Account:   &domain.PersonAccount{UserID: 501, Kind: "viss", Email: "janis@example.lv"},
			Addresses: []string{"janis@example.lv", "janis@imk.example.lv"}},
		Entries: map[domain.PersonSection][]*domain.PersonEntry{
			domain.PersonRoles: {{ID: 31, At: e.asg.ValidFrom, Kind: string(e.asg.Role), State: "running",
				Text: e.asg.InstitutionName, Until: e.asg.ValidUntil, Assignment: e.asg}},
			domain.PersonDenials: {{ID: 7, At: e.denial.RaisedAt, Kind: string(e.denial.Ground), State: string(e.denial.State),
				Text: e.denial.Note, Effects: []string{"imk", "assignment×2"}, Denial: e.denial}},
		}}
	for i := range 25 {
		p.Entries[domain.PersonSignIns] = append(p.Entries[domain.PersonSignIns],
			&domain.PersonEntry{ID: int64(100 - i), At: now.Add(-time.Duration(i+1) * time.Hour), Kind: "smart_id"})
	}
	e.id = e.people.Add(p)
	return e
}

func (e *env) session(t *testing.T, roles []domain.Role, lang string) tuitest.Model {
	t.Helper()
	op := &domain.Operator{ID: 1, Name: "ilze.berzina", FullName: "Ilze Bērziņa", Roles: roles, Language: lang}
	svc := common.Services{People: e.people, Denials: e.den, RoleRequests: e.rr}
	if e.def != nil {
		svc.Defence = e.def
	}
	if e.bulk != nil {
		svc.Bulk = e.bulk
	}
	m := pagetest.At(now, svc, op).Model(t, op)
	jump(t, m, map[string]string{"lv": "person", "en": "people"}[lang])
	return m
}

// jump opens the people screen from the jump list, as an operator does
// from any number of screens.
func jump(t *testing.T, m tuitest.Model, q string) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Runes(":")...)
	tuitest.Send(t, m, tuitest.Runes(q)...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
}

func find(t *testing.T, m tuitest.Model, q string) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Runes("/")...)
	tuitest.Send(t, m, tuitest.Typed(q)...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
}

// TestPeople_SearchMasked_OpenSectionsPaged_At80x24 proves the screen in
// both languages: a search by the whole code lists the person with the
// code masked (and counts a look-up), enter opens the page — which
// counts one more — with the identity, the addresses and the death
// check (its outcome in the session's words); → goes through the sections with their counts, and m reads a
// section's next page under the first. Every view fits 80×24.
func TestPeople_SearchMasked_OpenSectionsPaged_At80x24(t *testing.T) {
	for _, tc := range []struct{ lang, found, identity, outcome, signins, shown, more, method, effects string }{
		{"lv", "Personas kods", "Platformas konts", "pārbaudīts, dzīvs", "Pieteikšanās 25", "Rādīti 20 no 25", "Rādīti 25 no 25",
			"Smart-ID", "IMK apturēts, loma apturēta (2)"},
		{"en", "Personal code", "Platform account", "checked, alive", "Sign-ins 25", "Showing 20 of 25", "Showing 25 of 25",
			"Smart-ID", "IMK suspended, role suspended (2)"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv()
			m := e.session(t, []domain.Role{domain.RoleHelpdesk}, tc.lang)
			find(t, m, strings.ReplaceAll(code, "-", ""))
			tuitest.MustShow(t, m, tc.found, "050375-*****", "Bērziņš Jānis", "janis@example.lv")
			if strings.Contains(tuitest.Screen(m), "12425") {
				t.Errorf("the list shows the whole code:\n%s", tuitest.Screen(m))
			}
			if n := len(e.people.Views()); n != 1 {
				t.Errorf("the search by code counted %d look-ups, want 1", n)
			}
			tuitest.CheckFits(t, m, 80, 24, "results")
			tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
			// The death check's outcome in words, not the stored token.
			tuitest.MustShow(t, m, "Jānis Bērziņš · 050375-*****", tc.identity, "#501 viss", "janis@imk.example.lv", tc.outcome)
			if n := len(e.people.Views()); n != 2 || len(e.people.Opened) != 1 {
				t.Errorf("opening counted %d look-ups in all (want 2), opened %v", n, e.people.Opened)
			}
			tuitest.CheckFits(t, m, 80, 24, "identity")
			for range 7 { // roles … sign-ins
				tuitest.Send(t, m, tuitest.Press(tea.KeyRight))
			}
			tuitest.MustShow(t, m, tc.shown, tc.signins, tc.method)
			if strings.Contains(tuitest.Screen(m), "smart_id") {
				t.Errorf("the sign-ins show the stored token, not the method's name:\n%s", tuitest.Screen(m))
			}
			tuitest.CheckFits(t, m, 80, 24, "sign-ins")
			tuitest.Send(t, m, tuitest.Runes("m")...)
			tuitest.MustShow(t, m, tc.more)
			tuitest.Send(t, m, tuitest.Press(tea.KeyLeft), tuitest.Press(tea.KeyLeft), tuitest.Press(tea.KeyLeft))
			tuitest.MustShow(t, m, "Kopīgoja rekvizītus", tc.effects)
			tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
			tuitest.MustShow(t, m, "050375-*****", "Bērziņš Jānis")
		})
	}
}

// TestPeople_PartOfACode_Refused: the search form refuses a number that
// can only be part of a code (issue 13's rule), and searches nothing.
func TestPeople_PartOfACode_Refused(t *testing.T) {
	e := newEnv()
	m := e.session(t, []domain.Role{domain.RoleReviewer}, "en")
	find(t, m, "050375-1")
	tuitest.MustShow(t, m, "whole personal code")
	if n := len(e.people.Views()); n != 0 {
		t.Errorf("a refused search counted %d look-ups", n)
	}
}

// TestPeople_Reveal_AsksAReasonThenShowsTheCode: v asks for a reason, and
// the code shows only once the service recorded the reveal with it.
func TestPeople_Reveal_AsksAReasonThenShowsTheCode(t *testing.T) {
	e := newEnv()
	m := e.session(t, []domain.Role{domain.RoleReviewer}, "en")
	find(t, m, "bērz")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Runes("v")...)
	tuitest.MustShow(t, m, "Reveal the whole personal code", "Reason")
	tuitest.CheckFits(t, m, 80, 24, "reveal form")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if len(e.people.Reveals()) != 0 || strings.Contains(tuitest.Screen(m), code) {
		t.Fatalf("revealed without a reason:\n%s", tuitest.Screen(m))
	}
	tuitest.Send(t, m, tuitest.Typed("ticket 42")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, code)
	if r := e.people.Reveals(); len(r) != 1 || r[0].Reason != "ticket 42" {
		t.Errorf("reveals %+v", r)
	}
}

// footer is the screen's last line.
func footer(m tuitest.Model) string {
	lines := strings.Split(tuitest.Screen(m), "\n")
	return lines[len(lines)-1]
}

// TestPeople_ActionsOfferedPerRole: deny and lift are offered to security
// only, extend and end to reviewers only (domain.MayDoOnPerson); a
// security officer denies the account from the page — the subject is the
// page's account, not a number typed — and the denials service gets it;
// a reviewer extends the role through the role requests' service.
func TestPeople_ActionsOfferedPerRole(t *testing.T) {
	open := func(t *testing.T, e *env, roles ...domain.Role) tuitest.Model {
		m := e.session(t, roles, "en")
		find(t, m, "janis@EXAMPLE.lv")
		tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
		tuitest.MustShow(t, m, "Jānis Bērziņš")
		return m
	}
	t.Run("helpdesk", func(t *testing.T) {
		e := newEnv()
		m := open(t, e, domain.RoleHelpdesk)
		if f := footer(m); strings.Contains(f, "deny access") || !strings.Contains(f, "reveal code") {
			t.Errorf("helpdesk footer %q", f)
		}
		tuitest.Send(t, m, tuitest.Runes("n")...)
		tuitest.MustShow(t, m, "do not hold the role")
		tuitest.Send(t, m, tuitest.Press(tea.KeyRight)) // roles
		if f := footer(m); strings.Contains(f, "extend role") {
			t.Errorf("helpdesk offered extend: %q", f)
		}
		if n := len(e.den.Calls()) + len(e.rr.AssignmentCalls()); n != 0 {
			t.Errorf("%d calls", n)
		}
	})
	t.Run("security", func(t *testing.T) {
		e := newEnv()
		m := open(t, e, domain.RoleSecurity)
		if f := footer(m); !strings.Contains(f, "deny access") {
			t.Errorf("security footer %q", f)
		}
		tuitest.Send(t, m, tuitest.Runes("n")...)
		tuitest.MustShow(t, m, "Subject: Jānis Bērziņš, Platform account no. 501")
		tuitest.CheckFits(t, m, 80, 24, "deny form")
		tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
		tuitest.Send(t, m, tuitest.Typed("Kopīgoja paroli")...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
		calls := e.den.Calls()
		if len(calls) != 1 || calls[0].Action != "deny" || calls[0].Kind != domain.SubjectPlatformUser || calls[0].SubjectID != 501 ||
			calls[0].Note != "Kopīgoja paroli" {
			t.Fatalf("denial calls %+v\n%s", calls, tuitest.Screen(m))
		}
		// The denials tab: lift the one in force.
		for range 4 {
			tuitest.Send(t, m, tuitest.Press(tea.KeyRight))
		}
		if f := footer(m); !strings.Contains(f, "lift") {
			t.Errorf("denials footer %q", f)
		}
	})
	t.Run("reviewer", func(t *testing.T) {
		e := newEnv()
		m := open(t, e, domain.RoleReviewer)
		tuitest.Send(t, m, tuitest.Press(tea.KeyRight))
		if f := footer(m); !strings.Contains(f, "extend role") {
			t.Errorf("reviewer footer %q", f)
		}
		tuitest.Send(t, m, tuitest.Runes("e")...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
		tuitest.Send(t, m, tuitest.Typed("the institution asked")...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
		calls := e.rr.AssignmentCalls()
		if len(calls) != 1 || calls[0].Err != nil || calls[0].Change.AssignmentID != 31 || calls[0].Change.Action != domain.AssignmentExtend {
			t.Fatalf("assignment calls %+v\n%s", calls, tuitest.Screen(m))
		}
		tuitest.MustShow(t, m, "Role no. 31 changed")
		for range 3 {
			tuitest.Send(t, m, tuitest.Press(tea.KeyRight))
		}
		tuitest.Send(t, m, tuitest.Runes("l")...)
		if len(e.den.Calls()) != 0 {
			t.Errorf("a reviewer lifted")
		}
	})
}
