// Package sshload measures the session figures of `ppp bench`: what an SSH
// session costs the back office's server process, each figure beside the
// same measurement, made by the same client code from outside, on a
// minimal wish + Bubble Tea "hello" server in the same run.
//
// Both servers run as child processes of the bench, so their memory and
// CPU time can be read from /proc, and the bench's own clients (a hundred
// SSH sessions) are kept cheap: no screen emulation, only the output since
// the oldest awaited text is kept and stripped of escape sequences.
package sshload

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/storage"
)

// DefaultSessions is the number of idle and typing sessions when
// Options.Sessions is zero.
const DefaultSessions = 100

// Options says what Run measures and where.
type Options struct {
	// Binary is the ppp binary: `Binary serve` is the back office under
	// measurement, `Binary bench --hello-server ADDR --host-key FILE` the
	// baseline (see ServeHello).
	Binary string
	// DatabaseURL is a migrated database with demo data (`ppp demo`); the
	// bench adds operators of its own to it.
	DatabaseURL string
	// Sessions is how many sessions sit idle, then type at once
	// (DefaultSessions when zero).
	Sessions int
	// Log receives progress lines; nil discards them.
	Log io.Writer
	// Quick takes fewer rounds and shorter windows, for a smoke test.
	Quick bool
	// HelloBinary, when set, runs the baseline instead of Binary, with the
	// same arguments; tests use their own test binary.
	HelloBinary string
}

// plan is how long and how often each measurement runs.
type plan struct {
	frames     int           // connections timed for the first frame
	cpuWindow  time.Duration // each CPU measurement
	settle     time.Duration // after the idle sessions opened
	typing     time.Duration // how long the sessions type
	liveRounds int           // claims watched
}

func planFor(quick bool) plan {
	if quick {
		return plan{frames: 5, cpuWindow: 3 * time.Second, settle: 2 * time.Second, typing: 3 * time.Second, liveRounds: 5}
	}
	return plan{frames: 25, cpuWindow: 10 * time.Second, settle: 5 * time.Second, typing: 15 * time.Second, liveRounds: 25}
}

// Run measures, one server after the other, the baseline and the back
// office, and returns the figures: connect to first frame, memory per idle
// session, CPU per 100 idle sessions, keypress to frame (p50, p99) while
// every session types, and the live update of a claim (p50, p99). It
// creates Sessions+1 operators in the database. It returns an error when
// a server does not start, a session cannot sign in or stops answering,
// or ctx ends.
func Run(ctx context.Context, opts Options) ([]benchfig.Figure, error) {
	if opts.Binary == "" || opts.DatabaseURL == "" {
		return nil, errors.New("sshload: Binary and DatabaseURL are required")
	}
	if opts.Sessions <= 0 {
		opts.Sessions = DefaultSessions
	}
	if opts.HelloBinary == "" {
		opts.HelloBinary = opts.Binary
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	p := planFor(opts.Quick)

	db, err := storage.Open(ctx, opts.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("sshload: %w", err)
	}
	defer db.Close()
	tag, err := runTag()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opts.Log, "sshload: creating %d operators\n", opts.Sessions+1)
	accounts, claimer, err := createOperators(ctx, db, tag, opts.Sessions)
	if err != nil {
		return nil, fmt.Errorf("sshload: %w", err)
	}

	hello, err := startHello(opts)
	if err != nil {
		return nil, fmt.Errorf("sshload: %w", err)
	}
	base, err := measure(ctx, opts.Log, p, hello)
	hello.stop()
	if err != nil {
		return nil, fmt.Errorf("sshload: baseline: %w", err)
	}

	ours, err := startPPP(opts, accounts)
	if err != nil {
		return nil, fmt.Errorf("sshload: %w", err)
	}
	res, err := measure(ctx, opts.Log, p, ours)
	if err == nil {
		fmt.Fprintf(opts.Log, "sshload: ppp: live update of a claim, %d rounds\n", p.liveRounds)
		res.live, res.listen, res.claimCalls, err = measureLive(ctx, db, opts.DatabaseURL, ours, accounts[0], claimer, tag, p.liveRounds)
	}
	ours.stop()
	if err != nil {
		return nil, fmt.Errorf("sshload: ppp: %w", err)
	}
	return figures(opts.Sessions, p, base, res), nil
}

// runTag is a short random tag that makes this run's operator names
// unique.
func runTag() (string, error) {
	b := make([]byte, 2)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("sshload: run tag: %w", err)
	}
	return hex.EncodeToString(b), nil
}
