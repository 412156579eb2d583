package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/viaa/ppp/storage"
)

// runAccount implements `ppp account email USER_ID ADDRESS --reason R --as
// OPERATOR [--password-stdin]` (a request to change a Platform account's
// e-mail address, which takes effect when a second person approves it in
// their SSH session) and `ppp account history USER_ID --as OPERATOR
// [--password-stdin]` (the account's staff changes, old and new values).
// Both act as the operator, who proves it with their password.
func (m *Main) runAccount(ctx context.Context, args []string) error {
	fs := m.flags("account")
	reason := fs.String("reason", "", "")
	op := addOperatorFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 || !(pos[0] == "email" && len(pos) == 3 || pos[0] == "history" && len(pos) == 2) {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.account"))
		return errUsageShown
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id <= 0 {
		return usageError{m.cat.T("cli.account.bad_id", pos[1])}
	}
	if !op.given() {
		return usageError{m.cat.T("cli.as.needed")}
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	if ctx, err = m.actAsOperator(cliContext(ctx), db, op); err != nil {
		return err
	}
	svc := storage.NewDefenceService(db)
	if pos[0] == "email" {
		c, err := svc.RequestEmailChange(ctx, id, pos[2], *reason)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.account.email_requested", c.ID, id))
		return nil
	}
	changes, err := svc.AccountHistory(ctx, id)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, m.cat.T("cli.account.history_header"))
	for _, c := range changes {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.At.Format("2006-01-02 15:04"), field(c.ActorName), orDash(c.ApprovedByName),
			field(c.Field), orDash(c.Old), orDash(c.New), orDash(c.Reason))
	}
	return w.Flush()
}
