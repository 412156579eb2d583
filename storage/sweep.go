package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// Scheduled sweeps (migrations/0042_sweeps.sql). A run takes its sweep's
// leader row in sweep_leases, a lease compared with the database's clock,
// so that with several servers each sweep runs on one of them at a time;
// a run that finds the lease held is skipped. Each sweep is idempotent: a
// second run at the same time changes nothing.

// The sweeps.
const (
	SweepRoleExpiry      = "role-expiry"      // ¶32.1
	SweepAuthDeactivated = "auth-deactivated" // ¶32.2
	SweepDeathCheck      = "death-check"      // ¶32.8
	// SweepConsultantReminder reminds institutions of career consultants'
	// requests waiting for them, before the take-over limit (¶29.3).
	SweepConsultantReminder = "consultant-reminder"
	// SweepReverify re-verifies institutions against the registers
	// (issue 17, ¶17.2).
	SweepReverify = "reverify"
	// SweepSanctionExpiry ends sanction suspensions whose period is over
	// (¶32.5, ¶32.7).
	SweepSanctionExpiry = "sanction-expiry"
	// SweepRetention deletes or minimises what is past its retention
	// period (issue 18; retention_rules, migration 0320).
	SweepRetention = "retention"
	// SweepMisuseSignals raises the signals about applicants and
	// providers (issue 18, sweep_misuse.go).
	SweepMisuseSignals = "misuse-signals"
)

// SweepNames lists the sweeps in the order the scheduler tries them.
var SweepNames = []string{SweepRoleExpiry, SweepAuthDeactivated, SweepDeathCheck, SweepConsultantReminder, SweepReverify, SweepSanctionExpiry, SweepRetention, SweepMisuseSignals}

// SweepIntervals are how often the scheduler runs each sweep.
var SweepIntervals = map[string]time.Duration{
	SweepRoleExpiry:      time.Hour,
	SweepAuthDeactivated: 10 * time.Minute,
	SweepDeathCheck:      10 * time.Minute,
	// A reminder is due by the day; an hour late is on time.
	SweepConsultantReminder: time.Hour,
	// Institutions fall due spread over months; an hour late is on time.
	SweepReverify: time.Hour,
	// A suspension ends within minutes of its end.
	SweepSanctionExpiry: 5 * time.Minute,
	// Periods are months and years long; a day late is on time.
	SweepRetention: 24 * time.Hour,
	// A signal is for a person to look into; ten minutes late is on time.
	SweepMisuseSignals: 10 * time.Minute,
}

// Defaults of Sweeper.
const (
	sweepDefaultLease     = 5 * time.Minute
	sweepDefaultBatch     = 5000
	sweepAuthBatch        = 500
	sweepErrorLimit       = 500
	schedulerDefaultEvery = time.Minute
)

// Sweeper runs the sweeps on db.
type Sweeper struct {
	db *DB
	// Instance names this server in sweep_runs and in the leases.
	Instance string
	// Lease is how long a run holds its sweep without renewing; the
	// death check renews it after every batch. Default 5 minutes.
	Lease time.Duration
	// BatchSize is how many persons one death-check transaction takes.
	// Default 5,000.
	BatchSize int
	// RoleRequests holds the take-over limit and how many days before it
	// the consultant-reminder sweep reminds the institution (¶29.3).
	// Default domain.DefaultRoleRequestConfig.
	RoleRequests domain.RoleRequestConfig
	// MaxDataAge is how old the Population Register's data for a person
	// may be for a death check to count (¶32.8): older data is "stale"
	// and tried again at the next run. Default 31 days
	// (domain.DefaultDeathCheckMaxDataAge).
	MaxDataAge time.Duration
	// ReverifyMaxDataAge is how old a register of institutions' data may
	// be for a re-verification to count; older is a difference ("stale").
	// Default domain.DefaultReverifyMaxDataAge.
	ReverifyMaxDataAge time.Duration
}

// NewSweeper returns a Sweeper on db for the named server instance.
func NewSweeper(db *DB, instance string) *Sweeper {
	return &Sweeper{db: db, Instance: instance, Lease: sweepDefaultLease, BatchSize: sweepDefaultBatch,
		RoleRequests: domain.DefaultRoleRequestConfig(), MaxDataAge: domain.DefaultDeathCheckMaxDataAge}
}

