package storage

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// deathCheckDueNext is how many persons DeathCheckReport lists as due next.
const deathCheckDueNext = 20

// deathCheck (¶32.8) checks the natural persons who are due against the
// Population Register mirror, in transactions of BatchSize persons claimed
// with FOR UPDATE SKIP LOCKED. A deceased person is denied on ground
// ¶32.8 (raised by the system) and leaves the check; everyone checked gets
// last_death_check_at = now and the next due time in their phase of the
// 183-day cycle (death_check_next_due), so that the load stays even.
func (s *Sweeper) deathCheck(ctx context.Context, r *sweepRun, now time.Time) error {
	batch := s.BatchSize
	if batch <= 0 {
		batch = sweepDefaultBatch
	}
	for {
		var n int
		err := s.inTxAt(ctx, "sweep death check", now, func(tx *Tx) error {
			// Taken first, before any person's row, so that a batch and
			// an officer's denial never wait for each other in turn.
			if err := lockDenials(ctx, tx); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `
				WITH due AS (
				    SELECT id, personal_code FROM platform_users
				     WHERE kind = 'viss' AND deceased_on IS NULL AND death_check_due_at <= $1
				     ORDER BY death_check_due_at, id
				     LIMIT $2
				     FOR UPDATE SKIP LOCKED)
				SELECT due.id, p.deceased_on
				  FROM due LEFT JOIN population_register p ON p.personal_code = due.personal_code`, now, batch)
			if err != nil {
				return dbError("claim persons due", err)
			}
			var alive, dead []int64
			var deadOn []time.Time
			for rows.Next() {
				var id int64
				var deceased *time.Time
				if err := rows.Scan(&id, &deceased); err != nil {
					rows.Close()
					return dbError("claim persons due", err)
				}
				if deceased != nil {
					dead, deadOn = append(dead, id), append(deadOn, *deceased)
				} else {
					alive = append(alive, id)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return dbError("claim persons due", err)
			}
			n = len(alive) + len(dead)
			if n == 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, `
				UPDATE platform_users SET last_death_check_at = $1, death_check_due_at = death_check_next_due(id, $1)
				 WHERE id = ANY ($2::bigint[])`, now, alive); err != nil {
				return dbError("record death checks", err)
			}
			if len(dead) > 0 {
				if _, err := tx.Exec(ctx, `
					UPDATE platform_users u SET last_death_check_at = $1, deceased_on = v.deceased_on, updated_at = $1
					  FROM unnest($2::bigint[], $3::date[]) AS v (id, deceased_on)
					 WHERE u.id = v.id`, now, dead, deadOn); err != nil {
					return dbError("record deaths", err)
				}
			}
			denied := 0
			for i, id := range dead {
				var live bool
				if err := tx.QueryRow(ctx, `
					SELECT EXISTS (SELECT 1 FROM denials WHERE subject_kind = 'platform_user' AND subject_id = $1
					                  AND ground = '32.8' AND state = ANY ($2::text[]))`, id, liveDenialStates).Scan(&live); err != nil {
					return dbError("check denials", err)
				}
				if live {
					continue
				}
				note := "Fizisko personu reģistrs: miris " + deadOn[i].Format("02.01.2006")
				if _, err := raiseDenial(ctx, tx, 0, domain.SubjectPlatformUser, id, domain.GroundDeath, note, "", ""); err != nil {
					return err
				}
				denied++
			}
			if err := closeDeceasedIMK(ctx, tx, dead, now); err != nil {
				return err
			}
			r.Changed += int64(denied)
			return appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditSweepDeathCheck, SubjectKind: "sweep_run", SubjectID: strconv.FormatInt(r.ID, 10),
				Details: "checked " + strconv.Itoa(n) + ", deceased " + strconv.Itoa(len(dead)),
			})
		})
		if err != nil {
			return err
		}
		r.Checked += int64(n)
		if n < batch {
			return nil
		}
		if err := s.renew(ctx, r); err != nil {
			return err
		}
	}
}

// imkDeathReason is the reason an IMK closed by the death check records.
const imkDeathReason = "¶32.8: Fizisko personu reģistrs — persona mirusi"

