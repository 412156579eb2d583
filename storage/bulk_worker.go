package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// BulkWorker runs the running bulk jobs. It takes a job with a lease on
// the database clock (FOR UPDATE SKIP LOCKED, as the sweeps and the IMK
// checker claim), does a batch of its items, each in a transaction of its
// own that calls the same service method the single action uses, records
// the item's outcome, audits it with the job and its reason, and renews
// the lease. A worker that dies (a killed server) leaves its job to the
// next worker once the lease has passed; the item it was doing rolls back
// with its transaction and is done by that worker, exactly once.
type BulkWorker struct {
	svc *BulkService

	// Instance names this worker in the lease (a server's instance name).
	Instance string
	// Lease is how long a job stays with this worker without a renewal.
	Lease time.Duration
	// Batch is how many items a job's turn does before it is let go.
	Batch int
	// Poll is how often Run looks for work when nothing wakes it.
	Poll time.Duration
	// Feed, when set, wakes Run when a job starts.
	Feed domain.ChangeFeed
	// Logger receives failures of Run; nil discards them.
	Logger *slog.Logger

	// afterItem, set by tests, runs in an item's transaction before it
	// commits.
	afterItem func(ctx context.Context, seq int)
}

// NewBulkWorker returns a worker of svc's jobs.
func NewBulkWorker(svc *BulkService, instance string) *BulkWorker {
	return &BulkWorker{svc: svc, Instance: instance, Lease: domain.BulkLease, Batch: domain.BulkBatch, Poll: 5 * time.Second}
}

// claimedJob is a job as its worker holds it.
type claimedJob struct {
	job    *domain.BulkJob
	token  string
	holder string // the requester's sign-in name, for the items' actor
}

// RunOnce takes one running job whose lease is free or passed and does
// at most Batch of its items. It returns how many items it did (done or
// failed); 0 with no error when no job waits. An error is the database's
// or ctx's: the item under way rolled back and stays to be done.
func (w *BulkWorker) RunOnce(ctx context.Context) (int, error) {
	c, err := w.claim(ctx)
	if err != nil || c == nil {
		return 0, err
	}
	n := 0
	for n < max(w.Batch, 1) {
		more, err := w.item(ctx, c)
		if err != nil {
			return n, err
		}
		if !more {
			return n, nil
		}
		n++
	}
	// The batch is over: let the job go, for this or another worker.
	_, err = w.svc.db.pool.Exec(ctx, `
		UPDATE bulk_jobs SET lease_holder = '', lease_until = NULL
		 WHERE id = $1 AND lease_holder = $2`, c.job.ID, c.token)
	return n, dbError("let bulk job go", err)
}

// claim takes the next running job nobody holds.
func (w *BulkWorker) claim(ctx context.Context) (*claimedJob, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	token := w.Instance + "/" + hex.EncodeToString(b[:])
	var c *claimedJob
	err := w.svc.db.inTx(ctx, "claim bulk job", func(tx *Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			SELECT id FROM bulk_jobs
			 WHERE state = 'running' AND (lease_until IS NULL OR lease_until <= clock_timestamp())
			 ORDER BY lease_until NULLS FIRST, id
			 LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return dbError("claim bulk job", err)
		}
		if err := w.renew(ctx, tx, id, token); err != nil {
			return err
		}
		j, err := findBulkTx(ctx, tx, id, false)
		if err != nil {
			return err
		}
		c = &claimedJob{job: j, token: token}
		return tx.QueryRow(ctx, `SELECT name FROM operators WHERE id = $1`, j.RequestedBy).Scan(&c.holder)
	})
	return c, err
}

func (w *BulkWorker) renew(ctx context.Context, tx *Tx, id int64, token string) error {
	_, err := tx.Exec(ctx, `
		UPDATE bulk_jobs SET lease_holder = $2, lease_until = clock_timestamp() + make_interval(secs => $3::float8)
		 WHERE id = $1`, id, token, w.lease().Seconds())
	return dbError("lease bulk job", err)
}

func (w *BulkWorker) lease() time.Duration {
	if w.Lease <= 0 {
		return domain.BulkLease
	}
	return w.Lease
}

