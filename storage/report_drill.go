package storage

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

// drillQuery is the query of the items behind one figure: it selects
// (id, at, state, subject) of the items in [$1, $2) — the period, or the
// part of it a row stands for — whose group is $3 (when the report's
// rows have groups) and, for the figures that count up to now, $4 is the
// time of the snapshot. Each is a range of the index its figure's count
// reads (migration 0300, 0220), kept to a page by drillSQL's LIMIT.
type drillQuery struct {
	kind string
	sql  string
	mask func(string) string
}

func unmasked(s string) string { return s }

// uptakeGroup is the group expression of each dimension of the take-up
// report, as imkUptakeReport groups by it.
var uptakeGroup = map[string]string{
	"lki":          `coalesce(e.highest_lki::text, '')`,
	"age_band":     `report_age_band(p.birth_date, (a.applied_at AT TIME ZONE 'Europe/Riga')::date)`,
	"municipality": `coalesce(m.name, p.municipality, '')`,
	"sex":          `lower(coalesce(p.sex, ''))`,
}

// uptakeColumn is each column's filter of the applications, as
// imkUptakeReport counts them.
var uptakeColumn = map[string]string{
	"applications":       `true`,
	"approved":           `a.state IN ('approved', 'suspended', 'closed')`,
	"rejected_automatic": `a.state = 'rejected' AND a.decided_by IS NULL`,
	"rejected_manual":    `a.state = 'rejected' AND a.decided_by IS NOT NULL`,
}

