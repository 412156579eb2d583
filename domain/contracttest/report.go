package contracttest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// ReportHarness is an implementation of domain.ReportService with what
// the suite needs around it: a way to seed the items the reports count.
type ReportHarness interface {
	Staff
	Clock
	// Service returns the implementation under test.
	Service() domain.ReportService
	// IMKApplication stores an IMK application of someone the registers'
	// mirrors do not know (every group of the take-up report: unknown),
	// save the sex the Population Register mirror gives when s.Sex is
	// set, and returns its id.
	IMKApplication(t *testing.T, s ReportIMKSeed) int64
	// Denial stores a denial of a Platform user on ground, in force since
	// inForce; lifted at lifted when that is not zero. It returns its id.
	Denial(t *testing.T, ground domain.Ground, inForce, lifted time.Time) int64
	// Institution stores an active institution due for re-verification at
	// due and returns its id.
	Institution(t *testing.T, due time.Time) int64
}

// ReportIMKSeed is an IMK application as a report sees it: decided by
// DecidedBy (an operator's id; 0: the automatic check) at DecidedAt, of a
// person whose sex the Population Register gives as Sex ("F", "M"; "":
// the mirror does not know the person).
type ReportIMKSeed struct {
	PersonalCode string
	State        domain.IMKState
	AppliedAt    time.Time
	DecidedAt    time.Time
	DecidedBy    int64
	Sex          string
}

