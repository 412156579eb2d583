package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// Staff changes of a Platform account's e-mail address (issue 13):
// migrations/0085_email_change_requests.sql. RequestEmailChange files a
// request that changes nothing; ApproveEmailChange, by a helpdesk operator
// or administrator other than the requester, applies it, records it in the
// account's history and sends the notices. Requests are announced on the
// change feed as topic "email_change".

// emailChangeTopic is the change-feed topic of e-mail change requests.
const emailChangeTopic = domain.TopicEmailChange

const emailChangeSelect = `
	SELECT r.id, r.user_id,
	       coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), r.old_email),
	       r.old_email, r.new_email, r.reason, r.requested_by, coalesce(nullif(o.full_name, ''), o.name),
	       r.requested_at, r.expires_at, r.state, coalesce(r.decided_by, 0), r.decided_at, r.note
	  FROM email_change_requests r
	  JOIN platform_users u ON u.id = r.user_id
	  JOIN operators o ON o.id = r.requested_by`

func scanEmailChange(row pgx.Row) (*domain.EmailChange, error) {
	c := &domain.EmailChange{}
	var decided *time.Time
	err := row.Scan(&c.ID, &c.UserID, &c.AccountName, &c.OldEmail, &c.NewEmail, &c.Reason, &c.RequestedBy,
		&c.RequestedName, &c.RequestedAt, &c.ExpiresAt, &c.State, &c.DecidedBy, &decided, &c.Note)
	if decided != nil {
		c.DecidedAt = *decided
	}
	return c, err
}

// RequestEmailChange files a request to change a Platform user's e-mail
// address, with a reason (helpdesk, security or admin role), and returns
// it. Nothing is changed or sent until a second person approves it. It
// returns the errors of domain.NewEmailChange (EINVALID
// "defence.reason_required", "defence.email_same" or the address's error;
// ECONFLICT "defence.email_change_pending": another request for the
// account waits); ENOTFOUND "defence.no_such_user"; ECONFLICT
// "defence.email_taken"; and the errors of loadActor.
func (s *DefenceService) RequestEmailChange(ctx context.Context, userID int64, email, reason string) (*domain.EmailChange, error) {
	if _, _, err := domain.CheckEmailChangeRequest(email, reason); err != nil {
		return nil, err
	}
	var id int64
	err := s.db.inTx(ctx, "request e-mail change", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleSecurity, domain.RoleAdmin)
		if err != nil {
			return err
		}
		// Requests for one account take turns on its row.
		old, err := lockPlatformUserEmail(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := expireEmailChanges(ctx, tx, userID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, emailChangeSelect+` WHERE r.user_id = $1 AND r.state = 'pending'`, userID)
		if err != nil {
			return dbError("read e-mail change requests", err)
		}
		waiting, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.EmailChange, error) { return scanEmailChange(row) })
		if err != nil {
			return dbError("read e-mail change requests", err)
		}
		c, err := domain.NewEmailChange(userID, old, email, reason, me.ref(), tx.now, waiting)
		if err != nil {
			return err
		}
		if err := accountEmailTaken(ctx, tx, userID, c.NewEmail); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO email_change_requests (user_id, old_email, new_email, reason, requested_by, requested_session,
			                                   requested_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			userID, old, c.NewEmail, c.Reason, me.id, me.session, tx.now, c.ExpiresAt).Scan(&id); err != nil {
			return dbError("request e-mail change", err)
		}
		if err := Notify(ctx, tx, emailChangeTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditEmailChangeRequest, SubjectKind: "platform_user", SubjectID: idText(userID),
			Reason: c.Reason, Details: "request=" + idText(id),
		})
	})
	if err != nil {
		return nil, err
	}
	return s.findEmailChange(ctx, id)
}

