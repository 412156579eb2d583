package common

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
)

// ErrorMsg reports a failed service call; the root shows it in the status
// line with Catalog.Err, and EUNAVAILABLE marks the database as reconnecting.
type ErrorMsg struct{ Err error }

// StatusMsg reports a success in the status line: Key is a catalog key.
type StatusMsg struct {
	Key  string
	Args []any
}

// ChangeMsg is a change from the database feed.
type ChangeMsg domain.Change

// ReloadMsg asks every page to read its data again, after the database came
// back.
type ReloadMsg struct{}

// LanguageMsg tells the pages that Common.Catalog has changed, so that texts
// kept in components (column titles, key help) are rebuilt.
type LanguageMsg struct{}

// OperatorMsg carries a fresh copy of the signed-in operator (roles may have
// changed); the root stores it in Common.Operator.
type OperatorMsg struct{ Operator *domain.Operator }

// StatusCmd returns a command that reports a success in the status line.
func StatusCmd(key string, args ...any) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Key: key, Args: args} }
}