// RunReportService runs the reports' suite (issue 18) on harnesses made
// by newHarness: who may run a report and drill into it, the refusals of
// a bad name, period or drill, figures on a small known fixture, and a
// drill that lists exactly the items behind a figure, subjects masked.
func RunReportService(t *testing.T, newHarness func(t *testing.T) ReportHarness) {
	t.Run("RolesNamesPeriodsFiguresDrills", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		svc := h.Service()
		admin := As(t, h.Operator(t, "anna.admin", "Anna Ozola", "anna.ozola@viaa.gov.lv", domain.RoleAdmin), "s-anna")
		secOp := h.Operator(t, "laura.berzina", "Laura Bērziņa", "laura.berzina@viaa.gov.lv", domain.RoleSecurity)
		sec := As(t, secOp, "s-laura")
		revOp := h.Operator(t, "ilze.liepina", "Ilze Liepiņa", "ilze.liepina@viaa.gov.lv", domain.RoleReviewer)
		rev := As(t, revOp, "s-ilze")

		now := h.Now()
		period := domain.DefaultReportPeriod(now)
		day := func(n int) time.Time { return now.Add(time.Duration(n) * 24 * time.Hour) }
		codes := []string{PersonalCode(101), PersonalCode(102), PersonalCode(103), PersonalCode(104)}
		a := h.IMKApplication(t, ReportIMKSeed{PersonalCode: codes[0], State: domain.IMKApproved, AppliedAt: day(-5), DecidedAt: day(-5).Add(time.Hour), Sex: "F"})
		b := h.IMKApplication(t, ReportIMKSeed{PersonalCode: codes[1], State: domain.IMKApproved, AppliedAt: day(-4), DecidedAt: day(-4).Add(time.Hour), Sex: "M"})
		c := h.IMKApplication(t, ReportIMKSeed{PersonalCode: codes[2], State: domain.IMKRejected, AppliedAt: day(-3), DecidedAt: day(-2), DecidedBy: revOp.ID})
		h.IMKApplication(t, ReportIMKSeed{PersonalCode: codes[3], State: domain.IMKApproved, AppliedAt: day(-60), DecidedAt: day(-60).Add(time.Hour)})
		inForce := h.Denial(t, domain.GroundRulesBroken, day(-3), time.Time{})
		lifted := h.Denial(t, domain.GroundRulesBroken, day(-10), day(-2))
		h.Denial(t, domain.GroundCompromised, day(-1), time.Time{})
		late := h.Institution(t, day(-1))
		h.Institution(t, day(100))

		// Who: administrators and security officers; a reviewer is refused.
		_, err := svc.Run(rev, domain.ReportDecisions, period)
		wantErr(t, "reviewer runs", err, domain.EFORBIDDEN, "access.forbidden")
		_, err = svc.Drill(rev, domain.ReportDrill{Report: domain.ReportDecisions, Dim: "denials", Group: "32.5", Outcome: "in_force", Column: "count"}, period, nil)
		wantErr(t, "reviewer drills", err, domain.EFORBIDDEN, "access.forbidden")
		// What: a known name, a good period, a figure that lists something.
		_, err = svc.Run(sec, "salaries", period)
		wantErr(t, "unknown report", err, domain.EINVALID, "report.unknown")
		_, err = svc.Drill(sec, domain.ReportDrill{Report: "salaries", Dim: "denials", Column: "count"}, period, nil)
		wantErr(t, "drill into an unknown report", err, domain.EINVALID, "report.unknown")
		backwards := domain.ReportPeriod{From: period.To, To: period.From}
		_, err = svc.Run(admin, domain.ReportCompliance, backwards)
		wantErr(t, "backwards period", err, domain.EINVALID, "report.bad_period")
		_, err = svc.Drill(admin, domain.ReportDrill{Report: domain.ReportCompliance, Dim: "reverify", Group: "overdue", Column: "count"}, backwards, nil)
		wantErr(t, "drill over a backwards period", err, domain.EINVALID, "report.bad_period")
		_, err = svc.Drill(admin, domain.ReportDrill{Report: domain.ReportCompliance, Dim: "reverify", Group: "overdue", Column: "share"}, period, nil)
		wantErr(t, "drill into a share", err, domain.EINVALID, "report.bad_drill")

		// ¶26.4: the take-up report counts the period's applications by
		// outcome, rejections split by who decided.
		up, err := svc.Run(admin, domain.ReportIMKUptake, period)
		must(t, "run imk-uptake", err)
		row := findRow(t, up, "report.dim.lki", "report.group.unknown", "")
		wantRowCounts(t, up, row, map[string]int64{"applications": 3, "approved": 2, "rejected_automatic": 0, "rejected_manual": 1})
		if d := cellOf(up, row, "rejected_automatic").Drill; d != nil {
			t.Errorf("a zero drills into %+v", d)
		}
		wantDrill(t, "approved", svc, admin, cellOf(up, row, "approved"), period, []int64{a, b}, codes[:2])
		wantDrill(t, "rejected on review", svc, admin, cellOf(up, row, "rejected_manual"), period, []int64{c}, codes[2:3])
		// ¶26.4 by sex: women, men, and the one the mirror does not know.
		women := findRow(t, up, "report.dim.sex", "report.sex.f", "")
		wantRowCounts(t, up, women, map[string]int64{"applications": 1, "approved": 1, "rejected_manual": 0})
		wantRowCounts(t, up, findRow(t, up, "report.dim.sex", "report.sex.m", ""), map[string]int64{"applications": 1, "approved": 1})
		wantRowCounts(t, up, findRow(t, up, "report.dim.sex", "report.group.unknown", ""), map[string]int64{"applications": 1, "rejected_manual": 1})
		wantDrill(t, "approved women", svc, admin, cellOf(up, women, "approved"), period, []int64{a}, codes[:1])

		// ¶32: denials by ground, in force now and lifted in the period.
		dec, err := svc.Run(sec, domain.ReportDecisions, period)
		must(t, "run decisions", err)
		rowIn := findRow(t, dec, "report.section.denials", "32.5", "in_force")
		wantRowCounts(t, dec, rowIn, map[string]int64{"count": 1})
		wantRowCounts(t, dec, findRow(t, dec, "report.section.denials", "32.5", "lifted"), map[string]int64{"count": 1})
		wantRowCounts(t, dec, findRow(t, dec, "report.section.imk", "review", "rejected"), map[string]int64{"count": 1})
		wantDrill(t, "denials in force", svc, sec, cellOf(dec, rowIn, "count"), period, []int64{inForce}, nil)
		wantDrill(t, "denials lifted", svc, sec, cellOf(dec, findRow(t, dec, "report.section.denials", "32.5", "lifted"), "count"), period, []int64{lifted}, nil)

		// Issue 17: institutions overdue for re-verification.
		comp, err := svc.Run(sec, domain.ReportCompliance, period)
		must(t, "run compliance", err)
		rowLate := findRow(t, comp, "report.section.reverify", "report.item.overdue", "")
		wantRowCounts(t, comp, rowLate, map[string]int64{"count": 1, "of": 2})
		wantDrill(t, "institutions overdue", svc, sec, cellOf(comp, rowLate, "count"), period, []int64{late}, nil)
	})

	// A figure of more than a page reads in keyset pages that neither
	// overlap nor skip, in order of date and id.
	t.Run("DrillPages", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		svc := h.Service()
		admin := As(t, h.Operator(t, "anna.admin", "Anna Ozola", "anna.ozola@viaa.gov.lv", domain.RoleAdmin), "s-anna")
		now := h.Now()
		period := domain.DefaultReportPeriod(now)
		var ids []int64
		for i := range domain.ReportDrillPageSize + 2 {
			at := now.Add(-time.Duration(1+i%3) * 24 * time.Hour) // three days, ties broken by id
			ids = append(ids, h.IMKApplication(t, ReportIMKSeed{PersonalCode: PersonalCode(200 + i), State: domain.IMKRejected,
				AppliedAt: at, DecidedAt: at}))
		}
		d := domain.ReportDrill{Report: domain.ReportIMKUptake, Dim: "age_band", Group: "", Column: "rejected_automatic"}
		first, err := svc.Drill(admin, d, period, nil)
		must(t, "first page", err)
		if len(first.Rows) != domain.ReportDrillPageSize || first.Next == nil {
			t.Fatalf("first page: %d rows, next %v", len(first.Rows), first.Next)
		}
		second, err := svc.Drill(admin, d, period, first.Next)
		must(t, "second page", err)
		if len(second.Rows) != 2 || second.Next != nil {
			t.Fatalf("second page: %d rows, next %v; want 2 and none", len(second.Rows), second.Next)
		}
		var got []int64
		rows := append(first.Rows, second.Rows...)
		for i, r := range rows {
			got = append(got, r.ID)
			if i > 0 && (r.At.Before(rows[i-1].At) || r.At.Equal(rows[i-1].At) && r.ID <= rows[i-1].ID) {
				t.Errorf("row %d (%d at %v) after %d at %v: not in order", i, r.ID, r.At, rows[i-1].ID, rows[i-1].At)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, ids) {
			t.Errorf("the pages list %d applications, want the %d seeded once each", len(got), len(ids))
		}
	})
}

