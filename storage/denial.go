package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// The denials of access (¶24, ¶32): migrations/0040_denials.sql.
//
// A denial takes force in the transaction that makes it in force: the
// effects (denialEffects) are applied there, recorded in denial_effects,
// audited, and announced on the change feed (topic "denial", and
// "operator" for a denied operator, whose sessions then end). Every
// transaction that changes a denial's state first takes denialLockKey, so
// that two lifts of denials covering one person cannot each hand the
// person's effects over to the other.

// denialLockKey is 'ppp_deny' as a big-endian integer: the transaction
// advisory lock serialising changes of denials.
const denialLockKey int64 = 8102099284735996281

// liveDenialStates are the states in which a denial holds a place in the
// unique index (domain.LiveDenialStates); inForceStates those in which its
// effects hold.
var (
	liveDenialStates = stateNames(domain.LiveDenialStates)
	inForceStates    = []string{string(domain.DenialInForce), string(domain.DenialLiftPending)}
)

// stateNames returns denial states as the strings stored.
func stateNames(states []domain.DenialState) []string {
	out := make([]string, len(states))
	for i, st := range states {
		out[i] = string(st)
	}
	return out
}

// DenialService is the security officer's work on PostgreSQL. It
// implements domain.DenialService. Every method needs the security role
// (EUNAUTHORIZED "denial.no_operator", EFORBIDDEN "denial.not_security");
// the reads may be the back office itself (the death-check report from the
// command line), the changes need an operator.
type DenialService struct {
	db *DB
}

var _ domain.DenialService = (*DenialService)(nil)

// NewDenialService returns a DenialService on db.
func NewDenialService(db *DB) *DenialService { return &DenialService{db: db} }

// lockDenials takes the denials' transaction lock.
func lockDenials(ctx context.Context, tx *Tx) error {
	_, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", denialLockKey)
	return dbError("lock denials", err)
}

// denialSelect reads denials with their subject's display name; a platform
// user is named by name, or by e-mail address, never by personal code.
var denialSelect = `
	SELECT d.id, d.subject_kind, d.subject_id,
	       coalesce(CASE d.subject_kind
	           WHEN 'platform_user' THEN (SELECT coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email)
	                                        FROM platform_users u WHERE u.id = d.subject_id)
	           WHEN 'institution' THEN (SELECT i.name FROM institutions i WHERE i.id = d.subject_id)
	           WHEN 'operator' THEN (SELECT coalesce(nullif(o.full_name, ''), o.name) FROM operators o WHERE o.id = d.subject_id)
	       END, ''),
	       d.ground, d.note, d.evidence, d.state,
	       coalesce(d.raised_by, 0), coalesce((SELECT coalesce(nullif(o.full_name, ''), o.name) FROM operators o WHERE o.id = d.raised_by), 'system'),
	       d.raised_at, coalesce(d.approved_by, 0), d.in_force_at,
	       d.lift_reason, coalesce(d.lift_requested_by, 0), coalesce(d.lift_approved_by, 0), d.lifted_at,
	       coalesce(d.refused_by, 0), d.refuse_reason, d.lift_password_change, d.ends_at, d.version,
	       ` + termsPendingColumns + `
	  FROM denials d` + denialTermsPendingJoin

// denialTermsPendingJoin joins, to denial d, the version in force its
// Platform user subject has not accepted (¶26.2).
var denialTermsPendingJoin = termsPendingJoin(`d.subject_kind IS DISTINCT FROM 'platform_user'
	  OR EXISTS (SELECT FROM platform_users u WHERE u.id = d.subject_id AND ` + userAccepted("u", "tv.id") + `)`)

func scanDenial(row pgx.Row) (*domain.Denial, error) {
	d := &domain.Denial{}
	var kind, ground, state string
	var inForce, lifted, ends *time.Time
	var terms termsPendingScan
	err := row.Scan(append([]any{&d.ID, &kind, &d.SubjectID, &d.SubjectName, &ground, &d.Note, &d.Evidence, &state,
		&d.RaisedBy, &d.RaisedByName, &d.RaisedAt, &d.ApprovedBy, &inForce,
		&d.LiftReason, &d.LiftedBy, &d.LiftApprover, &lifted, &d.RefusedBy, &d.RefuseReason, &d.LiftNewPassword, &ends, &d.Version},
		terms.dest()...)...)
	if err != nil {
		return nil, err
	}
	d.SubjectTerms = terms.pending()
	d.SubjectKind, d.Ground, d.State = domain.SubjectKind(kind), domain.Ground(ground), domain.DenialState(state)
	d.SubjectName = domain.MaskPersonalCodesIn(d.SubjectName)
	if inForce != nil {
		d.InForceAt = *inForce
	}
	if lifted != nil {
		d.LiftedAt = *lifted
	}
	if ends != nil {
		d.EndsAt = *ends
	}
	return d, nil
}

