package rolerequests

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
)

// View renders the current mode.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if c.Operator == nil || !c.Operator.HasRole(domain.RoleReviewer) {
		return common.FitBlock(st.Error.Render(c.T("tui.rr.reviewer_only")), w, h)
	}
	switch m.mode {
	case modeForm:
		return m.form.View(w, h)
	case modeConfirm:
		return m.confirmView(w, h)
	case modeDetail:
		return m.detailView(w, h)
	}
	return m.listView(w, h)
}

func (m *Model) listView(w, h int) string {
	c, st := m.c, m.c.Styles
	search := m.search.Line(c, c.T("tui.rr.search"))
	var b strings.Builder
	b.WriteString(common.SpreadLine(search, st.Muted.Render(c.T("tui.rr.page", m.list.Page())), w))
	b.WriteString("\n")
	b.WriteString(ansi.Truncate(m.filterLine(), w, "…"))
	b.WriteString("\n")
	b.WriteString(m.list.Body(c, c.T("tui.rr.none"), m.table.View(), w, listTableHeight(h)))
	if sh := summaryLines(h); sh > 0 {
		b.WriteString("\n")
		b.WriteString(m.summary(w, sh))
	}
	return common.FitBlock(b.String(), w, h)
}

// filterLine shows the three filters with the keys that cycle them.
func (m *Model) filterLine() string {
	c, st := m.c, m.c.Styles
	kind := c.T("tui.rr.filter.all_kinds")
	if m.kind > 0 {
		kind = c.T("tui.rr.kind_short." + string(domain.RoleRequestKinds[m.kind-1]))
	}
	state := c.T("tui.rr.filter.open")
	switch {
	case m.state > len(domain.RoleRequestStates):
		state = c.T("tui.rr.filter.all")
	case m.state > 0:
		state = c.T("tui.rr.state." + string(domain.RoleRequestStates[m.state-1]))
	}
	age := c.T("tui.rr.filter.any_age")
	if d := ageDays[m.age]; d > 0 {
		age = c.T("tui.rr.filter.older", d)
	}
	key := func(k string) string { return st.Muted.Render(k) + " " }
	return key(" f") + c.T("tui.rr.filter.kind", kind) + "  " + key("s") + c.T("tui.rr.filter.state", state) + "  " + key("d") + c.T("tui.rr.filter.age", age)
}

// summary shows the selected request's identity under the list, with the
// personal code masked.
func (m *Model) summary(w, h int) string {
	c, st := m.c, m.c.Styles
	lines := []string{st.Muted.Render(strings.Repeat("─", w))}
	if r := m.selected(); r != nil {
		first := []string{"#" + itoa(r.ID), common.Show(r.ApplicantName())}
		if code := domain.MaskPersonalCode(r.Form.PersonalCode); code != "" {
			first = append(first, code)
		}
		if e := common.Show(r.Form.Email); e != "" {
			first = append(first, e)
		}
		second := []string{c.T("tui.rr.kind." + string(r.Form.Kind))}
		if wh := common.Show(where(r)); wh != "" {
			second = append(second, wh)
		}
		if r.EmailConfirmedAt.IsZero() {
			second = append(second, c.T("tui.rr.email_unconfirmed"))
		} else {
			second = append(second, c.T("tui.rr.email_confirmed"))
		}
		if who := m.holder(r); who != "" {
			second = append(second, c.T("tui.rr.held_until", who, clockText(r.ClaimExpiresAt)))
		}
		lines = append(lines, strings.Join(first, " · "), strings.Join(second, " · "))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

func (m *Model) confirmView(w, h int) string {
	c, st := m.c, m.c.Styles
	r := m.item.req
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T("tui.rr.approve_title", r.ID, r.ApplicantName())))
	b.WriteString("\n\n")
	q := c.T("tui.rr.approve_confirm", r.ID, r.ApplicantName(), c.T("tui.rr.kind."+string(r.Form.Kind)), m.validUntil.Format(dateLayout))
	b.WriteString(st.Banner.Render(common.WrapAtSpaces(q, w)))
	b.WriteString("\n\n")
	b.WriteString(st.Muted.Render(c.T("tui.rr.approve_confirm_keys")))
	return common.FitBlock(b.String(), w, h)
}

func (m *Model) detailView(w, h int) string {
	return queue.DetailView(m.c, m.detailHeader(w), m.vp, w, h)
}

// layoutDetail fits the scrolling part under the header and fills it.
func (m *Model) layoutDetail() {
	if m.item == nil {
		return
	}
	w := max(m.width, 1)
	queue.LayoutDetail(&m.vp, w, m.height, len(m.detailHeader(w)), m.detailContent(w))
}

// detailHeader is what stays on screen while the detail scrolls: the
// request, who holds it, duplicates, and why it cannot be decided.
func (m *Model) detailHeader(w int) []string {
	c, st, it := m.c, m.c.Styles, m.item
	r := it.req
	title := st.Title.Render(c.T("tui.rr.detail.title", r.ID, c.T("tui.rr.kind."+string(r.Form.Kind))))
	lines := []string{common.SpreadLine(title, st.Label.Render(c.T("tui.rr.state."+string(r.State))), w)}
	held := r.ClaimedByOther(m.me(), c.Clock())
	switch {
	case it.Owned:
		lines = append(lines, st.OK.Render(c.T("tui.rr.claim.yours", clockText(r.ClaimExpiresAt))))
	case held:
		lines = append(lines, st.Banner.Render(ansi.Truncate(c.T("tui.rr.claim.other", r.ClaimedByName), w, "…")))
	case !it.loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.rr.claim.opening")))
	case r.State.Open():
		lines = append(lines, st.Muted.Render(c.T("tui.rr.claim.free")))
	}
	if n := len(it.dups); n > 0 {
		lines = append(lines, st.Banner.Render(ansi.Truncate(c.T("tui.rr.dups_banner", n), w, "…")))
	}
	if err := m.blocker(actApprove); err != nil && !held && it.loaded {
		wrapped := strings.Split(common.WrapAtSpaces(c.Err(err), w), "\n")
		for _, l := range wrapped[:min(len(wrapped), 2)] {
			lines = append(lines, st.Error.Render(l))
		}
	}
	return lines
}

// row is a labelled value of the detail; its value is made plain where
// the section draws it.
type row = common.Field

// detailContent is the scrolling part of the detail: every section of the
// request, plain text cut to the width.
func (m *Model) detailContent(w int) string {
	c, st, it := m.c, m.c.Styles, m.item
	r := it.req
	var sections []string
	add := func(title string, rows []row, lines []string) {
		sections = append(sections, c.Section(w, title, rows, lines, 4))
	}
	dash := common.OrDash
	if len(it.dups) > 0 {
		add(c.T("tui.rr.sec.duplicates", len(it.dups)), nil, m.duplicateLines())
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
			form = append(form, row{Label: "tui.rr.f.personal_code", Value: m.personalCode()})
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

	if len(it.dups) == 0 {
		add(c.T("tui.rr.sec.duplicates", 0), nil, []string{"  " + c.T("tui.rr.nothing")})
	}

	var hist []string
	for _, e := range it.history {
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

func (m *Model) personalCode() string {
	it, c := m.item, m.c
	code := it.req.Form.PersonalCode
	if it.revealed {
		return c.T("tui.rr.code_revealed", it.code)
	}
	return c.T("tui.rr.code_masked", domain.MaskPersonalCode(code))
}

func (m *Model) duplicateLines() []string {
	c := m.c
	var out []string
	for _, d := range m.item.dups {
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