// findRow returns the index of the row of r whose first cell's key is
// section, whose second is group (a text or a key) and whose third (when
// outcome is not "") is outcome.
func findRow(t *testing.T, r *domain.Report, section, group, outcome string) int {
	t.Helper()
	for i, row := range r.Rows {
		if row[0].Key == section && (row[1].Text == group || row[1].Key == group) && (outcome == "" || row[2].Text == outcome) {
			return i
		}
	}
	t.Fatalf("report %s has no row %s / %s / %s", r.Name, section, group, outcome)
	return -1
}

func cellOf(r *domain.Report, row int, column string) domain.ReportCell {
	i := slices.IndexFunc(r.Columns, func(c domain.ReportColumn) bool { return c.Name == column })
	if i < 0 {
		return domain.ReportCell{Null: true}
	}
	return r.Rows[row][i]
}

func wantRowCounts(t *testing.T, r *domain.Report, row int, want map[string]int64) {
	t.Helper()
	for col, n := range want {
		if c := cellOf(r, row, col); c.Null || c.Count != n {
			t.Errorf("report %s row %d %s = %d (null %v), want %d", r.Name, row, col, c.Count, c.Null, n)
		}
	}
}

// wantDrill fails unless the cell drills into exactly the items ids, in
// order, none of whose subjects holds a whole personal code of codes.
func wantDrill(t *testing.T, what string, svc domain.ReportService, ctx context.Context, cell domain.ReportCell, p domain.ReportPeriod, ids []int64, codes []string) {
	t.Helper()
	if cell.Drill == nil {
		t.Errorf("%s: the figure %d drills into nothing", what, cell.Count)
		return
	}
	page, err := svc.Drill(ctx, *cell.Drill, p, nil)
	if err != nil {
		t.Errorf("%s: drill: %v", what, err)
		return
	}
	var got []int64
	for _, r := range page.Rows {
		got = append(got, r.ID)
		if r.Kind == "" || r.At.IsZero() || r.State == "" {
			t.Errorf("%s: row %+v lacks its kind, date or state", what, r)
		}
		for _, code := range codes {
			digits := strings.ReplaceAll(code, "-", "")
			if strings.Contains(strings.ReplaceAll(r.Subject, "-", ""), digits) {
				t.Errorf("%s: row %d shows the whole personal code", what, r.ID)
			}
		}
	}
	if !slices.Equal(got, ids) || page.Next != nil || int64(len(got)) != cell.Count {
		t.Errorf("%s: drill lists %v (next %v), want %v for the figure %d", what, got, page.Next, ids, cell.Count)
	}
}
