package demodata

import (
	"context"
	"fmt"
	"time"

	"github.com/viaa/ppp/storage"
)

// Issue 17's shapes (task "account"): a password reset Anna started from
// an institution administrator's account, waiting for a second person
// (no link exists yet), and a pair of person records the Population
// Register linked that could not be merged, both with a Platform account,
// for security to resolve on the merge conflicts screen. Each is made once:
// a demo run over one that has them leaves them.
func (w *work) accountWork() {
	if p := w.cast.admins.take(); p != nil {
		w.at(2*hour, "a privileged reset from the account, waiting", func(ctx context.Context) error {
			var held bool
			if err := w.wdb.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT FROM pending_resets WHERE ticket_id IS NULL)`).Scan(&held); err != nil || held {
				return err
			}
			if _, err := w.wdb.Pool().Exec(ctx, `UPDATE platform_users SET email_confirmed = true WHERE id = $1`, p.id); err != nil {
				return fmt.Errorf("confirm the address: %w", err)
			}
			res, err := storage.NewDefenceService(w.wdb).StartAccountReset(w.as(ctx, OperatorHelpdesk), p.id,
				"Iestādes vadītāja zvanīja: aizmirsusi paroli; identitāte pārbaudīta ar atzvanu uz iestādes tālruni.")
			if err != nil {
				return err
			}
			if !res.Held {
				return fmt.Errorf("the administrator's reset was not held")
			}
			w.res.PendingResets++
			return nil
		})
	}
	a, b := w.cast.viss.take(), w.cast.viss.take()
	if a == nil || b == nil {
		return
	}
	w.at(5*hour, "a person merge conflict", func(ctx context.Context) error {
		var present bool
		if err := w.wdb.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT FROM person_merge_conflicts)`).Scan(&present); err != nil || present {
			return err
		}
		// The register says a's code is now b's, as an import would; the
		// import found both with an account and left them.
		if _, err := w.wdb.Pool().Exec(ctx, `
			INSERT INTO population_register (personal_code, current_code, fetched_at) VALUES ($1, $2, $3)
			ON CONFLICT (personal_code) DO UPDATE SET current_code = EXCLUDED.current_code`, a.code, b.code, w.now); err != nil {
			return fmt.Errorf("link the codes: %w", err)
		}
		_, err := w.wdb.Pool().Exec(ctx, `
			INSERT INTO person_merge_conflicts (person_id, other_id, found_at, reason)
			SELECT a.person_id, b.person_id, $3, 'both have a Platform account'
			  FROM platform_users a, platform_users b
			 WHERE a.id = $1 AND b.id = $2 AND a.person_id IS NOT NULL AND b.person_id IS NOT NULL
			   AND NOT EXISTS (SELECT FROM person_merge_conflicts)`, a.id, b.id, w.now.Add(-5*time.Hour))
		return err
	})
}
