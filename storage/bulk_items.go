package storage

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// run does one item of job j to target: through the same service method
// the single action calls (Deny, Lift, ChangeAssignment, Refetch), whose
// transactions join tx (ctx carries it), so that the item and its outcome
// commit together. A bulk e-mail has no single action: mailOne is its
// one place. The errors are the methods' own.
func (s *BulkService) run(ctx context.Context, tx *Tx, j *domain.BulkJob, kind string, target int64) error {
	switch j.Kind {
	case domain.BulkDeny:
		_, err := s.denials.Deny(ctx, domain.SubjectPlatformUser, target, j.Ground, j.Reason, "")
		return err
	case domain.BulkLift:
		d, err := s.denials.FindDenial(ctx, target)
		if err != nil {
			return err
		}
		return s.denials.Lift(ctx, d.ID, d.Version, j.Reason)
	case domain.BulkExtend:
		return s.roles.ChangeAssignment(ctx, domain.AssignmentChange{
			AssignmentID: target, Action: domain.AssignmentExtend, ValidUntil: j.Until, Reason: j.Reason})
	case domain.BulkIMKCheck:
		if s.imk == nil {
			return domain.Errorf(domain.EINVALID, "bulk.bad_kind", "this server checks no IMK applications")
		}
		if _, err := s.imk.Refetch(ctx, target); err != nil {
			return err
		}
		// Refetch claims the application for the actor, as it does for a
		// reviewer at the detail; a job holds nothing afterwards.
		return s.imk.ReleaseIMK(ctx, target)
	case domain.BulkMail:
		return s.mailOne(ctx, tx, j, kind, target)
	}
	return domain.Errorf(domain.EINVALID, "bulk.bad_kind", "unknown bulk action")
}

// mailOne queues the job's template for one person through the outbox,
// filled with their name and the job's reason, and audits it (¶25: the
// Agency tells users through the Platform's address). ENOTFOUND
// "bulk.no_address" when the person has gone or has no address; the
// outbox's EINVALID for an address it refuses; the mail reviewer's or
// security officer's refusals.
func (s *BulkService) mailOne(ctx context.Context, tx *Tx, j *domain.BulkJob, kind string, target int64) error {
	if _, err := loadActor(ctx, tx, bulkGuard, j.Kind.Roles()...); err != nil {
		return err
	}
	table := map[string]string{
		"platform_user": "platform_users", "role_request": "role_requests", "imk_application": "imk_applications",
	}[kind]
	if table == "" {
		return domain.Errorf(domain.EINVALID, "bulk.bad_kind", "cannot e-mail a %s", kind)
	}
	var email, first, last string
	err := tx.QueryRow(ctx, `SELECT email, first_name, last_name FROM `+table+` WHERE id = $1`, target).Scan(&email, &first, &last)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && email == "") {
		return domain.Errorf(domain.ENOTFOUND, "bulk.no_address", "no address to write to")
	}
	if err != nil {
		return dbError("read whom to e-mail", err)
	}
	name := first
	if last != "" {
		name += " " + last
	}
	id, err := enqueueMail(ctx, tx, email, "lv", j.Template, map[string]string{"name": name, "message": j.Reason})
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditBulkMail, SubjectKind: kind,
		SubjectID: strconv.FormatInt(target, 10), Reason: j.Reason,
		Details: j.Template + "; job " + strconv.FormatInt(j.ID, 10) + "; outbox " + strconv.FormatInt(id, 10)})
}