func collectDenials(rows pgx.Rows, what string) ([]*domain.Denial, error) {
	defer rows.Close()
	var out []*domain.Denial
	for rows.Next() {
		d, err := scanDenial(rows)
		if err != nil {
			return nil, dbError(what, err)
		}
		out = append(out, d)
	}
	return out, dbError(what, rows.Err())
}

// findDenial reads one denial in tx; ENOTFOUND "denial.not_found".
func findDenial(ctx context.Context, q pgx.Tx, id int64, forUpdate bool) (*domain.Denial, error) {
	sql := denialSelect + " WHERE d.id = $1"
	if forUpdate {
		sql += " FOR UPDATE OF d"
	}
	d, err := scanDenial(q.QueryRow(ctx, sql, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "denial.not_found", "no such denial")
	}
	if err != nil {
		return nil, dbError("read denial", err)
	}
	return d, nil
}

// ListDenials returns the denials matching f, newest first, at most
// f.Limit (50 when zero, never more than 500); by default those in force
// or with a lift pending. It returns EUNAVAILABLE when the database does
// not answer.
func (s *DenialService) ListDenials(ctx context.Context, f domain.DenialFilter) ([]*domain.Denial, error) {
	if _, err := loadCaller(ctx, s.db.pool, denialGuard, domain.RoleSecurity); err != nil {
		return nil, err
	}
	f.Normalize()
	states := stateNames(f.States)
	var grounds []string
	for _, g := range f.Grounds {
		grounds = append(grounds, string(g))
	}
	rows, err := s.db.pool.Query(ctx, denialSelect+`
		 WHERE d.state = ANY ($1::text[])
		   AND (coalesce(cardinality($2::text[]), 0) = 0 OR d.ground = ANY ($2::text[]))
		   AND ($3 = '' OR d.subject_kind = $3)
		   AND ($4 = 0 OR d.subject_id = $4)
		   AND ($5 = 0 OR d.id < $5)
		 ORDER BY d.id DESC
		 LIMIT $6`, states, grounds, string(f.SubjectKind), f.SubjectID, f.BeforeID, f.Limit)
	if err != nil {
		return nil, dbError("list denials", err)
	}
	return collectDenials(rows, "list denials")
}

// FindDenial returns the denial with that id; ENOTFOUND "denial.not_found".
func (s *DenialService) FindDenial(ctx context.Context, id int64) (*domain.Denial, error) {
	var d *domain.Denial
	err := s.db.readTx(ctx, "find denial", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, denialGuard, domain.RoleSecurity); err != nil {
			return err
		}
		var err error
		d, err = findDenial(ctx, tx, id, false)
		return err
	})
	return d, err
}

// SubjectHistory returns every denial of one subject, newest first.
func (s *DenialService) SubjectHistory(ctx context.Context, kind domain.SubjectKind, id int64) ([]*domain.Denial, error) {
	if _, err := loadCaller(ctx, s.db.pool, denialGuard, domain.RoleSecurity); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, denialSelect+`
		 WHERE d.subject_kind = $1 AND d.subject_id = $2 ORDER BY d.id DESC`, string(kind), id)
	if err != nil {
		return nil, dbError("read subject history", err)
	}
	return collectDenials(rows, "read subject history")
}

// PendingApprovals lists the denials and lifts waiting for a second
// officer, oldest first.
func (s *DenialService) PendingApprovals(ctx context.Context) ([]*domain.Denial, error) {
	if _, err := loadCaller(ctx, s.db.pool, denialGuard, domain.RoleSecurity); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, denialSelect+`
		 WHERE d.state IN ('pending_approval', 'lift_pending') ORDER BY d.id`)
	if err != nil {
		return nil, dbError("list pending approvals", err)
	}
	return collectDenials(rows, "list pending approvals")
}

