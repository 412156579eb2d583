package storage_test

// Benchmarks of the role-request queue, each beside raw SQL doing the same
// work on the same data in the same run:
//
//	go test ./storage -run '^$' -bench 'RoleRequestList|ClaimNext' -benchtime 3s
//
// The list benchmarks read a page at depth 500,000 of 1,000,000 requests
// loaded by demodata. Building that data set takes a few minutes, so it is
// built once and kept in the test server as database ppp_bench_<schema>,
// reused by later runs until the schema changes (drop it with DROP
// DATABASE to reclaim the space). The claim benchmarks use a fresh
// database per run. Plain `go test` runs no benchmark; -short skips them.

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
	"github.com/viaa/ppp/storage/pgtest"
)

const (
	benchRequests = 1_000_000
	benchDepth    = 500_000
	benchPage     = 50
	benchClaimers = 8
	// benchDataVersion changes when the data set must be rebuilt.
	benchDataVersion = "v1"
	benchComplete    = "ppp bench data set " + benchDataVersion + ": complete"
	// benchLockKey is 'ppp_bnch': bench processes build the data one at a time.
	benchLockKey int64 = 8102099284615127912
)

// The million-request data set, shared by every list benchmark of the
// process.
var (
	benchOnce   sync.Once
	benchDB     *storage.DB
	benchCursor struct {
		created time.Time
		id      int64
	}
	benchErr error
)

