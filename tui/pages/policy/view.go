package policy

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// View renders the current mode.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if !m.editor() {
		return common.FitBlock(st.Error.Render(c.T("tui.pol.editor_only")), w, h)
	}
	switch m.mode {
	case modeDetail, modeDate, modeConfirm:
		if p := m.selected(); p != nil {
			return m.detailView(p, w, h)
		}
	}
	return m.listView(w, h)
}

func (m *Model) listView(w, h int) string {
	c, st := m.c, m.c.Styles
	lines := []string{st.Title.Render(c.T("tui.pol.title")), st.Muted.Render(common.WrapAtSpaces(c.T("tui.pol.explain"), w)), ""}
	switch {
	case !m.loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.loading")))
	case len(m.rows) == 0:
		lines = append(lines, st.Muted.Render(c.T("tui.pol.none")))
	default:
		verW, stateW, fromW, byW := 4, 20, 16, 16
		nameW := max(w-2-verW-stateW-fromW-byW-4, 8)
		row := func(mark, a, b, c2, d, e string) string {
			return common.FitWidth(mark+" "+pad(a, verW)+" "+pad(b, stateW)+" "+pad(c2, fromW)+" "+pad(d, byW)+" "+pad(e, nameW), w)
		}
		lines = append(lines, st.Label.Render(row(" ", c.T("tui.pol.col.version"), c.T("tui.pol.col.state"),
			c.T("tui.pol.col.from"), c.T("tui.pol.col.drafted"), c.T("tui.pol.col.name"))))
		for i, p := range m.rows {
			mark := " "
			if i == m.cur {
				mark = theme.Marker
			}
			lines = append(lines, row(mark, strconv.Itoa(p.Version), m.stateText(p), m.fromText(p),
				orDash(common.PlainLine(p.DraftedByName)), common.PlainLine(p.Name)))
		}
		if p := m.selected(); p != nil && p.State == domain.PolicyDraft {
			lines = append(lines, "", st.Muted.Render(common.WrapAtSpaces(m.draftHint(p), w)))
		}
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// draftHint says what can be done with draft p by this operator.
func (m *Model) draftHint(p *domain.EligibilityPolicy) string {
	if err := p.ApprovalBlocker(m.me()); err != nil {
		return m.c.Catalog.Err(err)
	}
	return m.c.T("tui.pol.hint_open", p.Version)
}

// detailView shows p beside the version in force, rule by rule, with the
// approval's questions below.
func (m *Model) detailView(p *domain.EligibilityPolicy, w, h int) string {
	c, st := m.c, m.c.Styles
	cur := m.current()
	lines := []string{
		st.Title.Render(ansi.Truncate(c.T("tui.pol.detail_title", p.Version, m.stateText(p), common.PlainLine(p.Name)), w, "…")),
		st.Muted.Render(ansi.Truncate(c.T("tui.pol.drafted_by", orDash(common.PlainLine(p.DraftedByName)), p.CreatedAt.Local().Format("2006-01-02 15:04")), w, "…")),
		"",
	}
	ruleW := 34
	valW := max((w-ruleW-4)/2, 8)
	row := func(mark, a, b, d string) string {
		return common.FitWidth(mark+" "+pad(a, ruleW)+" "+pad(b, valW)+" "+pad(d, valW), w)
	}
	curTitle := c.T("tui.pol.none_in_force")
	if cur != nil {
		curTitle = c.T("tui.pol.col.in_force", cur.Version)
	}
	lines = append(lines, st.Label.Render(row(" ", c.T("tui.pol.col.rule"), curTitle, c.T("tui.pol.col.this", p.Version))))
	for _, r := range m.rules() {
		was, is := "–", r.value(p)
		if cur != nil {
			was = r.value(cur)
		}
		mark := " "
		line := row(mark, c.T(r.key), was, is)
		if cur != nil && was != is {
			line = st.Label.Render(row(theme.Marker, c.T(r.key), was, is))
		}
		lines = append(lines, line)
	}
	lines = append(lines, "")
	switch m.mode {
	case modeDate:
		lines = append(lines, strings.Split(m.date.View(w, max(h-len(lines), 3)), "\n")...)
	case modeConfirm:
		q := c.T("tui.pol.confirm_approve", p.Version, m.dateText())
		if m.discarding {
			q = c.T("tui.pol.confirm_discard", p.Version)
		}
		lines = append(lines, st.Banner.Render(common.WrapAtSpaces(q, w)))
	default:
		if p.State == domain.PolicyDraft {
			hint := c.T("tui.pol.hint_detail")
			if err := p.ApprovalBlocker(m.me()); err != nil {
				hint = c.Catalog.Err(err)
			}
			lines = append(lines, st.Muted.Render(common.WrapAtSpaces(hint, w)))
		}
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// rule is one line of the comparison.
type rule struct {
	key   string
	value func(*domain.EligibilityPolicy) string
}

func (m *Model) rules() []rule {
	yes := func(b bool) string {
		if b {
			return m.c.T("tui.pol.yes")
		}
		return m.c.T("tui.pol.no")
	}
	return []rule{
		{"tui.pol.rule.min_age", func(p *domain.EligibilityPolicy) string { return strconv.Itoa(p.MinAge) }},
		{"tui.pol.rule.max_age", func(p *domain.EligibilityPolicy) string {
			if p.MaxAge == 0 {
				return m.c.T("tui.pol.no_limit")
			}
			return strconv.Itoa(p.MaxAge)
		}},
		{"tui.pol.rule.employment", func(p *domain.EligibilityPolicy) string { return yes(p.RequireEmployment) }},
		{"tui.pol.rule.residence", func(p *domain.EligibilityPolicy) string { return yes(p.RequireResidence) }},
		{"tui.pol.rule.studying", func(p *domain.EligibilityPolicy) string { return yes(p.ExcludeStudying) }},
		{"tui.pol.rule.data_age", func(p *domain.EligibilityPolicy) string {
			return m.c.T("tui.pol.hours", int(p.MaxDataAge.Hours()))
		}},
		{"tui.pol.rule.priority_lki", func(p *domain.EligibilityPolicy) string { return strconv.Itoa(p.PriorityMaxLKI) }},
		{"tui.pol.rule.priority_age", func(p *domain.EligibilityPolicy) string { return strconv.Itoa(p.PriorityMinAge) }},
	}
}

func (m *Model) stateText(p *domain.EligibilityPolicy) string {
	s := m.c.T("tui.pol.state.draft")
	if p.State == domain.PolicyApproved {
		s = m.c.T("tui.pol.state.approved")
	}
	if p.ID == m.inForce && m.inForce != 0 {
		s += " " + m.c.T("tui.pol.in_force")
	}
	return s
}

// fromText is when an approved version takes effect.
func (m *Model) fromText(p *domain.EligibilityPolicy) string {
	switch {
	case p.State != domain.PolicyApproved:
		return "–"
	case p.EffectiveFrom.IsZero():
		return m.c.T("tui.pol.always")
	}
	return p.EffectiveFrom.Local().Format("2006-01-02 15:04")
}

// dateText is the approval's effective date as typed.
func (m *Model) dateText() string {
	if m.from.IsZero() {
		return m.c.T("tui.pol.now")
	}
	return m.from.Format("2006-01-02")
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func pad(s string, w int) string {
	s = common.FitWidth(s, w)
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}
