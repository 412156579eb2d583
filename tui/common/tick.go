package common

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Timers arm a session's timers: Tick returns a command that delivers
// fn's message d after it runs. A session leaves Common.Timers nil and
// gets real timers bound to its context (Common.Tick); a screen test
// gives one whose time it moves itself (tuitest.Clock), so that it
// advances the time instead of sleeping through it.
type Timers interface {
	Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
}

// Tick arms a timer: every timer of a screen (coalescing of feed changes,
// claim renewals, the inactivity check, banners …) goes through here, so
// that Common.Timers governs them all. Without Timers, it is tea.Tick
// bound to the session: it delivers fn's message after d, or nothing once
// the session's context has ended. A tea.Tick cannot be cancelled, and
// Bubble Tea runs each command in a goroutine that holds the program (and
// so the whole session's model) until the command returns: with tea.Tick,
// a session that has ended would stay in memory until its longest timer
// fired (the 15-minute inactivity check, the 5-minute claim renewal).
func (c *Common) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if c.Timers != nil {
		return c.Timers.Tick(d, fn)
	}
	if c.Ctx == nil {
		return tea.Tick(d, fn)
	}
	done := c.Ctx.Done()
	t := time.NewTimer(d)
	return func() tea.Msg {
		defer t.Stop()
		select {
		case ts := <-t.C:
			return fn(ts)
		case <-done:
			return nil
		}
	}
}
