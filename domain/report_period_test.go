package domain_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// TestReportPresetPeriod_DaysInRiga proves the ready-made periods on a
// day whose date in Riga differs from UTC's: 31 March 23:30 UTC is
// 1 April in Riga, so "this month" is April's first day alone and "last
// month" all of March.
func TestReportPresetPeriod_DaysInRiga(t *testing.T) {
	now := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	want := map[string]string{
		domain.ReportPresetLast30:      "2026-03-03..2026-04-01",
		domain.ReportPresetThisMonth:   "2026-04-01..2026-04-01",
		domain.ReportPresetLastMonth:   "2026-03-01..2026-03-31",
		domain.ReportPresetThisQuarter: "2026-04-01..2026-04-01",
		domain.ReportPresetThisYear:    "2026-01-01..2026-04-01",
	}
	for preset, w := range want {
		p, err := domain.ReportPresetPeriod(preset, now)
		if err != nil || p.String() != w || p.Validate() != nil {
			t.Errorf("%s: %v %v, want %s", preset, p, err, w)
		}
	}
	if _, err := domain.ReportPresetPeriod(domain.ReportPresetCustom, now); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("custom: %v, want EINVALID", err)
	}
}