func (s *DefenceService) findEmailChange(ctx context.Context, id int64) (*domain.EmailChange, error) {
	c, err := scanEmailChange(s.db.pool.QueryRow(ctx, emailChangeSelect+` WHERE r.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, emailChangeNotFound(id)
	}
	return c, dbError("read e-mail change request", err)
}

func emailChangeNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "defence.email_change_not_found", "no e-mail change request %d", id)
}

// lockPlatformUserEmail locks a Platform user's row and returns their
// address; ENOTFOUND "defence.no_such_user".
func lockPlatformUserEmail(ctx context.Context, tx *Tx, userID int64) (string, error) {
	var email string
	err := tx.QueryRow(ctx, `SELECT email FROM platform_users WHERE id = $1 FOR UPDATE`, userID).Scan(&email)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", domain.Errorf(domain.ENOTFOUND, "defence.no_such_user", "no Platform user %d", userID)
	}
	return email, dbError("read Platform user", err)
}

// accountEmailTaken returns ECONFLICT "defence.email_taken" when another account
// has email.
func accountEmailTaken(ctx context.Context, tx *Tx, userID int64, email string) error {
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM platform_users WHERE lower(email) = lower($1) AND id <> $2)`,
		email, userID).Scan(&taken); err != nil {
		return dbError("check e-mail address", err)
	}
	if taken {
		return domain.EmailTaken()
	}
	return nil
}

// expireEmailChanges marks the account's requests that waited too long
// as expired.
func expireEmailChanges(ctx context.Context, tx *Tx, userID int64) error {
	_, err := tx.Exec(ctx, `
		UPDATE email_change_requests SET state = 'expired', decided_at = $2
		 WHERE user_id = $1 AND state = 'pending' AND expires_at <= $2`, userID, tx.now)
	return dbError("expire e-mail change requests", err)
}

// PendingEmailChanges lists the requests waiting for a second person and
// not expired, oldest first (helpdesk or admin role).
func (s *DefenceService) PendingEmailChanges(ctx context.Context) ([]*domain.EmailChange, error) {
	var out []*domain.EmailChange
	err := s.db.readTx(ctx, "list e-mail change requests", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleAdmin); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, emailChangeSelect+`
			 WHERE r.state = 'pending' AND r.expires_at > $1
			 ORDER BY r.requested_at, r.id`, tx.now)
		if err != nil {
			return dbError("list e-mail change requests", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.EmailChange, error) { return scanEmailChange(row) })
		return dbError("list e-mail change requests", err)
	})
	return out, err
}

