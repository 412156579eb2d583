package main_test

import (
	"strings"
	"testing"

	"github.com/viaa/ppp/storage/pgtest"
)

// TestE2E_Bench_QuickTable runs `ppp bench` end to end on a small data set
// it builds with `ppp demo --scale`: the table names the machine and has
// the figures asked for, each with its baseline where there is one.
func TestE2E_Bench_QuickTable(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	// The bench creates databases of its own: it needs the server's
	// administrator, not the application role.
	in.dbURL = pgtest.AdminURL(t)
	res := in.run(t, "", "bench", "--quick", "--scale", "1000", "--only", "list,evals")
	if res.code != 0 {
		t.Fatalf("%s", res)
	}
	for _, want := range []string{"machine:", "cores", "PostgreSQL", "queue list page at depth",
		"raw keyset query", "in the database", "IMK eligibility evaluations"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the table lacks %q:\n%s", want, res.stdout)
		}
	}
	if strings.Contains(res.stdout, "claims") || strings.Contains(res.stdout, "first frame") {
		t.Errorf("--only list,evals measured more:\n%s", res.stdout)
	}
}

// TestE2E_Bench_BadFlags_OneLineExit2 checks that bad use of the bench
// says what is wrong on one line and measures nothing.
func TestE2E_Bench_BadFlags_OneLineExit2(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	for _, args := range [][]string{
		{"bench", "--only", "speed"},
		{"bench", "--scale", "10"},
		{"bench", "--sessions", "0"},
	} {
		res := in.run(t, "", args...)
		if res.code != 2 || res.stdout != "" || strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
			t.Errorf("%s", res)
		}
	}
}
