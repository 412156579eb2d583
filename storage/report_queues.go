package storage

import (
	"context"
	"slices"
	"time"

	"github.com/viaa/ppp/domain"
)

func init() { reportFuncs[domain.ReportQueues] = queuesReport }

// reportQueue is one queue of the queues report: its catalog key, and the
// queries of its items that came in (arrival times) and went out
// (arrival, decision) in [$1, $2), each a range of an index of migration
// 0300 or 0050.
type reportQueue struct {
	name, key string
	in, out   string
}

var reportQueues = []reportQueue{
	// Role requests the Agency decided: in when the applicant confirmed
	// the e-mail address (the request then waits for the Agency or an
	// institution, ¶29.3), out when an operator decided.
	{domain.QueueRoleRequests, "report.queue.role_requests",
		`SELECT email_confirmed_at FROM role_requests WHERE email_confirmed_at >= $1 AND email_confirmed_at < $2`,
		`SELECT email_confirmed_at, decided_at FROM role_requests
		  WHERE decided_at >= $1 AND decided_at < $2 AND decided_by IS NOT NULL AND email_confirmed_at IS NOT NULL`},
	// IMK applications a reviewer decided (¶26.4): the waiting time runs
	// from the application, which the automatic check sent to review.
	{domain.QueueIMKReview, "report.queue.imk_review",
		`SELECT applied_at FROM imk_applications WHERE applied_at >= $1 AND applied_at < $2
		    AND (decided_by IS NOT NULL OR state = 'needs_review')`,
		`SELECT applied_at, decided_at FROM imk_applications
		  WHERE decided_at >= $1 AND decided_at < $2 AND decided_by IS NOT NULL`},
}

// queuesReport: per queue and ISO week (Riga) of the period, the items
// that came in and went out, the waiting time p50/p90 of those decided,
// the share decided within the queue's target (queue_targets, working
// days, default '*'), and for role requests the take-overs from an
// institution (¶29.3) and the requests for information (from the audit
// log, a range of audit_log_action_idx between the period's entries).
func queuesReport(ctx context.Context, tx *Tx, r *domain.Report, _ time.Time) error {
	r.Columns = domain.ReportColumnsOf(domain.ReportQueues)
	targets := map[string]int{}
	rows, err := tx.Query(ctx, `SELECT queue, working_days FROM queue_targets`)
	if err != nil {
		return dbError("run report queues", err)
	}
	for rows.Next() {
		var q string
		var d int
		if err := rows.Scan(&q, &d); err != nil {
			rows.Close()
			return dbError("run report queues", err)
		}
		targets[q] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dbError("run report queues", err)
	}
	target := func(q string) int {
		if d, ok := targets[q]; ok {
			return d
		}
		if d, ok := targets["*"]; ok {
			return d
		}
		return 5
	}
	var weeks []string
	for d := r.Period.Start(); d.Before(r.Period.End()); d = d.AddDate(0, 0, 1) {
		if w := domain.ISOWeek(d); !slices.Contains(weeks, w) {
			weeks = append(weeks, w)
		}
	}
	type week struct {
		in, out, within, takeOvers, infos int64
		waits                             []time.Duration
	}
	// Take-overs and requests for information, by week.
	audit := map[string]*week{}
	lo, hi, empty, err := auditSeqBounds(ctx, tx, r.Period.Start(), r.Period.End())
	if err != nil {
		return err
	}
	if !empty {
		rows, err := tx.Query(ctx, `
			SELECT action, at FROM audit_log
			 WHERE action IN ($1, $2) AND ($3 = 0 OR seq >= $3) AND ($4 = 0 OR seq <= $4)
			   AND at >= $5 AND at < $6`,
			domain.AuditRoleRequestTakeOver, domain.AuditRoleRequestRequestInfo, lo, hi, r.Period.Start(), r.Period.End())
		if err != nil {
			return dbError("run report queues", err)
		}
		for rows.Next() {
			var action string
			var at time.Time
			if err := rows.Scan(&action, &at); err != nil {
				rows.Close()
				return dbError("run report queues", err)
			}
			w := audit[domain.ISOWeek(at)]
			if w == nil {
				w = &week{}
				audit[domain.ISOWeek(at)] = w
			}
			if action == domain.AuditRoleRequestTakeOver {
				w.takeOvers++
			} else {
				w.infos++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError("run report queues", err)
		}
	}
	for _, q := range reportQueues {
		byWeek := map[string]*week{}
		for _, w := range weeks {
			byWeek[w] = &week{}
		}
		days := target(q.name)
		rows, err := tx.Query(ctx, q.in, r.Period.Start(), r.Period.End())
		if err != nil {
			return dbError("run report queues", err)
		}
		for rows.Next() {
			var at time.Time
			if err := rows.Scan(&at); err != nil {
				rows.Close()
				return dbError("run report queues", err)
			}
			if w := byWeek[domain.ISOWeek(at)]; w != nil {
				w.in++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError("run report queues", err)
		}
		rows, err = tx.Query(ctx, q.out, r.Period.Start(), r.Period.End())
		if err != nil {
			return dbError("run report queues", err)
		}
		for rows.Next() {
			var arrived, decided time.Time
			if err := rows.Scan(&arrived, &decided); err != nil {
				rows.Close()
				return dbError("run report queues", err)
			}
			w := byWeek[domain.ISOWeek(decided)]
			if w == nil {
				continue
			}
			w.out++
			w.waits = append(w.waits, decided.Sub(arrived))
			if domain.WorkingDaysBetween(arrived, decided) <= days {
				w.within++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError("run report queues", err)
		}
		for _, wk := range weeks {
			w := byWeek[wk]
			p50, ok := domain.Percentile(w.waits, 50)
			p90, _ := domain.Percentile(w.waits, 90)
			row := []domain.ReportCell{{Key: q.key}, {Text: wk}, {Count: w.in}, {Count: w.out},
				{Duration: p50, Null: !ok}, {Duration: p90, Null: !ok}, domain.ShareCell(w.within, w.out),
				{Null: true}, {Null: true}}
			if a := audit[wk]; q.name == domain.QueueRoleRequests {
				row[7], row[8] = domain.ReportCell{}, domain.ReportCell{}
				if a != nil {
					row[7].Count, row[8].Count = a.takeOvers, a.infos
				}
			}
			r.Rows = append(r.Rows, row)
		}
	}
	r.Notes = append(r.Notes, domain.ReportNote{Key: "report.note.queue_target", Args: []any{target("*")}})
	return nil
}
