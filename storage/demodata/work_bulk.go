package demodata

import (
	"context"
	"fmt"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// bulk leaves the bulk screen (issue 17) one job in each shape: a
// reminder to accept the terms mailed to coordinators, done; a bulk
// denial of two institution staff users waiting for a second security
// officer (edgars.vitols approves it); and a request to check one's data
// mailed to institution staff, running with a few items done — paused
// until a server's worker takes it up. Nothing is written when a bulk
// job exists already, or when the cast is too small.
func (w *work) bulk(ctx context.Context) error {
	var present bool
	if err := w.db.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT FROM bulk_jobs)`).Scan(&present); err != nil {
		return fmt.Errorf("demo work: look for bulk jobs: %w", err)
	}
	viss, staff := ids(w.cast.viss.people), ids(w.cast.staff.people)
	if present || len(viss) < 4 || len(staff) < 6 {
		return nil
	}
	svc := storage.NewBulkService(w.wdb, storage.NewDenialService(w.wdb), storage.NewRoleRequestService(w.wdb), nil)
	worker := storage.NewBulkWorker(svc, "demo")
	start := func(as string, r domain.BulkRequest) (*domain.BulkJob, error) {
		ctx := w.as(ctx, as)
		j, err := svc.PrepareBulk(ctx, r)
		if err != nil {
			return nil, fmt.Errorf("demo work: prepare a bulk %s: %w", r.Kind, err)
		}
		if err := svc.StepBulk(ctx, j.ID, j.Version, domain.BulkStart, ""); err != nil {
			return nil, fmt.Errorf("demo work: start a bulk %s: %w", r.Kind, err)
		}
		w.res.BulkJobs++
		return j, nil
	}
	people := func(ids []int64) domain.BulkSelection {
		return domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: ids}
	}

	if _, err := start(OperatorReviewer, domain.BulkRequest{Kind: domain.BulkMail, Template: "bulk.terms_reminder",
		Reason: "Spēkā ir jauna lietošanas noteikumu versija; lūdzam to pieņemt līdz mēneša beigām.", Selection: people(viss)}); err != nil {
		return err
	}
	for {
		n, err := worker.RunOnce(ctx)
		if err != nil {
			return fmt.Errorf("demo work: run the bulk mail: %w", err)
		}
		if n == 0 {
			break
		}
	}
	if _, err := start(OperatorSecurity, domain.BulkRequest{Kind: domain.BulkDeny, Ground: domain.GroundRulesBroken,
		Reason: "Kopīgoja pieejas rekvizītus ar trešajām personām (iestādes ziņojums Nr. 41).", Selection: people(staff[len(staff)-2:])}); err != nil {
		return err
	}
	if _, err := start(OperatorReviewer, domain.BulkRequest{Kind: domain.BulkMail, Template: "bulk.data_check",
		Reason: "Ikgadējā iestāžu darbinieku datu pārbaude.", Selection: people(staff[:len(staff)-2])}); err != nil {
		return err
	}
	worker.Batch = 2
	if _, err := worker.RunOnce(ctx); err != nil {
		return fmt.Errorf("demo work: begin the bulk data check: %w", err)
	}
	return nil
}

func ids(people []*member) []int64 {
	out := make([]int64, len(people))
	for i, p := range people {
		out[i] = p.id
	}
	return out
}
