package app

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// idleCheckMsg fires when the inactivity deadline may have passed.
type idleCheckMsg struct{}

// armIdle schedules one check after d. Key presses do not re-arm it: the
// check itself looks at the time of the last key and sleeps again for the
// rest, so an idle screen wakes at most once per timeout.
func (m *Model) armIdle(d time.Duration) tea.Cmd {
	return m.c.Tick(d, func(time.Time) tea.Msg { return idleCheckMsg{} })
}

func (m *Model) checkIdle() tea.Cmd {
	left := m.lastKey.Add(m.idle).Sub(m.c.Clock())
	if left <= 0 {
		return m.end(ReasonIdle)
	}
	return m.armIdle(left)
}
