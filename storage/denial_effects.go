package storage

import (
	"context"
	"strconv"
	"time"

	"github.com/viaa/ppp/domain"
)

// The effects of a denial, applied when it takes force and undone when it
// is lifted. Each change is recorded in denial_effects under the denial
// that made it; a target already changed (by another denial, or by hand)
// is left to whoever changed it. On lifting, a change still required by
// another denial in force passes to that denial instead of being undone.

// Which denials in force cover a user (u), an assignment (a of user u),
// an institution or an operator, other than $1, the one being lifted.
const (
	coversUser = `d.id <> $1 AND d.state IN ('in_force', 'lift_pending')
		AND ((d.subject_kind = 'platform_user' AND d.subject_id = u.id)
		  OR (d.subject_kind = 'institution' AND d.subject_id = u.institution_id))`
	coversAssignment = `d.id <> $1 AND d.state IN ('in_force', 'lift_pending')
		AND ((d.subject_kind = 'platform_user' AND d.subject_id = u.id)
		  OR (d.subject_kind = 'institution' AND d.subject_id IN (u.institution_id, a.institution_id)))`
)

// samePerson is the one place that says which platform user (alias u) a
// personal code (an SQL expression, e.g. "a.personal_code" of an IMK
// application or a role request) belongs to: a user of the person that
// code names, in either of its forms (person_codes, filled from the
// Population Register's links). The person a denial reaches and the IMK
// applications and role requests it holds are joined through it.
func samePerson(u, code string) string {
	return `(` + u + `.person_id = (SELECT pc.person_id FROM person_codes pc WHERE pc.code = nullif(` + code + `, '')))`
}

// coversIMK: which denials in force, other than $1, reach IMK application
// a: a denial of the person it belongs to. An institution's denial does not
// suspend the IMK of a person who works there: the account is their own.
var coversIMK = `d.id <> $1 AND d.state IN ('in_force', 'lift_pending') AND ` + personDenial("a.personal_code")

// applyDenial applies the effects of denial id on its subject, in tx.
func applyDenial(ctx context.Context, tx *Tx, id int64, kind domain.SubjectKind, subjectID int64) error {
	var users, assignments string // which users and assignments the denial reaches
	switch kind {
	case domain.SubjectPlatformUser:
		users = `id = $3`
		assignments = `user_id = $3`
		// ¶24, ¶32: the person's approved IMK is suspended while the denial
		// holds. An application not yet decided stays as it is: approving
		// it is refused while the denial is in force (DenialHold).
		if _, err := tx.Exec(ctx, `
			WITH s AS (UPDATE imk_applications a SET state = 'suspended', version = version + 1, updated_at = $2
			            WHERE a.state = 'approved'
			              AND EXISTS (SELECT FROM platform_users u WHERE u.id = $3 AND `+samePerson("u", "a.personal_code")+`)
			           RETURNING a.id)
			INSERT INTO denial_effects (effect, target_id, denial_id) SELECT 'imk', id, $1 FROM s`,
			id, tx.now, subjectID); err != nil {
			return dbError("suspend IMK", err)
		}
	case domain.SubjectInstitution:
		if _, err := tx.Exec(ctx, `
			WITH s AS (UPDATE institutions SET state = 'suspended', updated_at = $2
			            WHERE id = $3 AND state = 'active' RETURNING id)
			INSERT INTO denial_effects (effect, target_id, denial_id) SELECT 'institution', id, $1 FROM s`,
			id, tx.now, subjectID); err != nil {
			return dbError("suspend institution", err)
		}
		users = `institution_id = $3`
		assignments = `(institution_id = $3 OR user_id IN (SELECT id FROM platform_users WHERE institution_id = $3))`
	case domain.SubjectOperator:
		if _, err := tx.Exec(ctx, `
			WITH s AS (UPDATE operators SET disabled = true, disabled_reason = $4, updated_at = $2
			            WHERE id = $3 AND NOT disabled RETURNING id)
			INSERT INTO denial_effects (effect, target_id, denial_id) SELECT 'operator', id, $1 FROM s`,
			id, tx.now, subjectID, "access denied (denial "+strconv.FormatInt(id, 10)+")"); err != nil {
			return dbError("disable operator", err)
		}
		// The server ends the operator's sessions when this commits.
		return Notify(ctx, tx, domain.TopicOperator, strconv.FormatInt(subjectID, 10))
	}
	if _, err := tx.Exec(ctx, `
		WITH s AS (UPDATE platform_users SET sign_in_denied = true, updated_at = $2
		            WHERE `+users+` AND NOT sign_in_denied RETURNING id)
		INSERT INTO denial_effects (effect, target_id, denial_id) SELECT 'sign_in', id, $1 FROM s`,
		id, tx.now, subjectID); err != nil {
		return dbError("deny sign-in", err)
	}
	if _, err := tx.Exec(ctx, `
		WITH s AS (UPDATE role_assignments SET suspended_at = $2
		            WHERE `+assignments+` AND ended_at IS NULL AND suspended_at IS NULL RETURNING id)
		INSERT INTO denial_effects (effect, target_id, denial_id) SELECT 'assignment', id, $1 FROM s`,
		id, tx.now, subjectID); err != nil {
		return dbError("suspend role assignments", err)
	}
	return nil
}