// Deny raises a denial of the subject on ground. A denial of a back-office
// operator waits for a second security officer (four eyes); any other is
// in force at once, with its effects. It returns the errors of
// domain.NewDenial (EINVALID "denial.bad_ground", "denial.bad_subject",
// "denial.note_required", "denial.too_long" or "denial.bad_text";
// EFORBIDDEN "denial.self"; ECONFLICT "denial.exists" when the subject is
// denied on that ground already); ENOTFOUND "denial.no_subject";
// EUNAUTHORIZED "denial.no_operator"; EFORBIDDEN "denial.not_security".
func (s *DenialService) Deny(ctx context.Context, kind domain.SubjectKind, subjectID int64, ground domain.Ground, note, evidence string) (*domain.Denial, error) {
	var d *domain.Denial
	err := s.db.inTx(ctx, "deny access", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, denialGuard, domain.RoleSecurity)
		if err != nil {
			return err
		}
		if err := lockDenials(ctx, tx); err != nil {
			return err
		}
		id, err := raiseDenial(ctx, tx, me.id, kind, subjectID, ground, note, evidence, "")
		if err != nil {
			return err
		}
		d, err = findDenial(ctx, tx, id, false)
		return err
	})
	return d, err
}

// raiseDenial inserts a denial raised by the operator raisedBy (0 for a
// sweep), as domain.NewDenial starts it, and puts it in force unless it
// waits for approval. The caller holds the denials' lock. It audits the
// step as action, or as domain.NewDenial's state says when action is "".
// Errors as Deny.
func raiseDenial(ctx context.Context, tx *Tx, raisedBy int64, kind domain.SubjectKind, subjectID int64, ground domain.Ground, note, evidence, action string) (int64, error) {
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
	var by *int64
	if raisedBy != 0 {
		by = &raisedBy
	}
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO denials (subject_kind, subject_id, ground, note, evidence, state, raised_by, raised_at, in_force_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		RETURNING id`,
		string(kind), subjectID, string(ground), d.Note, d.Evidence, string(d.State), by, tx.now, nullTime(d.InForceAt)).Scan(&id)
	if err != nil {
		return 0, dbError("insert denial", err)
	}
	if d.State == domain.DenialInForce {
		if err := applyDenial(ctx, tx, id, kind, subjectID); err != nil {
			return 0, err
		}
		if err := tellDenial(ctx, tx, id); err != nil {
			return 0, err
		}
	}
	if err := Notify(ctx, tx, domain.TopicDenial, strconv.FormatInt(id, 10)); err != nil {
		return 0, err
	}
	if action == "" {
		action = domain.AuditDenialRaise
		if d.State == domain.DenialInForce {
			action = domain.AuditDenialInForce
		}
	}
	return id, auditDenial(ctx, tx, action, id, kind, subjectID, ground, d.Note)
}

// liveDenials reads the subject's live denials (domain.LiveDenialStates).
func liveDenials(ctx context.Context, tx *Tx, kind domain.SubjectKind, subjectID int64) ([]*domain.Denial, error) {
	rows, err := tx.Query(ctx, denialSelect+`
		 WHERE d.subject_kind = $1 AND d.subject_id = $2 AND d.state = ANY ($3::text[])`,
		string(kind), subjectID, liveDenialStates)
	if err != nil {
		return nil, dbError("check denials", err)
	}
	return collectDenials(rows, "check denials")
}

// subjectExists returns ENOTFOUND "denial.no_subject" unless the subject
// exists; it locks the subject's row, so that its effects are applied
// against what it is now.
func subjectExists(ctx context.Context, tx *Tx, kind domain.SubjectKind, id int64) error {
	table := map[domain.SubjectKind]string{
		domain.SubjectPlatformUser: "platform_users",
		domain.SubjectInstitution:  "institutions",
		domain.SubjectOperator:     "operators",
	}[kind]
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = $1 FOR UPDATE", id).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "denial.no_subject", "no such %s", string(kind))
	}
	return dbError("read the subject", err)
}

// auditDenial appends the audit entry of a step of denial id.
func auditDenial(ctx context.Context, tx *Tx, action string, id int64, kind domain.SubjectKind, subjectID int64, ground domain.Ground, reason string) error {
	return auditDenialNoting(ctx, tx, action, id, kind, subjectID, ground, reason, false)
}

// auditDenialNoting is auditDenial for a lift: newPassword names, in the
// entry, the requirement of a new password at the next sign-in (¶32.3,
// ¶32.6).
func auditDenialNoting(ctx context.Context, tx *Tx, action string, id int64, kind domain.SubjectKind, subjectID int64, ground domain.Ground, reason string, newPassword bool) error {
	details := string(kind) + " " + strconv.FormatInt(subjectID, 10) + " ¶" + string(ground)
	if newPassword {
		details += "; password_change_required"
	}
	return appendAudit(ctx, tx, &domain.AuditEntry{
		Action: action, SubjectKind: "denial", SubjectID: strconv.FormatInt(id, 10), Reason: reason, Details: details,
	})
}

// lockForChange locks denial id for a change by me and checks its
// version; ECONFLICT "denial.changed" when someone changed it since.
func lockForChange(ctx context.Context, tx *Tx, id, version int64) (*domain.Denial, error) {
	if err := lockDenials(ctx, tx); err != nil {
		return nil, err
	}
	d, err := findDenial(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if err := d.CheckVersion(version); err != nil {
		return nil, err
	}
	return d, nil
}

// setState moves denial id to state, guarded by the state it was read in.
func setState(ctx context.Context, tx *Tx, d *domain.Denial, state domain.DenialState, sets string, args ...any) error {
	all := append([]any{d.ID, string(d.State), string(state)}, args...)
	tag, err := tx.Exec(ctx, `
		UPDATE denials SET state = $3, version = version + 1`+sets+`
		 WHERE id = $1 AND state = $2`, all...)
	if err != nil {
		return dbError("change denial", err)
	}
	if tag.RowsAffected() != 1 {
		return domain.Errorf(domain.ECONFLICT, "denial.changed", "someone else changed this denial; look at it again")
	}
	return Notify(ctx, tx, domain.TopicDenial, strconv.FormatInt(d.ID, 10))
}

// Lift lifts denial id (at version) with a reason. Lifting a ¶32.3 or
// ¶32.6 denial waits for a second security officer; any other lift takes
// effect at once, undoing what the denial did (except what another denial
// in force still requires). It returns EINVALID "denial.reason_required"
// or "denial.too_long", the refusals of domain.Denial.Allows (ECONFLICT
// "denial.not_in_force", EFORBIDDEN "denial.self"), ECONFLICT
// "denial.changed", ENOTFOUND "denial.not_found", and the officer's errors
// of Deny.
func (s *DenialService) Lift(ctx context.Context, id, version int64, reason string) error {
	return s.lift(ctx, id, version, reason, false)
}

// LiftRequiringNewPassword is Lift that, when the lift takes effect,
// requires the institution password users the denial reaches to choose a
// new password at their next sign-in (platform_users.
// password_change_required, which the portal API's sign-in status
// reports), in the same transaction (¶32.3, ¶32.6). Errors as Lift.
func (s *DenialService) LiftRequiringNewPassword(ctx context.Context, id, version int64, reason string) error {
	return s.lift(ctx, id, version, reason, true)
}

func (s *DenialService) lift(ctx context.Context, id, version int64, reason string, newPassword bool) error {
	reason, err := domain.CheckDenialReason(reason)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "lift denial", func(tx *Tx) error {
		me, d, err := s.lockForStep(ctx, tx, domain.DenialLift, id, version)
		if err != nil {
			return err
		}
		if d.After(domain.DenialLift) == domain.DenialLiftPending {
			if err := setState(ctx, tx, d, domain.DenialLiftPending,
				", lift_reason = $4, lift_requested_by = $5, lift_password_change = $6", reason, me.id, newPassword); err != nil {
				return err
			}
			return auditDenialNoting(ctx, tx, domain.AuditDenialLiftRequest, d.ID, d.SubjectKind, d.SubjectID, d.Ground, reason, newPassword)
		}
		if err := setState(ctx, tx, d, domain.DenialLifted,
			", lift_reason = $4, lift_requested_by = $5, lifted_at = $6, lift_password_change = $7", reason, me.id, tx.now, newPassword); err != nil {
			return err
		}
		if err := liftTakesEffect(ctx, tx, d.ID, newPassword); err != nil {
			return err
		}
		return auditDenialNoting(ctx, tx, domain.AuditDenialLift, d.ID, d.SubjectKind, d.SubjectID, d.Ground, reason, newPassword)
	})
}

// lockForStep checks that the acting security officer may take step a on
// denial id at version (domain.Denial.Allows), with the denial locked.
func (s *DenialService) lockForStep(ctx context.Context, tx *Tx, a domain.DenialAction, id, version int64) (*actor, *domain.Denial, error) {
	me, err := loadActor(ctx, tx, denialGuard, domain.RoleSecurity)
	if err != nil {
		return nil, nil, err
	}
	d, err := lockForChange(ctx, tx, id, version)
	if err != nil {
		return nil, nil, err
	}
	if err := d.Allows(a, me.id); err != nil {
		return nil, nil, err
	}
	return me, d, nil
}

// Approve approves denial id (at version): a pending denial takes force
// with its effects, a pending lift takes effect. It returns the refusals
// of domain.Denial.Allows (EFORBIDDEN "denial.own" when the acting
// operator raised the denial or asked for the lift, whatever the session,
// or is its subject; ECONFLICT "denial.not_pending"), ECONFLICT
// "denial.changed", ENOTFOUND "denial.not_found", and the officer's errors
// of Deny.
func (s *DenialService) Approve(ctx context.Context, id, version int64) error {
	return s.db.inTx(ctx, "approve denial", func(tx *Tx) error {
		me, d, err := s.lockForStep(ctx, tx, domain.DenialApprove, id, version)
		if err != nil {
			return err
		}
		if d.After(domain.DenialApprove) == domain.DenialInForce {
			if err := setState(ctx, tx, d, domain.DenialInForce,
				", approved_by = $4, in_force_at = $5", me.id, tx.now); err != nil {
				return err
			}
			if err := applyDenial(ctx, tx, d.ID, d.SubjectKind, d.SubjectID); err != nil {
				return err
			}
			if err := tellDenial(ctx, tx, d.ID); err != nil {
				return err
			}
			return auditDenial(ctx, tx, domain.AuditDenialApprove, d.ID, d.SubjectKind, d.SubjectID, d.Ground, "")
		}
		if err := setState(ctx, tx, d, domain.DenialLifted,
			", lift_approved_by = $4, lifted_at = $5", me.id, tx.now); err != nil {
			return err
		}
		if err := liftTakesEffect(ctx, tx, d.ID, d.LiftNewPassword); err != nil {
			return err
		}
		return auditDenialNoting(ctx, tx, domain.AuditDenialLiftApprove, d.ID, d.SubjectKind, d.SubjectID, d.Ground, d.LiftReason, d.LiftNewPassword)
	})
}

// Refuse refuses what denial id (at version) waits for, with a reason: a
// pending denial is cancelled without ever having effect; a pending lift
// is dropped and the denial stays in force. The one who asked may
// withdraw it this way too. It returns EINVALID "denial.reason_required"
// or "denial.too_long", ECONFLICT "denial.not_pending" or
// "denial.changed", ENOTFOUND "denial.not_found", and the officer's errors
// of Deny.
func (s *DenialService) Refuse(ctx context.Context, id, version int64, reason string) error {
	reason, err := domain.CheckDenialReason(reason)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "refuse denial", func(tx *Tx) error {
		me, d, err := s.lockForStep(ctx, tx, domain.DenialRefuse, id, version)
		if err != nil {
			return err
		}
		if d.After(domain.DenialRefuse) == domain.DenialCancelled {
			err = setState(ctx, tx, d, domain.DenialCancelled,
				", refused_by = $4, refuse_reason = $5", me.id, reason)
		} else {
			err = setState(ctx, tx, d, domain.DenialInForce,
				", refused_by = $4, refuse_reason = $5, lift_reason = '', lift_requested_by = NULL, lift_password_change = false", me.id, reason)
		}
		if err != nil {
			return err
		}
		return auditDenial(ctx, tx, domain.AuditDenialRefuse, d.ID, d.SubjectKind, d.SubjectID, d.Ground, reason)
	})
}
