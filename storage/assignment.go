package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// A reviewer's work on single role assignments (¶32.1): the assignments
// of the person a role request is about, and extending, ending or
// renewing one with a reason, audited.

// assignmentHoldJoin joins, to assignment a of user u, the denial in force
// that covers it (as coversAssignment: the user, or the institution of the
// user or of the role's scope).
var assignmentHoldJoin = holdJoin(`(d.subject_kind = 'platform_user' AND d.subject_id = u.id)
		OR (d.subject_kind = 'institution' AND d.subject_id IN (u.institution_id, a.institution_id))`)

// assignmentSelect reads assignments with their holder's display name (a
// name, or the e-mail address; never a personal code) and hold.
var assignmentSelect = `
	SELECT a.id, a.user_id, coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email),
	       a.role, coalesce(i.name, ''), coalesce(m.name, ''), a.valid_from, a.valid_until,
	       a.ended_at, a.end_reason, a.suspended_at, coalesce(a.request_id, 0), ` + holdColumns + `
	  FROM role_assignments a
	  JOIN platform_users u ON u.id = a.user_id
	  LEFT JOIN institutions i ON i.id = a.institution_id
	  LEFT JOIN municipalities m ON m.code = a.municipality_code` + assignmentHoldJoin

func scanAssignment(row pgx.Row) (*domain.RoleAssignment, error) {
	a := &domain.RoleAssignment{}
	var role string
	var ended, suspended *time.Time
	var hold holdScan
	err := row.Scan(append([]any{&a.ID, &a.UserID, &a.UserName, &role, &a.InstitutionName, &a.MunicipalityName,
		&a.ValidFrom, &a.ValidUntil, &ended, &a.EndReason, &suspended, &a.RequestID}, hold.dest()...)...)
	if err != nil {
		return nil, err
	}
	a.Role, a.UserName = domain.PlatformRole(role), domain.MaskPersonalCodesIn(a.UserName)
	a.ValidFrom, a.ValidUntil = a.ValidFrom.UTC(), a.ValidUntil.UTC()
	a.EndedAt, a.SuspendedAt, a.Hold = utcOrZero(ended), utcOrZero(suspended), hold.hold()
	return a, nil
}

// personAssignmentsLimit bounds the list: a person holds a handful.
const personAssignmentsLimit = 200

