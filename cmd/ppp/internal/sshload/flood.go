package sshload

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// The project's targets for the sign-in flood (issue 13).
const (
	floodPeakRSSMiB     = 512 // the server's peak resident memory
	floodFirstFrameRate = 3.0 // key sign-ins' first frame under the flood, × a quiet run's
)

// FloodOptions says how the sign-in flood is made.
type FloodOptions struct {
	// Binary is the ppp binary; `Binary serve` runs with its defaults.
	Binary string
	// DatabaseURL is a migrated database; the flood adds operators of its
	// own to it.
	DatabaseURL string
	// Connections flood at once (default 200), from Sources loopback
	// addresses (127.0.0.2 on; default 20), each trying wrong passwords
	// until the server gives up on it, then connecting again, for
	// Duration (default 30 s). Half of them try the attacked operator,
	// the others names that do not exist.
	Connections int
	Sources     int
	Duration    time.Duration
	// Operators sign in by key meanwhile, from 127.0.0.1, again and again
	// (default 10).
	Operators int
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// floodResult is what the flood measured.
type floodResult struct {
	sent, refused, conns   int64 // answers sent, connections closed before the handshake, connections made
	rows, failures, audits int64 // attempts recorded during the flood: all, failed; auth.failure entries
	locked                 bool
	peakKB, restKB         float64
	quiet, loaded          []time.Duration // key sign-ins' first frames
	keyErrors              int
}

// Flood runs the back office against a flood of wrong passwords while
// operators sign in by key, and returns its figures: the server's peak
// RSS, every attempt recorded (and the attacked account locked), and the
// key sign-ins' first frame beside a quiet run's. It returns an error when
// the server does not start or ctx ends.
func Flood(ctx context.Context, opts FloodOptions) ([]benchfig.Figure, error) {
	if opts.Binary == "" || opts.DatabaseURL == "" {
		return nil, errors.New("sshload: Binary and DatabaseURL are required")
	}
	if opts.Connections <= 0 {
		opts.Connections = 200
	}
	if opts.Sources <= 0 {
		opts.Sources = 20
	}
	if opts.Duration <= 0 {
		opts.Duration = 30 * time.Second
	}
	if opts.Operators <= 0 {
		opts.Operators = 10
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	db, err := storage.Open(ctx, opts.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("sshload: %w", err)
	}
	defer db.Close()
	tag, err := runTag()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opts.Log, "sshload: flood: creating %d operators and the attacked one\n", opts.Operators)
	accounts, _, err := createOperators(ctx, db, tag, opts.Operators)
	if err != nil {
		return nil, fmt.Errorf("sshload: %w", err)
	}
	target := fmt.Sprintf("bench-%s-target", tag)
	if err := storage.NewOperatorService(db).CreateOperator(domain.WithActor(ctx, benchActor),
		&domain.Operator{Name: target, FullName: "Target " + tag, Roles: []domain.Role{domain.RoleReviewer}},
		"Mērķis-"+tag+"-Vz9q"); err != nil {
		return nil, fmt.Errorf("sshload: create the attacked operator: %w", err)
	}

	tg, err := startPPP(Options{Binary: opts.Binary, DatabaseURL: opts.DatabaseURL}, accounts)
	if err != nil {
		return nil, fmt.Errorf("sshload: %w", err)
	}
	defer tg.stop()
	var r floodResult
	if r.quiet, err = quietFrames(ctx, tg, 2); err != nil {
		return nil, fmt.Errorf("sshload: flood: quiet run: %w", err)
	}
	if r.restKB, err = rssKB(tg.child.pid()); err != nil {
		return nil, err
	}

	fmt.Fprintf(opts.Log, "sshload: flood: %d connections from %d addresses for %v, %d operators signing in by key\n",
		opts.Connections, opts.Sources, opts.Duration, len(accounts))
	var since time.Time
	if err := db.Pool().QueryRow(ctx, `SELECT now()`).Scan(&since); err != nil {
		return nil, fmt.Errorf("sshload: %w", err)
	}
	end := time.Now().Add(opts.Duration)
	var sent, refused, conns atomic.Int64
	var wg sync.WaitGroup
	for i := range opts.Connections {
		source := fmt.Sprintf("127.0.0.%d", 2+i%opts.Sources)
		user := target
		if i%2 == 1 {
			user = fmt.Sprintf("nobody-%s-%d", tag, i)
		}
		wg.Go(func() { floodOne(tg, source, user, end, &sent, &refused, &conns) })
	}
	var mu sync.Mutex
	keyErrors := 0
	for _, a := range accounts {
		wg.Go(func() {
			for time.Now().Before(end) {
				t, d, err := openTerminal(tg.addr, tg.hostKey, a, termCols, termRows, signInTimeout)
				mu.Lock()
				if err != nil {
					keyErrors++
				} else {
					r.loaded = append(r.loaded, d)
				}
				mu.Unlock()
				if t != nil {
					closeAll([]*terminal{t})
				}
				time.Sleep(200 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	r.sent, r.refused, r.conns, r.keyErrors = sent.Load(), refused.Load(), conns.Load(), keyErrors
	if err := tg.child.alive(); err != nil {
		return nil, err
	}
	if r.peakKB, err = peakRSSKB(tg.child.pid()); err != nil {
		return nil, err
	}

	// Every answer was judged (and so recorded) before its reply, and
	// every flooding client has had its reply.
	err = db.Pool().QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE NOT success),
		       (SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditSignInFailure+`' AND at >= $1)
		     + (SELECT count(*) FROM audit_pending WHERE action = '`+domain.AuditSignInFailure+`' AND at >= $1),
		       (SELECT coalesce(bool_or(locked_until > now()), false) FROM operators WHERE name = $2)
		  FROM sign_in_attempts WHERE at >= $1 AND method = 'password'`,
		since, target).Scan(&r.rows, &r.failures, &r.audits, &r.locked)
	if err != nil {
		return nil, fmt.Errorf("sshload: flood: count the records: %w", err)
	}
	fmt.Fprintf(opts.Log, "sshload: flood: %d answers sent on %d connections (%d closed before the handshake); %d attempts recorded, %d auth.failure\n",
		r.sent, r.conns, r.refused, r.rows, r.audits)
	return floodFigures(opts, r), nil
}

// quietFrames signs every account in rounds times, one after the other,
// and returns the first frames.
func quietFrames(ctx context.Context, tg *target, rounds int) ([]time.Duration, error) {
	var out []time.Duration
	for i := 0; i <= rounds; i++ {
		for _, a := range tg.accounts {
			t, d, err := openTerminal(tg.addr, tg.hostKey, a, termCols, termRows, signInTimeout)
			if err != nil {
				return nil, err
			}
			closeAll([]*terminal{t})
			if i > 0 { // the first round warms up
				out = append(out, d)
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// floodOne is one attacker: from source, it connects as user and answers
// every password prompt wrong until the server hangs up (MaxAuthTries),
// then connects again, until end. It counts every answer it sends, every
// connection made and every one the server closed before the handshake.
func floodOne(tg *target, source, user string, end time.Time, sent, refused, conns *atomic.Int64) {
	guess := func(_, _ string, questions []string, _ []bool) ([]string, error) {
		if time.Now().After(end) {
			return nil, errFloodOver // the answer is not sent
		}
		out := make([]string, len(questions))
		for i := range out {
			b := make([]byte, 6)
			_, _ = rand.Read(b)
			out[i] = "Minējums-" + hex.EncodeToString(b)
		}
		sent.Add(int64(len(questions)))
		return out, nil
	}
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}, Timeout: handshakeTimeout}
	for time.Now().Before(end) {
		conn, err := d.Dial("tcp", tg.addr)
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		conns.Add(1)
		_ = conn.SetDeadline(time.Now().Add(2 * time.Minute))
		var greeted atomic.Bool
		_, _, _, err = ssh.NewClientConn(&greetWatch{Conn: conn, greeted: &greeted}, tg.addr, &ssh.ClientConfig{
			User:            user,
			Auth:            []ssh.AuthMethod{ssh.RetryableAuthMethod(ssh.KeyboardInteractive(guess), 100)},
			HostKeyCallback: ssh.FixedHostKey(tg.hostKey),
		})
		_ = conn.Close()
		if err == nil {
			continue // cannot happen: every answer is wrong
		}
		if !greeted.Load() {
			refused.Add(1)
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// errFloodOver ends an attacker's connection once the flood's time is up.
var errFloodOver = errors.New("the flood is over")

// greetWatch notes whether the server sent anything at all: a connection
// closed over a cap gets not even the version line.
type greetWatch struct {
	net.Conn
	greeted *atomic.Bool
}

func (g *greetWatch) Read(p []byte) (int, error) {
	n, err := g.Conn.Read(p)
	if n > 0 {
		g.greeted.Store(true)
	}
	return n, err
}

// peakRSSKB returns the process's peak resident set size in KB (VmHWM).
func peakRSSKB(pid int) (float64, error) {
	return procStatusKB(pid, "VmHWM:")
}

// floodFigures turns the flood's result into the bench's lines.
func floodFigures(opts FloodOptions, r floodResult) []benchfig.Figure {
	what := fmt.Sprintf("%d connections from %d addresses sending wrong passwords for %v (half for one operator, half for unknown names)",
		opts.Connections, opts.Sources, opts.Duration)
	mem := benchfig.Figure{
		Name:  "sign-in flood: server peak RSS",
		Value: r.peakKB / 1024, Baseline: r.restKB / 1024, BaseName: "the same server before the flood",
		Unit: "MiB", Target: fmt.Sprintf("≤ %d MiB", floodPeakRSSMiB), Met: r.peakKB/1024 <= floodPeakRSSMiB,
		Note: what + "; VmHWM of the server process",
	}
	rec := benchfig.Figure{
		Name:  "sign-in flood: attempts recorded",
		Value: float64(r.rows), Baseline: float64(r.sent), BaseName: "answers the clients sent",
		Unit: "attempts", HigherIsBetter: true,
		Target: "every one, each audited; attacked account locked",
		Met:    r.rows == r.sent && r.failures == r.sent && r.audits == r.sent && r.locked,
		Note: fmt.Sprintf("%d connections made, %d closed before the handshake by the caps; %d failures and %d auth.failure entries recorded; attacked account locked: %v",
			r.conns, r.refused, r.failures, r.audits, r.locked),
	}
	q, l := benchfig.Percentile(r.quiet, 50), benchfig.Percentile(r.loaded, 50)
	frame := benchfig.Figure{
		Name:  fmt.Sprintf("key sign-in first frame during the flood (median of %d)", len(r.loaded)),
		Value: benchfig.Ms(l), Baseline: benchfig.Ms(q), BaseName: fmt.Sprintf("quiet run, median of %d", len(r.quiet)),
		Unit: "ms", Target: fmt.Sprintf("≤ %g× quiet", floodFirstFrameRate),
		Note: fmt.Sprintf("%d operators signing in by key from another address, again and again; %d sign-ins failed; p90 %.1f ms (quiet %.1f ms)",
			opts.Operators, r.keyErrors, benchfig.Ms(benchfig.Percentile(r.loaded, 90)), benchfig.Ms(benchfig.Percentile(r.quiet, 90))),
	}
	if len(r.loaded) == 0 {
		frame.Value = math.NaN()
	}
	frame.Met = len(r.loaded) > 0 && r.keyErrors == 0 && frame.Ratio() <= floodFirstFrameRate
	return []benchfig.Figure{mem, rec, frame}
}
