package app

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

func keyIs(msg tea.KeyMsg, b key.Binding) bool { return key.Matches(msg, b) }

// status is the status line: a success (key) or an error.
type status struct {
	key  string
	args []any
	err  error
}