// PersonAssignments returns the role assignments of the person request
// id is about, running first, then by end of validity, newest first: the
// user the request granted a role to, the Latvija.gov.lv user with its
// personal code (samePerson), or the institution password user with its
// e-mail address. It returns ENOTFOUND "rolerequest.not_found" and the
// reviewer's refusals (EUNAUTHORIZED, EFORBIDDEN).
func (s *RoleRequestService) PersonAssignments(ctx context.Context, requestID int64) ([]*domain.RoleAssignment, error) {
	var out []*domain.RoleAssignment
	err := s.db.readTx(ctx, "read role assignments", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, roleRequestGuard, domain.RoleReviewer); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM role_requests WHERE id = $1)`, requestID).Scan(&exists); err != nil {
			return dbError("read role assignments", err)
		}
		if !exists {
			return roleRequestNotFound(requestID)
		}
		rows, err := tx.Query(ctx, assignmentSelect+`
			 WHERE a.user_id IN (
			     SELECT x.user_id FROM role_assignments x WHERE x.request_id = $1
			     UNION
			     SELECT u.id FROM platform_users u, role_requests r
			      WHERE r.id = $1 AND (`+samePerson("u", "r.personal_code")+`
			                           OR (u.kind = 'password' AND lower(u.email) = lower(r.email))))
			 ORDER BY (a.ended_at IS NULL) DESC, a.valid_until DESC, a.id DESC
			 LIMIT $2`, requestID, personAssignmentsLimit)
		if err != nil {
			return dbError("read role assignments", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAssignment(rows)
			if err != nil {
				return dbError("read role assignments", err)
			}
			out = append(out, a)
		}
		return dbError("read role assignments", rows.Err())
	})
	return out, err
}

// ChangeAssignment extends, ends or renews one role assignment with a
// reason, in one transaction with its audit entry (¶32.1): an extension
// moves the end of validity (and the 30- and 7-day warnings are sent again
// for the new end); an end ends it now with the reason and tells the
// holder (the reason stays with the Agency); a renewal of an
// ended assignment grants the same role in the same scope again, from now
// until the new end, without a new request, unless a denial in force
// covers the holder (the denials' lock is taken shared, as for an
// approval). It returns EINVALID from domain.AssignmentChange.Check, the
// refusals of domain.RoleAssignment.Allows (ECONFLICT "assignment.ended",
// "assignment.running", "denial.holds_approval"), ECONFLICT
// "assignment.running" when the holder holds that role in that scope
// again already, ENOTFOUND "assignment.not_found", and the reviewer's
// refusals.
func (s *RoleRequestService) ChangeAssignment(ctx context.Context, c domain.AssignmentChange) error {
	return s.db.inTx(ctx, "change role assignment", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, roleRequestGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		if err := c.Check(tx.now, s.Config); err != nil {
			return err
		}
		if c.Action == domain.AssignmentRenew {
			if err := holdDenials(ctx, tx); err != nil {
				return err
			}
		}
		a, err := scanAssignment(tx.QueryRow(ctx, assignmentSelect+` WHERE a.id = $1 FOR UPDATE OF a`, c.AssignmentID))
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "assignment.not_found", "no role assignment #%d", c.AssignmentID)
		}
		if err != nil {
			return dbError("read role assignment", err)
		}
		if err := a.Allows(c.Action); err != nil {
			return err
		}
		entry := &domain.AuditEntry{SubjectKind: "role_assignment", SubjectID: strconv.FormatInt(a.ID, 10), Reason: c.Reason,
			Details: "user " + strconv.FormatInt(a.UserID, 10) + " " + string(a.Role)}
		switch c.Action {
		case domain.AssignmentExtend:
			entry.Action = domain.AuditAssignmentExtend
			entry.Details += "; valid_until " + a.ValidUntil.Format(time.RFC3339) + " → " + c.ValidUntil.Format(time.RFC3339)
			if _, err := tx.Exec(ctx, `UPDATE role_assignments SET valid_until = $2 WHERE id = $1 AND ended_at IS NULL`,
				a.ID, c.ValidUntil); err != nil {
				return dbError("extend role assignment", err)
			}
			// The warnings of the old end no longer apply (the ended notice,
			// days 0, is never sent for a running assignment).
			if _, err := tx.Exec(ctx, `DELETE FROM role_expiry_warnings WHERE assignment_id = $1 AND days > 0`, a.ID); err != nil {
				return dbError("extend role assignment", err)
			}
		case domain.AssignmentEnd:
			entry.Action = domain.AuditAssignmentEnd
			if _, err := tx.Exec(ctx, `UPDATE role_assignments SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL`,
				a.ID, tx.now, c.Reason); err != nil {
				return dbError("end role assignment", err)
			}
			if err := tellRoleEndedEarly(ctx, tx, a.ID); err != nil {
				return err
			}
		case domain.AssignmentRenew:
			entry.Action = domain.AuditAssignmentRenew
			var renewed int64
			err := tx.QueryRow(ctx, `
				INSERT INTO role_assignments (user_id, role, institution_id, municipality_code, valid_from, valid_until,
				                              granted_by, request_id)
				SELECT user_id, role, institution_id, municipality_code, $2, $3, $4, request_id
				  FROM role_assignments WHERE id = $1
				RETURNING id`, a.ID, tx.now, c.ValidUntil, me.id).Scan(&renewed)
			if domain.ErrorCode(dbError("", err)) == domain.ECONFLICT {
				return domain.Errorf(domain.ECONFLICT, "assignment.running", "this role assignment is still running: extend it instead")
			}
			if err != nil {
				return dbError("renew role assignment", err)
			}
			entry.Details += "; renewed as " + strconv.FormatInt(renewed, 10) + " until " + c.ValidUntil.Format(time.RFC3339)
		}
		return appendAudit(ctx, tx, entry)
	})
}
