package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// A verb that acts as a back-office operator (--as NAME) proves it the way
// a sign-in does: it asks for NAME's password and has the AuthService
// check it, so the same lockout, failure counts and audit apply, with an
// address that says the attempt came from the command line. A second
// person's approval (four eyes) is never given here: it happens in the
// approver's own SSH session.

// operatorFlags are the flags of a verb that acts as an operator.
type operatorFlags struct {
	as            *string
	passwordStdin *bool
}

// addOperatorFlags adds --as and --password-stdin to fs.
func addOperatorFlags(fs *flag.FlagSet) operatorFlags {
	return operatorFlags{
		as:            fs.String("as", "", ""),
		passwordStdin: fs.Bool("password-stdin", false, ""),
	}
}

// given reports whether --as was given.
func (f operatorFlags) given() bool { return strings.TrimSpace(*f.as) != "" }

// cliSignInTimeout bounds the password check, as the SSH server bounds
// its own.
const cliSignInTimeout = 30 * time.Second

// actAsOperator returns ctx acting as the operator named by --as, once
// they have proved it with their password: read from standard input with
// --password-stdin, otherwise asked on the terminal without echo. The
// password is checked and counted through AuthService.AuthenticatePassword
// with the command line's address (cliRemoteAddr); a success is recorded
// as a sign-in of a session of its own, whose end is recorded when the
// verb ends. Without --as it returns a usage error "cli.as.needed";
// without a password EUNAUTHORIZED "cli.as.no_password"; for a wrong
// password or a locked, disabled or unknown operator EUNAUTHORIZED
// "cli.as.refused" (the same for all, as over SSH); EUNAVAILABLE when the
// database does not answer.
func (m *Main) actAsOperator(ctx context.Context, db *storage.DB, f operatorFlags) (context.Context, error) {
	name := strings.TrimSpace(*f.as)
	if name == "" {
		return nil, usageError{m.cat.T("cli.as.needed")}
	}
	password, err := m.operatorPassword(name, *f.passwordStdin)
	if err != nil {
		return nil, err
	}
	addr, session := cliRemoteAddr(), cliSessionID()
	ctx = domain.WithActor(ctx, domain.Actor{Name: "cli", SessionID: session, RemoteAddr: addr})
	auth := storage.NewAuthService(db)
	actx, cancel := context.WithTimeout(ctx, cliSignInTimeout)
	defer cancel()
	op, err := auth.AuthenticatePassword(actx, name, password, addr)
	if domain.ErrorCode(err) == domain.EUNAUTHORIZED {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "cli.as.refused", "operator %s was not accepted", name)
	}
	if err != nil {
		return nil, err
	}
	if err := auth.RecordSignIn(actx, op, domain.SignInPassword, session, addr); err != nil {
		return nil, err
	}
	m.onClose(func() error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cliSignInTimeout)
		defer cancel()
		return auth.RecordSignOut(ctx, op, session, addr, "cli")
	})
	return domain.WithActor(ctx, domain.Actor{OperatorID: op.ID, Name: op.Name, SessionID: session, RemoteAddr: addr}), nil
}

// operatorPassword reads the password of the operator named name: one
// line of standard input when fromStdin, otherwise from the terminal
// without echo. Standard input that is not a terminal is never read
// without --password-stdin, so a password cannot be slipped in
// unnoticed. EUNAUTHORIZED "cli.as.no_password" when there is no
// terminal or the password is empty.
func (m *Main) operatorPassword(name string, fromStdin bool) (string, error) {
	none := domain.Errorf(domain.EUNAUTHORIZED, "cli.as.no_password", "no password of operator %s", name)
	var password string
	if fromStdin {
		line, err := readLine(m.Stdin)
		if err != nil {
			return "", err
		}
		password = line
	} else {
		f, ok := m.Stdin.(*os.File)
		if !ok || !term.IsTerminal(f.Fd()) {
			return "", none
		}
		fmt.Fprint(m.Stderr, m.cat.T("cli.as.prompt", name))
		b, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		password = string(b)
	}
	if password == "" {
		return "", none
	}
	return password, nil
}

// cliRemoteAddr is the address a command-line sign-in is counted and
// recorded under: "cli/HOST/uid=N", one per operating-system user of each
// machine. It holds no ':' so that it is kept whole as the "host" whose
// failures are counted.
func cliRemoteAddr() string {
	host, _ := os.Hostname()
	host = strings.ReplaceAll(host, ":", "_")
	return "cli/" + host + "/uid=" + strconv.Itoa(os.Getuid())
}

// cliSessionID names one run of a verb acting as an operator, so that its
// sign-in, its actions and its sign-out go together in the audit log.
func cliSessionID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "cli-" + hex.EncodeToString(b)
}
