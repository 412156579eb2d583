package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// runMisuse implements `ppp misuse thresholds` and `ppp misuse threshold
// KIND THRESHOLD WINDOW`: it prints the thresholds of the misuse signals
// about applicants and providers (policy data), or changes one, audited
// (issue 18).
func (m *Main) runMisuse(ctx context.Context, args []string) error {
	usage := func() error {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.misuse"))
		return errUsageShown
	}
	switch {
	case len(args) == 1 && args[0] == "thresholds":
	case len(args) == 4 && args[0] == "threshold":
	default:
		return usage()
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	svc := storage.NewMisuseService(db)
	ctx = cliContext(ctx)
	if args[0] == "threshold" {
		n, err1 := strconv.Atoi(args[2])
		window, err2 := time.ParseDuration(args[3])
		if err1 != nil || err2 != nil {
			return usage()
		}
		if _, err := svc.SetMisuseThreshold(ctx, domain.MisuseKind(args[1]), n, window); err != nil {
			return err
		}
	}
	all, err := svc.MisuseThresholds(ctx)
	if err != nil {
		return err
	}
	for _, t := range all {
		by := field(t.ChangedByName)
		if by == "" {
			by = "—"
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.misuse.threshold", string(t.Kind), t.Threshold, shortDuration(t.Window),
			t.ChangedAt.Local().Format("2006-01-02 15:04"), by))
	}
	return nil
}

// shortDuration writes d as time.ParseDuration reads it, without the
// zero minutes and seconds: "720h", "1h30m", "45m".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
