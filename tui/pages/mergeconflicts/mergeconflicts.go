// Package mergeconflicts is the screen "Personu sapludināšanas
// konflikti" (issue 17): pairs of person records the Population Register
// linked but that were not merged (both with a Platform account, or both
// with an active IMK). A security officer or administrator sees both
// records side by side — codes masked, accounts, IMK states — and
// resolves: merge (j), choosing which account stays (the other is ended
// with the reason), or "not the same person" (n), with a reason. The
// screen is a listview.Spec; the rules are domain.MergeConflict's.
package mergeconflicts

import (
	"context"
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// Model is the page.
type Model = listview.Model[*domain.MergeConflict]

// Form fields.
const (
	fKeep   = "keep"
	fReason = "reason"
)

// The keep choice's options: the older record's account, or the other's.
const (
	keepFrom = "from"
	keepInto = "into"
)

// Allowed says whether op works the screen: security or admin.
func Allowed(op *domain.Operator) bool {
	return op != nil && (op.HasRole(domain.RoleSecurity) || op.HasRole(domain.RoleAdmin))
}

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	s := screen{c}
	return listview.New(c, listview.Spec[*domain.MergeConflict]{
		Allowed:  Allowed,
		RoleOnly: "tui.mc.role_only",
		None:     "tui.mc.none",
		ID:       func(m *domain.MergeConflict) int64 { return m.ID },
		Load: listview.Reads(func() bool { return c.Services.PersonMerge != nil }, func(ctx context.Context) ([]*domain.MergeConflict, error) {
			return c.Services.PersonMerge.OpenMergeConflicts(ctx)
		}),
		Above: func(int) []string { return []string{c.Styles.Title.Render(c.T("tui.mc.title"))} },
		Columns: []listview.Column[*domain.MergeConflict]{
			{Title: "tui.mc.col.found", Min: 16, Cell: func(m *domain.MergeConflict) string { return m.FoundAt.Local().Format("2006-01-02 15:04") }},
			{Title: "tui.mc.col.from", Min: 14, Weight: 1, Cell: func(m *domain.MergeConflict) string { return m.From.MaskedCode }},
			{Title: "tui.mc.col.into", Min: 14, Weight: 1, Cell: func(m *domain.MergeConflict) string { return m.Into.MaskedCode }},
			{Title: "tui.mc.col.why", Min: 20, Weight: 2, Cell: s.why},
		},
		Summary: func(m *domain.MergeConflict, ok bool, w int) []string {
			if !ok {
				return nil
			}
			return s.sideBySide(m, w)
		},
		SummaryLines: 7,
		Actions:      []*listview.Action[*domain.MergeConflict]{s.mergeAction(), s.distinctAction()},
	})
}

type screen struct{ c *common.Common }

// why says why the import did not merge the pair, in the session's
// language when it is one of the import's reasons.
func (s screen) why(m *domain.MergeConflict) string {
	switch {
	case strings.Contains(m.Why, "Platform account"):
		return s.c.T("tui.mc.why.accounts")
	case strings.Contains(m.Why, "IMK"):
		return s.c.T("tui.mc.why.imk")
	}
	return m.Why
}

// sideBySide draws both records in two columns, every value plain.
func (s screen) sideBySide(m *domain.MergeConflict, w int) []string {
	col := max((w-3)/2, 10)
	cell := func(v string) string {
		v = common.Show(v)
		if r := []rune(v); len(r) > col {
			v = string(r[:col-1]) + "…"
		}
		return v + strings.Repeat(" ", max(col-len([]rune(v)), 0))
	}
	side := func(d domain.MergeSide) []string {
		account := s.c.T("tui.mc.no_account")
		if d.UserID != 0 {
			account = s.c.T("tui.mc.account", d.UserID, d.AccountEmail)
		}
		imk := s.c.T("tui.mc.no_imk")
		if len(d.IMKStates) > 0 {
			states := make([]string, len(d.IMKStates))
			for i, st := range d.IMKStates {
				states[i] = s.c.T("tui.imk.state." + st)
			}
			imk = s.c.T("tui.mc.imk", strings.Join(states, ", "))
		}
		return []string{s.c.T("tui.mc.person", d.PersonID, d.MaskedCode), d.Name, account, imk}
	}
	a, b := side(m.From), side(m.Into)
	out := []string{s.c.Styles.Muted.Render(cell(s.c.T("tui.mc.older")) + " │ " + cell(s.c.T("tui.mc.current")))}
	for i := range a {
		out = append(out, cell(a[i])+" │ "+cell(b[i]))
	}
	return out
}

func (s screen) reasonField() form.Field {
	return form.Field{ID: fReason, Label: "tui.mc.field.reason", Limit: domain.AccountReasonMaxLength, Required: "account.reason_required"}
}

// mergeAction merges the two records, keeping the account chosen.
func (s screen) mergeAction() *listview.Action[*domain.MergeConflict] {
	c := s.c
	return &listview.Action[*domain.MergeConflict]{
		Keys: []string{"j"}, Help: "tui.mc.key.merge",
		Rule: (*domain.MergeConflict).MergeBlocker,
		Form: func(m *domain.MergeConflict) *form.Model {
			fields := []form.Field{}
			if m.From.UserID != 0 && m.Into.UserID != 0 {
				fields = append(fields, form.Field{ID: fKeep, Label: "tui.mc.field.keep", Kind: form.Choice, List: true, Unset: true,
					Options: []string{keepFrom, keepInto}, OptionKey: "tui.mc.keep.", Required: "merge.keep_required"})
			}
			fields = append(fields, s.reasonField())
			return form.New(c, "tui.mc.merge_title", []any{m.ID}, fields...).WithIntro("tui.mc.merge_intro")
		},
		Submit: func(f *form.Model, m *domain.MergeConflict) listview.Send {
			if !f.Check() {
				return nil
			}
			r := domain.MergeResolution{ConflictID: m.ID, Outcome: domain.MergeResolved, Reason: f.Value(fReason)}
			switch f.Value(fKeep) {
			case keepFrom:
				r.KeepUserID = m.From.UserID
			case keepInto:
				r.KeepUserID = m.Into.UserID
			}
			svc := c.Services.PersonMerge
			return listview.Call(func(ctx context.Context) error { return svc.ResolveMergeConflict(ctx, r) })
		},
		Done: "tui.mc.done.merged",
	}
}

// distinctAction records that the two records are not one person.
func (s screen) distinctAction() *listview.Action[*domain.MergeConflict] {
	c := s.c
	return &listview.Action[*domain.MergeConflict]{
		Keys: []string{"n"}, Help: "tui.mc.key.distinct",
		Form: func(m *domain.MergeConflict) *form.Model {
			return form.New(c, "tui.mc.distinct_title", []any{m.ID}, s.reasonField())
		},
		Submit: func(f *form.Model, m *domain.MergeConflict) listview.Send {
			if !f.Check() {
				return nil
			}
			r := domain.MergeResolution{ConflictID: m.ID, Outcome: domain.MergeDistinct, Reason: f.Value(fReason)}
			svc := c.Services.PersonMerge
			return listview.Call(func(ctx context.Context) error { return svc.ResolveMergeConflict(ctx, r) })
		},
		Done: "tui.mc.done.distinct",
	}
}
