package queue

import (
	"strconv"

	tea "github.com/charmbracelet/bubbletea"
)

// Refresh reads a queue again after a burst of feed changes (the ids a
// Coalescer fired): the page shown (reload), and the open item of lease l
// (reread) when it is among the changed; l is nil when no item is open.
func Refresh(changed map[string]bool, l *Lease, reload, reread func() tea.Cmd) tea.Cmd {
	cmds := []tea.Cmd{reload()}
	if l != nil && changed[strconv.FormatInt(l.ID, 10)] {
		cmds = append(cmds, reread())
	}
	return tea.Batch(cmds...)
}

// Reload reads a queue again when the database came back: the page shown
// (reload) and the open item of lease l (reread), if any.
func Reload(l *Lease, reload, reread func() tea.Cmd) tea.Cmd {
	cmds := []tea.Cmd{reload()}
	if l != nil {
		cmds = append(cmds, reread())
	}
	return tea.Batch(cmds...)
}
