package helpdesk

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
	"github.com/viaa/ppp/tui/theme"
)

// View renders the current mode.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w, h := c.Width, c.Height
	if c.Operator == nil || !c.Operator.HasRole(domain.RoleHelpdesk) {
		return common.FitBlock(st.Error.Render(c.T("tui.hd.helpdesk_only")), w, h)
	}
	switch m.mode {
	case modePending:
		return m.pendingView(w, h)
	case modeSheet:
		return m.sheet.View(w, h)
	case modeConfirm:
		return m.confirmView(w, h)
	case modeDetail:
		return m.detailView(w, h)
	}
	return m.listView(w, h)
}

func (m *Model) listView(w, h int) string {
	c, st := m.c, m.c.Styles
	var b strings.Builder
	right := st.Muted.Render(m.filterText() + " · " + c.T("tui.hd.page", m.list.Page()))
	b.WriteString(common.SpreadLine(st.Title.Render(c.T("tui.hd.queue_title")), right, w))
	b.WriteString("\n")
	b.WriteString(m.search.Line(c, c.T("tui.hd.search")))
	b.WriteString("\n")
	b.WriteString(m.list.Body(c, common.WrapAtSpaces(c.T("tui.hd.none"), w), m.table.View(), w, listTableHeight(h)))
	if sh := summaryLines(h); sh > 0 {
		b.WriteString("\n")
		b.WriteString(m.summary(w, sh))
	}
	return common.FitBlock(b.String(), w, h)
}

