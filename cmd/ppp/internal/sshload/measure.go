package sshload

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
)

// Bounds of the measurements.
const (
	signInTimeout = 30 * time.Second // one session's first frame
	echoTimeout   = 5 * time.Second  // a typed key's echo, before it counts as lost
	openers       = 8                // sessions signing in at once
	maxTyped      = 12               // letters typed before the field is cleared
	// A person types 5 to 8 keys a second: the gap between keys is drawn
	// from [minKeyGap, maxKeyGap).
	minKeyGap = 125 * time.Millisecond
	maxKeyGap = 200 * time.Millisecond
)

// results are one server's figures.
type results struct {
	firstFrame      time.Duration // median
	rssBefore       float64       // KB, before the idle sessions
	rssAfter        float64       // KB, with them, settled
	cpuNone         float64       // % of a core without sessions
	cpuIdle         float64       // % of a core with the idle sessions
	keys            []time.Duration
	keysLost        int
	live, listen    []time.Duration // the claim seen in a session / by LISTEN
	claimCalls      []time.Duration // the claim calls themselves, commit included
	sessions, typed int
	load            float64 // the machine's load average after the typing
}

// measure takes the first frames, then opens every session, reads memory
// and CPU with them idle, has them all type, and closes them.
func measure(ctx context.Context, log io.Writer, p plan, tg *target) (results, error) {
	var r results
	if err := waitQuiet(ctx, log, tg); err != nil {
		return r, err
	}
	fmt.Fprintf(log, "sshload: %s: connect to first frame, %d connections\n", tg.name, p.frames)
	frames := make([]time.Duration, 0, p.frames)
	for i := 0; i <= p.frames; i++ {
		t, d, err := openTerminal(tg.addr, tg.hostKey, tg.accounts[0], termCols, termRows, signInTimeout)
		if err != nil {
			return r, fmt.Errorf("first frame: %w", err)
		}
		closeAll([]*terminal{t})
		// The first connection warms what every later one finds warm
		// (database pool, prepared statements).
		if i > 0 {
			frames = append(frames, d)
		}
	}
	r.firstFrame = benchfig.Percentile(frames, 50)
	if err := ctx.Err(); err != nil {
		return r, err
	}

	pid := tg.child.pid()
	fmt.Fprintf(log, "sshload: %s: CPU and memory without sessions\n", tg.name)
	var err error
	if r.cpuNone, err = cpuShare(pid, p.cpuWindow); err != nil {
		return r, err
	}
	if r.rssBefore, err = rssKB(pid); err != nil {
		return r, err
	}

	n := len(tg.accounts)
	fmt.Fprintf(log, "sshload: %s: signing in %d sessions\n", tg.name, n)
	terms, err := openAll(tg)
	defer closeAll(terms)
	if err != nil {
		return r, err
	}
	r.sessions = n
	time.Sleep(p.settle)
	if err := tg.child.alive(); err != nil {
		return r, err
	}
	if r.rssAfter, err = rssKB(pid); err != nil {
		return r, err
	}
	fmt.Fprintf(log, "sshload: %s: CPU with %d idle sessions\n", tg.name, n)
	if r.cpuIdle, err = cpuShare(pid, p.cpuWindow); err != nil {
		return r, err
	}
	if err := ctx.Err(); err != nil {
		return r, err
	}

	fmt.Fprintf(log, "sshload: %s: %d sessions typing for %v\n", tg.name, n, p.typing)
	r.keys, r.keysLost, err = typeAll(tg, terms, p.typing)
	r.typed = len(r.keys) + r.keysLost
	r.load = loadAverage()
	if err != nil {
		return r, err
	}
	return r, tg.child.alive()
}

