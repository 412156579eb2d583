package demodata

import (
	"context"
	"fmt"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Denials of access (¶24, ¶32) as the security officers Rūta Liepa and
// Edgars Vītols raised, lifted, approved and refused them over the last
// month, and the sweeps' runs of the last hours, which deny a deceased
// person (¶32.8) and one whose sign-in method was deactivated (¶32.2) and
// end a role that ran out (¶32.1). Waiting for the newcomer, a security
// officer: a denial of an operator waiting for a second officer, a lift
// waiting for one, and the helpdesk's suspension request (helpdesk()).

// denial is a denial as the story goes: its id once raised.
type denial struct {
	id int64
}

// deny has the officer named deny the subject on ground.
func (w *work) deny(ctx context.Context, d *denial, officer string, kind domain.SubjectKind, subject int64,
	ground domain.Ground, note, evidence string) error {
	got, err := storage.NewDenialService(w.wdb).Deny(w.as(ctx, officer), kind, subject, ground, note, evidence)
	if err != nil {
		return err
	}
	d.id = got.ID
	w.res.Denials++
	return nil
}

// current reads the denial as the officer named sees it now.
func (w *work) current(ctx context.Context, d *denial, officer string) (*domain.Denial, error) {
	return storage.NewDenialService(w.wdb).FindDenial(w.as(ctx, officer), d.id)
}

// lift has the officer named lift the denial with reason.
func (w *work) lift(ctx context.Context, d *denial, officer, reason string) error {
	cur, err := w.current(ctx, d, officer)
	if err != nil {
		return err
	}
	return storage.NewDenialService(w.wdb).Lift(w.as(ctx, officer), d.id, cur.Version, reason)
}

// approveDenial has the officer named approve what the denial waits for.
func (w *work) approveDenial(ctx context.Context, d *denial, officer string) error {
	cur, err := w.current(ctx, d, officer)
	if err != nil {
		return err
	}
	return storage.NewDenialService(w.wdb).Approve(w.as(ctx, officer), d.id, cur.Version)
}

// refuseDenial has the officer named refuse what the denial waits for.
func (w *work) refuseDenial(ctx context.Context, d *denial, officer, reason string) error {
	cur, err := w.current(ctx, d, officer)
	if err != nil {
		return err
	}
	return storage.NewDenialService(w.wdb).Refuse(w.as(ctx, officer), d.id, cur.Version, reason)
}

func (w *work) denials() {
	c := w.cast
	leaver := w.staff[OperatorLeaver].id

	// In force: rules broken (¶32.5).
	if p := c.viss.take(); p != nil {
		d := &denial{}
		w.at(30*day, "denial: rules broken", func(ctx context.Context) error {
			// The person's approved IMK, which the denial suspends (¶24).
			if _, err := w.wdb.Pool().Exec(ctx, `
				INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, decided_at, policy_id,
				                              reason, applied_at, updated_at)
				SELECT u.personal_code, u.first_name, u.last_name, u.email, 'approved', $2,
				       (SELECT min(id) FROM eligibility_policies WHERE state = 'approved'), 'Atbilst mērķa grupai.', $2, $2
				  FROM platform_users u
				 WHERE u.id = $1 AND u.personal_code IS NOT NULL
				   AND NOT EXISTS (SELECT FROM imk_applications a WHERE a.personal_code = u.personal_code
				                      AND a.state IN ('applied', 'checking', 'needs_review', 'approved', 'suspended'))`,
				p.id, w.story.clock.AddDate(0, -3, 0)); err != nil {
				return fmt.Errorf("an IMK to suspend: %w", err)
			}
			return w.deny(ctx, d, OperatorSecurity, domain.SubjectPlatformUser, p.id, domain.GroundRulesBroken,
				"Nodeva savus Platformas rekvizītus kolēģim, kurš ar tiem apstiprināja mācību grupas sarakstu.",
				"Iestādes vadītāja vēstule Nr. 1-12/214")
		})
	}

	// In force: an institution that refused to cooperate (¶32.7).
	w.at(20*day, "denial: an institution", func(ctx context.Context) error {
		id, _, ok, err := c.institution(ctx)
		if err != nil || !ok {
			return err
		}
		return w.deny(ctx, &denial{}, OperatorSecurity, domain.SubjectInstitution, id, domain.GroundCooperation,
			"Iestāde trīs reizes nav iesniegusi pieprasītos dokumentus par īstenotajām mācību programmām.",
			"VIAA vēstules 02.09., 23.09. un 14.10.")
	})

	// An institution's passwords leaked (¶32.5): lifted with a new password
	// required of its users at their next sign-in (¶32.3, ¶32.6).
	{
		d := &denial{}
		w.at(16*day, "denial: an institution's passwords", func(ctx context.Context) error {
			id, _, ok, err := c.institution(ctx)
			if err != nil || !ok {
				return err
			}
			return w.deny(ctx, d, OperatorSecurity, domain.SubjectInstitution, id, domain.GroundRulesBroken,
				"Iestādes darbinieki izmantoja vienu kopīgu kontu un paroli, kas bija pierakstīta uz lapiņas pie datora.",
				"Pārbaudes akts Nr. 17")
		})
		w.at(4*day, "denial: lifted with new passwords", func(ctx context.Context) error {
			if d.id == 0 {
				return nil
			}
			cur, err := w.current(ctx, d, OperatorSecurity)
			if err != nil {
				return err
			}
			return storage.NewDenialService(w.wdb).LiftRequiringNewPassword(w.as(ctx, OperatorSecurity), d.id, cur.Version,
				"Katram darbiniekam izveidots savs konts; paroles jānomaina.")
		})
	}

	// An incident (¶32.6) lifted with a second officer's approval.
	if p := c.viss.take(); p != nil {
		d := &denial{}
		w.at(14*day, "denial: an incident", func(ctx context.Context) error {
			return w.deny(ctx, d, OperatorAdmin, domain.SubjectPlatformUser, p.id, domain.GroundIncident,
				"No konta izsūtīti pikšķerēšanas ziņojumi citiem lietotājiem.", "CERT.LV ziņojums 2024-1187")
		})
		w.at(6*day, "denial: its lift asked for", func(ctx context.Context) error {
			return w.lift(ctx, d, OperatorSecurity, "Lietotājs nomainīja paroli, dators pārbaudīts; apstiprina CERT.LV.")
		})
		w.at(5*day+20*hour, "denial: its lift approved", func(ctx context.Context) error {
			return w.approveDenial(ctx, d, OperatorAdmin)
		})
	}

	// Rules broken, then lifted by the officer alone (¶32.5 needs no second).
	if p := c.viss.take(); p != nil {
		d := &denial{}
		w.at(12*day, "denial: rules broken, later lifted", func(ctx context.Context) error {
			return w.deny(ctx, d, OperatorSecurity, domain.SubjectPlatformUser, p.id, domain.GroundRulesBroken,
				"Platformā ievietoja cita klienta personas datus bez pamata.", "Sūdzība Nr. 3-8/77")
		})
		w.at(3*day, "denial: lifted", func(ctx context.Context) error {
			return w.lift(ctx, d, OperatorSecurity, "Lietotājs izdzēsa datus un apliecināja noteikumu ievērošanu.")
		})
	}

	// Compromised (¶32.3), its lift waiting for a second officer.
	if p := c.viss.take(); p != nil {
		d := &denial{}
		w.at(10*day, "denial: compromised", func(ctx context.Context) error {
			return w.deny(ctx, d, OperatorSecurity, domain.SubjectPlatformUser, p.id, domain.GroundCompromised,
				"Lietotājs ievadīja pieslēgšanās datus viltotā lapā.", "Palīdzības dienesta pieteikums")
		})
		w.at(1*day, "denial: its lift, waiting", func(ctx context.Context) error {
			return w.lift(ctx, d, OperatorAdmin, "Parole nomainīta, pieslēgšanās ar Latvija.gov.lv pārbaudīta.")
		})
	}

	// An operator: a first denial refused, a second waiting for the newcomer.
	{
		d := &denial{}
		w.at(9*day, "denial: an operator", func(ctx context.Context) error {
			return w.deny(ctx, d, OperatorAdmin, domain.SubjectOperator, leaver, domain.GroundRulesBroken,
				"Atklāja klienta personas kodu kolēģim telefonsarunā.", "")
		})
		w.at(8*day, "denial: refused", func(ctx context.Context) error {
			return w.refuseDenial(ctx, d, OperatorSecurity,
				"Kods netika atklāts: saruna bija ar pašu klientu, to apliecina ieraksts.")
		})
		w.at(2*day, "denial: an operator, waiting", func(ctx context.Context) error {
			return w.deny(ctx, &denial{}, OperatorSecurity, domain.SubjectOperator, leaver, domain.GroundCompromised,
				"Darba attiecības beidzas piektdien; SSH atslēga palika personīgajā datorā.", "Personāla daļas rīkojums")
		})
	}
}

// sweeps sets up what the sweeps find — a role that ran out yesterday,
// a sign-in method the portal deactivated, a death in the Population
// Register — and runs each sweep as the scheduler would have in the last
// hours.
func (w *work) sweeps() {
	c := w.cast
	expired, deactivated, deceased := c.viss.take(), c.viss.take(), c.viss.take()
	w.at(3*hour, "sweeps: what they find", func(ctx context.Context) error {
		now := w.story.clock
		pool := w.wdb.Pool()
		if expired != nil {
			if _, err := pool.Exec(ctx, `
				UPDATE role_assignments SET valid_until = $2
				 WHERE id = (SELECT id FROM role_assignments WHERE user_id = $1 AND ended_at IS NULL ORDER BY id LIMIT 1)`,
				expired.id, now.Add(-20*hour)); err != nil {
				return fmt.Errorf("a role that ran out: %w", err)
			}
		}
		if deactivated != nil {
			if _, err := pool.Exec(ctx, `UPDATE platform_users SET auth_deactivated_at = $2 WHERE id = $1`,
				deactivated.id, now.Add(-30*time.Minute)); err != nil {
				return fmt.Errorf("a deactivated sign-in method: %w", err)
			}
		}
		if deceased != nil && deceased.code != "" {
			if _, err := pool.Exec(ctx, `
				INSERT INTO population_register (personal_code, deceased_on, fetched_at, first_name, last_name, resident)
				VALUES ($1, $2, $3, $4, $5, true)
				ON CONFLICT (personal_code) DO UPDATE SET deceased_on = excluded.deceased_on, fetched_at = excluded.fetched_at`,
				deceased.code, now.AddDate(0, 0, -12).Format(time.DateOnly), now, deceased.first, deceased.last); err != nil {
				return fmt.Errorf("a death in the register: %w", err)
			}
		}
		return nil
	})
	sw := storage.NewSweeper(w.wdb, demoInstanceName)
	run := func(ago time.Duration, name string) {
		w.at(ago, "sweep "+name, func(ctx context.Context) error {
			// As the scheduler runs it: no operator.
			r, err := sw.RunSweep(domain.WithActor(ctx, domain.Actor{}), name, w.story.clock)
			if err != nil {
				return err
			}
			if !r.Skipped {
				w.res.SweepRuns++
			}
			return nil
		})
	}
	for _, ago := range []time.Duration{2 * hour, 1 * hour, 0} {
		run(ago, storage.SweepRoleExpiry)
	}
	// The ¶29.3 reminders, as the scheduler ran them two hours ago: the
	// request whose reminder falls due later today still waits for it.
	run(2*hour, storage.SweepConsultantReminder)
	// Suspensions of institutions (¶32.5, ¶32.7) whose period ended: none
	// yet, but the run shows the sweep on the denials screen.
	run(1*hour, storage.SweepSanctionExpiry)
	// Retention (issue 18): what the demo's history holds past its period.
	run(1*hour, storage.SweepRetention)
	for _, ago := range []time.Duration{40 * time.Minute, 20 * time.Minute, 0} {
		run(ago, storage.SweepAuthDeactivated)
		run(ago, storage.SweepDeathCheck)
	}
}
