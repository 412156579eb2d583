package storage_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// reportFixture loads a small known population and IMK applications:
//
//	code          born        municipality LKI sex applied     outcome
//	010190-10001  1990-01-01  riga         2   F   2026-03-10  approved (automatic)
//	050580-10002  1980-05-05  riga         2   M   2026-03-11  rejected (automatic)
//	020200-10003  2000-02-02  jelgava      5   F   2026-03-12  rejected (reviewer)
//	010170-10004  1970-01-01  jelgava      5   –   2026-02-15  approved (outside the period)
//	320000-10005  –           –            –   –   2026-03-20  needs review (no register record)
//
// plus three who are no adults of the mirror: a child, a dead and a
// non-resident person (women and men, so that counting them would show).
// Adults: 4 (LKI 2: 2, LKI 5: 2; women 2, men 1, sex unknown 1).
func reportFixture(t *testing.T, db *storage.DB, reviewer int64) {
	t.Helper()
	ctx := t.Context()
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO population_register (personal_code, birth_date, municipality, resident, deceased_on, sex) VALUES
		    ('010190-10001', '1990-01-01', 'riga',    true,  NULL, 'F'),
		    ('050580-10002', '1980-05-05', 'riga',    true,  NULL, 'M'),
		    ('020200-10003', '2000-02-02', 'jelgava', true,  NULL, 'F'),
		    ('010170-10004', '1970-01-01', 'jelgava', true,  NULL, NULL),
		    ('010110-10006', '2010-01-01', 'riga',    true,  NULL, 'M'),
		    ('010160-10007', '1960-01-01', 'riga',    true,  '2025-01-01', 'M'),
		    ('010150-10008', '1950-01-01', 'riga',    false, NULL, 'F');
		INSERT INTO education_register (personal_code, highest_lki) VALUES
		    ('010190-10001', 2), ('050580-10002', 2), ('020200-10003', 5), ('010170-10004', 5),
		    ('010110-10006', 1), ('010160-10007', 1), ('010150-10008', 1);`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO imk_applications (personal_code, email, state, applied_at, decided_at, decided_by, policy_id) VALUES
		    ('010190-10001', 'a@example.lv', 'approved',     '2026-03-10 10:00+02', '2026-03-10 11:00+02', NULL, (SELECT min(id) FROM eligibility_policies)),
		    ('050580-10002', 'b@example.lv', 'rejected',     '2026-03-11 10:00+02', '2026-03-11 11:00+02', NULL, (SELECT min(id) FROM eligibility_policies)),
		    ('020200-10003', 'c@example.lv', 'rejected',     '2026-03-12 10:00+02', '2026-03-13 11:00+02', $1,   (SELECT min(id) FROM eligibility_policies)),
		    ('010170-10004', 'd@example.lv', 'approved',     '2026-02-15 10:00+02', '2026-02-15 11:00+02', NULL, (SELECT min(id) FROM eligibility_policies)),
		    ('320000-10005', 'e@example.lv', 'needs_review', '2026-03-31 23:30+03', NULL, NULL, NULL)`, reviewer); err != nil {
		t.Fatal(err)
	}
}

func march2026() domain.ReportPeriod {
	return domain.ReportPeriod{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}
}

// reportRow finds the row whose first two cells are dim (a key) and group
// (a text, or the unknown key), and fails without it.
func reportRow(t *testing.T, r *domain.Report, dim, group string) []domain.ReportCell {
	t.Helper()
	for _, row := range r.Rows {
		if row[0].Key == dim && (row[1].Text == group || row[1].Key == group) {
			return row
		}
	}
	t.Fatalf("report %s has no row %s / %s: %+v", r.Name, dim, group, r.Rows)
	return nil
}

func wantCounts(t *testing.T, row []domain.ReportCell, counts ...int64) {
	t.Helper()
	for i, want := range counts {
		if got := row[2+i].Count; got != want {
			t.Errorf("row %s/%s%s column %d = %d, want %d", row[0].Key, row[1].Text, row[1].Key, 2+i, got, want)
		}
	}
}

