package sshload

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/crypto/ssh"
)

// Terminal size of every measured session, as an operator's default
// window.
const (
	termType = "xterm-256color"
	termCols = 80
	termRows = 24
)

// handshakeTimeout bounds a connection's TCP connect and SSH handshake.
const handshakeTimeout = 30 * time.Second

// account is who a session signs in as and what its first frame shows.
type account struct {
	user   string
	signer ssh.Signer
	marker string // text the first frame shows: the full name, or "hello"
}

// terminal is one SSH session with a PTY, kept cheap for a bench client
// that runs a hundred of them beside the server: no screen emulation, only
// the output since the oldest pending expectation is kept, and escape
// sequences are stripped from that alone.
type terminal struct {
	client *ssh.Client
	sess   *ssh.Session
	stdin  io.Writer

	mu      sync.Mutex
	buf     []byte // output from stream offset base on
	base    int
	total   int // bytes received so far
	pending []*expectation
	ended   bool
	done    chan struct{} // closed when the output ends
}

// expectation is text awaited in the output after a stream offset.
type expectation struct {
	want string
	from int       // stream offset it was registered at
	sent time.Time // when the action it awaits was taken
	got  time.Time // when want showed; zero until then
	seen chan struct{}
}

// delay is how long want took to show after sent, or false when it has
// not shown (yet).
func (e *expectation) delay() (time.Duration, bool) {
	select {
	case <-e.seen:
		return e.got.Sub(e.sent), true
	default:
		return 0, false
	}
}

// wait waits until want shows, the output ends or timeout passes.
func (e *expectation) wait(t *terminal, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-e.seen:
		return nil
	case <-t.done:
		select {
		case <-e.seen:
			return nil
		default:
		}
		return fmt.Errorf("the session ended before %q showed", e.want)
	case <-timer.C:
		return fmt.Errorf("%q did not show within %v", e.want, timeout)
	}
}

// dial connects to addr as a, checking the server's host key.
func dial(addr string, hostKey ssh.PublicKey, a account) (*ssh.Client, error) {
	conn, err := net.DialTimeout("tcp", addr, handshakeTimeout)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(handshakeTimeout))
	cc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User:            a.user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(a.signer)},
		HostKeyCallback: ssh.FixedHostKey(hostKey),
	})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("ssh handshake with %s: %w", addr, err)
	}
	_ = conn.SetDeadline(time.Time{})
	return ssh.NewClient(cc, chans, reqs), nil
}

// openTerminal connects as a, opens a PTY of cols×rows and the shell, and
// waits until a's marker shows: the first frame. It returns the terminal
// and the time from before the TCP connect to the marker.
func openTerminal(addr string, hostKey ssh.PublicKey, a account, cols, rows int, timeout time.Duration) (*terminal, time.Duration, error) {
	start := time.Now()
	client, err := dial(addr, hostKey, a)
	if err != nil {
		return nil, 0, err
	}
	t, err := startShell(client, cols, rows)
	if err != nil {
		_ = client.Close()
		return nil, 0, err
	}
	e := t.expect(a.marker, start)
	if err := t.startOutput(); err != nil {
		t.close()
		return nil, 0, err
	}
	if err := e.wait(t, timeout); err != nil {
		t.close()
		return nil, 0, fmt.Errorf("first frame: %w", err)
	}
	d, _ := e.delay()
	return t, d, nil
}

// startShell opens a session with a PTY on client; the shell starts in
// startOutput, after the first expectation is registered.
func startShell(client *ssh.Client, cols, rows int) (*terminal, error) {
	sess, err := client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	t := &terminal{client: client, sess: sess, done: make(chan struct{})}
	modes := ssh.TerminalModes{ssh.ECHO: 0, ssh.TTY_OP_ISPEED: 38400, ssh.TTY_OP_OSPEED: 38400}
	if err := sess.RequestPty(termType, rows, cols, modes); err != nil {
		_ = sess.Close()
		return nil, fmt.Errorf("request pty: %w", err)
	}
	if t.stdin, err = sess.StdinPipe(); err != nil {
		_ = sess.Close()
		return nil, fmt.Errorf("stdin: %w", err)
	}
	return t, nil
}

// startOutput starts the shell and the goroutine reading its output.
func (t *terminal) startOutput() error {
	out, err := t.sess.StdoutPipe()
	if err != nil {
		return fmt.Errorf("stdout: %w", err)
	}
	if err := t.sess.Shell(); err != nil {
		return fmt.Errorf("shell: %w", err)
	}
	go t.read(out)
	return nil
}

// read takes in the output until it ends.
func (t *terminal) read(out io.Reader) {
	defer close(t.done)
	p := make([]byte, 4096)
	for {
		n, err := out.Read(p)
		if n > 0 {
			t.received(p[:n], time.Now())
		}
		if err != nil {
			t.mu.Lock()
			t.ended = true
			t.mu.Unlock()
			return
		}
	}
}

// received appends p and settles every pending expectation it fulfils.
func (t *terminal) received(p []byte, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total += len(p)
	if len(t.pending) == 0 {
		t.buf, t.base = t.buf[:0], t.total
		return
	}
	t.buf = append(t.buf, p...)
	keep := t.pending[:0]
	var text string
	textFrom := -1
	for _, e := range t.pending {
		if e.from != textFrom {
			text = ansi.Strip(string(t.buf[e.from-t.base:]))
			textFrom = e.from
		}
		if strings.Contains(text, e.want) {
			e.got = now
			close(e.seen)
			continue
		}
		keep = append(keep, e)
	}
	t.pending = keep
	t.trim()
}

// trim drops output no pending expectation looks at.
func (t *terminal) trim() {
	from := t.total
	for _, e := range t.pending {
		from = min(from, e.from)
	}
	if cut := from - t.base; cut > 0 {
		t.buf = append(t.buf[:0], t.buf[cut:]...)
		t.base = from
	}
}

// expect registers want as awaited in the output from now on, for an
// action taken at sent.
func (t *terminal) expect(want string, sent time.Time) *expectation {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := &expectation{want: want, from: t.total, sent: sent, seen: make(chan struct{})}
	if len(t.pending) == 0 {
		t.buf, t.base = t.buf[:0], t.total
	}
	t.pending = append(t.pending, e)
	return e
}

// forget drops the expectations still pending, so that their output is
// no longer kept.
func (t *terminal) forget() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending = nil
	t.buf, t.base = t.buf[:0], t.total
}

// press writes keys.
func (t *terminal) press(keys string) error {
	if _, err := io.WriteString(t.stdin, keys); err != nil {
		return fmt.Errorf("press %q: %w", keys, err)
	}
	return nil
}

// pressAndWait presses keys and waits until want shows after them.
func (t *terminal) pressAndWait(keys, want string, timeout time.Duration) error {
	e := t.expect(want, time.Now())
	if err := t.press(keys); err != nil {
		return err
	}
	return e.wait(t, timeout)
}

// close ends the session and the connection.
func (t *terminal) close() {
	_ = t.sess.Close()
	_ = t.client.Close()
}

// closeAll closes every terminal and waits briefly for their output to
// end, so the server has seen them go before the next measurement.
func closeAll(ts []*terminal) {
	for _, t := range ts {
		if t != nil {
			t.close()
		}
	}
	deadline := time.After(10 * time.Second)
	for _, t := range ts {
		if t == nil {
			continue
		}
		select {
		case <-t.done:
		case <-deadline:
			return
		}
	}
}
