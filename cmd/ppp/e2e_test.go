package main_test

// End-to-end tests of the back office (issue 2): the built binary, a real
// PostgreSQL database of each test's own, and real SSH clients. Operators
// are created with `ppp operator add`, exactly as an administrator would.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/crypto/ssh"
)

// An operator with two roles and Latvian letters in her name: the header
// must show both.
const (
	ilzeName     = "ilze.berzina"
	ilzeFullName = "Ilze Bērziņa"
	ilzeRoles    = "admin,reviewer"
)

// TestE2E_KeySignIn_DashboardResizeQuit signs in with a key through an
// x/crypto client with an 80×24 PTY, sees the dashboard, resizes to 100×30
// and sees the layout follow, and quits with q.
func TestE2E_KeySignIn_DashboardResizeQuit(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	op := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	srv := in.startServer()

	term := openTerminal(t, srv.mustDial(t, op.name, ssh.PublicKeys(op.signer)), "xterm-256color", 80, 24)
	first := term.waitFor("the dashboard's first frame", 0, func(s string) bool {
		return strings.Contains(s, op.header()) && strings.Contains(s, text(t, lv, "tui.tab.dashboard"))
	})
	for i, line := range screenLines(first) {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d of the first frame is %d cells wide on an 80-column terminal: %q", i, w, line)
		}
	}

	mark := term.mark()
	if err := term.sess.WindowChange(30, 100); err != nil {
		t.Fatalf("window change: %v", err)
	}
	term.waitFor("the header redrawn 100 cells wide after the resize", mark, func(s string) bool {
		for _, line := range screenLines(s) {
			if strings.Contains(line, op.header()) && ansi.StringWidth(line) == 100 {
				return true
			}
		}
		return false
	})

	term.press("q")
	if err := term.waitEnd("q"); err != nil {
		t.Fatalf("q should end the session with exit status 0; Wait returned %v\n%s", err, term.screen.dump(mark))
	}
}

// TestE2E_PasswordSignIn signs in with the password, through
// keyboard-interactive (OpenSSH's default) and through the "password"
// method when the server offers it.
func TestE2E_PasswordSignIn(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	op := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	srv := in.startServer()

	t.Run("keyboard-interactive", func(t *testing.T) {
		answers := &passwordAnswers{password: op.password}
		term := signIn(t, srv.mustDial(t, op.name, answers.method()), op)
		asked := answers.questions()
		if len(asked) == 0 {
			t.Fatal("signed in by keyboard-interactive without being asked for the password")
		}
		for _, q := range asked {
			if !strings.HasSuffix(q, "echo=false") {
				t.Errorf("the password question must not echo: %s", q)
			}
		}
		term.press("q")
		if err := term.waitEnd("q"); err != nil {
			t.Fatalf("q should end the session with exit status 0; Wait returned %v", err)
		}
	})

	t.Run("password method", func(t *testing.T) {
		client, err := srv.dial(op.name, ssh.Password(op.password))
		if err != nil {
			// x/crypto lists the methods it tried; "password" is among
			// them only when the server offered it.
			if !strings.Contains(err.Error(), "password") {
				t.Skipf("the server does not offer the password method: %v", err)
			}
			t.Fatalf("the password method is offered but refused the right password: %v", err)
		}
		t.Cleanup(func() { _ = client.Close() })
		term := signIn(t, client, op)
		term.press("q")
		if err := term.waitEnd("q"); err != nil {
			t.Fatalf("q should end the session with exit status 0; Wait returned %v", err)
		}
	})
}

