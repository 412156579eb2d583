package storage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/mailtmpl"
)

// The transactional outbox (migrations/0020_outbox.sql).
//
// Delivery guarantees, as implemented here:
//
//   - A message exists if and only if the transaction that wrote it
//     committed (enqueueMail takes the caller's transaction).
//   - A worker claims a batch of due rows (state 'sending', a lease in
//     locked_until, attempts+1) in one statement with FOR UPDATE SKIP
//     LOCKED, and commits the claim before sending anything. Two workers,
//     in one process or in several servers, therefore never hold the same
//     row at once, and a worker starts a send only while its lease has
//     room for the whole send (SendTimeout), so no other worker can
//     reclaim the row while the send may still be running.
//   - After a send the worker records the outcome with a write guarded by
//     state = 'sending' and the attempt number it claimed: a worker whose
//     lease ran out cannot overwrite what happened since.
//   - So, from the database's point of view, each message is handed to
//     the sender at most once per claim and recorded as sent at most once.
//     The one gap: a crash (or a lost database connection) after the SMTP
//     server accepted a message but before 'sent' was written leaves the
//     row in 'sending'; when its lease runs out it is claimed and sent
//     again. Every attempt carries the same Message-ID (message_id,
//     random, chosen when the row is written: migration 0082), so
//     receiving servers and mail clients can recognise the duplicate.
//   - A message that carries a single-use secret (outbox_secret.go) has
//     its body wiped once it is sent, fails for good, or its secret
//     expires; an expired one is not sent.
//   - A failed send goes back to 'pending' with next_try_at moved on
//     exponentially (30 s · 2^(attempts-1), at most an hour, less up to a
//     fifth at random), and becomes 'failed' after MaxAttempts attempts or
//     at once when the sender says the failure is permanent.

// Defaults of OutboxOptions.
const (
	outboxDefaultBatch        = 20
	outboxDefaultLease        = 5 * time.Minute
	outboxDefaultSendTimeout  = 60 * time.Second
	outboxDefaultPoll         = 5 * time.Second
	outboxDefaultMaxAttempts  = 12
	outboxDefaultBackoffBase  = 30 * time.Second
	outboxDefaultBackoffLimit = time.Hour
)

// outboxLeaseMargin is kept free at the end of a lease, for the final
// write and for clocks that disagree a little.
const outboxLeaseMargin = 10 * time.Second

// outboxErrorLimit bounds last_error, in characters.
const outboxErrorLimit = 500

// enqueueMail renders the mail template in lang ("lv" or "en"; Latvian for
// anything else) with data and writes the message to the outbox inside
// tx, so that it is sent if and only if tx commits. It returns the
// message's id. It returns EINVALID when to is not a bare e-mail address
// and EINTERNAL when the template does not exist or data lacks a key it
// uses (a programming error); the errors never repeat the address.
func enqueueMail(ctx context.Context, tx *Tx, to, lang, template string, data map[string]string) (int64, error) {
	return insertMail(ctx, tx, tx.now, to, lang, template, data)
}

// EnqueueMail is enqueueMail for a transaction opened outside this
// package (the command line, tests, the portal's side of the contract):
// the message is written inside tx and exists only if tx commits. Its
// created_at is the database's transaction time. Errors as enqueueMail.
func EnqueueMail(ctx context.Context, tx pgx.Tx, to, lang, template string, data map[string]string) (int64, error) {
	return insertMail(ctx, tx, time.Time{}, to, lang, template, data)
}

// insertMail renders and inserts one message; a zero createdAt leaves the
// column's default, now().
func insertMail(ctx context.Context, tx pgx.Tx, createdAt time.Time, to, lang, template string, data map[string]string) (int64, error) {
	what := "enqueue mail " + template
	to = strings.TrimSpace(to)
	if err := domain.ValidateEmail(to); err != nil {
		return 0, errorf(what, err)
	}
	lang = mailtmpl.Language(lang)
	subject, body, err := mailtmpl.Render(lang, template, data)
	if err != nil {
		return 0, joinf(what, &domain.Error{Code: domain.EINTERNAL, Message: "the mail could not be written"}, err)
	}
	var created *time.Time
	if !createdAt.IsZero() {
		created = &createdAt
	}
	var id int64
	// next_try_at keeps its default, the database's now(): the workers
	// compare it with that clock, not with the transaction's (which tests
	// move).
	err = tx.QueryRow(ctx, `
		INSERT INTO outbox (created_at, to_addr, lang, template, subject, body)
		VALUES (coalesce($1, now()), $2, $3, $4, $5, $6)
		RETURNING id`,
		created, to, lang, template, subject, body,
	).Scan(&id)
	if err != nil {
		return 0, dbError(what, err)
	}
	return id, nil
}

