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

// deathCheck (¶32.8) checks the persons who are due (every natural
// person: Platform users by personal code and IMK clients alike) against
// the Population Register mirror, in transactions of BatchSize persons
// claimed with FOR UPDATE SKIP LOCKED. A person is looked up by every code
// they are known by (person_codes); the newest register row counts. A
// check counts only when the register answered for the person with data
// no older than MaxDataAge:
//
//   - checked: alive; last_death_check_at = now and the next due time in
//     their phase of the 183-day cycle (death_check_next_due);
//   - deceased: denied on ground ¶32.8 (raised by the system) when they
//     have a Platform account, their active IMK applications closed, and
//     they leave the check; a death the register recorded does not expire,
//     so an older row still counts;
//   - not_found (no row for any of their codes) and stale (only data older
//     than MaxDataAge): recorded with the attempt's time and NOT a
//     completed check: the due time stays, so the next run tries again.
//
// Every attempt records the register data it used: the row's fetched_at
// and the import that brought or confirmed it.
func (s *Sweeper) deathCheck(ctx context.Context, r *sweepRun, now time.Time) error {
	batch := s.BatchSize
	if batch <= 0 {
		batch = sweepDefaultBatch
	}
	maxAge := s.MaxDataAge
	if maxAge <= 0 {
		maxAge = domain.DefaultDeathCheckMaxDataAge
	}
	for {
		var n, tried int
		err := s.inTxAt(ctx, "sweep death check", now, func(tx *Tx) error {
			// Taken first, before any person's row, so that a batch and
			// an officer's denial never wait for each other in turn.
			if err := lockDenials(ctx, tx); err != nil {
				return err
			}
			// Those tried in this run already (not found, stale) are left
			// for the next run.
			rows, err := tx.Query(ctx, `
				WITH due AS (
				    SELECT id FROM persons
				     WHERE deceased_on IS NULL AND death_check_due_at <= $1
				       AND (death_check_tried_at IS NULL OR death_check_tried_at < $1)
				     ORDER BY death_check_due_at, id
				     LIMIT $2
				     FOR UPDATE SKIP LOCKED)
				SELECT due.id, r.personal_code IS NOT NULL, r.deceased_on, r.fetched_at, r.import_id
				  FROM due
				  LEFT JOIN LATERAL (
				       SELECT p.personal_code, p.deceased_on, p.fetched_at, p.import_id
				         FROM person_codes c JOIN population_register p ON p.personal_code = c.code
				        WHERE c.person_id = due.id
				        ORDER BY p.deceased_on IS NULL, p.fetched_at DESC
				        LIMIT 1) r ON true`, now, batch)
			if err != nil {
				return dbError("claim persons due", err)
			}
			var ids []int64
			var outcomes []string
			var dataAt []*time.Time
			var imports []*int64
			var deadOn []*time.Time
			var dead []int64
			var found bool
			var died, fetched *time.Time
			var imp *int64
			var id int64
			incomplete := 0 // not found or stale: no completed check
			if _, err := pgx.ForEachRow(rows, []any{&id, &found, &died, &fetched, &imp}, func() error {
				o := domain.DeathChecked
				switch {
				case !found:
					o = domain.DeathNotFound
					incomplete++
				case died != nil:
					o = domain.DeathDeceased
					dead = append(dead, id)
				case fetched.Before(now.Add(-maxAge)):
					o = domain.DeathStale
					incomplete++
				}
				ids, outcomes = append(ids, id), append(outcomes, string(o))
				dataAt, imports, deadOn = append(dataAt, clonePtr(fetched)), append(imports, clonePtr(imp)), append(deadOn, clonePtr(died))
				return nil
			}); err != nil {
				return dbError("claim persons due", err)
			}
			tried = len(ids)
			if tried == 0 {
				return nil
			}
			n = tried - incomplete
			if _, err := tx.Exec(ctx, `
				UPDATE persons p
				   SET death_check_outcome = v.outcome, death_check_tried_at = $1,
				       death_check_data_at = v.data_at, death_check_import_id = v.import_id,
				       last_death_check_at = CASE WHEN v.outcome IN ('checked', 'deceased') THEN $1 ELSE p.last_death_check_at END,
				       death_check_due_at = CASE WHEN v.outcome = 'checked' THEN death_check_next_due(p.id, $1) ELSE p.death_check_due_at END,
				       deceased_on = CASE WHEN v.outcome = 'deceased' THEN v.deceased_on ELSE p.deceased_on END,
				       updated_at = CASE WHEN v.outcome = 'deceased' THEN $1 ELSE p.updated_at END
				  FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::bigint[], $6::date[])
				       AS v (id, outcome, data_at, import_id, deceased_on)
				 WHERE p.id = v.id`, now, ids, outcomes, dataAt, imports, deadOn); err != nil {
				return dbError("record death checks", err)
			}
			changed, err := denyDeceased(ctx, tx, dead)
			if err != nil {
				return err
			}
			if err := closeDeceasedIMK(ctx, tx, dead, now); err != nil {
				return err
			}
			r.Changed += int64(changed)
			return appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditSweepDeathCheck, SubjectKind: "sweep_run", SubjectID: strconv.FormatInt(r.ID, 10),
				Details: "checked " + strconv.Itoa(n) + ", deceased " + strconv.Itoa(len(dead)) +
					", not completed (not found or stale) " + strconv.Itoa(tried-n),
			})
		})
		if err != nil {
			return err
		}
		r.Checked += int64(n)
		if tried < batch {
			return nil
		}
		if err := s.renew(ctx, r); err != nil {
			return err
		}
	}
}

