package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/passhash"
)

// Password resets by single-use links (¶31.3): migrations/0060_helpdesk.sql.
// The token is 32 random bytes (domain.NewResetToken); only its SHA-256 is
// stored, the link exists only in the mail, and the helpdesk never sees
// it. A token works once, until it expires, and is voided when another is
// issued for the account or the account's password changes (a trigger).

// IssuePasswordReset e-mails a single-use reset link to the account the
// ticket's sender is the confirmed address of, when that account has a
// Platform password (an institution user or an operator). A Latvija.gov.lv
// user gets "helpdesk.no_password" (¶14); a sender who is not the
// confirmed address of any account gets "helpdesk.reset_refused", the
// same reply whether or not an account exists. The ticket then waits for
// the user. It returns ECONFLICT "helpdesk.changed" on a stale version,
// EINVALID "helpdesk.no_sender", and the errors of lockTicket and
// the role check (see HelpdeskService).
func (s *HelpdeskService) IssuePasswordReset(ctx context.Context, id, version int64) error {
	return s.db.inTx(ctx, "issue password reset", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, helpdeskGuard, domain.RoleHelpdesk)
		if err != nil {
			return err
		}
		r, err := lockTicket(ctx, tx, id, version, me, domain.TicketReset)
		if err != nil {
			return err
		}
		if r.From == "" || domain.ValidateEmail(r.From) != nil {
			return domain.Errorf(domain.EINVALID, "helpdesk.no_sender", "the message has no readable sender address")
		}
		// Matched again now: the address must still be the account's
		// confirmed one.
		acc, err := matchAccount(ctx, tx, r.From)
		if err != nil {
			return err
		}
		lang := r.lang
		var action string
		switch {
		case acc == nil:
			action = domain.AuditHelpdeskResetRefused
			err = sendReply(ctx, tx, r, me, "helpdesk.reset_refused", lang, "", nil)
		case !acc.HasPassword:
			action = domain.AuditHelpdeskResetNoPassword
			err = sendReply(ctx, tx, r, me, "helpdesk.no_password", lang, "", nil)
		default:
			// A privileged account's reset waits for a second person
			// (issue 9, defence.go); the others go out with a notice.
			var held bool
			if held, err = isPrivileged(ctx, tx, acc); err == nil && held {
				action = domain.AuditHelpdeskResetHeld
				err = holdReset(ctx, tx, r, me, acc, lang)
			} else if err == nil {
				action = domain.AuditHelpdeskResetIssued
				if err = sendResetNotices(ctx, tx, acc.Kind, acc.ID, r.From, lang); err == nil {
					err = issueResetToken(ctx, tx, r, me, acc, lang)
				}
			}
		}
		if err != nil {
			return err
		}
		state := "waiting"
		if action == domain.AuditHelpdeskResetHeld {
			state = "in_progress"
		}
		if err := touchTicket(ctx, tx, id, ", state = $3", state); err != nil {
			return err
		}
		e := &domain.AuditEntry{
			Action: action, SubjectKind: "ticket", SubjectID: strconv.FormatInt(id, 10),
		}
		if acc != nil {
			e.Details = acc.Kind + " " + strconv.FormatInt(acc.ID, 10)
		}
		return appendAudit(ctx, tx, e)
	})
}

// issueResetToken voids the account's open tokens, stores the hash of a
// new one and mails its link to the sender, the account's confirmed
// address. The thread records the mail without the link.
func issueResetToken(ctx context.Context, tx *Tx, r *ticketRow, me *actor, acc *domain.AccountRef, lang string) error {
	data, err := storeResetToken(ctx, tx, acc.Kind, acc.ID, r.ID)
	if err != nil {
		return err
	}
	return recordReply(ctx, tx, r, me, r.From, "helpdesk.reset_link", lang, "", data)
}

// errResetInvalid is the one answer to every token that does not work:
// unknown, expired, used or voided.
func errResetInvalid() error {
	return domain.Errorf(domain.EUNAUTHORIZED, "reset.invalid", "the reset link is not valid")
}

// RedeemResetToken sets the password of the account a reset token was
// issued for, the portal's side of ¶31.3. The token works once: it is
// marked used, and the password change voids every other open token of
// the account. It returns EUNAUTHORIZED "reset.invalid" for a token that
// is unknown, expired, used or voided (the same error for all), EINVALID
// "password.weak" with every broken rule of ¶31 (checked against the
// account's e-mail address or sign-in name; the token stays usable), and
// EUNAVAILABLE when the database does not answer.
func (s *PortalService) RedeemResetToken(ctx context.Context, token, newPassword string) error {
	hash := domain.HashResetToken(token)
	if hash == nil {
		return errResetInvalid()
	}
	return s.db.inTx(ctx, "redeem reset token", func(tx *Tx) error {
		var tokenID, accountID int64
		var kind string
		err := tx.QueryRow(ctx, `
			SELECT id, account_kind, account_id FROM password_reset_tokens
			 WHERE token_hash = $1 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $2
			   FOR UPDATE`, hash, tx.now).Scan(&tokenID, &kind, &accountID)
		if errors.Is(err, pgx.ErrNoRows) {
			return errResetInvalid()
		}
		if err != nil {
			return dbError("redeem reset token", err)
		}
		var userName, table, subject string
		switch kind {
		case "platform_user":
			table = "platform_users"
			err = tx.QueryRow(ctx, `SELECT email FROM platform_users WHERE id = $1 AND kind = 'password' FOR UPDATE`,
				accountID).Scan(&userName)
			subject = strconv.FormatInt(accountID, 10)
		case "operator":
			table = "operators"
			err = tx.QueryRow(ctx, `SELECT name FROM operators WHERE id = $1 FOR UPDATE`, accountID).Scan(&userName)
			subject = userName
		default:
			return errResetInvalid()
		}
		if errors.Is(err, pgx.ErrNoRows) {
			return errResetInvalid()
		}
		if err != nil {
			return dbError("redeem reset token", err)
		}
		if err := domain.PasswordError(domain.CheckPassword(newPassword, strings.ToLower(userName))); err != nil {
			return err
		}
		h, err := passhash.Hash(newPassword)
		if err != nil {
			return errorf("hash password", err)
		}
		// Used first, so that the trigger voiding the account's open
		// tokens leaves this one as used.
		if _, err := tx.Exec(ctx, `UPDATE password_reset_tokens SET used_at = $2 WHERE id = $1`, tokenID, tx.now); err != nil {
			return dbError("redeem reset token", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE `+table+` SET password_hash = $2, updated_at = $3 WHERE id = $1`,
			accountID, h, tx.now); err != nil {
			return dbError("set password", err)
		}
		if table == "platform_users" {
			// A new password meets the requirement a lift set (¶32.3, ¶32.6).
			if _, err := tx.Exec(ctx, `UPDATE platform_users SET password_change_required = false WHERE id = $1`, accountID); err != nil {
				return dbError("set password", err)
			}
		}
		// The portal's API client redeems it ("api:<client>"); the demo
		// and the tests act as the portal.
		a := domain.ActorFrom(ctx)
		name := "portal"
		if a.IsAPIClient() {
			name = a.Name
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			ActorName: name, SessionID: a.SessionID, RemoteAddr: a.RemoteAddr,
			Action: domain.AuditResetRedeem, SubjectKind: kind, SubjectID: subject,
			Details: "token=" + strconv.FormatInt(tokenID, 10),
		})
	})
}
