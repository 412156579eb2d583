package storage

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// BulkLoadAudit appends n entries, entry(0) … entry(n-1), to the audit
// log, chained as the trigger audit_log_chain would chain them, but with
// the chain computed here and the rows loaded by COPY with the log's
// triggers switched off: for the logs of measurements (`ppp bench`,
// benchmarks), where appending 10,000,000 entries one by one would take
// hours. Each entry keeps its At; its text is cleaned and its personal
// codes masked as appendAudit does. With rebuildIndexes the log's
// secondary indexes are dropped first and built again at the end, which
// is faster for a large load. It holds the chain's lock throughout, and
// needs a connection allowed to switch a table's triggers off (the
// tables' owner). It returns EUNAVAILABLE or EINTERNAL when the database
// refuses.
func BulkLoadAudit(ctx context.Context, db *DB, n int, entry func(i int) domain.AuditEntry, rebuildIndexes bool) error {
	return db.inTx(ctx, "bulk-load audit entries", func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(8102099284598809716)`); err != nil {
			return dbError("bulk-load audit entries: take the chain's lock", err)
		}
		var headSeq int64
		var headHash []byte
		if err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head FOR UPDATE`).Scan(&headSeq, &headHash); err != nil {
			return dbError("bulk-load audit entries: read the head", err)
		}
		var maxAt *time.Time
		var maxLate time.Duration
		if err := tx.QueryRow(ctx, `SELECT max_at, max_late FROM audit_time_bounds`).Scan(&maxAt, &maxLate); err != nil {
			return dbError("bulk-load audit entries: read the time bounds", err)
		}
		var indexes []string
		if rebuildIndexes {
			var names []string
			rows, err := tx.Query(ctx, `
				SELECT i.indexname, i.indexdef FROM pg_indexes i
				  JOIN pg_index x ON x.indexrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
				 WHERE i.schemaname = current_schema() AND i.tablename = 'audit_log' AND NOT x.indisprimary`)
			if err != nil {
				return dbError("bulk-load audit entries: list the indexes", err)
			}
			var name, def string
			_, err = pgx.ForEachRow(rows, []any{&name, &def}, func() error {
				names, indexes = append(names, name), append(indexes, def)
				return nil
			})
			if err != nil {
				return dbError("bulk-load audit entries: list the indexes", err)
			}
			for _, name := range names {
				if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{name}.Sanitize()); err != nil {
					return dbError("bulk-load audit entries: drop "+name, err)
				}
			}
		}
		for _, table := range []string{"audit_log", "audit_head", "audit_time_bounds"} {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` DISABLE TRIGGER USER`); err != nil {
				return dbError("bulk-load audit entries: switch the triggers of "+table+" off", err)
			}
		}

		prev := append([]byte(nil), headHash...)
		var canon []byte
		h := sha256.New()
		i := 0
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			e := entry(i)
			i++
			cleanAuditEntry(&e)
			seq := headSeq + int64(i)
			var actorID any
			var idBytes []byte
			if e.ActorID > 0 {
				actorID = e.ActorID
				idBytes = binary.BigEndian.AppendUint64(nil, uint64(e.ActorID))
			}
			at := e.At.UTC().Truncate(time.Microsecond)
			canon = appendAuditCanonical(canon[:0], seq, at.UnixMicro()-pgEpochMicros, idBytes, [][]byte{
				[]byte(e.ActorName), []byte(e.SessionID), []byte(e.RemoteAddr), []byte(e.Action),
				[]byte(e.SubjectKind), []byte(e.SubjectID), []byte(e.Reason), []byte(e.Details)})
			h.Reset()
			h.Write(prev)
			h.Write(canon)
			sum := h.Sum(nil)
			row := []any{seq, at, actorID, e.ActorName, e.SessionID, e.RemoteAddr, e.Action,
				e.SubjectKind, e.SubjectID, e.Reason, e.Details, prev, sum}
			prev = sum
			if maxAt == nil || at.After(*maxAt) {
				maxAt = &at
			} else if late := maxAt.Sub(at) + time.Minute; late > maxLate {
				maxLate = late // as audit_time_bounds_note (migration 0111)
			}
			return row, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"audit_log"}, []string{"seq", "at", "actor_id", "actor_name", "session_id",
			"remote_addr", "action", "subject_kind", "subject_id", "reason", "details", "prev_hash", "hash"}, src); err != nil {
			return dbError("bulk-load audit entries", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE audit_head SET seq = $1, hash = $2`, headSeq+int64(n), prev); err != nil {
			return dbError("bulk-load audit entries: move the head", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE audit_time_bounds SET max_at = $1, max_late = $2`, maxAt, maxLate); err != nil {
			return dbError("bulk-load audit entries: widen the time bounds", err)
		}
		for _, table := range []string{"audit_log", "audit_head", "audit_time_bounds"} {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` ENABLE TRIGGER USER`); err != nil {
				return dbError("bulk-load audit entries: switch the triggers of "+table+" on", err)
			}
		}
		if len(indexes) > 0 {
			if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '512MB'`); err != nil {
				return dbError("bulk-load audit entries", err)
			}
		}
		for _, def := range indexes {
			if _, err := tx.Exec(ctx, def); err != nil {
				return dbError(fmt.Sprintf("bulk-load audit entries: %s", def), err)
			}
		}
		return nil
	})
}

// cleanAuditEntry makes e's text storable and masks its personal codes,
// as prepareAudit does for the entries the services write.
func cleanAuditEntry(e *domain.AuditEntry) {
	e.ActorName = maskPersonalCodes(auditText(e.ActorName))
	e.SessionID = auditText(e.SessionID)
	e.RemoteAddr = auditText(e.RemoteAddr)
	e.Action = auditText(e.Action)
	e.SubjectKind = auditText(e.SubjectKind)
	e.SubjectID = maskPersonalCodes(auditText(e.SubjectID))
	e.Reason = maskPersonalCodes(auditText(e.Reason))
	e.Details = maskPersonalCodes(auditText(e.Details))
}
