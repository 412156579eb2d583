package main_test

// The end-to-end harness: the built ppp binary, a database and a data
// folder of each test's own, the server started and stopped as a service
// manager would, operators created through the command line, and SSH
// clients (x/crypto with a PTY, OpenSSH inside tmux) that read the screen
// the way a person would.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/storage/pgtest"
)

// waitTimeout bounds every single wait for something to show or to end.
// It is generous: the tests run with -race, in parallel, on small machines.
const waitTimeout = 10 * time.Second

// serveTimeout bounds how long `ppp serve` may take to start listening and,
// as the issue requires, to exit after SIGTERM.
const serveTimeout = 30 * time.Second

// The catalogs the texts on screen and on the command line come from. The
// tests match catalog texts, not copies of them, so rewording a message
// does not break them. Operators are created in Latvian (the default);
// the command line runs with PPP_LANG=en.
var (
	lv = i18n.For(i18n.LV)
	en = i18n.For(i18n.EN)
)

// text returns the catalog's message for key, failing the test when the
// catalog does not have it (T would return "[key]", which no screen shows).
func text(tb testing.TB, c i18n.Catalog, key string, args ...any) string {
	tb.Helper()
	s := c.T(key, args...)
	if s == "["+key+"]" {
		tb.Fatalf("the %s catalog has no message %q", c.Lang, key)
	}
	return s
}

// ---------------------------------------------------------------------------
// The binary

var pppBuild struct {
	once sync.Once
	path string
	dir  string // removed by TestMain when the tests built the binary
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pppBuild.dir != "" {
		_ = os.RemoveAll(pppBuild.dir)
	}
	os.Exit(code)
}

// pppBinary returns the path of the ppp binary: PPP_BIN when set (make test
// sets it), otherwise one built from this package once per test process.
func pppBinary(tb testing.TB) string {
	tb.Helper()
	pppBuild.once.Do(func() {
		if p := os.Getenv("PPP_BIN"); p != "" {
			pppBuild.path, pppBuild.err = filepath.Abs(p)
			if pppBuild.err == nil {
				_, pppBuild.err = os.Stat(pppBuild.path)
			}
			return
		}
		dir, err := os.MkdirTemp("", "ppp-e2e-bin-")
		if err != nil {
			pppBuild.err = err
			return
		}
		pppBuild.dir = dir
		goTool, err := exec.LookPath("go")
		if err != nil {
			pppBuild.err = fmt.Errorf("no go tool on PATH to build ppp (or set PPP_BIN): %w", err)
			return
		}
		bin := filepath.Join(dir, "ppp")
		cmd := exec.Command(goTool, "build", "-o", bin, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			pppBuild.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		pppBuild.path = bin
	})
	if pppBuild.err != nil {
		tb.Fatalf("ppp binary: %v", pppBuild.err)
	}
	return pppBuild.path
}

// ---------------------------------------------------------------------------
// An instance: one database, one data folder, the command line on them

// instance is one back office: its own database and data folder, used by
// the command-line verbs and the server of one test.
type instance struct {
	tb      testing.TB
	bin     string
	dbURL   string
	dataDir string
}

// newInstance gives the test a back office of its own. It skips under
// -short: these tests need PostgreSQL and build the binary.
func newInstance(tb testing.TB) *instance {
	tb.Helper()
	if testing.Short() {
		tb.Skip("end-to-end: needs PostgreSQL and the built binary (not with -short)")
	}
	bin := pppBinary(tb)
	// The database first: cleanups run last-in first-out, so the server
	// (started later) is stopped before its database is dropped.
	return &instance{tb: tb, bin: bin, dbURL: pgtest.URL(tb), dataDir: tb.TempDir()}
}

// environ is the environment of every ppp process: the caller's, without
// any PPP_ setting that could point elsewhere, plus this instance's.
func (in *instance) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PPP_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"PPP_DATABASE_URL="+in.dbURL,
		"PPP_DATA_DIR="+in.dataDir,
		"PPP_LANG=en",
	)
}

// cliResult is how one run of the command line ended.
type cliResult struct {
	args   []string
	stdout string
	stderr string
	code   int
	exited time.Time // when the process had exited
}

// runPatience bounds one run of the binary: long enough for `ppp demo`
// on a 2-core machine running the whole suite under -race beside the
// faults suite (it once took over a minute there), short enough to end a
// hang.
const runPatience = 3 * time.Minute

