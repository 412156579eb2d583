package storage_test

import (
	"testing"

	"github.com/viaa/ppp/storage"
)

// TestSweep_TwoInstances_OneRunPerPeriod: two servers' schedulers on one
// database. Server B finds a sweep due; before it takes the lease, server
// A runs that sweep (and the later ones) to the end and lets the lease
// go. B must then not run the sweep a second time in the same period: a
// free lease is not enough, the sweep must still be due under it. Every
// sweep has run exactly once after both rounds, and the runs are A's for
// the sweeps A ran.
func TestSweep_TwoInstances_OneRunPerPeriod(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	a := storage.NewScheduler(storage.NewSweeper(e.db, "a"), nil)
	b := storage.NewScheduler(storage.NewSweeper(e.db, "b"), nil)
	slipped := false
	storage.SetDueHook(b, func(name string) {
		if name == storage.SweepSanctionExpiry && !slipped {
			slipped = true
			a.RunDue(t.Context())
		}
	})
	b.RunDue(t.Context())
	if !slipped {
		t.Fatal("the hook never ran: B did not find sanction-expiry due")
	}
	for _, name := range storage.SweepNames {
		if n := e.count(t, `SELECT count(*) FROM sweep_runs WHERE sweep = $1`, name); n != 1 {
			t.Errorf("sweep %s ran %d times in one period on two instances; want once", name, n)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM sweep_runs WHERE sweep = $1 AND instance = 'a'`, storage.SweepSanctionExpiry); n != 1 {
		t.Errorf("A's run of %s is not the one recorded (%d of A's)", storage.SweepSanctionExpiry, n)
	}
}
