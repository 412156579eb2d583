package fakes

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

// ReportIMK is an IMK application as the fake's reports count it: its
// groups of the take-up report ("" unknown; Sex "F" or "M" as the
// Population Register gives it), who decided (0: the automatic check) and
// the rule that did (Reason).
type ReportIMK struct {
	ID                         int64
	PersonalCode               string
	State                      domain.IMKState
	AppliedAt, DecidedAt       time.Time
	DecidedBy                  int64
	Reason                     string
	LKI, AgeBand, Municipality string
	Sex                        string
}

// ReportDenial is a denial as the fake's reports count it: in force since
// InForceAt, lifted at LiftedAt unless that is zero.
type ReportDenial struct {
	ID                  int64
	SubjectKind         string
	SubjectID           int64
	Ground              domain.Ground
	InForceAt, LiftedAt time.Time
}

// ReportInstitution is an active institution and when its
// re-verification falls due.
type ReportInstitution struct {
	ID         int64
	Name       string
	ReverifyAt time.Time
}

// Reports is an in-memory domain.ReportService: the items a test seeds,
// counted into the reports' tables as storage counts them (the same
// columns and rows, the cells' drills set by domain's Report.SetDrills),
// with the runs and drills it records. Only administrators and security
// officers run reports, as storage's contract suite proves.
type Reports struct {
	guarded
	staff
	IMK          []*ReportIMK
	Denials      []*ReportDenial
	Institutions []*ReportInstitution
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Runs and Drills record the calls that passed.
	Runs   []string
	Drills []domain.ReportDrill
	nextID int64
}

var _ domain.ReportService = (*Reports)(nil)

// NewReports returns a service with nothing to count.
func NewReports() *Reports { return &Reports{} }

func (f *Reports) clock() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// AddIMK stores an application, giving it an id when it has none.
func (f *Reports) AddIMK(a *ReportIMK) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	numbered(&a.ID, &f.nextID)
	f.IMK = append(f.IMK, a)
	return a.ID
}

// AddDenial stores a denial, giving it an id when it has none.
func (f *Reports) AddDenial(d *ReportDenial) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	numbered(&d.ID, &f.nextID)
	f.Denials = append(f.Denials, d)
	return d.ID
}

// AddInstitution stores an institution, giving it an id when it has none.
func (f *Reports) AddInstitution(i *ReportInstitution) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	numbered(&i.ID, &f.nextID)
	f.Institutions = append(f.Institutions, i)
	return i.ID
}

// allowed refuses anyone but administrators, security officers and the
// back office itself.
func (f *Reports) allowed(ctx context.Context) error {
	op := f.operator(domain.ActorFrom(ctx))
	if op != nil && !slices.ContainsFunc(domain.ReportRoles, op.HasRole) {
		return domain.Errorf(domain.EFORBIDDEN, "access.forbidden", "you do not hold the role this needs")
	}
	return nil
}

func in(t time.Time, p domain.ReportPeriod) bool {
	return !t.IsZero() && !t.Before(p.Start()) && t.Before(p.End())
}

func (a *ReportIMK) group(dim string) string {
	switch dim {
	case "lki":
		return a.LKI
	case "age_band":
		return a.AgeBand
	case "sex":
		return strings.ToLower(a.Sex)
	}
	return a.Municipality
}

func (a *ReportIMK) counts(column string) bool {
	switch column {
	case "approved":
		return a.State == domain.IMKApproved || a.State == domain.IMKSuspended || a.State == domain.IMKClosed
	case "rejected_automatic":
		return a.State == domain.IMKRejected && a.DecidedBy == 0
	case "rejected_manual":
		return a.State == domain.IMKRejected && a.DecidedBy != 0
	}
	return true
}

func (a *ReportIMK) rule() string {
	switch {
	case a.DecidedBy != 0:
		return "review"
	case len(a.Reason) > 9 && a.Reason[:9] == "imk.rule.":
		return a.Reason[9:]
	}
	return "automatic"
}

func (d *ReportDenial) outcome(p domain.ReportPeriod) string {
	switch {
	case d.LiftedAt.IsZero():
		return "in_force"
	case in(d.LiftedAt, p):
		return "lifted"
	}
	return ""
}

// Run counts the report name over period from the items seeded.
func (f *Reports) Run(ctx context.Context, name string, period domain.ReportPeriod) (r *domain.Report, err error) {
	err = f.locked(func() error {
		if err := domain.CheckReportName(name); err != nil {
			return err
		}
		if err := period.Validate(); err != nil {
			return err
		}
		if err := f.allowed(ctx); err != nil {
			return err
		}
		now := f.clock()
		r = &domain.Report{Name: name, Period: period, RanAt: now.UTC()}
		switch name {
		case domain.ReportIMKUptake:
			f.uptake(r)
		case domain.ReportDecisions:
			f.decisions(r)
		case domain.ReportCompliance:
			f.compliance(r, now)
		case domain.ReportQueues:
			f.queues(r)
		}
		r.SetDrills()
		f.Runs = append(f.Runs, name)
		return nil
	})
	return r, err
}

