package common

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
)

// BulkMsg asks the root to open the bulk screen with the form of a new
// bulk job on Selection: a list's marked rows, or its whole filter
// (issue 17). The root switches to the bulk screen and hands the message
// to it; an operator without that screen is not offered the keys.
type BulkMsg struct {
	Selection domain.BulkSelection
	// Note, when not "", is a catalog key (with NoteArgs) the new job's
	// form says under its intro: what the list left out of the selection,
	// say, which a status line would lose when the form opens.
	Note     string
	NoteArgs []any
}

// BulkCmd returns the command of a BulkMsg on the selection.
func BulkCmd(sel domain.BulkSelection) tea.Cmd {
	return func() tea.Msg { return BulkMsg{Selection: sel} }
}

// BulkFrom returns a list's hook for bulk actions on its rows of source
// (queue.Spec.Bulk): the rows marked, or the whole filter f, which the
// server resolves. It returns nil — no marking keys — when the server
// keeps no bulk jobs.
func BulkFrom[F any](c *Common, source domain.BulkSource) func(ids []int64, f *F) tea.Cmd {
	if c.Services.Bulk == nil {
		return nil
	}
	return func(ids []int64, f *F) tea.Cmd {
		sel := domain.BulkSelection{Source: source, IDs: ids}
		if f != nil {
			sel.All, sel.Filter = true, *f
		}
		return BulkCmd(sel)
	}
}
