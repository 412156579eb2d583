package domain

import (
	"fmt"
	"slices"
	"time"
)

// ReportQueues: per queue and ISO week, items in and out, waiting time
// p50/p90 of the items decided, the share decided within the Agency's
// target (policy data, working days), take-overs (¶29.3) and requests for
// information.
const ReportQueues = "queues"

// ReportDecisions: role requests decided by kind and outcome, IMK
// outcomes by the rule that decided (¶26.4), denials by ground (¶32) in
// force and lifted, helpdesk tickets by category with the time to the
// first reply.
const ReportDecisions = "decisions"

// WorkingDaysBetween counts the working days (Monday–Friday, in the
// Agency's zone) after from's day up to and including to's day: an item
// that arrived on a Friday and was decided on the next Monday waited one
// working day. Public holidays are not counted out. It returns 0 when to
// is not after from's day.
func WorkingDaysBetween(from, to time.Time) int {
	a := from.In(AgencyZone)
	b := to.In(AgencyZone)
	d := time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, AgencyZone)
	end := time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, AgencyZone)
	n := 0
	for d = d.AddDate(0, 0, 1); !d.After(end); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// ds, and false when ds is empty. ds is sorted in place.
func Percentile(ds []time.Duration, p float64) (time.Duration, bool) {
	if len(ds) == 0 {
		return 0, false
	}
	slices.Sort(ds)
	rank := int(p/100*float64(len(ds)) + 0.999999999)
	rank = min(max(rank, 1), len(ds))
	return ds[rank-1], true
}

// ISOWeek names t's ISO week in the Agency's zone, e.g. "2026-W10".
func ISOWeek(t time.Time) string {
	y, w := t.In(AgencyZone).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