func (f *Reports) uptake(r *domain.Report) {
	r.Columns = domain.ReportColumnsOf(domain.ReportIMKUptake)
	r.Notes = []domain.ReportNote{{Key: "report.note.approved_includes_later"}}
	sexKeys := map[string]string{"f": "report.sex.f", "m": "report.sex.m"}
	for _, dim := range []string{"lki", "age_band", "municipality", "sex"} {
		var keys [][2]string
		var total int64
		for _, a := range f.IMK {
			if in(a.AppliedAt, r.Period) {
				total++
				if k := [2]string{dim, a.group(dim)}; !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
		domain.SortReportGroups(keys)
		series := domain.ReportSeries{Key: "report.series.share_" + dim, Kind: domain.ColumnPercent}
		for _, k := range keys {
			row := []domain.ReportCell{{Key: "report.dim." + dim}, {Text: k[1]}}
			labelKey := ""
			switch {
			case k[1] == "":
				row[1] = domain.ReportCell{Key: "report.group.unknown"}
			case dim == "sex":
				labelKey = sexKeys[k[1]]
				row[1] = domain.ReportCell{Key: labelKey}
			}
			var n int64
			for _, col := range []string{"applications", "approved", "rejected_automatic", "rejected_manual"} {
				var c int64
				for _, a := range f.IMK {
					if in(a.AppliedAt, r.Period) && a.group(dim) == k[1] && a.counts(col) {
						c++
					}
				}
				if col == "applications" {
					n = c
				}
				row = append(row, domain.ReportCell{Count: c})
			}
			row = append(row, domain.ShareCell(n, total), domain.ReportCell{Null: true})
			r.Rows = append(r.Rows, row)
			share, _ := domain.Share(n, total)
			series.Labels = append(series.Labels, k[1])
			series.LabelKeys = append(series.LabelKeys, labelKey)
			series.Values = append(series.Values, share)
		}
		r.Series = append(r.Series, series)
	}
}

func (f *Reports) decisions(r *domain.Report) {
	r.Columns = domain.ReportColumnsOf(domain.ReportDecisions)
	count := func(section string, keys [][2]string) {
		var seen [][2]string
		n := map[[2]string]int64{}
		for _, k := range keys {
			if n[k]++; n[k] == 1 {
				seen = append(seen, k)
			}
		}
		slices.SortFunc(seen, func(a, b [2]string) int {
			if c := cmp.Compare(a[0], b[0]); c != 0 {
				return c
			}
			return cmp.Compare(a[1], b[1])
		})
		for _, k := range seen {
			r.Rows = append(r.Rows, []domain.ReportCell{{Key: section}, {Text: k[0]}, {Text: k[1]}, {Count: n[k]}, {Null: true}, {Null: true}})
		}
	}
	var imk, den [][2]string
	for _, a := range f.IMK {
		if in(a.DecidedAt, r.Period) {
			imk = append(imk, [2]string{a.rule(), string(a.State)})
		}
	}
	for _, d := range f.Denials {
		if o := d.outcome(r.Period); o != "" {
			den = append(den, [2]string{string(d.Ground), o})
		}
	}
	count("report.section.imk", imk)
	count("report.section.denials", den)
}

func (f *Reports) compliance(r *domain.Report, now time.Time) {
	r.Columns = domain.ReportColumnsOf(domain.ReportCompliance)
	row := func(section, item string, n, of int64) []domain.ReportCell {
		return []domain.ReportCell{{Key: section}, {Key: item}, {Count: n}, {Count: of}, domain.ShareCell(n, of)}
	}
	for _, item := range []string{"checked", "not_found", "stale", "overdue"} {
		r.Rows = append(r.Rows, row("report.section.death_check", "report.item."+item, 0, 0))
	}
	var due, late int64
	for _, i := range f.Institutions {
		if i.ReverifyAt.Before(r.Period.End()) {
			due++
		}
		if i.ReverifyAt.Before(now) {
			late++
		}
	}
	active := int64(len(f.Institutions))
	r.Rows = append(r.Rows, row("report.section.reverify", "report.item.due_by_period_end", due, active),
		row("report.section.reverify", "report.item.overdue", late, active))
}

func (f *Reports) queues(r *domain.Report) {
	r.Columns = domain.ReportColumnsOf(domain.ReportQueues)
	var weeks []string
	for d := r.Period.Start(); d.Before(r.Period.End()); d = d.AddDate(0, 0, 1) {
		if w := domain.ISOWeek(d); !slices.Contains(weeks, w) {
			weeks = append(weeks, w)
		}
	}
	for _, wk := range weeks {
		var n, out int64
		var waits []time.Duration
		for _, a := range f.IMK {
			if in(a.AppliedAt, r.Period) && domain.ISOWeek(a.AppliedAt) == wk && (a.DecidedBy != 0 || a.State == domain.IMKNeedsReview) {
				n++
			}
			if in(a.DecidedAt, r.Period) && domain.ISOWeek(a.DecidedAt) == wk && a.DecidedBy != 0 {
				out++
				waits = append(waits, a.DecidedAt.Sub(a.AppliedAt))
			}
		}
		p50, ok := domain.Percentile(waits, 50)
		p90, _ := domain.Percentile(waits, 90)
		r.Rows = append(r.Rows, []domain.ReportCell{{Key: "report.queue.imk_review"}, {Text: wk}, {Count: n}, {Count: out},
			{Duration: p50, Null: !ok}, {Duration: p90, Null: !ok}, {Null: true}, {Null: true}, {Null: true}})
	}
	r.Notes = append(r.Notes, domain.ReportNote{Key: "report.note.queue_target", Args: []any{5}})
}

// Drill lists the items behind d's figure over period, as storage does.
func (f *Reports) Drill(ctx context.Context, d domain.ReportDrill, period domain.ReportPeriod, after *domain.ReportDrillCursor) (page *domain.ReportDrillPage, err error) {
	err = f.locked(func() error {
		if err := d.Validate(); err != nil {
			return err
		}
		if err := period.Validate(); err != nil {
			return err
		}
		if err := f.allowed(ctx); err != nil {
			return err
		}
		var rows []domain.ReportDrillRow
		imk := func(a *ReportIMK, at time.Time) {
			rows = append(rows, domain.ReportDrillRow{Kind: domain.DrillIMKApplication, ID: a.ID, At: at, State: string(a.State),
				Subject: domain.MaskPersonalCode(a.PersonalCode)})
		}
		now := f.clock()
		switch d.Report + "/" + d.Dim {
		case domain.ReportIMKUptake + "/lki", domain.ReportIMKUptake + "/age_band", domain.ReportIMKUptake + "/municipality", domain.ReportIMKUptake + "/sex":
			for _, a := range f.IMK {
				if in(a.AppliedAt, period) && a.group(d.Dim) == d.Group && a.counts(d.Column) {
					imk(a, a.AppliedAt)
				}
			}
		case domain.ReportDecisions + "/imk":
			for _, a := range f.IMK {
				if in(a.DecidedAt, period) && a.rule() == d.Group && string(a.State) == d.Outcome {
					imk(a, a.DecidedAt)
				}
			}
		case domain.ReportDecisions + "/denials":
			for _, x := range f.Denials {
				if string(x.Ground) == d.Group && x.outcome(period) == d.Outcome {
					at, state := x.InForceAt, "in_force"
					if d.Outcome == "lifted" {
						at, state = x.LiftedAt, "lifted"
					}
					rows = append(rows, domain.ReportDrillRow{Kind: domain.DrillDenial, ID: x.ID, At: at, State: state,
						Subject: x.SubjectKind + " " + strconv.FormatInt(x.SubjectID, 10)})
				}
			}
		case domain.ReportCompliance + "/reverify":
			for _, i := range f.Institutions {
				if d.Group == "overdue" && i.ReverifyAt.Before(now) || d.Group == "due_by_period_end" && i.ReverifyAt.Before(period.End()) {
					rows = append(rows, domain.ReportDrillRow{Kind: domain.DrillInstitution, ID: i.ID, At: i.ReverifyAt, State: "active", Subject: i.Name})
				}
			}
		case domain.ReportQueues + "/" + domain.QueueIMKReview:
			for _, a := range f.IMK {
				switch {
				case d.Column == "in" && in(a.AppliedAt, period) && domain.ISOWeek(a.AppliedAt) == d.Group && (a.DecidedBy != 0 || a.State == domain.IMKNeedsReview):
					imk(a, a.AppliedAt)
				case d.Column == "out" && in(a.DecidedAt, period) && domain.ISOWeek(a.DecidedAt) == d.Group && a.DecidedBy != 0:
					imk(a, a.DecidedAt)
				}
			}
		}
		slices.SortFunc(rows, func(a, b domain.ReportDrillRow) int { return byTimeThenID(a.At, b.At, a.ID, b.ID) })
		if after != nil {
			rows = slices.DeleteFunc(rows, func(r domain.ReportDrillRow) bool {
				return byTimeThenID(r.At, after.At, r.ID, after.ID) <= 0
			})
		}
		page = &domain.ReportDrillPage{Rows: rows}
		if len(rows) > domain.ReportDrillPageSize {
			page.Rows = rows[:domain.ReportDrillPageSize]
			last := page.Rows[len(page.Rows)-1]
			page.Next = &domain.ReportDrillCursor{At: last.At, ID: last.ID}
		}
		f.Drills = append(f.Drills, d)
		return nil
	})
	return page, err
}
