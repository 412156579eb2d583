package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// runOperator implements `ppp operator VERB …`, the administrator's
// command-line tools for back-office accounts.
func (m *Main) runOperator(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.operator"))
		if len(args) == 0 {
			return errUsageShown
		}
		return errHelpShown
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add":
		return m.operatorAdd(ctx, rest)
	case "list":
		return m.operatorList(ctx, rest)
	case "disable", "enable":
		return m.operatorSetDisabled(ctx, sub, rest)
	case "key":
		return m.operatorKey(ctx, rest)
	case "passwd":
		return m.operatorPasswd(ctx, rest)
	case "unlock":
		return m.operatorUnlock(ctx, rest)
	default:
		fmt.Fprintln(m.Stderr, m.cat.T("cli.unknown_verb", "operator "+sub))
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.operator"))
		return errUsageShown
	}
}

// operatorService opens the database and returns the operator service,
// acting as the command-line user.
func (m *Main) operatorService(ctx context.Context) (context.Context, *storage.OperatorService, error) {
	db, _, err := m.openDB(ctx)
	if err != nil {
		return nil, nil, err
	}
	return cliContext(ctx), storage.NewOperatorService(db), nil
}

func (m *Main) operatorAdd(ctx context.Context, args []string) error {
	fs := m.flags("operator")
	roles := fs.String("role", "", "")
	keyFile := fs.String("key", "", "")
	fullName := fs.String("full-name", "", "")
	email := fs.String("email", "", "")
	pwStdin := fs.Bool("password-stdin", false, "")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{m.cat.T("cli.operator.add_usage")}
	}
	parsed, err := domain.ParseRoles(*roles)
	if err != nil {
		return err
	}
	op := &domain.Operator{Name: pos[0], FullName: *fullName, Email: *email, Roles: parsed, Language: "lv"}
	if err := op.Validate(); err != nil {
		return err
	}
	var key string
	if *keyFile != "" {
		b, err := os.ReadFile(*keyFile)
		if err != nil {
			return usageError{m.cat.T("cli.operator.key_file", *keyFile, err)}
		}
		key = string(b)
	}
	var password string
	if *pwStdin {
		if password, err = readLine(m.Stdin); err != nil {
			return err
		}
	}
	// Validate the password and key before anything is stored, so that a
	// bad one leaves no half-made operator behind.
	if password != "" {
		if err := domain.PasswordError(domain.CheckPassword(password, op.Name)); err != nil {
			return err
		}
	}
	if key != "" {
		if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(key)); err != nil {
			return domain.Errorf(domain.EINVALID, "operator.bad_key", "malformed public key: %v", err)
		}
	}
	ctx, svc, err := m.operatorService(ctx)
	if err != nil {
		return err
	}
	if err := svc.CreateOperator(ctx, op, password); err != nil {
		return err
	}
	if key != "" {
		if _, err := svc.AddOperatorKey(ctx, op.Name, key); err != nil {
			return err
		}
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.operator.added", op.Name))
	return nil
}

func (m *Main) operatorList(ctx context.Context, args []string) error {
	fs := m.flags("operator")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, svc, err := m.operatorService(ctx)
	if err != nil {
		return err
	}
	ops, err := svc.ListOperators(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, m.cat.T("cli.operator.list_header"))
	for _, op := range ops {
		roles := make([]string, len(op.Roles))
		for i, r := range op.Roles {
			roles[i] = string(r)
		}
		state := m.cat.T("cli.operator.state.active")
		switch {
		case op.Disabled:
			state = m.cat.T("cli.operator.state.disabled")
		case !op.CanSignIn(time.Now()):
			state = m.cat.T("cli.operator.state.locked")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", field(op.Name), orDash(op.FullName), strings.Join(roles, ","), state)
	}
	return w.Flush()
}

func (m *Main) operatorSetDisabled(ctx context.Context, sub string, args []string) error {
	fs := m.flags("operator")
	reason := fs.String("reason", "", "")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{m.cat.T("cli.operator.name_usage", sub)}
	}
	ctx, svc, err := m.operatorService(ctx)
	if err != nil {
		return err
	}
	if err := svc.SetOperatorDisabled(ctx, pos[0], sub == "disable", *reason); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.operator."+sub+"d", pos[0]))
	return nil
}

