package imk

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/queue"
)

// actions are what a reviewer does to the open application; all but a
// claim and a reveal by the reviewer holding it. Approving asks for a
// confirmation after the reason.
func (m *Model) actions() []act {
	svc := func() domain.IMKService { return m.c.Services.IMK }
	decide := func(approve bool) func(*form.Model, *open, int64) queue.Send {
		return func(f *form.Model, o *open, version int64) queue.Send {
			reason := queue.Required(f, queue.ReasonField, "tui.imk.reason_required")
			if reason == "" {
				return nil
			}
			m.reasonSeen = reason
			s, id := svc(), o.ID
			return queue.Call(func(ctx context.Context) error { return s.DecideIMK(ctx, id, version, approve, reason) })
		}
	}
	return []act{
		{Keys: keys("a"), Help: "tui.imk.key.approve", Rule: m.rule(domain.IMKApprove), Held: true, Explains: true,
			Form: m.reasonForm("tui.imk.approve_title", "tui.imk.hint.reason", domain.IMKReasonMaxLength, true), Submit: decide(true),
			Confirm: m.confirmApproval, Done: "tui.imk.approved", After: queue.Leave},
		{Keys: keys("r"), Help: "tui.imk.key.reject", Rule: m.rule(domain.IMKReject), Held: true,
			Form: m.reasonForm("tui.imk.reject_title", "tui.imk.hint.reason", domain.IMKReasonMaxLength, true), Submit: decide(false),
			Done: "tui.imk.rejected", After: queue.Leave},
		// The registers are asked again and the application checked again:
		// the detail shows the new evaluation, a decision names its version.
		{Keys: keys("f"), Help: "tui.imk.key.refetch", Rule: m.rule(domain.IMKRefetch), Held: true,
			Busy: "tui.imk.refetching", After: queue.Keep,
			Send: func(o *open, _ int64) queue.Send {
				s, id := svc(), o.ID
				return func(ctx context.Context) (func() tea.Cmd, error) {
					app, err := s.Refetch(ctx, id)
					return func() tea.Cmd {
						outcome := "—"
						if app != nil {
							o.Item = app
							if e := app.Evaluation; e != nil {
								outcome = m.c.T("tui.imk.outcome." + string(e.Outcome))
							}
						}
						return common.StatusCmd("tui.imk.refetched", outcome)
					}, err
				}
			}},
		{Keys: keys("c"), Help: "tui.queue.key.claim", Rule: m.rule(domain.IMKClaim), Claims: true, Done: "tui.imk.claimed"},
		m.reveal(),
	}
}

func keys(k ...string) []string { return k }

// reveal is v: the whole personal code, with a reason that goes to the
// audit log.
func (m *Model) reveal() act {
	a := queue.Reveal(m.rule(domain.IMKReveal), m.reasonForm("tui.imk.reveal_title", "tui.imk.hint.reveal", domain.RevealReasonMaxLength, false),
		"tui.imk.reason_required", func(ctx context.Context, id int64, reason string) (string, error) {
			return m.c.Services.IMK.RevealPersonalCode(ctx, id, reason)
		}, "tui.imk.revealed")
	a.Help, a.Short = "tui.imk.key.reveal", "tui.imk.short.reveal"
	return a
}

// rule is the application's own rule for a (domain.IMKApplication.Allows,
// which storage asks too).
func (m *Model) rule(a domain.IMKAction) func(*domain.IMKApplication) error {
	return func(app *domain.IMKApplication) error { return app.Allows(a, m.c.Operator.Ref(), m.c.Clock()) }
}

// reasonForm returns a form that asks for a reason, titled title with the
// application's id and, when named, the applicant.
func (m *Model) reasonForm(title, hint string, limit int, named bool) func(*open) *form.Model {
	return func(o *open) *form.Model {
		args := []any{o.ID}
		if named {
			args = append(args, applicant(o.Item))
		}
		return form.New(m.c, title, args, form.Field{ID: queue.ReasonField, Label: "tui.imk.field.reason", Hint: hint, Limit: limit})
	}
}

func (m *Model) confirmApproval(o *open, w int) []string {
	c, a := m.c, o.Item
	return queue.ConfirmLines(c, c.T("tui.imk.approve_title", a.ID, applicant(a)),
		c.T("tui.imk.approve_confirm", a.ID, applicant(a), m.reasonSeen), c.T("tui.imk.confirm_keys"), w)
}