// TestE2E_FirstFrame_WithoutKeyPressOrTerminalReplies connects with
// clients that never answer a terminal query and never press a key: the
// first frame must come all the same, for 256-colour, 16-colour and
// colourless terminals, with no more colour than each can show. The server
// runs with its output on pipes, as under a service manager, so the
// colours on the 256-colour terminal prove that styles come from the
// session's renderer.
func TestE2E_FirstFrame_WithoutKeyPressOrTerminalReplies(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	op := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	srv := in.startServer()

	// SGR sequences that set a colour, and those beyond 16 colours.
	anyColour := regexp.MustCompile(`\x1b\[(?:[0-9]+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9]+)*m`)
	manyColours := regexp.MustCompile(`\x1b\[(?:[0-9]+;)*[34]8;[25];`)

	for _, tc := range []struct {
		term         string
		wantColour   bool
		allowColour  bool
		allow256Plus bool
	}{
		{term: "xterm-256color", wantColour: true, allowColour: true, allow256Plus: true},
		{term: "xterm", allowColour: true},
		{term: "dumb"},
	} {
		t.Run(tc.term, func(t *testing.T) {
			term := openTerminal(t, srv.mustDial(t, op.name, ssh.PublicKeys(op.signer)), tc.term, 80, 24)
			term.waitText(op.header(), 0)
			raw := string(term.screen.rawSince(0))
			switch {
			case tc.wantColour && !anyColour.MatchString(raw):
				t.Errorf("TERM=%s: the frame has no colour at all; styles must come from the session's renderer\n%q", tc.term, raw)
			case !tc.allowColour && anyColour.MatchString(raw):
				t.Errorf("TERM=%s: colour sequence %q sent to a colourless terminal", tc.term, anyColour.FindString(raw))
			case !tc.allow256Plus && manyColours.MatchString(raw):
				t.Errorf("TERM=%s: 256-colour or true-colour sequence %q sent to a 16-colour terminal", tc.term, manyColours.FindString(raw))
			}
		})
	}
}

// TestE2E_FiveWrongPasswords_LockTheAccount: five wrong passwords, each on
// a fresh connection, lock the account; the right password is refused
// then, exactly as for a user that does not exist. The lock stops
// passwords only: the operator's key still signs in (issue 13: anyone can
// fail five passwords in someone else's name).
func TestE2E_FiveWrongPasswords_LockTheAccount(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	op := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	srv := in.startServer()

	for i := 1; i <= 5; i++ {
		if _, err := tryPassword(srv, op.name, fmt.Sprintf("Nepareiza-%d-parole", i)); err == nil {
			t.Fatalf("wrong password %d was accepted", i)
		}
	}

	list := in.mustRun(t, "", "operator", "list").stdout
	if line := listLine(list, op.name); !strings.Contains(line, text(t, en, "cli.operator.state.locked")) {
		t.Errorf("after five wrong passwords `ppp operator list` should show %s as locked:\n%s", op.name, list)
	}

	lockedAsked, lockedErr := tryPassword(srv, op.name, op.password)
	if lockedErr == nil {
		t.Fatal("the right password got in although the account is locked after five wrong ones")
	}
	unknownAsked, unknownErr := tryPassword(srv, "nav.tada", op.password)
	if unknownErr == nil {
		t.Fatal("an unknown user got in")
	}
	if lockedErr.Error() != unknownErr.Error() {
		t.Errorf("the refusal of a locked account differs from that of an unknown user:\nlocked:  %v\nunknown: %v", lockedErr, unknownErr)
	}
	if strings.Join(lockedAsked, "\n") != strings.Join(unknownAsked, "\n") {
		t.Errorf("a locked account is asked differently from an unknown user:\nlocked:  %q\nunknown: %q", lockedAsked, unknownAsked)
	}
	_, lockedPwErr := srv.dial(op.name, ssh.Password(op.password))
	_, unknownPwErr := srv.dial("nav.tada", ssh.Password(op.password))
	switch {
	case lockedPwErr == nil:
		t.Error("the right password got in through the password method although the account is locked")
	case unknownPwErr == nil:
		t.Error("an unknown user got in through the password method")
	case lockedPwErr.Error() != unknownPwErr.Error():
		t.Errorf("password method: the refusal of a locked account differs from that of an unknown user:\nlocked:  %v\nunknown: %v", lockedPwErr, unknownPwErr)
	}

	t.Run("key while locked", func(t *testing.T) {
		signIn(t, srv.mustDial(t, op.name, ssh.PublicKeys(op.signer)), op)
	})
}

// tryPassword signs in by keyboard-interactive on a fresh connection and
// returns the questions asked and the refusal, if any.
func tryPassword(srv *server, user, password string) ([]string, error) {
	a := &passwordAnswers{password: password}
	c, err := srv.dial(user, a.method())
	if err == nil {
		_ = c.Close()
	}
	return a.questions(), err
}

