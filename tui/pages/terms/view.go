package terms

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
	if !m.isEditor() {
		return common.FitBlock(st.Error.Render(c.T("tui.terms.editor_only")), w, h)
	}
	switch m.mode {
	case modeForm:
		return m.form.View(w, h)
	case modeNote:
		return m.note.View(w, h)
	case modeConfirm:
		return m.confirmView(w, h)
	case modeDiff:
		return m.diffView(w, h)
	case modeAccept:
		return m.acceptView(w, h)
	case modeEdit:
		return m.editView(w, h)
	}
	return m.listView(w, h)
}

func (m *Model) listView(w, h int) string {
	c, st := m.c, m.c.Styles
	var b strings.Builder
	if cur := m.inForce(); cur != nil {
		b.WriteString(ansi.Truncate(st.Label.Render(c.T("tui.terms.in_force", inForceMark+common.Show(cur.Number), cur.Title, dateText(cur.PublishedAt))), w, "…"))
	} else if m.loaded {
		b.WriteString(st.Muted.Render(c.T("tui.terms.none_in_force")))
	}
	b.WriteString("\n")
	tableH := listTableHeight(h)
	switch {
	case !m.loaded:
		b.WriteString(common.FitBlock(st.Muted.Render(c.T("tui.loading")), w, tableH))
	case len(m.rows) == 0:
		b.WriteString(common.FitBlock(st.Muted.Render(c.T("tui.terms.none")), w, tableH))
	default:
		b.WriteString(common.FitBlock(m.table.View(), w, tableH))
	}
	if sh := summaryLines(h); sh > 0 {
		b.WriteString("\n")
		b.WriteString(m.summary(w, sh))
	}
	return common.FitBlock(b.String(), w, h)
}

// summary tells about the selected version under the list: who drafted
// and approved it, its summary of changes, and what stands in the way of
// the next step.
func (m *Model) summary(w, h int) string {
	c, st := m.c, m.c.Styles
	lines := []string{st.Muted.Render(strings.Repeat("─", w))}
	v := m.selected()
	if v == nil {
		return common.FitBlock(strings.Join(lines, "\n"), w, h)
	}
	first := c.T("tui.terms.sum.head", v.Number, v.Title, c.T("terms.state."+string(v.State)))
	who := []string{c.T("tui.terms.sum.drafted", nameOr(v.DraftedByName, v.DraftedBy))}
	if v.ApprovedBy != 0 || v.ApprovedName != "" {
		who = append(who, c.T("tui.terms.sum.approved", nameOr(v.ApprovedName, v.ApprovedBy), timeText(v.PublishedAt)))
	}
	if base := m.byID(v.BasedOn); base != nil {
		who = append(who, c.T("tui.terms.sum.based_on", base.Number))
	}
	lines = append(lines, ansi.Truncate(first, w, "…"), ansi.Truncate(strings.Join(who, " · "), w, "…"))
	switch {
	case v.State == domain.TermsSubmitted && v.DraftedBy == m.me():
		lines = append(lines, st.Error.Render(ansi.Truncate(c.T("tui.terms.sum.own"), w, "…")))
	case v.State == domain.TermsDraft && v.ReturnNote != "":
		lines = append(lines, st.Error.Render(ansi.Truncate(c.T("tui.terms.sum.returned", v.ReturnNote), w, "…")))
	case common.Show(v.Summary) != "":
		lines = append(lines, ansi.Truncate(c.T("tui.terms.sum.changes", v.Summary), w, "…"))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

func (m *Model) confirmView(w, h int) string {
	c, st := m.c, m.c.Styles
	v := m.target
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T("tui.terms.publish_title", v.Number)))
	b.WriteString("\n\n")
	prev := c.T("tui.terms.publish_no_previous")
	if cur := m.inForce(); cur != nil {
		prev = c.T("tui.terms.publish_previous", cur.Number)
	}
	q := c.T("tui.terms.publish_confirm", v.Number, v.Title, nameOr(v.DraftedByName, v.DraftedBy), prev)
	b.WriteString(st.Banner.Render(common.WrapAtSpaces(q, w)))
	b.WriteString("\n\n")
	if common.Show(v.Summary) != "" {
		b.WriteString(common.WrapAtSpaces(c.T("tui.terms.sum.changes", v.Summary), w))
		b.WriteString("\n\n")
	}
	if m.busy {
		b.WriteString(st.Muted.Render(c.T("tui.terms.publishing")))
	} else {
		b.WriteString(st.Muted.Render(c.T("tui.terms.publish_keys")))
	}
	return common.FitBlock(b.String(), w, h)
}