// drillQueryOf returns the query of d's items, the bounds of its range
// and its arguments; EINVALID "report.bad_drill" for a figure that lists
// nothing.
func drillQueryOf(d domain.ReportDrill, p domain.ReportPeriod) (drillQuery, time.Time, time.Time, []any, error) {
	bad := domain.Errorf(domain.EINVALID, "report.bad_drill", "report %s lists nothing behind that figure", d.Report)
	from, to := p.Start(), p.End()
	switch d.Report {
	case domain.ReportIMKUptake:
		return drillQuery{domain.DrillIMKApplication, `
			SELECT a.id, a.applied_at, a.state, a.personal_code
			  FROM imk_applications a
			  LEFT JOIN population_register p ON p.personal_code = a.personal_code
			  LEFT JOIN education_register e ON e.personal_code = a.personal_code
			  LEFT JOIN municipalities m ON m.code = p.municipality
			 WHERE a.applied_at >= $1 AND a.applied_at < $2 AND ` + uptakeGroup[d.Dim] + ` = $3 AND ` + uptakeColumn[d.Column],
			domain.MaskPersonalCode}, from, to, []any{d.Group}, nil
	case domain.ReportDecisions:
		switch d.Dim {
		case "role_requests":
			return drillQuery{domain.DrillRoleRequest, `
				SELECT id, decided_at, state, personal_code FROM role_requests
				 WHERE decided_at >= $1 AND decided_at < $2 AND kind = $3 AND state = $4`,
				domain.MaskPersonalCode}, from, to, []any{d.Group, d.Outcome}, nil
		case "imk":
			return drillQuery{domain.DrillIMKApplication, `
				SELECT id, decided_at, state, personal_code FROM imk_applications
				 WHERE decided_at >= $1 AND decided_at < $2 AND state = $4
				   AND CASE WHEN decided_by IS NOT NULL THEN 'review'
				            WHEN reason LIKE 'imk.rule.%' THEN substr(reason, 10)
				            ELSE 'automatic' END = $3`,
				domain.MaskPersonalCode}, from, to, []any{d.Group, d.Outcome}, nil
		case "denials":
			switch d.Outcome {
			case "in_force":
				return drillQuery{domain.DrillDenial, `
					SELECT id, in_force_at, state, subject_kind || ' ' || subject_id FROM denials
					 WHERE state IN ('in_force', 'lift_pending') AND ground = $3 AND $1::timestamptz IS NOT NULL AND $2::timestamptz IS NOT NULL`,
					unmasked}, from, to, []any{d.Group}, nil
			case "lifted":
				return drillQuery{domain.DrillDenial, `
					SELECT id, lifted_at, state, subject_kind || ' ' || subject_id FROM denials
					 WHERE lifted_at >= $1 AND lifted_at < $2 AND ground = $3`,
					unmasked}, from, to, []any{d.Group}, nil
			}
		case "tickets":
			if d.Outcome == "received" {
				return drillQuery{domain.DrillTicket, `
					SELECT id, created_at, state, subject FROM tickets
					 WHERE created_at >= $1 AND created_at < $2 AND category = $3`,
					domain.MaskPersonalCodesIn}, from, to, []any{d.Group}, nil
			}
		}
	case domain.ReportCompliance:
		living := `SELECT id, greatest(death_check_due_at, 'epoch'), death_check_outcome, personal_code FROM persons
			 WHERE $1::timestamptz IS NOT NULL AND $2::timestamptz IS NOT NULL AND deceased_on IS NULL AND `
		switch d.Dim + "/" + d.Group {
		case "death_check/checked":
			return drillQuery{domain.DrillPerson, `
				SELECT id, last_death_check_at, death_check_outcome, personal_code FROM persons
				 WHERE last_death_check_at >= $1 AND last_death_check_at < $2`,
				domain.MaskPersonalCode}, from, to, nil, nil
		case "death_check/not_found", "death_check/stale":
			return drillQuery{domain.DrillPerson, living + `death_check_outcome = $3`,
				domain.MaskPersonalCode}, from, to, []any{d.Group}, nil
		case "death_check/overdue":
			return drillQuery{domain.DrillPerson, living + `death_check_due_at < $3`,
				domain.MaskPersonalCode}, from, to, []any{snapshotNow}, nil
		case "reverify/due_by_period_end":
			return drillQuery{domain.DrillInstitution, `
				SELECT id, reverify_due_at, state, name FROM institutions
				 WHERE state = 'active' AND reverify_due_at < $2 AND $1::timestamptz IS NOT NULL`,
				unmasked}, from, to, nil, nil
		case "reverify/overdue":
			return drillQuery{domain.DrillInstitution, `
				SELECT id, reverify_due_at, state, name FROM institutions
				 WHERE state = 'active' AND reverify_due_at < $3 AND $1::timestamptz IS NOT NULL AND $2::timestamptz IS NOT NULL`,
				unmasked}, from, to, []any{snapshotNow}, nil
		}
	case domain.ReportQueues:
		ws, we, ok := isoWeekBounds(d.Group)
		if !ok {
			return drillQuery{}, from, to, nil, bad
		}
		from, to = later(from, ws), earlier(to, we)
		switch d.Dim + "/" + d.Column {
		case domain.QueueRoleRequests + "/in":
			return drillQuery{domain.DrillRoleRequest, `
				SELECT id, email_confirmed_at, state, personal_code FROM role_requests
				 WHERE email_confirmed_at >= $1 AND email_confirmed_at < $2`,
				domain.MaskPersonalCode}, from, to, nil, nil
		case domain.QueueRoleRequests + "/out":
			return drillQuery{domain.DrillRoleRequest, `
				SELECT id, decided_at, state, personal_code FROM role_requests
				 WHERE decided_at >= $1 AND decided_at < $2 AND decided_by IS NOT NULL AND email_confirmed_at IS NOT NULL`,
				domain.MaskPersonalCode}, from, to, nil, nil
		case domain.QueueIMKReview + "/in":
			return drillQuery{domain.DrillIMKApplication, `
				SELECT id, applied_at, state, personal_code FROM imk_applications
				 WHERE applied_at >= $1 AND applied_at < $2 AND (decided_by IS NOT NULL OR state = 'needs_review')`,
				domain.MaskPersonalCode}, from, to, nil, nil
		case domain.QueueIMKReview + "/out":
			return drillQuery{domain.DrillIMKApplication, `
				SELECT id, decided_at, state, personal_code FROM imk_applications
				 WHERE decided_at >= $1 AND decided_at < $2 AND decided_by IS NOT NULL`,
				domain.MaskPersonalCode}, from, to, nil, nil
		}
	}
	return drillQuery{}, from, to, nil, bad
}