// revertDenial undoes the effects of denial id, which has just left force,
// except those another denial in force still requires: those pass to it.
func revertDenial(ctx context.Context, tx *Tx, id int64) error {
	// A covered target's row passes to the oldest denial covering it;
	// the rest stay with id and are undone below.
	steps := []struct{ what, sql string }{
		{"hand over sign-in denials", `
			UPDATE denial_effects e SET denial_id = coalesce((
			    SELECT min(d.id) FROM denials d, platform_users u
			     WHERE u.id = e.target_id AND ` + coversUser + `), e.denial_id)
			 WHERE e.denial_id = $1 AND e.effect = 'sign_in'`},
		{"hand over suspended assignments", `
			UPDATE denial_effects e SET denial_id = coalesce((
			    SELECT min(d.id) FROM denials d, role_assignments a JOIN platform_users u ON u.id = a.user_id
			     WHERE a.id = e.target_id AND ` + coversAssignment + `), e.denial_id)
			 WHERE e.denial_id = $1 AND e.effect = 'assignment'`},
		{"hand over IMK suspensions", `
			UPDATE denial_effects e SET denial_id = coalesce((
			    SELECT min(d.id) FROM denials d, imk_applications a
			     WHERE a.id = e.target_id AND ` + coversIMK + `), e.denial_id)
			 WHERE e.denial_id = $1 AND e.effect = 'imk'`},
		{"hand over institution suspensions", `
			UPDATE denial_effects e SET denial_id = coalesce((
			    SELECT min(d.id) FROM denials d
			     WHERE d.id <> $1 AND d.state IN ('in_force', 'lift_pending')
			       AND d.subject_kind = 'institution' AND d.subject_id = e.target_id), e.denial_id)
			 WHERE e.denial_id = $1 AND e.effect = 'institution'`},
		{"hand over operator denials", `
			UPDATE denial_effects e SET denial_id = coalesce((
			    SELECT min(d.id) FROM denials d
			     WHERE d.id <> $1 AND d.state IN ('in_force', 'lift_pending')
			       AND d.subject_kind = 'operator' AND d.subject_id = e.target_id), e.denial_id)
			 WHERE e.denial_id = $1 AND e.effect = 'operator'`},
	}
	for _, s := range steps {
		if _, err := tx.Exec(ctx, s.sql, id); err != nil {
			return dbError(s.what, err)
		}
	}
	if _, err := tx.Exec(ctx, `
		WITH gone AS (DELETE FROM denial_effects WHERE denial_id = $1 AND effect = 'sign_in' RETURNING target_id)
		UPDATE platform_users SET sign_in_denied = false, updated_at = $2
		 WHERE id IN (SELECT target_id FROM gone)`, id, tx.now); err != nil {
		return dbError("restore sign-in", err)
	}
	if _, err := tx.Exec(ctx, `
		WITH gone AS (DELETE FROM denial_effects WHERE denial_id = $1 AND effect = 'assignment' RETURNING target_id)
		UPDATE role_assignments SET suspended_at = NULL
		 WHERE id IN (SELECT target_id FROM gone)`, id); err != nil {
		return dbError("resume role assignments", err)
	}
	if _, err := tx.Exec(ctx, `
		WITH gone AS (DELETE FROM denial_effects WHERE denial_id = $1 AND effect = 'imk' RETURNING target_id)
		UPDATE imk_applications SET state = 'approved', version = version + 1, updated_at = $2
		 WHERE id IN (SELECT target_id FROM gone) AND state = 'suspended'`, id, tx.now); err != nil {
		return dbError("restore IMK", err)
	}
	if _, err := tx.Exec(ctx, `
		WITH gone AS (DELETE FROM denial_effects WHERE denial_id = $1 AND effect = 'institution' RETURNING target_id)
		UPDATE institutions SET state = 'active', updated_at = $2
		 WHERE id IN (SELECT target_id FROM gone) AND state = 'suspended'`, id, tx.now); err != nil {
		return dbError("reactivate institution", err)
	}
	rows, err := tx.Query(ctx, `
		WITH gone AS (DELETE FROM denial_effects WHERE denial_id = $1 AND effect = 'operator' RETURNING target_id)
		UPDATE operators SET disabled = false, disabled_reason = '', updated_at = $2
		 WHERE id IN (SELECT target_id FROM gone)
		RETURNING id`, id, tx.now)
	if err != nil {
		return dbError("enable operator", err)
	}
	var enabled []int64
	for rows.Next() {
		var op int64
		if err := rows.Scan(&op); err != nil {
			rows.Close()
			return dbError("enable operator", err)
		}
		enabled = append(enabled, op)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dbError("enable operator", err)
	}
	for _, op := range enabled {
		if err := Notify(ctx, tx, domain.TopicOperator, strconv.FormatInt(op, 10)); err != nil {
			return err
		}
	}
	return nil
}