// assertNoSession checks that op cannot get a session with auth: either
// authentication fails, or the session ends without the dashboard.
func assertNoSession(t *testing.T, srv *server, op *operator, auth ...ssh.AuthMethod) {
	t.Helper()
	client, err := srv.dial(op.name, auth...)
	if err != nil {
		return
	}
	t.Cleanup(func() { _ = client.Close() })
	term, err := startTerminal(t, client, "xterm-256color", 80, 24)
	if err != nil {
		t.Logf("%s authenticated, but the session was refused: %v", op.name, err)
		return
	}
	t.Cleanup(func() { _ = term.sess.Close() })
	select {
	case <-term.done:
	case <-time.After(waitTimeout):
		t.Fatalf("%s authenticated and the session is still open %v later\n%s", op.name, waitTimeout, term.screen.dump(0))
	}
	if s := term.screen.textSince(0); strings.Contains(s, op.header()) {
		t.Fatalf("%s got the dashboard:\n%s", op.name, term.screen.dump(0))
	}
	if term.waitErr == nil {
		t.Errorf("a refused session should end with a non-zero exit status")
	}
}

// listLine returns the line of `ppp operator list` for name.
func listLine(list, name string) string {
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return line
		}
	}
	return ""
}

// TestE2E_DisableOperator_ClosesTheirSessionsWithinASecond: `ppp operator
// disable` ends every open session of the operator within a second of the
// command's exit, and no other operator's; the operator cannot sign in
// again.
func TestE2E_DisableOperator_ClosesTheirSessionsWithinASecond(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	ilze := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	anna := in.addOperator("anna.kalnina", "Anna Kalniņa", "helpdesk")
	srv := in.startServer()

	byKey := signIn(t, srv.mustDial(t, ilze.name, ssh.PublicKeys(ilze.signer)), ilze)
	byPassword := signIn(t, srv.mustDial(t, ilze.name, (&passwordAnswers{password: ilze.password}).method()), ilze)
	other := signIn(t, srv.mustDial(t, anna.name, ssh.PublicKeys(anna.signer)), anna)
	mark := byKey.mark()

	res := in.mustRun(t, "", "operator", "disable", ilze.name)
	for _, term := range []*terminal{byKey, byPassword} {
		select {
		case <-term.done:
		case <-time.After(waitTimeout):
			t.Fatalf("a session of the disabled operator is still open %v after `ppp operator disable`\n%s", waitTimeout, term.screen.dump(mark))
		}
		if took := term.endedAt.Sub(res.exited); took > time.Second {
			t.Errorf("the session ended %v after `ppp operator disable` exited; want within 1s", took.Round(time.Millisecond))
		} else {
			t.Logf("session closed %v after the command exited", took.Round(time.Millisecond))
		}
	}
	if s := byKey.screen.textSince(mark); !strings.Contains(s, text(t, lv, "tui.end.disabled")) {
		t.Errorf("the disabled operator was not told why the session ended (%q)\n%s", text(t, lv, "tui.end.disabled"), byKey.screen.dump(mark))
	}
	if other.ended() {
		t.Fatalf("disabling %s ended %s's session too\n%s", ilze.name, anna.name, other.screen.dump(0))
	}

	t.Run("cannot sign in again", func(t *testing.T) {
		assertNoSession(t, srv, ilze, ssh.PublicKeys(ilze.signer))
		if _, err := tryPassword(srv, ilze.name, ilze.password); err == nil {
			t.Error("the disabled operator signed in with the password")
		}
	})

	other.press("q")
	if err := other.waitEnd("q"); err != nil {
		t.Errorf("the other operator's session should still end cleanly with q; Wait: %v", err)
	}
}

// offeredKey offers a public key whose private half it does not hold: it
// signs with another key. This is the client side of CVE-2024-45337.
type offeredKey struct {
	pub    ssh.PublicKey
	signer ssh.Signer
}

func (k offeredKey) PublicKey() ssh.PublicKey { return k.pub }

func (k offeredKey) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	return k.signer.Sign(rand, data)
}

