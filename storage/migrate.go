package storage

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
)

// migrationFiles holds the schema, one numbered file per step:
// migrations/0001_operators.sql, 0002_… Files are never edited once
// released; a change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLockKey is 'ppp_migr' as a big-endian integer: the session-level
// advisory lock that lets one server at a time migrate.
const migrateLockKey int64 = 8102099284799350642

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// migration is one embedded schema step.
type migration struct {
	version int
	name    string // the file name
	sql     string
}

// loadMigrations returns the embedded migrations by version. A file that
// is not named NNNN_name.sql, or two files with one version, is a
// programming error reported as EINTERNAL.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, domain.Errorf(domain.EINTERNAL, "", "migration file %q is not named NNNN_name.sql", e.Name())
		}
		version, _ := strconv.Atoi(m[1])
		body, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: version, name: e.Name(), sql: string(body)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, domain.Errorf(domain.EINTERNAL, "", "migrations %s and %s share a version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// SchemaHash returns a hex SHA-256 of every embedded migration's name and
// text: two binaries with the same hash expect the same schema. Tests name
// their template database after it.
func SchemaHash() string {
	ms, err := loadMigrations()
	if err != nil {
		return "invalid"
	}
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", m.name, len(m.sql), m.sql)
	}
	// The roles' grants are part of the schema (storage/roles.go).
	fmt.Fprintf(h, "grants\x00%s", grantsText())
	return hex.EncodeToString(h.Sum(nil))
}

// Migrate brings the database's schema up to date: it applies, in order,
// each embedded migration that schema_migrations does not list yet, each
// in its own transaction together with its schema_migrations row. Several
// processes may call it at once: they take turns on a session-level
// advisory lock held on one connection of their own, and the later ones
// find nothing left to do. A database that records its roles (db_roles,
// see MigrateWithRoles) is migrated as its owner, and its roles granted
// again when the schema changed; one that records none is migrated as the
// role connected, which then owns what it creates (single-role). A call
// that finds nothing to do needs no privilege but reading, so the
// application's role may make it. It returns EUNAVAILABLE when the
// database cannot be reached, EFORBIDDEN (db.cannot_migrate) when there
// is something to do and the connected role may not act as the owner, and
// EINTERNAL when a migration fails or the database records a migration
// under a different name than the binary has.
func Migrate(ctx context.Context, db *DB) error {
	return migrate(ctx, db, math.MaxInt, nil)
}

// MigrateWithRoles is Migrate for a database with the three roles r
// (issue 15): connected as a superuser, as r.Owner or as a member of it,
// it makes r.Owner own every object (a superuser first hands it what
// another role owns, the database included), migrates as r.Owner, grants
// each role its privileges and records r in db_roles. The roles must
// exist (CreateRoles). Besides Migrate's errors it returns EINVALID for
// bad or missing roles (db.bad_role_name, db.role_missing) and EFORBIDDEN
// (db.public_create) when the application or reporting role could create
// objects in schema public and the owner cannot take that away.
func MigrateWithRoles(ctx context.Context, db *DB, r Roles) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return migrate(ctx, db, math.MaxInt, &r)
}

// NeedsMigration reports whether Migrate (or MigrateWithRoles with roles,
// when not nil) has anything to do: a migration to apply, or grants to
// make. It needs no privilege but reading, so the application's role can
// ask before anyone opens the owner's connection. It returns EUNAVAILABLE
// when the database cannot be reached.
func NeedsMigration(ctx context.Context, db *DB, roles *Roles) (bool, error) {
	ms, err := loadMigrations()
	if err != nil {
		return false, err
	}
	current, err := schemaCurrent(ctx, db.pool, ms, roles)
	if err != nil {
		return false, dbError("check the database schema", err)
	}
	return !current, nil
}

// schemaCurrent reports whether every migration of ms is applied and,
// for a database with roles (given, or recorded), whether its grants are
// those of this program for these roles.
func schemaCurrent(ctx context.Context, q execer, ms []migration, roles *Roles) (bool, error) {
	var has bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&has); err != nil || !has {
		return false, err
	}
	var versions []int32
	if err := q.QueryRow(ctx, `SELECT coalesce(array_agg(version), '{}') FROM schema_migrations`).Scan(&versions); err != nil {
		return false, err
	}
	applied := map[int]bool{}
	for _, v := range versions {
		applied[int(v)] = true
	}
	for _, m := range ms {
		if !applied[m.version] {
			return false, nil
		}
	}
	recorded, granted, err := recordedRoles(ctx, q)
	if err != nil {
		return false, err
	}
	switch {
	case roles == nil && recorded == nil:
		return true, nil
	case recorded == nil, roles != nil && *roles != *recorded:
		return false, nil
	}
	return granted == SchemaHash(), nil
}

