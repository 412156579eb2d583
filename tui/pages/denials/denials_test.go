package denials_test

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/pagetest"
)

var fixedNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

func TestMain(m *testing.M) {
	time.Local = time.UTC
	m.Run()
}

type env struct {
	ops      *fakes.Operators
	den      *fakes.Denials
	officer  *domain.Operator // signed in
	other    *domain.Operator // a second security officer
	reviewer *domain.Operator
}

// The seeded denials.
const (
	idUser     = 1 // in force, ¶32.5, raised by the other officer
	idMine     = 2 // pending: the signed-in officer denied an operator
	idTheirs   = 3 // pending: the other officer denied an operator
	idIncident = 4 // in force, ¶32.6 (lifting waits for approval)
)

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{ops: fakes.NewOperators(), den: fakes.NewDenials()}
	e.den.Now = clock
	e.officer = e.ops.Add(&domain.Operator{Name: "laura.berzina", FullName: "Laura Bērziņa", Roles: []domain.Role{domain.RoleSecurity}, Language: "lv"})
	e.other = e.ops.Add(&domain.Operator{Name: "maris.kalnins", FullName: "Māris Kalniņš", Roles: []domain.Role{domain.RoleSecurity}})
	e.reviewer = e.ops.Add(&domain.Operator{Name: "ilze", FullName: "Ilze Liepiņa", Roles: []domain.Role{domain.RoleReviewer}})
	e.den.Add(&domain.Denial{ID: idUser, SubjectKind: domain.SubjectPlatformUser, SubjectID: 501, SubjectName: "Jānis Ozoliņš",
		Ground: domain.GroundRulesBroken, Note: "Kopīgoja rekvizītus", State: domain.DenialInForce, RaisedBy: e.other.ID,
		RaisedByName: e.other.FullName, RaisedAt: fixedNow.Add(-48 * time.Hour), InForceAt: fixedNow.Add(-48 * time.Hour), Version: 1})
	e.den.Add(&domain.Denial{ID: idMine, SubjectKind: domain.SubjectOperator, SubjectID: e.reviewer.ID, SubjectName: "Ilze Liepiņa",
		Ground: domain.GroundCompromised, Note: "Parole nopludināta", State: domain.DenialPendingApproval, RaisedBy: e.officer.ID,
		RaisedByName: e.officer.FullName, RaisedAt: fixedNow.Add(-time.Hour), Version: 1})
	e.den.Add(&domain.Denial{ID: idTheirs, SubjectKind: domain.SubjectOperator, SubjectID: 77, SubjectName: "Pēteris Zariņš",
		Ground: domain.GroundIncident, Note: "Incidents Nr. 12", State: domain.DenialPendingApproval, RaisedBy: e.other.ID,
		RaisedByName: e.other.FullName, RaisedAt: fixedNow.Add(-30 * time.Minute), Version: 4})
	e.den.Add(&domain.Denial{ID: idIncident, SubjectKind: domain.SubjectInstitution, SubjectID: 9, SubjectName: "Rīgas Tehniskā koledža",
		Ground: domain.GroundIncident, Note: "Ielaušanās", State: domain.DenialInForce, RaisedBy: e.other.ID,
		RaisedByName: e.other.FullName, RaisedAt: fixedNow.Add(-20 * time.Minute), InForceAt: fixedNow.Add(-20 * time.Minute), Version: 2})
	e.den.AddSubject(domain.SubjectOperator, 88, "Kārlis Zariņš") // the subject a test denies
	e.den.Runs = []*domain.SweepRun{
		{ID: 2, Sweep: "death-check", Instance: "ppp-1", StartedAt: fixedNow.Add(-time.Hour), FinishedAt: fixedNow.Add(-time.Hour + 42*time.Second), Checked: 5470, Changed: 2},
		{ID: 1, Sweep: "role-expiry", Instance: "ppp-2", StartedAt: fixedNow.Add(-2 * time.Hour), FinishedAt: fixedNow.Add(-2*time.Hour + time.Second), Checked: 310, Changed: 4},
	}
	var months []domain.MonthCount
	for i := range 12 {
		months = append(months, domain.MonthCount{Month: fixedNow.AddDate(0, i-11, 0).Format("2006-01"), Count: int64(80 + 7*i)})
	}
	e.den.Report = &domain.DeathCheckReport{Persons: 1000000, CheckedByMon: months, Overdue: 3, OldestCheckAt: fixedNow.AddDate(0, -7, 0),
		DueNext: []domain.DueCheck{{UserID: 1, Name: "Anna Kalniņa", DueAt: fixedNow.Add(-24 * time.Hour)}, {UserID: 2, Name: "Ēriks Vītols", DueAt: fixedNow.Add(48 * time.Hour)}}}
	return e
}

