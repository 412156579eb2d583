package storage_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage/pgtest"
)

// termsBenchEnv is a database with 100,000 Platform users, a third of them
// holding a role, who all accepted the first version and seven in ten the
// version in force.
func termsBenchEnv(b *testing.B) *termsEnv {
	b.Helper()
	e := newTermsEnv(b)
	ctx := b.Context()
	v1 := e.published(b, "2025-1", clauses(40))
	e.clock.advance(time.Hour)
	v2 := e.published(b, "2025-2", clauses(41))
	_, err := e.db.Pool().Exec(ctx, `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		SELECT 'viss', '32' || lpad(g::text, 9, '0'), 'lietotajs' || g || '@example.lv', 'Ērika', 'Šmite', true
		  FROM generate_series(1, 100000) g`)
	if err != nil {
		b.Fatal(err)
	}
	_, err = e.db.Pool().Exec(ctx, `
		INSERT INTO role_assignments (user_id, role, valid_from, valid_until)
		SELECT id, (ARRAY['career_consultant', 'adult_education_coordinator'])[1 + id % 2],
		       now() - interval '30 days', now() + interval '300 days'
		  FROM platform_users WHERE id % 3 = 0`)
	if err != nil {
		b.Fatal(err)
	}
	_, err = e.db.Pool().Exec(ctx, `
		INSERT INTO terms_acceptances (user_id, version_id, accepted_at)
		SELECT id, $1, now() - interval '1 day' FROM platform_users`, v1.ID)
	if err != nil {
		b.Fatal(err)
	}
	_, err = e.db.Pool().Exec(ctx, `
		INSERT INTO terms_acceptances (user_id, version_id, accepted_at)
		SELECT id, $1, now() FROM platform_users WHERE id * 37 % 100 < 70`, v2.ID)
	if err != nil {
		b.Fatal(err)
	}
	// As the superuser: only a table's owner may analyze it.
	if _, err := pgtest.NewAdminDB(b).Pool().Exec(ctx, `ANALYZE platform_users, role_assignments, terms_acceptances, terms_versions`); err != nil {
		b.Fatal(err)
	}
	return e
}

func BenchmarkTerms_100kUsers(b *testing.B) {
	e := termsBenchEnv(b)
	ctx := b.Context()
	inForce, err := e.terms.TermsInForce(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("PendingAcceptances_FirstPage", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.terms.PendingAcceptances(ctx, 0, 50); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("PendingAcceptances_Depth90k", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.terms.PendingAcceptances(ctx, 90000, 50); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TermsAcceptance", func(b *testing.B) {
		var stats *domain.TermsAcceptance
		for b.Loop() {
			if stats, err = e.terms.TermsAcceptance(ctx, inForce.ID); err != nil {
				b.Fatal(err)
			}
		}
		if stats.Users != 100000 || stats.Accepted != 70000 {
			b.Fatalf("stats = %d users, %d accepted", stats.Users, stats.Accepted)
		}
	})
}
