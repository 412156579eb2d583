package storage_test

import (
	"slices"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// roleCounts returns the counts by role as a map.
func roleCounts(a *domain.TermsAcceptance) map[string][2]int64 {
	out := map[string][2]int64{}
	for _, rc := range a.ByRole {
		out[rc.Role] = [2]int64{rc.Users, rc.Accepted}
	}
	return out
}

func TestTermsAcceptance_ByRole_CountsAConstructedSet(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := t.Context()
	v1 := e.published(t, "2025-1", clauses(4))

	cc, mc, aec := "career_consultant", "municipal_coordinator", "adult_education_coordinator"
	u1 := e.platformUser(t, cc)
	e.platformUser(t, cc, mc) // holds two roles, has not accepted
	u3 := e.platformUser(t, mc)
	u4 := e.platformUser(t)    // an IMK holder, no role
	e.platformUser(t)          // likewise, has not accepted
	e.platformUser(t, cc+"!")  // the role ended
	e.platformUser(t, aec+"~") // the role expired
	u8 := e.platformUser(t, "institution_admin")
	e.platformUser(t, "institution_staff")
	for _, u := range []int64{u1, u3, u4, u8} {
		e.accept(t, u, v1.ID)
	}
	// u8's access is denied (¶32): counted nowhere.
	if _, err := e.db.Pool().Exec(ctx, `UPDATE platform_users SET sign_in_denied = true WHERE id = $1`, u8); err != nil {
		t.Fatal(err)
	}

	got, err := e.terms.TermsAcceptance(ctx, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.VersionID != v1.ID || got.Users != 8 || got.Accepted != 3 {
		t.Fatalf("totals = %d users, %d accepted; want 8 and 3", got.Users, got.Accepted)
	}
	want := map[string][2]int64{
		"institution_admin":           {0, 0},
		"institution_staff":           {1, 0},
		"municipal_coordinator":       {2, 1},
		"career_consultant":           {2, 1},
		"adult_education_coordinator": {0, 0},
	}
	if byRole := roleCounts(got); !mapsEqual(byRole, want) {
		t.Fatalf("by role = %v, want %v", byRole, want)
	}
	if len(got.ByRole) != 5 || got.ByRole[0].Role != "institution_admin" {
		t.Fatalf("roles not in the domain's order: %+v", got.ByRole)
	}

	_, err = e.terms.TermsAcceptance(ctx, 987654)
	wantError(t, err, domain.ENOTFOUND, "terms.not_found")
}

func mapsEqual(a, b map[string][2]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestTerms_NewVersion_EveryoneMustAcceptAgain(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := t.Context()
	v1 := e.published(t, "2025-1", clauses(4))
	var users []int64
	for i := range 7 {
		roles := []string{"career_consultant"}
		if i%3 == 0 {
			roles = nil
		}
		u := e.platformUser(t, roles...)
		users = append(users, u)
		e.accept(t, u, v1.ID)
	}
	if pending, err := e.terms.PendingAcceptances(ctx, 0, 50); err != nil || len(pending) != 0 {
		t.Fatalf("pending before the new version = %v, %v", pending, err)
	}

	e.clock.advance(24 * time.Hour)
	v2 := e.published(t, "2025-2", clauses(5))
	stats, err := e.terms.TermsAcceptance(ctx, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Users != 7 || stats.Accepted != 0 {
		t.Fatalf("after publishing: %d of %d accepted, want 0 of 7", stats.Accepted, stats.Users)
	}
	if old, _ := e.terms.TermsAcceptance(ctx, v1.ID); old.Accepted != 7 {
		t.Fatalf("the old version's acceptances changed: %d", old.Accepted)
	}

	// Everyone is pending, paged by id, with their roles and last version.
	var all []*domain.PendingAcceptance
	after := int64(0)
	for page := 0; ; page++ {
		got, err := e.terms.PendingAcceptances(ctx, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		if len(got) > 3 || page > 3 {
			t.Fatalf("page %d has %d rows", page, len(got))
		}
		all = append(all, got...)
		after = got[len(got)-1].UserID
	}
	var ids []int64
	for _, p := range all {
		ids = append(ids, p.UserID)
		if p.LastAccepted != "2025-1" || p.Email == "" || p.Name == "" {
			t.Errorf("pending %+v", p)
		}
	}
	if !slices.Equal(ids, users) {
		t.Fatalf("pending users = %v, want %v", ids, users)
	}
	if !slices.Equal(all[1].Roles, []string{"career_consultant"}) || len(all[0].Roles) != 0 {
		t.Fatalf("roles = %v and %v", all[0].Roles, all[1].Roles)
	}

	// The old version cannot be accepted any more; the new one can, once.
	wantError(t, e.terms.AcceptTerms(ctx, users[0], v1.ID), domain.ECONFLICT, "terms.not_in_force")
	e.accept(t, users[0], v2.ID)
	e.clock.advance(time.Hour)
	e.accept(t, users[0], v2.ID)
	var n int
	var at time.Time
	if err := e.db.Pool().QueryRow(ctx, `SELECT count(*), min(accepted_at) FROM terms_acceptances a JOIN platform_users u ON u.person_id = a.person_id WHERE u.id = $1 AND a.version_id = $2`,
		users[0], v2.ID).Scan(&n, &at); err != nil {
		t.Fatal(err)
	}
	if n != 1 || !at.Equal(e.clock.now().Add(-time.Hour).UTC().Truncate(time.Microsecond)) {
		t.Fatalf("acceptances = %d at %v", n, at)
	}
	pending, err := e.terms.PendingAcceptances(ctx, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 6 || pending[0].UserID != users[1] {
		t.Fatalf("pending after one accepted = %d, first %d", len(pending), pending[0].UserID)
	}
	if stats, _ := e.terms.TermsAcceptance(ctx, v2.ID); stats.Accepted != 1 || roleCounts(stats)["career_consultant"] != [2]int64{4, 0} {
		t.Fatalf("stats = %+v", stats)
	}

	wantError(t, e.terms.AcceptTerms(ctx, 99999999, v2.ID), domain.ENOTFOUND, "terms.user_not_found")
	wantError(t, e.terms.AcceptTerms(ctx, users[1], 99999999), domain.ENOTFOUND, "terms.not_found")
}
