package storage

import (
	"context"
	"strconv"
	"time"

	"github.com/viaa/ppp/domain"
)

// retentionBatch is how many rows one transaction of the retention sweep
// deletes or minimises.
const retentionBatch = 1000

// retention applies each kind's retention rule (migration 0320), batch by
// batch, renewing the lease between batches. Checked counts what was past
// its period at the start, Changed what was deleted or minimised. A run
// that changed something appends one audit entry with the counts per kind.
func (s *Sweeper) retention(ctx context.Context, r *sweepRun, now time.Time) error {
	plan, err := NewRetentionService(s.db).RetentionPlan(ctx, now)
	if err != nil {
		return err
	}
	done := make([]domain.RetentionCount, len(plan))
	for i, c := range plan {
		r.Checked += c.Count
		done[i] = c
		done[i].Count = 0
		if c.Count == 0 {
			continue
		}
		n, err := s.retentionKind(ctx, r, c, now)
		done[i].Count = n
		r.Changed += n
		if err != nil {
			return err
		}
	}
	if r.Changed == 0 {
		return nil
	}
	return s.inTxAt(ctx, "record the retention sweep", now, func(tx *Tx) error {
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRetentionSweep, SubjectKind: "sweep_run", SubjectID: strconv.FormatInt(r.ID, 10),
			Details: retentionSummary(done),
		})
	})
}

// retentionKind applies one kind's rule until nothing of it is left to do.
func (s *Sweeper) retentionKind(ctx context.Context, r *sweepRun, c domain.RetentionCount, now time.Time) (int64, error) {
	var total int64
	for {
		var n int64
		err := s.inTxAt(ctx, "apply the retention of "+string(c.Kind), now, func(tx *Tx) error {
			if c.Kind == domain.RetentionAudit {
				return dbError("redact audit entries", tx.QueryRow(ctx, `SELECT audit_redact($1)`, retentionBatch).Scan(&n))
			}
			w := retentionWork[c.Kind]
			if c.Action == domain.RetentionMinimise {
				for _, q := range w.prepareMinimise {
					if _, err := tx.Exec(ctx, q, c.Before, retentionBatch); err != nil {
						return dbError("apply the retention of "+string(c.Kind), err)
					}
				}
			}
			for _, q := range w.deleteFiles {
				var m int64
				if err := tx.QueryRow(ctx, q, c.Before, retentionBatch).Scan(&m); err != nil {
					return dbError("apply the retention of "+string(c.Kind), err)
				}
				n += m
			}
			for _, q := range w.apply(c.Action) {
				args := []any{c.Before, retentionBatch}
				if c.Action == domain.RetentionMinimise {
					args = append(args, now)
				}
				tag, err := tx.Exec(ctx, q, args...)
				if err != nil {
					return dbError("apply the retention of "+string(c.Kind), err)
				}
				n += tag.RowsAffected()
			}
			return nil
		})
		total += n
		if err != nil || n < retentionBatch {
			return total, err
		}
		if err := s.renew(ctx, r); err != nil {
			return total, err
		}
	}
}
