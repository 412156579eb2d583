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

// Operators who forgot their password (¶31.3): a one-time code of ten
// characters (domain.NewOperatorResetCode) is e-mailed to the operator's
// address through the outbox ("operator.reset_code"); only its hash is
// stored. The SSH server's keyboard-interactive handler redeems it with
// RedeemOperatorResetCode and then makes the operator set a new password
// (OperatorService.SetOperatorPassword) before the dashboard. Changing
// the password voids the operator's open codes (a trigger).

// operatorCodeInterval is the least time between two codes of one
// operator, so that nobody can flood an operator's mailbox.
const operatorCodeInterval = time.Minute

// IssueOperatorResetCode e-mails a one-time sign-in code, valid for
// domain.OperatorResetCodeLifetime, to the operator named name, voiding
// any earlier open code. The caller never sees the code. So as not to
// tell who exists, it returns nil, sending nothing, for an unknown name,
// an operator without an e-mail address or a disabled one, and when the
// last code was issued less than a minute ago; those are audited only. It
// returns EUNAVAILABLE when the database does not answer.
func (s *AuthService) IssueOperatorResetCode(ctx context.Context, name string) error {
	name = nameTried(strings.TrimSpace(name))
	return s.db.inTx(ctx, "issue operator reset code", func(tx *Tx) error {
		var id int64
		var email, lang string
		var disabled bool
		err := tx.QueryRow(ctx, `
			SELECT id, email, language, disabled FROM operators WHERE name = $1 FOR UPDATE`, name).
			Scan(&id, &email, &lang, &disabled)
		outcome := "issued"
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			outcome = "unknown name"
		case err != nil:
			return dbError("issue operator reset code", err)
		case disabled:
			outcome = "disabled"
		case domain.ValidateEmail(email) != nil:
			outcome = "no e-mail address"
		}
		if outcome == "issued" {
			var recent bool
			if err := tx.QueryRow(ctx, `
				SELECT EXISTS (SELECT 1 FROM operator_reset_codes
				                WHERE operator_id = $1 AND created_at > $2)`,
				id, tx.now.Add(-operatorCodeInterval)).Scan(&recent); err != nil {
				return dbError("issue operator reset code", err)
			}
			if recent {
				outcome = "too soon"
			}
		}
		if outcome == "issued" {
			if _, err := tx.Exec(ctx, `
				UPDATE operator_reset_codes SET voided_at = $2
				 WHERE operator_id = $1 AND used_at IS NULL AND voided_at IS NULL`, id, tx.now); err != nil {
				return dbError("void operator reset codes", err)
			}
			code, hash := domain.NewOperatorResetCode()
			if _, err := tx.Exec(ctx, `
				INSERT INTO operator_reset_codes (operator_id, code_hash, created_at, expires_at)
				VALUES ($1, $2, $3, $4)`, id, hash, tx.now, tx.now.Add(domain.OperatorResetCodeLifetime)); err != nil {
				return dbError("store operator reset code", err)
			}
			if _, err := enqueueMail(ctx, tx, email, lang, "operator.reset_code", map[string]string{
				"code":    code,
				"minutes": strconv.Itoa(int(domain.OperatorResetCodeLifetime.Minutes())),
			}); err != nil {
				return err
			}
		}
		a := domain.ActorFrom(ctx)
		return appendAudit(ctx, tx, &domain.AuditEntry{
			ActorID: a.OperatorID, ActorName: orSystem(a.Name), SessionID: a.SessionID, RemoteAddr: a.RemoteAddr,
			Action: domain.AuditResetCodeIssue, SubjectKind: "operator", SubjectID: name, Details: outcome,
		})
	})
}

func orSystem(name string) string {
	if name == "" {
		return "system"
	}
	return name
}

// RedeemOperatorResetCode returns the operator named name when code is
// their open one-time code, and uses it up: it works once, until it
// expires, and not after the password changed. The caller must then make
// the operator set a new password before anything else. It is one
// sign-in attempt like a password (see AuthenticateAnswer, which the SSH
// server uses): reserved and recorded before it is judged, from the remote
// address of the actor in ctx (domain.ActorFrom(ctx).RemoteAddr), under
// the same per-address limits; a wrong code counts as a failed sign-in
// towards the account's lock, but a right one works while the account is
// locked by failed passwords. A disabled operator is refused. Every
// refusal is the same EUNAUTHORIZED "auth.failed". A database that does
// not answer gives EUNAVAILABLE. The success is audited as
// "auth.reset_code_used"; call RecordSignIn once the session opens.
func (s *AuthService) RedeemOperatorResetCode(ctx context.Context, name, code string) (*domain.Operator, error) {
	op, _, err := s.authenticate(ctx, name, code, domain.ActorFrom(ctx).RemoteAddr, codeOnly)
	return op, err
}
