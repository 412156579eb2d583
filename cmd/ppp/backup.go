package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/viaa/ppp/storage"
)

// backupDB implements `ppp db backup FILE`: the private cluster's
// database in pg_dump's custom format, written to a temporary file beside
// FILE (mode 0600: it holds personal data) that replaces FILE only once
// the dump is complete. With PPP_DATABASE_URL it is a usage error: that
// server has backups of its own.
func (m *Main) backupDB(ctx context.Context, args []string) error {
	file, err := m.backupFile("backup", args)
	if err != nil {
		return err
	}
	c, err := m.cluster(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.partial")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := c.Dump(ctx, tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := tmp.Stat()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done = true
	fmt.Fprintln(m.Stdout, m.cat.T("cli.db.backed_up", file, byteSize(st.Size())))
	return nil
}

// restoreDB implements `ppp db restore FILE`: a backup of `ppp db backup`
// restored into the private cluster, whose database must be empty (a new
// PPP_DATA_DIR); a database with any table is refused, never overwritten.
// The installation's roles are created, the restored objects handed to
// the owner role and the roles' grants made again, as a migration does,
// and the schema is migrated if the backup is older than the program.
func (m *Main) restoreDB(ctx context.Context, args []string) error {
	file, err := m.backupFile("restore", args)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	s, err := m.dbSetup(ctx)
	if err != nil {
		return err
	}
	n, err := s.cluster.Tables(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return usageError{m.cat.T("cli.db.restore_not_empty", n)}
	}
	if err := s.cluster.Restore(ctx, f); err != nil {
		return err
	}
	admin, err := storage.Open(ctx, s.migrate)
	if err != nil {
		return err
	}
	err = storage.ForgetGrants(ctx, admin)
	admin.Close()
	if err != nil {
		return err
	}
	if err := m.migrateDB(ctx, s); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.db.restored", file))
	return nil
}

// backupFile returns the one FILE argument of `ppp db backup|restore`,
// refusing an external database.
func (m *Main) backupFile(verb string, args []string) (string, error) {
	if m.Env("PPP_DATABASE_URL") != "" {
		return "", usageError{m.cat.T("cli.db.backup_external")}
	}
	if len(args) != 1 || args[0] == "" {
		return "", usageError{m.cat.T("cli.db.backup_usage", verb)}
	}
	return args[0], nil
}

// byteSize is n in bytes, KiB or MiB, for people.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
