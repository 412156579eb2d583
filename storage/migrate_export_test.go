package storage

import (
	"context"
	"fmt"
)

// MigrateBefore applies the migrations older than the one named name
// (e.g. "outbox_message_id"), whatever its number, so that a test can fill
// the tables as they were and then run Migrate.
func MigrateBefore(ctx context.Context, db *DB, name string) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.name == fmt.Sprintf("%04d_%s.sql", m.version, name) {
			return migrateUpTo(ctx, db, m.version-1)
		}
	}
	return fmt.Errorf("no migration named %s", name)
}
