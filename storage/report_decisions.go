package storage

import (
	"context"
	"slices"
	"time"

	"github.com/viaa/ppp/domain"
)

func init() { reportFuncs[domain.ReportDecisions] = decisionsReport }

// decisionsReport: role requests decided in the period by kind and
// outcome (role_requests_decided_idx); IMK applications decided in the
// period by outcome and the rule that decided — the automatic check's
// first deciding rule, or "review" for a reviewer's decision
// (imk_applications_decided_idx); denials by ground (¶32) in force now and
// lifted in the period; helpdesk tickets that came in during the period by
// category, with the time to the first reply p50/p90 (tickets_created_idx,
// ticket_replies_ticket_idx).
func decisionsReport(ctx context.Context, tx *Tx, r *domain.Report, _ time.Time) error {
	r.Columns = domain.ReportColumnsOf(domain.ReportDecisions)
	from, to := r.Period.Start(), r.Period.End()
	counted := func(section, sql string, args ...any) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return dbError("run report decisions", err)
		}
		defer rows.Close()
		for rows.Next() {
			var group, outcome string
			var n int64
			if err := rows.Scan(&group, &outcome, &n); err != nil {
				return dbError("run report decisions", err)
			}
			r.Rows = append(r.Rows, []domain.ReportCell{{Key: section}, {Text: group}, {Text: outcome}, {Count: n}, {Null: true}, {Null: true}})
		}
		return dbError("run report decisions", rows.Err())
	}
	if err := counted("report.section.role_requests", `
		SELECT kind, state, count(*) FROM role_requests WHERE decided_at >= $1 AND decided_at < $2
		 GROUP BY kind, state ORDER BY kind, state`, from, to); err != nil {
		return err
	}
	if err := counted("report.section.imk", `
		SELECT CASE WHEN decided_by IS NOT NULL THEN 'review'
		            WHEN reason LIKE 'imk.rule.%' THEN substr(reason, 10)
		            ELSE 'automatic' END AS rule,
		       state, count(*)
		  FROM imk_applications WHERE decided_at >= $1 AND decided_at < $2
		 GROUP BY 1, 2 ORDER BY 1, 2`, from, to); err != nil {
		return err
	}
	if err := counted("report.section.denials", `
		SELECT ground, 'in_force', count(*) FROM denials WHERE state IN ('in_force', 'lift_pending') GROUP BY ground
		UNION ALL
		SELECT ground, 'lifted', count(*) FROM denials WHERE lifted_at >= $1 AND lifted_at < $2 GROUP BY ground
		 ORDER BY 1, 2`, from, to); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `
		SELECT t.category, t.created_at,
		       (SELECT min(p.created_at) FROM ticket_replies p WHERE p.ticket_id = t.id)
		  FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2`, from, to)
	if err != nil {
		return dbError("run report decisions", err)
	}
	type cat struct {
		n     int64
		waits []time.Duration
	}
	cats := map[string]*cat{}
	for rows.Next() {
		var category string
		var created time.Time
		var replied *time.Time
		if err := rows.Scan(&category, &created, &replied); err != nil {
			rows.Close()
			return dbError("run report decisions", err)
		}
		c := cats[category]
		if c == nil {
			c = &cat{}
			cats[category] = c
		}
		c.n++
		if replied != nil {
			c.waits = append(c.waits, replied.Sub(created))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dbError("run report decisions", err)
	}
	var names []string
	for k := range cats {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		c := cats[k]
		p50, ok := domain.Percentile(c.waits, 50)
		p90, _ := domain.Percentile(c.waits, 90)
		r.Rows = append(r.Rows, []domain.ReportCell{{Key: "report.section.tickets"}, {Text: k}, {Text: "received"}, {Count: c.n},
			{Duration: p50, Null: !ok}, {Duration: p90, Null: !ok}})
	}
	return nil
}
