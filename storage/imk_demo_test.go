package storage_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
	"github.com/viaa/ppp/storage/pgtest"
)

func TestIMKDemo_EdgeCasesAndCheckerRunsOnThem(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	// A tenth of the demo's clients: the edge cases come first, and the
	// rest only need to be enough for every kind of case to occur.
	const clients = demodata.DefaultIMKClients / 10
	res, err := demodata.LoadIMK(t.Context(), db, demodata.Options{Now: now, Scale: clients})
	if err != nil || !res.Loaded || res.Clients < clients || res.Decided == 0 {
		t.Fatalf("LoadIMK = %+v, %v", res, err)
	}
	again, err := demodata.LoadIMK(t.Context(), db, demodata.Options{Now: now, Scale: clients})
	if err != nil || again.Loaded {
		t.Fatalf("second LoadIMK = %+v, %v", again, err)
	}
	checks := map[string]string{
		"birthday today":   `SELECT count(*) FROM population_register WHERE birth_date = '2008-11-28'`,
		"29 February":      `SELECT count(*) FROM population_register WHERE extract(month FROM birth_date) = 2 AND extract(day FROM birth_date) = 29`,
		"deceased":         `SELECT count(*) FROM population_register WHERE deceased_on IS NOT NULL`,
		"no revenue data":  `SELECT count(*) FROM population_register p WHERE NOT EXISTS (SELECT FROM revenue_register r WHERE r.personal_code = p.personal_code)`,
		"studying":         `SELECT count(*) FROM education_register WHERE studying`,
		"new-form codes":   `SELECT count(*) FROM imk_applications WHERE personal_code !~ '-'`,
		"old-form codes":   `SELECT count(*) FROM imk_applications WHERE personal_code ~ '-'`,
		"already approved": `SELECT count(*) FROM imk_applications WHERE state = 'approved'`,
		"already rejected": `SELECT count(*) FROM imk_applications WHERE state = 'rejected'`,
		// Issue 18: the take-up report by sex has all three groups.
		"women":       `SELECT count(*) FROM population_register WHERE sex = 'F'`,
		"men":         `SELECT count(*) FROM population_register WHERE sex = 'M'`,
		"unknown sex": `SELECT count(*) FROM population_register WHERE sex IS NULL`,
	}
	for what, sql := range checks {
		if countRows(t, db, sql) == 0 {
			t.Errorf("no %s", what)
		}
	}
	if w, all := countRows(t, db, `SELECT count(*) FROM population_register WHERE sex = 'F'`),
		countRows(t, db, `SELECT count(*) FROM population_register`); w*10 < all*4 || w*10 > all*7 {
		t.Errorf("women %d of %d demo persons: want roughly half", w, all)
	}
	checker := storage.NewIMKChecker(db, storage.NewMirrorRegisters(db, storage.Outage{}, nil))
	total := 0
	for {
		n, err := checker.RunOnce(t.Context(), 500)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		total += n
	}
	if c := countRows(t, db, `SELECT count(*) FROM imk_applications WHERE state IN ('applied', 'checking')`); c != 0 || total == 0 {
		t.Fatalf("%d left unchecked after %d", c, total)
	}
	for _, state := range []string{"approved", "rejected", "needs_review"} {
		t.Logf("%s: %d", state, countRows(t, db, `SELECT count(*) FROM imk_applications WHERE state = $1`, state))
	}
	var ageState string
	_ = db.Pool().QueryRow(t.Context(), `SELECT a.state FROM imk_applications a JOIN population_register p USING (personal_code)
		WHERE p.birth_date = '2008-11-28'`).Scan(&ageState)
	t.Logf("the client turning 18 today: %s", ageState)
}
