package helpdesk

// The staff changes of a Platform account's e-mail address waiting for a
// second person (issue 13): filed on the command line (ppp account
// email), they change nothing until a helpdesk operator or administrator
// other than the requester approves them here. They are listed below the
// privileged resets; the cursor runs through both lists.

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// count is the number of rows the cursor runs through.
func (p *pending) count() int { return len(p.rows) + len(p.changes) }

// selectedChange is the e-mail change under the cursor, if it is on one.
func (p *pending) selectedChange() *domain.EmailChange {
	if p == nil {
		return nil
	}
	i := p.cur - len(p.rows)
	if i < 0 || i >= len(p.changes) {
		return nil
	}
	return p.changes[i]
}

// approver is the operator of this session as the services see it: the
// context's actor, as ownReset reads it.
func (m *Model) approver() int64 {
	if a := domain.ActorFrom(m.c.Ctx); a.OperatorID != 0 {
		return a.OperatorID
	}
	return m.me()
}

// mayApproveChange asks the domain's rule whether this session's
// operator may approve c now.
func (m *Model) mayApproveChange(c *domain.EmailChange) bool {
	return c != nil && c.ApprovalBlocker(m.approver(), m.c.Clock()) == nil
}

func (m *Model) approveChangeCmd(c *domain.EmailChange) tea.Cmd {
	def, ctx, id := m.c.Services.Defence, m.c.Ctx, c.ID
	return func() tea.Msg {
		return PendingDoneMsg{ID: id, Approve: true, Change: true, Err: def.ApproveEmailChange(ctx, id)}
	}
}

func (m *Model) refuseChangeCmd(c *domain.EmailChange, note string) tea.Cmd {
	def, ctx, id := m.c.Services.Defence, m.c.Ctx, c.ID
	return func() tea.Msg {
		return PendingDoneMsg{ID: id, Change: true, Err: def.RefuseEmailChange(ctx, id, note)}
	}
}

// changesLines draws the e-mail changes under the resets.
func (m *Model) changesLines(w int) []string {
	c, st, p := m.c, m.c.Styles, m.pendingState()
	lines := []string{"", st.Title.Render(c.T("tui.pe.title"))}
	if len(p.changes) == 0 {
		return append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pe.none"), w)))
	}
	for i, x := range p.changes {
		mark := "  "
		if len(p.rows)+i == p.cur {
			mark = theme.Marker + " "
		}
		lines = append(lines, common.FitWidth(mark+c.T("tui.pe.row", x.ID, common.PlainLine(x.AccountName),
			common.PlainLine(x.NewEmail), common.PlainLine(x.RequestedName), x.RequestedAt.Local().Format("2006-01-02 15:04")), w))
	}
	if x := p.selectedChange(); x != nil {
		lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pe.reason", common.PlainLine(x.OldEmail), common.PlainLine(x.Reason)), w)))
		if err := x.ApprovalBlocker(m.approver(), c.Clock()); err != nil {
			lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.Catalog.Err(err), w)))
		}
	}
	return lines
}

// changeDecisionView is the confirmation of an approval, or the note of a
// refusal, of the e-mail change x.
func (m *Model) changeDecisionView(x *domain.EmailChange, w, h int) string {
	c, st, p := m.c, m.c.Styles, m.pendingState()
	var lines []string
	if p.refusing {
		lines = append(lines, st.Title.Render(c.T("tui.pe.refuse_title", x.ID)), "",
			theme.Marker+st.Label.Render(c.T("tui.pr.note")+":")+" "+p.note.View())
		if p.noteErr != "" {
			lines = append(lines, "", st.Error.Render(common.WrapAtSpaces(p.noteErr, w)))
		}
		return common.FitBlock(strings.Join(lines, "\n"), w, h)
	}
	lines = append(lines, st.Title.Render(c.T("tui.pe.title")), "",
		common.WrapAtSpaces(c.T("tui.pe.confirm", x.ID, common.PlainLine(x.AccountName), common.PlainLine(x.OldEmail),
			common.PlainLine(x.NewEmail)), w),
		"", st.Muted.Render(common.WrapAtSpaces(c.T("tui.pe.reason", common.PlainLine(x.OldEmail), common.PlainLine(x.Reason)), w)))
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}