// millionRequests returns the data set and the keyset position of its
// 500,000th request in queue order, building the data set on first use.
func millionRequests(b *testing.B) *storage.DB {
	b.Helper()
	if testing.Short() {
		b.Skip("the million-request data set is not built with -short")
	}
	server := pgtest.ServerURL(b)
	benchOnce.Do(func() { benchErr = openBenchData(server) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

// openBenchData opens (building it if needed) the data set's database.
func openBenchData(server string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	name := "ppp_bench_" + storage.SchemaHash()[:16]
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, benchLockKey); err != nil {
		return err
	}
	var comment *string
	err = conn.QueryRow(ctx, `SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1`, name).Scan(&comment)
	complete := err == nil && comment != nil && *comment == benchComplete
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	ident := pgx.Identifier{name}.Sanitize()
	dsn := storage.WithDatabase(server, name)
	if !complete {
		// Data sets of older schemas are of no more use.
		rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'ppp\_bench\_%'`)
		if err != nil {
			return err
		}
		stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, old := range stale {
			if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{old}.Sanitize()+" WITH (FORCE)"); err != nil {
				return err
			}
		}
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
			return err
		}
		db, err := storage.Open(ctx, dsn)
		if err != nil {
			return err
		}
		start := time.Now()
		err = buildBenchData(ctx, db)
		db.Close()
		if err != nil {
			return err
		}
		fmt.Printf("bench: built %d role requests in %v\n", benchRequests, time.Since(start).Round(time.Second))
		if _, err := conn.Exec(ctx, "COMMENT ON DATABASE "+ident+" IS '"+benchComplete+"'"); err != nil {
			return err
		}
	}
	benchDB, err = storage.Open(ctx, dsn)
	if err != nil {
		return err
	}
	// The 500,000th request in queue order, found once with OFFSET.
	return benchDB.Pool().QueryRow(ctx, `
		SELECT created_at, id FROM role_requests ORDER BY created_at, id OFFSET $1 LIMIT 1`,
		benchDepth-1).Scan(&benchCursor.created, &benchCursor.id)
}

// buildBenchData migrates db and loads a million requests into it.
func buildBenchData(ctx context.Context, db *storage.DB) error {
	if err := storage.Migrate(ctx, db); err != nil {
		return err
	}
	ops := storage.NewOperatorService(db)
	actx := domain.WithActor(ctx, domain.Actor{Name: "cli:bench"})
	for _, op := range []*domain.Operator{
		{Name: "demo", FullName: "Līga Ozoliņa", Email: "demo@viaa.gov.lv", Roles: domain.Roles},
		{Name: "janis.berzins", FullName: "Jānis Bērziņš", Email: "janis.berzins@viaa.gov.lv", Roles: []domain.Role{domain.RoleReviewer}},
	} {
		if err := ops.CreateOperator(actx, op, ""); err != nil {
			return err
		}
	}
	res, err := demodata.Load(actx, db, demodata.Options{Scale: benchRequests, Seed: 1})
	if err != nil {
		return err
	}
	if res.Requests < benchDepth+benchPage {
		return fmt.Errorf("bench data set has only %d requests", res.Requests)
	}
	// Set the visibility map, so that index-only scans are what they
	// would be on a database that has been running for a while.
	_, err = db.Pool().Exec(ctx, `VACUUM ANALYZE role_requests`)
	return err
}

// BenchmarkRoleRequestList_Depth500k reads the page after the 500,000th
// request of all 1,000,000 (every state) through the service: filter
// checks, one index range per state, the joins for names, rows mapped to
// domain.RoleRequest.
func BenchmarkRoleRequestList_Depth500k(b *testing.B) {
	db := millionRequests(b)
	svc := storage.NewRoleRequestService(db)
	f := domain.RoleRequestFilter{
		States:       domain.RoleRequestStates,
		AfterCreated: benchCursor.created, AfterID: benchCursor.id, Limit: benchPage,
	}
	ctx := context.Background()
	for b.Loop() {
		page, err := svc.ListRoleRequests(ctx, f)
		if err != nil || len(page) != benchPage {
			b.Fatalf("page: %d, %v", len(page), err)
		}
	}
}

// benchRawListSQL is the same page written by hand: one keyset range per
// state, merged and cut to 50, with the columns a queue page shows (the
// institution's, municipality's and holder's names joined).
const benchRawListSQL = `
	SELECT r.id, r.kind, r.state, r.version,
	       r.first_name, r.last_name, r.personal_code, r.email, r.institution_name,
	       coalesce(r.municipality_code, ''), coalesce(i.name, r.institution_name), coalesce(m.name, ''),
	       r.email_confirmed_at, r.created_at, r.updated_at,
	       coalesce(r.claimed_by, 0), coalesce(nullif(o.full_name, ''), o.name, ''), r.claim_expires_at
	  FROM (SELECT id, created_at
	          FROM (
		        (SELECT id, created_at FROM role_requests WHERE state = 'unconfirmed'    AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT 50)
		        UNION ALL
		        (SELECT id, created_at FROM role_requests WHERE state = 'pending'        AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT 50)
		        UNION ALL
		        (SELECT id, created_at FROM role_requests WHERE state = 'at_institution' AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT 50)
		        UNION ALL
		        (SELECT id, created_at FROM role_requests WHERE state = 'info_requested' AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT 50)
		        UNION ALL
		        (SELECT id, created_at FROM role_requests WHERE state = 'approved'       AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT 50)
		        UNION ALL
		        (SELECT id, created_at FROM role_requests WHERE state = 'rejected'       AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT 50)
		        UNION ALL
		        (SELECT id, created_at FROM role_requests WHERE state = 'expired'        AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT 50)
	               ) AS u
	         ORDER BY created_at, id
	         LIMIT 50) AS page
	  JOIN role_requests r ON r.id = page.id
	  LEFT JOIN institutions i ON i.id = r.institution_id
	  LEFT JOIN municipalities m ON m.code = r.municipality_code
	  LEFT JOIN operators o ON o.id = r.claimed_by
	 ORDER BY r.created_at, r.id`

// BenchmarkRoleRequestList_Depth500k_RawSQL reads the same page with
// hand-written SQL and pgx alone.
func BenchmarkRoleRequestList_Depth500k_RawSQL(b *testing.B) {
	db := millionRequests(b)
	ctx := context.Background()
	for b.Loop() {
		rows, err := db.Pool().Query(ctx, benchRawListSQL, benchCursor.created, benchCursor.id)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		var id, version, holderID int64
		var kind, state, first, last, code, email, inst, muni, instName, muniName, holder string
		var confirmed, expires *time.Time
		var created, updated time.Time
		for rows.Next() {
			if err := rows.Scan(&id, &kind, &state, &version, &first, &last, &code, &email, &inst,
				&muni, &instName, &muniName, &confirmed, &created, &updated, &holderID, &holder, &expires); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if rows.Err() != nil || n != benchPage {
			b.Fatalf("page: %d, %v", n, rows.Err())
		}
	}
}

// BenchmarkRoleRequestList_Depth500k_RawOffset reads the same depth with
// OFFSET, which the queue never does: for comparison.
func BenchmarkRoleRequestList_Depth500k_RawOffset(b *testing.B) {
	db := millionRequests(b)
	ctx := context.Background()
	for b.Loop() {
		rows, err := db.Pool().Query(ctx, `
			SELECT id, kind, state, applicant_name, created_at FROM role_requests
			 ORDER BY created_at, id OFFSET $1 LIMIT 50`, benchDepth)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		if rows.Err() != nil || n != benchPage {
			b.Fatalf("page: %d, %v", n, rows.Err())
		}
	}
}

// claimBench prepares a database with enough pending requests for n
// claims and benchClaimers reviewers.
func claimBench(b *testing.B, n int) (*storage.DB, []*domain.Operator) {
	b.Helper()
	db := pgtest.NewDB(b)
	var ops []*domain.Operator
	for i := range benchClaimers {
		ops = append(ops, rrOperator(b, db, fmt.Sprintf("claimer%d", i), fmt.Sprintf("Recenzents %d", i), ""))
	}
	_, err := db.Pool().Exec(b.Context(), `
		INSERT INTO role_requests (kind, state, first_name, last_name, personal_code, email,
		                           email_confirmed_at, created_at, updated_at)
		SELECT 'career_consultant', 'pending', 'Anna', 'Bērziņa', '010180-10000',
		       'anna' || i || '@example.lv', now(), now() - (i || ' seconds')::interval, now()
		  FROM generate_series(1, $1::int) AS i`, n+benchClaimers*4)
	if err != nil {
		b.Fatal(err)
	}
	// As the superuser: only a table's owner may vacuum it.
	if _, err := pgtest.NewAdminDB(b).Pool().Exec(b.Context(), `VACUUM ANALYZE role_requests`); err != nil {
		b.Fatal(err)
	}
	return db, ops
}

// runClaimers runs claim in benchClaimers goroutines until b.N claims are
// done, each goroutine as its own reviewer.
func runClaimers(b *testing.B, ops []*domain.Operator, claim func(ctx context.Context, op *domain.Operator) error) {
	b.Helper()
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((benchClaimers + procs - 1) / procs)
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		op := ops[int(next.Add(1)-1)%len(ops)]
		ctx := asSession(b, op, "bench-"+op.Name)
		for pb.Next() {
			if err := claim(ctx, op); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
}

// BenchmarkClaimNext_8Claimers claims the head of the pending queue with
// ClaimNext from 8 goroutines at once: SKIP LOCKED, the history event, the
// audit entry (pending, chained by a sealer running alongside as in a
// server), the notification, and the request read back.
func BenchmarkClaimNext_8Claimers(b *testing.B) {
	db, ops := claimBench(b, b.N)
	svc := storage.NewRoleRequestService(db)
	sealCtx, stop := context.WithCancel(b.Context())
	sealed := make(chan struct{})
	go func() { defer close(sealed); storage.NewAuditService(db).RunSealer(sealCtx, nil) }()
	runClaimers(b, ops, func(ctx context.Context, _ *domain.Operator) error {
		_, err := svc.ClaimNext(ctx)
		return err
	})
	stop()
	<-sealed
}

// BenchmarkClaimNext_8Claimers_RawSkipLocked claims the same way with one
// bare UPDATE … FOR UPDATE SKIP LOCKED per claim (the trigger still
// notifies), without history, audit or read-back.
func BenchmarkClaimNext_8Claimers_RawSkipLocked(b *testing.B) {
	db, ops := claimBench(b, b.N)
	runClaimers(b, ops, func(ctx context.Context, op *domain.Operator) error {
		var id int64
		return db.Pool().QueryRow(ctx, `
			UPDATE role_requests
			   SET claimed_by = $1, claim_session = $2, claim_expires_at = now() + interval '15 minutes'
			 WHERE id = (SELECT id FROM role_requests
			              WHERE state = 'pending' AND claimed_by IS NULL
			              ORDER BY created_at, id
			              LIMIT 1
			                FOR UPDATE SKIP LOCKED)
			RETURNING id`, op.ID, "bench-"+op.Name).Scan(&id)
	})
}
