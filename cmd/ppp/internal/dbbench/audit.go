package dbbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/auditgen"
)

// AuditEntries is the size of the audit log the audit figures read: years
// of the back office's work (issue 15).
const AuditEntries = 10_000_000

// auditQuickEntries is the log of a --quick run.
const auditQuickEntries = 20_000

// auditSmallEntries is the log the screen's page is compared with.
const auditSmallEntries = 10_000

// auditResumed is how many new entries the resumed verification reads.
const auditResumed = 100_000

// auditSpan is the time the bench's logs cover, ending at auditEnd.
const auditSpan = 3 * 365 * 24 * time.Hour

// auditEnd is fixed, so that the same seed gives the same log whenever
// it is built.
var auditEnd = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// auditPage is the screen's page: 50 entries and one to tell whether an
// older page exists.
const auditPage = 51

// rawAuditColumns are the columns a page shows, for the raw baselines.
const rawAuditColumns = `seq, at, actor_id, actor_name, session_id, remote_addr,
	       action, subject_kind, subject_id, reason, details, hash`

// rawTextExpr is the text the raw free-text baseline matches: the
// expression of the trigram index, so that the planner may use it.
const rawTextExpr = `(action || E'\x1f' || actor_name || E'\x1f' || subject_kind || E'\x1f'
             || subject_id || E'\x1f' || reason || E'\x1f' || details)`

// auditLog returns the URL of a bench database holding a synthetic audit
// log of n entries (storage/auditgen), built the first time and kept, like
// the demo data set, until the schema changes.
func auditLog(ctx context.Context, o Options, n int) (string, error) {
	name := "ppp_bench_" + storage.SchemaHash()[:12] + "_audit_" + strconv.Itoa(n)
	return keptDatabase(ctx, o, name, "ppp bench audit log: "+strconv.Itoa(n)+" entries: complete", "audit log",
		func(*pgx.Conn) error {
			o.logf("bench: building an audit log of %d entries in %s (about 15 minutes for 10,000,000)", n, name)
			db, err := freshDatabase(ctx, o.ServerURL, name)
			if err == nil {
				db.Close()
			}
			return err
		},
		func(url string) error {
			db, err := storage.Open(ctx, url)
			if err != nil {
				return err
			}
			defer db.Close()
			log := auditgen.New(1, n, auditSpan, auditEnd)
			if err := storage.BulkLoadAudit(ctx, db, n, log.Entry, true); err != nil {
				return err
			}
			if _, err := db.Pool().Exec(ctx, `VACUUM ANALYZE audit_log`); err != nil {
				return fmt.Errorf("vacuum the audit log: %w", err)
			}
			op := &domain.Operator{Name: "bench.auditor", FullName: "Bench Auditor", Roles: []domain.Role{domain.RoleAdmin, domain.RoleSecurity}}
			if err := storage.NewOperatorService(db).CreateOperator(benchActor(ctx), op, ""); err != nil {
				return fmt.Errorf("create the bench's auditor: %w", err)
			}
			return nil
		})
}

// auditor returns the context of the bench's auditor in db: searches run
// as an administrator's screen runs them, with the role check.
func auditor(ctx context.Context, db *storage.DB) (context.Context, error) {
	var id int64
	if err := db.Pool().QueryRow(ctx, `SELECT id FROM operators WHERE name = 'bench.auditor'`).Scan(&id); err != nil {
		return nil, fmt.Errorf("find the bench's auditor: %w", err)
	}
	return domain.WithActor(ctx, domain.Actor{OperatorID: id, Name: "bench.auditor", SessionID: "bench"}), nil
}

