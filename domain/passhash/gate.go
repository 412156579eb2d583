package passhash

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Every Argon2id run of the process goes through one gate, so that no more
// than a few hashes hold their memory (64 MiB each with the current
// parameters) at once, however many sign-in attempts arrive: 24 parallel
// attempts used to take the server from 156 MB to 1.6 GB. An attempt that
// finds every slot taken waits in line holding nothing but its password;
// the *Context functions give up when their context ends, so a wait costs
// the one who waits time, not the server memory.
//
// Memory is not all: a hash keeps two processors busy for a third of a
// second, and a flood that keeps the gate full starves every session of
// the processor (the first frame of a key sign-in took 4–6× as long).
// So a hash done under a context marked Suspect (the caller knows of
// recent failures from the address or for the name) waits behind every
// other waiter, runs one at a time, and leaves a pause after it: suspects
// hash at most DefaultDutyCycle of the time (SetDutyCycle). A person
// signing in without recent failures goes first and is never paused.

// MemoryPerHash is the memory one hash with the current parameters holds
// while it runs.
const MemoryPerHash = memoryKiB * 1024

// maxDefaultConcurrency bounds the default on big machines: more hashes at
// once would only hold more memory.
const maxDefaultConcurrency = 8

// DefaultDutyCycle is the share of the time suspect hashes may take.
const DefaultDutyCycle = 0.25

type suspectKey struct{}

// Suspect marks the hashes done under the returned context as suspect:
// the caller knows of recent failures from the same address or for the
// same name. They wait behind other waiters, run one at a time, and take
// at most the duty cycle's share of the time.
func Suspect(ctx context.Context) context.Context {
	return context.WithValue(ctx, suspectKey{}, true)
}

func isSuspect(ctx context.Context) bool {
	b, _ := ctx.Value(suspectKey{}).(bool)
	return b
}

// ErrBusy is returned, wrapped with the context's error, when a context
// ended before a hashing slot was free; no hashing was done.
var ErrBusy = errors.New("passhash: no hashing slot free in time")

// DefaultConcurrency returns how many hashes should run at once on a
// machine with procs usable processors and availableBytes of memory free
// for the process: half the processors (a hash runs two lanes in
// parallel), at most as many as fit in an eighth of the memory, between 1
// and 8. An availableBytes of 0 means unknown and does not limit.
func DefaultConcurrency(availableBytes uint64, procs int) int {
	n := min(max(procs/2, 1), maxDefaultConcurrency)
	if availableBytes > 0 {
		n = min(n, int(availableBytes/8/MemoryPerHash))
	}
	return max(n, 1)
}

// Stats describe the password hashing of the process.
type Stats struct {
	Limit   int    // hashes allowed at once
	Running int    // hashes running now
	Waiting int    // attempts waiting for a slot now, suspects included
	Peak    int    // the most that ran at once since the last ResetPeak
	Done    uint64 // hashes finished since the process started
	GaveUp  uint64 // waits that ended with their context, without hashing
	// SuspectDone counts the suspect hashes among Done; SuspectPeak is
	// the most suspect hashes that ran at once since ResetPeak.
	SuspectDone uint64
	SuspectPeak int
}

// gate is a counting semaphore whose limit can change while it is in use.
// It serves waiters in the order they came, every other waiter before any
// suspect, and lets one suspect run at a time, not before suspectAfter.
type gate struct {
	mu           sync.Mutex
	limit        int
	duty         float64 // share of the time suspects may hash
	running      int
	suspectOn    bool            // a suspect is hashing
	suspectAfter time.Time       // the pause after the last suspect hash ends then
	wake         *time.Timer     // admits suspects when the pause ends
	queue        []chan struct{} // waiters, oldest first; closed when let in
	suspects     []chan struct{}
	peak         int
	suspectPeak  int
	done         uint64
	suspectDone  uint64
	gaveUp       uint64
	typical      time.Duration // moving average of a hash's duration
}

var hashing = &gate{limit: DefaultConcurrency(0, runtime.GOMAXPROCS(0)), duty: DefaultDutyCycle}

// acquire waits for a slot until ctx ends; it returns ErrBusy wrapping
// ctx's error then.
func (g *gate) acquire(ctx context.Context, suspect bool) error {
	ready := make(chan struct{})
	g.mu.Lock()
	if suspect {
		g.suspects = append(g.suspects, ready)
	} else {
		g.queue = append(g.queue, ready)
	}
	g.admit()
	g.mu.Unlock()

	select {
	case <-ready:
		return nil
	default:
	}
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
	}
	g.mu.Lock()
	for _, q := range []*[]chan struct{}{&g.queue, &g.suspects} {
		for i, w := range *q {
			if w == ready {
				*q = append((*q)[:i], (*q)[i+1:]...)
				g.gaveUp++
				g.mu.Unlock()
				return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
			}
		}
	}
	// Let in at the moment the context ended: pass the slot on.
	g.gaveUp++
	g.mu.Unlock()
	g.release(suspect, 0, false)
	return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
}