func wantPercent(t *testing.T, c domain.ReportCell, want float64) {
	t.Helper()
	if c.Null || math.Abs(c.Percent-want) > 0.05 {
		t.Errorf("share = %v (null %v), want %.1f", c.Percent, c.Null, want)
	}
}

// TestReports_IMKUptake_P26_4_FiguresRolesAudit proves ¶26.4's take-up
// report on known data: applications of the period only (the one applied
// 31 March 23:30 in Riga counts, February's does not), outcomes split by
// who rejected, groups by LKI, age band on the day of application and
// municipality and sex (from the register extract; the person the mirror
// does not know, or knows without sex, is unknown), each group's share of
// applications beside its share of the adults of the mirror (children, the
// dead and non-residents left out). Only admin and security may run it, an API
// client never; every run is audited with its name and period and without
// a personal code; the reporting role reads the new views and not the
// tables.
func TestReports_IMKUptake_P26_4_FiguresRolesAudit(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	reviewer := newOperator(t, db, "rev.report")
	security := newOperator(t, db, "sec.report", withRoles(domain.RoleSecurity))
	admin := newOperator(t, db, "adm.report", withRoles(domain.RoleAdmin))
	reportFixture(t, db, reviewer.ID)
	svc := storage.NewReportService(db)
	as := func(op *domain.Operator) context.Context {
		return domain.WithActor(t.Context(), domain.Actor{OperatorID: op.ID, Name: op.Name, SessionID: "s1"})
	}

	r, err := svc.Run(as(security), domain.ReportIMKUptake, march2026())
	if err != nil {
		t.Fatal(err)
	}
	// applications, approved, rejected automatically, rejected on review
	lki2 := reportRow(t, r, "report.dim.lki", "2")
	wantCounts(t, lki2, 2, 1, 1, 0)
	wantPercent(t, lki2[6], 50)
	wantPercent(t, lki2[7], 50)
	lki5 := reportRow(t, r, "report.dim.lki", "5")
	wantCounts(t, lki5, 1, 0, 0, 1)
	wantPercent(t, lki5[6], 25)
	wantPercent(t, lki5[7], 50)
	unknown := reportRow(t, r, "report.dim.lki", "report.group.unknown")
	wantCounts(t, unknown, 1, 0, 0, 0)
	wantPercent(t, unknown[6], 25)
	for _, row := range r.Rows {
		if row[0].Key == "report.dim.lki" && row[1].Text == "1" && row[2].Count != 0 {
			t.Errorf("LKI 1 holds no adult applicant: %+v", row)
		}
	}
	wantCounts(t, reportRow(t, r, "report.dim.age_band", "35-44"), 1, 1, 0, 0)
	wantCounts(t, reportRow(t, r, "report.dim.age_band", "45-54"), 1, 0, 1, 0)
	band := reportRow(t, r, "report.dim.age_band", "25-34")
	wantCounts(t, band, 1, 0, 0, 1)
	wantPercent(t, band[7], 25) // adults 25–34 today: 1 of 4
	riga := reportRow(t, r, "report.dim.municipality", "Rīga")
	wantCounts(t, riga, 2, 1, 1, 0)
	wantPercent(t, riga[7], 50)
	// ¶26.4 by sex: applications, outcomes and both shares.
	women := reportRow(t, r, "report.dim.sex", "report.sex.f")
	wantCounts(t, women, 2, 1, 0, 1)
	wantPercent(t, women[6], 50)
	wantPercent(t, women[7], 50)
	men := reportRow(t, r, "report.dim.sex", "report.sex.m")
	wantCounts(t, men, 1, 0, 1, 0)
	wantPercent(t, men[6], 25)
	wantPercent(t, men[7], 25)
	noSex := reportRow(t, r, "report.dim.sex", "report.group.unknown")
	wantCounts(t, noSex, 1, 0, 0, 0)
	wantPercent(t, noSex[7], 25)
	if d := women[3].Drill; d == nil || d.Dim != "sex" || d.Group != "f" {
		t.Errorf("approved women drill into %+v", d)
	}
	if len(r.Notes) != 2 || slices.ContainsFunc(r.Notes, func(n domain.ReportNote) bool {
		return n.Key != "report.note.approved_includes_later" && n.Key != "report.note.population_as_of"
	}) {
		t.Errorf("notes %v: want the approvals' and the population's date only", r.Notes)
	}
	if len(r.Series) != 4 || len(r.Series[0].Labels) != len(r.Series[0].Values) {
		t.Errorf("series = %+v; want one bar chart per dimension", r.Series)
	}
	if sex := r.Series[3]; sex.Key != "report.series.share_sex" || !slices.Equal(sex.Labels, []string{"f", "m", ""}) ||
		!slices.Equal(sex.LabelKeys, []string{"report.sex.f", "report.sex.m", ""}) || !slices.Equal(sex.Values, []float64{50, 25, 25}) {
		t.Errorf("the chart by sex = %+v", sex)
	}

	// Roles: admin too; a reviewer is forbidden, an API client refused.
	if _, err := svc.Run(as(admin), domain.ReportIMKUptake, march2026()); err != nil {
		t.Errorf("admin: %v", err)
	}
	_, err = svc.Run(as(reviewer), domain.ReportIMKUptake, march2026())
	wantError(t, err, domain.EFORBIDDEN, "access.forbidden")
	api := domain.WithActor(t.Context(), domain.Actor{Name: "api:portal", APIClient: "portal", APIClientID: 1})
	_, err = svc.Run(api, domain.ReportCompliance, march2026())
	wantError(t, err, domain.EUNAUTHORIZED, "access.no_operator")
	_, err = svc.Run(as(admin), "salaries", march2026())
	wantError(t, err, domain.EINVALID, "report.unknown")
	_, err = svc.Run(as(admin), domain.ReportIMKUptake, domain.ReportPeriod{From: march2026().To, To: march2026().From})
	wantError(t, err, domain.EINVALID, "report.bad_period")

	// Audited: two runs, no refused one, with name and period and no code.
	var runs []auditRow
	for _, a := range auditRows(t, db) {
		if a.Action == domain.AuditReportRun {
			runs = append(runs, a)
		}
	}
	if len(runs) != 2 || runs[0].ActorID != security.ID || runs[0].SubjectID != domain.ReportIMKUptake ||
		runs[0].Details != "period 2026-03-01..2026-03-31" {
		t.Fatalf("report runs audited: %+v", runs)
	}
	for _, a := range runs {
		if fullCodeRE.MatchString(a.Details + a.Reason + a.SubjectID) {
			t.Errorf("a report run's audit entry holds a personal code: %+v", a)
		}
	}

	// The reporting role reads the views of these figures, not the tables.
	rep, err := pgx.Connect(t.Context(), pgtest.ReportURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close(context.Background())
	var apps, adults, womenApps, womenAdults int64
	if err := rep.QueryRow(t.Context(), `
		SELECT (SELECT sum(applications) FROM reporting.imk_uptake_monthly WHERE dimension = 'lki' AND month = '2026-03-01'),
		       (SELECT sum(adults) FROM reporting.adult_population_groups WHERE dimension = 'lki'),
		       (SELECT sum(applications) FROM reporting.imk_uptake_monthly WHERE dimension = 'sex' AND grp = 'f' AND month = '2026-03-01'),
		       (SELECT sum(adults) FROM reporting.adult_population_groups WHERE dimension = 'sex' AND grp = 'f')`).Scan(&apps, &adults, &womenApps, &womenAdults); err != nil {
		t.Fatal(err)
	}
	if apps != 4 || adults != 4 || womenApps != 2 || womenAdults != 2 {
		t.Errorf("reporting views: March applications %d, adults %d, women %d of %d; want 4, 4, 2 of 2", apps, adults, womenApps, womenAdults)
	}
	for _, table := range []string{"imk_applications", "population_register", "education_register", "persons", "report_population"} {
		if _, err := rep.Exec(t.Context(), "SELECT 1 FROM public."+table+" LIMIT 1"); err == nil {
			t.Errorf("the reporting role reads public.%s", table)
		}
	}

	// The precomputed population follows a new population extract: four
	// more adults in Jelgava make Rīga 2 of 8.
	if _, err := db.Pool().Exec(t.Context(), `
		INSERT INTO population_register (personal_code, birth_date, municipality, resident)
		SELECT '0101' || (70 + i) || '-1100' || i, '1975-01-01', 'jelgava', true FROM generate_series(1, 4) i`); err != nil {
		t.Fatal(err)
	}
	r, err = svc.Run(as(admin), domain.ReportIMKUptake, march2026())
	if err != nil {
		t.Fatal(err)
	}
	wantPercent(t, reportRow(t, r, "report.dim.municipality", "Rīga")[7], 50) // not yet: no extract since
	if _, err := db.Pool().Exec(t.Context(), `INSERT INTO register_imports (register, imported_at) VALUES ('population', now())`); err != nil {
		t.Fatal(err)
	}
	r, err = svc.Run(as(admin), domain.ReportIMKUptake, march2026())
	if err != nil {
		t.Fatal(err)
	}
	wantPercent(t, reportRow(t, r, "report.dim.municipality", "Rīga")[7], 25)
	wantPercent(t, reportRow(t, r, "report.dim.sex", "report.sex.f")[7], 25) // 2 of 8, the four new of unknown sex
}

// TestReports_Queues_WaitPercentilesTargetAndTakeOvers proves the queues
// report on known data: ten IMK applications a reviewer decided in ISO
// week 11 of 2026, nine waiting 1–9 hours and one 11 days (9 working
// days, over the default target of 5): p50 5 h, p90 9 h, 90 % within
// target, in counted by the week of application; and the take-overs of
// role requests from an institution (¶29.3) and requests for information
// counted from the audit log by week.
func TestReports_Queues_WaitPercentilesTargetAndTakeOvers(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	reviewer := newOperator(t, db, "rev.queues")
	security := newOperator(t, db, "sec.queues", withRoles(domain.RoleSecurity))
	ctx := t.Context()
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO imk_applications (personal_code, email, state, applied_at, decided_at, decided_by, policy_id)
		SELECT '010190-3000' || i, 'q' || i || '@example.lv', 'rejected',
		       CASE WHEN i = 10 THEN timestamptz '2026-03-02 08:00+02' ELSE timestamptz '2026-03-09 08:00+02' END,
		       CASE WHEN i = 10 THEN timestamptz '2026-03-13 08:00+02' ELSE timestamptz '2026-03-09 08:00+02' + i * interval '1 hour' END,
		       $1, (SELECT min(id) FROM eligibility_policies)
		  FROM generate_series(0, 10) i WHERE i > 0`, reviewer.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO audit_log (at, actor_name, action, subject_kind, subject_id)
		VALUES ('2026-03-10 10:00+02', 'test', $1, 'role_request', '1'),
		       ('2026-03-10 11:00+02', 'test', $1, 'role_request', '2'),
		       ('2026-03-11 10:00+02', 'test', $2, 'role_request', '3'),
		       ('2026-04-10 10:00+02', 'test', $1, 'role_request', '4')`,
		domain.AuditRoleRequestTakeOver, domain.AuditRoleRequestRequestInfo); err != nil {
		t.Fatal(err)
	}
	r, err := storage.NewReportService(db).Run(domain.WithActor(ctx, domain.Actor{OperatorID: security.ID, Name: security.Name}),
		domain.ReportQueues, march2026())
	if err != nil {
		t.Fatal(err)
	}
	imk := reportRow(t, r, "report.queue.imk_review", "2026-W11")
	wantCounts(t, imk, 9, 10)
	if imk[4].Duration != 5*time.Hour || imk[5].Duration != 9*time.Hour {
		t.Errorf("wait p50/p90 = %v/%v, want 5h/9h", imk[4].Duration, imk[5].Duration)
	}
	wantPercent(t, imk[6], 90)
	if !imk[7].Null {
		t.Errorf("take-overs shown for the IMK queue: %+v", imk[7])
	}
	wantCounts(t, reportRow(t, r, "report.queue.imk_review", "2026-W10"), 1, 0)
	if w := reportRow(t, r, "report.queue.imk_review", "2026-W10"); !w[4].Null || !w[6].Null {
		t.Errorf("a week with nothing decided has a wait or a share: %+v", w)
	}
	rr := reportRow(t, r, "report.queue.role_requests", "2026-W11")
	if rr[7].Count != 2 || rr[8].Count != 1 || rr[7].Null {
		t.Errorf("role requests W11: take-overs %+v, information requests %+v; want 2 and 1", rr[7], rr[8])
	}
	if n := len(r.Rows); n != 2*6 {
		t.Errorf("%d rows; want 2 queues × 6 ISO weeks touching March 2026", n)
	}
}

