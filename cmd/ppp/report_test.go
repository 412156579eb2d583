package main

import (
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
