package main

import (
	"context"
	"fmt"

	"github.com/viaa/ppp/storage"
)

// runIMK implements `ppp imk check [--batch N]`: it runs the automatic
// target-group check once over every waiting application. `ppp imk
// policy …` is runIMKPolicy.
func (m *Main) runIMK(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "policy" {
		return m.runIMKPolicy(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.imk"))
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.imk_policy"))
		return errUsageShown
	}
	fs := m.flags("imk")
	batch := fs.Int("batch", 100, "")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	regs, err := m.registers(db)
	if err != nil {
		return err
	}
	checker := storage.NewIMKChecker(db, regs)
	ctx = cliContext(ctx)
	total := 0
	for {
		n, err := checker.RunOnce(ctx, *batch)
		total += n
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	fmt.Fprintln(m.Stdout, m.cat.N("cli.imk.checked", int64(total)))
	return nil
}