// closeDeceasedIMK closes the active IMK applications (imkActiveStates) of
// the deceased platform users, in the death check's transaction: the
// state becomes closed with imkDeathReason, any claim ends, and each is
// audited and announced on the "imk" topic. Closed applications are not
// active, so a second run finds nothing to close.
func closeDeceasedIMK(ctx context.Context, tx *Tx, dead []int64, now time.Time) error {
	if len(dead) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `
		UPDATE imk_applications a
		   SET state = 'closed', reason = $3, version = a.version + 1, updated_at = $2,
		       claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL
		  FROM platform_users u
		 WHERE u.id = ANY ($1::bigint[]) AND u.personal_code <> ''
		   AND a.personal_code = u.personal_code AND a.state = ANY ($4::text[])
		RETURNING a.id, u.id`, dead, now, imkDeathReason, imkActiveStates)
	if err != nil {
		return dbError("close deceased persons' IMK", err)
	}
	type closed struct{ id, user int64 }
	var all []closed
	var c closed
	if _, err := pgx.ForEachRow(rows, []any{&c.id, &c.user}, func() error {
		all = append(all, c)
		return nil
	}); err != nil {
		return dbError("close deceased persons' IMK", err)
	}
	for _, c := range all {
		id := strconv.FormatInt(c.id, 10)
		if err := Notify(ctx, tx, imkTopic, id); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, &domain.AuditEntry{
			ActorName: "system", Action: domain.AuditIMKClosed, SubjectKind: "imk_application", SubjectID: id,
			Reason: imkDeathReason, Details: "platform user " + strconv.FormatInt(c.user, 10) + " deceased (¶32.8)",
		}); err != nil {
			return err
		}
	}
	return nil
}

// DeathCheckReport returns the ¶32.8 compliance view as at now: living
// natural persons, the checks of each of the last 12 months (from the
// death-check runs), those overdue (last checked, or never checked and
// registered, more than DeathCheckInterval ago), the oldest check, and the
// next persons due. It returns EUNAVAILABLE when the database does not
// answer.
func (s *DenialService) DeathCheckReport(ctx context.Context, now time.Time) (*domain.DeathCheckReport, error) {
	now = now.UTC()
	rep := &domain.DeathCheckReport{}
	err := s.db.readTx(ctx, "death check report", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, denialGuard, domain.RoleSecurity); err != nil {
			return err
		}
		var oldest *time.Time
		if err := tx.QueryRow(ctx, `
			SELECT count(*),
			       count(*) FILTER (WHERE coalesce(last_death_check_at, created_at) < $1),
			       min(last_death_check_at)
			  FROM platform_users WHERE kind = 'viss' AND deceased_on IS NULL`,
			now.Add(-domain.DeathCheckInterval)).Scan(&rep.Persons, &rep.Overdue, &oldest); err != nil {
			return dbError("count persons", err)
		}
		if oldest != nil {
			rep.OldestCheckAt = *oldest
		}
		months, first := domain.DeathCheckMonths(now)
		counts := map[string]int64{}
		rows, err := tx.Query(ctx, `
			SELECT started_at, checked
			  FROM sweep_runs WHERE sweep = $3 AND started_at >= $1 AND started_at <= $2`, first, now, domain.SweepDeathCheck)
		if err != nil {
			return dbError("count checks by month", err)
		}
		for rows.Next() {
			var at time.Time
			var c int64
			if err := rows.Scan(&at, &c); err != nil {
				rows.Close()
				return dbError("count checks by month", err)
			}
			counts[domain.MonthOf(at)] += c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError("count checks by month", err)
		}
		for i := range months {
			months[i].Count = counts[months[i].Month]
		}
		rep.CheckedByMon = months
		rows, err = tx.Query(ctx, `
			SELECT id, coalesce(nullif(trim(first_name || ' ' || last_name), ''), email),
			       CASE WHEN isfinite(death_check_due_at) THEN death_check_due_at ELSE created_at END
			  FROM platform_users
			 WHERE kind = 'viss' AND deceased_on IS NULL
			 ORDER BY death_check_due_at, id LIMIT $1`, deathCheckDueNext)
		if err != nil {
			return dbError("list persons due", err)
		}
		defer rows.Close()
		for rows.Next() {
			var d domain.DueCheck
			if err := rows.Scan(&d.UserID, &d.Name, &d.DueAt); err != nil {
				return dbError("list persons due", err)
			}
			d.Name = domain.MaskPersonalCodesIn(d.Name)
			rep.DueNext = append(rep.DueNext, d)
		}
		return dbError("list persons due", rows.Err())
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}
