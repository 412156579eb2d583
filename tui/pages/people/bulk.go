package people

import (
	"slices"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// bulkHook is the search results' bulk action (issue 17, "Bulk
// actions"): the people marked — or, with *, every person the search
// found — are handed to the bulk screen as their Platform accounts
// (domain.BulkFromPlatformUsers: deny access, e-mail from a template).
// It is nil, and the list offers no marking, when the server keeps no
// bulk jobs or the operator may ask for none of those kinds.
func (m *Model) bulkHook() func(ids []int64, all bool) tea.Cmd {
	if m.c.Services.Bulk == nil || !domain.MayBulkFrom(m.c.Operator, domain.BulkFromPlatformUsers) {
		return nil
	}
	return m.bulk
}

// bulk turns the rows marked (person ids) into their accounts. A search
// returns at most domain.PersonSearchLimit persons, all of them read, so
// the whole filter is the rows shown. People without an account are left
// out, and the bulk form says how many; when none of them has one,
// nothing opens.
func (m *Model) bulk(ids []int64, all bool) tea.Cmd {
	var users []int64
	skipped := 0
	for _, r := range m.results.Rows() {
		if !all && !slices.Contains(ids, r.PersonID) {
			continue
		}
		if r.UserID == 0 {
			skipped++
			continue
		}
		users = append(users, r.UserID)
	}
	if len(users) == 0 {
		return common.StatusCmd("tui.ppl.bulk_none")
	}
	msg := common.BulkMsg{Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: users}}
	if skipped > 0 {
		// Said on the bulk form: a status line would be cleared as it opens.
		msg.Note, msg.NoteArgs = "tui.ppl.bulk_skipped", []any{skipped}
	}
	return func() tea.Msg { return msg }
}
