package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// runSweep implements `ppp sweep NAME [--report]`: it runs one sweep once
// and prints its counts, or with --report prints the death check's
// compliance report and fails when anyone is overdue.
func (m *Main) runSweep(ctx context.Context, args []string) error {
	fs := m.flags("sweep")
	report := fs.Bool("report", false, "")
	dryRun := fs.Bool("dry-run", false, "")
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
	if name == "" || (*report && name != storage.SweepDeathCheck) || (*dryRun && name != storage.SweepRetention) {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.sweep"))
		return errUsageShown
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	ctx = cliContext(ctx)
	if *dryRun {
		return m.printRetentionPlan(ctx, db)
	}
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
			fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.report_due", d.DueAt.Local().Format("02.01.2006"), d.PersonID, field(d.Name)))
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.report_outcomes", rep.NotFound, rep.Stale, rep.NoCode))
		for _, l := range []struct {
			head string
			list []domain.DueCheck
		}{
			{"cli.sweep.report_overdue", rep.OverdueList},
			{"cli.sweep.report_not_found", rep.NotFoundList},
			{"cli.sweep.report_stale", rep.StaleList},
			{"cli.sweep.report_no_code", rep.NoCodeList},
		} {
			if len(l.list) == 0 {
				continue
			}
			fmt.Fprintln(m.Stdout, m.cat.T(l.head))
			for _, d := range l.list {
				fmt.Fprintln(m.Stdout, m.cat.T("cli.sweep.report_person", d.DueAt.Local().Format("02.01.2006"), d.PersonID, d.UserID, field(d.Name)))
			}
		}
		// ¶32.8: overdue, not found and stale fail the report; users
		// without a personal code are listed but cannot be helped by any
		// run of the check (domain.DeathCheckReport.Failing).
		if rep.Overdue > 0 {
			return fmt.Errorf("%s", m.cat.N("cli.sweep.overdue", int64(rep.Overdue)))
		}
		if rep.Failing() {
			return fmt.Errorf("%s", m.cat.T("cli.sweep.failing"))
		}
		return nil
	}
	host, _ := os.Hostname()
	sw := storage.NewSweeper(db, "cli@"+host)
	if err := m.roleRequestConfig(&sw.RoleRequests); err != nil {
		return err
	}
	if sw.MaxDataAge, err = m.deathCheckMaxDataAge(); err != nil {
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

// deathCheckMaxDataAge is PPP_DEATH_CHECK_MAX_DATA_AGE (a Go duration or
// whole days, "31d"), or 31 days: how old the Population Register's data
// may be for a ¶32.8 check to count.
func (m *Main) deathCheckMaxDataAge() (time.Duration, error) {
	d, err := domain.ParseDeathCheckMaxDataAge(m.Env("PPP_DEATH_CHECK_MAX_DATA_AGE"))
	if err != nil {
		return 0, usageError{m.cat.T("config.bad_max_data_age")}
	}
	return d, nil
}