// model signs op in and opens the denials screen when op may see it.
func (e *env) model(t *testing.T, op *domain.Operator, langCode string, w, h int) *app.Model {
	t.Helper()
	opts := []pagetest.Opt{pagetest.Lang(langCode), pagetest.Size(w, h)}
	if op.HasRole(domain.RoleSecurity) {
		opts = append(opts, pagetest.Screen("2")) // dashboard, denials, audit
	}
	return pagetest.At(fixedNow, common.Services{Operators: e.ops, Denials: e.den}).Model(t, op, opts...)
}

// selectID moves the cursor of the shown list to the denial numbered id.
func selectID(t *testing.T, m *app.Model, id string) {
	t.Helper()
	tuitest.Send(t, m, tuitest.Press(tea.KeyHome))
	for range 10 {
		for _, l := range strings.Split(tuitest.Screen(m), "\n") {
			f := strings.Fields(l)
			if len(f) > 1 && f[0] == "›" && f[1] == id {
				return
			}
		}
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	t.Fatalf("denial %s is not in the list:\n%s", id, tuitest.Screen(m))
}

func TestDenials_RenderAt80x24_InLatvianAndEnglish_NoLineTooWide(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		wants [4][]string
	}{
		{"lv", [4][]string{
			{"Piekļuves liegumi", "Jānis Ozoliņš", "¶32.5", "spēkā"},
			{"Gaida apstiprinājumu (2)", "Pēteris Zariņš", "Ilze Liepiņa"},
			{"nāves gadījumu pārbaude", "5\u00a0470"}, // the count with its digits grouped
			{"Fizisko personu reģistrs", "NOKAVĒTAS PĀRBAUDES: 3", "2026-11"},
		}},
		{"en", [4][]string{
			{"Access denials", "Jānis Ozoliņš", "¶32.5", "in force"},
			{"Awaiting approval (2)", "Pēteris Zariņš", "Ilze Liepiņa"},
			{"death check", "5,470"},
			{"Population Register", "OVERDUE CHECKS: 3", "2026-11"},
		}},
	} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			e := newEnv(t)
			m := e.model(t, e.officer, tc.lang, size[0], size[1])
			for i, wants := range tc.wants {
				tuitest.MustShow(t, m, wants...)
				tuitest.CheckFits(t, m, size[0], size[1], tc.lang+" view "+string(rune('0'+i)))
				tuitest.Send(t, m, tuitest.Typed("v")...)
			}
			tuitest.Send(t, m, tuitest.Typed("n")...)
			tuitest.CheckFits(t, m, size[0], size[1], tc.lang+" deny form")
			tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
			selectID(t, m, "1")
			tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
			tuitest.CheckFits(t, m, size[0], size[1], tc.lang+" detail")
		}
	}
}

func TestDenials_DenyForm_RequiresNote_AndSendsChosenGround(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "en", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.MustShow(t, m, "Deny access", "¶32.1 role validity expired")
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("501")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	for range 4 { // ¶32.1 → ¶32.5
		tuitest.Send(t, m, tuitest.Press(tea.KeyRight))
	}
	tuitest.MustShow(t, m, "¶32.5 rules broken")
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "A note is required.")
	for _, c := range e.den.Calls() {
		if c.Action == "deny" {
			t.Fatalf("a denial without a note was sent: %+v", c)
		}
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("Repeated abuse")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	calls := e.den.Calls()
	if len(calls) != 1 || calls[0].Ground != domain.GroundRulesBroken || calls[0].SubjectID != 501 ||
		calls[0].Kind != domain.SubjectPlatformUser || calls[0].Note != "Repeated abuse" {
		t.Fatalf("calls = %+v, want one denial of user 501 on ¶32.5 with the note", calls)
	}
	if calls[0].Err == nil {
		t.Fatalf("user 501 is already denied on ¶32.5 in the seed; the fake should refuse the duplicate")
	}
	tuitest.MustShow(t, m, "Deny access") // the form stays with what was typed
}