func (r cliResult) String() string {
	return fmt.Sprintf("ppp %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// run runs `ppp args…` with stdin and returns how it ended; it fails tb
// only when the binary could not run or took over runPatience.
func (in *instance) run(tb testing.TB, stdin string, args ...string) cliResult {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runPatience)
	defer cancel()
	cmd := exec.CommandContext(ctx, in.bin, args...)
	cmd.Env = in.environ()
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{args: args, stdout: stdout.String(), stderr: stderr.String(), exited: time.Now()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		tb.Fatalf("ppp %s: still running after %v\n%s", strings.Join(args, " "), runPatience, res)
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
	case err != nil:
		tb.Fatalf("ppp %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// mustRun is run for commands that must succeed.
func (in *instance) mustRun(tb testing.TB, stdin string, args ...string) cliResult {
	tb.Helper()
	res := in.run(tb, stdin, args...)
	if res.code != 0 {
		tb.Fatalf("command failed: %s", res)
	}
	return res
}

// ---------------------------------------------------------------------------
// Operators and keys

// operator is an account created through the command line, with what its
// owner holds: the password and the private key.
type operator struct {
	name     string
	fullName string
	password string
	signer   ssh.Signer
	keyFile  string // private key, OpenSSH format, for ssh -i
	pubFile  string // public key, authorized_keys format
}

// addOperator creates an operator the way an administrator does: `ppp
// operator add NAME --role ROLES --full-name … --key FILE
// --password-stdin`, with a fresh ed25519 key and a password that meets
// the rule.
func (in *instance) addOperator(name, fullName, roles string) *operator {
	in.tb.Helper()
	op := &operator{name: name, fullName: fullName, password: strongPassword()}
	op.signer, op.keyFile, op.pubFile = newKeyFiles(in.tb, name)
	in.mustRun(in.tb, op.password+"\n",
		"operator", "add", name,
		"--role", roles,
		"--full-name", fullName,
		"--key", op.pubFile,
		"--password-stdin",
	)
	return op
}

// header is the text the dashboard's header shows for the operator: their
// full name and their user name.
func (op *operator) header() string { return op.fullName }

// strongPassword returns a password that meets ¶31 and contains no common
// one (¶31.2): lower- and upper-case letters, digits, a dash, and random
// hex. It holds no character a shell or tmux would treat specially. Since
// ¶31.2 looks inside the password (and reads 0 as o, 5 as s …), random hex
// could spell a common word by chance, so a draw the rule refuses is drawn
// again rather than left to fail a test once in a while.
func strongPassword() string {
	for {
		if p := "Kvbrz-" + randomHex(5) + "-Q7"; domain.CheckPassword(p, "") == nil {
			return p
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// newKey returns a fresh ed25519 key as a signer.
func newKey(tb testing.TB) (ed25519.PrivateKey, ssh.Signer) {
	tb.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		tb.Fatal(err)
	}
	return priv, signer
}

// newKeyFiles writes a fresh ed25519 key pair into the test's temporary
// folder: the private key in OpenSSH format (mode 0600, as ssh requires)
// and the public key in authorized_keys form.
func newKeyFiles(tb testing.TB, name string) (signer ssh.Signer, keyFile, pubFile string) {
	tb.Helper()
	priv, signer := newKey(tb)
	block, err := ssh.MarshalPrivateKey(priv, name+"@e2e")
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	keyFile = filepath.Join(dir, "id_ed25519_"+name)
	pubFile = keyFile + ".pub"
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(pubFile, ssh.MarshalAuthorizedKey(signer.PublicKey()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return signer, keyFile, pubFile
}

// ---------------------------------------------------------------------------
// The server process

// server is one `ppp serve --ssh-addr 127.0.0.1:0` process.
type server struct {
	tb      testing.TB
	cmd     *exec.Cmd
	addr    string
	hostKey ssh.PublicKey
	stdout  *notifyBuffer
	stderr  *notifyBuffer

	exited  chan struct{} // closed when the process has exited
	exitErr error         // how it exited; read after exited is closed

	stopOnce sync.Once
	stopTook time.Duration
}

// startServer starts the server, waits for its "SSH: ADDR" line and reads
// the host key it created in the data folder (or the PPP_HOST_KEY_FILE
// env gives it). The server is stopped with
// SIGTERM when the test ends, and must exit within 30 seconds. env adds
// settings ("NAME=value") to the instance's environment.
func (in *instance) startServer(env ...string) *server {
	in.tb.Helper()
	s := &server{
		tb:     in.tb,
		stdout: newNotifyBuffer(),
		stderr: newNotifyBuffer(),
		exited: make(chan struct{}),
	}
	s.cmd = exec.Command(in.bin, "serve", "--ssh-addr", "127.0.0.1:0")
	s.cmd.Env = append(in.environ(), env...)
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		in.tb.Fatalf("start ppp serve: %v", err)
	}
	go func() {
		s.exitErr = s.cmd.Wait()
		close(s.exited)
	}()
	in.tb.Cleanup(func() {
		s.stop()
		if in.tb.Failed() {
			in.tb.Logf("ppp serve stdout:\n%s\nppp serve stderr:\n%s", s.stdout, s.stderr)
		}
	})

	s.addr = s.waitListening()
	keyPath := filepath.Join(in.dataDir, "ssh_host_ed25519_key")
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PPP_HOST_KEY_FILE="); ok {
			keyPath = v
		}
	}
	b, err := os.ReadFile(keyPath)
	if err != nil {
		in.tb.Fatalf("host key: the server should keep it in PPP_DATA_DIR: %v", err)
	}
	key, err := ssh.ParsePrivateKey(b)
	if err != nil {
		in.tb.Fatalf("host key %s: %v", keyPath, err)
	}
	// Clients pin the host key, as a person's known_hosts would.
	s.hostKey = key.PublicKey()
	return s
}

// waitLine returns the %s of the catalog line key (one %s, in English)
// once the server prints it on stdout.
func (s *server) waitLine(key string) string {
	s.tb.Helper()
	const mark = "\x00"
	prefix, suffix, _ := strings.Cut(text(s.tb, en, key, mark), mark)
	deadline := time.NewTimer(serveTimeout)
	defer deadline.Stop()
	for {
		lines := strings.Split(s.stdout.String(), "\n")
		for _, line := range lines[:len(lines)-1] {
			rest, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), prefix)
			if v, ok2 := strings.CutSuffix(rest, suffix); ok && ok2 && v != "" {
				return v
			}
		}
		select {
		case <-s.stdout.notify:
		case <-s.exited:
			s.tb.Fatalf("ppp serve exited (%v) before printing %q\nstdout:\n%s\nstderr:\n%s", s.exitErr, prefix, s.stdout, s.stderr)
		case <-deadline.C:
			s.tb.Fatalf("ppp serve printed no %q line within %v\nstdout:\n%s\nstderr:\n%s", prefix, serveTimeout, s.stdout, s.stderr)
		}
	}
}

// waitListening returns the address of the "SSH: ADDR" line
// (cli.serve.listening) once the server prints it.
func (s *server) waitListening() string {
	s.tb.Helper()
	return s.waitLine("cli.serve.listening")
}

// stop sends SIGTERM once and waits for the process to exit; it reports
// an error when that takes over 30 seconds or the exit status is not 0. It
// returns how long the process took to exit.
func (s *server) stop() time.Duration {
	s.stopOnce.Do(func() {
		start := time.Now()
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
			s.stopTook = time.Since(start)
		case <-time.After(serveTimeout):
			s.tb.Errorf("ppp serve still running %v after SIGTERM; killing it", serveTimeout)
			_ = s.cmd.Process.Kill()
			<-s.exited
			s.stopTook = time.Since(start)
			return
		}
		if s.exitErr != nil {
			s.tb.Errorf("ppp serve exited with %v after SIGTERM (want status 0)\nstderr:\n%s", s.exitErr, s.stderr)
		}
	})
	return s.stopTook
}

// kill9 kills the server with SIGKILL, as a crash or the OOM killer
// would, and waits for it to be gone. The test's cleanup then has nothing
// to stop.
func (s *server) kill9() {
	s.tb.Helper()
	s.stopOnce.Do(func() {
		if err := s.cmd.Process.Kill(); err != nil {
			s.tb.Fatalf("kill -9 ppp serve: %v", err)
		}
		<-s.exited
	})
}

// dial connects to the server as user, trying auth in order.
func (s *server) dial(user string, auth ...ssh.AuthMethod) (*ssh.Client, error) {
	return dialSSH(s.addr, s.hostKey, user, auth...)
}

// mustDial is dial for connections that must succeed; the client is
// closed when tb ends.
func (s *server) mustDial(tb testing.TB, user string, auth ...ssh.AuthMethod) *ssh.Client {
	tb.Helper()
	c, err := s.dial(user, auth...)
	if err != nil {
		tb.Fatalf("ssh %s@%s: %v", user, s.addr, err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// dialSSH connects to addr, checking the host key against hostKey. The
// handshake, authentication included, must finish within two waits.
func dialSSH(addr string, hostKey ssh.PublicKey, user string, auth ...ssh.AuthMethod) (*ssh.Client, error) {
	conn, err := net.DialTimeout("tcp", addr, waitTimeout)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(2 * waitTimeout))
	cc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: ssh.FixedHostKey(hostKey),
	})
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return ssh.NewClient(cc, chans, reqs), nil
}

// passwordAnswers is a keyboard-interactive client that answers every
// question with password and notes what it was asked.
type passwordAnswers struct {
	password string
	mu       sync.Mutex
	asked    []string // "instruction|question|echo" of every question
}

func (p *passwordAnswers) method() ssh.AuthMethod {
	return ssh.KeyboardInteractive(func(name, instruction string, questions []string, echos []bool) ([]string, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		answers := make([]string, len(questions))
		for i, q := range questions {
			p.asked = append(p.asked, fmt.Sprintf("%s|%s|%s|echo=%v", name, instruction, q, echos[i]))
			answers[i] = p.password
		}
		return answers, nil
	})
}

func (p *passwordAnswers) questions() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.asked...)
}

