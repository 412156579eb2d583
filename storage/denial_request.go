package storage

import (
	"context"
	"strconv"
	"strings"

	"github.com/viaa/ppp/domain"
)

// requestDenial raises, for an operator who is not a security officer
// (the helpdesk, passing on a person's ¶32.4 request), a denial of the
// subject on ground that waits in pending_approval for a security
// officer, who approves it through DenialService.Approve (which applies
// its effects) or refuses it. The denial package's rules hold: the note
// is required and bounded, the subject must exist, one live denial per
// subject and ground, nobody denies themselves, and raised_by is the
// requester, so the four-eyes CHECK keeps them from approving it. It
// takes the denials' lock, audits "denial.request" and announces the
// denial; it returns its id. Errors as Deny.
func requestDenial(ctx context.Context, tx *Tx, raisedBy int64, kind domain.SubjectKind, subjectID int64,
	ground domain.Ground, note, evidence string) (int64, error) {
	note, evidence = strings.TrimSpace(note), strings.TrimSpace(evidence)
	if err := validateDenial(kind, ground, note, evidence); err != nil {
		return 0, err
	}
	if kind == domain.SubjectOperator && subjectID == raisedBy {
		return 0, domain.Errorf(domain.EFORBIDDEN, "denial.self", "you cannot deny your own access")
	}
	if err := lockDenials(ctx, tx); err != nil {
		return 0, err
	}
	if err := subjectExists(ctx, tx, kind, subjectID); err != nil {
		return 0, err
	}
	var exists bool
	if err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM denials WHERE subject_kind = $1 AND subject_id = $2 AND ground = $3
		                  AND state = ANY ($4::text[]))`,
		string(kind), subjectID, string(ground), liveDenialStates).Scan(&exists); err != nil {
		return 0, dbError("check denials", err)
	}
	if exists {
		return 0, domain.Errorf(domain.ECONFLICT, "denial.exists", "access is denied on this ground already")
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO denials (subject_kind, subject_id, ground, note, evidence, state, raised_by, raised_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING id`,
		string(kind), subjectID, string(ground), note, evidence, string(domain.DenialPendingApproval), raisedBy, tx.now).Scan(&id)
	if err != nil {
		return 0, dbError("insert denial", err)
	}
	if err := Notify(ctx, tx, domain.TopicDenial, strconv.FormatInt(id, 10)); err != nil {
		return 0, err
	}
	return id, auditDenial(ctx, tx, "denial.request", id, kind, subjectID, ground, note)
}
