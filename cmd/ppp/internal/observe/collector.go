package observe

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// collector exports the figures read at scrape time: the cached database
// snapshot, the change feed, the pool and the open sessions.
type collector Observer

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

var (
	descBuild          = desc("ppp_build_info", "The running binary: always 1, its version, VCS revision and Go version as labels.", "version", "revision", "go")
	descSessions       = desc("ppp_sessions_open", "SSH sessions open on this instance.")
	descDBUp           = desc("ppp_metrics_db_up", "1 when the last read of the database's figures succeeded; 0 when it failed and the database's series below are missing.")
	descDBReadAt       = desc("ppp_metrics_db_read_timestamp_seconds", "When the database's figures exported were read (they are cached for the cache period).")
	descLocked         = desc("ppp_operators_locked", "Enabled operators whose password is locked after failed attempts.")
	descQueueDepth     = desc("ppp_queue_depth", "Items waiting in a queue.", "queue")
	descQueueOldest    = desc("ppp_queue_oldest_age_seconds", "Age of the oldest item waiting in a queue; 0 when it is empty.", "queue")
	descOutbox         = desc("ppp_outbox_messages", "E-mails in the outbox by state: pending (waiting for an attempt), sending (claimed by a worker), failed (given up after every attempt).", "state")
	descOutboxRetrying = desc("ppp_outbox_retrying_messages", "Pending e-mails whose earlier attempts failed.")
	descOutboxOldest   = desc("ppp_outbox_oldest_undelivered_age_seconds", "Age of the oldest e-mail not yet delivered (pending or sending); 0 when none.")
	descSweepLast      = desc("ppp_sweep_last_success_timestamp_seconds", "When a sweep's last run without error finished (any instance); 0 when it never has.", "sweep")
	descSweepDuration  = desc("ppp_sweep_last_success_duration_seconds", "How long a sweep's last run without error took.", "sweep")
	descSweepInterval  = desc("ppp_sweep_interval_seconds", "How often the scheduler runs a sweep.", "sweep")
	descSweepFailed    = desc("ppp_sweep_last_run_failed", "1 when a sweep's latest finished run recorded an error.", "sweep")
	descDeathOverdue   = desc("ppp_death_check_overdue", "Living persons whose death check (¶32.8) is older than its interval.")
	descDeathUnchecked = desc("ppp_death_check_unchecked", "Living persons whose last death-check attempt did not complete, by reason: not_found (no register record), stale (register data too old), no_code (Platform users without a personal code).", "reason")
	descSchema         = desc("ppp_schema_migration", "Schema version: the highest migration applied in the database (applied) and the one the binary expects (expected).", "which")
	descFeedUp         = desc("ppp_feed_connected", "1 when the change feed's LISTEN connection is up.")
	descFeedReconnects = desc("ppp_feed_reconnects_total", "Times the change feed connected again after losing its connection.")
	descPoolConns      = desc("ppp_db_pool_connections", "Connections of this instance's pool by state: acquired (in use), idle, constructing.", "state")
	descPoolMax        = desc("ppp_db_pool_max_connections", "The pool's maximum size.")
	descPoolAcquires   = desc("ppp_db_pool_acquires_total", "Connections acquired from the pool.")
	descPoolWaits      = desc("ppp_db_pool_acquire_waits_total", "Acquisitions that had to wait for a connection (the pool was fully used).")
	descPoolWaitSecs   = desc("ppp_db_pool_acquire_seconds_total", "Time spent acquiring connections, waits included.")
)

// Describe sends every descriptor.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descBuild, descSessions, descDBUp, descDBReadAt, descLocked, descQueueDepth,
		descQueueOldest, descOutbox, descOutboxRetrying, descOutboxOldest, descSweepLast, descSweepDuration,
		descSweepInterval, descSweepFailed, descDeathOverdue, descDeathUnchecked, descSchema, descFeedUp,
		descFeedReconnects, descPoolConns, descPoolMax, descPoolAcquires, descPoolWaits, descPoolWaitSecs} {
		ch <- d
	}
}

// Collect sends the current figures; the database's from the cache.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	o := (*Observer)(c)
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	b := o.opts.Build
	gauge(descBuild, 1, b["version"], b["revision"], b["go"])
	if f := o.sessions.Load(); f != nil {
		gauge(descSessions, float64((*f)()))
	}
	if f := o.opts.Feed; f != nil {
		gauge(descFeedUp, boolValue(f.Connected()))
		counter(descFeedReconnects, float64(f.Reconnects()))
	}
	if o.opts.Pool != nil {
		st := o.opts.Pool()
		gauge(descPoolConns, float64(st.AcquiredConns()), "acquired")
		gauge(descPoolConns, float64(st.IdleConns()), "idle")
		gauge(descPoolConns, float64(st.ConstructingConns()), "constructing")
		gauge(descPoolMax, float64(st.MaxConns()))
		counter(descPoolAcquires, float64(st.AcquireCount()))
		counter(descPoolWaits, float64(st.EmptyAcquireCount()))
		counter(descPoolWaitSecs, st.AcquireDuration().Seconds())
	}

	m, err := o.snapshot()
	if err != nil {
		gauge(descDBUp, 0)
		return
	}
	gauge(descDBUp, 1)
	gauge(descDBReadAt, float64(m.At.UnixMilli())/1000)
	now := time.Now()
	age := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return max(now.Sub(t).Seconds(), 0)
	}
	gauge(descLocked, float64(m.LockedOperators))
	for _, q := range m.Queues {
		gauge(descQueueDepth, float64(q.Count), q.Queue)
		gauge(descQueueOldest, age(q.Oldest), q.Queue)
	}
	gauge(descOutbox, float64(m.Outbox.Pending), "pending")
	gauge(descOutbox, float64(m.Outbox.Sending), "sending")
	gauge(descOutbox, float64(m.Outbox.Failed), "failed")
	gauge(descOutboxRetrying, float64(m.Outbox.Retrying))
	gauge(descOutboxOldest, age(m.Outbox.Oldest))
	for _, s := range m.Sweeps {
		last := 0.0
		if !s.LastSuccess.IsZero() {
			last = float64(s.LastSuccess.UnixMilli()) / 1000
		}
		gauge(descSweepLast, last, s.Sweep)
		gauge(descSweepDuration, s.LastDuration.Seconds(), s.Sweep)
		gauge(descSweepInterval, s.Interval.Seconds(), s.Sweep)
		gauge(descSweepFailed, boolValue(s.LastFailed), s.Sweep)
	}
	gauge(descDeathOverdue, float64(m.DeathCheck.Overdue))
	gauge(descDeathUnchecked, float64(m.DeathCheck.NotFound), "not_found")
	gauge(descDeathUnchecked, float64(m.DeathCheck.Stale), "stale")
	gauge(descDeathUnchecked, float64(m.DeathCheck.NoCode), "no_code")
	gauge(descSchema, float64(m.Schema.Applied), "applied")
	gauge(descSchema, float64(m.Schema.Latest), "expected")
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
