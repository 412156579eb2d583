package storage_test

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// migrationFiles returns the names of the migration files in the source.
func migrationFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	return names
}

type appliedMigration struct {
	Version   int
	Name      string
	AppliedAt time.Time
}

func appliedMigrations(t *testing.T, db *storage.DB) []appliedMigration {
	t.Helper()
	rows, err := db.Pool().Query(t.Context(), "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []appliedMigration
	for rows.Next() {
		var m appliedMigration
		if err := rows.Scan(&m.Version, &m.Name, &m.AppliedAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrate_FromEmpty_AppliesEveryMigrationThenSecondRunIsNoOp(t *testing.T) {
	db := pgtest.NewEmptyDB(t)
	ctx := t.Context()

	if err := storage.Migrate(ctx, db); err != nil {
		t.Fatalf("first migrate: %v", err)
	}
	first := appliedMigrations(t, db)
	files := migrationFiles(t)
	if len(first) != len(files) {
		t.Fatalf("applied %d migrations, the source has %d", len(first), len(files))
	}
	for i, m := range first {
		if m.Name != files[i] {
			t.Errorf("migration %d recorded as %s, file is %s", m.Version, m.Name, files[i])
		}
	}
	for _, table := range []string{"operators", "operator_keys", "sign_in_attempts", "audit_log", "audit_head"} {
		var exists bool
		if err := db.Pool().QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil || !exists {
			t.Errorf("table %s missing after migrate (err %v)", table, err)
		}
	}

	if err := storage.Migrate(ctx, db); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	second := appliedMigrations(t, db)
	if len(second) != len(first) {
		t.Fatalf("second run changed the record: %v then %v", first, second)
	}
	for i := range first {
		if !first[i].AppliedAt.Equal(second[i].AppliedAt) {
			t.Errorf("migration %d re-applied: %v then %v", first[i].Version, first[i].AppliedAt, second[i].AppliedAt)
		}
	}
}

func TestMigrate_FourServersAtOnce_ApplyEachMigrationOnce(t *testing.T) {
	db := pgtest.NewEmptyDB(t)
	ctx := t.Context()

	// Four servers: each has a pool of its own.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		server, err := storage.Open(ctx, db.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer server.Close()
		wg.Go(func() { errs[i] = storage.Migrate(ctx, server) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrate %d: %v", i, err)
		}
	}
	if got, want := len(appliedMigrations(t, db)), len(migrationFiles(t)); got != want {
		t.Fatalf("applied %d migrations, want %d", got, want)
	}
	var lockHolders int
	err := db.Pool().QueryRow(ctx, `
		SELECT count(*) FROM pg_locks
		 WHERE locktype = 'advisory'
		   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&lockHolders)
	if err != nil {
		t.Fatal(err)
	}
	if lockHolders != 0 {
		t.Errorf("%d advisory locks still held after migrating", lockHolders)
	}
}

func TestSchemaHash_IsStableHex(t *testing.T) {
	a, b := storage.SchemaHash(), storage.SchemaHash()
	if a != b || len(a) != 64 {
		t.Fatalf("SchemaHash = %q then %q, want one 64-digit hex string", a, b)
	}
}
