package storage_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// imk gives the person of platform user an IMK application in state.
func (e *denialEnv) imk(t testing.TB, user int64, state string) int64 {
	t.Helper()
	var id int64
	err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, decided_at, policy_id, reason)
		SELECT personal_code, first_name, last_name, email, $2,
		       CASE WHEN $2 IN ('approved', 'rejected') THEN now() END,
		       (SELECT id FROM eligibility_policies WHERE state = 'approved' ORDER BY version LIMIT 1), 'decided'
		  FROM platform_users WHERE id = $1
		RETURNING id`, user, state).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDeathCheck_DeceasedPersonsIMKClosed_SecondRunChangesNothing(t *testing.T) {
	e := newDenialEnv(t)
	ids := e.persons(t, 3)
	dead, alive := ids[0], ids[1]
	oldRejected := e.imk(t, dead, "rejected")
	approved := e.imk(t, dead, "approved")
	living := e.imk(t, alive, "approved")
	if _, err := e.db.Pool().Exec(t.Context(), `
		UPDATE population_register SET deceased_on = date '2026-10-01'
		 WHERE personal_code = (SELECT personal_code FROM platform_users WHERE id = $1)`, dead); err != nil {
		t.Fatal(err)
	}
	state := func(id int64) (string, int64, string) {
		t.Helper()
		var s, reason string
		var v int64
		if err := e.db.Pool().QueryRow(t.Context(), `SELECT state, version, reason FROM imk_applications WHERE id = $1`, id).Scan(&s, &v, &reason); err != nil {
			t.Fatal(err)
		}
		return s, v, reason
	}
	sw := storage.NewSweeper(e.db, "test")
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

	r := runSweep(t, sw, storage.SweepDeathCheck, now)
	if r.Checked != 3 || r.Changed != 1 || !e.signInDenied(t, dead) {
		t.Fatalf("checked %d, changed %d; want 3 and the deceased person denied", r.Checked, r.Changed)
	}
	s, v, reason := state(approved)
	if s != "closed" || reason == "" || reason == "decided" {
		t.Fatalf("deceased person's approved IMK: state %q, reason %q; want closed with a reason", s, reason)
	}
	if s, _, _ := state(oldRejected); s != "rejected" {
		t.Fatalf("a rejected application became %q", s)
	}
	if s, _, _ := state(living); s != "approved" {
		t.Fatalf("a living person's IMK became %q", s)
	}
	audited := func() int {
		return e.count(t, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditIMKClosed+`' AND subject_kind = 'imk_application' AND subject_id = $1`, itoa(approved))
	}
	if audited() != 1 {
		t.Fatal("the closing was not audited once")
	}

	again := runSweep(t, sw, storage.SweepDeathCheck, now.Add(time.Minute))
	if again.Changed != 0 {
		t.Fatalf("second run changed %d", again.Changed)
	}
	if s2, v2, reason2 := state(approved); s2 != s || v2 != v || reason2 != reason || audited() != 1 {
		t.Fatalf("second run touched the closed IMK: %q v%d %q (was %q v%d %q), audits %d", s2, v2, reason2, s, v, reason, audited())
	}
}
