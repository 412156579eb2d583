// Package pgtest gives each test a database of its own on a real
// PostgreSQL server.
//
// The server is PPP_TEST_DATABASE_URL when that is set (any database on
// it, as a superuser: the helper creates and drops its own databases and
// creates the test roles), otherwise the private cluster in
// $TMPDIR/ppp-test-cluster, started on first use and left running for the
// next test run. The schema is migrated once per server into a template
// database named after the schema's hash; each test then gets a copy of it
// (CREATE DATABASE … TEMPLATE, which takes milliseconds), dropped when the
// test ends.
//
// Every test database has the three roles of issue 15 (Roles: created
// once per server, since roles are the server's; the template's objects
// are owned by and granted to them, and the copies keep that, so only the
// database's own grants are made per test). NewDB and URL connect as the
// application role, as `ppp serve` does, so a test of anything the program
// does proves that the application's grants cover it; AdminURL, OwnerURL
// and ReportURL reach the same database as the other roles. The roles'
// passwords are generated and kept in a password file: the one the
// server's URL names (passfile=…, as `ppp db start` prints), or one of
// pgtest's own in $TMPDIR.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgcluster"
	"github.com/viaa/ppp/storage/pgpass"
)

// Roles are the roles of every test database.
var Roles = storage.RolesFor("ppp_test")

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

	// dbs remembers the database of each test, so that NewDB and the
	// URLs called by one test name the same database.
	dbsMu sync.Mutex
	dbs   = map[testing.TB]string{}
)

// NewDB returns a connection pool, as the application role, to a fresh,
// migrated database of the test's own, closed and dropped when the test
// ends. Calling it again in the same test opens another pool to the same
// database.
func NewDB(t testing.TB) *storage.DB {
	t.Helper()
	return open(t, URL(t))
}

// NewAdminDB is NewDB as the server's superuser: for tests that change
// the database as a database administrator could (statistics, switching
// triggers off, tampering).
func NewAdminDB(t testing.TB) *storage.DB {
	t.Helper()
	return open(t, AdminURL(t))
}

// URL returns the connection URL, as the application role, of the test's
// own migrated database, creating it on first use (see NewDB); for tests
// that need to connect by themselves, such as the change feed or the
// built binary.
func URL(t testing.TB) string {
	t.Helper()
	return roleURL(t, Roles.App, database(t))
}

// AdminURL is URL as the server's superuser.
func AdminURL(t testing.TB) string {
	t.Helper()
	return storage.WithDatabase(ServerURL(t), database(t))
}

// OwnerURL is URL as the owner role.
func OwnerURL(t testing.TB) string {
	t.Helper()
	return roleURL(t, Roles.Owner, database(t))
}

// ReportURL is URL as the reporting role.
func ReportURL(t testing.TB) string {
	t.Helper()
	return roleURL(t, Roles.Report, database(t))
}

// database returns the name of the test's own migrated database,
// creating it on first use.
func database(t testing.TB) string {
	t.Helper()
	dbsMu.Lock()
	name, ok := dbs[t]
	dbsMu.Unlock()
	if ok {
		return name
	}
	name = createDatabase(t, template(t))
	dbsMu.Lock()
	dbs[t] = name
	dbsMu.Unlock()
	t.Cleanup(func() {
		dbsMu.Lock()
		delete(dbs, t)
		dbsMu.Unlock()
	})
	return name
}

// NewEmptyDB returns a connection pool, as the server's superuser, to a
// fresh database without any schema, for tests of the migrations
// themselves. It is dropped when the test ends.
func NewEmptyDB(t testing.TB) *storage.DB {
	t.Helper()
	template(t) // the roles exist
	return open(t, storage.WithDatabase(ServerURL(t), createDatabase(t, "template0")))
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

	if err := createRoles(ctx, base); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}

	building := name + "_build"
	ident := pgx.Identifier{building}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return "", fmt.Errorf("drop an unfinished template: %w", err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident+" TEMPLATE template0 ENCODING 'UTF8' OWNER "+pgx.Identifier{Roles.Owner}.Sanitize()); err != nil {
		return "", fmt.Errorf("create the template: %w", err)
	}
	db, err := storage.Open(ctx, storage.WithDatabase(base, building))
	if err != nil {
		return "", fmt.Errorf("open the template: %w", err)
	}
	err = storage.MigrateWithRoles(ctx, db, Roles)
	db.Close()
	if err != nil {
		return "", fmt.Errorf("migrate the template: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident+" RENAME TO "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("name the template: %w", err)
	}
	return name, nil
}

