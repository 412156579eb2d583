package people_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// withDefence serves the account service with Jānis's account 501, a
// password account, so that a reset goes at once.
func (e *env) withDefence() *env {
	e.def = fakes.NewDefence()
	e.def.Now = func() time.Time { return now }
	e.def.Accounts[501] = "janis@example.lv"
	e.def.ResetAccounts = map[int64]domain.ResetAccount{501: {Kind: "password", EmailConfirmed: true}}
	return e
}

func openJanis(t *testing.T, e *env, lang string, roles ...domain.Role) tuitest.Model {
	t.Helper()
	m := e.session(t, roles, lang)
	find(t, m, "janis@example.lv")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Jānis Bērziņš")
	return m
}

// TestPeople_AccountActions_HelpdeskNotReviewer_ReasonInLatvian: the
// identity tab offers the account's e-mail change (m) and password reset
// (p) to a helpdesk operator, with the services' roles
// (domain.PersonActionRoles), and neither to a reviewer, whose m is
// refused before any form; an empty reason is refused in Latvian and
// nothing is asked; then the request goes for the page's account (501),
// as does the reset.
func TestPeople_AccountActions_HelpdeskNotReviewer_ReasonInLatvian(t *testing.T) {
	t.Run("reviewer", func(t *testing.T) {
		e := newEnv().withDefence()
		m := openJanis(t, e, "en", domain.RoleReviewer)
		if f := footer(m); strings.Contains(f, "change e-mail") || strings.Contains(f, "password reset") {
			t.Errorf("reviewer footer %q", f)
		}
		tuitest.Send(t, m, tuitest.Runes("m")...)
		tuitest.MustShow(t, m, "do not hold the role")
		tuitest.MustNotShow(t, m, "New address")
		tuitest.Send(t, m, tuitest.Runes("p")...)
		tuitest.MustShow(t, m, "do not hold the role")
		if len(e.def.Changes) != 0 || len(e.def.ResetsSent) != 0 {
			t.Errorf("a reviewer reached the account service: %+v %v", e.def.Changes, e.def.ResetsSent)
		}
	})
	t.Run("helpdesk", func(t *testing.T) {
		e := newEnv().withDefence()
		m := openJanis(t, e, "lv", domain.RoleHelpdesk)
		if f := tuitest.Squeeze(footer(m)); !strings.Contains(f, "mainīt e-pastu") {
			t.Errorf("helpdesk footer %q", f)
		}
		tuitest.Send(t, m, tuitest.Runes("m")...)
		tuitest.MustShow(t, m, "Konta 501 e-pasta adreses maiņa")
		tuitest.CheckFits(t, m, 80, 24, "e-mail change form")
		tuitest.Send(t, m, tuitest.Typed("janis@jauns.lv")...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyEnter))
		tuitest.MustShow(t, m, "Norādiet iemeslu.")
		if len(e.def.Changes) != 0 {
			t.Fatalf("asked without a reason: %+v", e.def.Changes)
		}
		tuitest.Send(t, m, tuitest.Typed("zvanīja, pase pārbaudīta")...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
		if c := e.def.Changes; len(c) != 1 || c[0].UserID != 501 || c[0].NewEmail != "janis@jauns.lv" || c[0].Reason != "zvanīja, pase pārbaudīta" {
			t.Fatalf("changes %+v\n%s", c, tuitest.Screen(m))
		}
		tuitest.MustShow(t, m, "gaida otru personu")

		tuitest.Send(t, m, tuitest.Runes("p")...)
		tuitest.MustShow(t, m, "Konta 501 paroles atjaunošana")
		tuitest.Send(t, m, tuitest.Typed("aizmirsa paroli")...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
		if r := e.def.ResetsSent; r[501] != "aizmirsa paroli" || len(r) != 1 {
			t.Fatalf("resets %v\n%s", r, tuitest.Screen(m))
		}
	})
	t.Run("security", func(t *testing.T) {
		e := newEnv().withDefence()
		m := openJanis(t, e, "en", domain.RoleSecurity)
		tuitest.Send(t, m, tuitest.Runes("p")...)
		tuitest.MustShow(t, m, "do not hold the role")
		tuitest.Send(t, m, tuitest.Runes("m")...)
		tuitest.MustShow(t, m, "New address")
	})
}

// TestPeople_ContactHistory_StateWhoReason: the e-mail change requests
// tab shows each request's old and new address, its state in words (an
// expired one as expired), its reason and who asked and who decided; the
// account changes tab who asked and who approved. Stored text is drawn
// plain.
func TestPeople_ContactHistory_StateWhoReason(t *testing.T) {
	e := newEnv()
	e.people.Change(e.id, func(p *fakes.Person) {
		p.Entries[domain.PersonEmailAsked] = []*domain.PersonEntry{
			{ID: 3, At: now.Add(-time.Hour), State: domain.EmailChangeExpired, Text: "janis@example.lv → janis@vecs.lv",
				Note: "letter", By: "Anna\x1b[31m Palīdze", Until: now.Add(-time.Minute)},
		}
		p.Entries[domain.PersonChanges] = []*domain.PersonEntry{
			{ID: 4, At: now.Add(-2 * time.Hour), Kind: "email", State: "approved", Text: "old@example.lv → janis@example.lv",
				Note: "asked at the counter", By: "Anna Palīdze", DecidedBy: "Līga Otrā"},
		}
	})
	m := openJanis(t, e, "en", domain.RoleHelpdesk)
	for range 9 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyRight))
	}
	tuitest.MustShow(t, m, "Change: old@example.lv → janis@example.lv", "approved", "Asked by: Anna Palīdze; decided by: Līga Otrā")
	tuitest.Send(t, m, tuitest.Press(tea.KeyRight))
	tuitest.MustShow(t, m, "Change: janis@example.lv → janis@vecs.lv", "expired", "letter", "Asked by: Anna")
	if strings.Contains(m.View(), "\x1b[31m") {
		t.Errorf("a stored name was drawn raw")
	}
	tuitest.CheckFits(t, m, 80, 24, "e-mail change requests")
}

