package reports_test

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

func TestMain(m *testing.M) {
	time.Local = time.UTC
	m.Run()
}

var (
	laura = &domain.Operator{ID: 1, Name: "laura.berzina", FullName: "Laura Bērziņa", Roles: []domain.Role{domain.RoleSecurity}}
	ilze  = &domain.Operator{ID: 2, Name: "ilze.liepina", FullName: "Ilze Liepiņa", Roles: []domain.Role{domain.RoleReviewer}}
)

// hostileMunicipality is a municipality's name from the Population
// Register mirror that carries escape sequences.
const hostileMunicipality = "Rīga\x1b[31m\x1b]0;pwned\x07"

// newEnv is the reports' double with three IMK applications (one in a
// municipality whose name is hostile; a woman, a man and one of unknown
// sex), two ¶32.5 denials in force and one
// lifted; for a security officer the screens are the dashboard (1), the
// audit log (2) and the reports (3).
func newEnv() (pagetest.Env, *fakes.Reports) {
	f := fakes.NewReports()
	f.Now = func() time.Time { return fixedNow }
	day := func(n int) time.Time { return fixedNow.AddDate(0, 0, n) }
	f.AddIMK(&fakes.ReportIMK{PersonalCode: "180565-05610", State: domain.IMKApproved, AppliedAt: day(-5), DecidedAt: day(-5), LKI: "3", Municipality: hostileMunicipality, Sex: "F"})
	f.AddIMK(&fakes.ReportIMK{PersonalCode: "010190-10001", State: domain.IMKApproved, AppliedAt: day(-4), DecidedAt: day(-4), LKI: "3", Municipality: "Jelgava", Sex: "M"})
	f.AddIMK(&fakes.ReportIMK{PersonalCode: "050580-10002", State: domain.IMKRejected, AppliedAt: day(-3), DecidedAt: day(-2), DecidedBy: 7, LKI: "5", Municipality: "Jelgava"})
	f.AddDenial(&fakes.ReportDenial{SubjectKind: "platform_user", SubjectID: 501, Ground: domain.GroundRulesBroken, InForceAt: day(-3)})
	f.AddDenial(&fakes.ReportDenial{SubjectKind: "platform_user", SubjectID: 502, Ground: domain.GroundRulesBroken, InForceAt: day(-2)})
	f.AddDenial(&fakes.ReportDenial{SubjectKind: "platform_user", SubjectID: 503, Ground: domain.GroundRulesBroken, InForceAt: day(-9), LiftedAt: day(-1)})
	f.AddOperator(laura)
	f.AddOperator(ilze)
	return pagetest.At(fixedNow, common.Services{Reports: f}, laura, ilze), f
}

