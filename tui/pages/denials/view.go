package denials

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// pendingCount is how many items await a second officer (none while the
// page is being built).
func (m *Model) pendingCount() int {
	if m.pend == nil {
		return 0
	}
	return len(m.pend.Rows())
}

// viewBar names the four views, the current one in brackets.
func (m *Model) viewBar(w int) string {
	st := m.c.Styles
	names := map[view]string{
		viewDenials:    m.c.T("tui.den.view.denials"),
		viewPending:    m.c.T("tui.den.view.pending", m.pendingCount()),
		viewSweeps:     m.c.T("tui.den.view.sweeps"),
		viewDeathCheck: m.c.T("tui.den.view.deathcheck"),
	}
	var parts []string
	for _, v := range views {
		if v == m.view {
			parts = append(parts, st.ActiveTab.Render("["+names[v]+"]"))
		} else {
			parts = append(parts, " "+names[v]+" ")
		}
	}
	return common.FitWidth(strings.Join(parts, " "), w)
}

// filterLine says the list's filters, and its page once there are more.
func (m *Model) filterLine(w int) string {
	c, st := m.c, m.c.Styles
	ground, kind := c.T("tui.den.filter.any"), c.T("tui.den.filter.any")
	if m.ground > 0 {
		ground = m.groundName(domain.Grounds[m.ground-1])
	}
	if m.kind > 0 {
		kind = m.kindName(subjectKinds[m.kind-1])
	}
	filters := c.T("tui.den.filters", c.T(stateFilters[m.state].label), ground, kind)
	page := ""
	if len(m.before) > 0 || m.more {
		page = c.T("tui.den.page", len(m.before)+1)
		if m.more {
			page += " ]"
		}
	}
	return common.SpreadLine(st.Muted.Render(filters), st.Muted.Render(page), w)
}

// summary describes the selected denial under a list, and says why
// approving is not offered on one's own pending item.
func (m *Model) summary(d *domain.Denial, ok bool, w int) []string {
	if !ok {
		return nil
	}
	c, st := m.c, m.c.Styles
	lines := []string{
		ansi.Truncate(c.T("tui.den.sum.head", d.ID, m.subjectText(d), m.groundName(d.Ground)), w, "…"),
		ansi.Truncate(c.T("tui.den.sum.raised", m.raiser(d), timeText(d.RaisedAt))+" · "+common.Show(d.Note), w, "…"),
	}
	if m.own(d) {
		lines = append(lines, ansi.Truncate(st.Muted.Render(c.T("tui.den.own_short")), w, "…"))
	}
	return lines
}

// sweepSummary describes the selected sweep run: where it ran, and its
// error in full.
func (m *Model) sweepSummary(r *domain.SweepRun, ok bool, w int) []string {
	if !ok {
		return nil
	}
	detail := m.c.T("tui.den.sweep_sum", r.Instance, timeText(r.StartedAt))
	if r.Error != "" {
		detail += " · " + common.Show(r.Error)
	}
	return []string{ansi.Truncate(detail, w, "…")}
}

func (m *Model) subjectText(d *domain.Denial) string {
	return m.c.T("tui.den.subject_line", d.SubjectName, m.kindName(d.SubjectKind), d.SubjectID)
}

func (m *Model) raiser(d *domain.Denial) string {
	if d.RaisedBy == 0 {
		return m.c.T("tui.den.sweep_name")
	}
	if d.RaisedByName != "" {
		return d.RaisedByName
	}
	return "#" + itoa(d.RaisedBy)
}

// deathCheckListed is how many names of each incomplete kind the view
// shows (the command's report lists more).
const deathCheckListed = 3

