package storage_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// BenchmarkDeathCheck_1M times one full death-check pass over 1,000,000
// natural persons, all due, against a Population Register mirror holding
// every one of them (one in 1,000 deceased). Building the data with COPY
// is not timed. Run it with: go test -run '^$' -bench DeathCheck_1M
// -benchtime 1x ./storage/
func BenchmarkDeathCheck_1M(b *testing.B) {
	const persons = 1_000_000
	db := pgtest.NewDB(b)
	ctx := b.Context()
	code := func(i int) string { return fmt.Sprintf("32%09d", i) }
	if _, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"platform_users"},
		[]string{"kind", "personal_code", "email", "first_name", "last_name"},
		pgx.CopyFromSlice(persons, func(i int) ([]any, error) {
			return []any{"viss", code(i), fmt.Sprintf("p%d@example.lv", i), "Anna", "Liepiņa"}, nil
		})); err != nil {
		b.Fatal(err)
	}
	deceased := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"population_register"},
		[]string{"personal_code", "deceased_on"},
		pgx.CopyFromSlice(persons, func(i int) ([]any, error) {
			if i%1000 == 999 {
				return []any{code(i), deceased}, nil
			}
			return []any{code(i), nil}, nil
		})); err != nil {
		b.Fatal(err)
	}
	// As the superuser: only a table's owner may vacuum it.
	if _, err := pgtest.NewAdminDB(b).Pool().Exec(ctx, "VACUUM ANALYZE platform_users, population_register"); err != nil {
		b.Fatal(err)
	}
	sw := storage.NewSweeper(db, "bench")
	now := time.Now()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		if i > 0 {
			if _, err := db.Pool().Exec(ctx, `UPDATE platform_users SET death_check_due_at = '-infinity' WHERE kind = 'viss'`); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		r, err := sw.RunSweep(ctx, storage.SweepDeathCheck, now.Add(time.Duration(i)*time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		want := int64(persons)
		if i > 0 {
			want -= persons / 1000
		}
		if r.Checked != want {
			b.Fatalf("checked %d, want %d", r.Checked, want)
		}
		b.ReportMetric(float64(r.Checked)/time.Since(now).Seconds(), "persons/s")
	}
}
