package storage

import (
	"context"
	"time"

	"github.com/viaa/ppp/domain"
)

// Secrets at rest (issue 13). Some mails carry a single-use secret in
// their body: a password-reset link, an operator's one-time sign-in code,
// an e-mail confirmation link. Only hashes of the secrets are kept
// elsewhere; the outbox keeps the body only while it may still be
// delivered. It is replaced by secretRemoved
//
//   - once the mail is sent (recordSent),
//   - once it fails for good: refused, out of attempts, or its worker died
//     on the last attempt (deliver, failExhausted),
//   - once its secret has expired before delivery: then it is not sent
//     either, it fails (failExpiredSecrets; claim skips it).

// secretLifetimes are the templates whose body carries a single-use
// secret, each with how long its secret works from when the mail is
// written (the token, code or request is created in the same
// transaction).
var secretLifetimes = map[string]time.Duration{
	"helpdesk.reset_link":           domain.ResetTokenLifetime,
	"operator.reset_code":           domain.OperatorResetCodeLifetime,
	"rolerequest.submitted_confirm": domain.UnconfirmedLifetime,
}

// secretRemoved is the body of a mail whose secret was wiped.
const secretRemoved = "[removed: it carried a single-use secret]"

// secretTemplateArrays returns secretLifetimes as two parallel arrays,
// templates and lifetimes in milliseconds, for SQL.
func secretTemplateArrays() (templates []string, lifetimesMS []int64) {
	for t, d := range secretLifetimes {
		templates = append(templates, t)
		lifetimesMS = append(lifetimesMS, d.Milliseconds())
	}
	return templates, lifetimesMS
}

// failExpiredSecrets gives up, and wipes, every waiting mail whose secret
// no longer works: pending ones, and sending ones whose worker's lease
// ran out. It returns EUNAVAILABLE when the database does not answer.
func (w *OutboxWorker) failExpiredSecrets(ctx context.Context) error {
	templates, lifetimes := secretTemplateArrays()
	_, err := w.db.pool.Exec(ctx, `
		UPDATE outbox o
		   SET state = 'failed', locked_until = NULL, body = $3,
		       last_error = 'not sent: the single-use secret it carried expired before delivery'
		  FROM unnest($1::text[], $2::bigint[]) AS secret (template, lifetime_ms)
		 WHERE o.template = secret.template
		   AND o.created_at + secret.lifetime_ms * interval '1 millisecond' <= now()
		   AND (o.state = 'pending' OR (o.state = 'sending' AND o.locked_until < now()))`,
		templates, lifetimes, secretRemoved)
	return dbError("give up outbox messages whose secret expired", err)
}
