package domain

import (
	"context"
	"slices"
	"strings"
	"time"
)

// ReportDrill names the list behind one figure of a report: which report,
// the row's dimension or section and group (and outcome, where the report
// has one), and the column. Storage sets it on the cells whose figure is a
// count of items it can list; ReportService.Drill lists them.
type ReportDrill struct {
	Report  string // the report's name (ReportNames)
	Dim     string // the row's dimension or section: "lki", "denials", "death_check", a queue …
	Group   string // the row's group: an LKI level, a ground, a kind, an ISO week, sex "f"/"m"; "" the unknown group
	Outcome string // the row's outcome where the report has one (decisions), else ""
	Column  string // the column's machine name (ReportColumn.Name)
}

// String is the drill as the audit log writes it: names and groups of the
// report's own, never personal data.
func (d ReportDrill) String() string {
	return strings.Join([]string{d.Report, d.Dim, d.Group, d.Outcome, d.Column}, "/")
}

// reportDrills are the dimensions and columns each report lists items
// behind.
var reportDrills = map[string]struct{ dims, columns []string }{
	ReportIMKUptake: {[]string{"lki", "age_band", "municipality", "sex"},
		[]string{"applications", "approved", "rejected_automatic", "rejected_manual"}},
	ReportDecisions:  {[]string{"role_requests", "imk", "denials", "tickets"}, []string{"count"}},
	ReportCompliance: {[]string{"death_check", "reverify"}, []string{"count"}},
	ReportQueues:     {[]string{QueueRoleRequests, QueueIMKReview}, []string{"in", "out"}},
}

// Validate returns EINVALID "report.unknown" for a drill into no report,
// and "report.bad_drill" for a dimension or column that report lists
// nothing behind, or a group or outcome longer than 200 bytes.
func (d ReportDrill) Validate() error {
	if err := CheckReportName(d.Report); err != nil {
		return err
	}
	r := reportDrills[d.Report]
	if !slices.Contains(r.dims, d.Dim) || !slices.Contains(r.columns, d.Column) || len(d.Group) > 200 || len(d.Outcome) > 200 {
		return Errorf(EINVALID, "report.bad_drill", "report %s lists nothing behind that figure", d.Report)
	}
	return nil
}

// The kinds of item a drill lists.
const (
	DrillIMKApplication = "imk_application"
	DrillRoleRequest    = "role_request"
	DrillDenial         = "denial"
	DrillTicket         = "ticket"
	DrillPerson         = "person"
	DrillInstitution    = "institution"
)

// ReportDrillRow is one item behind a report's figure: its kind and id,
// the date it counts on, its state, and a subject a screen may show — a
// masked personal code (MaskPersonalCode), an institution's name, a
// denial's subject kind and id; never a whole personal code.
type ReportDrillRow struct {
	Kind    string
	ID      int64
	At      time.Time
	State   string
	Subject string
}

// ReportDrillCursor is where a page of a drill ends: the next page starts
// after (At, ID).
type ReportDrillCursor struct {
	At time.Time
	ID int64
}

// ReportDrillPage is one page of a drill, in order of (At, ID); Next is
// nil on the last page.
type ReportDrillPage struct {
	Rows []ReportDrillRow
	Next *ReportDrillCursor
}

// ReportDrillPageSize is the most rows a page of a drill holds.
const ReportDrillPageSize = 100

// ReportDriller lists the items behind a report's figure; ReportService
// embeds it.
type ReportDriller interface {
	// Drill returns the page of the items behind drill's figure over
	// period that follows after (the first page when after is nil), at
	// most ReportDrillPageSize rows in order of (At, ID). It returns
	// EINVALID "report.unknown", "report.bad_drill" (see
	// ReportDrill.Validate) or "report.bad_period", and the access errors
	// of Run; each call is audited (AuditReportDrill) with the drill and
	// the period, never an item.
	Drill(ctx context.Context, drill ReportDrill, period ReportPeriod, after *ReportDrillCursor) (*ReportDrillPage, error)
}

// SetDrills marks each count of r that a drill lists (ReportDrill) with
// the drill behind it: a cell of a column the report drills, in a row
// whose dimension or section it drills, holding a count above zero. The
// row's dimension is its first cell's key's last part ("report.dim.lki":
// "lki"), its group its second cell (a key's last part, "" for
// report.group.unknown), and in the decisions report its outcome the
// third. Storage and the screens' double both call it, so the cells that
// drill are the same.
func (r *Report) SetDrills() {
	spec, ok := reportDrills[r.Name]
	if !ok {
		return
	}
	for _, row := range r.Rows {
		if len(row) < 2 {
			continue
		}
		dim := lastPart(row[0].Key)
		if !slices.Contains(spec.dims, dim) {
			continue
		}
		group := row[1].Text
		switch {
		case row[1].Key == "report.group.unknown":
			group = ""
		case row[1].Key != "":
			group = lastPart(row[1].Key)
		}
		outcome := ""
		if r.Name == ReportDecisions && len(row) > 2 {
			outcome = row[2].Text
		}
		for i, col := range r.Columns {
			if i >= len(row) || col.Kind != ColumnCount || !slices.Contains(spec.columns, col.Name) || row[i].Null || row[i].Count <= 0 {
				continue
			}
			row[i].Drill = &ReportDrill{Report: r.Name, Dim: dim, Group: group, Outcome: outcome, Column: col.Name}
		}
	}
}

func lastPart(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}
