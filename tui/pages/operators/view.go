package operators

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// View renders the current mode.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if c.Operator == nil || !c.Operator.HasRole(domain.RoleAdmin) {
		return common.FitBlock(st.Error.Render(c.T("tui.ops.admin_only")), w, h)
	}
	var b strings.Builder
	switch m.mode {
	case modeForm:
		return m.form.View(w, h)
	case modeKeys, modeConfirm:
		b.WriteString(st.Title.Render(c.T("tui.ops.keys_title", m.target.Name, len(m.keyRows))))
		b.WriteString("\n")
		if m.mode == modeConfirm {
			fp := ""
			if i := m.keyTable.Cursor(); i >= 0 && i < len(m.keyRows) {
				fp = m.keyRows[i].Fingerprint
			}
			b.WriteString(st.Banner.Render(ansi.Truncate(c.T("tui.ops.confirm_remove", fp), w, "…")))
		} else if len(m.keyRows) == 0 {
			b.WriteString(st.Muted.Render(c.T("tui.ops.no_keys")))
		}
		b.WriteString("\n")
		b.WriteString(m.keyTable.View())
	default:
		b.WriteString(st.Title.Render(c.T("tui.ops.title", len(m.rows))))
		b.WriteString("\n")
		if !m.loaded {
			b.WriteString(st.Muted.Render(c.T("tui.loading")))
		}
		b.WriteString("\n")
		b.WriteString(m.table.View())
	}
	return common.FitBlock(b.String(), w, h)
}