// ---------------------------------------------------------------------------
// A terminal: an SSH session with a PTY and a rolling screen buffer

// terminal is a shell session with a PTY whose output is kept for
// matching. The client never answers a terminal query: it writes only the
// keys a test presses.
type terminal struct {
	tb     testing.TB
	name   string
	sess   *ssh.Session
	stdin  io.WriteCloser
	screen *notifyBuffer

	done    chan struct{} // closed when the session has ended
	waitErr error         // Session.Wait's result; read after done
	endedAt time.Time     // when Wait returned; read after done
}

// openTerminal opens a session on client with a PTY of the given type and
// size and starts the shell. The session is closed when the test ends.
func openTerminal(tb testing.TB, client *ssh.Client, termType string, cols, rows int) *terminal {
	tb.Helper()
	t, err := startTerminal(tb, client, termType, cols, rows)
	if err != nil {
		tb.Fatalf("%s: %v", client.User(), err)
	}
	tb.Cleanup(func() { _ = t.sess.Close() })
	return t
}

// startTerminal is openTerminal returning the error of a session the
// server would not open, and leaving the closing to the caller.
func startTerminal(tb testing.TB, client *ssh.Client, termType string, cols, rows int) (_ *terminal, err error) {
	sess, err := client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	defer func() {
		if err != nil {
			_ = sess.Close()
		}
	}()
	t := &terminal{tb: tb, name: client.User(), sess: sess, screen: newNotifyBuffer(), done: make(chan struct{})}
	modes := ssh.TerminalModes{ssh.ECHO: 0, ssh.TTY_OP_ISPEED: 38400, ssh.TTY_OP_OSPEED: 38400}
	if err := sess.RequestPty(termType, rows, cols, modes); err != nil {
		return nil, fmt.Errorf("request pty: %w", err)
	}
	if t.stdin, err = sess.StdinPipe(); err != nil {
		return nil, fmt.Errorf("stdin: %w", err)
	}
	// Both streams into one buffer, in the order they arrive: a message
	// on stderr belongs to the screen as much as the frames do.
	sess.Stdout, sess.Stderr = t.screen, t.screen
	if err := sess.Shell(); err != nil {
		return nil, fmt.Errorf("shell: %w", err)
	}
	go func() {
		err := sess.Wait()
		t.endedAt = time.Now()
		t.waitErr = err
		close(t.done)
	}()
	return t, nil
}