// openAll signs every account in, a few at a time, and waits for each
// one's first frame. On error it returns the sessions opened so far.
func openAll(tg *target) ([]*terminal, error) {
	terms := make([]*terminal, len(tg.accounts))
	errs := make([]error, len(tg.accounts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(openers, len(tg.accounts)) {
		wg.Go(func() {
			for i := range next {
				terms[i], _, errs[i] = openTerminal(tg.addr, tg.hostKey, tg.accounts[i], termCols, termRows, signInTimeout)
			}
		})
	}
	for i := range tg.accounts {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return terms, fmt.Errorf("session %d of %d: %w", i+1, len(terms), err)
		}
	}
	return terms, nil
}

// typeAll brings every session to its text field and has each type at a
// person's speed for d, all at once; a key is timed from its write to the
// first output that shows it. Keys are written on schedule whether or not
// the previous one has shown, as a person types, so a slow server cannot
// slow the load down and hide its own delay. The first letter after the
// field is cleared is not timed: the cleared frame may still be on its
// way. It returns the delays and how many keys never showed.
func typeAll(tg *target, terms []*terminal, d time.Duration) ([]time.Duration, int, error) {
	errs := make([]error, len(terms))
	var wg sync.WaitGroup
	for i, t := range terms {
		wg.Go(func() { errs[i] = tg.toTyping(t) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, 0, fmt.Errorf("session %d: %w", i+1, err)
		}
	}
	// Let the screens settle before the clock runs.
	time.Sleep(500 * time.Millisecond)

	end := time.Now().Add(d)
	timed := make([][]*expectation, len(terms))
	for i, t := range terms {
		wg.Go(func() { timed[i], errs[i] = typeInto(t, tg.echo, end) })
	}
	wg.Wait()
	var delays []time.Duration
	lost := 0
	for i, es := range timed {
		if errs[i] != nil {
			return nil, 0, fmt.Errorf("session %d: %w", i+1, errs[i])
		}
		for _, e := range es {
			if d, ok := e.delay(); ok {
				delays = append(delays, d)
			} else {
				lost++
			}
		}
	}
	if len(delays) == 0 {
		return nil, lost, fmt.Errorf("none of %d typed keys showed", lost)
	}
	return delays, lost, nil
}

// typeInto types random letters into t until end, clearing the field
// (ctrl+u) every maxTyped letters, and returns the timed keys once each
// has shown or echoTimeout has passed after the last.
func typeInto(t *terminal, echo func(string) string, end time.Time) ([]*expectation, error) {
	defer t.forget()
	gap := func() time.Duration { return minKeyGap + rand.N(maxKeyGap-minKeyGap) }
	next := time.Now().Add(rand.N(maxKeyGap)) // sessions start out of step
	var timed []*expectation
	value := ""
	for next.Before(end) {
		time.Sleep(time.Until(next))
		next = next.Add(gap())
		if len(value) == maxTyped {
			if err := t.press("\x15"); err != nil { // ctrl+u
				return nil, err
			}
			value = ""
			continue
		}
		letter := string(rune('a' + rand.N(26)))
		value += letter
		e := t.expect(echo(value), time.Now())
		if err := t.press(letter); err != nil {
			return nil, err
		}
		if len(value) > 1 {
			timed = append(timed, e)
		}
	}
	if len(timed) > 0 {
		_ = timed[len(timed)-1].wait(t, echoTimeout)
	}
	return timed, nil
}

// Quiet is when a server counts as at rest: below quietShare % of a core
// for quietWindows windows of a second in a row.
const (
	quietShare   = 3.0
	quietWindows = 3
	quietLimit   = 5 * time.Minute
)

// waitQuiet waits until the server has finished what it found to do when
// it started (the sweeps, checks and e-mails a server picks up on a
// database it has not seen), so that the figures measure sessions. It
// gives up waiting after quietLimit and says so.
func waitQuiet(ctx context.Context, log io.Writer, tg *target) error {
	deadline := time.Now().Add(quietLimit)
	quiet := 0
	for quiet < quietWindows {
		if time.Now().After(deadline) {
			fmt.Fprintf(log, "sshload: %s: still busy after %v; measuring anyway\n", tg.name, quietLimit)
			return nil
		}
		share, err := cpuShare(tg.child.pid(), time.Second)
		if err != nil {
			return err
		}
		if share < quietShare {
			quiet++
		} else {
			quiet = 0
			fmt.Fprintf(log, "sshload: %s: waiting for the server's background work (%.0f %% of a core)\n", tg.name, share)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}
