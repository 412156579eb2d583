// Package imk is the reviewers' queue of individual learning account (IMK)
// applications whose target-group eligibility check (¶26.4) needs a person:
// a searchable, keyset-paged list that shows why each one needs review and
// who holds it, and the detail of one application with every rule's
// verdict, its evidence, the register it came from and when it was
// fetched. Opening an application claims it for as long as it stays open
// (renewed, and given back on leaving); from the detail the reviewer
// fetches the register data again, approves or rejects with a reason, or
// reveals the personal code with a reason that goes to the audit log. The
// queue component (tui/components/queue) does the listing, claiming and
// live updates; this package supplies the columns, detail and actions.
package imk

import (
	"slices"
	"strconv"
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
)

// PageSize is the number of applications on one page of the list.
const PageSize = 50

type (
	open       = queue.Open[*domain.IMKApplication, struct{}]
	act        = queue.Action[*domain.IMKApplication, struct{}]
	queueModel = queue.Model[*domain.IMKApplication, domain.IMKFilter, struct{}]
)

// Model is the IMK page: the queue component with the application's
// columns, detail and actions.
type Model struct {
	*queueModel
	c *common.Common
	// reasonSeen is the approval's reason as the form gave it, waiting
	// for confirmation.
	reasonSeen string
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	s := queue.Spec[*domain.IMKApplication, domain.IMKFilter, struct{}]{
		Role: domain.RoleReviewer, Topic: domain.TopicIMK, PageSize: PageSize,
		Words: queue.Words{RoleOnly: "tui.imk.reviewer_only", Title: "tui.imk.queue_title", Search: "tui.imk.search",
			Hint: "tui.imk.hint.search", None: "tui.imk.none", Yours: "tui.imk.claim.yours", Other: "tui.imk.claim.other",
			Free: "tui.imk.claim.free", HeldBy: "tui.imk.held_by", Lost: "tui.imk.claim_lost",
			Changed: "tui.imk.conflict.changed", NotHeld: "tui.imk.why.not_claimed"},
		Columns: m.columns(), Filter: filter, Facts: facts, Summary: m.summary,
		Heading: m.heading, Body: m.body, Actions: m.actions(),
		Bulk: common.BulkFrom[domain.IMKFilter](c, domain.BulkFromIMK),
	}
	if svc := c.Services.IMK; svc != nil {
		s.Service = queue.Service[*domain.IMKApplication, domain.IMKFilter, struct{}]{
			List: svc.ListIMK, Find: svc.FindIMK, Claim: svc.ClaimIMK, Release: svc.ReleaseIMK}
	}
	m.queueModel = queue.New(c, s)
	return m
}

// facts are what the queue component knows of an application.
func facts(a *domain.IMKApplication) queue.Facts {
	return queue.Facts{ID: a.ID, At: a.AppliedAt, Version: a.Version, Open: a.State == domain.IMKNeedsReview,
		Holder: queue.Holder{ID: a.ClaimedBy, Name: a.ClaimedByName, Until: a.ClaimExpiresAt}}
}

// filter is the list's filter: the applications in review, by the search,
// for the page starting after at.
func filter(search string, _ []int, at queue.Keyset, limit int) domain.IMKFilter {
	return domain.IMKFilter{States: []domain.IMKState{domain.IMKNeedsReview}, Search: search,
		AfterApplied: at.At, AfterID: at.ID, Limit: limit}
}

// columns are the list's: all of them from 78 columns, fewer below.
func (m *Model) columns() []queue.Column[*domain.IMKApplication] {
	return []queue.Column[*domain.IMKApplication]{
		{Title: "tui.imk.col.applicant", Min: 14, Weight: 3, Cell: applicant},
		{Title: "tui.imk.col.code", Min: 13, From: 78, Cell: func(a *domain.IMKApplication) string {
			return domain.MaskPersonalCode(a.PersonalCode)
		}},
		{Title: "tui.imk.col.why", Min: 12, Weight: 4, From: 60, Cell: m.listWhy},
		{Title: "tui.imk.col.age", Min: 10, Cell: func(a *domain.IMKApplication) string { return m.c.Age(a.AppliedAt) }},
		{Title: "tui.imk.col.holder", Min: 10, Weight: 1, Cell: func(a *domain.IMKApplication) string { return m.Holder(a) }},
	}
}

// applicant is the applicant's name, plain: it is drawn in lines of the
// page's own making as well as in cells and messages.
func applicant(a *domain.IMKApplication) string {
	return common.Show(a.FirstName + " " + a.LastName)
}

// whyText names the rules that sent the application to review.
func (m *Model) whyText(a *domain.IMKApplication) string {
	if a.Evaluation == nil || len(a.Evaluation.ReviewWhy) == 0 {
		return "—"
	}
	names := make([]string, len(a.Evaluation.ReviewWhy))
	for i, rule := range a.Evaluation.ReviewWhy {
		names[i] = m.ruleName(rule)
	}
	return strings.Join(names, ", ")
}

// listWhy is whyText for a list row, which names too that the person has
// not accepted the terms in force (¶26.2) when the check did not.
func (m *Model) listWhy(a *domain.IMKApplication) string {
	why := m.whyText(a)
	if a.Terms == nil || (a.Evaluation != nil && slices.Contains(a.Evaluation.ReviewWhy, domain.ReviewTermsNotAccepted)) {
		return why
	}
	if why == "—" {
		return m.ruleName(domain.ReviewTermsNotAccepted)
	}
	return m.ruleName(domain.ReviewTermsNotAccepted) + ", " + why
}

// summary names the selected application under the list, the personal
// code masked.
func (m *Model) summary(a *domain.IMKApplication) []string {
	c := m.c
	first := []string{"#" + strconv.FormatInt(a.ID, 10), applicant(a)}
	if code := domain.MaskPersonalCode(a.PersonalCode); code != "" {
		first = append(first, code)
	}
	second := []string{c.T("tui.imk.f.applied") + ": " + timeText(a.AppliedAt)}
	if a.Evaluation != nil {
		second = append(second, c.T("tui.imk.f.why")+": "+m.whyText(a))
	}
	if a.Terms != nil {
		// ¶26.2: first, so that a narrow screen keeps it.
		second = append([]string{c.T("tui.acc.summary", a.Terms.Number)}, second...)
	}
	return []string{strings.Join(first, " · "), strings.Join(second, " · ")}
}