// deathCheckView is the compliance view of ¶32.8: how many persons, how
// many checked in each month as a text bar chart, how many are overdue
// (marked, so that it shows without colour), and who is due next.
func (m *Model) deathCheckView(w, h int) string {
	c, st := m.c, m.c.Styles
	r := m.report
	if r == nil {
		return common.FitBlock(st.Muted.Render(c.T("tui.loading")), w, h)
	}
	lines := []string{
		st.Title.Render(c.T("tui.den.dc.title")),
		c.T("tui.den.dc.persons", r.Persons, int(domain.DeathCheckInterval.Hours()/24)),
	}
	status := st.OK.Render(c.T("tui.den.dc.none_overdue"))
	if r.Overdue > 0 {
		status = st.Error.Render(c.T("tui.den.dc.overdue", r.Overdue))
	}
	if !r.OldestCheckAt.IsZero() {
		status += "  " + st.Muted.Render(c.T("tui.den.dc.oldest", timeText(r.OldestCheckAt)))
	}
	lines = append(lines, status)
	// ¶32.8: checks that did not complete (no register record, stale
	// data) are marked like the overdue; users without a personal code
	// cannot be checked and are listed, not hidden.
	open := c.T("tui.den.dc.open", r.NotFound, r.Stale, r.NoCode)
	if r.NotFound > 0 || r.Stale > 0 {
		open = st.Error.Render("! " + open)
	}
	lines = append(lines, open)
	for _, l := range []struct {
		key  string
		list []domain.DueCheck
	}{{"tui.den.dc.not_found", r.NotFoundList}, {"tui.den.dc.stale", r.StaleList}, {"tui.den.dc.no_code", r.NoCodeList}} {
		if len(l.list) == 0 {
			continue
		}
		names := make([]string, 0, deathCheckListed)
		for _, d := range l.list[:min(len(l.list), deathCheckListed)] {
			names = append(names, common.Show(d.Name))
		}
		if len(l.list) > deathCheckListed {
			names = append(names, "…")
		}
		lines = append(lines, "  "+c.T(l.key)+" "+strings.Join(names, ", "))
	}
	lines = append(lines, "", st.Label.Render(c.T("tui.den.dc.by_month")))
	lines = append(lines, barChart(c, r.CheckedByMon, w)...)
	lines = append(lines, "", st.Label.Render(c.T("tui.den.dc.due_next")))
	room := h - len(lines)
	if len(r.DueNext) == 0 {
		lines = append(lines, "  "+c.T("tui.den.dc.nobody_due"))
	}
	now := c.Clock()
	for i, d := range r.DueNext {
		if i >= room {
			break
		}
		name := common.Show(d.Name)
		line := "  " + timeText(d.DueAt) + "  " + name
		if d.DueAt.Before(now) {
			line = st.Error.Render("! "+timeText(d.DueAt)+"  "+name) + " " + c.T("tui.den.dc.overdue_mark")
		}
		lines = append(lines, line)
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// barChart draws the counts per month in two columns when the width
// allows, a bar of "█" scaled to the largest count, each count written as
// the session's language writes numbers.
func barChart(c *common.Common, months []domain.MonthCount, w int) []string {
	if len(months) == 0 {
		return []string{"  —"}
	}
	cols := 1
	if w >= 60 && len(months) > 6 {
		cols = 2
	}
	var most int64 = 1
	numW := 1
	for _, mc := range months {
		most = max(most, mc.Count)
		numW = max(numW, utf8.RuneCountInString(c.Num(mc.Count)))
	}
	cellW := w/cols - 1
	barW := max(cellW-2-len("2026-01")-1-1-numW, 1)
	cell := func(mc domain.MonthCount) string {
		n := int(mc.Count * int64(barW) / most)
		if mc.Count > 0 && n == 0 {
			n = 1
		}
		bar := strings.Repeat("█", n) + strings.Repeat("·", barW-n)
		return fmt.Sprintf("  %-7s %s %*s", common.Show(mc.Month), bar, numW, c.Num(mc.Count))
	}
	rows := (len(months) + cols - 1) / cols
	out := make([]string, rows)
	for i, mc := range months {
		r := i % rows
		if i >= rows {
			out[r] += " "
		}
		out[r] += cell(mc)
	}
	return out
}

// detail is a denial in full, its subject's history under it.
func (m *Model) detail(d *domain.Denial, w int) (head, body []string) {
	c, st := m.c, m.c.Styles
	title := st.Title.Render(c.T("tui.den.detail_title", d.ID))
	head = []string{common.SpreadLine(title, st.Label.Render(c.T("tui.den.state."+string(d.State))), w)}
	var fields []common.Field
	row := func(label, value string) { fields = append(fields, common.Field{Label: label, Value: value}) }
	row("tui.den.f.subject", m.subjectText(d))
	// ¶26.2: the subject has not accepted the terms in force.
	if d.SubjectTerms != nil {
		row("tui.acc.f.terms", c.T("tui.acc.not_accepted", d.SubjectTerms.Number))
	}
	row("tui.den.f.ground", m.groundName(d.Ground))
	row("tui.den.f.raised", c.T("tui.den.by_at", m.raiser(d), timeText(d.RaisedAt)))
	if !d.InForceAt.IsZero() {
		row("tui.den.f.in_force", timeText(d.InForceAt))
	}
	row("tui.den.f.note", d.Note)
	if common.Show(d.Evidence) != "" {
		row("tui.den.f.evidence", d.Evidence)
	}
	switch {
	case d.State == domain.DenialLifted:
		row("tui.den.f.lift", c.T("tui.den.lift_line", timeText(d.LiftedAt), d.LiftReason))
	case d.State == domain.DenialLiftPending:
		by := c.T("tui.den.someone")
		if m.own(d) {
			by = m.c.Operator.FullName
		}
		row("tui.den.f.lift", c.T("tui.den.lift_waits", by, d.LiftReason))
	}
	if d.LiftNewPassword && (d.State == domain.DenialLifted || d.State == domain.DenialLiftPending) {
		row("tui.den.f.new_password", c.T("tui.den.new_password_caption"))
	}
	if common.Show(d.RefuseReason) != "" {
		row("tui.den.f.refused", d.RefuseReason)
	}
	body = c.Fields(fields, w, 0, true)
	if m.own(d) {
		for _, l := range strings.Split(common.WrapAtSpaces(c.T("tui.den.own"), w), "\n") {
			body = append(body, st.Muted.Render(l))
		}
	}
	var history []*domain.Denial
	if m.historyOf == d.ID {
		history = m.history
	}
	body = append(body, "", st.Label.Render(c.T("tui.den.history", len(history))))
	for _, x := range history {
		mark := "  "
		if x.ID == d.ID {
			mark = "› "
		}
		body = append(body, common.FitWidth(mark+c.T("tui.den.history_line", x.ID, shortTime(x.RaisedAt),
			m.groundName(x.Ground), c.T("tui.den.state."+string(x.State))), w))
	}
	return head, body
}

// approveLines ask for the approval of what d waits for.
func (m *Model) approveLines(d *domain.Denial, w int) []string {
	c, st := m.c, m.c.Styles
	q := c.T("tui.den.approve_deny", m.subjectText(d), m.groundName(d.Ground))
	if d.State == domain.DenialLiftPending {
		q = c.T("tui.den.approve_lift", m.subjectText(d), d.LiftReason)
	}
	return []string{st.Title.Render(c.T("tui.den.approve_title", d.ID)), "", st.Banner.Render(common.WrapAtSpaces(q, w))}
}
