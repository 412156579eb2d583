package domain

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// The reports (issue 18) the back office runs, by name: what
// ReportService.Run takes and `ppp report NAME` prints.
const (
	// ReportIMKUptake: IMK applications and their outcomes by priority
	// group (¶26.4), each beside the group's share of the adult
	// population in the Population Register mirror.
	ReportIMKUptake = "imk-uptake"
	// ReportCompliance: the ¶32.8 death check, acceptance of the terms in
	// force by role (¶26.2), institutions due for re-verification.
	ReportCompliance = "compliance"
)

// ReportNames lists the reports in the order screens and help show them.
func ReportNames() []string {
	return []string{ReportIMKUptake, ReportCompliance, ReportQueues, ReportDecisions}
}

// ColumnKind is how a report column's values are counted and shown.
type ColumnKind string

// The column kinds: text (a group's name), a count, a percentage (0–100),
// a duration.
const (
	ColumnText     ColumnKind = "text"
	ColumnCount    ColumnKind = "count"
	ColumnPercent  ColumnKind = "percent"
	ColumnDuration ColumnKind = "duration"
)

// ReportColumn is one column of a report table: its machine name (CSV
// header, JSON field), its catalog key (screens, the table format) and kind.
type ReportColumn struct {
	Name string
	Key  string
	Kind ColumnKind
}

// ReportCell is one value of a report row; which field holds it follows
// the column's kind. Text is data (a municipality's name, an age band);
// Key, when set, is a catalog key a screen translates instead of Text.
// Null marks a value that cannot be computed (a share of an empty group).
// Drill, when set, names the list of the items a count stands for
// (ReportService.Drill lists them).
type ReportCell struct {
	Text     string
	Key      string
	Count    int64
	Percent  float64
	Duration time.Duration
	Null     bool
	Drill    *ReportDrill
}

// ReportSeries is one bar chart of a report: a label and a value per bar,
// in the unit of Kind. LabelKeys, when it holds a key for a bar, is the
// catalog key a screen shows instead of its label (which stays the
// machine's: "f" for report.sex.f); it may be shorter than Labels.
type ReportSeries struct {
	Key       string // catalog key of its title
	Kind      ColumnKind
	Labels    []string
	LabelKeys []string
	Values    []float64
}

// ReportPeriod is the days a report covers, From and To included (dates
// at midnight UTC, meaning days in the Agency's zone).
type ReportPeriod struct {
	From time.Time
	To   time.Time
}

// Start and End return the instants the period spans in the Agency's zone:
// [Start, End).
func (p ReportPeriod) Start() time.Time {
	return time.Date(p.From.Year(), p.From.Month(), p.From.Day(), 0, 0, 0, 0, AgencyZone)
}

// End is the first instant after the period's last day.
func (p ReportPeriod) End() time.Time {
	return time.Date(p.To.Year(), p.To.Month(), p.To.Day()+1, 0, 0, 0, 0, AgencyZone)
}

// String is the period as the audit log and file names write it.
func (p ReportPeriod) String() string {
	return p.From.Format(time.DateOnly) + ".." + p.To.Format(time.DateOnly)
}

// MaxReportDays bounds a report's period, so that no run reads more than
// a few years of history at once.
const MaxReportDays = 3 * 366

// Validate returns EINVALID "report.bad_period" when the period is not a
// from–to pair of days in order, at most MaxReportDays long.
func (p ReportPeriod) Validate() error {
	if p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From) || p.To.Sub(p.From) > MaxReportDays*24*time.Hour {
		return Errorf(EINVALID, "report.bad_period", "the period must run from a day to the same or a later day, at most %d days", MaxReportDays)
	}
	return nil
}

// DefaultReportPeriod is the period a report covers when none is given:
// the last 30 days up to the day of now, in the Agency's zone.
func DefaultReportPeriod(now time.Time) ReportPeriod {
	d := now.In(AgencyZone)
	to := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return ReportPeriod{From: to.AddDate(0, 0, -29), To: to}
}

// ParseReportDate parses a day as YYYY-MM-DD; it returns EINVALID
// "report.bad_date" otherwise.
func ParseReportDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "report.bad_date", "%q is not a date (YYYY-MM-DD)", s)
	}
	return t, nil
}

// CheckReportName returns EINVALID "report.unknown" for a name that is no
// report of ReportNames.
func CheckReportName(name string) error {
	if !slices.Contains(ReportNames(), name) {
		return Errorf(EINVALID, "report.unknown", "there is no report %q", name)
	}
	return nil
}

// Report is the result of one run: a table (columns and rows), bar charts,
// and notes on what the figures leave out or rest on.
type Report struct {
	Name    string
	Period  ReportPeriod
	RanAt   time.Time
	Columns []ReportColumn
	Rows    [][]ReportCell
	Series  []ReportSeries
	Notes   []ReportNote
}

// ReportNote is a remark on what a report's figures leave out or rest on:
// a catalog key and its arguments.
type ReportNote struct {
	Key  string
	Args []any
}

// Share returns part as a percentage of whole, and false when whole is 0.
func Share(part, whole int64) (float64, bool) {
	if whole <= 0 {
		return 0, false
	}
	return float64(part) * 100 / float64(whole), true
}

// ShareCell returns part as a percentage of whole, a Null cell when whole
// is 0.
func ShareCell(part, whole int64) ReportCell {
	p, ok := Share(part, whole)
	return ReportCell{Percent: p, Null: !ok}
}

// Machine returns a cell as CSV and JSON write it: a count in digits, a
// percentage with one decimal and a point, a duration in whole seconds,
// text as it is, a key as the key; "" for Null.
func (c ReportCell) Machine(kind ColumnKind) string {
	if c.Null {
		return ""
	}
	switch kind {
	case ColumnCount:
		return strconv.FormatInt(c.Count, 10)
	case ColumnPercent:
		return strconv.FormatFloat(c.Percent, 'f', 1, 64)
	case ColumnDuration:
		return strconv.FormatInt(int64(c.Duration/time.Second), 10)
	}
	if c.Key != "" {
		return c.Key
	}
	return c.Text
}

// ReportService runs the reports. Reports are for administrators and
// security officers; the back office itself (the command line) may run
// them too. Every run is audited (AuditReportRun) with the report's name
// and period, never a figure or personal data.
type ReportService interface {
	// Run runs the report name over period. It returns EINVALID
	// "report.unknown" for a name not in ReportNames and
	// "report.bad_period" for a bad period, EUNAUTHORIZED
	// "access.no_operator" for a caller who is no enabled operator (or an
	// API client), EFORBIDDEN "access.forbidden" for an operator who is
	// neither admin nor security, and EUNAVAILABLE when the database does
	// not answer.
	Run(ctx context.Context, name string, period ReportPeriod) (*Report, error)
	ReportDriller
}

// ReportRoles are the roles that may run reports.
var ReportRoles = []Role{RoleAdmin, RoleSecurity}

// SortReportGroups orders a report's groups (dimension, group) the way it
// shows them: by group, with the unknown group ("") last; LKI levels and
// age bands sort as their text does.
func SortReportGroups(keys [][2]string) {
	slices.SortFunc(keys, func(a, b [2]string) int {
		switch {
		case a[1] == b[1]:
			return 0
		case a[1] == "":
			return 1
		case b[1] == "":
			return -1
		case a[1] < b[1]:
			return -1
		}
		return 1
	})
}
