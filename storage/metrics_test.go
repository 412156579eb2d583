package storage_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestReadMetrics_AsTheAppRole_CountsWhatIsThere reads the operations
// figures as the application role (its grants suffice) after a mail is
// queued, a sweep has run and an operator is locked; and DB.OnAudited
// hears the committed audit actions, those of a refused change none.
func TestReadMetrics_AsTheAppRole_CountsWhatIsThere(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	var mu sync.Mutex
	var heard []string
	db.OnAudited = func(a string) { mu.Lock(); heard = append(heard, a); mu.Unlock() }

	newOperator(t, db, "metrics.anna")
	ops := storage.NewOperatorService(db)
	if err := ops.SetOperatorDisabled(adminCtx(t), "nobody.here", true, "test"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("disable an unknown operator: %v; want ENOTFOUND", err)
	}
	mu.Lock()
	if !slices.Contains(heard, domain.AuditOperatorCreate) || slices.Contains(heard, domain.AuditOperatorDisable) {
		t.Errorf("OnAudited heard %v; want %s and not %s", heard, domain.AuditOperatorCreate, domain.AuditOperatorDisable)
	}
	mu.Unlock()

	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.EnqueueMail(ctx, tx, "anna@example.lv", "lv", "rolerequest.expired", map[string]string{"name": "Anna"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE operators SET locked_until = now() + interval '1 hour' WHERE name = 'metrics.anna'`); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.NewSweeper(db, "metrics-test").RunSweep(ctx, storage.SweepRoleExpiry, time.Now()); err != nil {
		t.Fatal(err)
	}

	m, err := db.ReadMetrics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Outbox.Pending != 1 || m.Outbox.Oldest.IsZero() || m.LockedOperators != 1 {
		t.Errorf("outbox %+v, locked %d; want 1 pending with its time, 1 locked", m.Outbox, m.LockedOperators)
	}
	if len(m.Queues) != len(domain.DashboardQueues()) {
		t.Errorf("%d queues; want the dashboard's %d", len(m.Queues), len(domain.DashboardQueues()))
	}
	if len(m.Sweeps) != len(storage.SweepNames) {
		t.Fatalf("%d sweeps; want %d", len(m.Sweeps), len(storage.SweepNames))
	}
	for _, s := range m.Sweeps {
		ran := s.Sweep == storage.SweepRoleExpiry
		if ran == s.LastSuccess.IsZero() || s.Interval != storage.SweepIntervals[s.Sweep] || s.LastFailed {
			t.Errorf("sweep %+v; want a last success only for %s, its interval, no failure", s, storage.SweepRoleExpiry)
		}
	}
	if m.Schema.Applied != m.Schema.Latest || m.Schema.Latest != storage.LatestMigration() || m.Schema.Latest == 0 {
		t.Errorf("schema %+v; want applied = latest = %d", m.Schema, storage.LatestMigration())
	}
	if v, err := storage.SchemaVersion(ctx, db); err != nil || v != m.Schema.Applied {
		t.Errorf("SchemaVersion: %d, %v; want %d", v, err, m.Schema.Applied)
	}
}