// release frees a slot after a hash (hashed) that took d, or after none,
// and lets waiters in as the limit and the suspects' pause allow.
func (g *gate) release(suspect bool, d time.Duration, hashed bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.running--
	if hashed {
		g.done++
		if g.typical == 0 {
			g.typical = d
		} else {
			g.typical += (d - g.typical) / 8
		}
	}
	if suspect {
		g.suspectOn = false
		if hashed {
			g.suspectDone++
			if g.duty < 1 {
				g.suspectAfter = time.Now().Add(time.Duration(float64(d) * (1 - g.duty) / g.duty))
			}
		}
	}
	g.admit()
}

// admit lets waiters in while slots are free: every other waiter first,
// then one suspect once the pause after the last has passed. g.mu is held.
func (g *gate) admit() {
	for g.running < g.limit && len(g.queue) > 0 {
		close(g.queue[0])
		g.queue = g.queue[1:]
		g.running++
		g.peak = max(g.peak, g.running)
	}
	if g.running >= g.limit || g.suspectOn || len(g.suspects) == 0 {
		return
	}
	if wait := time.Until(g.suspectAfter); wait > 0 {
		if g.wake == nil {
			g.wake = time.AfterFunc(wait, func() {
				g.mu.Lock()
				defer g.mu.Unlock()
				g.wake = nil
				g.admit()
			})
		}
		return
	}
	close(g.suspects[0])
	g.suspects = g.suspects[1:]
	g.running++
	g.suspectOn = true
	g.peak = max(g.peak, g.running)
	g.suspectPeak = max(g.suspectPeak, 1)
}

// SetConcurrency sets how many hashes may run at once in the process (at
// least 1) and returns the previous limit. Hashes already running go on;
// raising the limit lets waiters in at once. Call it at start-up: `ppp
// serve` sets it from PPP_HASH_CONCURRENCY or DefaultConcurrency.
func SetConcurrency(n int) int {
	hashing.mu.Lock()
	defer hashing.mu.Unlock()
	prev := hashing.limit
	hashing.limit = max(n, 1)
	hashing.admit()
	return prev
}

// SetDutyCycle sets the share of the time (0.01 to 1) suspect hashes may
// take and returns the previous share: after a suspect hash that took d,
// the next suspect waits d×(1−share)/share. 1 means no pause.
func SetDutyCycle(share float64) float64 {
	hashing.mu.Lock()
	defer hashing.mu.Unlock()
	prev := hashing.duty
	hashing.duty = min(max(share, 0.01), 1)
	hashing.suspectAfter = time.Time{}
	return prev
}

// ReadStats returns the limit, how many hashes run and wait now, the most
// that ran at once, and how many have finished or given up.
func ReadStats() Stats {
	g := hashing
	g.mu.Lock()
	defer g.mu.Unlock()
	return Stats{Limit: g.limit, Running: g.running, Waiting: len(g.queue) + len(g.suspects), Peak: g.peak,
		Done: g.done, GaveUp: g.gaveUp, SuspectDone: g.suspectDone, SuspectPeak: g.suspectPeak}
}

// defaultTypical is TypicalDuration before the process has hashed
// anything: about what one Argon2id hash at the current parameters takes
// on a server core.
const defaultTypical = 80 * time.Millisecond

// TypicalDuration returns how long one hash has taken lately (a moving
// average). A sign-in refused without hashing (a locked account, a blocked
// address) waits this long before it is answered, so that the time of the
// answer does not tell it from a refusal that hashed; waiting costs the
// server a timer, not memory or CPU.
func TypicalDuration() time.Duration {
	hashing.mu.Lock()
	defer hashing.mu.Unlock()
	if hashing.typical == 0 {
		return defaultTypical
	}
	return hashing.typical
}

// ResetPeak starts a new measure of Stats.Peak and SuspectPeak from the
// hashes running now.
func ResetPeak() {
	hashing.mu.Lock()
	hashing.peak = hashing.running
	hashing.suspectPeak = 0
	if hashing.suspectOn {
		hashing.suspectPeak = 1
	}
	hashing.mu.Unlock()
}
