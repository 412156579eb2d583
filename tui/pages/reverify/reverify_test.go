package reverify_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/queuetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

var fixedNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// env is a queue of two re-verifications (one liquidated, with a hostile
// name from the register; one renamed) and two reviewers.
type env struct {
	ops      *fakes.Operators
	rv       *fakes.Reverify
	reviewer *domain.Operator
	other    *domain.Operator
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), rv: fakes.NewReverify()}
	e.rv.Now = clock
	e.reviewer = e.ops.Add(&domain.Operator{Name: "janis.ozols", FullName: "Jānis Ozols", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.other = e.ops.Add(&domain.Operator{Name: "anna.kalnina", FullName: "Anna Kalniņa", Roles: []domain.Role{domain.RoleReviewer}, Language: "lv"})
	e.rv.Add(&domain.Reverification{ID: 1, InstitutionID: 7, InstitutionName: "Ābeles skola", CompanyRegNo: "40003521600", InstitutionNo: "3013900001",
		Version: 3, CreatedAt: fixedNow.Add(-26 * time.Hour), Differences: []domain.Difference{domain.DiffCompanyLiquidated},
		Company: &domain.EnterpriseRecord{RegNumber: "40003521600", Name: "SIA \x1b[31mĀbele\x1b]0;pwn\a", Status: domain.StatusLiquidated,
			StatusDate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), Address: "Rīga", FetchedAt: fixedNow.Add(-48 * time.Hour)},
		School: &domain.SchoolRecord{InstitutionNumber: "3013900001", Name: "Ābeles skola", FounderRegNumber: "40003521600", Status: domain.StatusActive, FetchedAt: fixedNow}})
	e.rv.Add(&domain.Reverification{ID: 2, InstitutionID: 8, InstitutionName: "Cēsu centrs", CompanyRegNo: "40103211111", InstitutionNo: "4213900002",
		Version: 1, CreatedAt: fixedNow.Add(-2 * time.Hour), Differences: []domain.Difference{domain.DiffNameChanged},
		School: &domain.SchoolRecord{InstitutionNumber: "4213900002", Name: "Cēsu mācību centrs", Status: domain.StatusActive, FetchedAt: fixedNow}})
	return e
}

func (e *env) session() queuetest.Env {
	return queuetest.Env{Services: common.Services{Operators: e.ops, Audit: fakes.NewAudit(0), Dashboard: &fakes.Dashboard{}, Reverify: e.rv},
		Feed: fakes.NewFeed(), Now: clock, Clock: tuitest.NewClock(fixedNow)}
}

// TestReverify_ListDetail_SideBySide_Plain_FitsAt80x24: the queue lists
// the institutions with their differences; the detail draws the
// institution and both registers side by side, a register's hostile name
// drawn plain (no escape reaches the terminal), in 80×24 (issue 17).
func TestReverify_ListDetail_SideBySide_Plain_FitsAt80x24(t *testing.T) {
	e := newEnv(t)
	m := e.session().Model(t, e.reviewer, queuetest.Size(80, 24))
	tuitest.Send(t, m, tuitest.Runes("2")...)
	tuitest.MustShow(t, m, "Ābeles skola", "uzņēmums likvidēts vai izslēgts", "Cēsu centrs", "mainīts nosaukums")
	tuitest.CheckFits(t, m, 80, 24, "list")
	queuetest.Open(t, m, 1)
	tuitest.CheckFits(t, m, 80, 24, "detail")
	seen := tuitest.Squeezed(m)
	for range 20 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
		seen += " " + tuitest.Squeezed(m)
	}
	for _, want := range []string{"Pārbaude #1 — Ābeles skola", "Platformā", "Uzņēmumu reģistrs", "VIIS", "likvidēts 01.12.2025", "darbojas"} {
		if !strings.Contains(seen, want) {
			t.Errorf("the detail never shows %q", want)
		}
	}
	if v := m.View(); strings.Contains(v, "\x1b]0;") || strings.Contains(v, "\x1b[31m") || strings.Contains(v, "\a") {
		t.Error("a register's name reached the terminal with its escapes")
	}
}

// TestReverify_Decisions_NeedReason_SendVersionSeen_HeldRefused: confirm
// asks a reason and sends the version seen; an update names the register's
// name; an item another reviewer holds is not decided (issue 17).
func TestReverify_Decisions_NeedReason_SendVersionSeen_HeldRefused(t *testing.T) {
	e := newEnv(t)
	m := e.session().Model(t, e.reviewer, queuetest.Size(100, 30))
	tuitest.Send(t, m, tuitest.Runes("2")...)
	queuetest.Open(t, m, 1)
	tuitest.Send(t, m, tuitest.Runes("e")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Norādiet pamatojumu.")
	tuitest.Send(t, m, tuitest.Runes("Likvidēts uzņēmums: sankciju lieta")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	d := e.rv.Decisions()
	if len(d) != 1 || d[0].Action != domain.ReverifyEscalate || d[0].Version != 3 || d[0].Err != nil || d[0].ActorID != e.reviewer.ID {
		t.Fatalf("decisions %+v, want one escalation of version 3", d)
	}
	if r := e.rv.Get(1); r.State != domain.ReverifyEscalated {
		t.Fatalf("state %s", r.State)
	}
	tuitest.MustShow(t, m, "Pārbaude #1 nodota drošības speciālistiem.")

	e.rv.ClaimAs(2, e.other.ID, e.other.FullName)
	queuetest.Open(t, m, 2)
	tuitest.Send(t, m, tuitest.Runes("u")...)
	if n := len(e.rv.Decisions()); n != 1 {
		t.Fatalf("%d decisions: an item another reviewer holds was decided", n)
	}
	tuitest.MustShow(t, m, "Anna Kalniņa")
}