// denyDeceased raises the ¶32.8 denial (by the system) on the Platform
// account of each deceased person who has one and no live ¶32.8 denial
// yet, and returns how many persons it changed: those denied, and the
// deceased without an account (whose IMK the caller closes).
func denyDeceased(ctx context.Context, tx *Tx, dead []int64) (int, error) {
	if len(dead) == 0 {
		return 0, nil
	}
	// One query for the batch: each person's account, if any, and
	// whether a live ¶32.8 denial already reaches it.
	rows, err := tx.Query(ctx, `
		SELECT u.id, p.deceased_on,
		       u.id IS NOT NULL AND EXISTS (
		           SELECT FROM denials WHERE subject_kind = 'platform_user' AND subject_id = u.id
		              AND ground = '32.8' AND state = ANY ($2::text[]))
		  FROM unnest($1::bigint[]) AS d (id)
		  JOIN persons p ON p.id = d.id
		  LEFT JOIN platform_users u ON u.person_id = d.id
		 ORDER BY d.id`, dead, liveDenialStates)
	if err != nil {
		return 0, dbError("find deceased persons' accounts", err)
	}
	type deceased struct {
		user *int64
		on   time.Time
		live bool
	}
	var all []deceased
	var d deceased
	if _, err := pgx.ForEachRow(rows, []any{&d.user, &d.on, &d.live}, func() error {
		all = append(all, deceased{clonePtr(d.user), d.on, d.live})
		return nil
	}); err != nil {
		return 0, dbError("find deceased persons' accounts", err)
	}
	changed := 0
	for _, d := range all {
		if d.user == nil {
			changed++
			continue
		}
		if d.live {
			continue
		}
		note := "Fizisko personu reģistrs: miris " + d.on.Format("02.01.2006")
		if _, err := raiseDenial(ctx, tx, 0, domain.SubjectPlatformUser, *d.user, domain.GroundDeath, note, "", ""); err != nil {
			return 0, err
		}
		changed++
	}
	return changed, nil
}

// imkDeathReason is the reason an IMK closed by the death check records.
const imkDeathReason = "¶32.8: Fizisko personu reģistrs — persona mirusi"