// TestE2E_OfferedKeyNotHeld_CannotSignIn: a client that offers a key
// registered to an operator but cannot sign with it does not get in as
// that operator, whatever it does next in the same connection.
func TestE2E_OfferedKeyNotHeld_CannotSignIn(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	ilze := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	janis := in.addOperator("janis.berzins", "Jānis Bērziņš", "reviewer")
	srv := in.startServer()
	_, otherKey := newKey(t)
	ilzePublicOnly := offeredKey{pub: ilze.signer.PublicKey(), signer: otherKey}

	t.Run("her key signed by another", func(t *testing.T) {
		if c, err := srv.dial(ilze.name, ssh.PublicKeys(ilzePublicOnly)); err == nil {
			_ = c.Close()
			t.Fatal("signed in as ilze with only the public half of her key")
		}
	})
	t.Run("her key, then a wrong password", func(t *testing.T) {
		a := &passwordAnswers{password: "Nepareiza-1-parole"}
		assertNoSession(t, srv, ilze, ssh.PublicKeys(ilzePublicOnly), a.method())
	})
	t.Run("her key, then an unregistered key", func(t *testing.T) {
		assertNoSession(t, srv, ilze, ssh.PublicKeys(ilzePublicOnly, otherKey))
	})
	// Another operator offers her key first and then signs in as
	// themselves: the session must be theirs, never hers.
	for _, tc := range []struct {
		name string
		auth []ssh.AuthMethod
	}{
		{"another operator offers her key, then their own key", []ssh.AuthMethod{ssh.PublicKeys(ilzePublicOnly, janis.signer)}},
		{"another operator offers her key, then their password", []ssh.AuthMethod{ssh.PublicKeys(ilzePublicOnly), (&passwordAnswers{password: janis.password}).method()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			term := openTerminal(t, srv.mustDial(t, janis.name, tc.auth...), "xterm-256color", 80, 24)
			s := term.waitText(janis.header(), 0)
			if strings.Contains(s, ilze.header()) {
				t.Fatalf("janis's session shows ilze's name:\n%s", term.screen.dump(0))
			}
			term.press("q")
			_ = term.waitEnd("q")
		})
	}
	t.Run("no credentials", func(t *testing.T) {
		if c, err := srv.dial(ilze.name); err == nil {
			_ = c.Close()
			t.Fatal("signed in with no credentials at all")
		}
	})
}

// TestE2E_SIGTERM_TellsOpenSessionsAndExits: on SIGTERM the open session
// is told that the server is stopping and ends, and the process exits
// within 30 seconds with status 0 (server.stop checks both).
func TestE2E_SIGTERM_TellsOpenSessionsAndExits(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	op := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	srv := in.startServer()
	term := signIn(t, srv.mustDial(t, op.name, ssh.PublicKeys(op.signer)), op)
	mark := term.mark()

	took := srv.stop()
	t.Logf("ppp serve exited %v after SIGTERM", took.Round(time.Millisecond))
	term.waitText(text(t, lv, "tui.end.shutdown"), mark)
	_ = term.waitEnd("SIGTERM")
	if !strings.Contains(srv.stdout.String(), text(t, en, "cli.serve.stopping")) {
		t.Errorf("ppp serve did not say it was stopping; stdout:\n%s", srv.stdout)
	}
}

// TestE2E_AuditVerify_IntactAfterSessions: after sign-ins by key and by
// password, a refused password, and operator changes from the command
// line, `ppp audit verify` exits 0; a refused password is audited.
func TestE2E_AuditVerify_IntactAfterSessions(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	ilze := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	janis := in.addOperator("janis.berzins", "Jānis Bērziņš", "reviewer")
	srv := in.startServer()

	start := auditEntries(t, in)

	term := signIn(t, srv.mustDial(t, ilze.name, ssh.PublicKeys(ilze.signer)), ilze)
	term.press("q")
	_ = term.waitEnd("q")
	term = signIn(t, srv.mustDial(t, janis.name, (&passwordAnswers{password: janis.password}).method()), janis)
	term.press("q")
	_ = term.waitEnd("q")

	before := auditEntries(t, in)
	if _, err := tryPassword(srv, janis.name, "Nepareiza-1-parole"); err == nil {
		t.Fatal("a wrong password was accepted")
	}
	if after := auditEntries(t, in); after <= before {
		t.Errorf("a refused password left no audit entry (%d entries before, %d after)", before, after)
	}

	_, _, pub := newKeyFiles(t, "janis2")
	in.mustRun(t, "", "operator", "key", "add", janis.name, pub)
	in.mustRun(t, "", "operator", "disable", janis.name, "--reason", "atvaļinājums")
	in.mustRun(t, "", "operator", "enable", janis.name)
	in.mustRun(t, janis.password+"-2\n", "operator", "passwd", janis.name)

	if end := auditEntries(t, in); end <= start {
		t.Errorf("sessions and operator changes left no audit entries (%d before, %d after)", start, end)
	}
}

