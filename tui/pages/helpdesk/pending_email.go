package helpdesk

// The staff changes of a Platform account's e-mail address waiting for a
// second person (issue 13): filed on the command line (ppp account
// email), they change nothing until a helpdesk operator or administrator
// other than the requester approves them here. They are listed below the
// privileged resets; the cursor runs through both lists.

import (
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// count is the number of rows the cursor runs through.
func (p *pending) count() int { return len(p.rows) + len(p.changes) }

// selectedChange is the e-mail change under the cursor, if it is on one.
func (p *pending) selectedChange() *domain.EmailChange {
	i := p.cur - len(p.rows)
	if i < 0 || i >= len(p.changes) {
		return nil
	}
	return p.changes[i]
}

// approver is the operator of this session as the services see it: the
// context's actor.
func (m *Model) approver() int64 {
	if a := domain.ActorFrom(m.c.Ctx); a.OperatorID != 0 {
		return a.OperatorID
	}
	if m.c.Operator != nil {
		return m.c.Operator.ID
	}
	return 0
}

// mayApproveChange asks the domain's rule whether this session's
// operator may approve c now.
func (m *Model) mayApproveChange(c *domain.EmailChange) bool {
	return c != nil && c.ApprovalBlocker(m.approver(), m.c.Clock()) == nil
}

// changesLines draws the e-mail changes under the resets.
func (m *Model) changesLines(w int) []string {
	c, st, p := m.c, m.c.Styles, m.pend
	lines := []string{"", st.Title.Render(c.T("tui.pe.title"))}
	if len(p.changes) == 0 {
		return append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pe.none"), w)))
	}
	for i, x := range p.changes {
		lines = append(lines, common.FitWidth(mark(len(p.rows)+i == p.cur)+c.T("tui.pe.row", x.ID, common.PlainLine(x.AccountName),
			common.PlainLine(x.NewEmail), common.PlainLine(x.RequestedName), x.RequestedAt.Local().Format("2006-01-02 15:04")), w))
	}
	if x := p.selectedChange(); x != nil {
		lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.pe.reason", common.PlainLine(x.OldEmail), common.PlainLine(x.Reason)), w)))
		if err := x.ApprovalBlocker(m.approver(), c.Clock()); err != nil {
			lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.Err(err), w)))
		}
	}
	return lines
}

// changeConfirmView is the confirmation of an approval of the e-mail
// change x.
func (m *Model) changeConfirmView(x *domain.EmailChange, w, h int) string {
	c, st := m.c, m.c.Styles
	lines := []string{st.Title.Render(c.T("tui.pe.title")), "",
		common.WrapAtSpaces(c.T("tui.pe.confirm", x.ID, common.PlainLine(x.AccountName), common.PlainLine(x.OldEmail),
			common.PlainLine(x.NewEmail)), w),
		"", st.Muted.Render(common.WrapAtSpaces(c.T("tui.pe.reason", common.PlainLine(x.OldEmail), common.PlainLine(x.Reason)), w))}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}
