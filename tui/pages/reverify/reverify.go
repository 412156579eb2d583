// Package reverify is the reviewers' queue of institutions whose
// re-verification against the Register of Enterprises and VIIS found
// differences (issue 17, ¶17.2): a keyset-paged list naming each
// institution and what differs, and the detail with the institution and
// the registers' data side by side. Opening an item claims it; the
// reviewer confirms it (the data is fine), updates the institution's name
// from the register, or escalates it to security with a note — each with
// a reason. The queue component (tui/components/queue) does the listing,
// claiming and live updates; this package supplies the columns, detail
// and actions.
package reverify

import (
	"context"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/queue"
)

// PageSize is the number of items on one page of the list.
const PageSize = 50

type (
	item       = *domain.Reverification
	open       = queue.Open[item, struct{}]
	act        = queue.Action[item, struct{}]
	queueModel = queue.Model[item, domain.ReverifyFilter, struct{}]
)

// Model is the re-verification page: the queue component with the
// item's columns, detail and actions.
type Model struct {
	*queueModel
	c *common.Common
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	s := queue.Spec[item, domain.ReverifyFilter, struct{}]{
		Role: domain.RoleReviewer, Topic: domain.TopicReverify, PageSize: PageSize,
		Words: queue.Words{RoleOnly: "tui.rv.reviewer_only", Title: "tui.rv.queue_title", Search: "tui.rv.search",
			Hint: "tui.rv.hint.search", None: "tui.rv.none", Yours: "tui.rv.claim.yours", Other: "tui.rv.claim.other",
			Free: "tui.rv.claim.free", HeldBy: "tui.rv.held_by", Lost: "tui.rv.claim_lost",
			Changed: "tui.rv.conflict.changed", NotHeld: "tui.rv.why.not_claimed"},
		Columns: m.columns(), Filter: filter, Facts: facts, Summary: m.summary,
		Heading: m.heading, Body: m.body, Actions: m.actions(),
	}
	if svc := c.Services.Reverify; svc != nil {
		s.Service = queue.Service[item, domain.ReverifyFilter, struct{}]{
			List: svc.ListReverifications, Find: svc.FindReverification,
			Claim: svc.ClaimReverification, Release: svc.ReleaseReverification}
	}
	m.queueModel = queue.New(c, s)
	return m
}

func facts(r item) queue.Facts {
	return queue.Facts{ID: r.ID, At: r.CreatedAt, Version: r.Version, Open: r.State == domain.ReverifyOpen,
		Holder: queue.Holder{ID: r.ClaimedBy, Name: r.ClaimedByName, Until: r.ClaimExpiresAt}}
}

func filter(search string, _ []int, at queue.Keyset, limit int) domain.ReverifyFilter {
	return domain.ReverifyFilter{Search: search, AfterCreated: at.At, AfterID: at.ID, Limit: limit}
}

func (m *Model) columns() []queue.Column[item] {
	return []queue.Column[item]{
		{Title: "tui.rv.col.institution", Min: 16, Weight: 3, Cell: func(r item) string { return r.InstitutionName }},
		{Title: "tui.rv.col.reg", Min: 11, From: 78, Cell: func(r item) string { return r.CompanyRegNo }},
		{Title: "tui.rv.col.diff", Min: 14, Weight: 4, From: 60, Cell: m.diffText},
		{Title: "tui.rv.col.age", Min: 10, Cell: func(r item) string { return m.c.Age(r.CreatedAt) }},
		{Title: "tui.rv.col.holder", Min: 10, Weight: 1, Cell: func(r item) string { return m.Holder(r) }},
	}
}

// diffText names the differences found.
func (m *Model) diffText(r item) string {
	if len(r.Differences) == 0 {
		return "—"
	}
	names := make([]string, len(r.Differences))
	for i, d := range r.Differences {
		names[i] = m.c.T("tui.rv.diff." + string(d))
	}
	return strings.Join(names, ", ")
}

func (m *Model) summary(r item) []string {
	return []string{
		strings.Join([]string{"#" + strconv.FormatInt(r.ID, 10), common.Show(r.InstitutionName), r.CompanyRegNo}, " · "),
		m.c.T("tui.rv.f.diff") + ": " + m.diffText(r),
	}
}

func (m *Model) heading(o *open) (string, string) {
	return m.c.T("tui.rv.detail.title", o.Item.ID, common.Show(o.Item.InstitutionName)), m.c.T("tui.rv.state." + string(o.Item.State))
}

// body is the differences, then the institution and the registers side
// by side (every value drawn plain: register data comes from outside),
// then any decision.
func (m *Model) body(o *open, w int) string {
	c, r := m.c, o.Item
	sections := []string{c.Section(w, c.T("tui.rv.sec.diff"), []common.Field{{Label: "tui.rv.f.diff", Value: m.diffText(r)}}, nil, 6)}
	sections = append(sections, c.Section(w, c.T("tui.rv.sec.compare"), nil, m.compare(r, w), 0))
	if !r.DecidedAt.IsZero() {
		rows := []common.Field{
			{Label: "tui.rv.f.decided", Value: c.T("tui.rv.decided_by", common.OrDash(r.DecidedByName), r.DecidedAt.In(domain.AgencyZone).Format("02.01.2006 15:04"))},
			{Label: "tui.rv.f.reason", Value: common.OrDash(r.Reason)},
		}
		if r.NewName != "" {
			rows = append(rows, common.Field{Label: "tui.rv.f.renamed", Value: c.T("tui.rv.renamed", r.OldName, r.NewName)})
		}
		sections = append(sections, c.Section(w, c.T("tui.rv.sec.decision"), rows, nil, 6))
	}
	return strings.Join(sections, "\n\n")
}

