package announcements

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// View renders the current mode.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if !m.isEditor() {
		return common.FitBlock(st.Error.Render(c.T("tui.ann.editor_only")), w, h)
	}
	switch m.mode {
	case modeForm:
		return m.sheet.View(w, h)
	case modeConfirm:
		return m.confirmView(w, h)
	case modeWithdraw:
		return m.reason.View(w, h)
	case modeDetail:
		return m.detailView(w, h)
	}
	return m.listView(w, h)
}

func (m *Model) listView(w, h int) string {
	c, st := m.c, m.c.Styles
	var b strings.Builder
	tableH := listTableHeight(h)
	switch {
	case !m.loaded:
		b.WriteString(common.FitBlock(st.Muted.Render(c.T("tui.loading")), w, tableH))
	case len(m.rows) == 0:
		b.WriteString(common.FitBlock(st.Muted.Render(c.T("tui.ann.none")), w, tableH))
	default:
		b.WriteString(common.FitBlock(m.table.View(), w, tableH))
	}
	if sh := summaryLines(h); sh > 0 {
		b.WriteString("\n")
		lines := []string{st.Muted.Render(strings.Repeat("─", w))}
		if a := m.selected(); a != nil {
			lines = append(lines,
				ansi.Truncate(c.T("tui.ann.sum.head", a.ID, a.Title, c.T("announcement.kind."+string(a.Kind))), w, "…"),
				ansi.Truncate(m.whenLine(a)+" · "+m.audienceLong(a.Audience), w, "…"))
		}
		b.WriteString(common.FitBlock(strings.Join(lines, "\n"), w, sh))
	}
	return common.FitBlock(b.String(), w, h)
}

// whenLine says when an announcement applies, in full.
func (m *Model) whenLine(a *domain.Announcement) string {
	switch {
	case a.StartsAt.IsZero() && a.EndsAt.IsZero():
		return m.c.T("tui.ann.when.none")
	case a.EndsAt.IsZero():
		return m.c.T("tui.ann.when.from", timeText(a.StartsAt))
	}
	return m.c.T("tui.ann.when.span", timeText(a.StartsAt), timeText(a.EndsAt))
}

// detailView shows one announcement in full.
func (m *Model) detailView(w, h int) string {
	c, st, a := m.c, m.c.Styles, m.target
	title := st.Title.Render(c.T("tui.ann.detail_title", a.ID, c.T("announcement.kind."+string(a.Kind))))
	lines := []string{common.SpreadLine(title, st.Label.Render(c.T("announcement.state."+string(a.State))), w)}
	var fields []common.Field
	row := func(label, value string) { fields = append(fields, common.Field{Label: label, Value: value}) }
	row("tui.ann.field.title", a.Title)
	row("tui.ann.col.when", m.whenLine(a))
	row("tui.ann.field.audience", m.audienceLong(a.Audience))
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
	lines = append(lines, c.Fields(fields, w, 0, false)...)
	lines = append(lines, "")
	var text []string
	for _, l := range strings.Split(common.ShowText(a.Body), "\n") {
		text = append(text, strings.Split(common.WrapAtSpaces(l, w), "\n")...)
	}
	// The text scrolls under the fields; the first line says how far.
	room := max(h-len(lines), 1)
	m.top = min(m.top, max(len(text)-room, 0))
	if len(text) > room {
		lines[len(lines)-1] = common.SpreadLine("", st.Muted.Render(fmt.Sprintf("↕ %d/%d", m.top+1, len(text))), w)
	}
	lines = append(lines, text[m.top:]...)
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

func (m *Model) confirmView(w, h int) string {
	c, st, a := m.c, m.c.Styles, m.target
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T("tui.ann.publish_title", a.ID)))
	b.WriteString("\n\n")
	email := c.T("tui.ann.publish_no_email")
	if a.EmailAudience {
		email = c.T("tui.ann.publish_email")
	}
	q := c.T("tui.ann.publish_confirm", a.Title, m.audienceLong(a.Audience), email)
	if a.Kind == domain.AnnouncementDowntime && !a.StartsAt.IsZero() {
		q += " " + c.T("tui.ann.publish_banner", timeText(a.StartsAt.Add(-domain.DowntimeBannerLead)))
	}
	b.WriteString(st.Banner.Render(common.WrapAtSpaces(q, w)))
	b.WriteString("\n\n")
	if m.busy {
		b.WriteString(st.Muted.Render(c.T("tui.ann.publishing")))
	} else {
		b.WriteString(st.Muted.Render(c.T("tui.ann.publish_keys")))
	}
	return common.FitBlock(b.String(), w, h)
}