func (m *Main) operatorKey(ctx context.Context, args []string) error {
	fs := m.flags("operator")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usageError{m.cat.T("cli.operator.key_usage")}
	}
	switch {
	case pos[0] == "add" && len(pos) == 3:
		b, err := os.ReadFile(pos[2])
		if err != nil {
			return usageError{m.cat.T("cli.operator.key_file", pos[2], err)}
		}
		ctx, svc, err := m.operatorService(ctx)
		if err != nil {
			return err
		}
		k, err := svc.AddOperatorKey(ctx, pos[1], string(b))
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.operator.key_added", k.Fingerprint, pos[1]))
	case pos[0] == "remove" && len(pos) == 3:
		ctx, svc, err := m.operatorService(ctx)
		if err != nil {
			return err
		}
		if err := svc.RemoveOperatorKey(ctx, pos[1], pos[2]); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.operator.key_removed", pos[2], pos[1]))
	case pos[0] == "list" && len(pos) == 2:
		ctx, svc, err := m.operatorService(ctx)
		if err != nil {
			return err
		}
		keys, err := svc.ListOperatorKeys(ctx, pos[1])
		if err != nil {
			return err
		}
		for _, k := range keys {
			fmt.Fprintf(m.Stdout, "%s  %s  %s\n", field(k.Fingerprint), field(k.Type), field(k.Comment))
		}
	default:
		return usageError{m.cat.T("cli.operator.key_usage")}
	}
	return nil
}

func (m *Main) operatorPasswd(ctx context.Context, args []string) error {
	fs := m.flags("operator")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{m.cat.T("cli.operator.name_usage", "passwd")}
	}
	password, err := m.readNewPassword()
	if err != nil {
		return err
	}
	if err := domain.PasswordError(domain.CheckPassword(password, pos[0])); err != nil {
		return err
	}
	ctx, svc, err := m.operatorService(ctx)
	if err != nil {
		return err
	}
	if err := svc.SetOperatorPassword(ctx, pos[0], password); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.operator.password_set", pos[0]))
	return nil
}

// operatorUnlock implements `ppp operator unlock NAME`: it lifts the lock
// failed passwords put on an account (someone else's guesses, typically),
// audited.
func (m *Main) operatorUnlock(ctx context.Context, args []string) error {
	fs := m.flags("operator")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{m.cat.T("cli.operator.name_usage", "unlock")}
	}
	ctx, svc, err := m.operatorService(ctx)
	if err != nil {
		return err
	}
	wasLocked, err := svc.UnlockOperator(ctx, pos[0])
	if err != nil {
		return err
	}
	if wasLocked {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.operator.unlocked", pos[0]))
	} else {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.operator.not_locked", pos[0]))
	}
	return nil
}

// readNewPassword reads a password from stdin: one line when it is not a
// terminal, otherwise asked twice without echo.
func (m *Main) readNewPassword() (string, error) {
	f, ok := m.Stdin.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return readLine(m.Stdin)
	}
	fmt.Fprint(m.Stderr, m.cat.T("cli.password.prompt"))
	first, err := term.ReadPassword(f.Fd())
	fmt.Fprintln(m.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(m.Stderr, m.cat.T("cli.password.again"))
	second, err := term.ReadPassword(f.Fd())
	fmt.Fprintln(m.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(first) != string(second) {
		return "", usageError{m.cat.T("cli.password.mismatch")}
	}
	return string(first), nil
}

// readLine reads one line, without its line ending.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// parseInterspersed parses flags that may stand before, between or after
// the positional arguments, as in `operator add NAME --role admin`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// orDash is s as a field of a verb's output (field), or "–" when nothing is
// left of it.
func orDash(s string) string {
	if s = field(s); s == "" {
		return "–"
	}
	return s
}
