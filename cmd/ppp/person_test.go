package main

import (
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

// TestPersonExportText_HostileValuesDrawnPlain_EverySectionHeaded proves
// the export's text format (issue 18, GDPR Art. 15): a heading per
// section in Latvian, Latvian dates, and no control character or escape
// sequence from stored values (a document name, a note, a message body)
// but the line breaks of the layout.
func TestPersonExportText_HostileValuesDrawnPlain_EverySectionHeaded(t *testing.T) {
	const hostile = "Ļauns\x1b]0;pwned\x07\x1b[2J\u202e\u009b31m\r teksts"
	at := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	e := domain.ExportEntry{ID: 1, At: at, Kind: "question", State: "new", Text: hostile, Note: hostile,
		Documents: []domain.ExportDocument{{Name: hostile, MediaType: "application/pdf", Size: 1, SHA256: "ab"}},
		Messages:  []domain.ExportMessage{{At: at, In: true, From: hostile, Subject: hostile, Body: "1\n" + hostile}}}
	x := &domain.PersonExport{MadeAt: at, MadeBy: "Sandra", Reason: hostile,
		Identity: domain.ExportIdentity{PersonalCode: "010180-10000", FirstName: hostile, CreatedAt: at},
		Tickets:  []domain.ExportEntry{e}, Denials: []domain.ExportEntry{e},
		StaffAccess: []domain.ExportAccess{{At: at, Operator: hostile, Kind: domain.AccessReveal, Reason: hostile}}}
	var b strings.Builder
	if err := writePersonExportText(&b, i18n.For(i18n.LV), x); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, r := range out {
		if r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == '\u202e') {
			t.Fatalf("the text holds control character %U:\n%q", r, out)
		}
	}
	for _, want := range []string{"Personas kods: 010180-10000", "Palīdzības dienesta pieteikumi", "Piekļuves liegumi",
		"07.12.2026 12:30", "Ļauns", "Darbinieki, kas skatīja", "atklāja personas kodu"} {
		if !strings.Contains(out, want) {
			t.Errorf("the text lacks %q:\n%s", want, out)
		}
	}
}
