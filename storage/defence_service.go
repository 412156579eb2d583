package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// PendingResets lists the privileged resets waiting for a second person,
// oldest first (helpdesk or security role).
func (s *DefenceService) PendingResets(ctx context.Context) ([]*domain.PendingReset, error) {
	var out []*domain.PendingReset
	err := s.db.readTx(ctx, "list pending resets", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleSecurity); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT p.id, coalesce(p.ticket_id, 0), p.account_kind, p.account_id,
			       coalesce(CASE p.account_kind
			           WHEN 'platform_user' THEN (SELECT coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email)
			                                        FROM platform_users u WHERE u.id = p.account_id)
			           WHEN 'operator' THEN (SELECT coalesce(nullif(o2.full_name, ''), o2.name) FROM operators o2 WHERE o2.id = p.account_id)
			       END, ''),
			       p.requested_by, coalesce(nullif(o.full_name, ''), o.name), p.requested_at, p.state, p.user_reason
			  FROM pending_resets p JOIN operators o ON o.id = p.requested_by
			 WHERE p.state = 'pending'
			 ORDER BY p.requested_at, p.id`)
		if err != nil {
			return dbError("list pending resets", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.PendingReset, error) {
			p := &domain.PendingReset{}
			return p, row.Scan(&p.ID, &p.TicketID, &p.AccountKind, &p.AccountID, &p.AccountName,
				&p.RequestedBy, &p.RequestedName, &p.RequestedAt, &p.State, &p.Reason)
		})
		return dbError("list pending resets", err)
	})
	return out, err
}

// pendingRow is a pending reset as ApproveReset and RefuseReset need it.
type pendingRow struct {
	ticketID, accountID, requestedBy int64 // ticketID 0: started from the account (StartAccountReset)
	kind, lang, state                string
}

// lockPending locks pending reset id; ENOTFOUND "defence.reset_not_found".
func lockPending(ctx context.Context, tx *Tx, id int64) (*pendingRow, error) {
	p := &pendingRow{}
	err := tx.QueryRow(ctx, `
		SELECT coalesce(ticket_id, 0), account_id, requested_by, account_kind, lang, state
		  FROM pending_resets WHERE id = $1 FOR UPDATE`, id).
		Scan(&p.ticketID, &p.accountID, &p.requestedBy, &p.kind, &p.lang, &p.state)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "defence.reset_not_found", "no pending reset %d", id)
	}
	if err != nil {
		return nil, dbError("read pending reset", err)
	}
	return p, nil
}

// reset is the row as domain's rules see it.
func (p *pendingRow) reset() *domain.PendingReset {
	return &domain.PendingReset{State: p.state, RequestedBy: p.requestedBy}
}

// ApproveReset sends the held reset, exactly as IssuePasswordReset would
// have: the link to a Platform user's confirmed address, a one-time code
// to an operator; with the notices. It returns EFORBIDDEN
// "defence.own_reset" for the operator who asked for it (whatever the
// session), EFORBIDDEN "defence.forbidden" without the helpdesk or
// security role, ECONFLICT "defence.reset_decided", ECONFLICT
// "defence.reset_stale" when the ticket's sender no longer is the
// account's confirmed address, and ENOTFOUND "defence.reset_not_found".
func (s *DefenceService) ApproveReset(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, "approve password reset", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleSecurity)
		if err != nil {
			return err
		}
		p, err := lockPending(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := p.reset().ApprovalBlocker(me.id); err != nil {
			return err
		}
		if p.ticketID == 0 {
			err = approveAccountReset(ctx, tx, p)
		} else {
			err = approveTicketReset(ctx, tx, me, p)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE pending_resets SET state = 'approved', decided_by = $2, decided_at = $3 WHERE id = $1`,
			id, me.id, tx.now); err != nil {
			return dbError("approve password reset", err)
		}
		if p.ticketID != 0 {
			if err := touchTicket(ctx, tx, p.ticketID, ", state = 'waiting'"); err != nil {
				return err
			}
		}
		if err := Notify(ctx, tx, domain.TopicPendingReset, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditResetApprove, SubjectKind: p.kind, SubjectID: strconv.FormatInt(p.accountID, 10),
			Details: "pending=" + strconv.FormatInt(id, 10) + "; ticket=" + strconv.FormatInt(p.ticketID, 10) +
				"; requested_by=" + strconv.FormatInt(p.requestedBy, 10),
		})
	})
}

