package storage

import (
	"context"
	"time"

	"github.com/viaa/ppp/domain"
)

// Metrics is what an operations team watches in the database, read in one
// snapshot: counts and times only, never a name, an address or a code.
type Metrics struct {
	At              time.Time          // the database's time of the snapshot
	Queues          []domain.QueueTile // every queue of the dashboard, in its order
	LockedOperators int64              // operators whose password is locked now
	Outbox          OutboxMetrics      // the e-mail outbox
	Sweeps          []SweepMetrics     // one per SweepNames, in that order
	DeathCheck      DeathCheckMetrics  // ¶32.8
	Schema          SchemaMetrics      // migrations applied and expected
}

// OutboxMetrics is the outbox's backlog.
type OutboxMetrics struct {
	Pending  int64     // waiting for their first or next attempt
	Sending  int64     // claimed by a worker now
	Failed   int64     // given up on after every attempt
	Retrying int64     // pending after at least one failed attempt
	Oldest   time.Time // when the oldest undelivered (pending or sending) was queued; zero when none
}

// SweepMetrics is one sweep's last successful run.
type SweepMetrics struct {
	Sweep        string
	Interval     time.Duration // SweepIntervals
	LastSuccess  time.Time     // when its last run without error finished; zero when none
	LastDuration time.Duration // how long that run took
	LastFailed   bool          // its latest finished run recorded an error
}

// DeathCheckMetrics are the ¶32.8 counts of DeathCheckReport.
type DeathCheckMetrics struct {
	Overdue  int64 // living persons not checked within DeathCheckInterval
	NotFound int64 // the last attempt found no register record
	Stale    int64 // the last attempt found only stale register data
	NoCode   int64 // Platform users without a personal code, who cannot be checked
}

// SchemaMetrics compares the database's migrations with the binary's.
type SchemaMetrics struct {
	Applied int // the highest migration the database records; 0 when none
	Latest  int // the binary's highest migration
}

// ReadMetrics reads the figures of Metrics in one read-only snapshot. It
// is not an operator's call and checks no caller: the metrics endpoint
// calls it, at most once per its cache period (cmd/ppp/internal/observe).
// Every count is a range of an index except the death check's (one pass
// over living persons, as the report makes) and the failed mails. It
// returns EUNAVAILABLE when the database does not answer.
func (db *DB) ReadMetrics(ctx context.Context) (*Metrics, error) {
	m := &Metrics{Schema: SchemaMetrics{Latest: LatestMigration()}}
	err := db.readTx(ctx, "read metrics", func(tx *Tx) error {
		if err := tx.QueryRow(ctx, `SELECT now(), (SELECT count(*) FROM operators WHERE locked_until > now() AND NOT disabled)`).
			Scan(&m.At, &m.LockedOperators); err != nil {
			return dbError("count locked operators", err)
		}
		m.At = m.At.UTC()
		for _, q := range queueSources {
			tile := domain.QueueTile{Queue: q.Queue, Role: q.Role}
			var oldest *time.Time
			if err := tx.QueryRow(ctx, q.SQL).Scan(&tile.Count, &oldest); err != nil {
				return dbError("read queue "+q.Queue, err)
			}
			if oldest != nil {
				tile.Oldest = oldest.UTC()
			}
			m.Queues = append(m.Queues, tile)
		}
		var oldest *time.Time
		if err := tx.QueryRow(ctx, `
			SELECT count(*) FILTER (WHERE state = 'pending'),
			       count(*) FILTER (WHERE state = 'sending'),
			       count(*) FILTER (WHERE state = 'pending' AND attempts > 0),
			       min(created_at),
			       (SELECT count(*) FROM outbox WHERE state = 'failed')
			  FROM outbox WHERE state IN ('pending', 'sending')`).
			Scan(&m.Outbox.Pending, &m.Outbox.Sending, &m.Outbox.Retrying, &oldest, &m.Outbox.Failed); err != nil {
			return dbError("count the outbox", err)
		}
		if oldest != nil {
			m.Outbox.Oldest = oldest.UTC()
		}
		// The newest finished run of each sweep, and the newest that
		// succeeded: each a step down sweep_runs_sweep_idx.
		rows, err := tx.Query(ctx, `
			SELECT n.sweep, ok.finished_at, ok.started_at, coalesce(last.error <> '', false)
			  FROM unnest($1::text[]) AS n(sweep)
			  LEFT JOIN LATERAL (
			       SELECT started_at, finished_at FROM sweep_runs
			        WHERE sweep = n.sweep AND finished_at IS NOT NULL AND error = ''
			        ORDER BY started_at DESC LIMIT 1) ok ON true
			  LEFT JOIN LATERAL (
			       SELECT error FROM sweep_runs
			        WHERE sweep = n.sweep AND finished_at IS NOT NULL
			        ORDER BY started_at DESC LIMIT 1) last ON true`, SweepNames)
		if err != nil {
			return dbError("read sweep runs", err)
		}
		defer rows.Close()
		for rows.Next() {
			var s SweepMetrics
			var finished, started *time.Time
			if err := rows.Scan(&s.Sweep, &finished, &started, &s.LastFailed); err != nil {
				return dbError("read sweep runs", err)
			}
			s.Interval = SweepIntervals[s.Sweep]
			if finished != nil && started != nil {
				s.LastSuccess, s.LastDuration = finished.UTC(), finished.Sub(*started)
			}
			m.Sweeps = append(m.Sweeps, s)
		}
		if err := rows.Err(); err != nil {
			return dbError("read sweep runs", err)
		}
		var rep domain.DeathCheckReport
		if err := countDeathChecks(ctx, tx, m.At, &rep); err != nil {
			return err
		}
		m.DeathCheck = DeathCheckMetrics{Overdue: rep.Overdue, NotFound: rep.NotFound, Stale: rep.Stale, NoCode: rep.NoCode}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&m.Schema.Applied); err != nil {
			return dbError("read the schema version", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// LatestMigration returns the number of the binary's newest migration,
// the schema version it expects; 0 if the embedded migrations are
// malformed (which their own test catches).
func LatestMigration() int {
	ms, err := loadMigrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion returns the highest migration the database records, 0 for
// a database never migrated. It returns EUNAVAILABLE when the database
// does not answer.
func SchemaVersion(ctx context.Context, db *DB) (int, error) {
	var has bool
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&has); err != nil {
		return 0, dbError("read the schema version", err)
	}
	if !has {
		return 0, nil
	}
	var v int
	if err := db.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, dbError("read the schema version", err)
	}
	return v, nil
}
