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
		lines = append(lines, st.Banner.Render(ansi.Truncate(c.T("tui.imk.claim.other", common.PlainLine(a.ClaimedByName)), w, "…")))
	case !it.loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.imk.claim.opening")))
	case a.State == domain.IMKNeedsReview:
		lines = append(lines, st.Muted.Render(c.T("tui.imk.claim.free")))
	}
	if err := m.blocker(actApprove); err != nil && !held && it.loaded {
		wrapped := strings.Split(common.WrapAtSpaces(c.Catalog.Err(err), w), "\n")
		for _, l := range wrapped[:min(len(wrapped), 2)] {
			lines = append(lines, st.Error.Render(l))
		}
	}
	return lines
}

// row is a label and its value in the detail.
type row struct{ label, value string }

// detailContent is the scrolling part of the detail.
func (m *Model) detailContent(w int) string {
	c, it := m.c, m.item
	a := it.app
	dash := func(s string) string {
		if s = common.PlainLine(s); s == "" {
			return "—"
		}
		return s
	}
	var sections []string
	if e := a.Evaluation; e != nil {
		rows := []row{
			{"tui.imk.f.policy", c.T("tui.imk.policy", e.PolicyID)},
			{"tui.imk.f.check_date", timeText(e.CheckDate)},
			{"tui.imk.f.outcome", m.optional("tui.imk.outcome."+string(e.Outcome), string(e.Outcome))},
		}
		if len(e.ReviewWhy) > 0 {
			rows = append(rows, row{"tui.imk.f.why", m.whyText(a)})
		}
		rows = append(rows, row{"tui.imk.f.priority", m.priorityText(e)})
		var lines []string
		for _, r := range e.Rules {
			lines = append(lines, m.ruleLines(r)...)
		}
		sections = append(sections, m.section(w, c.T("tui.imk.sec.check"), rows, lines))
	} else {
		sections = append(sections, m.section(w, c.T("tui.imk.sec.check"), nil, []string{"  " + c.T("tui.imk.no_evaluation")}))
	}

	// The check comes first: it is what the reviewer decides on.
	sections = append(sections, m.section(w, c.T("tui.imk.sec.applicant"), []row{
		{"tui.imk.f.name", dash(applicant(a))},
		{"tui.imk.f.code", m.personalCode()},
		{"tui.imk.f.email", dash(a.Email)},
		{"tui.imk.f.applied", c.T("tui.imk.applied_ago", timeText(a.AppliedAt), c.Age(a.AppliedAt))},
		{"tui.imk.f.state", c.T("tui.imk.state." + string(a.State))},
	}, nil))

	if !a.DecidedAt.IsZero() || a.DecidedByName != "" {
		sections = append(sections, m.section(w, c.T("tui.imk.sec.decision"), []row{
			{"tui.imk.f.decided", c.T("tui.imk.decided_by", dash(a.DecidedByName), timeText(a.DecidedAt))},
			{"tui.imk.f.reason", dash(a.Reason)},
		}, nil))
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
	if ev := common.PlainLine(r.Evidence); ev != "" {
		out = append(out, "    "+c.T("tui.imk.evidence", ev))
	}
	if r.Source != "" || !r.FetchedAt.IsZero() {
		src := m.optional("tui.imk.register."+string(r.Source), common.PlainLine(string(r.Source)))
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
	return m.optional("tui.imk.rule."+rule, common.PlainLine(rule))
}

func (m *Model) optional(key, fallback string) string {
	if t := m.c.T(key); !strings.HasPrefix(t, "[") {
		return t
	}
	return fallback
}

// section renders a titled block of labelled rows and free lines; long
// values and lines wrap under themselves.
func (m *Model) section(w int, title string, rows []row, lines []string) string {
	c, st := m.c, m.c.Styles
	out := []string{st.Label.Render(title)}
	labelW := 0
	for _, r := range rows {
		labelW = max(labelW, ansi.StringWidth(c.T(r.label)))
	}
	labelW = min(labelW+1, w/2)
	valueW := max(w-labelW-3, 10)
	for _, r := range rows {
		label := c.T(r.label) + ":"
		label += strings.Repeat(" ", max(labelW-ansi.StringWidth(label)+1, 1))
		wrapped := strings.Split(common.WrapAtSpaces(r.value, valueW), "\n")
		out = append(out, "  "+st.DetailKey.Render(label)+wrapped[0])
		for _, more := range wrapped[1:] {
			out = append(out, strings.Repeat(" ", labelW+3)+more)
		}
	}
	for _, l := range lines {
		wrapped := strings.Split(common.WrapAtSpaces(l, max(w-2, 10)), "\n")
		out = append(out, wrapped[0])
		for _, more := range wrapped[1:] {
			out = append(out, "      "+more)
		}
	}
	return common.FitWidth(strings.Join(out, "\n"), w)
}

func (m *Model) personalCode() string {
	it, c := m.item, m.c
	code := it.app.PersonalCode
	if code == "" {
		return "—"
	}
	if it.revealed {
		return c.T("tui.imk.code_revealed", common.PlainLine(code))
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
