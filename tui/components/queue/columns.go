package queue

import (
	"github.com/charmbracelet/bubbles/table"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// NewTable returns the table of a queue's list for the columns cols, each
// laid out as spec says. C names a column.
func NewTable[C comparable](c *common.Common, cols []C, spec map[C]selecttable.Column) *selecttable.Model {
	s := make([]selecttable.Column, len(cols))
	for i, col := range cols {
		s[i] = spec[col]
	}
	return selecttable.New(c.Styles, s)
}

// Titles returns the titles of the columns cols in the session's language,
// from the catalog key keys gives each.
func Titles[C comparable](c *common.Common, cols []C, keys map[C]string) []string {
	out := make([]string, len(cols))
	for i, col := range cols {
		out[i] = c.T(keys[col])
	}
	return out
}

// TableRows renders rows for the columns cols, each cell by cell.
func TableRows[R, C any](rows []R, cols []C, cell func(R, C) string) []table.Row {
	out := make([]table.Row, len(rows))
	for i, r := range rows {
		row := make(table.Row, len(cols))
		for j, col := range cols {
			row[j] = cell(r, col)
		}
		out[i] = row
	}
	return out
}
