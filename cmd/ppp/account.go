package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/viaa/ppp/storage"
)

// runAccount implements `ppp account email USER_ID ADDRESS --reason R --as
// OPERATOR` (a staff change of a Platform account's e-mail address, with
// notices to the old and the new address) and `ppp account history
// USER_ID` (the account's staff changes, old and new values).
func (m *Main) runAccount(ctx context.Context, args []string) error {
	fs := m.flags("account")
	reason := fs.String("reason", "", "")
	as := fs.String("as", "", "")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.account"))
		return errUsageShown
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id <= 0 {
		return usageError{m.cat.T("cli.account.bad_id", pos[1])}
	}
	switch {
	case pos[0] == "email" && len(pos) == 3:
		if *as == "" {
			return usageError{m.cat.T("cli.account.need_as")}
		}
		db, _, err := m.openDB(ctx)
		if err != nil {
			return err
		}
		if ctx, err = actAs(cliContext(ctx), db, *as); err != nil {
			return err
		}
		if err := storage.NewDefenceService(db).ChangeAccountEmail(ctx, id, pos[2], *reason); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.account.email_changed", id))
		return nil
	case pos[0] == "history" && len(pos) == 2:
		db, _, err := m.openDB(ctx)
		if err != nil {
			return err
		}
		if ctx, err = actAs(cliContext(ctx), db, *as); err != nil {
			return err
		}
		changes, err := storage.NewDefenceService(db).AccountHistory(ctx, id)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, m.cat.T("cli.account.history_header"))
		for _, c := range changes {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", c.At.Format("2006-01-02 15:04"), field(c.ActorName), field(c.Field), orDash(c.Old), orDash(c.New), orDash(c.Reason))
		}
		return w.Flush()
	}
	fmt.Fprintln(m.Stderr, m.cat.T("cli.help.account"))
	return errUsageShown
}
