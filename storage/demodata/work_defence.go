package demodata

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// The rest of the work: a reviewer over the reveals threshold, staff
// changes of e-mail addresses, IMK policy versions, the terms draft sent
// for approval, the staff's sign-ins and the first IMK checks.

// revealReasons are what a reviewer gives for revealing a personal code.
var revealReasons = []string{
	"Personas koda pārbaude pēc iestādes vēstules",
	"Salīdzināšana ar iesniegto apliecinājumu",
	"Dublikāta pārbaude",
	"Klienta zvans: identitātes pārbaude",
}

// alerts has Jānis Bērziņš reveal more personal codes in an hour than the
// threshold allows; the misuse alert is raised and left open for
// security. Nothing is written when the threshold is off or above 200.
func (w *work) alerts() {
	threshold := w.db.AlertThresholds.RevealsPerHour
	if threshold <= 0 || threshold > 200 || len(w.cast.requests) == 0 {
		return
	}
	n := threshold + 4
	rr := storage.NewRoleRequestService(w.wdb)
	for i := range n {
		ago := 50*time.Minute - time.Duration(i)*30*time.Minute/time.Duration(n)
		req := w.cast.requests[i%len(w.cast.requests)]
		w.at(ago, "a reveal", func(ctx context.Context) error {
			// Through the queue's own reveal, which audits the look and
			// raises the alert once the reveals pass the threshold.
			_, err := rr.RevealPersonalCode(w.as(ctx, OperatorReviewer), req, revealReasons[i%len(revealReasons)])
			return err
		})
	}
	w.at(19*time.Minute, "the reveals alert", func(ctx context.Context) error {
		var open int
		if err := w.wdb.Pool().QueryRow(ctx, `
			SELECT count(*) FROM alerts WHERE kind = 'reveals' AND operator_id = $1 AND closed_at IS NULL`,
			w.staff[OperatorReviewer].id).Scan(&open); err != nil {
			return fmt.Errorf("read the alert: %w", err)
		}
		if open == 0 {
			return errors.New("the reveals raised no alert")
		}
		w.res.Alerts += open
		return nil
	})
}

// newAddress is the private address a user moves to.
func newAddress(p *member) string {
	return p.email[:strings.LastIndexByte(p.email, '@')] + "@inbox.lv"
}

// emailChanges has Anna ask for two users' addresses to change: one
// Edgars Vītols approved last week, one waiting for a second person.
func (w *work) emailChanges() {
	def := storage.NewDefenceService(w.wdb)
	if p := w.cast.staff.take(); p != nil {
		var id int64
		w.at(8*day, "an e-mail change asked for", func(ctx context.Context) error {
			c, err := def.RequestEmailChange(w.as(ctx, OperatorHelpdesk), p.id, newAddress(p),
				"Lietotājs pārcēlies uz citu iestādi; zvanīja un apstiprināja identitāti ar eParakstu.")
			if err != nil {
				return err
			}
			id = c.ID
			w.res.EmailChanges++
			return nil
		})
		w.at(7*day+20*hour, "the e-mail change approved", func(ctx context.Context) error {
			return def.ApproveEmailChange(w.as(ctx, OperatorAdmin), id)
		})
	}
	if p := w.cast.staff.take(); p != nil {
		w.at(1*day+3*hour, "an e-mail change, waiting", func(ctx context.Context) error {
			_, err := def.RequestEmailChange(w.as(ctx, OperatorHelpdesk), p.id, newAddress(p),
				"Iestādes e-pasta adrese slēgta; lietotājs lūdz izmantot privāto adresi (vēstule no iestādes vadītāja).")
			if err == nil {
				w.res.EmailChanges++
			}
			return err
		})
	}
}

// policies adds IMK policy versions: one Māris Ozols drafted and Edgars
// Vītols approved a month ago (priority from 50), and a draft of Māris's
// waiting for a second editor or administrator.
func (w *work) policies() {
	svc := storage.NewPolicyService(w.wdb)
	base := domain.EligibilityPolicy{MinAge: 18, RequireEmployment: true, RequireResidence: true,
		MaxDataAge: 30 * day, PriorityMaxLKI: 3, PriorityMinAge: 45, PriorityCombine: domain.PriorityAnyOf,
		AutoReject: domain.DefaultAutoReject()}
	var second int64
	w.at(40*day, "a policy version drafted", func(ctx context.Context) error {
		p := base
		p.Name, p.PriorityMinAge = "Pieaugušo izglītība 2025: prioritāte no 50 gadiem", 50
		got, err := svc.DraftPolicy(w.as(ctx, OperatorEditor), &p)
		if err != nil {
			return err
		}
		second = got.ID
		w.res.Policies++
		return nil
	})
	w.at(38*day, "the policy version approved", func(ctx context.Context) error {
		_, err := svc.ApprovePolicy(w.as(ctx, OperatorAdmin), second, w.story.clock.Add(3*day))
		return err
	})
	w.at(2*day, "a policy draft", func(ctx context.Context) error {
		p := base
		p.Name = "Pieaugušo izglītība 2026: bez pilna laika studējošajiem"
		p.PriorityMinAge, p.ExcludeStudying, p.MaxDataAge = 50, true, 14*day
		// Issue 16: priority only for both, residence left to a person.
		p.PriorityCombine = domain.PriorityAllOf
		p.AutoReject = []string{domain.RuleAlive, domain.RuleAge, domain.RuleEmployment, domain.RuleNoOtherIMK}
		if _, err := svc.DraftPolicy(w.as(ctx, OperatorEditor), &p); err != nil {
			return err
		}
		w.res.Policies++
		return nil
	})
}

