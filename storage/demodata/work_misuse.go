package demodata

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// misuse leaves the misuse view of the alerts screen (issue 18) a signal
// of each kind, raised by the sweep as the scheduler runs it: three
// persons' consultant requests from one address and one phone, with an
// IMK application from that address too; two IMK applications of
// different persons from one family's address; ten staff requests for one
// institution within the hour; and five resets the helpdesk started for
// one staff member's account by phone, each refused. Nothing is written when a signal
// exists already, or when the cast is too small.
func (w *work) misuse(ctx context.Context) error {
	pool := w.db.Pool()
	var present bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM misuse_signals)`).Scan(&present); err != nil {
		return fmt.Errorf("demo work: look for misuse signals: %w", err)
	}
	if present || len(w.cast.viss.people) < 3 || len(w.cast.staff.people) < 1 || w.cast.staff.people[0].institutionID == 0 {
		return nil
	}
	now := w.now
	exec := func(what, sql string, args ...any) error {
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("demo work: %s: %w", what, err)
		}
		return nil
	}
	viss := w.cast.viss.people
	for i, p := range viss[len(viss)-3:] {
		if err := exec("a consultant request from a shared address", `
			INSERT INTO role_requests (kind, first_name, last_name, personal_code, email, phone, created_at, updated_at)
			VALUES ('career_consultant', $1, $2, $3, 'karjera.birojs@example.lv', '+37126000111', $4, $4)`,
			p.first, p.last, p.code, now.Add(-time.Duration(3-i)*24*time.Hour)); err != nil {
			return err
		}
	}
	for i, imk := range []struct{ code, first, last, email string }{
		{"32000000901", "Aina", "Bērziņa", "karjera.birojs@example.lv"},
		{"32000000902", "Ilmārs", "Kalniņš", "gimene.kalnini@example.lv"},
		{"32000000903", "Zane", "Kalniņa", "gimene.kalnini@example.lv"},
	} {
		if err := exec("an IMK application from a shared address", `
			INSERT INTO imk_applications (personal_code, first_name, last_name, email, applied_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5)`, imk.code, imk.first, imk.last, imk.email, now.Add(-time.Duration(5-i)*time.Hour)); err != nil {
			return err
		}
	}
	inst := w.cast.staff.people[0].institutionID
	for i := range 10 {
		if err := exec("a staff request", `
			INSERT INTO role_requests (kind, first_name, last_name, email, institution_id, created_at, updated_at)
			VALUES ('institution_staff', 'Jauns', $1, $2, $3, $4, $4)`,
			"Darbinieks "+strconv.Itoa(i+1), "jauns.darbinieks"+strconv.Itoa(i+1)+"@example.lv", inst,
			now.Add(-time.Duration(50-4*i)*time.Minute)); err != nil {
			return err
		}
	}
	target, helpdesk := w.cast.staff.people[0], w.staff[OperatorHelpdesk].id
	for i := range 5 {
		if err := exec("a reset request", `
			INSERT INTO pending_resets (account_kind, account_id, requested_by, requested_at, state, decided_by, decided_at,
			                            note, user_reason)
			VALUES ('platform_user', $1, $2, $3, 'refused', $2, $3, 'zvanītājs nevarēja apstiprināt identitāti',
			        'lietotājs zvanīja: aizmirsusi paroli')`,
			target.id, helpdesk, now.Add(-time.Duration(20-3*i)*time.Hour)); err != nil {
			return err
		}
	}
	// As the scheduler runs it: no operator.
	r, err := storage.NewSweeper(w.wdb, demoInstanceName).RunSweep(domain.WithActor(ctx, domain.Actor{}), storage.SweepMisuseSignals, now)
	if err != nil {
		return fmt.Errorf("demo work: the misuse sweep: %w", err)
	}
	w.res.MisuseSignals += int(r.Changed)
	return nil
}