// approveTicketReset sends a held reset a helpdesk ticket asked for: the
// link to the sender, still the account's confirmed address, or the
// operator's code.
func approveTicketReset(ctx context.Context, tx *Tx, me *actor, p *pendingRow) error {
	r, err := findTicket(ctx, tx, p.ticketID, true)
	if err != nil {
		return err
	}
	switch p.kind {
	case "platform_user":
		acc, err := matchAccount(ctx, tx, r.From)
		if err != nil {
			return err
		}
		if acc == nil || acc.Kind != p.kind || acc.ID != p.accountID || !acc.HasPassword {
			return domain.Errorf(domain.ECONFLICT, "defence.reset_stale", "the sender is no longer the account's confirmed address")
		}
		if err := sendResetNotices(ctx, tx, p.kind, p.accountID, r.From, p.lang); err != nil {
			return err
		}
		if err := issueResetToken(ctx, tx, r, me, acc, p.lang); err != nil {
			return err
		}
	case "operator":
		if err := issueOperatorCode(ctx, tx, p.accountID); err != nil {
			return err
		}
	}
	return nil
}

// issueOperatorCode voids the operator's open codes and mails a new one,
// with the reset notice before it, as IssueOperatorResetCode does.
func issueOperatorCode(ctx context.Context, tx *Tx, operatorID int64) error {
	var email, lang string
	var disabled bool
	err := tx.QueryRow(ctx, `SELECT email, language, disabled FROM operators WHERE id = $1 FOR UPDATE`, operatorID).
		Scan(&email, &lang, &disabled)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && (disabled || domain.ValidateEmail(email) != nil)) {
		return domain.Errorf(domain.ECONFLICT, "defence.reset_stale", "the operator cannot receive a code")
	}
	if err != nil {
		return dbError("read operator", err)
	}
	if err := sendResetNotices(ctx, tx, "operator", operatorID, email, lang); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		UPDATE operator_reset_codes SET voided_at = $2
		 WHERE operator_id = $1 AND used_at IS NULL AND voided_at IS NULL`, operatorID, tx.now); err != nil {
		return dbError("void operator reset codes", err)
	}
	code, hash := domain.NewOperatorResetCode()
	if _, err := tx.Exec(ctx, `
		INSERT INTO operator_reset_codes (operator_id, code_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4)`, operatorID, hash, tx.now, tx.now.Add(domain.OperatorResetCodeLifetime)); err != nil {
		return dbError("store operator reset code", err)
	}
	_, err = enqueueMail(ctx, tx, email, lang, "operator.reset_code", map[string]string{
		"code":    code,
		"minutes": strconv.Itoa(int(domain.OperatorResetCodeLifetime.Minutes())),
	})
	return err
}

// RefuseReset refuses the held reset with a note (helpdesk or security
// role, the requester included); nothing is sent. It returns EINVALID
// "defence.note_required", ECONFLICT "defence.reset_decided" and ENOTFOUND
// "defence.reset_not_found".
func (s *DefenceService) RefuseReset(ctx context.Context, id int64, note string) error {
	note, err := domain.CheckDefenceNote(note)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "refuse password reset", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleSecurity)
		if err != nil {
			return err
		}
		p, err := lockPending(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := p.reset().RefusalBlocker(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE pending_resets SET state = 'refused', decided_by = $2, decided_at = $3, note = $4 WHERE id = $1`,
			id, me.id, tx.now, note); err != nil {
			return dbError("refuse password reset", err)
		}
		if p.ticketID != 0 {
			if err := touchTicket(ctx, tx, p.ticketID, ""); err != nil {
				return err
			}
		}
		if err := Notify(ctx, tx, domain.TopicPendingReset, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditResetRefuse, SubjectKind: p.kind, SubjectID: strconv.FormatInt(p.accountID, 10),
			Reason: note, Details: "pending=" + strconv.FormatInt(id, 10),
		})
	})
}

// RecordView notes that the acting operator opened the record of the
// person with that key, and raises a "views" alert when their distinct
// persons in the last hour exceed the database's
// AlertThresholds.ViewsPerHour. Any enabled operator may record their own
// views. It returns EINVALID "defence.no_person" for a blank key and
// EUNAUTHORIZED "defence.no_operator".
func (s *DefenceService) RecordView(ctx context.Context, personKey string) error {
	personKey, err := domain.CheckPersonKey(personKey)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "record view", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard)
		if err != nil {
			return err
		}
		return countView(ctx, tx, me, personKey, s.db.AlertThresholds.ViewsPerHour)
	})
}

// countView records that me looked up the person with that key, and
// raises a "views" alert when me's distinct persons in the last hour
// exceed threshold.
func countView(ctx context.Context, tx *Tx, me *actor, personKey string, threshold int) error {
	if _, err := tx.Exec(ctx, `INSERT INTO person_views (operator_id, person_key, at) VALUES ($1, $2, $3)`,
		me.id, personKey, tx.now); err != nil {
		return dbError("record view", err)
	}
	var n int
	if err := tx.QueryRow(ctx, `
		SELECT count(DISTINCT person_key) FROM person_views WHERE operator_id = $1 AND at > $2`,
		me.id, tx.now.Add(-alertWindow)).Scan(&n); err != nil {
		return dbError("count views", err)
	}
	return raiseAlert(ctx, tx, me, domain.AlertViews, n, threshold)
}

