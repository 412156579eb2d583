package dbbench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Claimers is how many operators claim at once.
const Claimers = 8

// claimsDatabase is the scratch database of the claim figures.
const claimsDatabase = "ppp_bench_claims"

// claimQueue is how many pending requests the scratch queue holds; it is
// refilled between rounds.
const claimQueue = 200_000

// rawClaimSQL is the baseline: one bare UPDATE … FOR UPDATE SKIP LOCKED
// per claim (the table's trigger still notifies), without the history
// event, the audit entry or reading the request back. It commits the way
// ClaimNext does, without waiting for the WAL flush, so that on a durable
// server the two differ only in the work ClaimNext adds.
const rawClaimSQL = `
	WITH lease AS (SELECT set_config('synchronous_commit', 'off', true))
	UPDATE role_requests
	   SET claimed_by = $1, claim_session = $2, claim_expires_at = now() + interval '15 minutes'
	  FROM lease
	 WHERE id = (SELECT id FROM role_requests
	              WHERE state = 'pending' AND claimed_by IS NULL
	              ORDER BY created_at, id
	              LIMIT 1
	                FOR UPDATE SKIP LOCKED)
	RETURNING id`

// Claims measures claims per second by Claimers operators at once through
// the queue service (ClaimNext: SKIP LOCKED, history, audit entry chained
// by a sealer running alongside, notification, the request read back)
// beside the raw SKIP LOCKED claim, in alternating rounds on a scratch
// database; every claim's audit entry is checked to be on the chain.
func Claims(ctx context.Context, o Options) (benchfig.Figure, error) {
	fig := benchfig.Figure{
		Name:     fmt.Sprintf("claims, %d operators at once (with audit and notify)", Claimers),
		BaseName: "raw SKIP LOCKED", Unit: "claims/s", HigherIsBetter: true,
		Target: "≥ 60% of raw",
	}
	o.logf("bench: claims: preparing a queue of %d requests", claimQueue)
	db, err := freshDatabase(ctx, o.ServerURL, scratchName(claimsDatabase))
	if err != nil {
		return fig, err
	}
	defer func() {
		db.Close()
		_ = dropDatabase(context.WithoutCancel(ctx), o.ServerURL, scratchName(claimsDatabase))
	}()
	ops := storage.NewOperatorService(db)
	var actors []context.Context
	for i := range Claimers {
		op := &domain.Operator{Name: fmt.Sprintf("claimer%d", i), FullName: fmt.Sprintf("Recenzents %d", i),
			Email: fmt.Sprintf("claimer%d@viaa.gov.lv", i), Roles: []domain.Role{domain.RoleReviewer}}
		if err := ops.CreateOperator(benchActor(ctx), op, ""); err != nil {
			return fig, fmt.Errorf("create claimer: %w", err)
		}
		actors = append(actors, domain.WithActor(ctx, domain.Actor{
			OperatorID: op.ID, Name: op.Name, SessionID: fmt.Sprintf("bench-%d", i), RemoteAddr: "127.0.0.1"}))
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO role_requests (kind, state, first_name, last_name, personal_code, email,
		                           email_confirmed_at, created_at, updated_at)
		SELECT 'career_consultant', 'pending', 'Anna', 'Bērziņa', '010180-10000',
		       'anna' || i || '@example.lv', now(), now() - (i || ' seconds')::interval, now()
		  FROM generate_series(1, $1::int) AS i`, claimQueue); err != nil {
		return fig, fmt.Errorf("fill the claim queue: %w", err)
	}
	if _, err := db.Pool().Exec(ctx, `VACUUM ANALYZE role_requests`); err != nil {
		return fig, fmt.Errorf("vacuum the claim queue: %w", err)
	}

	svc := storage.NewRoleRequestService(db)
	ours := func(ctx context.Context, _ int) error {
		_, err := svc.ClaimNext(ctx)
		return err
	}
	// The claims' audit entries are chained while they are measured, as
	// a server does, so that their cost is in the figure.
	audit := storage.NewAuditService(db)
	sealCtx, stopSealing := context.WithCancel(ctx)
	sealed := make(chan struct{})
	go func() { defer close(sealed); audit.RunSealer(sealCtx, nil) }()
	defer func() { stopSealing(); <-sealed }()
	raw := func(ctx context.Context, i int) error {
		a := domain.ActorFrom(ctx)
		var id int64
		return db.Pool().QueryRow(ctx, rawClaimSQL, a.OperatorID, a.SessionID).Scan(&id)
	}
	roundTime := 3 * time.Second
	if o.Quick {
		roundTime = 500 * time.Millisecond
	}
	var oursN, rawN int64
	var oursT, rawT time.Duration
	for r := range o.rounds(4) {
		for _, side := range []struct {
			claim func(context.Context, int) error
			n     *int64
			t     *time.Duration
		}{{ours, &oursN, &oursT}, {raw, &rawN, &rawT}} {
			if _, err := db.Pool().Exec(ctx, `
				UPDATE role_requests SET claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL
				 WHERE claimed_by IS NOT NULL`); err != nil {
				return fig, fmt.Errorf("release the claims: %w", err)
			}
			n, d, err := claimRound(ctx, actors, roundTime, side.claim)
			if err != nil {
				return fig, err
			}
			*side.n += n
			*side.t += d
		}
		o.logf("bench: claims: round %d: %d ours, %d raw so far", r+1, oursN, rawN)
	}
	stopSealing()
	<-sealed
	if _, err := audit.SealAudit(ctx); err != nil {
		return fig, err
	}
	var chained int64
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditRoleRequestClaim+`'`).Scan(&chained); err != nil {
		return fig, fmt.Errorf("count the claims' audit entries: %w", err)
	}
	if chained != oursN {
		return fig, fmt.Errorf("%d claims but %d audit entries", oursN, chained)
	}
	fig.Value = float64(oursN) / oursT.Seconds()
	fig.Baseline = float64(rawN) / rawT.Seconds()
	fig.Met = fig.Value >= 0.6*fig.Baseline
	return fig, nil
}

// claimRound runs claim in one goroutine per actor for d and returns the
// number of claims made and the time taken.
func claimRound(ctx context.Context, actors []context.Context, d time.Duration, claim func(context.Context, int) error) (int64, time.Duration, error) {
	var n atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(actors))
	stop := time.Now().Add(d)
	start := time.Now()
	for i, actx := range actors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) && ctx.Err() == nil {
				if err := claim(actx, i); err != nil {
					errs <- fmt.Errorf("claim: %w", err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return 0, 0, err
	}
	return n.Load(), elapsed, ctx.Err()
}
