package audit

import (
	"fmt"
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// View renders the search line, the table and the detail pane.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if c.Operator == nil || !(c.Operator.HasRole(domain.RoleAdmin) || c.Operator.HasRole(domain.RoleSecurity)) {
		return common.FitBlock(st.Error.Render(c.T("tui.audit.no_access")), w, h)
	}
	mark := func(f focus) string {
		if m.focus == f {
			return theme.Marker
		}
		return " "
	}
	page := c.T("tui.audit.page", len(m.back)+1)
	search := fmt.Sprintf("%s%s %s  %s%s %s", mark(focusText), st.Label.Render(c.T("tui.audit.search")+":"), m.text.View(),
		mark(focusAction), st.Label.Render(c.T("tui.audit.action")+":"), m.action.View())
	var b strings.Builder
	b.WriteString(common.SpreadLine(search, st.Muted.Render(page), w))
	b.WriteString("\n")
	tableH := max(h-1-detailHeight(h), 3)
	switch {
	case !m.loaded:
		b.WriteString(common.FitBlock(st.Muted.Render(c.T("tui.loading")), w, tableH))
	case len(m.entries) == 0:
		b.WriteString(common.FitBlock(st.Muted.Render(c.T("tui.audit.none")), w, tableH))
	default:
		b.WriteString(common.FitBlock(m.table.View(), w, tableH))
	}
	if dh := detailHeight(h); dh > 0 {
		b.WriteString("\n")
		b.WriteString(m.detail(w, dh))
	}
	return common.FitBlock(b.String(), w, h)
}

// detail renders the selected entry, a field a line.
func (m *Model) detail(w, h int) string {
	c, st := m.c, m.c.Styles
	e := m.Selected()
	rule := st.Muted.Render(strings.Repeat("─", w))
	if e == nil {
		return common.FitBlock(rule, w, h)
	}
	// Cut first: a 100 KB actor must not be copied on every frame.
	actor := common.Show(e.ActorName)
	if e.ActorID != 0 {
		actor = fmt.Sprintf("%s (#%d)", actor, e.ActorID)
	}
	hash := e.Hash
	if len(hash) > 16 {
		hash = hash[:16] + "…"
	}
	lines := []string{rule}
	lines = append(lines, c.Fields([]common.Field{
		{Label: "tui.audit.f.entry", Value: fmt.Sprintf("#%d  %s UTC  %s", e.Seq, e.At.UTC().Format("2006-01-02 15:04:05"), hash)},
		{Label: "tui.audit.f.actor", Value: fmt.Sprintf("%s  %s  %s", common.OrDash(actor), common.OrDash(e.SessionID), common.OrDash(e.RemoteAddr))},
		{Label: "tui.audit.f.action", Value: e.Action},
		{Label: "tui.audit.f.subject", Value: common.OrDash(e.SubjectKind + " " + e.SubjectID)},
		{Label: "tui.audit.f.reason", Value: common.OrDash(e.Reason)},
		{Label: "tui.audit.f.details", Value: common.OrDash(e.Details)},
	}, w, 0, false)...)
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}