// closeDeceasedIMK closes the active IMK applications (imkActiveStates) of
// the deceased persons, in the death check's transaction: the
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
		 WHERE a.person_id = ANY ($1::bigint[]) AND a.state = ANY ($4::text[])
		RETURNING a.id, a.person_id`, dead, now, imkDeathReason, imkActiveStates)
	if err != nil {
		return dbError("close deceased persons' IMK", err)
	}
	type closed struct{ id, person int64 }
	var all []closed
	var c closed
	if _, err := pgx.ForEachRow(rows, []any{&c.id, &c.person}, func() error {
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
			Reason: imkDeathReason, Details: "person " + strconv.FormatInt(c.person, 10) + " deceased (¶32.8)",
		}); err != nil {
			return err
		}
	}
	return nil
}

// DeathCheckReport returns the ¶32.8 compliance view as at now: living
// persons (Platform users by personal code and IMK clients), the completed
// checks of each of the last 12 months (from the death-check runs), those
// overdue (last checked, or never checked and recorded, more than
// DeathCheckInterval ago), those whose last attempt found no register
// record or only stale data, the Platform users without a personal code
// (¶27.2, who cannot be checked), the oldest check, and up to 20 of each
// list. Names are shown without personal codes. It returns EUNAVAILABLE
// when the database does not answer.
func (s *DenialService) DeathCheckReport(ctx context.Context, now time.Time) (*domain.DeathCheckReport, error) {
	now = now.UTC()
	rep := &domain.DeathCheckReport{}
	err := s.db.readTx(ctx, "death check report", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, denialGuard, domain.RoleSecurity); err != nil {
			return err
		}
		overdueBefore := now.Add(-domain.DeathCheckInterval)
		if err := countDeathChecks(ctx, tx, now, rep); err != nil {
			return err
		}
		months, first := domain.DeathCheckMonths(now)
		counts := map[string]int64{}
		rows, err := tx.Query(ctx, `
			SELECT started_at, checked
			  FROM sweep_runs WHERE sweep = $3 AND started_at >= $1 AND started_at <= $2`, first, now, domain.SweepDeathCheck)
		if err != nil {
			return dbError("count checks by month", err)
		}
		var at time.Time
		var c int64
		if _, err := pgx.ForEachRow(rows, []any{&at, &c}, func() error {
			counts[domain.MonthOf(at)] += c
			return nil
		}); err != nil {
			return dbError("count checks by month", err)
		}
		for i := range months {
			months[i].Count = counts[months[i].Month]
		}
		rep.CheckedByMon = months
		const person = `p.id, coalesce(u.id, 0), coalesce(nullif(trim(p.first_name || ' ' || p.last_name), ''), u.email, '#' || p.id)`
		const from = ` FROM persons p LEFT JOIN platform_users u ON u.person_id = p.id WHERE p.deceased_on IS NULL`
		lists := []struct {
			into *[]domain.DueCheck
			sql  string
			args []any
		}{
			{&rep.DueNext, `SELECT ` + person + `, CASE WHEN isfinite(p.death_check_due_at) THEN p.death_check_due_at ELSE p.created_at END` +
				from + ` ORDER BY p.death_check_due_at, p.id LIMIT $1`, nil},
			{&rep.OverdueList, `SELECT ` + person + `, coalesce(p.last_death_check_at, p.created_at)` +
				from + ` AND coalesce(p.last_death_check_at, p.created_at) < $2 ORDER BY coalesce(p.last_death_check_at, p.created_at), p.id LIMIT $1`,
				[]any{overdueBefore}},
			{&rep.NotFoundList, `SELECT ` + person + `, p.death_check_tried_at` +
				from + ` AND p.death_check_outcome = 'not_found' ORDER BY p.id LIMIT $1`, nil},
			{&rep.StaleList, `SELECT ` + person + `, p.death_check_tried_at` +
				from + ` AND p.death_check_outcome = 'stale' ORDER BY p.id LIMIT $1`, nil},
			{&rep.NoCodeList, `SELECT 0::bigint, u.id, coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email), u.created_at
				 FROM platform_users u WHERE u.person_id IS NULL AND u.ended_at IS NULL ORDER BY u.id LIMIT $1`, nil},
		}
		for _, l := range lists {
			rows, err := tx.Query(ctx, l.sql, append([]any{deathCheckDueNext}, l.args...)...)
			if err != nil {
				return dbError("list persons", err)
			}
			var d domain.DueCheck
			if _, err := pgx.ForEachRow(rows, []any{&d.PersonID, &d.UserID, &d.Name, &d.DueAt}, func() error {
				d.Name = domain.MaskPersonalCodesIn(d.Name)
				*l.into = append(*l.into, d)
				return nil
			}); err != nil {
				return dbError("list persons", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// countDeathChecks fills rep's counts as at now (Persons, Overdue,
// NotFound, Stale, NoCode, OldestCheckAt): the report's head, and what the
// metrics export (storage/metrics.go).
func countDeathChecks(ctx context.Context, tx *Tx, now time.Time, rep *domain.DeathCheckReport) error {
	var oldest *time.Time
	if err := tx.QueryRow(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE coalesce(last_death_check_at, created_at) < $1),
		       count(*) FILTER (WHERE death_check_outcome = 'not_found'),
		       count(*) FILTER (WHERE death_check_outcome = 'stale'),
		       min(last_death_check_at),
		       (SELECT count(*) FROM platform_users WHERE person_id IS NULL AND ended_at IS NULL)
		  FROM persons WHERE deceased_on IS NULL`,
		now.Add(-domain.DeathCheckInterval)).Scan(&rep.Persons, &rep.Overdue, &rep.NotFound, &rep.Stale, &oldest, &rep.NoCode); err != nil {
		return dbError("count persons", err)
	}
	if oldest != nil {
		rep.OldestCheckAt = *oldest
	}
	return nil
}

// clonePtr copies what p points to, so that a scan target reused for the
// next row does not change it.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