// mark returns the position of the screen buffer now, so that a later wait
// only looks at what arrives after it.
func (t *terminal) mark() int { return t.screen.mark() }

// waitFor waits until ok accepts the screen text (escape sequences
// stripped) received since the mark, and returns that text. It fails the
// test, showing the screen, when the session ends or waitTimeout passes
// first.
func (t *terminal) waitFor(what string, since int, ok func(screen string) bool) string {
	t.tb.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		if s := t.screen.textSince(since); ok(s) {
			return s
		}
		select {
		case <-t.screen.notify:
		case <-t.done:
			if s := t.screen.textSince(since); ok(s) {
				return s
			}
			t.tb.Fatalf("%s: the session ended (Wait: %v) before %s\n%s", t.name, t.waitErr, what, t.screen.dump(since))
		case <-deadline.C:
			t.tb.Fatalf("%s: waited %v for %s in vain\n%s", t.name, waitTimeout, what, t.screen.dump(since))
		}
	}
}

// waitText waits until want shows on the screen after since.
func (t *terminal) waitText(want string, since int) string {
	t.tb.Helper()
	return t.waitFor(fmt.Sprintf("%q on screen", want), since, func(s string) bool { return strings.Contains(s, want) })
}

// press types keys.
func (t *terminal) press(keys string) {
	t.tb.Helper()
	if _, err := io.WriteString(t.stdin, keys); err != nil {
		t.tb.Fatalf("%s: press %q: %v", t.name, keys, err)
	}
}

