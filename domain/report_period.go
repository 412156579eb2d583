package domain

import "time"

// The periods a reports screen offers ready-made (issue 18), each ending
// on the day of now in the Agency's zone; "custom" is typed from–to.
const (
	ReportPresetLast30      = "last30"
	ReportPresetThisMonth   = "this_month"
	ReportPresetLastMonth   = "last_month"
	ReportPresetThisQuarter = "this_quarter"
	ReportPresetThisYear    = "this_year"
	ReportPresetCustom      = "custom"
)

// ReportPresets lists the ready-made periods in the order a screen offers
// them, custom last.
func ReportPresets() []string {
	return []string{ReportPresetLast30, ReportPresetThisMonth, ReportPresetLastMonth, ReportPresetThisQuarter,
		ReportPresetThisYear, ReportPresetCustom}
}

// ReportPresetPeriod returns the days of a ready-made period on the day
// of now (Agency's zone): the last 30 days, this month, last month (all of
// it), this quarter or this year up to today. It returns EINVALID
// "report.bad_period" for custom or an unknown preset.
func ReportPresetPeriod(preset string, now time.Time) (ReportPeriod, error) {
	d := now.In(AgencyZone)
	today := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	first := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	switch preset {
	case ReportPresetLast30:
		return DefaultReportPeriod(now), nil
	case ReportPresetThisMonth:
		return ReportPeriod{From: first(today.Year(), today.Month()), To: today}, nil
	case ReportPresetLastMonth:
		this := first(today.Year(), today.Month())
		return ReportPeriod{From: this.AddDate(0, -1, 0), To: this.AddDate(0, 0, -1)}, nil
	case ReportPresetThisQuarter:
		q := (int(today.Month())-1)/3*3 + 1
		return ReportPeriod{From: first(today.Year(), time.Month(q)), To: today}, nil
	case ReportPresetThisYear:
		return ReportPeriod{From: first(today.Year(), time.January), To: today}, nil
	}
	return ReportPeriod{}, Errorf(EINVALID, "report.bad_period", "the period must run from a day to the same or a later day, at most %d days", MaxReportDays)
}