// sweepBodies is each sweep's work, by name: a new sweep is one line here
// (with its name in SweepNames and its interval in SweepIntervals).
var sweepBodies = map[string]func(s *Sweeper, ctx context.Context, r *sweepRun, now time.Time) error{
	SweepRoleExpiry:         (*Sweeper).roleExpiry,
	SweepAuthDeactivated:    (*Sweeper).authDeactivated,
	SweepDeathCheck:         (*Sweeper).deathCheck,
	SweepConsultantReminder: (*Sweeper).consultantReminder,
	SweepReverify:           (*Sweeper).reverify,
	SweepSanctionExpiry:     (*Sweeper).sanctionExpiry,
	SweepRetention:          (*Sweeper).retention,
	SweepMisuseSignals:      (*Sweeper).misuseSignals,
}

// sweepRun is a run in progress: its lease and its counts.
type sweepRun struct {
	*domain.SweepRun
	holder string
	lease  time.Duration
}

// RunSweep runs the named sweep once as at now. When another run holds the
// sweep's lease it returns a run marked Skipped, records nothing and
// returns no error. Otherwise it records the run in sweep_runs with its
// counts, and its error, which it also returns. It returns EINVALID
// "sweep.unknown" for an unknown name.
func (s *Sweeper) RunSweep(ctx context.Context, name string, now time.Time) (*domain.SweepRun, error) {
	return s.runSweep(ctx, name, now, 0)
}

