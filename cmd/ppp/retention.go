package main

import (
	"context"
	"fmt"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// runRetention implements `ppp retention` (the rules) and `ppp retention
// set KIND PERIOD ACTION` (changes one, audited): the retention rules of
// issue 18, applied by `ppp sweep retention`.
func (m *Main) runRetention(ctx context.Context, args []string) error {
	if !(len(args) == 0 || (len(args) == 4 && args[0] == "set")) {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.retention"))
		return errUsageShown
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	svc := storage.NewRetentionService(db)
	ctx = cliContext(ctx)
	if len(args) == 4 {
		period, err := domain.ParseRetentionPeriod(args[2])
		if err != nil {
			return err
		}
		r, err := svc.SetRetentionRule(ctx, domain.RetentionRule{Kind: domain.RetentionKind(args[1]), Period: period, Action: domain.RetentionAction(args[3])})
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.retention.set", string(r.Kind), r.Period.String(), m.cat.T("cli.retention.action."+string(r.Action))))
		return nil
	}
	rules, err := svc.RetentionRules(ctx)
	if err != nil {
		return err
	}
	for _, r := range rules {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.retention.rule", string(r.Kind), r.Period.String(),
			m.cat.T("cli.retention.action."+string(r.Action)), r.UpdatedAt.Local().Format("02.01.2006"), field(r.UpdatedBy)))
	}
	return nil
}

// printRetentionPlan implements `ppp sweep retention --dry-run`: what the
// sweep would delete or minimise now, counts per kind, nothing changed.
func (m *Main) printRetentionPlan(ctx context.Context, db *storage.DB) error {
	plan, err := storage.NewRetentionService(db).RetentionPlan(ctx, time.Now())
	if err != nil {
		return err
	}
	for _, c := range plan {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.retention.plan", string(c.Kind), m.cat.T("cli.retention.action."+string(c.Action)),
			c.Count, c.Before.Local().Format("02.01.2006")))
	}
	return nil
}
