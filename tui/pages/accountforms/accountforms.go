// Package accountforms holds the staff actions on a person's Platform
// account that a screen lists rows of (the person page, say): a change of
// the account's e-mail address and a password reset started from the
// account (issue 17). Each is a listview.Action over the screen's own row
// type T, told the Platform user id of a row by a function; 0 means the
// row has no account, and the action is refused on the status line. Both
// call the same domain.DefenceService operations as the command line, so
// the rules (four eyes, ¶31.3, ¶14) are the service's.
package accountforms

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// Field ids of the forms; also the domain.Problem fields the services
// name.
const (
	FieldEmail  = "email"
	FieldReason = "reason"
)

// noAccount is the refusal of a row without a Platform account.
func noAccount() error {
	return domain.Errorf(domain.EINVALID, "tui.acct.no_account", "the person has no Platform account")
}

// accountRule refuses rows without an account, and sessions without the
// service.
func accountRule[T any](c *common.Common, userID func(T) int64) func(T) error {
	return func(t T) error {
		if c.Services.Defence == nil {
			return domain.Errorf(domain.EUNAVAILABLE, "tui.acct.no_service", "the server has no account service")
		}
		if userID(t) == 0 {
			return noAccount()
		}
		return nil
	}
}

// reasonOf returns the reason typed, trimmed and checked by
// domain.CheckAccountReason, or "" with the problem shown under the field.
func reasonOf(f *form.Model) string {
	r, err := domain.CheckAccountReason(f.Value(FieldReason))
	if err != nil {
		f.AddProblem(FieldReason, domain.AsError(err).Key, domain.AsError(err).Args...)
		return ""
	}
	return r
}

// EmailChange is the action that asks for a new e-mail address of the
// row's account (key "m"), with the reason; the address is checked as the
// command line's (domain.ValidateEmail) before anything is sent. The
// request changes nothing until a second person approves it on the
// helpdesk screen, as the done status says; the old and the new address
// are told then. Helpdesk, security or admin role (the service's).
func EmailChange[T any](c *common.Common, userID func(T) int64) *listview.Action[T] {
	return &listview.Action[T]{
		Keys: []string{"m"}, Help: "tui.acct.key.email", Rule: accountRule(c, userID), Keep: true,
		Form: func(t T) *form.Model {
			return form.New(c, "tui.acct.email_title", []any{userID(t)},
				form.Field{ID: FieldEmail, Label: "tui.acct.field.email", Limit: domain.EmailMaxLength},
				form.Field{ID: FieldReason, Label: "tui.acct.field.reason", Limit: domain.AccountReasonMaxLength}).
				WithIntro("tui.acct.email_intro")
		},
		Submit: func(f *form.Model, t T) listview.Send {
			f.SetError(nil)
			addr := f.Value(FieldEmail)
			ok := true
			if err := domain.ValidateEmail(addr); err != nil {
				f.AddProblem(FieldEmail, domain.AsError(err).Key, domain.AsError(err).Args...)
				ok = false
			}
			reason := reasonOf(f)
			if !ok || reason == "" {
				return nil
			}
			svc, id := c.Services.Defence, userID(t)
			return func(ctx context.Context) (tea.Cmd, error) {
				ch, err := svc.RequestEmailChange(ctx, id, addr, reason)
				if err != nil {
					return nil, err
				}
				return common.StatusCmd("tui.acct.done.email", ch.ID), nil
			}
		},
	}
}

// PasswordReset is the action that starts a password reset of the row's
// account (key "p"), with the reason: the single-use link goes to the
// account's confirmed address, or, for a privileged account, waits for a
// second helpdesk or security operator on the helpdesk screen's pending
// list; a Latvija.gov.lv account is refused with the ¶14 explanation.
// Helpdesk role (the service's).
func PasswordReset[T any](c *common.Common, userID func(T) int64) *listview.Action[T] {
	return &listview.Action[T]{
		Keys: []string{"p"}, Help: "tui.acct.key.reset", Rule: accountRule(c, userID), Keep: true,
		Form: func(t T) *form.Model {
			return form.New(c, "tui.acct.reset_title", []any{userID(t)},
				form.Field{ID: FieldReason, Label: "tui.acct.field.reason", Limit: domain.AccountReasonMaxLength}).
				WithIntro("tui.acct.reset_intro")
		},
		Submit: func(f *form.Model, t T) listview.Send {
			f.SetError(nil)
			reason := reasonOf(f)
			if reason == "" {
				return nil
			}
			svc, id := c.Services.Defence, userID(t)
			return func(ctx context.Context) (tea.Cmd, error) {
				res, err := svc.StartAccountReset(ctx, id, reason)
				if err != nil {
					return nil, err
				}
				if res.Held {
					return common.StatusCmd("tui.acct.done.reset_held", res.PendingID), nil
				}
				return common.StatusCmd("tui.acct.done.reset_sent"), nil
			}
		},
	}
}