// createRoles creates the test roles the server lacks and gives each the
// password the password file holds (generating it the first time). It
// runs once per test process, under the template lock: setting a role's
// password to the one it has already changes nothing for the others.
func createRoles(ctx context.Context, base string) error {
	file := passFile(base)
	passwords := map[string]string{}
	for _, role := range []string{Roles.Owner, Roles.App, Roles.Report} {
		pw, _, err := pgpass.Ensure(file, role)
		if err != nil {
			return fmt.Errorf("the test roles' passwords: %w", err)
		}
		passwords[role] = pw
	}
	db, err := storage.Open(ctx, base)
	if err != nil {
		return fmt.Errorf("create the test roles: %w", err)
	}
	defer db.Close()
	if err := storage.CreateRoles(ctx, db, Roles, passwords); err != nil {
		return fmt.Errorf("create the test roles (%s must be a superuser's): %w", EnvURL, err)
	}
	return nil
}

// passFile is where the test roles' passwords are kept: the password file
// the server's URL names, or one of pgtest's own for the server.
func passFile(base string) string {
	if f := urlParam(base, "passfile"); f != "" {
		return f
	}
	cfg, err := pgx.ParseConfig(base)
	key := base
	if err == nil {
		key = fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
	}
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(os.TempDir(), "ppp-test-"+hex.EncodeToString(sum[:6])+".pgpass")
}

// roleURL returns the URL of database db on the test server as role,
// with the test roles' password file instead of the server URL's
// credentials.
func roleURL(t testing.TB, role, db string) string {
	t.Helper()
	base := ServerURL(t)
	file := passFile(base)
	u := storage.WithDatabase(base, db)
	if strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		if parsed, err := neturl.Parse(u); err == nil {
			parsed.User = neturl.User(role)
			q := parsed.Query()
			q.Del("user")
			q.Del("password")
			q.Set("passfile", file)
			parsed.RawQuery = q.Encode()
			return parsed.String()
		}
	}
	return u + " user=" + role + " password='' passfile='" + strings.ReplaceAll(file, "'", `\'`) + "'"
}

// urlParam returns the value of a connection parameter given as a URL
// query parameter or as key=value (unquoted), or "".
func urlParam(u, key string) string {
	if strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		if parsed, err := neturl.Parse(u); err == nil {
			return parsed.Query().Get(key)
		}
		return ""
	}
	for _, f := range strings.Fields(u) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return strings.Trim(v, "'")
		}
	}
	return ""
}

// createDatabase creates a database copied from tmpl, owned by the owner
// role and granted to the test roles, drops it when the test ends, and
// returns its name.
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
	sql := "CREATE DATABASE " + ident + " TEMPLATE " + pgx.Identifier{tmpl}.Sanitize() + " ENCODING 'UTF8' OWNER " + pgx.Identifier{Roles.Owner}.Sanitize()
	// PostgreSQL 15 copies a template page by page through the WAL by
	// default; copying its files is about twice as quick for a template
	// this small (11 MB: 200 → 115 ms), and each test pays it.
	var version int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err == nil && version >= 150000 {
		sql += " STRATEGY FILE_COPY"
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: create test database: %v", err)
	}
	// A copy keeps the template's objects and their grants, but not the
	// database's own.
	if err := storage.GrantDatabase(ctx, conn, name, Roles); err != nil {
		t.Fatalf("pgtest: grant test database: %v", err)
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
	return name
}
