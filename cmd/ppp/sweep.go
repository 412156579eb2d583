package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/viaa/ppp/storage"
)

// runSweep implements `ppp sweep NAME [--report]`: it runs one sweep once
// and prints its counts, or with --report prints the death check's
// compliance report and fails when anyone is overdue.
func (m *Main) runSweep(ctx context.Context, args []string) error {
	fs := m.flags("sweep")
	report := fs.Bool("report", false, "")
	// NAME may come before the flags: `ppp sweep death-check --report`.
	var name string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if name == "" {
		name = fs.Arg(0)
	}
	if name == "" || (*report && name != storage.SweepDeathCheck) {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.sweep"))
		return errUsageShown
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	ctx = cliContext(ctx)
	if *report {
		rep, err := storage.NewDenialService(db).DeathCheckReport(ctx, time.Now())
		if err != nil {
			return err
		}
		oldest := m.cat.T("cli.sweep.never")
		if !rep.OldestCheckAt.IsZero() {
			oldest = rep.OldestCheckAt.Local().Format("02.01.2006 15:04")
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.report_head", m.cat.N("cli.count.persons", int64(rep.Persons)),
			m.cat.N("cli.sweep.overdue_count", int64(rep.Overdue)), oldest))
		for _, mc := range rep.CheckedByMon {
			fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.report_month", field(mc.Month), mc.Count))
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.report_next"))
		for _, d := range rep.DueNext {
			fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.report_due", d.DueAt.Local().Format("02.01.2006"), d.UserID, field(d.Name)))
		}
		if rep.Overdue > 0 {
			return fmt.Errorf("%s", m.cat.N("cli.sweep.overdue", int64(rep.Overdue)))
		}
		return nil
	}
	host, _ := os.Hostname()
	sw := storage.NewSweeper(db, "cli@"+host)
	if err := m.roleRequestConfig(&sw.RoleRequests); err != nil {
		return err
	}
	run, err := sw.RunSweep(ctx, name, time.Now())
	if run != nil && run.Skipped {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.skipped", name))
		return nil
	}
	if run != nil {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.ran", name, m.cat.N("cli.sweep.checked", int64(run.Checked)),
			m.cat.N("cli.sweep.changed", int64(run.Changed)), run.FinishedAt.Sub(run.StartedAt).Round(time.Millisecond)))
	}
	return err
}
