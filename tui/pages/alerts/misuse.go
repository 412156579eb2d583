package alerts

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// newMisuse is the view of the signals about applicants and providers
// (issue 18): what each is about (a contact, an institution, an account:
// stored values, drawn plain), the count against its threshold, the
// window, and in the summary the rows counted, by id.
func newMisuse(c *common.Common) *listview.Model[*domain.MisuseSignal] {
	s := screen{c}
	return listview.New(c, listview.Spec[*domain.MisuseSignal]{
		Allowed:  security,
		RoleOnly: "tui.al.security_only",
		Topic:    domain.TopicMisuseSignal,
		None:     "tui.ms.none",
		ID:       func(x *domain.MisuseSignal) int64 { return x.ID },
		Load: listview.Reads(func() bool { return c.Services.Misuse != nil }, func(ctx context.Context) ([]*domain.MisuseSignal, error) {
			return c.Services.Misuse.OpenMisuseSignals(ctx)
		}),
		Above: func(int) []string { return []string{c.Styles.Title.Render(c.T("tui.ms.title"))} },
		Columns: []listview.Column[*domain.MisuseSignal]{
			{Title: "tui.ms.col.kind", Min: 20, Cell: func(x *domain.MisuseSignal) string { return s.misuseKind(x.Kind) }},
			{Title: "tui.ms.col.subject", Min: 15, Weight: 2, Cell: func(x *domain.MisuseSignal) string { return x.Subject }},
			{Title: "tui.al.col.count", Min: 17, Cell: func(x *domain.MisuseSignal) string { return c.T("tui.al.count", x.Count, x.Threshold) }},
			{Title: "tui.al.col.window", Min: 22, Cell: misuseWindow},
		},
		Summary: func(x *domain.MisuseSignal, ok bool, w int) []string {
			if !ok {
				return nil
			}
			return []string{c.Styles.Muted.Render(common.WrapAtSpaces(c.T("tui.ms.detail", s.misuseArgs(x)...), w))}
		},
		SummaryLines: 6,
		Keys:         []listview.Key{{Keys: []string{"a"}, Help: "tui.ms.key.staff", Run: switchTo(false)}},
		Actions: []*listview.Action[*domain.MisuseSignal]{{
			Keys: []string{"x"}, Help: "tui.al.key.close",
			Rule: func(x *domain.MisuseSignal) error { return x.CloseBlocker() },
			Form: func(x *domain.MisuseSignal) *form.Model {
				return form.New(c, "tui.ms.close_title", []any{x.ID},
					form.Field{ID: fNote, Label: "tui.al.note", Hint: "tui.al.hint.note", Limit: maxNote, Required: "tui.ms.note_required"}).
					WithSave("tui.al.key.save").WithIntro("tui.ms.detail", s.misuseArgs(x)...)
			},
			Submit: func(f *form.Model, x *domain.MisuseSignal) listview.Send {
				if !f.Check() {
					return nil
				}
				note, svc, id := f.Value(fNote), c.Services.Misuse, x.ID
				return listview.Call(func(ctx context.Context) error { return svc.CloseMisuseSignal(ctx, id, note) })
			},
			Done: "tui.ms.closed",
		}},
	})
}

// misuseWindow is a signal's window in a column: its start with the
// year (a window across a new year, or a signal left open into the next,
// is otherwise ambiguous), and its end's time of day when it ends that
// day, its month and day within the year, its whole date otherwise.
func misuseWindow(x *domain.MisuseSignal) string {
	from, to := x.WindowStart.Local(), x.WindowEnd.Local()
	end := to.Format("2006-01-02")
	switch {
	case from.Format("2006-01-02") == end:
		end = to.Format("15:04")
	case from.Year() == to.Year():
		end = to.Format("01-02")
	}
	return from.Format("2006-01-02 15:04") + "–" + end
}

// misuseArgs are the arguments of a signal's detail ("tui.ms.detail").
func (s screen) misuseArgs(x *domain.MisuseSignal) []any {
	return []any{s.misuseKind(x.Kind), x.Subject, x.Count, x.Threshold,
		x.WindowStart.Local().Format("2006-01-02 15:04"), x.WindowEnd.Local().Format("2006-01-02 15:04"), s.evidence(x.Evidence)}
}

func (s screen) misuseKind(k domain.MisuseKind) string {
	if k.Known() {
		return s.c.T("tui.ms.kind." + string(k))
	}
	return common.Show(string(k))
}

// evidenceKinds are the kinds of rows a signal counts, in the order they
// are listed.
var evidenceKinds = []string{"role_request", "imk_application", "ticket", "pending_reset"}

// evidence lists the rows counted by kind: "role requests 12, 15; IMK
// applications 4".
func (s screen) evidence(ev []domain.MisuseEvidence) string {
	ids := map[string][]string{}
	var other []string
	for _, e := range ev {
		if !slices.Contains(evidenceKinds, e.Kind) {
			other = append(other, common.Show(e.Kind)+" "+strconv.FormatInt(e.ID, 10))
			continue
		}
		ids[e.Kind] = append(ids[e.Kind], strconv.FormatInt(e.ID, 10))
	}
	var parts []string
	for _, k := range evidenceKinds {
		if len(ids[k]) > 0 {
			parts = append(parts, s.c.T("tui.ms.ev."+k)+" "+strings.Join(ids[k], ", "))
		}
	}
	return strings.Join(append(parts, other...), "; ")
}
