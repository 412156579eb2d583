// Package storage implements the domain services on PostgreSQL with pgx.
//
// One DB (one connection pool) serves a whole process. Exported methods
// that change something open a transaction through DB.inTx; the unexported
// helpers they call take that transaction, so that a change and its audit
// entry commit or roll back together. Single-statement reads go to the pool
// directly. Every query runs under the caller's context, so a closed SSH
// session cancels its queries.
package storage

import (
	"context"
	"fmt"
	neturl "net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/viaa/ppp/domain"
)

// applicationName is what pg_stat_activity shows for the pool's
// connections.
const applicationName = "ppp"

// maxConns bounds the pool unless the URL's pool_max_conns says
// otherwise. Sessions spend most of their time reading the screen, so a
// few connections serve many of them.
const maxConns = 20

// poolSettings returns which pool_* settings url (a URL or a key=value
// string) names. pgxpool.ParseConfig reads and removes them, leaving no
// trace of whether they were given; pgconn keeps them as run-time
// parameters. A url that does not parse names none (Open has refused it
// already).
func poolSettings(url string) map[string]bool {
	said := map[string]bool{}
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return said
	}
	for k := range cfg.RuntimeParams {
		if strings.HasPrefix(k, "pool_") {
			said[k] = true
		}
	}
	return said
}

// DB is the process's connection pool to the Platform's database.
type DB struct {
	pool *pgxpool.Pool
	url  string

	// Now returns the current time. It is read once per transaction, so
	// every row a transaction writes carries the same time; tests replace
	// it to move the clock.
	Now func() time.Time

	// AlertThresholds are the misuse alerts' limits per operator per hour
	// (issue 9), shared by every service that counts a look-up: opening a
	// record and searching by personal code feed the same count. Open sets
	// the defaults; set it before the services run.
	AlertThresholds domain.AlertThresholds

	// PortalURL is the portal's address that every link in a mail starts
	// with (PPP_PORTAL_URL); Open sets domain.DefaultPortalURL. Set it
	// before the services run.
	PortalURL string

	// OnAudited, when set, is told the action of every audit entry a
	// transaction of this process committed (metrics count claims and
	// decisions by it); it must be quick and never block. Set it before
	// the services run.
	OnAudited func(action string)
}

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string) and checks that it answers. The URL's pool settings
// (pool_max_conns, pool_max_conn_idle_time, pool_health_check_period)
// size the pool; without them it holds up to 20 connections. It returns EINVALID for a
// malformed url and EUNAVAILABLE when the server cannot be reached.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgconn redacts the password from its message.
		return nil, &domain.Error{Code: domain.EINVALID, Key: "db.bad_url", Message: "open database: " + err.Error()}
	}
	// The pool settings a URL carries are the operator's to choose
	// (pgxpool has read them); these are the defaults for a URL that
	// says nothing.
	said := poolSettings(url)
	if !said["pool_max_conns"] {
		cfg.MaxConns = maxConns
	}
	if !said["pool_max_conn_idle_time"] {
		cfg.MaxConnIdleTime = 5 * time.Minute
	}
	if !said["pool_health_check_period"] {
		cfg.HealthCheckPeriod = 15 * time.Second
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = applicationName
	}
	followPrimary(&cfg.ConnConfig.Config, url)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, dbError("open database", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, dbError("open database", err)
	}
	return &DB{pool: pool, url: url, Now: time.Now, AlertThresholds: domain.DefaultAlertThresholds(), PortalURL: domain.DefaultPortalURL}, nil
}

// Close closes every connection of the pool, waiting for those in use to
// be returned.
func (db *DB) Close() { db.pool.Close() }

// Pool returns the connection pool, for the few callers (tests, the
// command line's health check) that need plain SQL.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// URL returns the connection string the DB was opened with. It may carry a
// password: never log it.
func (db *DB) URL() string { return db.url }

// now returns the current time as PostgreSQL stores it: UTC, to the
// microsecond, so that a value read back equals the value written.
func (db *DB) now() time.Time {
	return db.Now().UTC().Truncate(time.Microsecond)
}

// Tx is a transaction with its time fixed at the start.
type Tx struct {
	pgx.Tx
	now time.Time
	// portalURL is the DB's PortalURL, for the links of mails the
	// transaction queues.
	portalURL string
	// audited lists the actions of the audit entries written, for
	// DB.OnAudited once the transaction has committed.
	audited []string
}

// inTx runs fn in a read-committed transaction and commits when fn returns
// nil; otherwise, or when fn panics, it rolls back. Errors from fn are
// returned as they are; errors of BEGIN and COMMIT are mapped by dbError.
func (db *DB) inTx(ctx context.Context, what string, fn func(tx *Tx) error) error {
	return db.runTx(ctx, what, pgx.TxOptions{}, fn)
}

// readTx runs fn in a read-only transaction whose statements all see one
// snapshot of the database.
func (db *DB) readTx(ctx context.Context, what string, fn func(tx *Tx) error) error {
	return db.runTx(ctx, what, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

func (db *DB) runTx(ctx context.Context, what string, opts pgx.TxOptions, fn func(tx *Tx) error) error {
	// An idempotent API call (idempotency.go) runs every transaction of
	// the methods it calls in one of its own, which it commits with the
	// response.
	if j := joinedTx(ctx, db); j != nil {
		tx, err := j.get(ctx, what)
		if err != nil {
			return err
		}
		return fn(tx)
	}
	ptx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return dbError(what, err)
	}
	// Rolling back after Commit does nothing. It runs even when ctx is
	// done, but not for ever: a connection that cannot roll back is
	// closed by pgx, and the server aborts the transaction with it.
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = ptx.Rollback(rctx)
	}()
	tx := &Tx{Tx: ptx, now: db.now(), portalURL: db.PortalURL}
	if err := fn(tx); err != nil {
		return err
	}
	if err := ptx.Commit(ctx); err != nil {
		return dbError(what, err)
	}
	db.audited(tx.audited...)
	return nil
}

// audited tells OnAudited of committed audit entries' actions.
func (db *DB) audited(actions ...string) {
	if db.OnAudited == nil {
		return
	}
	for _, a := range actions {
		db.OnAudited(a)
	}
}

// errorf wraps err with what was being done, keeping the chain intact.
func errorf(what string, err error) error {
	return fmt.Errorf("%s: %w", what, err)
}

// WithDatabase returns the connection string url with its database
// replaced by name, for postgres:// URLs and key=value strings alike: how
// the test helpers and `ppp bench` reach other databases on the same
// server.
func WithDatabase(url, name string) string {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		if u, err := neturl.Parse(url); err == nil {
			u.Path, u.RawPath = "/"+name, ""
			q := u.Query()
			if q.Has("dbname") {
				q.Set("dbname", name)
				u.RawQuery = q.Encode()
			}
			return u.String()
		}
	}
	return url + " dbname=" + name
}