// termsWaiting has Māris Ozols submit his terms draft (LoadTerms), so that
// it waits for a second editor.
func (w *work) termsWaiting() {
	w.at(1*day, "the terms draft submitted", func(ctx context.Context) error {
		editor := w.staff[OperatorEditor]
		var id int64
		err := w.wdb.Pool().QueryRow(ctx, `
			SELECT id FROM terms_versions WHERE state = 'draft' AND drafted_by = $1 ORDER BY id LIMIT 1`, editor.id).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // no draft of his: nothing to submit
		}
		if err != nil {
			return fmt.Errorf("read the terms draft: %w", err)
		}
		svc := storage.NewTermsService(w.wdb)
		ctx = editor.actor(ctx)
		v, err := svc.FindTermsVersion(ctx, id)
		if err != nil {
			return err
		}
		if err := svc.SubmitTermsDraft(ctx, id, v.Version); err != nil {
			return err
		}
		w.res.TermsWaiting++
		return nil
	})
}

// signIns writes the staff's sign-ins of the last two weeks: each working
// morning by key (Māris by password, mistyped once), Jānis none since his
// leave; "demo" has none of its own until it signs in.
func (w *work) signIns(ctx context.Context) error {
	type attempt struct {
		at      time.Time
		name    string
		addr    string
		method  string
		success bool
	}
	var rows []attempt
	people := []string{OperatorReviewer, OperatorHelpdesk, OperatorSecurity, OperatorEditor, OperatorAdmin, OperatorLeaver}
	today := w.now.In(rigaZone)
	for d := 14; d >= 0; d-- {
		morning := time.Date(today.Year(), today.Month(), today.Day()-d, 8, 0, 0, 0, rigaZone)
		if wd := morning.Weekday(); wd == time.Saturday || wd == time.Sunday || !morning.Before(w.now) {
			continue
		}
		for i, name := range people {
			if name == OperatorReviewer && d < 11 { // on leave since
				continue
			}
			at := morning.Add(time.Duration(7*i+d%5*3) * time.Minute)
			addr := "10.20.30." + strconv.Itoa(42+i)
			method := string(domain.SignInPublicKey)
			if name == OperatorEditor {
				method = string(domain.SignInPassword)
				if d == 3 {
					rows = append(rows, attempt{at.Add(-time.Minute), name, addr, method, false})
				}
			}
			if at.Before(w.now) {
				rows = append(rows, attempt{at, name, addr, method, true})
			}
		}
	}
	for _, r := range rows {
		if _, err := w.db.Pool().Exec(ctx, `
			INSERT INTO sign_in_attempts (at, operator_name, remote_addr, method, success) VALUES ($1, $2, $3, $4, $5)`,
			r.at.UTC(), r.name, r.addr, r.method, r.success); err != nil {
			return fmt.Errorf("demo work: sign-ins: %w", err)
		}
		w.res.SignIns++
	}
	return nil
}

// imkCheckBatch is how many IMK applications the demo checks at once, so
// that the IMK queue has work before the server's checker takes the rest.
const imkCheckBatch = 300

// imkCheck runs the automatic IMK check once over the oldest waiting
// applications, at the real time, as the server would.
func (w *work) imkCheck(ctx context.Context) error {
	checker := storage.NewIMKChecker(w.db, storage.NewMirrorRegisters(w.db, storage.Outage{}, nil))
	n, err := checker.RunOnce(domain.WithActor(ctx, domain.Actor{}), imkCheckBatch)
	if err != nil {
		return fmt.Errorf("demo work: IMK check: %w", err)
	}
	w.res.IMKChecked = n
	return w.imkReviewRequest(ctx)
}

// imkReviewRequest has the person of the oldest automatic rejection ask,
// through the portal's service, that a person review it (GDPR Art. 22):
// the application is back in the review queue as "person asked for
// review". Nothing to ask about, or another active IMK, asks nothing.
func (w *work) imkReviewRequest(ctx context.Context) error {
	var id int64
	var code string
	err := w.db.Pool().QueryRow(ctx, `
		SELECT id, personal_code FROM imk_applications
		 WHERE state = 'rejected' AND decided_by IS NULL ORDER BY decided_at, id LIMIT 1`).Scan(&id, &code)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo work: find an automatic rejection: %w", err)
	}
	err = storage.NewPortalService(w.db).RequestIMKReview(ctx, domain.IMKReviewRequest{ApplicationID: id, PersonalCode: code,
		Message: "Lūdzu, lai pieteikumu izskata cilvēks: dzīvesvietu deklarēju pagājušajā mēnesī.", Channel: domain.ReviewChannelPortal})
	if err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
		return fmt.Errorf("demo work: IMK review request: %w", err)
	}
	return nil
}