func open(t *testing.T, report int) *app.Model {
	t.Helper()
	env, _ := newEnv()
	m := env.Model(t, laura, pagetest.Lang("en"), pagetest.Size(80, 24), pagetest.Screen("3"))
	tuitest.MustShow(t, m, "Reports", "IMK uptake", "Compliance", "Queues", "Decisions", "Period 2026-10-22 – 2026-11-20")
	for range report {
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	return m
}

// Issue 18: the decisions report's table at 80×24 — denials by ground
// (¶32), in force and lifted — and Enter on the figure of those in force
// opens the list behind it: exactly the two denials, with their subjects;
// esc goes back to the table.
func TestReportsScreen_DecisionsTable_DrillIntoDenialsInForce_At80x24(t *testing.T) {
	m := open(t, 3)
	tuitest.MustShow(t, m, "Decisions", "Denials by ground", "32.5", "in_force", "lifted", "›Count")
	tuitest.CheckFits(t, m, 80, 24, "decisions table")
	// The rows: IMK automatic/approved, review/rejected; denials in force, lifted.
	tuitest.Send(t, m, tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Decisions: Denials by ground (¶32) / 32.5 / in_force / Count", "page 1",
		"denial", "platform_user 501", "platform_user 502", "in_force")
	tuitest.MustNotShow(t, m, "platform_user 503")
	tuitest.CheckFits(t, m, 80, 24, "drill list")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.MustShow(t, m, "Denials by ground", "›Count")
	tuitest.MustNotShow(t, m, "platform_user 501")
}

// Issue 18: the take-up report is wider than 80 columns: the screen shows
// the group columns and the figures that fit, says which, and → scrolls
// to the others; a municipality's name from the register mirror that
// carries escape sequences is drawn plain in the table and in the bar
// chart (bars of block characters, the share beside each).
func TestReportsScreen_UptakeWide_Scrolls_HostileNamePlainInTableAndChart(t *testing.T) {
	m := open(t, 0)
	tuitest.MustShow(t, m, "IMK uptake", "columns 1–", "of 6 (←/→)", "›Applicat")
	tuitest.CheckFits(t, m, 80, 24, "uptake table")
	for range 5 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyRight))
	}
	tuitest.MustShow(t, m, "›Share of", "of 6 (←/→)")
	tuitest.MustNotShow(t, m, "›Applicat")
	// The municipality rows are at the end.
	for range 8 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	tuitest.MustShow(t, m, "Rīga")
	if v := m.View(); strings.Contains(v, "\x1b[31m") || strings.Contains(v, "pwned") || strings.Contains(v, "\x07") {
		t.Errorf("the table draws the municipality's escape sequences: %q", v)
	}
	tuitest.Send(t, m, tuitest.Runes("c")...)
	tuitest.MustShow(t, m, "Applications by LKI level, %", "66.7%", "33.3%", "█")
	tuitest.CheckFits(t, m, 80, 24, "charts")
	for range 8 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	tuitest.MustShow(t, m, "Applications by municipality, %", "Rīga", "Jelgava", "Applications by sex, %", "women", "men", "Notes")
	if v := m.View(); strings.Contains(v, "\x1b[31m") || strings.Contains(v, "pwned") || strings.Contains(v, "\x07") {
		t.Errorf("the chart draws the municipality's escape sequences: %q", v)
	}
	var bar string
	for _, l := range strings.Split(tuitest.Screen(m), "\n") {
		if strings.Contains(l, "Jelgava") {
			bar = l
		}
	}
	if strings.Count(bar, "█") < 40 || !strings.Contains(bar, "66.7%") {
		t.Errorf("Jelgava's bar (the longest) is not scaled to the width: %q", bar)
	}
}

// Issue 18, ¶26.4: the take-up report by sex in Latvian at 80×24 — the
// rows of women, men and the unknown in the table, under the dimension's
// name, and the chart's bars labelled in words (one application each:
// 33,3 %), never the machine's "f"/"m".
func TestReportsScreen_UptakeBySex_RowsAndChartInLatvian_At80x24(t *testing.T) {
	env, _ := newEnv()
	m := env.Model(t, laura, pagetest.Lang("lv"), pagetest.Size(80, 24), pagetest.Screen("3"))
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Dzimums")
	// The sex rows are the last three; the table scrolls to them.
	for range 12 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	tuitest.MustShow(t, m, "Dzimums", "sievietes", "vīrieši", "nav zināms")
	tuitest.CheckFits(t, m, 80, 24, "uptake table by sex")
	tuitest.Send(t, m, tuitest.Runes("c")...)
	for range 12 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	tuitest.MustShow(t, m, "Pieteikumi pēc dzimuma, %", "sievietes", "vīrieši", "33,3%")
	tuitest.CheckFits(t, m, 80, 24, "charts by sex")
	for _, l := range strings.Split(tuitest.Screen(m), "\n") {
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "f" || f[0] == "m") {
			t.Errorf("a bar is labelled with the machine's group: %q", l)
		}
	}
}

// Issue 18: the period picker — a custom period typed from–to with a day
// that is no date shows the error at its field in the operator's
// language, a period that runs backwards another, and a good one runs the
// report over it.
func TestReportsScreen_PeriodPicker_BadDateShownAtItsField(t *testing.T) {
	m := open(t, 3)
	tuitest.Send(t, m, tuitest.Runes("p")...)
	tuitest.MustShow(t, m, "The report's period", "last 30 days", "custom (from–to)")
	for range 5 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Typed("2026-13-01")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, `"2026-13-01" is not a date (YYYY-MM-DD).`)
	tuitest.CheckFits(t, m, 80, 24, "period picker with an error")
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Typed("2026-12-01")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "The period must run from a day to the same or a later day")
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Typed("2026-11-01")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "Decisions", "Period 2026-11-01 – 2026-11-20", "32.5")
	tuitest.MustNotShow(t, m, "The report's period")
}
