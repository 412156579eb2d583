package queue

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// ReasonField is the field of the reason a form built for Reveal asks.
const ReasonField = "reason"

// Reveal returns the action (v) that shows the open item's whole personal
// code, for this opening only, once the reason typed into the form f
// builds (its field ReasonField; required is the problem's key when it
// is empty) went with reveal: the service records the look (GDPR Art. 5(2), Art. 32) and
// counts it toward the misuse alert in the same call, so the code shows
// only once that is done. rule is the item's rule for a reveal, done the
// status line's key after it; the caller names the key's help.
func Reveal[T, X any](rule func(T) error, f func(*Open[T, X]) *form.Model, required string,
	reveal func(ctx context.Context, id int64, reason string) (string, error), done string) Action[T, X] {
	return Action[T, X]{
		Keys: []string{"v"}, Rule: rule, Form: f, After: Keep,
		Offer: func(o *Open[T, X]) bool { return o.Revealed == "" },
		Submit: func(f *form.Model, o *Open[T, X], _ int64) Send {
			reason := Required(f, ReasonField, required)
			if reason == "" {
				return nil
			}
			id := o.ID
			return func(ctx context.Context) (func() tea.Cmd, error) {
				code, err := reveal(ctx, id, reason)
				return func() tea.Cmd {
					o.Revealed = code
					return common.StatusCmd(done)
				}, err
			}
		},
	}
}

// Required returns the value of field id of f; when it is empty, "" with
// the problem (a catalog key) shown in the form.
func Required(f *form.Model, id, problem string) string {
	v := f.Value(id)
	if v == "" {
		f.SetErrorKey(problem)
	}
	return v
}
