package announcements

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// summary names the selected announcement under the list.
func (s screen) summary(a ann, ok bool, w int) []string {
	if !ok {
		return nil
	}
	c := s.c
	return []string{
		ansi.Truncate(c.T("tui.ann.sum.head", a.ID, a.Title, c.T("announcement.kind."+string(a.Kind))), w, "…"),
		ansi.Truncate(s.whenLine(a)+" · "+s.audienceLong(a.Audience), w, "…"),
	}
}

// whenLine says when an announcement applies, in full.
func (s screen) whenLine(a ann) string {
	switch {
	case a.StartsAt.IsZero() && a.EndsAt.IsZero():
		return s.c.T("tui.ann.when.none")
	case a.EndsAt.IsZero():
		return s.c.T("tui.ann.when.from", timeText(a.StartsAt))
	}
	return s.c.T("tui.ann.when.span", timeText(a.StartsAt), timeText(a.EndsAt))
}

// detail shows one announcement in full: its fields, and its text, which
// scrolls under them.
func (s screen) detail(a ann, w int) (head, body []string) {
	c, st := s.c, s.c.Styles
	title := st.Title.Render(c.T("tui.ann.detail_title", a.ID, c.T("announcement.kind."+string(a.Kind))))
	head = []string{common.SpreadLine(title, st.Label.Render(c.T("announcement.state."+string(a.State))), w)}
	var fields []common.Field
	row := func(label, value string) { fields = append(fields, common.Field{Label: label, Value: value}) }
	row("tui.ann.field.title", a.Title)
	row("tui.ann.col.when", s.whenLine(a))
	row("tui.ann.field.audience", s.audienceLong(a.Audience))
	if common.Show(a.Services) != "" {
		row("tui.ann.field.services", a.Services)
	}
	email := c.T("tui.ann.email.no")
	if a.EmailAudience {
		email = c.T("tui.ann.email.yes")
		if a.State != domain.AnnouncementDraft {
			email = c.T("tui.ann.email.queued", a.EmailsQueued)
			if a.EmailsPending {
				email += " " + c.T("tui.ann.email.pending")
			}
		}
	}
	row("tui.ann.field.email", email)
	if a.CreatedByName != "" {
		row("tui.ann.f.created", c.T("tui.ann.by_at", a.CreatedByName, timeText(a.CreatedAt)))
	}
	if !a.PublishedAt.IsZero() {
		row("tui.ann.f.published", timeText(a.PublishedAt))
	}
	if a.State == domain.AnnouncementWithdrawn {
		row("tui.ann.f.withdrawn", timeText(a.WithdrawnAt)+" — "+a.WithdrawReason)
	}
	if a.TermsVersion != 0 {
		row("tui.ann.f.terms", "#"+itoa(a.TermsVersion))
	}
	head = append(head, c.Fields(fields, w, 0, false)...)
	for _, l := range strings.Split(common.ShowText(a.Body), "\n") {
		body = append(body, strings.Split(common.WrapAtSpaces(l, w), "\n")...)
	}
	return head, body
}

// confirm asks before publishing a.
func (s screen) confirm(a ann, w int) []string {
	c, st := s.c, s.c.Styles
	email := c.T("tui.ann.publish_no_email")
	if a.EmailAudience {
		email = c.T("tui.ann.publish_email")
	}
	q := c.T("tui.ann.publish_confirm", a.Title, s.audienceLong(a.Audience), email)
	if a.Kind == domain.AnnouncementDowntime && !a.StartsAt.IsZero() {
		q += " " + c.T("tui.ann.publish_banner", timeText(a.StartsAt.Add(-domain.DowntimeBannerLead)))
	}
	return []string{st.Title.Render(c.T("tui.ann.publish_title", a.ID)), "", st.Banner.Render(common.WrapAtSpaces(q, w))}
}

// audienceShort is "everyone", the one role, or how many roles.
func (s screen) audienceShort(roles []string) string {
	switch len(roles) {
	case 0:
		return s.c.T("tui.ann.audience.everyone")
	case 1:
		return s.roleName(roles[0])
	}
	return s.c.T("tui.ann.audience.roles", len(roles))
}

// audienceLong names every role of the audience.
func (s screen) audienceLong(roles []string) string {
	if len(roles) == 0 {
		return s.c.T("tui.ann.audience.everyone_long")
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = s.roleName(r)
	}
	return strings.Join(names, ", ")
}

// roleName names a Platform role, or shows it as stored when the catalog
// has no name for it.
func (s screen) roleName(r string) string { return s.c.Named("tui.prole."+r, r) }

// whenShort renders a span compactly for the list: the start's month,
// day and time, and the end's time (within a day) or date.
func whenShort(from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "—"
	case to.IsZero():
		return from.Local().Format("01-02 15:04") + "–"
	case from.IsZero():
		return "–" + to.Local().Format("01-02 15:04")
	}
	from, to = from.Local(), to.Local()
	if to.Sub(from) < 24*time.Hour {
		// Downtime is hours long, often over midnight: the end's time
		// says more than its date.
		return from.Format("01-02 15:04") + "–" + to.Format("15:04")
	}
	return from.Format("01-02 15:04") + "–" + to.Format("01-02")
}

// timeLayout is how a moment is typed and shown in full.
const timeLayout = "2006-01-02 15:04"

// timeText renders a moment in full; "—" for none.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format(timeLayout)
}
