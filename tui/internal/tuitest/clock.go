package tuitest

import (
	"slices"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Clock is a session's time in a screen test. Given to app.Options as Now
// (its Now method) and Timers, it stands still until the test moves it:
// the timers the screens arm through common.Common.Tick answer nothing
// when their command runs (so a drain never waits for them) and fire when
// the test advances the clock past them (Advance). A test of a debounce,
// a renewal or the inactivity check takes no wall-clock time.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*timer
}

// timer is a timer armed on a Clock: fn's message is due at at; seq keeps
// timers due at one time in the order they were armed.
type timer struct {
	at  time.Time
	seq int
	fn  func(time.Time) tea.Msg
}

// NewClock returns a clock standing at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Tick implements common.Timers: the command arms a timer due d after the
// clock's time when the command runs, and answers nothing.
func (c *Clock) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.seq++
		c.timers = append(c.timers, &timer{at: c.now.Add(d), seq: c.seq, fn: fn})
		return nil
	}
}

// Armed returns the delays, from the clock's time, of the timers armed
// and not fired yet, soonest first.
func (c *Clock) Armed() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]time.Duration, 0, len(c.timers))
	for _, t := range c.timers {
		out = append(out, t.at.Sub(c.now))
	}
	slices.Sort(out)
	return out
}

// next removes the first timer due at or before end and moves the clock
// to its time; ok is false when none is due.
func (c *Clock) next(end time.Time) (at time.Time, fn func(time.Time) tea.Msg, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	first := -1
	for i, t := range c.timers {
		if t.at.After(end) {
			continue
		}
		if first < 0 || t.at.Before(c.timers[first].at) || t.at.Equal(c.timers[first].at) && t.seq < c.timers[first].seq {
			first = i
		}
	}
	if first < 0 {
		return time.Time{}, nil, false
	}
	t := c.timers[first]
	c.timers = slices.Delete(c.timers, first, first+1)
	if t.at.After(c.now) {
		c.now = t.at
	}
	return t.at, t.fn, true
}

// set moves the clock to at, unless it is there or later already.
func (c *Clock) set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at.After(c.now) {
		c.now = at
	}
}

// Advance moves c forward by d with Default: see Driver.Advance.
func Advance(t testing.TB, m Model, c *Clock, d time.Duration) (quit bool) {
	t.Helper()
	return Default.Advance(t, m, c, d)
}

// Advance moves c forward by d as time passes for a running program: each
// timer due meanwhile fires in turn, at its own time, and its message goes
// through m with every command it leads to (which may arm timers due
// within d too) before the next. It reports whether a command asked to
// quit.
func (d Driver) Advance(t testing.TB, m Model, c *Clock, by time.Duration) (quit bool) {
	t.Helper()
	end := c.Now().Add(by)
	for i := 0; ; i++ {
		if i > d.Limit {
			t.Fatal("timers keep firing within the time advanced")
		}
		at, fn, ok := c.next(end)
		if !ok {
			break
		}
		if msg := fn(at); msg != nil && d.Send(t, m, msg) {
			quit = true
		}
	}
	c.set(end)
	return quit
}