// migrateUpTo is Migrate applying only the migrations up to version last,
// for tests of a migration's handling of the rows before it.
func migrateUpTo(ctx context.Context, db *DB, last int) error {
	return migrate(ctx, db, last, nil)
}

func migrate(ctx context.Context, db *DB, last int, roles *Roles) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	// Most starts find nothing to do: they need no lock, and no privilege
	// beyond reading.
	if last == math.MaxInt {
		if current, err := schemaCurrent(ctx, db.pool, ms, roles); err == nil && current {
			return nil
		}
	}
	pc, err := db.pool.Acquire(ctx)
	if err != nil {
		return dbError("migrate: connect", err)
	}
	// The lock belongs to the session, so the connection must not go back
	// to the pool while it may hold it: take it out of the pool, and close
	// it when done, which releases the lock whatever happened before.
	conn := pc.Hijack()
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()

	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
		return dbError("migrate: wait for the migration lock", err)
	}
	recorded, granted, err := recordedRoles(ctx, conn)
	if err != nil {
		return dbError("migrate: read the database roles", err)
	}
	if roles == nil {
		// A database with roles stays one: whoever migrates it does so
		// as its owner.
		roles = recorded
	}
	if roles != nil {
		if current, err := schemaCurrent(ctx, conn, ms, roles); err == nil && current && last == math.MaxInt {
			return nil // done by another process meanwhile
		}
		if err := actAsOwner(ctx, conn, *roles); err != nil {
			return err
		}
	}
	if _, err := conn.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS schema_migrations (
		    version    integer     PRIMARY KEY,
		    name       text        NOT NULL,
		    applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
		return dbError("migrate: create schema_migrations", err)
	}

	applied, err := appliedMigrations(ctx, conn)
	if err != nil {
		return err
	}
	changed := false
	for _, m := range ms {
		if m.version > last {
			break
		}
		if name, ok := applied[m.version]; ok {
			if name != m.name {
				return domain.Errorf(domain.EINTERNAL, "", "migrate: the database has migration %d as %s, this program has %s", m.version, name, m.name)
			}
			continue
		}
		if err := applyMigration(ctx, conn, m); err != nil {
			return err
		}
		changed = true
	}
	if roles != nil {
		var hasRolesTable bool
		if err := conn.QueryRow(ctx, `SELECT to_regclass('db_roles') IS NOT NULL`).Scan(&hasRolesTable); err != nil {
			return dbError("migrate", err)
		}
		if hasRolesTable && (changed || recorded == nil || *recorded != *roles || granted != SchemaHash()) {
			if err := grant(ctx, conn, *roles, recorded); err != nil {
				return err
			}
		}
	}
	_, _ = conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", migrateLockKey)
	return nil
}

// appliedMigrations returns the versions recorded in schema_migrations with
// their file names.
func appliedMigrations(ctx context.Context, conn *pgx.Conn) (map[int]string, error) {
	rows, err := conn.Query(ctx, "SELECT version, name FROM schema_migrations")
	if err != nil {
		return nil, dbError("migrate: read schema_migrations", err)
	}
	applied := map[int]string{}
	var version int
	var name string
	_, err = pgx.ForEachRow(rows, []any{&version, &name}, func() error {
		applied[version] = name
		return nil
	})
	if err != nil {
		return nil, dbError("migrate: read schema_migrations", err)
	}
	return applied, nil
}

// applyMigration runs one migration and records it, in one transaction.
func applyMigration(ctx context.Context, conn *pgx.Conn, m migration) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// Without arguments pgx uses the simple protocol, which runs a
		// file of several statements as it is.
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name)
		return err
	})
	if err != nil {
		mapped := dbError("migrate: apply "+m.name, err)
		var pgErr *pgconn.PgError
		if code := domain.ErrorCode(mapped); errors.As(err, &pgErr) && code != domain.EUNAVAILABLE && code != domain.ECONFLICT {
			// A statement the server refused is a broken migration,
			// whatever its SQLSTATE would mean for a person's input.
			return fmt.Errorf("%w (%w)", domain.Errorf(domain.EINTERNAL, "", "migration %s failed", m.name), err)
		}
		return mapped
	}
	return nil
}