func TestDenials_DenyForm_OperatorWaitsForApproval(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "lv", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyRight), tuitest.Press(tea.KeyRight)) // operator
	tuitest.MustShow(t, m, "Aģentūras darbinieks", "apstiprinās cits drošības speciālists")
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("88")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("Aizdomīga darbība")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	c := e.den.Calls()
	if len(c) != 1 || c[0].Err != nil || c[0].Kind != domain.SubjectOperator || c[0].Ground != domain.GroundRoleExpired {
		t.Fatalf("calls = %+v", c)
	}
	tuitest.MustShow(t, m, "gaida apstiprinājumu")
}

func TestDenials_ApproveHidden_OnOwnPendingItem(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "en", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("v")...) // pending approvals
	selectID(t, m, "2")
	tuitest.MustShow(t, m, "You raised it")
	tuitest.MustNotShowSqueezed(t, m, "y approve", "x refuse")
	tuitest.Send(t, m, tuitest.Typed("y")...)
	if len(e.den.Calls()) != 0 || strings.Contains(tuitest.Screen(m), "Approve: denial") {
		t.Fatalf("approving one's own pending denial was offered:\n%s", tuitest.Screen(m))
	}
	tuitest.MustShow(t, m, "Another security officer approves")

	// Someone else's: approve after a confirmation.
	selectID(t, m, "3")
	tuitest.MustShow(t, m, "y approve")
	tuitest.Send(t, m, tuitest.Typed("y")...)
	tuitest.MustShow(t, m, "Approve: denial no. 3", "enter — approve")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	c := e.den.Calls()
	if len(c) != 1 || c[0].Action != "approve" || c[0].ID != idTheirs || c[0].Version != 4 || c[0].Err != nil {
		t.Fatalf("calls = %+v, want the approval of denial 3 at version 4", c)
	}
	if d := e.den.Get(idTheirs); d.State != domain.DenialInForce {
		t.Fatalf("denial 3 is %s", d.State)
	}
}

func TestDenials_Lift_SendsReason(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "lv", 80, 24)
	selectID(t, m, "1")
	tuitest.Send(t, m, tuitest.Typed("l")...)
	tuitest.MustShow(t, m, "Atjaunot piekļuvi: liegums Nr. 1")
	// The form has a second field since the new-password box (¶32.3):
	// enter goes on to it, and sends from there.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter), tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Pamatojums ir obligāts.")
	tuitest.Send(t, m, tuitest.Press(tea.KeyShiftTab))
	tuitest.Send(t, m, tuitest.Typed("Noskaidrots pārpratums")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter), tuitest.Press(tea.KeyEnter))
	c := e.den.Calls()
	if len(c) != 1 || c[0].Action != "lift" || c[0].ID != idUser || c[0].Reason != "Noskaidrots pārpratums" || c[0].NewPassword || c[0].Err != nil {
		t.Fatalf("calls = %+v, want the lift of denial 1 with the reason", c)
	}
	tuitest.MustShow(t, m, "Piekļuve atjaunota (liegums Nr. 1).")
}

func TestDenials_Refuse_SendsReason(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "en", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("v")...)
	selectID(t, m, "3")
	tuitest.Send(t, m, tuitest.Typed("x")...)
	tuitest.Send(t, m, tuitest.Typed("Not enough evidence")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	c := e.den.Calls()
	if len(c) != 1 || c[0].Action != "refuse" || c[0].Reason != "Not enough evidence" || c[0].Err != nil {
		t.Fatalf("calls = %+v", c)
	}
}

func TestDenials_Detail_ShowsSubjectHistory(t *testing.T) {
	e := newEnv(t)
	e.den.Add(&domain.Denial{ID: 9, SubjectKind: domain.SubjectPlatformUser, SubjectID: 501, SubjectName: "Jānis Ozoliņš",
		Ground: domain.GroundUserRequest, State: domain.DenialLifted, RaisedAt: fixedNow.AddDate(-1, 0, 0), LiftReason: "atgriezās"})
	m := e.model(t, e.officer, "en", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("s")...) // in force → awaiting
	tuitest.Send(t, m, tuitest.Typed("s")...) // → lifted
	tuitest.Send(t, m, tuitest.Typed("s")...) // → refused
	tuitest.Send(t, m, tuitest.Typed("s")...) // → all
	selectID(t, m, "1")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Denial no. 1", "The subject's history (2):", "No. 9", "¶32.4", "access restored")
}

