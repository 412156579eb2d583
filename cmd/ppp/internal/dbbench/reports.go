package dbbench

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// reportsDatabase is the scratch database of the reports.
const reportsDatabase = "ppp_bench_reports"

// reportLoad builds the reports' scale data in the database, set-wise:
// persons adults of the Population Register mirror with a birth date,
// municipality, sex (one in 20 unknown) and LKI each, the same persons with a ¶32.8 death-check
// state, and an IMK application for every tenth of them spread over two
// years with every outcome.
const reportLoad = `
INSERT INTO population_register (personal_code, birth_date, municipality, resident, deceased_on, sex)
SELECT '32' || lpad(i::text, 9, '0'), date '1940-01-01' + (i % 25000), m.code, i % 50 <> 0,
       CASE WHEN i % 97 = 0 THEN date '2025-06-01' END,
       CASE WHEN i % 20 = 0 THEN NULL WHEN i % 2 = 0 THEN 'F' ELSE 'M' END
  FROM generate_series(1, $1) i
  JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS n FROM municipalities) m
    ON m.n = i % (SELECT count(*) FROM municipalities);
INSERT INTO education_register (personal_code, highest_lki)
SELECT personal_code, (hashtext(personal_code) & 7) + 1 FROM population_register WHERE right(personal_code, 1) <> '3';
INSERT INTO persons (personal_code, last_death_check_at, death_check_due_at, death_check_outcome)
SELECT '32' || lpad(i::text, 9, '0'), now() - (i % 200) * interval '1 day', now() + (i % 200 - 20) * interval '1 day',
       (ARRAY['', 'checked', 'not_found', 'stale'])[i % 4 + 1]
  FROM generate_series(1, $1) i;
INSERT INTO person_codes (code, person_id) SELECT personal_code, id FROM persons;
INSERT INTO imk_applications (personal_code, email, state, applied_at, decided_at, policy_id)
SELECT '32' || lpad(i::text, 9, '0'), 'p' || i || '@example.lv',
       (ARRAY['approved', 'rejected', 'closed', 'rejected', 'needs_review'])[i % 5 + 1],
       now() - (i % 730) * interval '1 day',
       CASE WHEN i % 5 <> 4 THEN now() - (i % 730) * interval '1 day' + interval '1 hour' END,
       CASE WHEN i % 5 <> 4 THEN (SELECT min(id) FROM eligibility_policies) END
  FROM generate_series(10, $1, 10) i;
`

// Reports times each report of issue 18 (≤ 2 s at 1,000,000 persons and
// their applications) over a 90-day period, run the way `ppp report` runs
// it (role check, one snapshot, the audited run), beside a plain count of
// the rows the report reads. Building the data is not timed. Each figure
// is the median of the runs.
func Reports(ctx context.Context, o Options, persons int) ([]benchfig.Figure, error) {
	if o.Quick {
		persons = min(persons, 20_000)
	}
	o.logf("bench: reports: loading %d persons", persons)
	name := scratchName(reportsDatabase)
	db, err := freshDatabase(ctx, o.ServerURL, name)
	if err != nil {
		return nil, err
	}
	defer func() {
		db.Close()
		_ = dropDatabase(context.WithoutCancel(ctx), o.ServerURL, name)
	}()
	for _, stmt := range strings.Split(reportLoad, ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		var args []any
		if strings.Contains(stmt, "$1") {
			args = append(args, persons)
		}
		if _, err := db.Pool().Exec(ctx, stmt, args...); err != nil {
			return nil, fmt.Errorf("load the reports' data: %w", err)
		}
	}
	if _, err := db.Pool().Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return nil, fmt.Errorf("vacuum: %w", err)
	}
	now := time.Now()
	period := domain.ReportPeriod{From: now.AddDate(0, 0, -90), To: now}
	svc := storage.NewReportService(db)
	baselines := map[string]string{
		domain.ReportIMKUptake: `SELECT (SELECT count(*) FROM imk_applications WHERE applied_at >= $1 AND applied_at < $2)
		                              + (SELECT count(*) FROM population_register)`,
		domain.ReportQueues: `SELECT (SELECT count(*) FROM imk_applications WHERE decided_at >= $1 AND decided_at < $2)
		                           + (SELECT count(*) FROM imk_applications WHERE applied_at >= $1 AND applied_at < $2)`,
		domain.ReportDecisions: `SELECT (SELECT count(*) FROM imk_applications WHERE decided_at >= $1 AND decided_at < $2)
		                              + (SELECT count(*) FROM tickets WHERE created_at >= $1 AND created_at < $2)`,
		domain.ReportCompliance: `SELECT (SELECT count(*) FROM persons WHERE last_death_check_at >= $1 AND last_death_check_at < $2)
		                               + (SELECT count(*) FROM persons)`,
	}
	var figs []benchfig.Figure
	for _, report := range domain.ReportNames() {
		fig := benchfig.Figure{
			Name: fmt.Sprintf("report %s, 90 days, %d persons (p50)", report, persons),
			Unit: "ms", BaseName: "plain count of the rows it reads",
			Target: "≤ 2 s at 1,000,000 persons",
		}
		var took, base []time.Duration
		for range o.rounds(5) {
			d, err := timeIt(func() error { _, err := svc.Run(benchActor(ctx), report, period); return err })
			if err != nil {
				return nil, fmt.Errorf("report %s: %w", report, err)
			}
			took = append(took, d)
			d, err = timeIt(func() error {
				var n int64
				return db.Pool().QueryRow(ctx, baselines[report], period.Start(), period.End()).Scan(&n)
			})
			if err != nil {
				return nil, fmt.Errorf("report %s baseline: %w", report, err)
			}
			base = append(base, d)
		}
		slices.Sort(took)
		slices.Sort(base)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		fig.Value, fig.Baseline = ms(took[len(took)/2]), ms(base[len(base)/2])
		fig.Met = took[len(took)-1] <= 2*time.Second
		fig.Note = fmt.Sprintf("slowest of %d runs %.0f ms", len(took), ms(took[len(took)-1]))
		figs = append(figs, fig)
	}
	return figs, nil
}
