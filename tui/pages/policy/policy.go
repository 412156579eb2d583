// Package policy is the editors' and administrators' screen of the IMK
// target-group policy (¶26.4, issue 13): the list of versions, a version
// beside the one in force, and the second person's approval of a draft
// (with the date it takes effect) or its discarding. A draft is made on
// the command line (ppp imk policy draft, with the drafter's password);
// the approval happens only here, in the approver's own session, and is
// never offered to the drafter. The screen is a listview.Spec.
package policy

import (
	"context"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// Topic is the change-feed topic of the target-group policy.
const Topic = domain.TopicIMKPolicy

// The form fields: the approval's effective date; a new draft's name,
// how its priorities combine and the rules that reject automatically.
const (
	fFrom    = "from"
	fName    = "name"
	fCombine = "combine"
	fAuto    = "auto_reject"
)

type policy = *domain.EligibilityPolicy

// Model is the policy page.
type Model = listview.Model[policy]

// screen is what the page keeps besides the list.
type screen struct {
	c       *common.Common
	list    *Model
	inForce int64     // the version in force now; 0: none
	from    time.Time // the approval's effective date; zero: now
}

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	s := &screen{c: c}
	s.list = listview.New(c, listview.Spec[policy]{
		Allowed: func(op *domain.Operator) bool {
			return op != nil && (op.HasRole(domain.RoleEditor) || op.HasRole(domain.RoleAdmin))
		},
		RoleOnly: "tui.pol.editor_only",
		Topic:    Topic,
		None:     "tui.pol.none",
		ID:       func(p policy) int64 { return p.ID },
		Load:     s.load,
		Above: func(w int) []string {
			return []string{c.Styles.Title.Render(c.T("tui.pol.title")), c.Styles.Muted.Render(common.WrapAtSpaces(c.T("tui.pol.explain"), w)), ""}
		},
		Columns: []listview.Column[policy]{
			{Title: "tui.pol.col.version", Min: 5, Cell: func(p policy) string { return strconv.Itoa(p.Version) }},
			{Title: "tui.pol.col.state", Min: 20, Cell: s.stateText},
			{Title: "tui.pol.col.from", Min: 16, Cell: s.fromText},
			{Title: "tui.pol.col.drafted", Min: 16, Cell: func(p policy) string { return orDash(common.PlainLine(p.DraftedByName)) }},
			{Title: "tui.pol.col.name", Min: 8, Weight: 1, Cell: func(p policy) string { return p.Name }},
		},
		Summary: func(p policy, ok bool, w int) []string {
			if !ok || p.State != domain.PolicyDraft {
				return nil
			}
			return []string{c.Styles.Muted.Render(common.WrapAtSpaces(s.draftHint(p), w))}
		},
		SummaryLines: 4,
		Detail:       s.detail,
		OpenHelp:     "tui.pol.key.open",
		Actions: []*listview.Action[policy]{{
			Keys: []string{"a"}, Help: "tui.pol.key.approve", Detail: true, Close: true,
			Rule: func(p policy) error { return p.ApprovalBlocker(s.me()) },
			Form: func(policy) *form.Model {
				return form.New(c, "", nil, form.Field{ID: fFrom, Label: "tui.pol.date", Hint: "tui.pol.date_hint", Kind: form.Date}).
					WithSave("tui.key.confirm")
			},
			Submit: func(f *form.Model, p policy) listview.Send {
				if !f.Check() {
					return nil
				}
				at, _ := f.Time(fFrom)
				s.from = s.effectiveFrom(at)
				svc, id, from := c.Services.Policy, p.ID, s.from
				return func(ctx context.Context) (tea.Cmd, error) {
					q, err := svc.ApprovePolicy(ctx, id, from)
					if err != nil {
						return nil, err
					}
					return common.StatusCmd("tui.pol.approved", q.Version, s.fromText(q)), nil
				}
			},
			Confirm: func(p policy, w int) []string {
				return s.confirm(p, w, c.T("tui.pol.confirm_approve", p.Version, s.dateText()))
			},
		}, {
			Keys: []string{"x"}, Help: "tui.pol.key.discard", Detail: true, Close: true, Done: "tui.pol.discarded",
			Rule: func(p policy) error {
				if p.State != domain.PolicyDraft {
					return domain.Errorf(domain.EINVALID, "tui.pol.why.not_draft", "only a draft can be discarded")
				}
				return nil
			},
			Send: func(p policy) listview.Send {
				svc, id := c.Services.Policy, p.ID
				return listview.Call(func(ctx context.Context) error { return svc.DiscardPolicy(ctx, id) })
			},
			Confirm: func(p policy, w int) []string {
				return s.confirm(p, w, c.T("tui.pol.confirm_discard", p.Version))
			},
		}, {
			// ¶26.4, GDPR Art. 22 (issue 16): a new draft from this
			// version, with its own rules that reject automatically and
			// its own way of combining the priorities; every other value
			// is this version's (the command line drafts any value).
			Keys: []string{"d"}, Help: "tui.pol.key.draft", Detail: true, Close: true,
			Form: func(p policy) *form.Model {
				f := form.New(c, "", nil,
					form.Field{ID: fName, Label: "tui.pol.f.name", Limit: domain.PolicyNameMaxLength},
					form.Field{ID: fCombine, Label: "tui.pol.rule.priority_combine", Kind: form.Choice,
						Options: []string{domain.PriorityAnyOf, domain.PriorityAllOf}, OptionKey: "tui.pol.combine."},
					form.Field{ID: fAuto, Label: "tui.pol.rule.auto_reject", Kind: form.Checklist, List: true,
						Options: domain.EligibilityRules, OptionKey: "tui.imk.rule.", NoneNote: "tui.pol.auto_reject_none"},
				).WithSave("tui.pol.key.save_draft").WithIntro("tui.pol.draft_intro", p.Version)
				f.SetValue(fCombine, p.Combine())
				f.SetValue(fAuto, strings.Join(p.AutoReject, ","))
				return f
			},
			Submit: func(f *form.Model, p policy) listview.Send {
				if !f.Check() {
					return nil
				}
				d := *p
				d.Name, d.PriorityCombine, d.AutoReject = f.Value(fName), f.Value(fCombine), f.Ticked(fAuto)
				if d.AutoReject == nil {
					d.AutoReject = []string{}
				}
				svc := c.Services.Policy
				return func(ctx context.Context) (tea.Cmd, error) {
					q, err := svc.DraftPolicy(ctx, &d)
					if err != nil {
						return nil, err
					}
					return common.StatusCmd("tui.pol.drafted", q.Version), nil
				}
			},
		}},
	})
	return s.list
}

