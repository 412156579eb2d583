package storage

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// A password reset started from a person's account (issue 17), not from a
// helpdesk ticket, under the rules of the ticket's (¶31.3, ¶14): the link
// goes only to the account's confirmed address, a Latvija.gov.lv account
// is refused with the ¶14 explanation, and a privileged account's reset
// (isPrivileged) waits in pending_resets, with no ticket, for a second
// person; before then no link exists. ApproveReset sends it.

// AuditAccountReset… are in domain/audit_action.go.

// resetAccountRow is a Platform user as StartAccountReset reads it.
type resetAccountRow struct {
	email string
	acc   domain.ResetAccount
}

// lockResetAccount locks Platform user id and reads what the reset's rules
// need; ENOTFOUND "defence.no_such_user".
func lockResetAccount(ctx context.Context, tx *Tx, id int64) (*resetAccountRow, error) {
	r := &resetAccountRow{}
	err := tx.QueryRow(ctx, `
		SELECT email, kind, email_confirmed, ended_at IS NOT NULL FROM platform_users WHERE id = $1 FOR UPDATE`, id).
		Scan(&r.email, &r.acc.Kind, &r.acc.EmailConfirmed, &r.acc.Ended)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "defence.no_such_user", "no Platform user %d", id)
	}
	if err != nil {
		return nil, dbError("read Platform user", err)
	}
	return r, nil
}

// StartAccountReset starts a password reset of Platform user userID from
// the back office, with the operator's reason (helpdesk role). An
// ordinary account gets its single-use link at its confirmed address at
// once, with the notice to an address a staff change replaced; a
// privileged account's reset (an institution's administrator: see
// isPrivileged) is held for a second helpdesk or security operator
// (DefenceService.ApproveReset), and no link exists before. It returns
// the errors of domain.CheckAccountReason and domain.ResetAccount's
// ResetBlocker (EINVALID "account.reset_viss" for a Latvija.gov.lv
// account, ¶14; "account.reset_unconfirmed"; "account.reset_ended"),
// ECONFLICT "account.reset_too_soon" when the account got a link in the
// last minute (the limit of the operators' codes), ECONFLICT
// "account.reset_pending" when a reset of the account already waits,
// ENOTFOUND "defence.no_such_user", and the errors of loadActor. Refusals
// of the rules are audited too.
func (s *DefenceService) StartAccountReset(ctx context.Context, userID int64, reason string) (*domain.AccountResetResult, error) {
	reason, err := domain.CheckAccountReason(reason)
	if err != nil {
		return nil, err
	}
	res := &domain.AccountResetResult{}
	var refused error
	err = s.db.inTx(ctx, "start account reset", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleHelpdesk)
		if err != nil {
			return err
		}
		u, err := lockResetAccount(ctx, tx, userID)
		if err != nil {
			return err
		}
		audit := &domain.AuditEntry{SubjectKind: "platform_user", SubjectID: idText(userID), Reason: reason}
		if refused = u.acc.ResetBlocker(); refused != nil {
			// Recorded, not rolled back: the refusal is the answer.
			audit.Action, audit.Details = domain.AuditAccountResetRefused, domain.AsError(refused).Key
			return appendAudit(ctx, tx, audit)
		}
		var recent bool
		if err := tx.QueryRow(ctx, `
			SELECT EXISTS (SELECT 1 FROM password_reset_tokens
			                WHERE account_kind = 'platform_user' AND account_id = $1 AND created_at > $2)`,
			userID, tx.now.Add(-operatorCodeInterval)).Scan(&recent); err != nil {
			return dbError("start account reset", err)
		}
		if recent {
			return domain.Errorf(domain.ECONFLICT, "account.reset_too_soon", "a reset link was sent a moment ago")
		}
		acc := &domain.AccountRef{Kind: "platform_user", ID: userID, HasPassword: true}
		held, err := isPrivileged(ctx, tx, acc)
		if err != nil {
			return err
		}
		if held {
			err := tx.QueryRow(ctx, `
				INSERT INTO pending_resets (account_kind, account_id, lang, requested_by, requested_session, requested_at, user_reason)
				VALUES ('platform_user', $1, 'lv', $2, $3, $4, $5)
				ON CONFLICT (account_kind, account_id) WHERE state = 'pending' DO NOTHING
				RETURNING id`, userID, me.id, me.session, tx.now, reason).Scan(&res.PendingID)
			if errors.Is(err, pgx.ErrNoRows) {
				return domain.Errorf(domain.ECONFLICT, "account.reset_pending", "a reset of this account already waits for a second person")
			}
			if err != nil {
				return dbError("hold password reset", err)
			}
			res.Held = true
			if err := Notify(ctx, tx, domain.TopicPendingReset, idText(res.PendingID)); err != nil {
				return err
			}
			audit.Action, audit.Details = domain.AuditAccountResetHeld, "pending="+idText(res.PendingID)
			return appendAudit(ctx, tx, audit)
		}
		if err := sendAccountResetLink(ctx, tx, userID, u.email, "lv"); err != nil {
			return err
		}
		audit.Action = domain.AuditAccountResetIssued
		return appendAudit(ctx, tx, audit)
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}
	return res, nil
}

// storeResetToken voids the account's open tokens and stores the hash of
// a new one (ticketID 0: none); it returns the link mail's data.
func storeResetToken(ctx context.Context, tx *Tx, kind string, id, ticketID int64) (map[string]string, error) {
	if _, err := tx.Exec(ctx, `
		UPDATE password_reset_tokens SET voided_at = $3
		 WHERE account_kind = $1 AND account_id = $2 AND used_at IS NULL AND voided_at IS NULL`,
		kind, id, tx.now); err != nil {
		return nil, dbError("void reset tokens", err)
	}
	token, hash := domain.NewResetToken()
	if _, err := tx.Exec(ctx, `
		INSERT INTO password_reset_tokens (account_kind, account_id, token_hash, created_at, expires_at, ticket_id)
		VALUES ($1, $2, $3, $4, $5, nullif($6, 0))`,
		kind, id, hash, tx.now, tx.now.Add(domain.ResetTokenLifetime), ticketID); err != nil {
		return nil, dbError("store reset token", err)
	}
	return map[string]string{
		"link":    domain.ResetLink(tx.portalURL, token),
		"minutes": strconv.Itoa(int(domain.ResetTokenLifetime.Minutes())),
	}, nil
}

// sendAccountResetLink mails a new single-use link to the account's
// confirmed address, with the notice to an address a staff change
// replaced.
func sendAccountResetLink(ctx context.Context, tx *Tx, userID int64, email, lang string) error {
	if err := sendResetNotices(ctx, tx, "platform_user", userID, email, lang); err != nil {
		return err
	}
	data, err := storeResetToken(ctx, tx, "platform_user", userID, 0)
	if err != nil {
		return err
	}
	_, err = enqueueMail(ctx, tx, email, lang, "helpdesk.reset_link", data)
	return err
}

// approveAccountReset sends a held reset that no ticket is behind, when
// the account still may get one (ECONFLICT "defence.reset_stale"
// otherwise: its address is no longer confirmed, it became a
// Latvija.gov.lv account, or it was ended).
func approveAccountReset(ctx context.Context, tx *Tx, p *pendingRow) error {
	u, err := lockResetAccount(ctx, tx, p.accountID)
	if err != nil {
		return err
	}
	if u.acc.ResetBlocker() != nil {
		return domain.Errorf(domain.ECONFLICT, "defence.reset_stale", "the account can no longer get a reset link")
	}
	return sendAccountResetLink(ctx, tx, p.accountID, u.email, p.lang)
}
