package common

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Tick is tea.Tick bound to the session: it delivers fn's message after d,
// or nothing once the session's context has ended. A tea.Tick cannot be
// cancelled, and Bubble Tea runs each command in a goroutine that holds
// the program (and so the whole session's model) until the command
// returns: with tea.Tick, a session that has ended would stay in memory
// until its longest timer fired (the 15-minute inactivity check, the
// 5-minute claim renewal). Long timers use this instead.
func (c *Common) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
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
