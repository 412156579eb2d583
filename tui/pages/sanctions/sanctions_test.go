package sanctions_test

import (
	"context"
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

var fixedNow = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

var (
	laura  = &domain.Operator{ID: 1, Name: "laura.drosiba", FullName: "Laura Bērziņa", Roles: []domain.Role{domain.RoleSecurity}}
	maris  = &domain.Operator{ID: 2, Name: "maris.drosiba", FullName: "Māris Kalniņš", Roles: []domain.Role{domain.RoleSecurity}}
	rudolf = &domain.Operator{ID: 3, Name: "rudolfs", FullName: "Rūdolfs Recenzents", Roles: []domain.Role{domain.RoleReviewer}}
)

func as(t *testing.T, op *domain.Operator) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{OperatorID: op.ID, Name: op.Name, SessionID: "seed-" + op.Name})
}

// env is a fake with two institutions of similar names, an open case
// about the first with a warning and a suspension Laura proposed, and a
// closed case about the second.
type env struct {
	svc            *fakes.Sanctions
	riga, liepaja  int64
	open, closedID int64
	suspension     int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	f := fakes.NewSanctions()
	f.Now = func() time.Time { return fixedNow }
	for _, op := range []*domain.Operator{laura, maris, rudolf} {
		f.AddOperator(op)
	}
	e := &env{svc: f}
	e.riga = f.AddInstitution(domain.SanctionInstitution{Name: "Rīgas Mākslas skola", CompanyRegNumber: "40003000001", EducationRegNumber: "3000000001"})
	e.liepaja = f.AddInstitution(domain.SanctionInstitution{Name: "Liepājas Mākslas skola\x1b[31m", CompanyRegNumber: "40003000002", EducationRegNumber: "3000000002"})
	closed, err := f.OpenCase(as(t, laura), e.liepaja, domain.GroundCooperation, "Atteikta sadarbība", "")
	must(t, err)
	must(t, f.CloseCase(as(t, laura), closed.ID, closed.Version, "Sadarbība atjaunota"))
	c, err := f.OpenCase(as(t, laura), e.riga, domain.GroundRulesBroken, "Neievēro noteikumus", "Ziņojums Nr. 4")
	must(t, err)
	_, err = f.ProposeStep(as(t, laura), c.ID, c.Version, domain.SanctionWarning, "Pirmais brīdinājums", "", time.Time{})
	must(t, err)
	c, _ = f.FindCase(as(t, laura), c.ID)
	s, err := f.ProposeStep(as(t, laura), c.ID, c.Version, domain.SanctionSuspension, "Turpina pārkāpt", "Akts Nr. 5", fixedNow.Add(14*24*time.Hour))
	must(t, err)
	e.open, e.closedID, e.suspension = c.ID, closed.ID, s.ID
	return e
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// model opens op's session on the sanctions screen: the third tab of a
// security officer who has no other service (dashboard, audit log,
// sanctions).
func (e *env) model(t *testing.T, op *domain.Operator, lang string) *app.Model {
	t.Helper()
	m := pagetest.At(fixedNow, common.Services{Sanctions: e.svc}, laura, maris, rudolf).Model(t, op, pagetest.Lang(lang))
	tuitest.Send(t, m, tuitest.Runes("3")...)
	return m
}

func calls(f *fakes.Sanctions, action string) []fakes.SanctionCall {
	var out []fakes.SanctionCall
	for _, c := range f.Calls() {
		if c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

// ¶32.5, ¶32.7: the list shows open cases first with their current step
// and a waiting mark; a case opens with its steps and their states; a
// stored name's escape sequence is drawn plain; everything fits 80×24
// in both languages.
func TestSanctionsScreen_ListAndCase_LatvianAndEnglish_P32_5(t *testing.T) {
	for _, tc := range []struct {
		lang       string
		list, open []string
	}{
		{"lv", []string{"Sankcijas", "Rīgas Mākslas skola", "brīdinājums (gaida)", "atvērta", "slēgta", "n jauna lieta"},
			[]string{"Sankciju lieta", "Soļi", "brīdinājums — izteikts un nosūtīts", "apturēšana — gaida otra drošības speciālista apstiprinājumu", "Turpina pārkāpt"}},
		{"en", []string{"Sanctions", "Rīgas Mākslas skola", "warning (waiting)", "open", "closed", "n new case"},
			[]string{"Sanction case", "Steps", "warning — given and mailed", "suspension — waiting for a second security officer", "Turpina pārkāpt"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv(t)
			m := e.model(t, maris, tc.lang)
			tuitest.MustShow(t, m, tc.list...)
			screen := tuitest.Screen(m)
			if strings.Index(screen, "Rīgas") > strings.Index(screen, "Liepājas") {
				t.Errorf("the closed case is listed before the open one:\n%s", screen)
			}
			tuitest.CheckFits(t, m, 80, 24, "list")
			tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
			tuitest.MustShow(t, m, tc.open...)
			tuitest.CheckFits(t, m, 80, 24, "case")
			if strings.Contains(m.View(), "\x1b[31m") {
				t.Error("a stored escape sequence reached the terminal")
			}
		})
	}
}

// Four eyes (¶32.5): the officer who proposed a suspension is not offered
// its approval (the domain's rule refuses it, and no call is made); a
// second officer approves it after a confirmation and it is in force.
func TestSanctionsScreen_FourEyes_ProposerCannotApprove_SecondOfficerCan_P32_5(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, laura, "en")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Proposed by you: another security officer approves it.")
	tuitest.MustNotShowSqueezed(t, m, "y approve")
	tuitest.Send(t, m, tuitest.Typed("y")...)
	tuitest.MustShow(t, m, "A second security officer must approve this step.")
	if len(calls(e.svc, "approve")) != 0 {
		t.Fatal("the proposer's approval reached the service")
	}

	m = e.model(t, maris, "en")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "y approve", "x refuse")
	tuitest.Send(t, m, tuitest.Typed("y")...)
	tuitest.MustShow(t, m, "Approve: suspension of Rīgas Mākslas skola", "enter — approve")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	got := calls(e.svc, "approve")
	if len(got) != 1 || got[0].ID != e.suspension || got[0].Actor != maris.ID || got[0].Err != nil {
		t.Fatalf("approve calls = %+v", got)
	}
	tuitest.MustShow(t, m, "suspension — in force", "l lift")
}

// A case is opened on an institution picked by name or registration
// number, never by a typed internal number: a name two institutions share
// asks for more; the registration number picks one.
func TestSanctionsScreen_OpenCase_PicksInstitutionByNameOrNumber(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, maris, "en")
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.MustShow(t, m, "New sanction case", "name or registration number")
	tuitest.Send(t, m, tuitest.Typed("Mākslas")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("Atkārtoti pārkāpumi")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "2 institutions match")
	if len(calls(e.svc, "open")) != 2 { // the two of the seed
		t.Fatalf("a case was opened on an ambiguous name: %+v", e.svc.Calls())
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyShiftTab), tuitest.Press(tea.KeyShiftTab))
	for range len("Mākslas") {
		tuitest.Send(t, m, tuitest.Press(tea.KeyBackspace))
	}
	tuitest.Send(t, m, tuitest.Typed("40003000002")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	opened := calls(e.svc, "open")
	if len(opened) != 3 || opened[2].Err != nil {
		t.Fatalf("open calls = %+v", opened)
	}
	list, _ := e.svc.CasesOf(as(t, maris), e.liepaja)
	if len(list) != 2 || list[0].State != domain.SanctionCaseOpen || list[0].Reason != "Atkārtoti pārkāpumi" {
		t.Fatalf("cases of the picked institution = %+v", list)
	}
	tuitest.MustShow(t, m, "Opened case")
}