// waitEnd waits for the session to end and returns Session.Wait's result.
func (t *terminal) waitEnd(why string) error {
	t.tb.Helper()
	return t.waitEndWithin(why, waitTimeout)
}

// waitEndWithin is waitEnd with a patience of d.
func (t *terminal) waitEndWithin(why string, d time.Duration) error {
	t.tb.Helper()
	select {
	case <-t.done:
		return t.waitErr
	case <-time.After(d):
		t.tb.Fatalf("%s: the session did not end within %v after %s\n%s", t.name, d, why, t.screen.dump(0))
		return nil
	}
}

// ended reports whether the session is over.
func (t *terminal) ended() bool {
	select {
	case <-t.done:
		return true
	default:
		return false
	}
}

// signIn opens a terminal for the operator on client and waits for the
// dashboard's header with their name: the first full frame.
func signIn(tb testing.TB, client *ssh.Client, op *operator) *terminal {
	tb.Helper()
	t := openTerminal(tb, client, "xterm-256color", 80, 24)
	t.waitText(op.header(), 0)
	return t
}

// ---------------------------------------------------------------------------
// notifyBuffer

// screenKeep is how much output a buffer keeps: enough for many frames,
// bounded however long a session runs.
const screenKeep = 1 << 20

// notifyBuffer collects a stream and signals each write. It keeps the last
// screenKeep bytes or more; positions (marks) count from the stream's
// start.
type notifyBuffer struct {
	mu      sync.Mutex
	buf     []byte
	dropped int
	notify  chan struct{}
}

func newNotifyBuffer() *notifyBuffer { return &notifyBuffer{notify: make(chan struct{}, 1)} }

func (b *notifyBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 2*screenKeep {
		cut := len(b.buf) - screenKeep
		b.buf = append([]byte(nil), b.buf[cut:]...)
		b.dropped += cut
	}
	b.mu.Unlock()
	select {
	case b.notify <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (b *notifyBuffer) mark() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped + len(b.buf)
}

// rawSince returns the bytes received since mark (or as many as are kept).
func (b *notifyBuffer) rawSince(mark int) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	start := max(mark-b.dropped, 0)
	start = min(start, len(b.buf))
	return append([]byte(nil), b.buf[start:]...)
}

// textSince returns what was received since mark without escape sequences.
func (b *notifyBuffer) textSince(mark int) string { return ansi.Strip(string(b.rawSince(mark))) }

func (b *notifyBuffer) String() string { return string(b.rawSince(0)) }

// dump shows the screen since mark for a failure message: the text with
// escape sequences stripped, then the end of the raw stream quoted.
func (b *notifyBuffer) dump(mark int) string {
	raw := b.rawSince(mark)
	txt := ansi.Strip(string(raw))
	if len(txt) > 6000 {
		txt = "…" + txt[len(txt)-6000:]
	}
	tail := raw
	if len(tail) > 1500 {
		tail = tail[len(tail)-1500:]
	}
	return fmt.Sprintf("--- screen text (%d bytes raw) ---\n%s\n--- raw tail ---\n%q", len(raw), txt, tail)
}

// screenLines splits stripped screen text into lines without their
// carriage returns.
func screenLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	return lines
}

