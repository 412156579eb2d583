package alerts

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// TestMisuseWindow_CarriesTheYear proves that the window column of the
// misuse signals tells the year (a 30-day window across a new year read
// "12-20 10:00–01-19" before, which could be either year), and stays
// within the column's 22 cells but for a window across a new year, whose
// end then carries its year too.
func TestMisuseWindow_CarriesTheYear(t *testing.T) {
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.Local) }
	for _, c := range []struct {
		from, to time.Time
		want     string
	}{
		{at(2026, 3, 3, 11), at(2026, 3, 3, 12), "2026-03-03 11:00–12:00"},
		{at(2026, 2, 1, 12), at(2026, 3, 3, 12), "2026-02-01 12:00–03-03"},
		{at(2026, 12, 20, 10), at(2027, 1, 19, 10), "2026-12-20 10:00–2027-01-19"},
	} {
		got := misuseWindow(&domain.MisuseSignal{WindowStart: c.from, WindowEnd: c.to})
		if got != c.want {
			t.Errorf("window %v–%v = %q, want %q", c.from, c.to, got, c.want)
		}
		if c.from.Year() == c.to.Year() && len([]rune(got)) > 22 {
			t.Errorf("%q is wider than the column's 22 cells", got)
		}
	}
}