// bulkSpy records the bulk messages the page hands the root.
type bulkSpy struct {
	tuitest.Model
	got []common.BulkMsg
}

func (s *bulkSpy) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if b, ok := msg.(common.BulkMsg); ok {
		s.got = append(s.got, b)
	}
	return s.Model.Update(msg)
}

// TestPeople_Bulk_MarkedRowsGoAsTheirAccounts: in the search results a
// security officer marks two people and B hands the bulk screen their
// Platform accounts (domain.BulkFromPlatformUsers); a person without an
// account is left out with a message saying so, and when only such are
// marked nothing opens. A helpdesk operator, who may ask for no bulk
// job, is offered no marking.
func TestPeople_Bulk_MarkedRowsGoAsTheirAccounts(t *testing.T) {
	e := newEnv()
	e.bulk = fakes.NewBulk()
	e.people.Add(&fakes.Person{Codes: []string{"010180-11111"}, Page: domain.PersonPage{
		Identity: domain.PersonIdentity{FirstName: "Jānis", LastName: "Kalniņš"},
		Account:  &domain.PersonAccount{UserID: 502, Kind: "password", Email: "kalnins@example.lv"}}})
	e.people.Add(&fakes.Person{Codes: []string{"020280-22222"}, Page: domain.PersonPage{
		Identity: domain.PersonIdentity{FirstName: "Jānis", LastName: "Ozols"}}})

	m := &bulkSpy{Model: e.session(t, []domain.Role{domain.RoleSecurity}, "en")}
	find(t, m, "jānis")
	tuitest.MustShow(t, m, "Bērziņš Jānis", "Kalniņš Jānis", "Ozols Jānis")
	space := tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	tuitest.Send(t, m, space, tuitest.Press(tea.KeyDown), space)
	tuitest.MustShow(t, m, "2 rows marked")
	tuitest.Send(t, m, tuitest.Runes("B")...)
	if len(m.got) != 1 || m.got[0].Selection.Source != domain.BulkFromPlatformUsers ||
		!slices.Equal(m.got[0].Selection.IDs, []int64{501, 502}) || m.got[0].Selection.All {
		t.Fatalf("bulk messages %+v", m.got)
	}

	// Ozols has no account: marked with Kalniņš he is left out, and said so.
	m = &bulkSpy{Model: e.session(t, []domain.Role{domain.RoleSecurity}, "en")}
	find(t, m, "jānis")
	tuitest.Send(t, m, tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyDown), space)
	tuitest.Send(t, m, tuitest.Runes("B")...)
	tuitest.MustShow(t, m, "None of the people marked has a Platform account")
	if len(m.got) != 0 {
		t.Fatalf("opened on no account: %+v", m.got)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyUp), space)
	tuitest.Send(t, m, tuitest.Runes("B")...)
	if len(m.got) != 1 || !slices.Equal(m.got[0].Selection.IDs, []int64{502}) {
		t.Fatalf("bulk messages %+v", m.got)
	}
	tuitest.MustShow(t, m, "1 person marked without a Platform account left out.")

	h := &bulkSpy{Model: e.session(t, []domain.Role{domain.RoleHelpdesk}, "en")}
	find(t, h, "jānis")
	tuitest.Send(t, h, space)
	tuitest.Send(t, h, tuitest.Runes("B")...)
	tuitest.MustNotShow(t, h, "marked")
	if len(h.got) != 0 {
		t.Errorf("a helpdesk operator opened a bulk action: %+v", h.got)
	}
}
