package storage_test

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
	"github.com/viaa/ppp/storage/pgtest"
)

// BenchmarkPersonDirectory_OpenPerson times opening a person's page (issue
// 17: under 100 ms) — every section's first page and count in one batch,
// the look-up counted in the same transaction — for a person with 300
// entries in each section among 20,000 persons (`ppp bench --only
// people` takes it to 1,000,000). Building the data is not timed. Run
// it with: go test -run '^$' -bench PersonDirectory -benchtime 200x ./storage/
func BenchmarkPersonDirectory_OpenPerson(b *testing.B) {
	const persons, entries = 20_000, 300
	db := pgtest.NewDB(b)
	ctx := b.Context()
	code := func(i int) string { return fmt.Sprintf("32%09d", i) }
	// The persons first: each user's row then finds its person with one
	// look-up (person_for_code) instead of creating it.
	if _, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"persons"}, []string{"personal_code", "first_name", "last_name"},
		pgx.CopyFromSlice(persons, func(i int) ([]any, error) { return []any{code(i), "Anna", fmt.Sprintf("Liepiņa%d", i)}, nil })); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `INSERT INTO person_codes (code, person_id) SELECT personal_code, id FROM persons`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"platform_users"},
		[]string{"kind", "personal_code", "email", "first_name", "last_name"},
		pgx.CopyFromSlice(persons, func(i int) ([]any, error) {
			return []any{"viss", code(i), fmt.Sprintf("p%d@example.lv", i), "Anna", fmt.Sprintf("Liepiņa%d", i)}, nil
		})); err != nil {
		b.Fatal(err)
	}
	op := newOperator(b, db, "bench.helpdesk", withRoles(domain.RoleHelpdesk))
	var user, person int64
	if err := db.Pool().QueryRow(ctx, `SELECT id, person_id FROM platform_users WHERE personal_code = $1`, code(persons/2)).
		Scan(&user, &person); err != nil {
		b.Fatal(err)
	}
	if err := demodata.PersonHistory(ctx, db.Pool(), user, op.ID, demodata.History{Entries: entries, Tickets: entries, Denials: entries}); err != nil {
		b.Fatal(err)
	}
	if _, err := pgtest.NewAdminDB(b).Pool().Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	svc := storage.NewPersonDirectory(db)
	actx := asSession(b, op, "bench")
	b.ResetTimer()
	for b.Loop() {
		page, err := svc.OpenPerson(actx, person)
		if err != nil {
			b.Fatal(err)
		}
		if page.Sections[domain.PersonSignIns].Count != entries {
			b.Fatalf("sign-ins %d", page.Sections[domain.PersonSignIns].Count)
		}
	}
}