// Audit measures the audit log at the scale of years (issue 15) on a log
// of AuditEntries entries (auditQuickEntries with o.Quick): searches by
// operator, action, subject, time range and free text at random depths,
// each beside the plainest SQL for it; the screen's page beside the same
// page of a log of 10,000; a full verification beside reading the same
// rows; and a verification resumed before 100,000 new entries.
func Audit(ctx context.Context, o Options) ([]benchfig.Figure, error) {
	n := AuditEntries
	if o.Quick {
		n = auditQuickEntries
	}
	url, err := auditLog(ctx, o, n)
	if err != nil {
		return nil, err
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	actx, err := auditor(ctx, db)
	if err != nil {
		return nil, err
	}
	svc := storage.NewAuditService(db)
	var figs []benchfig.Figure
	for _, s := range auditSearches(n) {
		f, err := measureSearch(actx, o, db, svc, s, n)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	page, err := measurePage(actx, o, db, svc, n)
	if err != nil {
		return nil, err
	}
	figs = append(figs, page)
	verify, err := measureVerify(actx, o, db, svc, n)
	if err != nil {
		return nil, err
	}
	return append(figs, verify...), nil
}

// search is one kind of search: make returns a random filter of the kind
// (its depth included) and the raw SQL doing the same with its arguments.
type search struct {
	name   string
	target time.Duration
	make   func(r *rand.Rand) (domain.AuditFilter, string, []any)
}

// depth returns a random page position: half the time the newest page,
// else anywhere in the log.
func depth(r *rand.Rand, n int) int64 {
	if r.IntN(2) == 0 {
		return 0
	}
	return 1 + r.Int64N(int64(n))
}

// beforeSQL is the raw baselines' keyset condition for before (0: none).
func beforeSQL(before int64) string {
	if before == 0 {
		return ""
	}
	return " AND seq < " + strconv.FormatInt(before, 10)
}

func auditSearches(n int) []search {
	actions := []string{domain.AuditActionFamily(domain.AuditSignIn), domain.AuditSignIn, domain.AuditSignInFailure, domain.AuditActionFamily(domain.AuditRoleRequestClaim), domain.AuditRoleRequestApprove, domain.AuditRoleRequestRequestInfo,
		domain.AuditActionFamily(domain.AuditIMKClaim), domain.AuditActionFamily(domain.AuditHelpdeskClaim), domain.AuditOperatorCreate, domain.AuditActionFamily(domain.AuditOperatorCreate), domain.AuditTermsPublish, domain.AuditIMKPolicyApprove, domain.AuditActionFamily(domain.AuditAlertRaise), domain.AuditEmailChange, "nav."}
	kinds := []struct {
		kind string
		ids  int
	}{{"role_request", 1_000_000}, {"imk_application", 300_000}, {"operator", auditgen.Operators}, {"ticket", 200_000}, {"platform_user", 800_000}, {"terms", 50}}
	widths := []time.Duration{time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 365 * 24 * time.Hour}
	texts := []string{"dokumenti nav", "identitāte apstiprināta", "duplicate application", "suspected misuse", "state=approved version=3",
		"kind=karjera", "category=password", "ticket #1234", "ticket #99", "berzina", "kalnins17", "caller asked", "nav tāda lieta", "s0badc0de", "10.2.200.17"}
	start := auditEnd.Add(-auditSpan)
	return []search{
		{"by operator", 50 * time.Millisecond, func(r *rand.Rand) (domain.AuditFilter, string, []any) {
			f := domain.AuditFilter{Actor: auditgen.Actor(r.IntN(auditgen.Operators)), BeforeSeq: depth(r, n), Limit: auditPage}
			return f, `SELECT ` + rawAuditColumns + ` FROM audit_log WHERE actor_name = $1` + beforeSQL(f.BeforeSeq) +
				` ORDER BY seq DESC LIMIT 51`, []any{f.Actor}
		}},
		{"by action (prefix)", 50 * time.Millisecond, func(r *rand.Rand) (domain.AuditFilter, string, []any) {
			f := domain.AuditFilter{Action: actions[r.IntN(len(actions))], BeforeSeq: depth(r, n), Limit: auditPage}
			return f, `SELECT ` + rawAuditColumns + ` FROM audit_log WHERE action LIKE $1` + beforeSQL(f.BeforeSeq) +
				` ORDER BY seq DESC LIMIT 51`, []any{f.Action + "%"}
		}},
		{"by subject", 50 * time.Millisecond, func(r *rand.Rand) (domain.AuditFilter, string, []any) {
			k := kinds[r.IntN(len(kinds))]
			f := domain.AuditFilter{SubjectKind: k.kind, SubjectID: strconv.Itoa(1 + r.IntN(k.ids)), Limit: auditPage}
			return f, `SELECT ` + rawAuditColumns + ` FROM audit_log WHERE subject_kind = $1 AND subject_id = $2 ORDER BY seq DESC LIMIT 51`,
				[]any{f.SubjectKind, f.SubjectID}
		}},
		{"by time range (an hour to a year)", 50 * time.Millisecond, func(r *rand.Rand) (domain.AuditFilter, string, []any) {
			w := widths[r.IntN(len(widths))]
			since := start.Add(time.Duration(r.Int64N(int64(auditSpan - w)))).Truncate(time.Minute)
			f := domain.AuditFilter{Since: since, Until: since.Add(w), Limit: auditPage}
			return f, `SELECT ` + rawAuditColumns + ` FROM audit_log WHERE at >= $1 AND at < $2 ORDER BY seq DESC LIMIT 51`,
				[]any{f.Since, f.Until}
		}},
		{"free text", 200 * time.Millisecond, func(r *rand.Rand) (domain.AuditFilter, string, []any) {
			f := domain.AuditFilter{Text: texts[r.IntN(len(texts))], Limit: auditPage}
			return f, `SELECT ` + rawAuditColumns + ` FROM audit_log WHERE ` + rawTextExpr + ` ILIKE $1 ORDER BY seq DESC LIMIT 51`,
				[]any{"%" + f.Text + "%"}
		}},
	}
}

// rawBudget bounds the time the raw baselines of one figure may take: the
// plainest SQL takes seconds for some filters, and the bench measures
// fewer of them then (the note says how many).
const rawBudget = 90 * time.Second

// measureSearch measures one kind of search: the service and the raw
// query alternately, each with the same random filter; the figure is the
// p99 of each.
func measureSearch(ctx context.Context, o Options, db *storage.DB, svc *storage.AuditService, s search, n int) (benchfig.Figure, error) {
	fig := benchfig.Figure{
		Name:     fmt.Sprintf("audit search %s in %d entries, p99 of random filters and depths", s.name, n),
		BaseName: "plain SQL", Unit: "ms",
		Target: fmt.Sprintf("p99 < %d ms", s.target.Milliseconds()),
	}
	o.logf("bench: audit: search %s", s.name)
	r := rand.New(rand.NewPCG(42, uint64(len(s.name))))
	rounds := o.rounds(300)
	var ours, raw []time.Duration
	var rawSpent time.Duration
	var matched int
	for i := range rounds + 10 {
		f, sql, args := s.make(r)
		var got []*domain.AuditEntry
		d, err := timeIt(func() error {
			var err error
			got, err = svc.SearchAudit(ctx, f)
			return err
		})
		if err != nil {
			return fig, fmt.Errorf("audit search %+v: %w", f, err)
		}
		if len(got) > 0 {
			matched++
		}
		if i >= 10 { // the first ten warm plans and caches
			ours = append(ours, d)
		}
		if rawSpent > rawBudget {
			continue
		}
		d, err = timeIt(func() error {
			rows, err := db.Pool().Query(ctx, sql, args...)
			if err != nil {
				return err
			}
			k := 0
			for rows.Next() {
				k++
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if k != len(got) && f.Text == "" {
				return fmt.Errorf("the raw query found %d entries, the service %d", k, len(got))
			}
			return nil
		})
		if err != nil {
			return fig, fmt.Errorf("raw audit search %+v: %w", f, err)
		}
		rawSpent += d
		if i >= 10 {
			raw = append(raw, d)
		}
	}
	p99 := benchfig.Percentile(ours, 99)
	fig.Value = benchfig.Ms(p99)
	fig.Baseline = benchfig.Ms(benchfig.Percentile(raw, 99))
	fig.Met = p99 < s.target
	fig.Note = fmt.Sprintf("%d searches (%d found entries), median %.2f ms; plain SQL: %d searches, median %.2f ms",
		len(ours), matched-min(matched, 10), benchfig.Ms(benchfig.Percentile(ours, 50)), len(raw), benchfig.Ms(benchfig.Percentile(raw, 50)))
	return fig, nil
}

// measurePage compares the screen's page (no filter, keyset by seq) deep
// in the big log with the same page in a log of auditSmallEntries.
func measurePage(ctx context.Context, o Options, db *storage.DB, svc *storage.AuditService, n int) (benchfig.Figure, error) {
	fig := benchfig.Figure{
		Name:     fmt.Sprintf("Audit screen page at a random depth of %d entries, median", n),
		BaseName: fmt.Sprintf("the same in %d entries", auditSmallEntries), Unit: "ms",
		Target: "≤ 1.5× the small log's",
	}
	o.logf("bench: audit: the screen's page")
	small, drop, err := Scratch(ctx, o, "ppp_bench_audit_small")
	if err != nil {
		return fig, err
	}
	defer drop()
	sdb, err := storage.Open(ctx, small)
	if err != nil {
		return fig, err
	}
	defer sdb.Close()
	log := auditgen.New(2, auditSmallEntries, 30*24*time.Hour, auditEnd)
	if err := storage.BulkLoadAudit(ctx, sdb, auditSmallEntries, log.Entry, false); err != nil {
		return fig, err
	}
	op := &domain.Operator{Name: "bench.auditor", FullName: "Bench Auditor", Roles: []domain.Role{domain.RoleAdmin}}
	if err := storage.NewOperatorService(sdb).CreateOperator(benchActor(ctx), op, ""); err != nil {
		return fig, err
	}
	if _, err := sdb.Pool().Exec(ctx, `VACUUM ANALYZE`); err != nil {
		return fig, err
	}
	sctx, err := auditor(ctx, sdb)
	if err != nil {
		return fig, err
	}
	ssvc := storage.NewAuditService(sdb)
	r := rand.New(rand.NewPCG(7, 8))
	page := func(ctx context.Context, s *storage.AuditService, entries int) (time.Duration, error) {
		before := 1 + auditPage + r.Int64N(int64(entries-auditPage))
		return timeIt(func() error {
			got, err := s.SearchAudit(ctx, domain.AuditFilter{BeforeSeq: before, Limit: auditPage})
			if err == nil && len(got) != auditPage {
				err = fmt.Errorf("a page of %d entries before %d", len(got), before)
			}
			return err
		})
	}
	rawPage := func(before int64) (time.Duration, error) {
		return timeIt(func() error {
			rows, err := db.Pool().Query(ctx, `SELECT `+rawAuditColumns+` FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT 51`, before)
			if err != nil {
				return err
			}
			rows.Close()
			return rows.Err()
		})
	}
	var big, little, raw []time.Duration
	for i := range o.rounds(1000) + 20 {
		d1, err := page(ctx, svc, n)
		if err != nil {
			return fig, err
		}
		d2, err := page(sctx, ssvc, auditSmallEntries)
		if err != nil {
			return fig, err
		}
		d3, err := rawPage(1 + auditPage + r.Int64N(int64(n-auditPage)))
		if err != nil {
			return fig, err
		}
		if i >= 20 {
			big, little, raw = append(big, d1), append(little, d2), append(raw, d3)
		}
	}
	fig.Value = benchfig.Ms(benchfig.Percentile(big, 50))
	fig.Baseline = benchfig.Ms(benchfig.Percentile(little, 50))
	fig.Met = fig.Value <= 1.5*fig.Baseline
	fig.Note = fmt.Sprintf("%d alternating pages; p99 %.2f ms vs %.2f ms; raw keyset query in the big log: median %.2f ms",
		len(big), benchfig.Ms(benchfig.Percentile(big, 99)), benchfig.Ms(benchfig.Percentile(little, 99)), benchfig.Ms(benchfig.Percentile(raw, 50)))
	return fig, nil
}

// measureVerify times a full verification beside reading the same rows
// with nothing recomputed, and a verification resumed before the last
// auditResumed entries beside reading those.
func measureVerify(ctx context.Context, o Options, db *storage.DB, svc *storage.AuditService, n int) ([]benchfig.Figure, error) {
	full := benchfig.Figure{
		Name:     fmt.Sprintf("audit verify, full (%d entries)", n),
		BaseName: "reading the same rows", Unit: "entries/s", HigherIsBetter: true,
		Target: "≥ 500,000 /s",
	}
	resumed := auditResumed
	if o.Quick {
		resumed = n / 5
	}
	resume := benchfig.Figure{
		Name:     fmt.Sprintf("audit verify, resumed before %d new entries", resumed),
		BaseName: "reading those rows", Unit: "s",
		Target: "≤ 2 s",
	}
	readRows := func(after int64) (time.Duration, error) {
		return timeIt(func() error {
			rows, err := db.Pool().Query(ctx, `
				SELECT seq, at, actor_id, actor_name, session_id, remote_addr,
				       action, subject_kind, subject_id, reason, details, prev_hash, hash
				  FROM audit_log WHERE seq > $1 ORDER BY seq`, pgx.QueryResultFormats{pgx.BinaryFormatCode}, after)
			if err != nil {
				return err
			}
			for rows.Next() {
				_ = rows.RawValues()
			}
			return rows.Err()
		})
	}
	verify := func(o domain.AuditVerifyOptions, want int64) (time.Duration, error) {
		return timeIt(func() error {
			v, err := svc.VerifyAuditWith(ctx, o)
			if err == nil && (!v.OK || v.Recomputed != want) {
				err = fmt.Errorf("verification %+v, want %d entries recomputed", v, want)
			}
			return err
		})
	}
	// The log holds the generated entries and the auditor's creation.
	var total int64
	if err := db.Pool().QueryRow(ctx, `SELECT seq FROM audit_head`).Scan(&total); err != nil {
		return nil, err
	}
	o.logf("bench: audit: full verification of %d entries (twice, beside reading them twice)", total)
	var ours, raw []time.Duration
	for range 2 {
		d, err := readRows(0)
		if err != nil {
			return nil, err
		}
		raw = append(raw, d)
		if d, err = verify(domain.AuditVerifyOptions{Full: true}, total); err != nil {
			return nil, err
		}
		ours = append(ours, d)
	}
	best := func(ds []time.Duration) time.Duration { return min(ds[0], ds[1]) }
	full.Value = float64(total) / best(ours).Seconds()
	full.Baseline = float64(total) / best(raw).Seconds()
	full.Met = full.Value >= 500_000
	full.Note = fmt.Sprintf("the better of 2 runs each: %.1f s vs %.1f s", best(ours).Seconds(), best(raw).Seconds())

	o.logf("bench: audit: verification resumed before %d entries", resumed)
	from := total - int64(resumed)
	var hash []byte
	if err := db.Pool().QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, from).Scan(&hash); err != nil {
		return nil, err
	}
	ours, raw = nil, nil
	for range 3 {
		// As if the last verification had ended resumed entries ago.
		if _, err := db.Pool().Exec(ctx, `UPDATE audit_verified SET seq = $1, hash = $2`, from, hash); err != nil {
			return nil, err
		}
		d, err := readRows(from)
		if err != nil {
			return nil, err
		}
		raw = append(raw, d)
		if d, err = verify(domain.AuditVerifyOptions{}, int64(resumed)); err != nil {
			return nil, err
		}
		ours = append(ours, d)
	}
	resume.Value = benchfig.Percentile(ours, 50).Seconds()
	resume.Baseline = benchfig.Percentile(raw, 50).Seconds()
	resume.Met = resume.Value <= 2
	resume.Note = fmt.Sprintf("median of 3: %.0f entries/s", float64(resumed)/resume.Value)
	return []benchfig.Figure{full, resume}, nil
}
