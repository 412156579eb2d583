package rolerequests

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// heading is the detail's first line: the request and its state.
func (m *Model) heading(o *open) (string, string) {
	c, r := m.c, o.Item
	return c.T("tui.rr.detail.title", r.ID, c.T("tui.rr.kind."+string(r.Form.Kind))), c.T("tui.rr.state." + string(r.State))
}

// banners warn of duplicates under the claim line.
func (m *Model) banners(o *open, w int) []string {
	if n := len(o.More.dups); n > 0 {
		return []string{m.c.Styles.Banner.Render(ansi.Truncate(m.c.T("tui.rr.dups_banner", n), w, "…"))}
	}
	return nil
}

// row is a labelled value of the detail; its value is made plain where
// the section draws it.
type row = common.Field

// body is the scrolling part of the detail: every section of the request,
// plain text cut to the width.
func (m *Model) body(o *open, w int) string {
	c, st, r, x := m.c, m.c.Styles, o.Item, o.More
	var sections []string
	add := func(title string, rows []row, lines []string) {
		sections = append(sections, c.Section(w, title, rows, lines, 4))
	}
	dash := common.OrDash
	if len(x.dups) > 0 {
		add(c.T("tui.rr.sec.duplicates", len(x.dups)), nil, m.duplicateLines(x.dups))
	}

	f := r.Form
	form := []row{{Label: "tui.rr.f.kind", Value: c.T("tui.rr.kind." + string(f.Kind))}}
	person := func(always bool) {
		for _, p := range []row{{Label: "tui.rr.f.first_name", Value: f.FirstName}, {Label: "tui.rr.f.last_name", Value: f.LastName}} {
			if always || p.Value != "" {
				form = append(form, row{Label: p.Label, Value: dash(p.Value)})
			}
		}
		if always || f.PersonalCode != "" {
			form = append(form, row{Label: "tui.rr.f.personal_code", Value: m.personalCode(o)})
		}
		if f.Position != "" || always && f.Kind == domain.KindInstitutionStaff {
			form = append(form, row{Label: "tui.rr.f.position", Value: dash(f.Position)})
		}
		if f.Phone != "" {
			form = append(form, row{Label: "tui.rr.f.phone", Value: dash(f.Phone)})
		}
	}
	switch f.Kind {
	case domain.KindInstitution:
		form = append(form,
			row{Label: "tui.rr.f.institution_name", Value: dash(f.InstitutionName)},
			row{Label: "tui.rr.f.company_reg", Value: dash(f.CompanyRegNumber)},
			row{Label: "tui.rr.f.education_reg", Value: dash(f.EducationRegNumber)})
		person(false)
	default:
		person(true)
		if f.Kind == domain.KindInstitutionStaff || f.Kind == domain.KindCareerConsultant || r.InstitutionName != "" {
			form = append(form, row{Label: "tui.rr.f.institution", Value: dash(r.InstitutionName)})
		}
		if f.Kind == domain.KindMunicipalCoordinator || r.MunicipalityName != "" || f.MunicipalityCode != "" {
			name := r.MunicipalityName
			if name == "" {
				name = f.MunicipalityCode
			}
			form = append(form, row{Label: "tui.rr.f.municipality", Value: dash(name)})
		}
	}
	// ¶26.2: shown before the reviewer decides.
	if r.Terms != nil {
		form = append(form, row{Label: "tui.acc.f.terms", Value: c.T("tui.acc.not_accepted", r.Terms.Number), Style: &st.Error})
	}
	var notes []string
	if n := common.ShowText(f.Notes); n != "" {
		form = append(form, row{Label: "tui.rr.f.notes", Value: ""})
		notes = strings.Split(n, "\n")
	}
	add(c.T("tui.rr.sec.form"), form, indent(notes))

	mail := []row{{Label: "tui.rr.f.email", Value: dash(f.Email)}}
	switch {
	case !r.EmailConfirmedAt.IsZero():
		mail = append(mail, row{Label: "tui.rr.f.confirmation", Value: c.T("tui.rr.email.confirmed_at", timeText(r.EmailConfirmedAt))})
	case !r.EmailSentAt.IsZero():
		mail = append(mail, row{Label: "tui.rr.f.confirmation", Value: c.T("tui.rr.email.sent_at", timeText(r.EmailSentAt), timeText(r.CreatedAt.Add(domain.UnconfirmedLifetime))), Style: &st.Error})
	default:
		mail = append(mail, row{Label: "tui.rr.f.confirmation", Value: c.T("tui.rr.email.not_sent"), Style: &st.Error})
	}
	add(c.T("tui.rr.sec.email"), mail, nil)

	route := c.T("tui.rr.route.agency")
	if r.Route == domain.RouteInstitution {
		route = c.T("tui.rr.route.institution")
		if r.InstitutionName != "" {
			route += " — " + r.InstitutionName
		}
	}
	routing := []row{
		{Label: "tui.rr.f.route", Value: route},
		{Label: "tui.rr.f.submitted", Value: c.T("tui.rr.ago", timeText(r.CreatedAt), c.Age(r.CreatedAt))},
	}
	if !r.UpdatedAt.IsZero() {
		routing = append(routing, row{Label: "tui.rr.f.changed", Value: timeText(r.UpdatedAt)})
	}
	add(c.T("tui.rr.sec.route"), routing, nil)
	if rows := m.consultantRows(r); len(rows) > 0 {
		add(c.T("tui.rr.sec.consultant"), rows, nil)
	}

	if !r.DecidedAt.IsZero() || r.DecidedByName != "" {
		var dec []row
		dec = append(dec, row{Label: "tui.rr.f.decided", Value: c.T("tui.rr.decided_by", dash(r.DecidedByName), timeText(r.DecidedAt))})
		if r.ReasonCode != "" {
			dec = append(dec, row{Label: "tui.rr.f.reason", Value: c.T("rolerequest.reason." + r.ReasonCode)})
		}
		if r.ReasonText != "" {
			dec = append(dec, row{Label: "tui.rr.f.reason_text", Value: dash(r.ReasonText)})
		}
		if !r.ValidUntil.IsZero() {
			dec = append(dec, row{Label: "tui.rr.f.valid_until", Value: r.ValidUntil.Format(dateLayout)})
		}
		var msg []string
		if t := common.ShowText(r.InfoMessage); t != "" {
			dec = append(dec, row{Label: "tui.rr.f.info_message", Value: ""})
			msg = strings.Split(t, "\n")
		}
		add(c.T("tui.rr.sec.decision"), dec, indent(msg))
	}

	var docs []string
	for _, d := range f.Documents {
		sum := d.SHA256
		if len(sum) > 12 {
			sum = sum[:12] + "…"
		}
		docs = append(docs, fmt.Sprintf("  %s · %s · %s · sha256 %s", common.Show(d.Name), common.Show(d.MediaType), sizeText(d.Size), common.Show(sum)))
	}
	if len(docs) == 0 {
		docs = []string{"  " + c.T("tui.rr.nothing")}
	}
	add(c.T("tui.rr.sec.documents", len(f.Documents)), nil, docs)

	if len(x.dups) == 0 {
		add(c.T("tui.rr.sec.duplicates", 0), nil, []string{"  " + c.T("tui.rr.nothing")})
	}

	add(c.T("tui.rr.sec.assignments", len(x.assignments)), nil, m.assignmentLines(x.assignments))

	var hist []string
	for _, e := range x.history {
		line := fmt.Sprintf("  %s  %s  %s", timeText(e.At), dash(e.ActorName), m.eventName(e.Action))
		if n := common.Show(e.Note); n != "" {
			line += " — " + n
		}
		hist = append(hist, line)
	}
	if len(hist) == 0 {
		hist = []string{"  " + c.T("tui.rr.nothing")}
	}
	add(c.T("tui.rr.sec.history"), nil, hist)

	return strings.Join(sections, "\n\n")
}

