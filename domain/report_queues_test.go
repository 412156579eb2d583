package domain_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

func TestWorkingDaysBetween_SkipsWeekends(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, domain.AgencyZone)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-03-06 16:00", "2026-03-09 09:00", 1}, // Friday → Monday
		{"2026-03-09 09:00", "2026-03-09 17:00", 0}, // the same day
		{"2026-03-09 09:00", "2026-03-16 09:00", 5}, // a week
		{"2026-03-07 10:00", "2026-03-08 10:00", 0}, // Saturday → Sunday
		{"2026-03-09 09:00", "2026-03-02 09:00", 0}, // backwards
	} {
		if got := domain.WorkingDaysBetween(at(tc.from), at(tc.to)); got != tc.want {
			t.Errorf("%s → %s: %d working days, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestPercentile_NearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 10; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Hour)
	}
	for p, want := range map[float64]time.Duration{50: 5 * time.Hour, 90: 9 * time.Hour, 100: 10 * time.Hour, 1: time.Hour} {
		if got, ok := domain.Percentile(ds, p); !ok || got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if _, ok := domain.Percentile(nil, 50); ok {
		t.Error("percentile of nothing reported a value")
	}
	if got := domain.ISOWeek(time.Date(2026, 3, 9, 0, 30, 0, 0, domain.AgencyZone)); got != "2026-W11" {
		t.Errorf("ISO week = %s", got)
	}
}
