package demodata

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Sanction cases against institutions (¶32.5, ¶32.7), when there are
// none: one in each step — a warning given, a suspension in force
// (approved by a second officer, ending in ten days), a suspension
// waiting for a second officer (proposed by Edgars Vītols, for "demo" to
// approve), and a denial in force. Each is about an active institution
// none of the cast works at and no other denial holds.
func (w *work) sanctions(ctx context.Context) error {
	var present bool
	if err := w.db.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT FROM sanction_cases)`).Scan(&present); err != nil {
		return fmt.Errorf("demo work: look for sanction cases: %w", err)
	}
	if present {
		return nil
	}
	svc := storage.NewSanctionService(w.wdb)
	var insts []int64
	w.at(25*day, "sanctions: pick institutions", func(ctx context.Context) error {
		var used []int64
		for _, p := range [][]*member{w.cast.staff.people, w.cast.admins.people, w.cast.consultants.people} {
			for _, x := range p {
				if x.institutionID != 0 {
					used = append(used, x.institutionID)
				}
			}
		}
		rows, err := w.wdb.Pool().Query(ctx, `
			SELECT i.id FROM institutions i
			 WHERE i.state = 'active' AND i.id <> ALL ($1::bigint[])
			   AND NOT EXISTS (SELECT FROM denials d WHERE d.subject_kind = 'institution' AND d.subject_id = i.id)
			 ORDER BY i.id DESC LIMIT 8 OFFSET 1`, used)
		if err != nil {
			return err
		}
		insts, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})

	// Each story opens a case about one institution on its clause and
	// gives a warning, as Rūta Liepa; id is the case once opened.
	type story struct {
		clause domain.Ground
		reason string
		id     int64
	}
	stories := []*story{
		{domain.GroundRulesBroken, "Iestāde Platformā publicē kursus, kuru apraksti neatbilst licencei (lietošanas noteikumu 17.2. punkts).", 0},
		{domain.GroundRulesBroken, "Iestādes lietotāji atkārtoti koplieto kontus (lietošanas noteikumu 14. punkts).", 0},
		{domain.GroundCooperation, "Iestāde trīs mēnešus neatbild uz Aģentūras pieprasījumiem iesniegt dokumentus.", 0},
		{domain.GroundCooperation, "Iestāde atteicās iesniegt pārbaudei mācību līgumus.", 0},
	}
	sec, second := OperatorSecurity, OperatorAdmin
	for i, s := range stories {
		w.at(24*day-time.Duration(i)*hour, "sanctions: open a case and warn", func(ctx context.Context) error {
			if i >= len(insts) {
				return nil // too few institutions in a small demo
			}
			c, err := svc.OpenCase(w.as(ctx, sec), insts[i], s.clause, s.reason, "Aģentūras pārbaudes akts")
			if err != nil {
				return err
			}
			s.id = c.ID
			_, err = svc.ProposeStep(w.as(ctx, sec), c.ID, c.Version, domain.SanctionWarning,
				"Lūdzam novērst pārkāpumu 14 dienu laikā.", "", time.Time{})
			return err
		})
	}
	// propose has the officer named propose a step on the story's case;
	// approver, when not "", approves it.
	propose := func(s *story, ago time.Duration, kind domain.SanctionStepKind, reason string, until time.Duration, officer, approver string) {
		w.at(ago, "sanctions: "+string(kind), func(ctx context.Context) error {
			if s.id == 0 {
				return nil
			}
			c, err := svc.FindCase(w.as(ctx, officer), s.id)
			if err != nil {
				return err
			}
			var end time.Time
			if until > 0 {
				end = w.story.clock.Add(until)
			}
			st, err := svc.ProposeStep(w.as(ctx, officer), c.ID, c.Version, kind, reason, "Atkārtotas pārbaudes akts", end)
			if err != nil || approver == "" {
				return err
			}
			return svc.ApproveStep(w.as(ctx, approver), st.ID, st.Version)
		})
	}
	propose(stories[1], 10*day, domain.SanctionSuspension, "Pārkāpums turpinās pēc brīdinājuma.", 20*day, sec, second)
	propose(stories[2], 2*day, domain.SanctionSuspension, "Dokumenti joprojām nav iesniegti.", 30*day, second, "")
	propose(stories[3], 12*day, domain.SanctionDenial, "Iestāde rakstiski atteicās sadarboties.", 0, second, sec)
	return nil
}