// auditEntries runs `ppp audit verify`, requires exit 0, and returns how
// many entries it checked.
func auditEntries(t *testing.T, in *instance) int {
	t.Helper()
	res := in.run(t, "", "audit", "verify")
	if res.code != 0 {
		t.Fatalf("`ppp audit verify` should exit 0 on an intact log: %s", res)
	}
	// The count is written with its digits grouped ("1,234 entries"):
	// its digits are the only ones in the first line (a second one says
	// where a resumed verification started).
	out, _, _ := strings.Cut(strings.TrimSpace(res.stdout), "\n")
	n, err := strconv.Atoi(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, out))
	if err != nil || out != text(t, en, "cli.audit.intact", n) {
		t.Fatalf("cannot read the count from %q (%v)", res.stdout, err)
	}
	return n
}

// TestE2E_OperatorAdd_BadInput_OneLineReasonNothingStored: `ppp operator
// add` with a weak password, an unknown role, a malformed key or a taken
// name exits non-zero with a one-line reason naming the problem, and
// stores nothing.
func TestE2E_OperatorAdd_BadInput_OneLineReasonNothingStored(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	_, _, goodKey := newKeyFiles(t, "good")
	badKey := filepath.Join(t.TempDir(), "bad.pub")
	if err := os.WriteFile(badKey, []byte("ssh-ed25519 tas-nav-base64 ilze@darbs\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string // in the one-line reason
	}{
		{"weak password", "parole123\n", []string{"operator", "add", "vaja.parole", "--role", "reviewer", "--password-stdin"}, text(t, en, "password.weak")},
		{"password contains the name", "xmaris.ozolsX-9\n", []string{"operator", "add", "maris.ozols", "--role", "reviewer", "--password-stdin"}, text(t, en, "password.contains_username")},
		{"unknown role", "", []string{"operator", "add", "nezinama.loma", "--role", "reviewer,burvis", "--key", goodKey}, text(t, en, "role.unknown", "burvis")},
		{"malformed key", "", []string{"operator", "add", "slikta.atslega", "--role", "reviewer", "--key", badKey}, text(t, en, "operator.bad_key")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := in.run(t, tc.stdin, tc.args...)
			assertOneLineRefusal(t, res, tc.want)
			name := tc.args[2]
			if line := listLine(in.mustRun(t, "", "operator", "list").stdout, name); line != "" {
				t.Errorf("the refused operator was stored: %q", line)
			}
		})
	}

	t.Run("duplicate name", func(t *testing.T) {
		first, _, firstPub := newKeyFiles(t, "first")
		second, _, secondPub := newKeyFiles(t, "second")
		in.mustRun(t, "", "operator", "add", ilzeName, "--role", ilzeRoles, "--full-name", ilzeFullName, "--key", firstPub)
		res := in.run(t, "", "operator", "add", ilzeName, "--role", "helpdesk", "--full-name", "Cita Persona", "--key", secondPub)
		assertOneLineRefusal(t, res, text(t, en, "operator.name_taken"))

		list := in.mustRun(t, "", "operator", "list").stdout
		if n := strings.Count("\n"+list, "\n"+ilzeName+" "); n != 1 {
			t.Errorf("`operator list` shows %s %d times:\n%s", ilzeName, n, list)
		}
		if line := listLine(list, ilzeName); !strings.Contains(line, ilzeFullName) || strings.Contains(line, "Cita Persona") || strings.Contains(line, "helpdesk") {
			t.Errorf("the first operator was changed by the refused duplicate: %q", line)
		}
		keys := in.mustRun(t, "", "operator", "key", "list", ilzeName).stdout
		if !strings.Contains(keys, ssh.FingerprintSHA256(first.PublicKey())) {
			t.Errorf("the first operator's key is missing:\n%s", keys)
		}
		if strings.Contains(keys, ssh.FingerprintSHA256(second.PublicKey())) {
			t.Errorf("the refused duplicate's key was added to the existing operator:\n%s", keys)
		}
	})
}