// runSweep is RunSweep; with a positive period it runs only when no run
// started within period before now, which it reads once it holds the
// lease: another instance may have run the sweep to the end, and let the
// lease go, since the scheduler found it due.
func (s *Sweeper) runSweep(ctx context.Context, name string, now time.Time, period time.Duration) (*domain.SweepRun, error) {
	body, ok := sweepBodies[name]
	if !ok {
		return nil, domain.Errorf(domain.EINVALID, "sweep.unknown", "unknown sweep %q", name)
	}
	now = now.UTC().Truncate(time.Microsecond)
	r := &sweepRun{SweepRun: &domain.SweepRun{Sweep: name, Instance: s.Instance, StartedAt: now},
		holder: s.Instance + "/" + randomToken(), lease: max(s.Lease, time.Second)}
	var holder string
	err := s.db.pool.QueryRow(ctx, `
		INSERT INTO sweep_leases (name, holder, expires_at)
		VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3::float8))
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		 WHERE sweep_leases.expires_at < clock_timestamp()
		RETURNING holder`, name, r.holder, r.lease.Seconds()).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		r.Skipped = true
		return r.SweepRun, nil
	}
	if err != nil {
		return nil, dbError("take the lease of sweep "+name, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_, _ = s.db.pool.Exec(rctx, "DELETE FROM sweep_leases WHERE name = $1 AND holder = $2", name, r.holder)
	}()
	if period > 0 {
		var last *time.Time
		if err := s.db.pool.QueryRow(ctx, `SELECT max(started_at) FROM sweep_runs WHERE sweep = $1`, name).Scan(&last); err != nil {
			return nil, dbError("read sweep runs", err)
		}
		if last != nil && now.Sub(*last) < period {
			r.Skipped = true
			return r.SweepRun, nil
		}
	}
	if err := s.db.pool.QueryRow(ctx, `
		INSERT INTO sweep_runs (sweep, instance, started_at) VALUES ($1, $2, $3) RETURNING id`,
		name, s.Instance, now).Scan(&r.ID); err != nil {
		return nil, dbError("record sweep run", err)
	}
	began := time.Now()
	runErr := body(s, ctx, r, now)
	r.FinishedAt = now.Add(time.Since(began)).Truncate(time.Microsecond)
	if runErr != nil {
		r.Error = runErr.Error()
		if len(r.Error) > sweepErrorLimit {
			r.Error = r.Error[:sweepErrorLimit]
		}
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := s.db.pool.Exec(rctx, `
		UPDATE sweep_runs SET finished_at = $2, checked = $3, changed = $4, error = $5 WHERE id = $1`,
		r.ID, r.FinishedAt, r.Checked, r.Changed, domain.AuditText(r.Error)); err != nil && runErr == nil {
		runErr = dbError("record sweep run", err)
	}
	return r.SweepRun, runErr
}

// renew extends the run's lease; ECONFLICT "sweep.lease_lost" when another
// instance has taken it over meanwhile, which stops the run.
func (s *Sweeper) renew(ctx context.Context, r *sweepRun) error {
	tag, err := s.db.pool.Exec(ctx, `
		UPDATE sweep_leases SET expires_at = clock_timestamp() + make_interval(secs => $3::float8)
		 WHERE name = $1 AND holder = $2`, r.Sweep, r.holder, r.lease.Seconds())
	if err != nil {
		return dbError("renew the sweep's lease", err)
	}
	if tag.RowsAffected() != 1 {
		return domain.Errorf(domain.ECONFLICT, "sweep.lease_lost", "another instance took the sweep over")
	}
	return nil
}

// inTxAt is inTx with the transaction's time fixed at now, the time the
// sweep runs as.
func (s *Sweeper) inTxAt(ctx context.Context, what string, now time.Time, fn func(tx *Tx) error) error {
	ptx, err := s.db.pool.Begin(ctx)
	if err != nil {
		return dbError(what, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = ptx.Rollback(rctx)
	}()
	if err := fn(&Tx{Tx: ptx, now: now, portalURL: s.db.PortalURL}); err != nil {
		return err
	}
	return dbError(what, ptx.Commit(ctx))
}

func randomToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// SweepRuns returns the latest limit runs (50 when zero, at most 500),
// newest first.
func (s *DenialService) SweepRuns(ctx context.Context, limit int) ([]*domain.SweepRun, error) {
	if _, err := loadCaller(ctx, s.db.pool, denialGuard, domain.RoleSecurity); err != nil {
		return nil, err
	}
	limit = domain.PageLimit(limit)
	rows, err := s.db.pool.Query(ctx, `
		SELECT id, sweep, instance, started_at, finished_at, checked, changed, error
		  FROM sweep_runs ORDER BY started_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, dbError("list sweep runs", err)
	}
	defer rows.Close()
	var out []*domain.SweepRun
	for rows.Next() {
		r := &domain.SweepRun{}
		var finished *time.Time
		if err := rows.Scan(&r.ID, &r.Sweep, &r.Instance, &r.StartedAt, &finished, &r.Checked, &r.Changed, &r.Error); err != nil {
			return nil, dbError("list sweep runs", err)
		}
		if finished != nil {
			r.FinishedAt = *finished
		}
		out = append(out, r)
	}
	return out, dbError("list sweep runs", rows.Err())
}

// Scheduler runs every sweep whose interval has passed since its last
// recorded run, by any instance. Any number of servers may run one: the
// leases make each sweep run on one of them at a time.
type Scheduler struct {
	Sweeper *Sweeper
	// Every is how often the scheduler looks. Default a minute.
	Every time.Duration
	// Intervals override SweepIntervals.
	Intervals map[string]time.Duration
	// Logger receives failures and the counts of runs that changed
	// something; nil discards them.
	Logger *slog.Logger

	dueHook func(name string) // tests: after the due check, before the lease
}

// NewScheduler returns a scheduler running sw's sweeps.
func NewScheduler(sw *Sweeper, logger *slog.Logger) *Scheduler {
	return &Scheduler{Sweeper: sw, Every: schedulerDefaultEvery, Logger: logger}
}

// Run tries the due sweeps at once and then every Every, until ctx is
// done.
func (sc *Scheduler) Run(ctx context.Context) {
	every := sc.Every
	if every <= 0 {
		every = schedulerDefaultEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		sc.RunDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunDue runs, once, each sweep whose interval has passed. A sweep found
// due is checked again under its lease, so that of several instances
// looking at once only one runs it in a period.
func (sc *Scheduler) RunDue(ctx context.Context) {
	db := sc.Sweeper.db
	for _, name := range SweepNames {
		if ctx.Err() != nil {
			return
		}
		interval := SweepIntervals[name]
		if d, ok := sc.Intervals[name]; ok {
			interval = d
		}
		now := db.now()
		var last *time.Time
		if err := db.pool.QueryRow(ctx, `SELECT max(started_at) FROM sweep_runs WHERE sweep = $1`, name).Scan(&last); err != nil {
			sc.log(slog.LevelWarn, "read sweep runs", "sweep", name, "err", err)
			continue
		}
		if last != nil && now.Sub(*last) < interval {
			continue
		}
		if sc.dueHook != nil {
			sc.dueHook(name)
		}
		r, err := sc.Sweeper.runSweep(ctx, name, now, interval)
		switch {
		case err != nil && ctx.Err() == nil:
			sc.log(slog.LevelWarn, "sweep failed", "sweep", name, "err", err)
		case err == nil && !r.Skipped && r.Changed > 0:
			sc.log(slog.LevelInfo, "sweep", "sweep", name, "checked", r.Checked, "changed", r.Changed)
		}
	}
}

func (sc *Scheduler) log(level slog.Level, msg string, args ...any) {
	if sc.Logger != nil {
		sc.Logger.Log(context.Background(), level, msg, args...)
	}
}