// OutboxOptions tune an OutboxWorker; zero fields take the defaults.
type OutboxOptions struct {
	// Feed, when set, wakes the worker as soon as a message is written
	// (topic "outbox") and when the database connection comes back.
	Feed domain.ChangeFeed
	// PollInterval is how often Run looks for due messages without being
	// woken: retries fall due without a notification. Default 5 s.
	PollInterval time.Duration
	// BatchSize is how many messages one claim takes. Default 20.
	BatchSize int
	// Lease is how long a claim protects a message from other workers.
	// It must exceed SendTimeout by a good margin. Default 5 minutes.
	Lease time.Duration
	// SendTimeout bounds one message's delivery. Default 60 s.
	SendTimeout time.Duration
	// MaxAttempts is how many times a message is tried before it is
	// marked failed. Default 12 (about seven hours of retrying).
	MaxAttempts int
	// BackoffBase and BackoffLimit shape the wait after a failure:
	// BackoffBase·2^(attempts-1), at most BackoffLimit. Defaults 30 s and
	// an hour.
	BackoffBase, BackoffLimit time.Duration
	// Logger receives delivery failures, by message id only; nil
	// discards them.
	Logger *slog.Logger
}

// OutboxWorker delivers the outbox's messages through a domain.MailSender.
// Any number of workers, in one process or several, may run on one
// database at once.
type OutboxWorker struct {
	db     *DB
	sender domain.MailSender
	opts   OutboxOptions
}

// NewOutboxWorker returns a worker delivering db's outbox with sender;
// call Run, or DeliverDue for a single pass.
func NewOutboxWorker(db *DB, sender domain.MailSender, opts OutboxOptions) *OutboxWorker {
	if opts.PollInterval <= 0 {
		opts.PollInterval = outboxDefaultPoll
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = outboxDefaultBatch
	}
	if opts.SendTimeout <= 0 {
		opts.SendTimeout = outboxDefaultSendTimeout
	}
	if opts.Lease <= 0 {
		opts.Lease = outboxDefaultLease
	}
	// A lease shorter than one send would let another worker take the
	// message while it is being sent.
	opts.Lease = max(opts.Lease, opts.SendTimeout+2*outboxLeaseMargin)
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = outboxDefaultMaxAttempts
	}
	if opts.BackoffBase <= 0 {
		opts.BackoffBase = outboxDefaultBackoffBase
	}
	if opts.BackoffLimit <= 0 {
		opts.BackoffLimit = outboxDefaultBackoffLimit
	}
	return &OutboxWorker{db: db, sender: sender, opts: opts}
}

// PermanentError is implemented by sender errors that say whether trying
// again could ever help (an SMTP server refusing the recipient for good,
// for example). A message whose send fails permanently is marked failed at
// once instead of being retried.
type PermanentError interface {
	error
	Permanent() bool
}

