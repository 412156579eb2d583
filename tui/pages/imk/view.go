package imk

import (
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// heading is the detail's first line: the application and its state.
func (m *Model) heading(o *open) (string, string) {
	a := o.Item
	return m.c.T("tui.imk.detail.title", a.ID, applicant(a)), m.c.T("tui.imk.state." + string(a.State))
}

// row is a labelled value of the detail; its value is made plain where
// the section draws it.
type row = common.Field

// body is the scrolling part of the detail: the check first (it is what
// the reviewer decides on), then the applicant and any decision.
func (m *Model) body(o *open, w int) string {
	c, a := m.c, o.Item
	dash := common.OrDash
	var sections []string
	// ¶26.2: first, before the reviewer decides.
	var terms []row
	if a.Terms != nil {
		terms = []row{{Label: "tui.acc.f.terms", Value: c.T("tui.acc.not_accepted", a.Terms.Number), Style: &c.Styles.Error}}
	}
	if e := a.Evaluation; e != nil {
		rows := append(terms, []row{
			{Label: "tui.imk.f.policy", Value: c.T("tui.imk.policy", e.PolicyID)},
			{Label: "tui.imk.f.check_date", Value: timeText(e.CheckDate)},
			{Label: "tui.imk.f.outcome", Value: m.optional("tui.imk.outcome."+string(e.Outcome), string(e.Outcome))},
		}...)
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
		sections = append(sections, m.c.Section(w, c.T("tui.imk.sec.check"), terms, []string{"  " + c.T("tui.imk.no_evaluation")}, 6))
	}

	// The check comes first: it is what the reviewer decides on.
	person := []row{
		{Label: "tui.imk.f.name", Value: dash(applicant(a))},
		{Label: "tui.imk.f.code", Value: m.personalCode(o)},
		{Label: "tui.imk.f.email", Value: dash(a.Email)},
		{Label: "tui.imk.f.applied", Value: c.T("tui.imk.applied_ago", timeText(a.AppliedAt), c.Age(a.AppliedAt))},
		{Label: "tui.imk.f.state", Value: c.T("tui.imk.state." + string(a.State))},
	}
	sections = append(sections, m.c.Section(w, c.T("tui.imk.sec.applicant"), person, nil, 6))

	// GDPR Art. 22: what the person contests, in their words, before the
	// reviewer decides again.
	if k := a.Contest; k != nil {
		sections = append(sections, m.c.Section(w, c.T("tui.imk.sec.contest"), []row{
			{Label: "tui.imk.f.contest_asked", Value: c.T("tui.imk.contest_asked", timeText(k.RequestedAt),
				m.optional("tui.imk.channel."+k.Channel, k.Channel))},
			{Label: "tui.imk.f.contested", Value: c.T("tui.imk.contested", c.T("tui.imk.state."+string(k.DecidedState)),
				timeText(k.DecidedAt), m.reasonText(k.Reason))},
			{Label: "tui.imk.f.contest_message", Value: dash(k.Message)},
		}, nil, 6))
	}

	if !a.DecidedAt.IsZero() || a.DecidedByName != "" {
		sections = append(sections, m.c.Section(w, c.T("tui.imk.sec.decision"), []row{
			{Label: "tui.imk.f.decided", Value: c.T("tui.imk.decided_by", dash(a.DecidedByName), timeText(a.DecidedAt))},
			{Label: "tui.imk.f.reason", Value: dash(m.reasonText(a.Reason))},
		}, nil, 6))
	}
	return strings.Join(sections, "\n\n")
}

// reasonText is a decision's reason: an automatic one names the rule that
// decided ("imk.rule.residence") and reads as the rule's name; a
// reviewer's is their text.
func (m *Model) reasonText(reason string) string {
	if rule, ok := strings.CutPrefix(reason, "imk.rule."); ok {
		return m.ruleName(rule)
	}
	return reason
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
	switch e.Priority {
	case domain.PriorityYes:
	case domain.PriorityUnknown:
		return m.c.T("tui.imk.priority.unknown")
	default:
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

func (m *Model) personalCode(o *open) string {
	switch code := o.Item.PersonalCode; {
	case code == "":
		return "—"
	case o.Revealed != "":
		return m.c.T("tui.imk.code_revealed", o.Revealed)
	default:
		return m.c.T("tui.imk.code_masked", domain.MaskPersonalCode(code))
	}
}

// timeText renders a moment to the minute, in the server's zone; "—" for
// none.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}