// ---------------------------------------------------------------------------
// OpenSSH inside tmux

// tmuxServer is a tmux server on a private socket, killed when the test
// ends. Its panes stay after their command exits, so a test can see that
// ssh ended and how.
type tmuxServer struct {
	tb     testing.TB
	socket string
	conf   string
	env    []string
}

// newTmux starts nothing yet; it skips the test when tmux or ssh is
// missing (make test installs both).
func newTmux(tb testing.TB) *tmuxServer {
	tb.Helper()
	for _, tool := range []string{"tmux", "ssh"} {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("%s is not installed, so the OpenSSH-in-tmux test cannot run (make test installs openssh-client and tmux)", tool)
		}
	}
	x := &tmuxServer{
		tb:     tb,
		socket: fmt.Sprintf("ppp-e2e-%d-%s", os.Getpid(), randomHex(4)),
		conf:   filepath.Join(tb.TempDir(), "tmux.conf"),
	}
	if err := os.WriteFile(x.conf, []byte("set -g remain-on-exit on\nset -g history-limit 2000\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	// No agent and no outer tmux: ssh uses only the key it is given.
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "TMUX", "TMUX_PANE", "SSH_AUTH_SOCK", "SSH_AGENT_PID":
			continue
		}
		x.env = append(x.env, kv)
	}
	tb.Cleanup(func() { _, _ = x.tmux("kill-server") })
	return x
}

func (x *tmuxServer) tmux(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", append([]string{"-L", x.socket, "-f", x.conf}, args...)...)
	cmd.Env = x.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (x *tmuxServer) mustTmux(args ...string) string {
	x.tb.Helper()
	out, err := x.tmux(args...)
	if err != nil {
		x.tb.Fatal(err)
	}
	return out
}

// newSession runs command in a detached 80×24 session; when it exits the
// pane shows its exit status (see waitExit).
func (x *tmuxServer) newSession(name, command string) {
	x.tb.Helper()
	x.mustTmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24",
		command+`; echo "`+exitMarker+`$?"`)
}

func (x *tmuxServer) capture(name string) string {
	x.tb.Helper()
	return x.mustTmux("capture-pane", "-p", "-t", name)
}

// waitPane polls the pane until ok accepts its text and returns it.
func (x *tmuxServer) waitPane(name, what string, ok func(pane string) bool) string {
	x.tb.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		pane := x.capture(name)
		if ok(pane) {
			return pane
		}
		if time.Now().After(deadline) {
			// The whole history with escape sequences, for what scrolled
			// away or is invisible.
			hist, _ := x.tmux("capture-pane", "-p", "-e", "-S", "-", "-t", name)
			x.tb.Fatalf("tmux %s: no %s within %v; the pane shows:\n%s\nits history, with escape sequences:\n%q", name, what, waitTimeout, pane, hist)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (x *tmuxServer) waitPaneText(name, want string) string {
	x.tb.Helper()
	return x.waitPane(name, fmt.Sprintf("%q", want), func(p string) bool { return strings.Contains(p, want) })
}

// exitMarker is printed by the pane's shell after ssh exits, with ssh's
// exit status. tmux's own #{pane_dead_status} cannot be relied on: the
// Debian build loses the status now and then while it updates utmp.
const exitMarker = "E2E-SSH-EXIT="

var exitStatus = regexp.MustCompile(exitMarker + `([0-9]+)`)

// waitExit waits for the pane's ssh to exit and returns its exit status.
// It reads the pane's history too: tmux's "Pane is dead" line at the
// bottom can scroll the status line off the screen.
func (x *tmuxServer) waitExit(name string) string {
	x.tb.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		all := x.mustTmux("capture-pane", "-p", "-S", "-", "-t", name)
		if m := exitStatus.FindStringSubmatch(all); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			x.tb.Fatalf("tmux %s: ssh still running %v later; the pane and its history:\n%s", name, waitTimeout, all)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sshCommand is the OpenSSH command line a person would type, with their
// own configuration and known hosts kept out of the way.
func sshCommand(addr, user string, opts ...string) string {
	host, port, _ := net.SplitHostPort(addr)
	args := []string{"ssh", "-F", "/dev/null", "-p", port,
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"}
	args = append(args, opts...)
	args = append(args, user+"@"+host)
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	return strings.Join(args, " ")
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