// lockEmailChange reads request id for update; ENOTFOUND
// "defence.email_change_not_found".
func lockEmailChange(ctx context.Context, tx *Tx, id int64) (*domain.EmailChange, error) {
	c, err := scanEmailChange(tx.QueryRow(ctx, emailChangeSelect+` WHERE r.id = $1 FOR UPDATE OF r`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, emailChangeNotFound(id)
	}
	if err != nil {
		return nil, dbError("read e-mail change request", err)
	}
	return c, nil
}

// ApproveEmailChange applies request id: the account's address changes,
// the change enters its history (asked for by the requester, approved by
// the acting operator), and notices go to the previous and the new
// address. Helpdesk or admin role. It returns the errors of
// domain.EmailChange.ApprovalBlocker (a request found expired is marked
// so), ECONFLICT "defence.email_change_stale" when the account's address
// is no longer the one the request saw, ECONFLICT "defence.email_taken",
// ENOTFOUND "defence.email_change_not_found", and the errors of
// loadActor. Of concurrent approvals one applies; the others get
// "defence.email_change_decided".
func (s *DefenceService) ApproveEmailChange(ctx context.Context, id int64) error {
	var expired error
	err := s.db.inTx(ctx, "approve e-mail change", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleAdmin)
		if err != nil {
			return err
		}
		c, err := lockEmailChange(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := c.ApprovalBlocker(me.id, tx.now); err != nil {
			if domain.AsError(err).Key != "defence.email_change_expired" {
				return err
			}
			// Recorded, not rolled back: the request is over.
			expired = err
			return expireEmailChanges(ctx, tx, c.UserID)
		}
		current, err := lockPlatformUserEmail(ctx, tx, c.UserID)
		if err != nil {
			return err
		}
		if err := c.CheckCurrent(current); err != nil {
			return err
		}
		if err := accountEmailTaken(ctx, tx, c.UserID, c.NewEmail); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE email_change_requests SET state = 'approved', decided_by = $2, decided_at = $3
			 WHERE id = $1 AND state = 'pending' AND requested_by <> $2`, id, me.id, tx.now)
		if err != nil {
			return dbError("approve e-mail change", err)
		}
		if tag.RowsAffected() != 1 {
			return domain.Errorf(domain.ECONFLICT, "defence.email_change_decided", "the e-mail change was already decided")
		}
		if _, err := tx.Exec(ctx, `UPDATE platform_users SET email = $2, updated_at = $3 WHERE id = $1`,
			c.UserID, c.NewEmail, tx.now); err != nil {
			return dbError("change e-mail address", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO account_changes (user_id, field, old_value, new_value, reason, actor_id, actor_name,
			                             approved_by, approved_by_name, at)
			VALUES ($1, 'email', $2, $3, $4, $5, $6, $7, $8, $9)`,
			c.UserID, c.OldEmail, c.NewEmail, c.Reason, c.RequestedBy, c.RequestedName, me.id, me.name, tx.now); err != nil {
			return dbError("record account change", err)
		}
		data := map[string]string{"old_address": c.OldEmail, "new_address": c.NewEmail, "at": noticeTime(tx.now)}
		for _, to := range []string{c.OldEmail, c.NewEmail} {
			if domain.ValidateEmail(to) != nil {
				continue
			}
			if _, err := enqueueMail(ctx, tx, to, "lv", "account.email_changed", data); err != nil {
				return err
			}
		}
		if err := Notify(ctx, tx, emailChangeTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditEmailChange, SubjectKind: "platform_user", SubjectID: idText(c.UserID),
			Reason: c.Reason, Details: "request=" + idText(id) + "; requested_by=" + idText(c.RequestedBy) +
				"; old=" + c.OldEmail + "; new=" + c.NewEmail,
		})
	})
	if err == nil && expired != nil {
		return expired
	}
	return err
}

// RefuseEmailChange refuses request id with a note (helpdesk or admin
// role, the requester included: they may withdraw it); nothing is sent.
// It returns EINVALID "defence.note_required", ENOTFOUND
// "defence.email_change_not_found", ECONFLICT
// "defence.email_change_decided", and the errors of loadActor.
func (s *DefenceService) RefuseEmailChange(ctx context.Context, id int64, note string) error {
	note, err := domain.CheckDefenceNote(note)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "refuse e-mail change", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleAdmin)
		if err != nil {
			return err
		}
		c, err := lockEmailChange(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := c.RefusalBlocker(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE email_change_requests SET state = 'refused', decided_by = $2, decided_at = $3, note = $4 WHERE id = $1`,
			id, me.id, tx.now, note); err != nil {
			return dbError("refuse e-mail change", err)
		}
		if err := Notify(ctx, tx, emailChangeTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditEmailChangeRefuse, SubjectKind: "platform_user", SubjectID: idText(c.UserID),
			Reason: note, Details: "request=" + strconv.FormatInt(id, 10),
		})
	})
}

// AccountEmailChanges lists Platform user userID's e-mail change requests
// in every state, newest first, at most 200 (helpdesk, security or admin
// role); requests that waited too long read as expired. It returns the
// errors of loadActor.
func (s *DefenceService) AccountEmailChanges(ctx context.Context, userID int64) ([]*domain.EmailChange, error) {
	var out []*domain.EmailChange
	err := s.db.readTx(ctx, "list an account's e-mail changes", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleSecurity, domain.RoleAdmin); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, emailChangeSelect+`
			 WHERE r.user_id = $1 ORDER BY r.requested_at DESC, r.id DESC LIMIT 200`, userID)
		if err != nil {
			return dbError("list an account's e-mail changes", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.EmailChange, error) { return scanEmailChange(row) })
		for _, c := range out {
			if c.State == domain.EmailChangePending && !tx.now.Before(c.ExpiresAt) {
				c.State = domain.EmailChangeExpired
			}
		}
		return dbError("list an account's e-mail changes", err)
	})
	return out, err
}
