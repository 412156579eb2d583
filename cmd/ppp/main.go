// Command ppp is the back office of the Skills Management Platform: the SSH
// server agency staff sign in to, and the verbs that set it up and look
// after it (operators, migrations, demo data, audit verification).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

func main() {
	useAgencyTimeZone()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if !errors.Is(err, errUsageShown) {
			fmt.Fprintln(m.Stderr, "ppp: "+oneLine(m.cat, err))
		}
		os.Exit(exitCode(err))
	}
}

// useAgencyTimeZone makes local time Latvia's when TZ is not set, so that
// the times operators type and read (planned downtime, dates) are the
// Agency's whatever the server's zone; the zone data is built in.
func useAgencyTimeZone() {
	if os.Getenv("TZ") != "" {
		return
	}
	if loc, err := time.LoadLocation("Europe/Riga"); err == nil {
		time.Local = loc
	}
}

// Main is the program: its configuration from the environment, its streams
// and the resources a verb opened (closed by Close). Tests drive it the way
// main does.
type Main struct {
	Env    func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	cat     i18n.Catalog
	closers []func() error
	// startedCluster: this verb started the private cluster, and stops
	// it when it ends.
	startedCluster bool
}

// NewMain returns a Main reading the process's environment and streams.
func NewMain() *Main {
	return &Main{
		Env:    os.Getenv,
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		cat:    i18n.For(i18n.ParseLang(os.Getenv("PPP_LANG"))),
	}
}

// errUsageShown tells main that the usage text has been printed already,
// after bad use; errHelpShown, after -h.
var (
	errUsageShown = errors.New("usage shown")
	errHelpShown  = errors.New("help shown")
)

// verb is one command-line verb.
type verb struct {
	name  string
	usage string // catalog key of its help text
	run   func(m *Main, ctx context.Context, args []string) error
}

func (m *Main) verbs() []verb {
	return []verb{
		{"serve", "cli.help.serve", (*Main).runServe},
		{"demo", "cli.help.demo", (*Main).runDemo},
		{"migrate", "cli.help.migrate", (*Main).runMigrate},
		{"db", "cli.help.db", (*Main).runDB},
		{"operator", "cli.help.operator", (*Main).runOperator},
		{"audit", "cli.help.audit", (*Main).runAudit},
		{"sweep", "cli.help.sweep", (*Main).runSweep},
		{"registers", "cli.help.registers", (*Main).runRegisters},
		{"imk", "cli.help.imk", (*Main).runIMK},
		{"mail", "cli.help.mail", (*Main).runMail},
		{"account", "cli.help.account", (*Main).runAccount},
		{"document", "cli.help.document", (*Main).runDocument},
		{"api", "cli.help.api", (*Main).runAPI},
		{"bench", "cli.help.bench", (*Main).runBench},
		{"reverify", "cli.help.reverify", (*Main).runReverify},
		{"person", "cli.help.person", (*Main).runPerson},
		{"retention", "cli.help.retention", (*Main).runRetention},
		{"report", "cli.help.report", (*Main).runReport},
		{"misuse", "cli.help.misuse", (*Main).runMisuse},
		{"version", "cli.help.version", (*Main).runVersion},
		{"help", "cli.help.help", (*Main).runHelp},
	}
}

// Run runs the verb named by args[0] with the rest of args. What the verb
// prints passes a plain filter (plainout.go).
func (m *Main) Run(ctx context.Context, args []string) error {
	m.plainStreams()
	if m.Env != nil {
		m.cat = i18n.For(i18n.ParseLang(m.Env("PPP_LANG")))
	}
	if len(args) == 0 {
		return m.runHelp(ctx, nil)
	}
	switch args[0] {
	case "-h", "--help", "-help":
		return m.runHelp(ctx, nil)
	}
	for _, v := range m.verbs() {
		if v.name == args[0] {
			if err := m.resolveSecretFiles(); err != nil {
				return err
			}
			if err := v.run(m, ctx, args[1:]); !errors.Is(err, errHelpShown) {
				return err
			}
			return nil
		}
	}
	fmt.Fprintln(m.Stderr, m.cat.T("cli.unknown_verb", args[0]))
	return usageError{}
}

// Close releases what the verb opened, the database last.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

func (m *Main) onClose(f func() error) { m.closers = append(m.closers, f) }

func (m *Main) runHelp(_ context.Context, args []string) error {
	if len(args) > 0 {
		for _, v := range m.verbs() {
			if v.name == args[0] {
				fmt.Fprintln(m.Stdout, m.cat.T(v.usage))
				return nil
			}
		}
		fmt.Fprintln(m.Stderr, m.cat.T("cli.unknown_verb", args[0]))
		return usageError{}
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.help"))
	return nil
}

// usageError is bad command-line use: exit code 2, like flag's.
type usageError struct{ msg string }

func (e usageError) Error() string {
	if e.msg == "" {
		return "usage"
	}
	return e.msg
}

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, errUsageShown) {
		return 2
	}
	return 1
}

// oneLine renders err for the command line in the user's language, on one
// line: a domain error through the catalog, anything else as it is.
func oneLine(cat i18n.Catalog, err error) string {
	var u usageError
	if errors.As(err, &u) && u.msg != "" {
		return u.msg
	}
	if e := domain.AsError(err); e != nil {
		return strings.ReplaceAll(cat.Err(e), "\n• ", " ")
	}
	return err.Error()
}
