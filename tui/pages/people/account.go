package people

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
	"github.com/viaa/ppp/tui/pages/accountforms"
)

// The account's actions on the identity tab (issue 17): a change of its
// e-mail address (m) and a password reset (p), the forms of package
// accountforms on the page's account. The page adds the roles of the
// services they call (domain.PersonActionRoles), so that an operator who
// would only be refused is not offered the key; the service checks again.
func init() {
	identityExtras = append(identityExtras,
		func(p *personView) *listview.Action[*fieldRow] {
			return p.accountAction(accountforms.EmailChange(p.c, p.accountID), domain.PersonEmailChange, domain.PersonEmailAsked)
		},
		func(p *personView) *listview.Action[*fieldRow] {
			return p.accountAction(accountforms.PasswordReset(p.c, p.accountID), domain.PersonPasswordReset, "")
		})
}

// accountID is the page's Platform account, whatever the row; 0 while
// the page is read or for a person without one (accountforms refuses it).
func (p *personView) accountID(*fieldRow) int64 {
	if p.page == nil || p.page.Account == nil {
		return 0
	}
	return p.page.Account.UserID
}

// accountAction is a, offered only to the roles act needs; after it the
// section s (if any) is read again, so that the request shows there.
func (p *personView) accountAction(a *listview.Action[*fieldRow], act domain.PersonAction, s domain.PersonSection) *listview.Action[*fieldRow] {
	rule, submit := a.Rule, a.Submit
	a.Rule = func(r *fieldRow) error {
		if err := domain.MayDoOnPerson(p.c.Operator, act); err != nil {
			return err
		}
		return rule(r)
	}
	if s != "" {
		a.Submit = func(f *form.Model, r *fieldRow) listview.Send {
			send := submit(f, r)
			if send == nil {
				return nil
			}
			return func(ctx context.Context) (tea.Cmd, error) {
				done, err := send(ctx)
				if err != nil {
					return nil, err
				}
				return tea.Batch(done, p.reloadCmd(s)), nil
			}
		}
	}
	return a
}
