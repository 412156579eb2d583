package passhash

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Every Argon2id run of the process goes through one gate, so that no more
// than a few hashes hold their memory (64 MiB each with the current
// parameters) at once, however many sign-in attempts arrive: 24 parallel
// attempts used to take the server from 156 MB to 1.6 GB. An attempt that
// finds every slot taken waits in line holding nothing but its password;
// the *Context functions give up when their context ends, so a wait costs
// the one who waits time, not the server memory.

// MemoryPerHash is the memory one hash with the current parameters holds
// while it runs.
const MemoryPerHash = memoryKiB * 1024

// maxDefaultConcurrency bounds the default on big machines: more hashes at
// once would only hold more memory.
const maxDefaultConcurrency = 8

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
	Waiting int    // attempts waiting for a slot now
	Peak    int    // the most that ran at once since the last ResetPeak
	Done    uint64 // hashes finished since the process started
	GaveUp  uint64 // waits that ended with their context, without hashing
}

// gate is a counting semaphore that serves waiters in the order they
// came and whose limit can change while it is in use.
type gate struct {
	mu      sync.Mutex
	limit   int
	running int
	queue   []chan struct{} // waiters, oldest first; closed when let in
	peak    int
	done    uint64
	gaveUp  uint64
}

var hashing = &gate{limit: DefaultConcurrency(0, runtime.GOMAXPROCS(0))}

// acquire waits for a slot until ctx ends; it returns ErrBusy wrapping
// ctx's error then.
func (g *gate) acquire(ctx context.Context) error {
	g.mu.Lock()
	if g.running < g.limit && len(g.queue) == 0 {
		g.running++
		g.peak = max(g.peak, g.running)
		g.mu.Unlock()
		return nil
	}
	if err := ctx.Err(); err != nil {
		g.gaveUp++
		g.mu.Unlock()
		return fmt.Errorf("%w: %w", ErrBusy, err)
	}
	ready := make(chan struct{})
	g.queue = append(g.queue, ready)
	g.mu.Unlock()

	select {
	case <-ready:
		return nil
	case <-ctx.Done():
	}
	g.mu.Lock()
	for i, w := range g.queue {
		if w == ready {
			g.queue = append(g.queue[:i], g.queue[i+1:]...)
			g.gaveUp++
			g.mu.Unlock()
			return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
		}
	}
	// Let in at the moment the context ended: pass the slot on.
	g.gaveUp++
	g.mu.Unlock()
	g.release(false)
	return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
}

// release frees a slot, letting the oldest waiter in when the limit
// allows; hashed says whether a hash was done with it.
func (g *gate) release(hashed bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if hashed {
		g.done++
	}
	g.running--
	g.admit()
}

// admit lets waiters in while slots are free. g.mu is held.
func (g *gate) admit() {
	for g.running < g.limit && len(g.queue) > 0 {
		close(g.queue[0])
		g.queue = g.queue[1:]
		g.running++
		g.peak = max(g.peak, g.running)
	}
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

// ReadStats returns the limit, how many hashes run and wait now, the most
// that ran at once, and how many have finished or given up.
func ReadStats() Stats {
	g := hashing
	g.mu.Lock()
	defer g.mu.Unlock()
	return Stats{Limit: g.limit, Running: g.running, Waiting: len(g.queue), Peak: g.peak, Done: g.done, GaveUp: g.gaveUp}
}

// ResetPeak starts a new measure of Stats.Peak from the hashes running now.
func ResetPeak() {
	hashing.mu.Lock()
	hashing.peak = hashing.running
	hashing.mu.Unlock()
}
