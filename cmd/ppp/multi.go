package main

// Several instances on one database (issue 19): the host key they share
// behind a load balancer, and a short sweep period for the tests that
// prove each sweep runs once per period however many instances run.

import (
	"time"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/tui/server"
)

// sharedHostKey applies PPP_HOST_KEY_FILE to cfg: the SSH host key every
// instance behind one balancer serves, read and never created. It runs
// before anything else of `ppp serve`, so that a refused key stops the
// server before it starts any work. It returns the refusals of
// server.LoadHostKeyFile (EINVALID "hostkey.…").
func (m *Main) sharedHostKey(cfg *server.Config) error {
	path := m.Env("PPP_HOST_KEY_FILE")
	if path == "" {
		return nil
	}
	signer, err := server.LoadHostKeyFile(path)
	if err != nil {
		return err
	}
	cfg.HostKey = signer
	return nil
}

// sweepPeriod applies PPP_SWEEP_PERIOD, a setting for tests and trials:
// every sweep is due this long after its last run (instead of its own
// interval, 5 minutes to a day), and the scheduler looks four times a
// period. A Go duration of at least a second; anything else is a usage
// error.
func (m *Main) sweepPeriod(sc *storage.Scheduler) error {
	s := m.Env("PPP_SWEEP_PERIOD")
	if s == "" {
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second {
		return usageError{m.cat.T("cli.serve.bad_sweep_period", s)}
	}
	sc.Every = d / 4
	sc.Intervals = map[string]time.Duration{}
	for _, name := range storage.SweepNames {
		sc.Intervals[name] = d
	}
	return nil
}