// snapshotNow stands for the snapshot's time among a drill's arguments.
var snapshotNow = new(struct{})

// isoWeekBounds returns the instants (Riga) an ISO week such as
// "2026-W10" spans, and false for no such week.
func isoWeekBounds(w string) (time.Time, time.Time, bool) {
	y, wk, ok := strings.Cut(w, "-W")
	year, err1 := strconv.Atoi(y)
	week, err2 := strconv.Atoi(wk)
	if !ok || err1 != nil || err2 != nil || year < 2000 || year > 2200 || week < 1 || week > 53 {
		return time.Time{}, time.Time{}, false
	}
	// 4 January is always in week 1.
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, domain.AgencyZone)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(week-1))
	if domain.ISOWeek(monday) != w {
		return time.Time{}, time.Time{}, false
	}
	return monday, monday.AddDate(0, 0, 7), true
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// Drill lists the items behind one figure of a report
// (domain.ReportDriller): a page of ReportDrillPageSize rows from one
// snapshot, in order of (at, id) after the cursor, audited afterwards as
// Run is. It returns the errors domain.ReportDriller lists.
func (s *ReportService) Drill(ctx context.Context, d domain.ReportDrill, period domain.ReportPeriod, after *domain.ReportDrillCursor) (*domain.ReportDrillPage, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := period.Validate(); err != nil {
		return nil, err
	}
	q, from, to, extra, err := drillQueryOf(d, period)
	if err != nil {
		return nil, err
	}
	cur := domain.ReportDrillCursor{At: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}
	if after != nil {
		cur = *after
	}
	page := &domain.ReportDrillPage{}
	err = s.db.readTx(ctx, "drill into report "+d.Report, func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, reportGuard, domain.ReportRoles...); err != nil {
			return err
		}
		args := []any{from, to}
		for _, a := range extra {
			if a == snapshotNow {
				a = tx.now
			}
			args = append(args, a)
		}
		n := len(args)
		args = append(args, cur.At, cur.ID)
		rows, err := tx.Query(ctx, `
			SELECT id, at, state, subject FROM (`+q.sql+`) AS d (id, at, state, subject)
			 WHERE (at, id) > ($`+strconv.Itoa(n+1)+`, $`+strconv.Itoa(n+2)+`)
			 ORDER BY at, id LIMIT `+strconv.Itoa(domain.ReportDrillPageSize+1), args...)
		if err != nil {
			return dbError("drill into report "+d.Report, err)
		}
		defer rows.Close()
		for rows.Next() {
			r := domain.ReportDrillRow{Kind: q.kind}
			var subject string
			if err := rows.Scan(&r.ID, &r.At, &r.State, &subject); err != nil {
				return dbError("drill into report "+d.Report, err)
			}
			r.Subject = q.mask(subject)
			page.Rows = append(page.Rows, r)
		}
		return dbError("drill into report "+d.Report, rows.Err())
	})
	if err != nil {
		return nil, err
	}
	if len(page.Rows) > domain.ReportDrillPageSize {
		page.Rows = page.Rows[:domain.ReportDrillPageSize]
		last := page.Rows[len(page.Rows)-1]
		page.Next = &domain.ReportDrillCursor{At: last.At, ID: last.ID}
	}
	err = s.db.inTx(ctx, "audit report drill "+d.Report, func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, reportGuard, domain.ReportRoles...); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditReportDrill, SubjectKind: "report",
			SubjectID: d.Report, Details: "period " + period.String() + " drill " + d.String()})
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}
