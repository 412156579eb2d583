package denials

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// View renders the current mode.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if !m.isSecurity() {
		return common.FitBlock(st.Error.Render(c.T("tui.den.security_only")), w, h)
	}
	switch m.mode {
	case modeForm:
		return m.sheet.View(w, h)
	case modeConfirm:
		return m.confirmView(w, h)
	case modeReason:
		return m.reasonView(w, h)
	case modeDetail:
		return m.detailView(w, h)
	}
	bar := m.viewBar(w)
	body := ""
	switch m.view {
	case viewDenials:
		body = m.denialsView(w, h-1)
	case viewPending:
		body = m.pendingView(w, h-1)
	case viewSweeps:
		body = m.sweepsView(w, h-1)
	case viewDeathCheck:
		body = m.deathCheckView(w, h-1)
	}
	return common.FitBlock(bar+"\n"+body, w, h)
}

// viewBar names the four views, the current one in brackets.
func (m *Model) viewBar(w int) string {
	st := m.c.Styles
	names := map[view]string{
		viewDenials:    m.c.T("tui.den.view.denials"),
		viewPending:    m.c.T("tui.den.view.pending", len(m.pending)),
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

func (m *Model) denialsView(w, h int) string {
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
	lines := []string{common.SpreadLine(st.Muted.Render(filters), st.Muted.Render(page), w)}
	tableH := listTableHeight(h + 1)
	switch {
	case !m.loaded:
		lines = append(lines, common.FitBlock(st.Muted.Render(c.T("tui.loading")), w, tableH))
	case len(m.rows) == 0:
		lines = append(lines, common.FitBlock(st.Muted.Render(c.T("tui.den.none")), w, tableH))
	default:
		lines = append(lines, common.FitBlock(m.list.View(), w, tableH))
	}
	if sh := summaryLines(h + 1); sh > 0 {
		lines = append(lines, m.summary(m.selected(), w, sh))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

func (m *Model) pendingView(w, h int) string {
	c, st := m.c, m.c.Styles
	tableH := listTableHeight(h+1) + 1
	var lines []string
	switch {
	case !m.pendOK:
		lines = append(lines, common.FitBlock(st.Muted.Render(c.T("tui.loading")), w, tableH))
	case len(m.pending) == 0:
		lines = append(lines, common.FitBlock(st.Muted.Render(c.T("tui.den.none_pending")), w, tableH))
	default:
		lines = append(lines, common.FitBlock(m.pend.View(), w, tableH))
	}
	if sh := summaryLines(h + 1); sh > 0 {
		lines = append(lines, m.summary(m.selected(), w, sh))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// summary describes the selected denial under a list, and says why
// approving is not offered on one's own pending item.
func (m *Model) summary(d *domain.Denial, w, h int) string {
	c, st := m.c, m.c.Styles
	lines := []string{st.Muted.Render(strings.Repeat("─", w))}
	if d != nil {
		lines = append(lines,
			ansi.Truncate(c.T("tui.den.sum.head", d.ID, m.subjectText(d), m.groundName(d.Ground)), w, "…"),
			ansi.Truncate(c.T("tui.den.sum.raised", m.raiser(d), timeText(d.RaisedAt))+" · "+common.Show(d.Note), w, "…"))
		if m.own(d) {
			lines = append(lines, ansi.Truncate(st.Muted.Render(c.T("tui.den.own_short")), w, "…"))
		}
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
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

func (m *Model) sweepsView(w, h int) string {
	c, st := m.c, m.c.Styles
	tableH := max(h-2, 3)
	var lines []string
	switch {
	case !m.runsOK:
		lines = append(lines, common.FitBlock(st.Muted.Render(c.T("tui.loading")), w, tableH))
	case len(m.runs) == 0:
		lines = append(lines, common.FitBlock(st.Muted.Render(c.T("tui.den.sweeps_none")), w, tableH))
	default:
		m.runsTbl.SetSize(w, tableH)
		lines = append(lines, common.FitBlock(m.runsTbl.View(), w, tableH))
	}
	lines = append(lines, st.Muted.Render(strings.Repeat("─", w)))
	if r := m.selectedRun(); r != nil {
		detail := c.T("tui.den.sweep_sum", r.Instance, timeText(r.StartedAt))
		if r.Error != "" {
			detail += " · " + common.Show(r.Error)
		}
		lines = append(lines, ansi.Truncate(detail, w, "…"))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

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
	lines = append(lines, status, "", st.Label.Render(c.T("tui.den.dc.by_month")))
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

func (m *Model) detailView(w, h int) string {
	c, st, d := m.c, m.c.Styles, m.target
	title := st.Title.Render(c.T("tui.den.detail_title", d.ID))
	lines := []string{common.SpreadLine(title, st.Label.Render(c.T("tui.den.state."+string(d.State))), w)}
	var fields []common.Field
	row := func(label, value string) { fields = append(fields, common.Field{Label: label, Value: value}) }
	row("tui.den.f.subject", m.subjectText(d))
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
	if common.Show(d.RefuseReason) != "" {
		row("tui.den.f.refused", d.RefuseReason)
	}
	lines = append(lines, c.Fields(fields, w, 0, true)...)
	if m.own(d) {
		for _, l := range strings.Split(common.WrapAtSpaces(c.T("tui.den.own"), w), "\n") {
			lines = append(lines, st.Muted.Render(l))
		}
	}
	lines = append(lines, "", st.Label.Render(c.T("tui.den.history", len(m.history))))
	for _, x := range m.history {
		mark := "  "
		if x.ID == d.ID {
			mark = "› "
		}
		lines = append(lines, common.FitWidth(mark+c.T("tui.den.history_line", x.ID, shortTime(x.RaisedAt),
			m.groundName(x.Ground), c.T("tui.den.state."+string(x.State))), w))
	}
	m.top = min(m.top, max(len(lines)-h, 0))
	return common.FitBlock(strings.Join(lines[m.top:], "\n"), w, h)
}

func (m *Model) confirmView(w, h int) string {
	c, st, d := m.c, m.c.Styles, m.target
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T("tui.den.approve_title", d.ID)))
	b.WriteString("\n\n")
	q := c.T("tui.den.approve_deny", m.subjectText(d), m.groundName(d.Ground))
	if d.State == domain.DenialLiftPending {
		q = c.T("tui.den.approve_lift", m.subjectText(d), d.LiftReason)
	}
	b.WriteString(st.Banner.Render(common.WrapAtSpaces(q, w)))
	b.WriteString("\n\n")
	if m.busy {
		b.WriteString(st.Muted.Render(c.T("tui.den.working")))
	} else {
		b.WriteString(st.Muted.Render(c.T("tui.den.confirm_keys")))
	}
	return common.FitBlock(b.String(), w, h)
}

// reasonView is the reason's form, with a word on four eyes when lifting
// on a ground that needs them.
func (m *Model) reasonView(w, h int) string {
	if m.act != actLift || !m.target.Ground.LiftNeedsSecondApproval() || h < 8 {
		return m.reason.View(w, h)
	}
	note := m.c.Styles.Muted.Render(common.WrapAtSpaces(m.c.T("tui.den.lift_needs_2nd"), w))
	n := strings.Count(note, "\n") + 1
	return common.FitBlock(m.reason.View(w, h-n-1)+"\n\n"+note, w, h)
}
