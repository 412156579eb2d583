package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/user"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgcluster"
)

// dataDir is the data folder: PPP_DATA_DIR, or ./var.
func (m *Main) dataDir() string {
	if d := m.Env("PPP_DATA_DIR"); d != "" {
		return d
	}
	return "var"
}

// databaseURL returns the URL of the database in use: PPP_DATABASE_URL, or
// the private cluster in the data folder, started for the verb's duration
// when it is not running already.
func (m *Main) databaseURL(ctx context.Context) (string, error) {
	if u := m.Env("PPP_DATABASE_URL"); u != "" {
		return u, nil
	}
	c, err := pgcluster.Ensure(ctx, pgcluster.Config{DataDir: m.dataDir(), Ephemeral: m.Env("PPP_DB_EPHEMERAL") == "1"})
	if err != nil {
		return "", err
	}
	if c.Started() {
		m.onClose(func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			return c.Release(ctx)
		})
	}
	return c.URL(), nil
}

// openDB opens the database in use and brings its schema up to date.
func (m *Main) openDB(ctx context.Context) (*storage.DB, string, error) {
	url, err := m.databaseURL(ctx)
	if err != nil {
		return nil, "", err
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		return nil, "", err
	}
	m.onClose(func() error { db.Close(); return nil })
	if err := storage.Migrate(ctx, db); err != nil {
		return nil, "", err
	}
	return db, url, nil
}

// cliContext marks what a verb does as done from the command line by the
// operating-system user running it, for the audit log.
func cliContext(ctx context.Context) context.Context {
	name := "cli"
	if u, err := user.Current(); err == nil {
		name = "cli:" + u.Username
	}
	host, _ := os.Hostname()
	return domain.WithActor(ctx, domain.Actor{Name: name, RemoteAddr: host})
}

func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := m.flags("migrate")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, _, err := m.openDB(ctx); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.migrated"))
	return nil
}

// runDB implements `ppp db url|start|stop|restart`.
func (m *Main) runDB(ctx context.Context, args []string) error {
	fs := m.flags("db")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch fs.Arg(0) {
	case "url":
		url, err := m.databaseURL(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, url)
		if len(m.closers) > 0 {
			fmt.Fprintln(m.Stderr, m.cat.T("cli.db.url_stopped"))
		}
		return nil
	case "start":
		if m.Env("PPP_DATABASE_URL") != "" {
			return usageError{m.cat.T("cli.db.external")}
		}
		c, err := pgcluster.Ensure(ctx, pgcluster.Config{DataDir: m.dataDir(), Ephemeral: m.Env("PPP_DB_EPHEMERAL") == "1"})
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, c.URL())
		return nil
	case "stop":
		if m.Env("PPP_DATABASE_URL") != "" {
			return usageError{m.cat.T("cli.db.external")}
		}
		return pgcluster.Stop(ctx, pgcluster.Config{DataDir: m.dataDir()})
	case "restart":
		return m.restartDB(ctx, fs.Args()[1:])
	default:
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.db"))
		return errUsageShown
	}
}

// restartDB implements `ppp db restart [--mode fast|immediate]`: the
// private cluster is shut down (fast: sessions ended, checkpoint;
// immediate: every server process aborted, as in a crash) and started
// again, for trying out how the server copes with a lost database.
func (m *Main) restartDB(ctx context.Context, args []string) error {
	fs := m.flags("db")
	mode := fs.String("mode", pgcluster.ModeFast, "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if m.Env("PPP_DATABASE_URL") != "" {
		return usageError{m.cat.T("cli.db.external")}
	}
	if *mode != pgcluster.ModeFast && *mode != pgcluster.ModeImmediate || fs.NArg() > 0 {
		return usageError{m.cat.T("cli.db.bad_mode", *mode)}
	}
	err := pgcluster.Restart(ctx, pgcluster.Config{DataDir: m.dataDir()}, *mode)
	if errors.Is(err, pgcluster.ErrNotRunning) {
		return usageError{m.cat.T("cli.db.not_running")}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.db.restarted", *mode))
	return nil
}

// flags returns a flag set for verb whose -h prints the verb's help from
// the catalog.
func (m *Main) flags(verb string) *flag.FlagSet {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() { fmt.Fprintln(m.Stderr, m.cat.T("cli.help."+verb)) }
	return fs
}

// parseFlags parses args; -h becomes errHelpShown (exit 0) and a bad flag
// errUsageShown (exit 2), flag having printed the message and the help.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return errHelpShown
	default:
		return errUsageShown
	}
}
