package common

import "time"

// Age renders how long ago since was, coarsely, in the session's language:
// "just now", "12 min", "3 h 5 min", "2 d 4 h". A zero since gives "—".
func (c *Common) Age(since time.Time) string {
	if since.IsZero() {
		return "—"
	}
	d := c.Clock().Sub(since)
	switch {
	case d < time.Minute:
		return c.T("tui.age.now")
	case d < time.Hour:
		return c.T("tui.age.minutes", int(d/time.Minute))
	case d < 24*time.Hour:
		return c.T("tui.age.hours", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return c.T("tui.age.days", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
}