func TestDenials_Filters_CycleGroundAndKind(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "en", 80, 24)
	for range 6 { // any → ¶32.1 … ¶32.6
		tuitest.Send(t, m, tuitest.Typed("g")...)
	}
	tuitest.Send(t, m, tuitest.Typed("t")...) // user
	tuitest.Send(t, m, tuitest.Typed("t")...) // institution
	fs := e.den.Filters()
	f := fs[len(fs)-1]
	if len(f.Grounds) != 1 || f.Grounds[0] != domain.GroundIncident || f.SubjectKind != domain.SubjectInstitution {
		t.Fatalf("last filter = %+v", f)
	}
	tuitest.MustShow(t, m, "Rīgas Tehniskā koledža")
	tuitest.MustNotShowSqueezed(t, m, "Jānis Ozoliņš")
}

func TestDenials_ComplianceView_ShowsOverdue(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "lv", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("vvv")...)
	// A million persons written as Latvians write it: digits grouped by a
	// no-break space; the period declined ("reizi 183 dienās").
	tuitest.MustShow(t, m, "‼ NOKAVĒTAS PĀRBAUDES: 3", "Personas: 1\u00a0000\u00a0000 · katra jāpārbauda vismaz reizi 183 dienās",
		"! 2026-11-19 12:00 Anna Kalniņa nokavēts", "█")
	tuitest.CheckFits(t, m, 80, 24, "compliance")

	e.den.Report.Overdue = 0
	tuitest.Send(t, m, tuitest.Typed("r")...)
	tuitest.MustShow(t, m, "Nokavētu pārbaužu nav.")
}

// ¶32.8 (issue 16): the compliance view shows the checks that did not
// complete (no register record, stale data), marked, and the users without
// a personal code who cannot be checked, by name, not hidden.
func TestDenials_ComplianceView_ListsNotFoundStaleAndNoCode_P32_8(t *testing.T) {
	e := newEnv(t)
	e.den.Report.NotFound, e.den.Report.Stale, e.den.Report.NoCode = 1, 4, 1
	e.den.Report.NotFoundList = []domain.DueCheck{{PersonID: 5, Name: "Inese Kļava", DueAt: fixedNow}}
	e.den.Report.StaleList = []domain.DueCheck{{PersonID: 6, Name: "Ivars Egle"}, {PersonID: 7, Name: "Rūta Priede"}, {PersonID: 8, Name: "Zane Liepa"}, {PersonID: 9, Name: "Otto Ozols"}}
	e.den.Report.NoCodeList = []domain.DueCheck{{UserID: 3, Name: "Līga Bērziņa"}}
	m := e.model(t, e.officer, "en", 100, 40)
	tuitest.Send(t, m, tuitest.Typed("vvv")...)
	tuitest.MustShow(t, m, "! Not completed: not in the register 1, stale data 4 · without a personal code 1",
		"Not in the register: Inese Kļava", "Stale data: Ivars Egle, Rūta Priede, Zane Liepa, …", "Without a personal code (cannot be checked): Līga Bērziņa")
	tuitest.CheckFits(t, m, 100, 40, "compliance with open checks")
}

func TestDenials_FeedChange_IsCoalesced_ThenRead(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "en", 80, 24)
	e.den.Add(&domain.Denial{ID: 20, SubjectKind: domain.SubjectPlatformUser, SubjectID: 600, SubjectName: "Zane Krūmiņa",
		Ground: domain.GroundCooperation, State: domain.DenialInForce, RaisedAt: fixedNow})
	tuitest.Send(t, m, common.ChangeMsg(domain.Change{Topic: domain.TopicDenial, ID: "20"}))
	tuitest.MustNotShowSqueezed(t, m, "Zane Krūmiņa") // coalesced: read once the burst is over
	// The tests' drain drops the page's timer; a refresh reads the same.
	tuitest.Send(t, m, tuitest.Typed("r")...)
	tuitest.MustShow(t, m, "Zane Krūmiņa")
}

func TestDenials_TabHidden_WithoutSecurityRole(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer, "en", 100, 24)
	tuitest.MustNotShowSqueezed(t, m, "Access denials")
	m2 := e.model(t, e.officer, "en", 100, 24)
	tuitest.MustShow(t, m2, "Access denials")
}