// personDenial is the condition on a denial d that it is a denial of the
// person with the personal code code (an SQL expression).
func personDenial(code string) string {
	return `d.subject_kind = 'platform_user'
		AND d.subject_id IN (SELECT u.id FROM platform_users u WHERE ` + samePerson("u", code) + `)`
}

// holdJoin is a LEFT JOIN LATERAL, alias hold, of the oldest denial in
// force that meets cond: the denial that holds an approval (domain.
// DenialHold), read with holdColumns by scanHold.
func holdJoin(cond string) string {
	return `
	LEFT JOIN LATERAL (SELECT d.id, d.ground, d.in_force_at FROM denials d
	                    WHERE d.state IN ('in_force', 'lift_pending') AND (` + cond + `)
	                    ORDER BY d.id LIMIT 1) hold ON true`
}

// holdColumns are what scanHold reads of holdJoin.
const holdColumns = `coalesce(hold.id, 0), coalesce(hold.ground, ''), hold.in_force_at`

// holdScan is the destination of holdColumns; hold returns it as a
// domain.DenialHold, nil when no denial holds.
type holdScan struct {
	id     int64
	ground string
	since  *time.Time
}

func (h *holdScan) dest() []any { return []any{&h.id, &h.ground, &h.since} }

func (h *holdScan) hold() *domain.DenialHold {
	if h.id == 0 {
		return nil
	}
	return &domain.DenialHold{DenialID: h.id, Ground: domain.Ground(h.ground), Since: utcOrZero(h.since)}
}

// imkHoldJoin joins, to IMK application a, the denial in force over its
// person that holds its approval.
var imkHoldJoin = holdJoin(personDenial("a.personal_code"))

// roleRequestHoldJoin joins, to role request r, the denial in force that
// holds its approval: one of the person asking (by personal code, or the
// institution password user with the request's e-mail address), or of the
// institution the request is about.
var roleRequestHoldJoin = holdJoin(`(d.subject_kind = 'institution' AND d.subject_id = r.institution_id)
		OR (d.subject_kind = 'platform_user' AND d.subject_id IN (
		    SELECT u.id FROM platform_users u
		     WHERE ` + samePerson("u", "r.personal_code") + `
		        OR (u.kind = 'password' AND lower(u.email) = lower(r.email))))`)