func (m *Model) personalCode(o *open) string {
	if o.Revealed != "" {
		return m.c.T("tui.rr.code_revealed", o.Revealed)
	}
	return m.c.T("tui.rr.code_masked", domain.MaskPersonalCode(o.Item.Form.PersonalCode))
}

func (m *Model) duplicateLines(dups []*domain.Duplicate) []string {
	c := m.c
	var out []string
	for _, d := range dups {
		state := d.State
		if t := c.T("tui.rr.state." + d.State); !strings.HasPrefix(t, "[") {
			state = t
		}
		out = append(out, fmt.Sprintf("  !! %s #%d · %s · %s · %s", m.optional("tui.rr.dup."+d.Kind, d.Kind), d.ID,
			m.optional("tui.rr.dup.matched."+d.Matched, d.Matched), common.Show(state), common.Show(d.Summary)))
	}
	return out
}

// eventName names a history action, or shows it as stored when the
// catalog has no name for it.
func (m *Model) eventName(action string) string {
	return m.optional("tui.rr.event."+action, action)
}

func (m *Model) optional(key, fallback string) string { return m.c.Named(key, fallback) }

func indent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "    " + l
	}
	return out
}

// timeText renders a moment to the minute, in the server's zone; "—" for
// none.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// clockText renders the time of day of t.
func clockText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("15:04")
}

// sizeText renders a document size.
func sizeText(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KiB", (n+512)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1024*1024))
}

// consultantRows are what the detail shows of a career consultant's
// request naming an institution (¶29.3): since when it waits there, from
// when the Agency may take it over, the reminders, and — while it is
// open — what an approval will grant: the role in the institution when
// the institution decides, without its scope when the Agency does.
func (m *Model) consultantRows(r *domain.RoleRequest) []row {
	if r.Form.Kind != domain.KindCareerConsultant || r.Form.InstitutionID == 0 {
		return nil
	}
	c, cfg := m.c, m.config()
	var rows []row
	if !r.EmailConfirmedAt.IsZero() {
		rows = append(rows, row{Label: "tui.rr.f.waiting_since", Value: c.T("tui.rr.ago", timeText(r.EmailConfirmedAt), c.Age(r.EmailConfirmedAt))})
	}
	if r.State == domain.StateAtInstitution {
		rows = append(rows, row{Label: "tui.rr.f.takeover_from", Value: timeText(r.TakeOverFrom(cfg))})
		reminder := c.T("tui.rr.reminder.due", timeText(r.RemindFrom(cfg)))
		if !r.InstitutionReminderAt.IsZero() {
			reminder = c.T("tui.rr.reminder.sent", timeText(r.InstitutionReminderAt))
		}
		rows = append(rows, row{Label: "tui.rr.f.reminder", Value: reminder})
	}
	if !r.AgencyRemindedAt.IsZero() {
		rows = append(rows, row{Label: "tui.rr.f.agency_reminded", Value: timeText(r.AgencyRemindedAt)})
	}
	if r.State.Open() && r.State != domain.StateUnconfirmed {
		byInstitution := r.State == domain.StateAtInstitution
		grants := c.T("tui.rr.grants.unscoped")
		if r.ScopedToInstitution(byInstitution) {
			grants = c.T("tui.rr.grants.institution", r.InstitutionName)
		}
		var style *lipgloss.Style
		if !byInstitution {
			style = &c.Styles.Error
		}
		rows = append(rows, row{Label: "tui.rr.f.grants", Value: grants, Style: style})
	}
	return rows
}
