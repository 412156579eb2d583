package storage

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// roleExpiryWarnings are the warnings of a role's end, in days before it,
// nearest first: an assignment already within 7 days gets the 7-day
// warning only, never both at once.
var roleExpiryWarnings = []int{7, 30}

// agencyZone is where the dates in the mails are the Agency's dates.
var agencyZone = domain.AgencyZone

// mailDay is how the mails write the day of t: the Agency's day.
func mailDay(t time.Time) string { return t.In(agencyZone).Format("02.01.2006") }

// roleExpiry (¶32.1) ends the running assignments whose validity has run
// out, tells their holders that the role ended, and warns holders by
// e-mail 30 and 7 days before, each warning and notice once
// (role_expiry_warnings). One transaction: a run changes everything
// or nothing.
func (s *Sweeper) roleExpiry(ctx context.Context, r *sweepRun, now time.Time) error {
	return s.inTxAt(ctx, "sweep role expiry", now, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE role_assignments SET ended_at = $1, end_reason = $2
			 WHERE ended_at IS NULL AND valid_until < $1
			RETURNING id, user_id, role`, now, domain.AssignmentEndExpired)
		if err != nil {
			return dbError("end expired role assignments", err)
		}
		type ended struct {
			id, user int64
			role     string
		}
		var ends []ended
		for rows.Next() {
			var e ended
			if err := rows.Scan(&e.id, &e.user, &e.role); err != nil {
				rows.Close()
				return dbError("end expired role assignments", err)
			}
			ends = append(ends, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError("end expired role assignments", err)
		}
		r.Checked += int64(len(ends))
		r.Changed += int64(len(ends))
		ids := make([]int64, len(ends))
		for i, e := range ends {
			ids[i] = e.id
		}
		if err := tellRoleEnded(ctx, tx, ids); err != nil {
			return err
		}

		lower := now
		for _, days := range roleExpiryWarnings {
			upper := now.Add(time.Duration(days) * 24 * time.Hour)
			n, err := warnRoleExpiry(ctx, tx, days, lower, upper)
			if err != nil {
				return err
			}
			r.Checked += n
			r.Changed += n
			lower = upper
		}
		for _, e := range ends {
			if err := appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditRoleExpired, SubjectKind: "role_assignment", SubjectID: strconv.FormatInt(e.id, 10),
				Reason:  "¶32.1",
				Details: "user " + strconv.FormatInt(e.user, 10) + " " + e.role,
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// tellRoleEnded tells the holders of the assignments ids, which have just
// ended because their validity ran out, that the role ended (¶32.1): one
// mail per assignment, recorded in role_expiry_warnings with days 0 so
// that no run, on any instance, sends it twice. A holder the Population
// Register says died is not written to.
func tellRoleEnded(ctx context.Context, tx *Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := mailRoleNotices(ctx, tx, 0, "role.ended", `a.id = ANY ($3::bigint[])
		AND NOT EXISTS (SELECT FROM persons p WHERE p.id = u.person_id AND p.deceased_on IS NOT NULL)`, ids)
	return err
}

// tellRoleEndedEarly tells the holder of assignment id, which an operator
// has just ended before its validity ran out, that the role ended
// (¶32.1), recorded as tellRoleEnded records its notice: one per
// assignment. A holder the Population Register says died is not written
// to.
func tellRoleEndedEarly(ctx context.Context, tx *Tx, id int64) error {
	_, err := mailRoleNotices(ctx, tx, 0, "role.ended_early", `a.id = $3
		AND NOT EXISTS (SELECT FROM persons p WHERE p.id = u.person_id AND p.deceased_on IS NOT NULL)`, id)
	return err
}

// warnRoleExpiry records and mails the days-warning of every running,
// unsuspended assignment ending in (lower, upper] that has not had it.
func warnRoleExpiry(ctx context.Context, tx *Tx, days int, lower, upper time.Time) (int64, error) {
	return mailRoleNotices(ctx, tx, days, "role.expiry_warning", `a.ended_at IS NULL AND a.suspended_at IS NULL
		AND NOT u.sign_in_denied AND a.valid_until > $3 AND a.valid_until <= $4`, lower, upper)
}

// mailRoleNotices records in role_expiry_warnings, under days, the notice
// of every assignment a (of user u) that meets where ($1 is days, $2 the
// time, args from $3) and has not had it, and mails each its holder with
// template: the role, its end of validity and, for a warning (days > 0),
// the days left. It returns how many it mailed.
func mailRoleNotices(ctx context.Context, tx *Tx, days int, template, where string, args ...any) (int64, error) {
	rows, err := tx.Query(ctx, `
		WITH w AS (
		    INSERT INTO role_expiry_warnings (assignment_id, days, sent_at)
		    SELECT a.id, $1, $2
		      FROM role_assignments a JOIN platform_users u ON u.id = a.user_id
		     WHERE `+where+`
		    ON CONFLICT DO NOTHING
		    RETURNING assignment_id)
		SELECT a.id, u.email, a.role, a.valid_until
		  FROM w JOIN role_assignments a ON a.id = w.assignment_id JOIN platform_users u ON u.id = a.user_id
		 ORDER BY a.id`, append([]any{days, tx.now}, args...)...)
	if err != nil {
		return 0, dbError("record role notices", err)
	}
	type notice struct {
		id          int64
		email, role string
		until       time.Time
	}
	ns, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (n notice, err error) {
		return n, row.Scan(&n.id, &n.email, &n.role, &n.until)
	})
	if err != nil {
		return 0, dbError("record role notices", err)
	}
	for _, n := range ns {
		data := map[string]string{"role": n.role, "valid_until": mailDay(n.until)}
		if days > 0 {
			data["days"] = strconv.Itoa(days)
		} else {
			data["ended"] = mailDay(tx.now)
		}
		mailID, err := enqueueMail(ctx, tx, n.email, "lv", template, data)
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, `UPDATE role_expiry_warnings SET outbox_id = $3 WHERE assignment_id = $1 AND days = $2`,
			n.id, days, mailID); err != nil {
			return 0, dbError("record role notices", err)
		}
	}
	return int64(len(ns)), nil
}

// authDeactivated (¶32.2) denies every user whose sign-in method the
// portal deactivated and who has no ¶32.2 denial since: one live, or one
// raised after the deactivation (a lifted one means staff restored access
// on purpose).
func (s *Sweeper) authDeactivated(ctx context.Context, r *sweepRun, now time.Time) error {
	for {
		var n int
		err := s.inTxAt(ctx, "sweep deactivated sign-in methods", now, func(tx *Tx) error {
			if err := lockDenials(ctx, tx); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `
				SELECT u.id, u.auth_deactivated_at FROM platform_users u
				 WHERE u.auth_deactivated_at IS NOT NULL AND u.auth_deactivated_at <= $1
				   AND NOT EXISTS (SELECT 1 FROM denials d
				                    WHERE d.subject_kind = 'platform_user' AND d.subject_id = u.id AND d.ground = '32.2'
				                      AND (d.state = ANY ($2::text[]) OR d.raised_at >= u.auth_deactivated_at))
				 ORDER BY u.id LIMIT $3`, now, liveDenialStates, sweepAuthBatch)
			if err != nil {
				return dbError("find deactivated sign-in methods", err)
			}
			type user struct {
				id int64
				at time.Time
			}
			var users []user
			for rows.Next() {
				var u user
				if err := rows.Scan(&u.id, &u.at); err != nil {
					rows.Close()
					return dbError("find deactivated sign-in methods", err)
				}
				users = append(users, u)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return dbError("find deactivated sign-in methods", err)
			}
			for _, u := range users {
				note := "Autentifikācijas līdzeklis deaktivizēts " + u.at.In(agencyZone).Format("02.01.2006 15:04")
				if _, err := raiseDenial(ctx, tx, 0, domain.SubjectPlatformUser, u.id, domain.GroundAuthDeactivated, note, "", ""); err != nil {
					return err
				}
			}
			n = len(users)
			return nil
		})
		if err != nil {
			return err
		}
		r.Checked += int64(n)
		r.Changed += int64(n)
		if n < sweepAuthBatch {
			return nil
		}
		if err := s.renew(ctx, r); err != nil {
			return err
		}
	}
}