// summary shows the selected request under the list.
func (m *Model) summary(w, h int) string {
	c, st := m.c, m.c.Styles
	lines := []string{st.Muted.Render(strings.Repeat("─", w))}
	if r := m.selected(); r != nil {
		lines = append(lines,
			strings.Join([]string{"#" + itoa(r.ID), subject(r)}, " · "),
			strings.Join([]string{common.Show(r.From), m.categoryName(r.Category), m.accountName(r.Account)}, " · "))
	}
	_ = c
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

// accountName names the matched account, or says there is none.
func (m *Model) accountName(a *domain.AccountRef) string {
	if a == nil {
		return m.c.T("tui.hd.no_match")
	}
	kind := m.optional("tui.hd.kind."+a.Kind, a.Kind)
	name := common.Show(a.Name)
	if name == "" {
		name = "#" + itoa(a.ID)
	}
	return markMatched + " " + name + " (" + kind + ")"
}

func (m *Model) confirmView(w, h int) string {
	c, st := m.c, m.c.Styles
	t := m.item.t
	var lines []string
	add := func(s string) { lines = append(lines, strings.Split(common.WrapAtSpaces(s, w), "\n")...) }
	switch m.act {
	case actCategory:
		lines = append(lines, st.Title.Render(ansi.Truncate(c.T("tui.hd.category_title", t.ID), w, "…")), "")
		add(c.T("tui.hd.category_from", m.categoryName(t.Category)))
		add(c.T("tui.hd.category_suggested", m.categoryName(t.Suggested)))
		lines = append(lines, "")
		for _, cat := range domain.TicketCategories {
			box, text := "( ) ", m.categoryName(cat)
			if cat == m.pick {
				box = "(•) "
				lines = append(lines, theme.Marker+" "+st.Selected.Render(box+text))
			} else {
				lines = append(lines, "  "+box+text)
			}
		}
		lines = append(lines, "")
		add(st.Muted.Render(c.T("tui.hd.category_keys")))
	case actReset:
		lines = append(lines, st.Title.Render(ansi.Truncate(c.T("tui.hd.reset_title", t.ID), w, "…")), "")
		add(c.T("tui.hd.reset_account", m.accountName(t.Account)))
		lines = append(lines, "")
		explain := "tui.hd.reset_explain"
		if a := t.Account; a != nil && a.Kind == "operator" {
			explain = "tui.hd.reset_explain_operator"
		}
		for _, l := range strings.Split(common.WrapAtSpaces(c.T(explain), w), "\n") {
			lines = append(lines, st.Banner.Render(l))
		}
		lines = append(lines, "")
		add(st.Muted.Render(c.T("tui.hd.confirm_keys")))
	}
	if it := m.item; it != nil && it.busy {
		lines = append(lines, st.Muted.Render(c.T("tui.hd.sending")))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

func (m *Model) detailView(w, h int) string {
	return queue.DetailView(m.c, m.detailHeader(w), m.vp, w, h)
}

// layoutDetail fits the scrolling part under the header and fills it.
func (m *Model) layoutDetail() {
	if m.item == nil {
		return
	}
	w := max(m.width, 1)
	queue.LayoutDetail(&m.vp, w, m.height, len(m.detailHeader(w)), m.detailContent(w))
}

// detailHeader stays on screen while the detail scrolls: the request, who
// holds it, and why nothing can be done to it.
func (m *Model) detailHeader(w int) []string {
	c, st, it := m.c, m.c.Styles, m.item
	t := it.t
	title := st.Title.Render(c.T("tui.hd.detail.title", t.ID, subject(t)))
	lines := []string{common.SpreadLine(title, st.Label.Render(m.stateName(t.State)), w)}
	held := m.heldByOther(t)
	switch {
	case it.busy:
		lines = append(lines, st.Muted.Render(c.T("tui.hd.sending")))
	case it.Owned:
		lines = append(lines, st.OK.Render(c.T("tui.hd.claim.yours", clockText(t.ClaimExpiresAt))))
	case held:
		lines = append(lines, st.Banner.Render(ansi.Truncate(c.T("tui.hd.claim.other", t.ClaimedByName), w, "…")))
	case !it.loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.hd.claim.opening")))
	case t.State == domain.TicketResolved:
		lines = append(lines, st.Muted.Render(c.T("tui.hd.why.resolved")))
	default:
		lines = append(lines, st.Muted.Render(c.T("tui.hd.claim.free")))
	}
	return lines
}

// row is a labelled value of the detail; its value is made plain where
// the section draws it.
type row = common.Field

// detailContent is the scrolling part of the detail: who sent it and what
// it matched, then the thread.
func (m *Model) detailContent(w int) string {
	c, it := m.c, m.item
	t := it.t
	cat := m.categoryName(t.Category)
	if t.Suggested != "" && t.Suggested != t.Category {
		cat = c.T("tui.hd.category_vs", cat, m.categoryName(t.Suggested))
	} else if t.Suggested != "" {
		cat = c.T("tui.hd.category_same", cat)
	}
	sections := []string{c.Section(w, c.T("tui.hd.sec.request"), []row{
		{Label: "tui.hd.f.from", Value: dash(t.From)},
		{Label: "tui.hd.f.account", Value: m.accountName(t.Account)},
		{Label: "tui.hd.f.category", Value: cat},
		{Label: "tui.hd.f.received", Value: c.T("tui.hd.ago", timeText(t.CreatedAt), c.Age(t.CreatedAt))},
	}, nil, 0)}
	if !it.loaded {
		sections = append(sections, c.Styles.Muted.Render(c.T("tui.loading")))
	} else if len(t.Messages) == 0 {
		sections = append(sections, c.Styles.Muted.Render(c.T("tui.hd.no_messages")))
	}
	for i, msg := range t.Messages {
		sections = append(sections, m.messageView(w, i+1, msg))
	}
	return strings.Join(sections, "\n\n")
}

// messageView renders one message of the thread: who and when, its
// attachments as metadata, and its text; a message that could not be
// parsed is shown raw under a marker.
func (m *Model) messageView(w, n int, msg *domain.TicketMessage) string {
	c, st := m.c, m.c.Styles
	var head string
	if msg.Inbound {
		head = c.T("tui.hd.msg.in", n, msg.From, timeText(msg.At))
	} else {
		tmpl := m.optional("tui.hd.tmpl."+msg.Template, msg.Template)
		head = c.T("tui.hd.msg.out", n, dash(msg.ActorName), timeText(msg.At), tmpl)
	}
	out := []string{st.Label.Render(ansi.Truncate(head, w, "…"))}
	if common.Show(msg.Subject) != "" {
		out = append(out, ansi.Truncate("  "+c.T("tui.hd.msg.subject", msg.Subject), w, "…"))
	}
	if msg.Raw {
		out = append(out, st.Banner.Render(ansi.Truncate(markRaw+" "+c.T("tui.hd.msg.raw"), w, "…")))
	}
	for _, a := range msg.Attach {
		line := "  📎 " + c.T("tui.hd.msg.attach", dash(a.Name), dash(a.MediaType), sizeText(c, a.Size))
		out = append(out, ansi.Truncate(line, w, "…"))
	}
	text := common.ShowText(msg.Text)
	if text == "" {
		text = c.T("tui.hd.msg.empty")
	}
	for _, l := range strings.Split(text, "\n") {
		for _, wl := range strings.Split(common.WrapAtSpaces(l, max(w-4, 10)), "\n") {
			prefix := "  │ "
			if msg.Raw {
				prefix = "  " + markRaw + " "
			}
			out = append(out, prefix+wl)
		}
	}
	return common.FitWidth(strings.Join(out, "\n"), w)
}

func dash(s string) string { return common.OrDash(s) }

// sizeText renders an attachment's size, its number written as the
// session's language writes it ("1,5 MiB").
func sizeText(c *common.Common, n int64) string {
	switch {
	case n < 1024:
		return c.Num(n) + " B"
	case n < 1024*1024:
		return c.Num((n+512)/1024) + " KiB"
	}
	return c.Decimal(float64(n)/(1024*1024), 1) + " MiB"
}

// timeText renders a moment to the minute, in the server's zone; "—" for
// none.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func clockText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("15:04")
}
