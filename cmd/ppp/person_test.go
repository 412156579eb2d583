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
	t.Parallel()
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

// TestPersonExportText_EveryIMKDecision proves that the text format lists
// each eligibility decision of an IMK application (issue 18, GDPR Art.
// 15; ¶26.4) with who decided, the reason, the policy version, the rules
// and the register data, in Latvian, and the latest evaluation only once.
func TestPersonExportText_EveryIMKDecision(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 5, 10, 30, 0, 0, time.UTC)
	rule := func(verdict string) []domain.ExportRule {
		return []domain.ExportRule{{Rule: "residence", Verdict: verdict, Evidence: domain.Evidence{Key: "imk.ev.resident"}, SnapshotID: 7}}
	}
	snap := []domain.ExportSnapshot{{ID: 7, Register: "population", FetchedAt: at, Answered: true, Found: true,
		Fields: []domain.ExportField{{Name: "municipality", Value: "Ādažu novads"}}}}
	x := &domain.PersonExport{MadeAt: at, IMK: []domain.ExportEntry{{ID: 1, At: at, State: "approved",
		Rules: rule("pass"), RegisterData: snap,
		Decisions: []domain.ExportDecision{
			{At: at, State: "rejected", Reason: "imk.rule.residence", PolicyVersion: 1, Rules: rule("fail"), RegisterData: snap},
			{At: at.Add(48 * time.Hour), State: "approved", DecidedBy: "Māris Ozols", Reason: "dzīvo Ādažos", PolicyVersion: 2,
				Rules: rule("pass"), RegisterData: snap},
		}}}}
	var b strings.Builder
	if err := writePersonExportText(&b, i18n.For(i18n.LV), x); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Lēmums 05.12.2026 12:30", "Lēmums 07.12.2026 12:30", "Izlēma: automātiskā pārbaude",
		"Izlēma: Māris Ozols", "Pamatojums: dzīvo Ādažos", "Mērķa grupas politikas versija: 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("the text lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Ādažu novads"); n != 2 {
		t.Errorf("the register data is written %d times, want once per decision:\n%s", n, out)
	}
}
