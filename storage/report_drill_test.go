package storage_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestReports_Drill_P26_4_GroupsWeeksPagesMaskedAudited proves the lists
// behind the figures on the take-up fixture: a group of the mirror (Rīga
// by its name, LKI 2) lists exactly its applications with the personal
// code masked; a queue's week lists the reviewer's decision of that week;
// a figure of 103 applications reads in keyset pages of 100 and 3 that
// neither overlap nor skip; a drill over what storage lists nothing for
// is refused (and not audited); each drill that ran is audited with the report, period and drill,
// never a personal code.
func TestReports_Drill_P26_4_GroupsWeeksPagesMaskedAudited(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	reviewer := newOperator(t, db, "rev.drill")
	security := newOperator(t, db, "sec.drill", withRoles(domain.RoleSecurity))
	reportFixture(t, db, reviewer.ID)
	ctx := domain.WithActor(t.Context(), domain.Actor{OperatorID: security.ID, Name: security.Name, SessionID: "s1"})
	svc := storage.NewReportService(db)
	drill := func(d domain.ReportDrill, after *domain.ReportDrillCursor) *domain.ReportDrillPage {
		t.Helper()
		p, err := svc.Drill(ctx, d, march2026(), after)
		if err != nil {
			t.Fatalf("drill %s: %v", d, err)
		}
		return p
	}
	codes := func(p *domain.ReportDrillPage) []string {
		var out []string
		for _, r := range p.Rows {
			out = append(out, r.Subject)
		}
		return out
	}

	r, err := svc.Run(ctx, domain.ReportIMKUptake, march2026())
	if err != nil {
		t.Fatal(err)
	}
	riga := reportRow(t, r, "report.dim.municipality", "Rīga")
	if riga[2].Drill == nil || riga[4].Drill == nil || riga[5].Drill != nil {
		t.Fatalf("Rīga's drills: applications %v, rejected automatically %v, rejected on review %v (a zero)", riga[2].Drill, riga[4].Drill, riga[5].Drill)
	}
	if got := codes(drill(*riga[2].Drill, nil)); !slices.Equal(got, []string{
		domain.MaskPersonalCode("010190-10001"), domain.MaskPersonalCode("050580-10002")}) || strings.Contains(strings.Join(got, ","), "10001") {
		t.Errorf("Rīga's applications: %v", got)
	}
	lki2 := reportRow(t, r, "report.dim.lki", "2")
	if p := drill(*lki2[3].Drill, nil); len(p.Rows) != 1 || p.Rows[0].Kind != domain.DrillIMKApplication || p.Rows[0].State != "approved" {
		t.Errorf("LKI 2 approved: %+v", p.Rows)
	}

	q, err := svc.Run(ctx, domain.ReportQueues, march2026())
	if err != nil {
		t.Fatal(err)
	}
	week := reportRow(t, q, "report.queue.imk_review", "2026-W11")
	if week[3].Drill == nil {
		t.Fatalf("IMK review, week 11, out: no drill in %+v", week)
	}
	if p := drill(*week[3].Drill, nil); len(p.Rows) != 1 || p.Rows[0].Subject != domain.MaskPersonalCode("020200-10003") {
		t.Errorf("IMK review decided in week 11: %+v", p.Rows)
	}

	// 103 applications of unknown persons on one day: pages of 100 and 3.
	if _, err := db.Pool().Exec(t.Context(), `
		INSERT INTO imk_applications (personal_code, email, state, applied_at, decided_at, policy_id)
		SELECT '99' || lpad(n::text, 4, '0') || '-00000', 'x@example.lv', 'rejected', '2026-03-20 10:00+02', '2026-03-20 10:00+02',
		       (SELECT min(id) FROM eligibility_policies)
		  FROM generate_series(1, 103) n`); err != nil {
		t.Fatal(err)
	}
	all := domain.ReportDrill{Report: domain.ReportIMKUptake, Dim: "lki", Group: "", Column: "applications"}
	first := drill(all, nil)
	if len(first.Rows) != domain.ReportDrillPageSize || first.Next == nil {
		t.Fatalf("first page: %d rows, next %v", len(first.Rows), first.Next)
	}
	second := drill(all, first.Next)
	if len(second.Rows) != 104-domain.ReportDrillPageSize || second.Next != nil {
		t.Fatalf("second page: %d rows, next %v; want the 4 left", len(second.Rows), second.Next)
	}
	seen := map[int64]bool{}
	for _, row := range append(first.Rows, second.Rows...) {
		if seen[row.ID] {
			t.Errorf("application %d on both pages", row.ID)
		}
		seen[row.ID] = true
	}

	_, err = svc.Drill(ctx, domain.ReportDrill{Report: domain.ReportQueues, Dim: domain.QueueIMKReview, Group: "2026-W99", Column: "in"}, march2026(), nil)
	wantError(t, err, domain.EINVALID, "report.bad_drill")

	var drills []auditRow
	for _, a := range auditRows(t, db) {
		if a.Action == domain.AuditReportDrill {
			drills = append(drills, a)
		}
	}
	if len(drills) != 5 || drills[0].ActorID != security.ID || drills[0].Details != "period 2026-03-01..2026-03-31 drill imk-uptake/municipality/Rīga//applications" {
		t.Fatalf("drills audited: %d %+v", len(drills), drills)
	}
	for _, a := range drills {
		if fullCodeRE.MatchString(a.Details + a.Reason + a.SubjectID) {
			t.Errorf("a drill's audit entry holds a personal code: %+v", a)
		}
	}
}
