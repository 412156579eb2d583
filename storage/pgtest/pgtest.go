// Package pgtest gives each test a database of its own on a real
// PostgreSQL server.
//
// The server is PPP_TEST_DATABASE_URL when that is set (any database on
// it: the helper creates and drops its own), otherwise the private cluster
// in $TMPDIR/ppp-test-cluster, started on first use and left running for
// the next test run. The schema is migrated once per server into a
// template database named after the migrations' hash; each test then gets
// a copy of it (CREATE DATABASE … TEMPLATE, which takes milliseconds),
// dropped when the test ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgcluster"
)

// EnvURL names the environment variable with the test server's URL.
const EnvURL = "PPP_TEST_DATABASE_URL"

// templateLockKey is 'ppp_test' as a big-endian integer: the advisory lock
// under which test processes build the template database one at a time.
const templateLockKey int64 = 8102099284916532084

// setupTimeout bounds starting the server and building the template.
const setupTimeout = 3 * time.Minute

// The server and the template are shared by every test of the process.
var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error

	templateOnce sync.Once
	templateName string
	templateErr  error

	// urls remembers the database of each test, so that NewDB and URL
	// called by one test name the same database.
	urlsMu sync.Mutex
	urls   = map[testing.TB]string{}
)

// NewDB returns a connection pool to a fresh, migrated database of the
// test's own, closed and dropped when the test ends. Calling it again in
// the same test opens another pool to the same database.
func NewDB(t testing.TB) *storage.DB {
	t.Helper()
	return open(t, URL(t))
}

// URL returns the connection URL of the test's own migrated database,
// creating it on first use (see NewDB); for tests that need to connect by
// themselves, such as the change feed or the built binary.
func URL(t testing.TB) string {
	t.Helper()
	urlsMu.Lock()
	u, ok := urls[t]
	urlsMu.Unlock()
	if ok {
		return u
	}
	u = createDatabase(t, template(t))
	urlsMu.Lock()
	urls[t] = u
	urlsMu.Unlock()
	t.Cleanup(func() {
		urlsMu.Lock()
		delete(urls, t)
		urlsMu.Unlock()
	})
	return u
}

// NewEmptyDB returns a connection pool to a fresh database without any
// schema, for tests of the migrations themselves. It is dropped when the
// test ends.
func NewEmptyDB(t testing.TB) *storage.DB {
	t.Helper()
	return open(t, createDatabase(t, "template0"))
}

// ServerURL returns the URL of the test server's maintenance database, for
// tests that act on the server as a whole (ending another connection, for
// example).
func ServerURL(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() { serverURL, serverErr = startServer() })
	if serverErr != nil {
		t.Fatalf("pgtest: %v", serverErr)
	}
	return serverURL
}

// open opens a pool to u and closes it when the test ends.
func open(t testing.TB, u string) *storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	db, err := storage.Open(ctx, u)
	if err != nil {
		t.Fatalf("pgtest: open test database: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// startServer returns the URL of the server tests run on.
func startServer() (string, error) {
	if u := os.Getenv(EnvURL); u != "" {
		return u, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	dir := filepath.Join(os.TempDir(), "ppp-test-cluster")
	// Test data may be lost in a crash: skip the fsyncs.
	c, err := pgcluster.Ensure(ctx, pgcluster.Config{DataDir: dir, Ephemeral: true})
	if err != nil {
		return "", fmt.Errorf("start the test cluster in %s (or set %s): %w", dir, EnvURL, err)
	}
	// Left running: the next test process, and the next run, use it too.
	return c.AdminURL(), nil
}

// template returns the name of the migrated template database, building
// it on first use.
func template(t testing.TB) string {
	t.Helper()
	base := ServerURL(t)
	templateOnce.Do(func() { templateName, templateErr = buildTemplate(base) })
	if templateErr != nil {
		t.Fatalf("pgtest: %v", templateErr)
	}
	return templateName
}

// buildTemplate makes sure the server has a template database with the
// current migrations applied. Test processes running at once take turns
// on an advisory lock; the template appears under its final name only when
// complete, so a process that died half-way leaves nothing usable behind.
func buildTemplate(base string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	name := "ppp_template_" + storage.SchemaHash()[:16]

	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", fmt.Errorf("connect to the test server: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return "", fmt.Errorf("lock the template: %w", err)
	}
	// Closing the connection releases the lock too.
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", templateLockKey)

	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("look for the template: %w", err)
	}
	if exists {
		return name, nil
	}

	building := name + "_build"
	ident := pgx.Identifier{building}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return "", fmt.Errorf("drop an unfinished template: %w", err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		return "", fmt.Errorf("create the template: %w", err)
	}
	db, err := storage.Open(ctx, storage.WithDatabase(base, building))
	if err != nil {
		return "", fmt.Errorf("open the template: %w", err)
	}
	err = storage.Migrate(ctx, db)
	db.Close()
	if err != nil {
		return "", fmt.Errorf("migrate the template: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident+" RENAME TO "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("name the template: %w", err)
	}
	return name, nil
}

// createDatabase creates a database copied from tmpl, drops it when the
// test ends, and returns its URL.
func createDatabase(t testing.TB, tmpl string) string {
	t.Helper()
	base := ServerURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "ppp_test_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{name}.Sanitize()

	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: connect to the test server: %v", err)
	}
	defer conn.Close(context.Background())
	sql := "CREATE DATABASE " + ident + " TEMPLATE " + pgx.Identifier{tmpl}.Sanitize() + " ENCODING 'UTF8'"
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("pgtest: drop test database %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop test database %s: %v", name, err)
		}
	})
	return storage.WithDatabase(base, name)
}
