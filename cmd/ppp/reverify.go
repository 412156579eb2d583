package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/viaa/ppp/storage"
)

// runReverify implements `ppp reverify cycle [MONTHS]`: it prints the
// re-verification cycle of institutions (policy data), or sets it, audited
// (issue 17).
func (m *Main) runReverify(ctx context.Context, args []string) error {
	if len(args) < 1 || len(args) > 2 || args[0] != "cycle" {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.reverify"))
		return errUsageShown
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	svc := storage.NewReverifyService(db)
	ctx = cliContext(ctx)
	if len(args) == 1 {
		p, err := svc.ReverifyPolicy(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.reverify.cycle", m.cat.N("cli.reverify.months", int64(p.CycleMonths))))
		return nil
	}
	months, err := strconv.Atoi(args[1])
	if err != nil {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.reverify"))
		return errUsageShown
	}
	p, err := svc.SetReverifyCycle(ctx, months)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.reverify.cycle_set", m.cat.N("cli.reverify.months", int64(p.CycleMonths))))
	return nil
}
