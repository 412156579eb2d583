package imk

import (
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
		return common.FitBlock(st.Error.Render(c.T("tui.imk.reviewer_only")), w, h)
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
	var b strings.Builder
	b.WriteString(common.SpreadLine(st.Title.Render(c.T("tui.imk.queue_title")), st.Muted.Render(c.T("tui.imk.page", m.list.Page())), w))
	b.WriteString("\n")
	b.WriteString(m.search.Line(c, c.T("tui.imk.search")))
	b.WriteString("\n")
	b.WriteString(m.list.Body(c, common.WrapAtSpaces(c.T("tui.imk.none"), w), m.table.View(), w, listTableHeight(h)))
	if sh := summaryLines(h); sh > 0 {
		b.WriteString("\n")
		b.WriteString(m.summary(w, sh))
	}
	return common.FitBlock(b.String(), w, h)
}

// summary shows the selected application under the list, the personal
// code masked.
func (m *Model) summary(w, h int) string {
	c, st := m.c, m.c.Styles
	lines := []string{st.Muted.Render(strings.Repeat("─", w))}
	if r := m.selected(); r != nil {
		first := []string{"#" + itoa(r.ID), applicant(r)}
		if code := domain.MaskPersonalCode(r.PersonalCode); code != "" {
			first = append(first, code)
		}
		second := []string{c.T("tui.imk.f.applied") + ": " + timeText(r.AppliedAt)}
		if e := r.Evaluation; e != nil {
			second = append(second, c.T("tui.imk.f.why")+": "+m.whyText(r))
		}
		lines = append(lines, strings.Join(first, " · "), strings.Join(second, " · "))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

func (m *Model) confirmView(w, h int) string {
	c, st := m.c, m.c.Styles
	a := m.item.app
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T("tui.imk.approve_title", a.ID, applicant(a))))
	b.WriteString("\n\n")
	q := c.T("tui.imk.approve_confirm", a.ID, applicant(a), m.reason)
	b.WriteString(st.Banner.Render(common.WrapAtSpaces(q, w)))
	b.WriteString("\n\n")
	b.WriteString(st.Muted.Render(c.T("tui.imk.confirm_keys")))
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

// detailHeader stays on screen while the detail scrolls: the application,
// who holds it, and why it cannot be decided.
func (m *Model) detailHeader(w int) []string {
	c, st, it := m.c, m.c.Styles, m.item
	a := it.app
	title := st.Title.Render(c.T("tui.imk.detail.title", a.ID, applicant(a)))
	lines := []string{common.SpreadLine(title, st.Label.Render(c.T("tui.imk.state."+string(a.State))), w)}
	held := m.heldByOther(a)
	switch {
	case it.busy:
		lines = append(lines, st.Muted.Render(c.T("tui.imk.refetching")))
	case it.Owned:
		lines = append(lines, st.OK.Render(c.T("tui.imk.claim.yours", clockText(a.ClaimExpiresAt))))
	case held:
		lines = append(lines, st.Banner.Render(ansi.Truncate(c.T("tui.imk.claim.other", a.ClaimedByName), w, "…")))
	case !it.loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.imk.claim.opening")))
	case a.State == domain.IMKNeedsReview:
		lines = append(lines, st.Muted.Render(c.T("tui.imk.claim.free")))
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

// detailContent is the scrolling part of the detail.
func (m *Model) detailContent(w int) string {
	c, it := m.c, m.item
	a := it.app
	dash := common.OrDash
	var sections []string
	if e := a.Evaluation; e != nil {
		rows := []row{
			{Label: "tui.imk.f.policy", Value: c.T("tui.imk.policy", e.PolicyID)},
			{Label: "tui.imk.f.check_date", Value: timeText(e.CheckDate)},
			{Label: "tui.imk.f.outcome", Value: m.optional("tui.imk.outcome."+string(e.Outcome), string(e.Outcome))},
		}
		if len(e.ReviewWhy) > 0 {
			rows = append(rows, row{Label: "tui.imk.f.why", Value: m.whyText(a)})
		}
		rows = append(rows, row{Label: "tui.imk.f.priority", Value: m.priorityText(e)})
		var lines []string
		for _, r := range e.Rules {
			lines = append(lines, m.ruleLines(r)...)
		}
		sections = append(sections, m.c.Section(w, c.T("tui.imk.sec.check"), rows, lines, 6))
	} else {
		sections = append(sections, m.c.Section(w, c.T("tui.imk.sec.check"), nil, []string{"  " + c.T("tui.imk.no_evaluation")}, 6))
	}

	// The check comes first: it is what the reviewer decides on.
	sections = append(sections, m.c.Section(w, c.T("tui.imk.sec.applicant"), []row{
		{Label: "tui.imk.f.name", Value: dash(applicant(a))},
		{Label: "tui.imk.f.code", Value: m.personalCode()},
		{Label: "tui.imk.f.email", Value: dash(a.Email)},
		{Label: "tui.imk.f.applied", Value: c.T("tui.imk.applied_ago", timeText(a.AppliedAt), c.Age(a.AppliedAt))},
		{Label: "tui.imk.f.state", Value: c.T("tui.imk.state." + string(a.State))},
	}, nil, 6))

	if !a.DecidedAt.IsZero() || a.DecidedByName != "" {
		sections = append(sections, m.c.Section(w, c.T("tui.imk.sec.decision"), []row{
			{Label: "tui.imk.f.decided", Value: c.T("tui.imk.decided_by", dash(a.DecidedByName), timeText(a.DecidedAt))},
			{Label: "tui.imk.f.reason", Value: dash(a.Reason)},
		}, nil, 6))
	}
	return strings.Join(sections, "\n\n")
}

// Marks that read without colour.
const (
	markPass    = "✓"
	markFail    = "✗"
	markUnknown = "?"
)

// verdictText is a verdict's mark and word, styled where colour exists;
// the mark and the word carry the meaning without it.
func (m *Model) verdictText(v domain.Verdict) string {
	st := m.c.Styles
	word := m.optional("tui.imk.verdict."+string(v), string(v))
	switch v {
	case domain.VerdictPass:
		return st.OK.Render(markPass + " " + word)
	case domain.VerdictFail:
		return st.Error.Render(markFail + " " + word)
	}
	return st.Banner.Render(markUnknown + " " + word)
}

// ruleLines renders one rule: its verdict and name, its evidence, and the
// register and fetch time it rests on.
func (m *Model) ruleLines(r domain.RuleResult) []string {
	c := m.c
	out := []string{"  " + m.verdictText(r.Verdict) + "  " + m.c.Styles.Label.Render(m.ruleName(r.Rule))}
	if ev := c.Evidence(r.Evidence); ev != "" {
		out = append(out, "    "+c.T("tui.imk.evidence", ev))
	}
	if r.Source != "" || !r.FetchedAt.IsZero() {
		src := m.optional("tui.imk.register."+string(r.Source), string(r.Source))
		if r.FetchedAt.IsZero() {
			out = append(out, "    "+c.Styles.Muted.Render(c.T("tui.imk.not_fetched", src)))
		} else {
			out = append(out, "    "+c.Styles.Muted.Render(c.T("tui.imk.fetched", src, m.ago(r.FetchedAt), timeText(r.FetchedAt))))
		}
	}
	return out
}

// ago says how long ago t was: "just now", or "2 h 5 min ago".
func (m *Model) ago(t time.Time) string {
	if m.c.Clock().Sub(t) < time.Minute {
		return m.c.T("tui.age.now")
	}
	return m.c.T("tui.imk.ago", m.c.Age(t))
}

// priorityText says whether the application has priority and by which
// rules.
func (m *Model) priorityText(e *domain.Evaluation) string {
	if !e.Priority {
		return m.c.T("tui.imk.priority.no")
	}
	var by []string
	for _, r := range e.Rules {
		if strings.HasPrefix(r.Rule, "priority_") && r.Verdict == domain.VerdictPass {
			by = append(by, m.ruleName(r.Rule))
		}
	}
	if len(by) == 0 {
		return m.c.T("tui.imk.priority.yes_bare")
	}
	return m.c.T("tui.imk.priority.yes", strings.Join(by, ", "))
}

// ruleName names a rule in the session's language, or as stored.
func (m *Model) ruleName(rule string) string {
	return m.optional("tui.imk.rule."+rule, rule)
}

func (m *Model) optional(key, fallback string) string { return m.c.Named(key, fallback) }

func (m *Model) personalCode() string {
	it, c := m.item, m.c
	code := it.app.PersonalCode
	if code == "" {
		return "—"
	}
	if it.revealed {
		return c.T("tui.imk.code_revealed", it.code)
	}
	return c.T("tui.imk.code_masked", domain.MaskPersonalCode(code))
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
