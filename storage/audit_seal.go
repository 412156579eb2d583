package storage

import (
	"context"
	"log/slog"
	"time"

	"github.com/viaa/ppp/domain"
)

// sealBatch is how many pending audit entries one audit_seal() call moves
// onto the chain.
const sealBatch = 1000

// SealEvery is how often a server seals pending audit entries.
const SealEvery = time.Second

// SealAudit moves every pending audit entry (audit_pending, written by
// claims; migration 0072) onto the hash chain, oldest first, and returns
// how many it moved. Concurrent sealers wait for each other. It returns
// EUNAVAILABLE when the database does not answer.
func (s *AuditService) SealAudit(ctx context.Context) (int, error) {
	// Most calls find nothing pending; they need not take the chain's lock.
	var pending bool
	if err := s.db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM audit_pending)`).Scan(&pending); err != nil {
		return 0, dbError("seal pending audit entries", err)
	}
	if !pending {
		return 0, nil
	}
	total := 0
	for {
		var moved int
		if err := s.db.pool.QueryRow(ctx, `SELECT audit_seal($1)`, sealBatch).Scan(&moved); err != nil {
			return total, dbError("seal pending audit entries", err)
		}
		total += moved
		if moved < sealBatch {
			return total, nil
		}
	}
}

// RunSealer seals pending audit entries every SealEvery until ctx ends.
// Every server runs one; they take turns on the chain's lock.
func (s *AuditService) RunSealer(ctx context.Context, logger *slog.Logger) {
	t := time.NewTicker(SealEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.SealAudit(ctx); err != nil && ctx.Err() == nil && logger != nil {
			logger.Warn("seal pending audit entries", "err", err)
		}
	}
}

// appendPendingAudit writes e to audit_pending inside tx: for the busiest,
// least weighty writes (claims), whose entries must commit with the change
// but need not wait for the chain's lock. The sealer chains it within
// SealEvery; until then search and verify seal first, so that no reader
// misses it. Its fields are prepared as appendAudit's are.
func appendPendingAudit(ctx context.Context, tx *Tx, e *domain.AuditEntry) error {
	if err := prepareAudit(ctx, tx.now, e); err != nil {
		return err
	}
	var actorID *int64
	if e.ActorID > 0 {
		actorID = &e.ActorID
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO audit_pending (at, actor_id, actor_name, session_id, remote_addr,
		                           action, subject_kind, subject_id, reason, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.At, actorID, e.ActorName, e.SessionID, e.RemoteAddr,
		e.Action, e.SubjectKind, e.SubjectID, e.Reason, e.Details)
	if err != nil {
		return dbError("append pending audit entry "+e.Action, err)
	}
	tx.audited = append(tx.audited, e.Action)
	return nil
}
