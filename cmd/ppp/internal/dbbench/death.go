package dbbench

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/storage"
)

// deathDatabase is the scratch database of the death check.
const deathDatabase = "ppp_bench_death"

// DeathPersons is how many natural persons the death check covers.
const DeathPersons = 1_000_000

// DeathCheck times one full ¶32.8 death-check pass over DeathPersons
// natural persons (Platform users, each a person), all due, against a
// Population Register mirror holding every one of them, fresh (one in
// 1,000 deceased, each denied with its effects), on a scratch database;
// building the data is not timed.
func DeathCheck(ctx context.Context, o Options) (benchfig.Figure, error) {
	persons := DeathPersons
	if o.Quick {
		persons = 20_000
	}
	fig := benchfig.Figure{
		Name: fmt.Sprintf("death check over %d persons (%d deceased denied)", persons, persons/1000),
		Unit: "s", Baseline: benchfig.None, Target: "≤ 60 s for 1,000,000",
	}
	o.logf("bench: death check: loading %d persons and their register records", persons)
	db, err := freshDatabase(ctx, o.ServerURL, scratchName(deathDatabase))
	if err != nil {
		return fig, err
	}
	defer func() {
		db.Close()
		_ = dropDatabase(context.WithoutCancel(ctx), o.ServerURL, scratchName(deathDatabase))
	}()
	if err := loadPersons(ctx, db, persons, func(int) string { return "Liepiņa" }); err != nil {
		return fig, err
	}
	deceased := time.Now().AddDate(0, -1, 0).UTC().Truncate(24 * time.Hour)
	if _, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"population_register"},
		[]string{"personal_code", "deceased_on"},
		pgx.CopyFromSlice(persons, func(i int) ([]any, error) {
			if i%1000 == 999 {
				return []any{benchCode(i), deceased}, nil
			}
			return []any{benchCode(i), nil}, nil
		})); err != nil {
		return fig, fmt.Errorf("load the register mirror: %w", err)
	}
	if _, err := db.Pool().Exec(ctx, "VACUUM ANALYZE platform_users, persons, person_codes, population_register"); err != nil {
		return fig, fmt.Errorf("vacuum: %w", err)
	}
	o.logf("bench: death check: running the sweep")
	sw := storage.NewSweeper(db, "bench")
	start := time.Now()
	r, err := sw.RunSweep(benchActor(ctx), storage.SweepDeathCheck, start)
	took := time.Since(start)
	if err != nil {
		return fig, fmt.Errorf("death check: %w", err)
	}
	if r.Checked != int64(persons) {
		return fig, fmt.Errorf("the death check checked %d of %d persons", r.Checked, persons)
	}
	var denied int64
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM denials WHERE ground = '32.8'`).Scan(&denied); err != nil {
		return fig, fmt.Errorf("count denials: %w", err)
	}
	if denied != int64(persons/1000) {
		return fig, fmt.Errorf("the death check denied %d persons, want %d", denied, persons/1000)
	}
	fig.Value = took.Seconds()
	fig.Met = took <= 60*time.Second*time.Duration(persons)/DeathPersons
	fig.Note = fmt.Sprintf("%.0f persons/s", float64(persons)/took.Seconds())
	return fig, nil
}
