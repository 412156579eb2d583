package storage

import (
	"context"
	"encoding/hex"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

// auditSeparator joins the fields of an entry's canonical text; see
// migrations/0003_audit_log.sql.
const auditSeparator = domain.AuditSeparator

// auditTimeLayout is the canonical form of an entry's time, the Go
// spelling of to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"').
const auditTimeLayout = "2006-01-02T15:04:05.000000Z"

// AuditService searches and verifies the audit log. It implements
// domain.AuditService. Searching and verifying need an administrator or a
// security officer, recording an entry a reviewer, or the back office
// itself (EUNAUTHORIZED "access.no_operator", EFORBIDDEN
// "audit.forbidden").
type AuditService struct {
	db *DB
	textIndexState
}

var _ domain.AuditService = (*AuditService)(nil)

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// appendAudit appends e to the audit log inside tx, so that the entry
// commits or rolls back with the change it records. The actor fields left
// empty in e are filled from the actor in ctx, the time is the
// transaction's, and personal codes in the subject, the reason and the
// details are masked. The trigger on audit_log sets the sequence number and
// the hashes; they are written back into e.
//
// Appends serialise until the appending transaction ends, so call it as the
// last statement before commit.
func appendAudit(ctx context.Context, tx *Tx, e *domain.AuditEntry) error {
	if err := prepareAudit(ctx, tx.now, e); err != nil {
		return err
	}
	var actorID *int64
	if e.ActorID > 0 {
		actorID = &e.ActorID
	}
	var hash []byte
	err := tx.QueryRow(ctx, `
		INSERT INTO audit_log (at, actor_id, actor_name, session_id, remote_addr,
		                       action, subject_kind, subject_id, reason, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING seq, hash`,
		e.At, actorID, e.ActorName, e.SessionID, e.RemoteAddr,
		e.Action, e.SubjectKind, e.SubjectID, e.Reason, e.Details,
	).Scan(&e.Seq, &hash)
	if err != nil {
		return dbError("append audit entry "+e.Action, err)
	}
	e.Hash = hex.EncodeToString(hash)
	tx.audited = append(tx.audited, e.Action)
	return nil
}

// prepareAudit makes e ready to be inserted at time at, as appendAudit
// does, for the statements that write their audit entry themselves (a
// data-modifying WITH that claims and audits in one round trip): the
// actor fields left empty are filled from the actor in ctx, and personal
// codes are masked (domain.PrepareAuditEntry).
func prepareAudit(ctx context.Context, at time.Time, e *domain.AuditEntry) error {
	return domain.PrepareAuditEntry(e, domain.ActorFrom(ctx), at)
}

// likeEscaper is built once: a Replacer is safe for concurrent use, and
// building one costs more than most replacements.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// RecordAudit appends a stand-alone entry, such as the reveal of a
// person's full personal code with its reason. The actor, session and
// address come from ctx, never from e, and the time from the database
// transaction; e receives its Seq, At and Hash. It returns EINVALID when
// the action is empty and EUNAVAILABLE when the database does not answer.
func (s *AuditService) RecordAudit(ctx context.Context, e *domain.AuditEntry) error {
	e.ActorID, e.ActorName, e.SessionID, e.RemoteAddr = 0, "", "", ""
	return s.db.inTx(ctx, "record audit entry", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, auditGuard, domain.RoleReviewer); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
}

// likeEscape escapes the wildcards of LIKE in s.
func likeEscape(s string) string {
	return likeEscaper.Replace(s)
}
