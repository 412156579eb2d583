package storage

import (
	"context"
	"time"

	"github.com/viaa/ppp/domain"
)

// reportGuard refuses reports to anyone but administrators and security
// officers (and the back office itself).
var reportGuard = guard{
	noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
	forbidden:  domain.Errorf(domain.EFORBIDDEN, "access.forbidden", "you do not hold the role this needs"),
}

// ReportService runs the reports of issue 18 on PostgreSQL. It implements
// domain.ReportService.
type ReportService struct {
	db *DB
}

var _ domain.ReportService = (*ReportService)(nil)

// NewReportService returns a ReportService on db.
func NewReportService(db *DB) *ReportService { return &ReportService{db: db} }

// reportFuncs computes each report inside one read-only snapshot.
var reportFuncs = map[string]func(ctx context.Context, tx *Tx, r *domain.Report, now time.Time) error{
	domain.ReportIMKUptake:  imkUptakeReport,
	domain.ReportCompliance: complianceReport,
}

// Run runs the report name over period (domain.ReportService). The
// figures come from one snapshot; the run is audited afterwards in a short
// transaction of its own, so that a long report never holds the audit
// chain's lock. It returns the errors domain.ReportService lists.
func (s *ReportService) Run(ctx context.Context, name string, period domain.ReportPeriod) (*domain.Report, error) {
	if err := domain.CheckReportName(name); err != nil {
		return nil, err
	}
	if err := period.Validate(); err != nil {
		return nil, err
	}
	r := &domain.Report{Name: name, Period: period}
	if name == domain.ReportIMKUptake {
		if err := s.refreshPopulation(ctx); err != nil {
			return nil, err
		}
	}
	err := s.db.readTx(ctx, "run report "+name, func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, reportGuard, domain.ReportRoles...); err != nil {
			return err
		}
		r.RanAt = tx.now.UTC()
		if err := reportFuncs[name](ctx, tx, r, tx.now); err != nil {
			return err
		}
		r.SetDrills()
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.db.inTx(ctx, "audit report "+name, func(tx *Tx) error {
		// Checked again: a role taken away while the report ran counts.
		if _, err := loadCaller(ctx, tx, reportGuard, domain.ReportRoles...); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditReportRun, SubjectKind: "report",
			SubjectID: name, Details: "period " + period.String()})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// uptakeDimensions are the groups of the IMK take-up report, in order, each
// with its catalog key; groupKeys, when set, are the catalog keys of its
// groups (sex: "f", "m"), which the report shows instead of the group's
// text. Sex comes from the Population Register extract (migration 0346).
var uptakeDimensions = []struct {
	name, key, series string
	groupKeys         map[string]string
}{
	{"lki", "report.dim.lki", "report.series.share_lki", nil},
	{"age_band", "report.dim.age_band", "report.series.share_age_band", nil},
	{"municipality", "report.dim.municipality", "report.series.share_municipality", nil},
	{"sex", "report.dim.sex", "report.series.share_sex", map[string]string{"f": "report.sex.f", "m": "report.sex.m"}},
}

// uptakeGroupColumns are an application's groups in the take-up report,
// by dimension (a: imk_applications, p: population_register, e:
// education_register, m: municipalities), as its drill (uptakeGroup)
// filters by them; refreshPopulation groups the mirror's adults alike.
const uptakeGroupColumns = `coalesce(e.highest_lki::text, '') AS lki,
		           report_age_band(p.birth_date, (a.applied_at AT TIME ZONE 'Europe/Riga')::date) AS age_band,
		           coalesce(m.name, p.municipality, '') AS municipality,
		           lower(coalesce(p.sex, '')) AS sex`

// uptakeGroupingDim and uptakeGroupingGrp name the dimension and the group
// of a row of GROUPING SETS ((lki), (age_band), (municipality), (sex)).
const (
	uptakeGroupingDim = `CASE WHEN GROUPING(lki) = 0 THEN 'lki' WHEN GROUPING(age_band) = 0 THEN 'age_band'
		            WHEN GROUPING(municipality) = 0 THEN 'municipality' ELSE 'sex' END`
	uptakeGroupingGrp = `coalesce(CASE WHEN GROUPING(lki) = 0 THEN lki WHEN GROUPING(age_band) = 0 THEN age_band
		                     WHEN GROUPING(municipality) = 0 THEN municipality ELSE sex END, '')`
)

// imkUptakeReport: ¶26.4 — applications of the period and their outcomes
// by highest education level (LKI), age band on the day of application,
// municipality and sex, each group's share of all applications beside its
// share of the adult population (alive, resident, 18 or older at the
// period's end) in the Population Register mirror. The applications are a
// range of imk_applications_applied_idx joined by primary key to the
// mirrors; the population is one pass over the mirror (bench: report
// imk-uptake).
func imkUptakeReport(ctx context.Context, tx *Tx, r *domain.Report, _ time.Time) error {
	r.Columns = domain.ReportColumnsOf(domain.ReportIMKUptake)
	r.Notes = []domain.ReportNote{{Key: "report.note.approved_includes_later"}}
	type counts struct{ apps, approved, rejAuto, rejManual, adults int64 }
	groups := map[[2]string]*counts{}
	var order [][2]string
	get := func(dim, grp string) *counts {
		k := [2]string{dim, grp}
		if c, ok := groups[k]; ok {
			return c
		}
		c := &counts{}
		groups[k] = c
		order = append(order, k)
		return c
	}
	var asOf time.Time
	if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT as_of FROM report_population_state), '-infinity')`).Scan(&asOf); err != nil {
		return dbError("run report imk-uptake", err)
	}
	if asOf.Year() > 1 {
		r.Notes = append(r.Notes, domain.ReportNote{Key: "report.note.population_as_of", Args: []any{asOf.Format(time.DateOnly)}})
	}
	rows, err := tx.Query(ctx, `
		WITH a AS (
		    SELECT a.state, a.decided_by IS NULL AS automatic,
		           `+uptakeGroupColumns+`
		      FROM imk_applications a
		      LEFT JOIN population_register p ON p.personal_code = a.personal_code
		      LEFT JOIN education_register e ON e.personal_code = a.personal_code
		      LEFT JOIN municipalities m ON m.code = p.municipality
		     WHERE a.applied_at >= $1 AND a.applied_at < $2
		)
		SELECT 'a', `+uptakeGroupingDim+`, `+uptakeGroupingGrp+`,
		       count(*),
		       count(*) FILTER (WHERE state IN ('approved', 'suspended', 'closed')),
		       count(*) FILTER (WHERE state = 'rejected' AND automatic),
		       count(*) FILTER (WHERE state = 'rejected' AND NOT automatic)
		  FROM a GROUP BY GROUPING SETS ((lki), (age_band), (municipality), (sex))
		UNION ALL
		SELECT 'p', dimension, grp, adults, 0, 0, 0
		  FROM report_population`,
		r.Period.Start(), r.Period.End())
	if err != nil {
		return dbError("run report imk-uptake", err)
	}
	for rows.Next() {
		var src, dim, grp string
		var n, approved, rejAuto, rejManual int64
		if err := rows.Scan(&src, &dim, &grp, &n, &approved, &rejAuto, &rejManual); err != nil {
			rows.Close()
			return dbError("run report imk-uptake", err)
		}
		c := get(dim, grp)
		if src == "p" {
			c.adults = n
		} else {
			c.apps, c.approved, c.rejAuto, c.rejManual = n, approved, rejAuto, rejManual
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dbError("run report imk-uptake", err)
	}
	for _, d := range uptakeDimensions {
		var keys [][2]string
		var apps, adults int64
		for _, k := range order {
			if k[0] == d.name {
				keys = append(keys, k)
				apps += groups[k].apps
				adults += groups[k].adults
			}
		}
		domain.SortReportGroups(keys)
		series := domain.ReportSeries{Key: d.series, Kind: domain.ColumnPercent}
		for _, k := range keys {
			c := groups[k]
			grp := domain.ReportCell{Text: k[1]}
			switch {
			case k[1] == "":
				grp = domain.ReportCell{Key: "report.group.unknown"}
			case d.groupKeys[k[1]] != "":
				grp = domain.ReportCell{Key: d.groupKeys[k[1]]}
			}
			r.Rows = append(r.Rows, []domain.ReportCell{
				{Key: d.key}, grp,
				{Count: c.apps}, {Count: c.approved}, {Count: c.rejAuto}, {Count: c.rejManual},
				domain.ShareCell(c.apps, apps), domain.ShareCell(c.adults, adults),
			})
			share, _ := domain.Share(c.apps, apps)
			series.Labels = append(series.Labels, k[1])
			series.LabelKeys = append(series.LabelKeys, d.groupKeys[k[1]])
			series.Values = append(series.Values, share)
		}
		r.Series = append(r.Series, series)
	}
	return nil
}

// complianceReport: the ¶32.8 death check of the living persons (checked
// in the period, last attempt not found, last attempt on stale data,
// overdue now), acceptance of the terms in force by Platform role (¶26.2),
// and active institutions due for re-verification by the period's end or
// overdue now (issue 17). Each figure is a range of a partial index
// (persons_death_checked_idx, persons_death_check_open_idx,
// persons_death_check_due_idx, institutions_reverify_due_idx,
// terms_acceptances_pkey) except the counts of all living persons and
// active institutions, the shares' denominators.
func complianceReport(ctx context.Context, tx *Tx, r *domain.Report, now time.Time) error {
	r.Columns = domain.ReportColumnsOf(domain.ReportCompliance)
	var living, checked, notFound, stale, overdue int64
	if err := tx.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM persons WHERE deceased_on IS NULL),
		       (SELECT count(*) FROM persons WHERE last_death_check_at >= $1 AND last_death_check_at < $2),
		       (SELECT count(*) FROM persons WHERE deceased_on IS NULL AND death_check_outcome = 'not_found'),
		       (SELECT count(*) FROM persons WHERE deceased_on IS NULL AND death_check_outcome = 'stale'),
		       (SELECT count(*) FROM persons WHERE deceased_on IS NULL AND death_check_due_at < $3)`,
		r.Period.Start(), r.Period.End(), now).Scan(&living, &checked, &notFound, &stale, &overdue); err != nil {
		return dbError("run report compliance", err)
	}
	row := func(section, item string, itemText string, n, of int64) []domain.ReportCell {
		it := domain.ReportCell{Key: item}
		if item == "" {
			it = domain.ReportCell{Text: itemText}
		}
		return []domain.ReportCell{{Key: section}, it, {Count: n}, {Count: of}, domain.ShareCell(n, of)}
	}
	r.Rows = append(r.Rows,
		row("report.section.death_check", "report.item.checked", "", checked, living),
		row("report.section.death_check", "report.item.not_found", "", notFound, living),
		row("report.section.death_check", "report.item.stale", "", stale, living),
		row("report.section.death_check", "report.item.overdue", "", overdue, living),
	)
	rows, err := tx.Query(ctx, `
		WITH holders AS (
		    SELECT DISTINCT role, user_id FROM role_assignments
		     WHERE ended_at IS NULL AND valid_from <= $1 AND valid_until > $1
		)
		SELECT h.role, count(*), count(t.user_id)
		  FROM holders h
		  LEFT JOIN terms_acceptances t ON t.user_id = h.user_id
		       AND t.version_id = (SELECT id FROM terms_versions WHERE state = 'published' ORDER BY published_at DESC LIMIT 1)
		 GROUP BY h.role ORDER BY h.role`, now)
	if err != nil {
		return dbError("run report compliance", err)
	}
	for rows.Next() {
		var role string
		var holders, accepted int64
		if err := rows.Scan(&role, &holders, &accepted); err != nil {
			rows.Close()
			return dbError("run report compliance", err)
		}
		r.Rows = append(r.Rows, row("report.section.terms_accepted", "", role, accepted, holders))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dbError("run report compliance", err)
	}
	var active, due, late int64
	if err := tx.QueryRow(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE reverify_due_at < $1),
		       count(*) FILTER (WHERE reverify_due_at < $2)
		  FROM institutions WHERE state = 'active'`, r.Period.End(), now).Scan(&active, &due, &late); err != nil {
		return dbError("run report compliance", err)
	}
	r.Rows = append(r.Rows,
		row("report.section.reverify", "report.item.due_by_period_end", "", due, active),
		row("report.section.reverify", "report.item.overdue", "", late, active),
	)
	return nil
}

// populationMaxAge is how old the precomputed adult population may grow
// before a take-up report recomputes it (ages move on).
const populationMaxAge = 30 * 24 * time.Hour

// refreshPopulation recomputes report_population when it is missing, older
// than populationMaxAge, or older than the last population or education
// extract imported; one caller at a time (a transaction-level advisory
// lock), the others wait and then find it fresh. Only a caller that may
// run reports triggers it. It returns the errors of loadCaller, and
// EUNAVAILABLE when the database does not answer.
func (s *ReportService) refreshPopulation(ctx context.Context) error {
	return s.db.inTx(ctx, "refresh the report population", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, reportGuard, domain.ReportRoles...); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('ppp.report_population'))`); err != nil {
			return dbError("refresh the report population", err)
		}
		var stale bool
		if err := tx.QueryRow(ctx, `
			SELECT NOT EXISTS (
			    SELECT FROM report_population_state s
			     WHERE s.refreshed_at > $1::timestamptz - $2::interval
			       AND s.refreshed_at >= coalesce((SELECT max(imported_at) FROM register_imports
			                                        WHERE register IN ('population', 'education')), '-infinity'))`,
			tx.now, populationMaxAge).Scan(&stale); err != nil {
			return dbError("refresh the report population", err)
		}
		if !stale {
			return nil
		}
		asOf := tx.now.In(domain.AgencyZone).Format(time.DateOnly)
		if _, err := tx.Exec(ctx, `DELETE FROM report_population`); err != nil {
			return dbError("refresh the report population", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_population (dimension, grp, adults)
			SELECT `+uptakeGroupingDim+`, `+uptakeGroupingGrp+`, count(*)
			  FROM (SELECT coalesce(e.highest_lki::text, '') AS lki,
			               report_age_band(p.birth_date, $1::date) AS age_band,
			               coalesce(m.name, p.municipality, '') AS municipality,
			               lower(coalesce(p.sex, '')) AS sex
			          FROM population_register p
			          LEFT JOIN education_register e ON e.personal_code = p.personal_code
			          LEFT JOIN municipalities m ON m.code = p.municipality
			         WHERE p.deceased_on IS NULL AND p.resident AND p.birth_date <= $1::date - interval '18 years') x
			 GROUP BY GROUPING SETS ((lki), (age_band), (municipality), (sex))`, asOf); err != nil {
			return dbError("refresh the report population", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_population_state (as_of, refreshed_at) VALUES ($1, $2)
			ON CONFLICT (id) DO UPDATE SET as_of = EXCLUDED.as_of, refreshed_at = EXCLUDED.refreshed_at`, asOf, tx.now); err != nil {
			return dbError("refresh the report population", err)
		}
		return nil
	})
}