// recordLookup counts a search by personal code that found the person
// with that code as a look-up of them, exactly as opening their record
// does (countView: the views alert of PPP_ALERT_VIEWS_PER_HOUR), so that
// searching people out one by one is seen like opening them. The back
// office itself is not counted. It returns EUNAVAILABLE when the database
// does not answer; the search then returns nothing.
func recordLookup(ctx context.Context, db *DB, me *actor, code string) error {
	if me.machine() || strings.TrimSpace(code) == "" {
		return nil
	}
	return db.inTx(ctx, "record look-up", func(tx *Tx) error {
		return countView(ctx, tx, me, domain.PersonKey(code), db.AlertThresholds.ViewsPerHour)
	})
}

// countLookup counts, inside tx, a read of the record of the person with
// that code by me as a look-up of them (countView), as opening a record
// on a screen always did: the read and the count are one call, so that no
// screen can forget the count. The back office itself is not counted, nor
// a record without a code.
func countLookup(ctx context.Context, tx *Tx, me *actor, code string, threshold int) error {
	if me.machine() || strings.TrimSpace(code) == "" {
		return nil
	}
	return countView(ctx, tx, me, domain.PersonKey(code), threshold)
}

// revealCode records, inside tx, that me looked at the whole personal code
// of the item (subjectKind, id) for reason (GDPR Art. 5(2), Art. 32): the
// "personal_data.reveal" audit entry, and a "reveals" alert when me's
// reveals in the last hour exceed threshold. The code itself is never
// written down.
func revealCode(ctx context.Context, tx *Tx, me *actor, subjectKind string, id int64, reason string, threshold int) error {
	if err := appendAudit(ctx, tx, &domain.AuditEntry{
		Action: domain.AuditPersonalDataReveal, SubjectKind: subjectKind, SubjectID: strconv.FormatInt(id, 10),
		Reason: reason, Details: "personal_code",
	}); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRow(ctx, `
		SELECT count(*) FROM audit_log
		 WHERE actor_id = $1 AND action = '`+domain.AuditPersonalDataReveal+`' AND at > $2`,
		me.id, tx.now.Add(-alertWindow)).Scan(&n); err != nil {
		return dbError("count reveals", err)
	}
	return raiseAlert(ctx, tx, me, domain.AlertReveals, n, threshold)
}

