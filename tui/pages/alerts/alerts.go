// Package alerts is the security officers' list of open misuse alerts
// (issue 9, ¶18.4, ¶20): an operator who revealed too many full personal
// codes, or opened too many persons' records, in an hour. The officer
// sees the operator, the count, the threshold and the window, and closes
// an alert with a note (x). The screen is a listview.Spec.
package alerts

import (
	"context"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// Topic is the change-feed topic of alerts.
const Topic = domain.TopicAlert

const maxNote = 1000

// fNote is the note's field.
const fNote = "note"

// Model is the alerts page.
type Model = listview.Model[*domain.Alert]

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	s := screen{c}
	return listview.New(c, listview.Spec[*domain.Alert]{
		Allowed:  func(op *domain.Operator) bool { return op != nil && op.HasRole(domain.RoleSecurity) },
		RoleOnly: "tui.al.security_only",
		Topic:    Topic,
		None:     "tui.al.none",
		ID:       func(a *domain.Alert) int64 { return a.ID },
		Load: listview.Reads(func() bool { return c.Services.Defence != nil }, func(ctx context.Context) ([]*domain.Alert, error) {
			return c.Services.Defence.OpenAlerts(ctx)
		}),
		Above: func(int) []string { return []string{c.Styles.Title.Render(c.T("tui.al.title"))} },
		Columns: []listview.Column[*domain.Alert]{
			{Title: "tui.al.col.operator", Min: 18, Weight: 2, Cell: func(a *domain.Alert) string { return a.OperatorName }},
			{Title: "tui.al.col.kind", Min: 23, Cell: func(a *domain.Alert) string { return s.kind(a.Kind) }},
			{Title: "tui.al.col.count", Min: 17, Cell: func(a *domain.Alert) string { return c.T("tui.al.count", a.Count, a.Threshold) }},
			{Title: "tui.al.col.window", Min: 11, Weight: 1, Cell: window},
		},
		Summary: func(a *domain.Alert, ok bool, w int) []string {
			if !ok {
				return nil
			}
			return []string{c.Styles.Muted.Render(common.WrapAtSpaces(c.T("tui.al.detail", s.detailArgs(a)...), w))}
		},
		SummaryLines: 5,
		Actions: []*listview.Action[*domain.Alert]{{
			Keys: []string{"x"}, Help: "tui.al.key.close",
			Form: func(a *domain.Alert) *form.Model {
				return form.New(c, "tui.al.close_title", []any{a.ID},
					form.Field{ID: fNote, Label: "tui.al.note", Hint: "tui.al.hint.note", Limit: maxNote, Required: "tui.al.note_required"}).
					WithSave("tui.al.key.save").WithIntro("tui.al.detail", s.detailArgs(a)...)
			},
			Submit: func(f *form.Model, a *domain.Alert) listview.Send {
				if !f.Check() {
					return nil
				}
				note, def, id := f.Value(fNote), c.Services.Defence, a.ID
				return listview.Call(func(ctx context.Context) error { return def.CloseAlert(ctx, id, note) })
			},
			Done: "tui.al.closed",
		}},
	})
}

type screen struct{ c *common.Common }

// detailArgs are the arguments of an alert's detail ("tui.al.detail").
func (s screen) detailArgs(a *domain.Alert) []any {
	return []any{a.OperatorName, s.kind(a.Kind), a.Count, a.Threshold,
		a.WindowStart.Local().Format("2006-01-02 15:04"), a.WindowEnd.Local().Format("15:04")}
}

func (s screen) kind(k domain.AlertKind) string {
	switch k {
	case domain.AlertReveals, domain.AlertViews:
		return s.c.T("tui.al.kind." + string(k))
	}
	return common.Show(string(k))
}

func window(a *domain.Alert) string {
	return a.WindowStart.Local().Format("15:04") + "–" + a.WindowEnd.Local().Format("15:04")
}