// Run delivers due messages until ctx is done, then returns nil. It wakes
// when the feed announces a new message, when the feed's connection comes
// back, and every PollInterval; it never spins. Database errors are
// logged and retried at the next wake-up.
func (w *OutboxWorker) Run(ctx context.Context) error {
	var wake <-chan domain.Change
	if w.opts.Feed != nil {
		ch, unsubscribe := w.opts.Feed.Subscribe(domain.TopicOutbox)
		defer unsubscribe()
		wake = ch
	}
	ticker := time.NewTicker(w.opts.PollInterval)
	defer ticker.Stop()
	for {
		if _, _, err := w.DeliverDue(ctx); err != nil && ctx.Err() == nil && w.opts.Logger != nil {
			w.opts.Logger.Warn("outbox: delivery pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case _, ok := <-wake:
			if !ok {
				wake = nil
				continue
			}
			// A burst of inserts sends a burst of notifications: one
			// pass serves them all.
			drain(wake)
		}
	}
}

// drain empties ch without waiting.
func drain(ch <-chan domain.Change) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// outboxClaim is a message claimed by this worker, with the attempt number
// that identifies the claim.
type outboxClaim struct {
	mail    domain.Mail
	attempt int
}

// DeliverDue sends every message due now, claiming them a batch at a time,
// and returns how many were sent and how many sends failed in this pass
// (rescheduled or given up). It stops at the first database error or when
// ctx is done; messages it had claimed but not sent then go back to the
// queue. Errors are EUNAVAILABLE when the database does not answer, or the
// context's error. Sender errors are not returned: they are recorded on
// the message.
func (w *OutboxWorker) DeliverDue(ctx context.Context) (sent, failed int, err error) {
	if err := w.failExhausted(ctx); err != nil {
		return 0, 0, err
	}
	if err := w.failExpiredSecrets(ctx); err != nil {
		return 0, 0, err
	}
	for {
		claimedAt := time.Now()
		claims, err := w.claim(ctx)
		if err != nil {
			return sent, failed, err
		}
		if len(claims) == 0 {
			return sent, failed, nil
		}
		for i, c := range claims {
			if ctx.Err() != nil || time.Since(claimedAt)+w.opts.SendTimeout > w.opts.Lease-outboxLeaseMargin {
				// Out of time or told to stop: hand the rest back
				// untried rather than send past the lease.
				if err := w.release(ctx, claims[i:]); err != nil {
					return sent, failed, err
				}
				if ctx.Err() != nil {
					return sent, failed, ctx.Err()
				}
				break
			}
			ok, err := w.deliver(ctx, c)
			if err != nil {
				_ = w.release(ctx, claims[i+1:])
				return sent, failed, err
			}
			if ok {
				sent++
			} else {
				failed++
			}
		}
	}
}

// claim takes up to BatchSize due messages: pending ones whose time has
// come and sending ones whose lease ran out. The statement commits on its
// own, before anything is sent.
func (w *OutboxWorker) claim(ctx context.Context) ([]outboxClaim, error) {
	// A secret past its lifetime is never sent (failExpiredSecrets gives
	// it up; this keeps one that expires between the two out).
	templates, lifetimes := secretTemplateArrays()
	rows, err := w.db.pool.Query(ctx, `
		WITH due AS (
		    SELECT o.id
		      FROM outbox o
		      LEFT JOIN unnest($4::text[], $5::bigint[]) AS secret (template, lifetime_ms)
		             ON secret.template = o.template
		     WHERE ((o.state = 'pending' AND o.next_try_at <= now())
		         OR (o.state = 'sending' AND o.locked_until < now()))
		       AND o.attempts < $2
		       AND (secret.template IS NULL
		            OR o.created_at + secret.lifetime_ms * interval '1 millisecond' > now())
		     ORDER BY o.next_try_at, o.id
		     LIMIT $3
		       FOR UPDATE OF o SKIP LOCKED
		)
		UPDATE outbox
		   SET state = 'sending',
		       locked_until = now() + $1::bigint * interval '1 millisecond',
		       attempts = outbox.attempts + 1
		  FROM due
		 WHERE outbox.id = due.id
		RETURNING outbox.id, outbox.message_id, outbox.created_at, outbox.to_addr, outbox.lang, outbox.template,
		          outbox.subject, outbox.body, outbox.attempts, outbox.next_try_at, outbox.last_error`,
		w.opts.Lease.Milliseconds(), w.opts.MaxAttempts, w.opts.BatchSize, templates, lifetimes)
	if err != nil {
		return nil, dbError("claim outbox messages", err)
	}
	var claims []outboxClaim
	var c outboxClaim
	_, err = pgx.ForEachRow(rows, []any{&c.mail.ID, &c.mail.MessageID, &c.mail.CreatedAt, &c.mail.To, &c.mail.Lang, &c.mail.Template,
		&c.mail.Subject, &c.mail.Body, &c.mail.Attempts, &c.mail.NextTry, &c.mail.LastError}, func() error {
		c.mail.State = "sending"
		c.attempt = c.mail.Attempts
		claims = append(claims, c)
		return nil
	})
	if err != nil {
		return nil, dbError("claim outbox messages", err)
	}
	slices.SortFunc(claims, func(a, b outboxClaim) int { return cmp.Compare(a.mail.ID, b.mail.ID) })
	return claims, nil
}

// deliver sends one claimed message and records the outcome. It reports
// whether the message was sent. The error is the database's when the
// outcome could not be recorded, or ctx's when the send was interrupted
// (the message is then handed back untried).
func (w *OutboxWorker) deliver(ctx context.Context, c outboxClaim) (bool, error) {
	sctx, cancel := context.WithTimeout(ctx, w.opts.SendTimeout)
	sendErr := w.sender.Send(sctx, &c.mail)
	cancel()

	// The outcome is recorded even when ctx has just ended: otherwise a
	// message that went out would wait for its lease and go out again.
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer rcancel()

	if sendErr == nil {
		return true, w.recordSent(ctx, c)
	}

	if ctx.Err() != nil {
		// Stopped, not failed: back to the queue, this attempt not
		// counted.
		if err := w.release(ctx, []outboxClaim{c}); err != nil {
			return false, err
		}
		return false, ctx.Err()
	}
	var perm PermanentError
	giveUp := c.attempt >= w.opts.MaxAttempts || (errors.As(sendErr, &perm) && perm.Permanent())
	state, delay := "pending", w.backoff(c.attempt)
	if giveUp {
		state, delay = "failed", 0
	}
	msg := scrubError(sendErr)
	templates, _ := secretTemplateArrays()
	// A message given up is wiped of its secret like a sent one.
	_, err := w.db.pool.Exec(rctx, `
		UPDATE outbox
		   SET state = $3,
		       next_try_at = now() + $4::bigint * interval '1 millisecond',
		       locked_until = NULL,
		       last_error = $5,
		       body = CASE WHEN $3 = 'failed' AND template = ANY ($6::text[]) THEN $7 ELSE body END
		 WHERE id = $1 AND state = 'sending' AND attempts = $2`,
		c.mail.ID, c.attempt, state, delay.Milliseconds(), msg, templates, secretRemoved)
	if err != nil {
		return false, dbError("record outbox message failure", err)
	}
	if w.opts.Logger != nil {
		w.opts.Logger.Warn("outbox: send failed", "id", c.mail.ID, "attempt", c.attempt, "state", state, "err", msg)
	}
	return false, nil
}

// outboxRecordSentFor is how long a worker keeps trying to record a sent
// message while the database is away (a restart, a failover). Giving up
// sooner would leave the row in 'sending' until its lease ends, and the
// message would then go out a second time.
const outboxRecordSentFor = 30 * time.Second

// recordSent marks a message the sender accepted as sent, retrying while
// the database is unavailable, for up to outboxRecordSentFor. The write
// is guarded by the claim's attempt number, so a retry after a first
// write whose answer was lost, or after another worker has claimed the
// row again, changes nothing. It returns the database's error when
// the outcome could not be recorded.
func (w *OutboxWorker) recordSent(ctx context.Context, c outboxClaim) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), outboxRecordSentFor)
	defer cancel()
	for retried := false; ; retried = true {
		// A delivered secret is wiped from the outbox, so the database
		// never keeps a usable one once the mail has gone.
		templates, _ := secretTemplateArrays()
		tag, err := w.db.pool.Exec(rctx, `
			UPDATE outbox
			   SET state = 'sent', sent_at = now(), locked_until = NULL,
			       body = CASE WHEN template = ANY ($3::text[]) THEN $4 ELSE body END
			 WHERE id = $1 AND state = 'sending' AND attempts = $2`,
			c.mail.ID, c.attempt, templates, secretRemoved)
		if err == nil {
			if tag.RowsAffected() == 0 && !retried && w.opts.Logger != nil {
				// Only possible when the lease ran out under the send.
				w.opts.Logger.Warn("outbox: message sent after its claim expired", "id", c.mail.ID)
			}
			return nil
		}
		err = dbError("record outbox message sent", err)
		if domain.ErrorCode(err) != domain.EUNAVAILABLE {
			return err
		}
		select {
		case <-rctx.Done():
			return err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// release hands claimed messages back untried: pending again, due now,
// the claim's attempt not counted. A claim that has changed hands in the
// meantime is left alone.
func (w *OutboxWorker) release(ctx context.Context, claims []outboxClaim) error {
	if len(claims) == 0 {
		return nil
	}
	ids := make([]int64, len(claims))
	attempts := make([]int32, len(claims))
	for i, c := range claims {
		ids[i], attempts[i] = c.mail.ID, int32(c.attempt)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err := w.db.pool.Exec(rctx, `
		UPDATE outbox
		   SET state = 'pending', locked_until = NULL, attempts = outbox.attempts - 1
		  FROM unnest($1::bigint[], $2::integer[]) AS c(id, attempt)
		 WHERE outbox.id = c.id AND outbox.state = 'sending' AND outbox.attempts = c.attempt`,
		ids, attempts)
	return dbError("release outbox messages", err)
}

// failExhausted gives up on messages stuck in 'sending' past their lease
// after their last allowed attempt: their worker died, and claim no longer
// takes them.
func (w *OutboxWorker) failExhausted(ctx context.Context) error {
	templates, _ := secretTemplateArrays()
	_, err := w.db.pool.Exec(ctx, `
		UPDATE outbox
		   SET state = 'failed', locked_until = NULL,
		       last_error = 'the last attempt did not finish (worker stopped or lost the database)',
		       body = CASE WHEN template = ANY ($2::text[]) THEN $3 ELSE body END
		 WHERE state = 'sending' AND locked_until < now() AND attempts >= $1`,
		w.opts.MaxAttempts, templates, secretRemoved)
	return dbError("fail exhausted outbox messages", err)
}

// backoff is the wait after the attempt-th failed attempt:
// BackoffBase·2^(attempt-1), at most BackoffLimit, less up to a fifth at
// random so that messages failing together do not retry together.
func (w *OutboxWorker) backoff(attempt int) time.Duration {
	d := w.opts.BackoffLimit
	if shift := attempt - 1; shift < 30 {
		d = min(w.opts.BackoffBase<<max(shift, 0), w.opts.BackoffLimit)
	}
	return d - time.Duration(rand.Int64N(int64(d)/5+1))
}

// emailLike finds e-mail addresses, which servers often repeat in their
// replies ("550 <x@y.lv>: no such user").
var emailLike = regexp.MustCompile(`[^\s<>()\[\],;:"']+@[^\s<>()\[\],;:"']+`)

// scrubError turns a sender's error into text fit for last_error and the
// logs: e-mail addresses and personal codes removed, one line, bounded.
func scrubError(err error) string {
	s := strings.ToValidUTF8(err.Error(), "\uFFFD")
	s = emailLike.ReplaceAllString(s, "<address>")
	s = domain.MaskPersonalCodesIn(s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > outboxErrorLimit {
		s = string([]rune(s)[:outboxErrorLimit]) + "…"
	}
	return s
}

// OutboxCounts is the state of the outbox, for dashboards.
type OutboxCounts struct {
	Pending, Sending, Sent, Failed int64
	// OldestPending is when the oldest message still waiting (pending or
	// sending) was written; zero when none waits.
	OldestPending time.Time
}

// OutboxStats counts the outbox's messages by state. It returns
// EUNAVAILABLE when the database does not answer.
func (db *DB) OutboxStats(ctx context.Context) (OutboxCounts, error) {
	var c OutboxCounts
	var oldest *time.Time
	err := db.pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE state = 'pending'),
		       count(*) FILTER (WHERE state = 'sending'),
		       count(*) FILTER (WHERE state = 'sent'),
		       count(*) FILTER (WHERE state = 'failed'),
		       min(created_at) FILTER (WHERE state IN ('pending', 'sending'))
		  FROM outbox`).Scan(&c.Pending, &c.Sending, &c.Sent, &c.Failed, &oldest)
	if err != nil {
		return OutboxCounts{}, dbError("count outbox messages", err)
	}
	if oldest != nil {
		c.OldestPending = *oldest
	}
	return c, nil
}

// String summarises the counts for the command line.
func (c OutboxCounts) String() string {
	return fmt.Sprintf("pending %d, sending %d, sent %d, failed %d", c.Pending, c.Sending, c.Sent, c.Failed)
}
