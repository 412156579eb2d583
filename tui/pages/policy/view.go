package policy

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// draftHint says what can be done with draft p by this operator.
func (s *screen) draftHint(p policy) string {
	if err := p.ApprovalBlocker(s.me()); err != nil {
		return s.c.Catalog.Err(err)
	}
	return s.c.T("tui.pol.hint_open", p.Version)
}

// detail shows p beside the version in force, rule by rule, with what
// the operator may do below.
func (s *screen) detail(p policy, w int) (head, body []string) {
	head = s.comparison(p, w)
	if p.State == domain.PolicyDraft {
		hint := s.c.T("tui.pol.hint_detail")
		if err := p.ApprovalBlocker(s.me()); err != nil {
			hint = s.c.Catalog.Err(err)
		}
		body = strings.Split(s.c.Styles.Muted.Render(common.WrapAtSpaces(hint, w)), "\n")
	}
	return head, body
}

// confirm is the comparison with the question q under it.
func (s *screen) confirm(p policy, w int, q string) []string {
	return append(s.comparison(p, w), "", s.c.Styles.Banner.Render(common.WrapAtSpaces(q, w)))
}

// comparison is p beside the version in force, the changed rules marked.
func (s *screen) comparison(p policy, w int) []string {
	c, st := s.c, s.c.Styles
	cur := s.current()
	lines := []string{
		st.Title.Render(ansi.Truncate(c.T("tui.pol.detail_title", p.Version, s.stateText(p), common.PlainLine(p.Name)), w, "…")),
		st.Muted.Render(ansi.Truncate(c.T("tui.pol.drafted_by", orDash(common.PlainLine(p.DraftedByName)), p.CreatedAt.Local().Format("2006-01-02 15:04")), w, "…")),
		"",
	}
	ruleW := 34
	valW := max((w-ruleW-4)/2, 8)
	// row is one rule's line, and more when a value is too long for its
	// column (the rules a person reviews): the values wrap within their
	// columns rather than being cut, so two long lists can be told apart.
	row := func(mark, a, b, d string, style func(...string) string) []string {
		bs := strings.Split(common.WrapAtSpaces(b, valW), "\n")
		ds := strings.Split(common.WrapAtSpaces(d, valW), "\n")
		out := make([]string, max(len(bs), len(ds)))
		for i := range out {
			b, d := "", ""
			if i < len(bs) {
				b = bs[i]
			}
			if i < len(ds) {
				d = ds[i]
			}
			out[i] = style(common.FitWidth(mark+" "+pad(a, ruleW)+" "+pad(b, valW)+" "+pad(d, valW), w))
			mark, a = " ", ""
		}
		return out
	}
	plainStyle := func(s ...string) string { return strings.Join(s, " ") }
	curTitle := c.T("tui.pol.none_in_force")
	if cur != nil {
		curTitle = c.T("tui.pol.col.in_force", cur.Version)
	}
	lines = append(lines, row(" ", c.T("tui.pol.col.rule"), curTitle, c.T("tui.pol.col.this", p.Version), st.Label.Render)...)
	for _, r := range s.rules() {
		was, is := "–", r.value(p)
		if cur != nil {
			was = r.value(cur)
		}
		if cur != nil && was != is {
			lines = append(lines, row(theme.Marker, c.T(r.key), was, is, st.Label.Render)...)
		} else {
			lines = append(lines, row(" ", c.T(r.key), was, is, plainStyle)...)
		}
	}
	return lines
}

// rule is one line of the comparison.
type rule struct {
	key   string
	value func(*domain.EligibilityPolicy) string
}

func (s *screen) rules() []rule {
	yes := func(b bool) string {
		if b {
			return s.c.T("tui.pol.yes")
		}
		return s.c.T("tui.pol.no")
	}
	return []rule{
		{"tui.pol.rule.min_age", func(p *domain.EligibilityPolicy) string { return strconv.Itoa(p.MinAge) }},
		{"tui.pol.rule.max_age", func(p *domain.EligibilityPolicy) string {
			if p.MaxAge == 0 {
				return s.c.T("tui.pol.no_limit")
			}
			return strconv.Itoa(p.MaxAge)
		}},
		{"tui.pol.rule.employment", func(p *domain.EligibilityPolicy) string { return yes(p.RequireEmployment) }},
		{"tui.pol.rule.residence", func(p *domain.EligibilityPolicy) string { return yes(p.RequireResidence) }},
		{"tui.pol.rule.studying", func(p *domain.EligibilityPolicy) string { return yes(p.ExcludeStudying) }},
		{"tui.pol.rule.data_age", func(p *domain.EligibilityPolicy) string {
			return s.c.T("tui.pol.hours", int(p.MaxDataAge.Hours()))
		}},
		{"tui.pol.rule.priority_lki", func(p *domain.EligibilityPolicy) string { return strconv.Itoa(p.PriorityMaxLKI) }},
		{"tui.pol.rule.priority_age", func(p *domain.EligibilityPolicy) string { return strconv.Itoa(p.PriorityMinAge) }},
		{"tui.pol.rule.priority_combine", func(p *domain.EligibilityPolicy) string { return s.c.T("tui.pol.combine." + p.Combine()) }},
		// The eligibility rules whose failure a person reviews rather
		// than the system rejecting (GDPR Art. 22), by short names.
		{"tui.pol.rule.manual", func(p *domain.EligibilityPolicy) string {
			var names []string
			for _, r := range domain.EligibilityRules {
				if !p.AutoRejects(r) {
					names = append(names, s.c.T("tui.pol.short."+r))
				}
			}
			if len(names) == 0 {
				return s.c.T("tui.pol.manual_none")
			}
			return strings.Join(names, ", ")
		}},
	}
}

func (s *screen) stateText(p *domain.EligibilityPolicy) string {
	out := s.c.T("tui.pol.state.draft")
	if p.State == domain.PolicyApproved {
		out = s.c.T("tui.pol.state.approved")
	}
	if p.ID == s.inForce && s.inForce != 0 {
		out += " " + s.c.T("tui.pol.in_force")
	}
	return out
}

// fromText is when an approved version takes effect.
func (s *screen) fromText(p *domain.EligibilityPolicy) string {
	switch {
	case p.State != domain.PolicyApproved:
		return "–"
	case p.EffectiveFrom.IsZero():
		return s.c.T("tui.pol.always")
	}
	return p.EffectiveFrom.Local().Format("2006-01-02 15:04")
}

// dateText is the approval's effective date as typed.
func (s *screen) dateText() string {
	if s.from.IsZero() {
		return s.c.T("tui.pol.now")
	}
	return s.from.Format("2006-01-02")
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