// TestDenials_DenyForm_LeftAndOpenedAgain_KeepsWhatWasTyped_UntilSent
// proves the form of a new denial keeps its draft: esc and n bring back
// the kind, number, ground and note; a denial sent starts afresh.
func TestDenials_DenyForm_LeftAndOpenedAgain_KeepsWhatWasTyped_UntilSent(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "en", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyRight)) // institution
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("9")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyRight)) // ¶32.2
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("Neatbild uz vēstulēm")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.MustNotShow(t, m, "Neatbild uz vēstulēm")

	tuitest.Send(t, m, tuitest.Typed("n")...)
	ground := i18n.For(i18n.EN).T("tui.den.ground." + string(domain.Grounds[1]))
	tuitest.MustShow(t, m, "Deny access", "Education institution", ground, "Neatbild uz vēstulēm")
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	c := e.den.Calls()
	if len(c) != 1 || c[0].Kind != domain.SubjectInstitution || c[0].SubjectID != 9 || c[0].Ground != domain.Grounds[1] ||
		c[0].Note != "Neatbild uz vēstulēm" || c[0].Err != nil {
		t.Fatalf("calls = %+v, want the denial as typed before esc", c)
	}
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.MustNotShow(t, m, "Neatbild uz vēstulēm")
}

// TestDenials_Pages_TurnByID_FromTheTop proves the list's pages: ] reads
// the denials below the last one shown, [ the page before, each from its
// first row; ] is offered only while there are more.
func TestDenials_Pages_TurnByID_FromTheTop(t *testing.T) {
	e := newEnv(t)
	for id := int64(100); id < 160; id++ {
		e.den.Add(&domain.Denial{ID: id, SubjectKind: domain.SubjectPlatformUser, SubjectID: 1000 + id, SubjectName: "Persona " + strconv.FormatInt(id, 10),
			Ground: domain.GroundRulesBroken, Note: "n", State: domain.DenialInForce, RaisedAt: fixedNow, Version: 1})
	}
	m := e.model(t, e.officer, "en", 80, 24)
	tuitest.MustShow(t, m, "page 1 ]", "Persona 159")
	selectID(t, m, "155")
	tuitest.Send(t, m, tuitest.Typed("]")...)
	fs := e.den.Filters()
	if f := fs[len(fs)-1]; f.BeforeID != 110 {
		t.Fatalf("the second page was read below %d, want below 110 (the last shown)", f.BeforeID)
	}
	tuitest.MustShow(t, m, "page 2", "› 109", "Persona 100", "Jānis Ozoliņš")
	tuitest.MustNotShowSqueezed(t, m, "page 2 ]", "Persona 110")
	tuitest.Send(t, m, tuitest.Typed("]")...) // no more: nothing read
	if n := len(e.den.Filters()); n != len(fs) {
		t.Errorf("] on the last page read the list again")
	}
	tuitest.Send(t, m, tuitest.Typed("[")...)
	tuitest.MustShow(t, m, "page 1 ]", "› 159")
}

// TestDenials_DenyForm_DraftFollowsAcrossViews: the form of a new denial
// left in one view opens with what was typed in another.
func TestDenials_DenyForm_DraftFollowsAcrossViews(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "en", 80, 24)
	tuitest.Send(t, m, tuitest.Typed("vv")...) // the sweeps
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("4242")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.MustShow(t, m, "[Sweeps]")
	tuitest.Send(t, m, tuitest.Typed("vv")...) // the denials
	tuitest.Send(t, m, tuitest.Typed("n")...)
	tuitest.MustShow(t, m, "Deny access", "4242")
}

// ¶32.3, ¶32.6: the lift form's box requires a new password at the next
// sign-in in the same step as the lift.
func TestDenials_Lift_WithNewPasswordBox_P32_3(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.officer, "lv", 80, 24)
	selectID(t, m, "1")
	tuitest.Send(t, m, tuitest.Typed("l")...)
	tuitest.MustShow(t, m, "Parole: [ ] jāmaina nākamajā pieteikšanās reizē (32.3., 32.6.)")
	tuitest.Send(t, m, tuitest.Typed("Paroles nopludinātas")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeySpace))
	tuitest.MustShow(t, m, "Parole: [x] jāmaina nākamajā pieteikšanās reizē")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	c := e.den.Calls()
	if len(c) != 1 || c[0].Action != "lift" || !c[0].NewPassword || c[0].Reason != "Paroles nopludinātas" || c[0].Err != nil {
		t.Fatalf("calls = %+v, want a lift requiring a new password", c)
	}
	if d := e.den.Get(idUser); !d.LiftNewPassword {
		t.Errorf("the denial does not record the requirement")
	}
}