// assertOneLineRefusal checks a refused command: non-zero exit, and stderr
// one line that contains want.
func assertOneLineRefusal(t *testing.T, res cliResult, want string) {
	t.Helper()
	msg := strings.TrimRight(res.stderr, "\n")
	switch {
	case res.code == 0:
		t.Errorf("want a non-zero exit: %s", res)
	case msg == "" || strings.Contains(msg, "\n"):
		t.Errorf("want a one-line reason on stderr: %s", res)
	case !strings.Contains(msg, want):
		t.Errorf("the reason does not say %q: %s", want, res)
	}
}

// TestE2E_OpenSSHInTmux_KeySignIn: OpenSSH inside tmux, as a person uses
// it: signs in with a key, sees the dashboard with their name, opens and
// closes the help overlay, follows a resize, and quits with q, after
// which ssh exits with status 0.
func TestE2E_OpenSSHInTmux_KeySignIn(t *testing.T) {
	t.Parallel()
	x := newTmux(t)
	in := newInstance(t)
	op := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	srv := in.startServer()

	const pane = "key"
	x.newSession(pane, sshCommand(srv.addr, op.name, "-i", op.keyFile, "-o", "IdentitiesOnly=yes"))
	x.waitPaneText(pane, op.header())

	helpTitle := text(t, lv, "tui.help.title", text(t, lv, "tui.tab.dashboard"))
	x.mustTmux("send-keys", "-t", pane, "-l", "?")
	x.waitPaneText(pane, helpTitle)
	// In the overlay q closes the overlay; ? toggles it too.
	x.mustTmux("send-keys", "-t", pane, "-l", "?")
	x.waitPane(pane, "the help overlay closed", func(p string) bool {
		return !strings.Contains(p, helpTitle) && strings.Contains(p, op.header())
	})

	x.mustTmux("resize-window", "-t", pane, "-x", "100", "-y", "30")
	x.waitPane(pane, "the header 100 cells wide", func(p string) bool {
		for _, line := range strings.Split(p, "\n") {
			if strings.Contains(line, op.header()) && ansi.StringWidth(line) == 100 {
				return true
			}
		}
		return false
	})

	x.mustTmux("send-keys", "-t", pane, "-l", "q")
	if status := x.waitExit(pane); status != "0" {
		t.Errorf("ssh exited with status %s after q; want 0\n%s", status, x.capture(pane))
	}
}

// TestE2E_OpenSSHInTmux_PasswordSignIn: OpenSSH inside tmux signs in with
// the password typed at the prompt; the password never shows.
func TestE2E_OpenSSHInTmux_PasswordSignIn(t *testing.T) {
	t.Parallel()
	x := newTmux(t)
	in := newInstance(t)
	op := in.addOperator(ilzeName, ilzeFullName, ilzeRoles)
	srv := in.startServer()

	const pane = "pw"
	x.newSession(pane, sshCommand(srv.addr, op.name,
		"-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=keyboard-interactive,password"))
	x.waitPane(pane, "a password prompt", func(p string) bool {
		return strings.Contains(strings.ToLower(p), "password")
	})
	x.mustTmux("send-keys", "-t", pane, "-l", op.password)
	x.mustTmux("send-keys", "-t", pane, "Enter")
	screen := x.waitPaneText(pane, op.header())
	if strings.Contains(screen, op.password) {
		t.Errorf("the password shows on the screen:\n%s", screen)
	}

	x.mustTmux("send-keys", "-t", pane, "-l", "q")
	if status := x.waitExit(pane); status != "0" {
		t.Errorf("ssh exited with status %s after q; want 0\n%s", status, x.capture(pane))
	}
}