// item does the job's next pending item in a transaction of its own and
// reports whether there may be more. The job's row is locked first: the
// job still running and still this worker's (a lease passed to another
// worker, or a cancel, stops this one), and no two workers ever take one
// item.
func (w *BulkWorker) item(ctx context.Context, c *claimedJob) (more bool, err error) {
	j := c.job
	err = w.svc.db.inTx(ctx, "bulk item", func(tx *Tx) error {
		var state, holder string
		err := tx.QueryRow(ctx, `SELECT state, lease_holder FROM bulk_jobs WHERE id = $1 FOR UPDATE`, j.ID).Scan(&state, &holder)
		if err != nil {
			return dbError("read bulk job", err)
		}
		if state != string(domain.BulkRunning) || holder != c.token {
			return nil // cancelled, or another worker's now
		}
		if err := w.renew(ctx, tx, j.ID, c.token); err != nil {
			return err
		}
		var seq int
		var kind string
		var target int64
		err = tx.QueryRow(ctx, `
			SELECT seq, target_kind, target_id FROM bulk_job_items
			 WHERE job_id = $1 AND state = 'pending' ORDER BY seq LIMIT 1`, j.ID).Scan(&seq, &kind, &target)
		if errors.Is(err, pgx.ErrNoRows) {
			return w.finish(ctx, tx, j)
		}
		if err != nil {
			return dbError("read bulk item", err)
		}
		more = true
		outcome, refusal, err := w.do(ctx, tx, c, kind, target)
		if err != nil {
			return err
		}
		key, args := "", []any{}
		if refusal != nil {
			key, args = refusal.Key, storedArgs(refusal.Args)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE bulk_job_items SET state = $3, error_key = $4, error_args = $5, done_at = $6 WHERE job_id = $1 AND seq = $2`,
			j.ID, seq, string(outcome), key, args, tx.now); err != nil {
			return dbError("record bulk item", err)
		}
		col := "done"
		if outcome == domain.BulkItemFailed {
			col = "failed"
		}
		if _, err := tx.Exec(ctx, `UPDATE bulk_jobs SET `+col+` = `+col+` + 1 WHERE id = $1`, j.ID); err != nil {
			return dbError("count bulk item", err)
		}
		if err := Notify(ctx, tx, domain.TopicBulk, strconv.FormatInt(j.ID, 10)); err != nil {
			return err
		}
		if w.afterItem != nil {
			w.afterItem(ctx, seq)
		}
		details := "job " + strconv.FormatInt(j.ID, 10) + " item " + strconv.Itoa(seq) + " " + kind + " " +
			strconv.FormatInt(target, 10) + ": " + string(outcome)
		if key != "" {
			details += " " + key
		}
		return appendAudit(w.actorCtx(ctx, c), tx, &domain.AuditEntry{Action: domain.AuditBulkItem, SubjectKind: "bulk_job",
			SubjectID: strconv.FormatInt(j.ID, 10), Reason: j.Reason, Details: details})
	})
	return more, err
}

// actorCtx is ctx acting as the job's requester in a session that names
// the job: the items' own audit entries name it so.
func (w *BulkWorker) actorCtx(ctx context.Context, c *claimedJob) context.Context {
	return domain.WithActor(ctx, domain.Actor{OperatorID: c.job.RequestedBy, Name: c.holder,
		SessionID: "bulk-" + strconv.FormatInt(c.job.ID, 10)})
}

// do runs the item's service method inside tx, under a savepoint: a
// refusal of the item's rule rolls back what the method began and is the
// item's failure (its catalog key), and the job goes on; any other error
// (the database, ctx) is returned and the item stays pending.
func (w *BulkWorker) do(ctx context.Context, tx *Tx, c *claimedJob, kind string, target int64) (domain.BulkItemState, *domain.Error, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return "", nil, dbError("bulk item savepoint", err)
	}
	inner := &Tx{Tx: sp, now: tx.now, portalURL: tx.portalURL}
	ictx := context.WithValue(w.actorCtx(ctx, c), joinKey{}, &txJoin{db: w.svc.db, tx: inner})
	err = w.svc.run(ictx, inner, c.job, kind, target)
	if err == nil {
		return domain.BulkItemDone, nil, dbError("bulk item", sp.Commit(ctx))
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if rerr := sp.Rollback(rctx); rerr != nil {
		return "", nil, dbError("bulk item rollback", rerr)
	}
	e := domain.AsError(err)
	if e == nil || e.Code == domain.EINTERNAL || e.Code == domain.EUNAVAILABLE || ctx.Err() != nil {
		return "", nil, err
	}
	return domain.BulkItemFailed, e, nil
}

// storedArgs is a refusal's arguments as error_args keeps them: numbers
// as numbers, instants as the Agency's day and time, anything else as
// its text.
func storedArgs(args []any) []any {
	out := make([]any, 0, len(args))
	for _, a := range args {
		switch v := a.(type) {
		case int, int32, int64, uint, uint32, uint64, float64, string:
			out = append(out, v)
		case time.Time:
			out = append(out, v.In(domain.AgencyZone).Format("2006-01-02 15:04"))
		default:
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}

// finish marks a job whose items are all done.
func (w *BulkWorker) finish(ctx context.Context, tx *Tx, j *domain.BulkJob) error {
	if _, err := tx.Exec(ctx, `
		UPDATE bulk_jobs SET state = 'done', finished_at = $2, version = version + 1, lease_holder = '', lease_until = NULL
		 WHERE id = $1 AND state = 'running'`, j.ID, tx.now); err != nil {
		return dbError("finish bulk job", err)
	}
	if err := Notify(ctx, tx, domain.TopicBulk, strconv.FormatInt(j.ID, 10)); err != nil {
		return err
	}
	return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditBulkDone, SubjectKind: "bulk_job",
		SubjectID: strconv.FormatInt(j.ID, 10), Reason: j.Reason, Details: string(j.Kind)})
}

// Run does jobs until ctx is done: batch after batch while there is
// work, then every Poll or when the feed says a job changed. It returns
// ctx's error.
func (w *BulkWorker) Run(ctx context.Context) error {
	var wake <-chan domain.Change
	if w.Feed != nil {
		ch, cancel := w.Feed.Subscribe(domain.TopicBulk)
		defer cancel()
		wake = ch
	}
	poll := w.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && w.Logger != nil {
			w.Logger.Error("bulk job", "error", err)
		}
		if n > 0 && err == nil {
			continue
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}