// raiseAlert raises an alert of kind for me when count exceeds threshold
// and none of that kind was raised for me in the last hour.
func raiseAlert(ctx context.Context, tx *Tx, me *actor, kind domain.AlertKind, count, threshold int) error {
	if threshold <= 0 || count <= threshold {
		return nil
	}
	// Checks of one operator and kind take turns.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 7070))",
		strconv.FormatInt(me.id, 10)+"/"+string(kind)); err != nil {
		return dbError("lock alerts", err)
	}
	var recent bool
	if err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM alerts WHERE operator_id = $1 AND kind = $2 AND raised_at > $3)`,
		me.id, string(kind), tx.now.Add(-alertWindow)).Scan(&recent); err != nil {
		return dbError("read alerts", err)
	}
	if recent {
		return nil
	}
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO alerts (kind, operator_id, count, threshold, window_start, window_end, raised_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		string(kind), me.id, count, threshold, tx.now.Add(-alertWindow), tx.now).Scan(&id); err != nil {
		return dbError("raise alert", err)
	}
	if err := Notify(ctx, tx, domain.TopicAlert, strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return appendAudit(ctx, tx, &domain.AuditEntry{
		Action: domain.AuditAlertRaise, SubjectKind: "operator", SubjectID: strconv.FormatInt(me.id, 10),
		Details: "alert=" + strconv.FormatInt(id, 10) + "; kind=" + string(kind) +
			"; count=" + strconv.Itoa(count) + "; threshold=" + strconv.Itoa(threshold),
	})
}

const alertSelect = `
	SELECT a.id, a.kind, a.operator_id, coalesce(nullif(o.full_name, ''), o.name), a.count, a.threshold,
	       a.window_start, a.window_end, a.raised_at, coalesce(a.closed_by, 0),
	       coalesce(nullif(c.full_name, ''), c.name, ''), a.closed_at, a.note
	  FROM alerts a
	  JOIN operators o ON o.id = a.operator_id
	  LEFT JOIN operators c ON c.id = a.closed_by`

func scanAlert(row pgx.CollectableRow) (*domain.Alert, error) {
	a := &domain.Alert{}
	var kind string
	var closed *time.Time
	err := row.Scan(&a.ID, &kind, &a.OperatorID, &a.OperatorName, &a.Count, &a.Threshold,
		&a.WindowStart, &a.WindowEnd, &a.RaisedAt, &a.ClosedBy, &a.ClosedByName, &closed, &a.Note)
	a.Kind = domain.AlertKind(kind)
	if closed != nil {
		a.ClosedAt = *closed
	}
	return a, err
}

// OpenAlerts lists the alerts not yet closed, newest first (security
// role).
func (s *DefenceService) OpenAlerts(ctx context.Context) ([]*domain.Alert, error) {
	var out []*domain.Alert
	err := s.db.readTx(ctx, "list alerts", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, defenceGuard, domain.RoleSecurity); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, alertSelect+` WHERE a.closed_at IS NULL ORDER BY a.raised_at DESC, a.id DESC`)
		if err != nil {
			return dbError("list alerts", err)
		}
		out, err = pgx.CollectRows(rows, scanAlert)
		return dbError("list alerts", err)
	})
	return out, err
}

// CloseAlert closes an alert with a note (security role). It returns
// EINVALID "defence.note_required", ENOTFOUND "defence.alert_not_found"
// and ECONFLICT "defence.alert_closed".
func (s *DefenceService) CloseAlert(ctx context.Context, id int64, note string) error {
	note, err := domain.CheckDefenceNote(note)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "close alert", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleSecurity)
		if err != nil {
			return err
		}
		var closed *time.Time
		var opID int64
		err = tx.QueryRow(ctx, `SELECT closed_at, operator_id FROM alerts WHERE id = $1 FOR UPDATE`, id).Scan(&closed, &opID)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "defence.alert_not_found", "no alert %d", id)
		}
		if err != nil {
			return dbError("read alert", err)
		}
		a := domain.Alert{}
		if closed != nil {
			a.ClosedAt = *closed
		}
		if err := a.CloseBlocker(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE alerts SET closed_by = $2, closed_at = $3, note = $4 WHERE id = $1`,
			id, me.id, tx.now, note); err != nil {
			return dbError("close alert", err)
		}
		if err := Notify(ctx, tx, domain.TopicAlert, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditAlertClose, SubjectKind: "operator", SubjectID: strconv.FormatInt(opID, 10),
			Reason: note, Details: "alert=" + strconv.FormatInt(id, 10),
		})
	})
}

// SignIns returns the sign-in attempts under operatorID's name, newest
// first, before the given time (any time when zero), at most limit (50
// when zero, never more than 500): for the operator themselves or an
// administrator, EFORBIDDEN "defence.forbidden" otherwise.
func (s *DefenceService) SignIns(ctx context.Context, operatorID int64, before time.Time, limit int) ([]*domain.SignIn, error) {
	limit = domain.PageLimit(limit)
	var out []*domain.SignIn
	err := s.db.readTx(ctx, "list sign-ins", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard)
		if err != nil {
			return err
		}
		if err := me.operator().SignInsBlocker(operatorID); err != nil {
			return err
		}
		var name string
		err = tx.QueryRow(ctx, `SELECT name FROM operators WHERE id = $1`, operatorID).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "defence.no_such_operator", "no operator %d", operatorID)
		}
		if err != nil {
			return dbError("read operator", err)
		}
		var b *time.Time
		if !before.IsZero() {
			b = &before
		}
		rows, err := tx.Query(ctx, `
			SELECT at, operator_name, remote_addr, method, success FROM sign_in_attempts
			 WHERE operator_name = $1 AND ($2::timestamptz IS NULL OR at < $2)
			 ORDER BY at DESC, id DESC LIMIT $3`, name, b, limit)
		if err != nil {
			return dbError("list sign-ins", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.SignIn, error) {
			si := &domain.SignIn{}
			return si, row.Scan(&si.At, &si.Name, &si.RemoteAddr, &si.Method, &si.Success)
		})
		return dbError("list sign-ins", err)
	})
	return out, err
}

// AccountHistory returns a Platform user's staff changes, newest first,
// each with who asked for it and who approved it (helpdesk, security or
// admin role).
func (s *DefenceService) AccountHistory(ctx context.Context, userID int64) ([]*domain.AccountChange, error) {
	var out []*domain.AccountChange
	err := s.db.readTx(ctx, "read account history", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk, domain.RoleSecurity, domain.RoleAdmin); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT at, actor_name, approved_by_name, field, old_value, new_value, reason FROM account_changes
			 WHERE user_id = $1 ORDER BY at DESC, id DESC`, userID)
		if err != nil {
			return dbError("read account history", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.AccountChange, error) {
			c := &domain.AccountChange{}
			return c, row.Scan(&c.At, &c.ActorName, &c.ApprovedByName, &c.Field, &c.Old, &c.New, &c.Reason)
		})
		return dbError("read account history", err)
	})
	return out, err
}