// load reads the versions and which one is in force now.
func (s *screen) load() listview.Read[policy] {
	svc, now := s.c.Services.Policy, s.c.Clock()
	if svc == nil {
		return nil
	}
	return func(ctx context.Context) ([]policy, func(), error) {
		rows, err := svc.ListPolicies(ctx)
		if err != nil {
			return nil, nil, err
		}
		var inForce int64
		if cur, err := svc.PolicyInForce(ctx, now); err == nil {
			inForce = cur.ID
		}
		return rows, func() { s.inForce = inForce }, nil
	}
}

// me is the operator of this session as the services see it.
func (s *screen) me() int64 {
	if a := domain.ActorFrom(s.c.Ctx); a.OperatorID != 0 {
		return a.OperatorID
	}
	if s.c.Operator != nil {
		return s.c.Operator.ID
	}
	return 0
}

// current is the version in force, nil when none is.
func (s *screen) current() policy {
	for _, p := range s.list.Rows() {
		if p.ID == s.inForce {
			return p
		}
	}
	return nil
}

// effectiveFrom is the approval's effective date typed as at (the start
// of that day in the Agency's time zone; zero when empty): today is now
// (the zero time). A day in the past is left to the service to refuse.
func (s *screen) effectiveFrom(at time.Time) time.Time {
	if at.IsZero() || at.Format(time.DateOnly) == s.c.Clock().Local().Format(time.DateOnly) {
		return time.Time{}
	}
	return at
}
