package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/storage"
)

// runReport implements `ppp report NAME [--from DATE --to DATE] [--format
// table|csv|json]` (issue 18): one report printed as a table, as CSV (UTF-8,
// a header row of the columns' names, RFC 4180 quoting) or as JSON. Bad use
// is one line in the user's language and exit 2.
func (m *Main) runReport(ctx context.Context, args []string) error {
	fs := m.flags("report")
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	from := fs.String("from", "", "")
	to := fs.String("to", "", "")
	format := fs.String("format", "table", "")
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(m.Stdout, m.cat.T("cli.help.report"))
			return errHelpShown
		}
		return usageError{m.cat.T("cli.report.bad_use")}
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError{m.cat.T("cli.report.bad_use")}
	}
	if name == "" {
		return usageError{m.cat.T("cli.report.bad_use")}
	}
	if err := domain.CheckReportName(name); err != nil {
		return usageError{m.cat.T("cli.report.unknown", name, strings.Join(domain.ReportNames(), ", "))}
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return usageError{m.cat.T("cli.report.bad_format", *format)}
	}
	period := domain.DefaultReportPeriod(time.Now())
	if (*from == "") != (*to == "") {
		return usageError{m.cat.T("cli.report.bad_use")}
	}
	if *from != "" {
		f, err1 := domain.ParseReportDate(*from)
		t, err2 := domain.ParseReportDate(*to)
		if err1 != nil || err2 != nil {
			return usageError{m.cat.T("cli.report.bad_date")}
		}
		period = domain.ReportPeriod{From: f, To: t}
	}
	if err := period.Validate(); err != nil {
		return usageError{m.cat.Err(domain.AsError(err))}
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	r, err := storage.NewReportService(db).Run(cliContext(ctx), name, period)
	if err != nil {
		return err
	}
	switch *format {
	case "csv":
		return writeReportCSV(m.Stdout, m.cat, r)
	case "json":
		return writeReportJSON(m.Stdout, r)
	}
	return writeReportTable(m.Stdout, m.cat, r)
}

// writeReportCSV writes r for spreadsheets: UTF-8, a header row of the
// columns' names, a row per table row (encoding/csv quotes as RFC 4180
// says); a cell naming a catalog key is written in the user's language,
// and stored text never as a formula (notAFormula).
func writeReportCSV(w io.Writer, cat i18n.Catalog, r *domain.Report) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		head[i] = c.Name
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, row := range r.Rows {
		rec := make([]string, len(row))
		for i, c := range row {
			switch {
			case c.Key != "" && !c.Null:
				rec[i] = cat.T(c.Key)
			case r.Columns[i].Kind == domain.ColumnText:
				rec[i] = notAFormula(c.Machine(domain.ColumnText))
			default:
				rec[i] = c.Machine(r.Columns[i].Kind)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// notAFormula keeps stored text (a register's value) text when a
// spreadsheet opens the CSV: one that starts as a formula would (=, +, -,
// @, a tab or a carriage return) gets an apostrophe before it, which
// spreadsheets read as "this is text" (CSV injection, OWASP).
func notAFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// reportJSON is the machine-readable form of a report.
type reportJSON struct {
	Report  string           `json:"report"`
	From    string           `json:"from"`
	To      string           `json:"to"`
	RanAt   time.Time        `json:"ran_at"`
	Columns []reportJSONCol  `json:"columns"`
	Rows    []map[string]any `json:"rows"`
	Series  []reportJSONBars `json:"series"`
	Notes   []reportJSONNote `json:"notes"`
}

type reportJSONNote struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

type reportJSONCol struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type reportJSONBars struct {
	Key    string    `json:"key"`
	Kind   string    `json:"kind"`
	Labels []string  `json:"labels"`
	Values []float64 `json:"values"`
}

// writeReportJSON writes r as one JSON object: counts as integers,
// percentages as numbers (0–100, null when the group is empty), durations
// in seconds, catalog-key cells as their keys.
func writeReportJSON(w io.Writer, r *domain.Report) error {
	out := reportJSON{Report: r.Name, From: r.Period.From.Format(time.DateOnly), To: r.Period.To.Format(time.DateOnly),
		RanAt: r.RanAt, Rows: []map[string]any{}, Series: []reportJSONBars{}, Notes: []reportJSONNote{}}
	for _, n := range r.Notes {
		out.Notes = append(out.Notes, reportJSONNote{n.Key, n.Args})
	}
	for _, c := range r.Columns {
		out.Columns = append(out.Columns, reportJSONCol{c.Name, string(c.Kind)})
	}
	for _, row := range r.Rows {
		o := map[string]any{}
		for i, c := range row {
			col := r.Columns[i]
			switch {
			case c.Null:
				o[col.Name] = nil
			case col.Kind == domain.ColumnCount:
				o[col.Name] = c.Count
			case col.Kind == domain.ColumnPercent:
				v, _ := strconv.ParseFloat(c.Machine(col.Kind), 64)
				o[col.Name] = v
			case col.Kind == domain.ColumnDuration:
				o[col.Name] = int64(c.Duration / time.Second)
			default:
				o[col.Name] = c.Machine(col.Kind)
			}
		}
		out.Rows = append(out.Rows, o)
	}
	for _, s := range r.Series {
		out.Series = append(out.Series, reportJSONBars{s.Key, string(s.Kind), s.Labels, s.Values})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeReportTable writes r for a person at a terminal: a title line,
// aligned columns under translated headers, and the notes.
func writeReportTable(w io.Writer, cat i18n.Catalog, r *domain.Report) error {
	fmt.Fprintln(w, cat.T("cli.report.title", r.Name, r.Period.From.Format(time.DateOnly), r.Period.To.Format(time.DateOnly)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		head[i] = cat.T(c.Key)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, row := range r.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = reportCellText(cat, c, r.Columns[i].Kind)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "* "+cat.T(n.Key, n.Args...))
	}
	return nil
}

// reportCellText is a cell as the table format shows it; stored text (a
// municipality's name from a register) is one field (plainout.go).
func reportCellText(cat i18n.Catalog, c domain.ReportCell, kind domain.ColumnKind) string {
	switch {
	case c.Null:
		return "–"
	case c.Key != "":
		return cat.T(c.Key)
	case kind == domain.ColumnPercent:
		return strconv.FormatFloat(c.Percent, 'f', 1, 64) + " %"
	case kind == domain.ColumnDuration:
		return c.Duration.Round(time.Minute).String()
	case kind == domain.ColumnText:
		return field(c.Text)
	}
	return c.Machine(kind)
}
