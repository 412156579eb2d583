package storage

import (
	"context"
	"strconv"

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
	if err := lockDenials(ctx, tx); err != nil {
		return 0, err
	}
	live, err := liveDenials(ctx, tx, kind, subjectID)
	if err != nil {
		return 0, err
	}
	d, err := domain.NewDenial(kind, subjectID, ground, note, evidence, raisedBy, tx.now, live)
	if err != nil {
		return 0, err
	}
	if err := subjectExists(ctx, tx, kind, subjectID); err != nil {
		return 0, err
	}
	// Whatever its subject, a request passed on waits for security.
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO denials (subject_kind, subject_id, ground, note, evidence, state, raised_by, raised_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING id`,
		string(kind), subjectID, string(ground), d.Note, d.Evidence, string(domain.DenialPendingApproval), raisedBy, tx.now).Scan(&id)
	if err != nil {
		return 0, dbError("insert denial", err)
	}
	if err := Notify(ctx, tx, domain.TopicDenial, strconv.FormatInt(id, 10)); err != nil {
		return 0, err
	}
	return id, auditDenial(ctx, tx, "denial.request", id, kind, subjectID, ground, d.Note)
}