// compare lays out the institution and the two registers in columns.
func (m *Model) compare(r item, w int) []string {
	c := m.c
	none := c.T("tui.rv.none_in_register")
	type row struct{ label, ours, company, school string }
	var co, sc [5]string
	for i := range co {
		co[i], sc[i] = none, none
	}
	if e := r.Company; e != nil {
		date := ""
		if !e.StatusDate.IsZero() {
			date = " " + e.StatusDate.Format("02.01.2006")
		}
		co = [5]string{e.Name, e.RegNumber, c.T("tui.rv.status."+string(e.Status)) + date, e.Address, e.FetchedAt.In(domain.AgencyZone).Format("02.01.2006")}
	}
	if s := r.School; s != nil {
		sc = [5]string{s.Name, s.FounderRegNumber + " / " + s.InstitutionNumber, c.T("tui.rv.status." + string(s.Status)), s.Address, s.FetchedAt.In(domain.AgencyZone).Format("02.01.2006")}
	}
	rows := []row{
		{c.T("tui.rv.col.head"), c.T("tui.rv.col.ours"), c.T("tui.rv.col.company"), c.T("tui.rv.col.school")},
		{c.T("tui.rv.f.name"), r.InstitutionName, co[0], sc[0]},
		{c.T("tui.rv.f.numbers"), r.CompanyRegNo + " / " + r.InstitutionNo, co[1], sc[1]},
		{c.T("tui.rv.f.status"), c.T("tui.rv.status.active"), co[2], sc[2]},
		{c.T("tui.rv.f.address"), "—", co[3], sc[3]},
		{c.T("tui.rv.f.data_at"), "—", co[4], sc[4]},
	}
	labelW := 0
	for _, rw := range rows {
		labelW = max(labelW, ansi.StringWidth(rw.label))
	}
	colW := max((w-labelW-6)/3, 8)
	cell := func(s string, n int) string {
		s = common.Show(s)
		s = ansi.Truncate(s, n, "…")
		return s + strings.Repeat(" ", max(n-ansi.StringWidth(s), 0))
	}
	out := make([]string, len(rows))
	for i, rw := range rows {
		out[i] = cell(rw.label, labelW) + "  " + cell(rw.ours, colW) + "  " + cell(rw.company, colW) + "  " + strings.TrimRight(cell(rw.school, colW), " ")
	}
	return out
}

// actions: confirm, update and escalate (the holder's, each with a
// reason), and a claim.
func (m *Model) actions() []act {
	decide := func(a domain.ReverifyAction) func(*form.Model, *open, int64) queue.Send {
		return func(f *form.Model, o *open, version int64) queue.Send {
			reason := queue.Required(f, queue.ReasonField, "tui.rv.reason_required")
			if reason == "" {
				return nil
			}
			s, id := m.c.Services.Reverify, o.ID
			return func(ctx context.Context) (func() tea.Cmd, error) {
				_, err := s.DecideReverification(ctx, id, version, a, reason)
				return nil, err
			}
		}
	}
	return []act{
		{Keys: []string{"a"}, Help: "tui.rv.key.confirm", Rule: m.rule(domain.ReverifyConfirm), Held: true, Explains: true,
			Form: m.reasonForm("tui.rv.confirm_title"), Submit: decide(domain.ReverifyConfirm), Done: "tui.rv.confirmed", After: queue.Leave},
		{Keys: []string{"u"}, Help: "tui.rv.key.update", Rule: m.rule(domain.ReverifyUpdate), Held: true,
			Form: m.reasonForm("tui.rv.update_title"), Submit: decide(domain.ReverifyUpdate), Done: "tui.rv.updated", After: queue.Leave},
		{Keys: []string{"e"}, Help: "tui.rv.key.escalate", Rule: m.rule(domain.ReverifyEscalate), Held: true,
			Form: m.reasonForm("tui.rv.escalate_title"), Submit: decide(domain.ReverifyEscalate), Done: "tui.rv.escalated", After: queue.Leave},
		{Keys: []string{"c"}, Help: "tui.queue.key.claim", Rule: m.rule(domain.ReverifyClaim), Claims: true, Done: "tui.rv.claimed"},
	}
}

func (m *Model) rule(a domain.ReverifyAction) func(item) error {
	return func(r item) error { return r.Allows(a, m.c.Operator.Ref(), m.c.Clock()) }
}

func (m *Model) reasonForm(title string) func(*open) *form.Model {
	return func(o *open) *form.Model {
		return form.New(m.c, title, []any{o.ID, common.Show(o.Item.InstitutionName)},
			form.Field{ID: queue.ReasonField, Label: "tui.rv.field.reason", Hint: "tui.rv.hint.reason", Limit: domain.MessageMaxLength})
	}
}