// TestReports_Decisions_IMKRuleAndFirstReply proves the decisions report
// on known data: IMK decisions of the period by the rule that decided
// (¶26.4: the automatic check's first deciding rule from the reason, a
// reviewer's as "review"), and helpdesk tickets by category with the time
// to the first reply (p50 and p90 over three tickets, one unanswered).
func TestReports_Decisions_IMKRuleAndFirstReply(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	reviewer := newOperator(t, db, "rev.decisions")
	admin := newOperator(t, db, "adm.decisions", withRoles(domain.RoleAdmin))
	ctx := t.Context()
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO imk_applications (personal_code, email, state, applied_at, decided_at, decided_by, reason, policy_id)
		VALUES ('010190-40001', 'a@example.lv', 'rejected', '2026-03-02 10:00+02', '2026-03-02 10:05+02', NULL, 'imk.rule.age', (SELECT min(id) FROM eligibility_policies)),
		       ('010190-40002', 'b@example.lv', 'rejected', '2026-03-02 10:00+02', '2026-03-02 10:05+02', NULL, 'imk.rule.age', (SELECT min(id) FROM eligibility_policies)),
		       ('010190-40003', 'c@example.lv', 'rejected', '2026-03-02 10:00+02', '2026-03-04 10:05+02', $1, 'no proof', (SELECT min(id) FROM eligibility_policies)),
		       ('010190-40004', 'd@example.lv', 'approved', '2026-03-02 10:00+02', '2026-04-02 10:05+03', NULL, '', (SELECT min(id) FROM eligibility_policies))`,
		reviewer.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO tickets (category, suggested, created_at, updated_at)
		SELECT 'question', 'question', timestamptz '2026-03-03 09:00+02' + i * interval '1 minute', now() FROM generate_series(1, 3) i`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO ticket_replies (ticket_id, template, lang, actor_name, created_at)
		SELECT id, 'answer', 'lv', 'x', created_at + CASE WHEN id = (SELECT min(id) FROM tickets) THEN interval '1 hour' ELSE interval '3 hours' END
		  FROM tickets WHERE id < (SELECT max(id) FROM tickets)`); err != nil {
		t.Fatal(err)
	}
	r, err := storage.NewReportService(db).Run(domain.WithActor(ctx, domain.Actor{OperatorID: admin.ID, Name: admin.Name}),
		domain.ReportDecisions, march2026())
	if err != nil {
		t.Fatal(err)
	}
	find := func(section, group, outcome string) []domain.ReportCell {
		t.Helper()
		for _, row := range r.Rows {
			if row[0].Key == section && row[1].Text == group && row[2].Text == outcome {
				return row
			}
		}
		t.Fatalf("no row %s/%s/%s in %+v", section, group, outcome, r.Rows)
		return nil
	}
	if n := find("report.section.imk", "age", "rejected")[3].Count; n != 2 {
		t.Errorf("rejected by the age rule: %d, want 2", n)
	}
	if n := find("report.section.imk", "review", "rejected")[3].Count; n != 1 {
		t.Errorf("rejected on review: %d, want 1", n)
	}
	for _, row := range r.Rows {
		if row[0].Key == "report.section.imk" && row[2].Text == "approved" {
			t.Errorf("April's approval counted in March: %+v", row)
		}
	}
	q := find("report.section.tickets", "question", "received")
	if q[3].Count != 3 || q[4].Duration != time.Hour || q[5].Duration != 3*time.Hour {
		t.Errorf("tickets: %d, first reply p50 %v p90 %v; want 3, 1h, 3h", q[3].Count, q[4].Duration, q[5].Duration)
	}
}
