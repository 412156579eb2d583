package helpdesk

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// heading is the detail's first line: the request and its state.
func (m *Model) heading(o *open) (string, string) {
	return m.c.T("tui.hd.detail.title", o.ID, subject(o.Item)), m.stateName(o.Item.State)
}

// accountName names the matched account, or says there is none.
func (m *Model) accountName(a *domain.AccountRef) string {
	if a == nil {
		return m.c.T("tui.hd.no_match")
	}
	kind := m.c.Named("tui.hd.kind."+a.Kind, a.Kind)
	name := common.Show(a.Name)
	if name == "" {
		name = "#" + strconv.FormatInt(a.ID, 10)
	}
	return markMatched + " " + name + " (" + kind + ")"
}

// row is a labelled value of the detail; its value is made plain where
// the section draws it.
type row = common.Field

// body is the scrolling part of the detail: who sent it and what it
// matched, then the thread.
func (m *Model) body(o *open, w int) string {
	c, t := m.c, o.Item
	cat := m.categoryName(t.Category)
	if t.Suggested != "" && t.Suggested != t.Category {
		cat = c.T("tui.hd.category_vs", cat, m.categoryName(t.Suggested))
	} else if t.Suggested != "" {
		cat = c.T("tui.hd.category_same", cat)
	}
	rows := []row{
		{Label: "tui.hd.f.from", Value: dash(t.From)},
		{Label: "tui.hd.f.account", Value: m.accountName(t.Account)},
	}
	// ¶26.2: the matched user has not accepted the terms in force.
	if a := t.Account; a != nil && a.Terms != nil {
		rows = append(rows, row{Label: "tui.acc.f.terms", Value: c.T("tui.acc.not_accepted", a.Terms.Number), Style: &c.Styles.Error})
	}
	rows = append(rows,
		row{Label: "tui.hd.f.category", Value: cat},
		row{Label: "tui.hd.f.received", Value: c.T("tui.hd.ago", timeText(t.CreatedAt), c.Age(t.CreatedAt))})
	sections := []string{c.Section(w, c.T("tui.hd.sec.request"), rows, nil, 0)}
	if !o.Loaded {
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
	if !msg.Inbound && msg.Template == domain.TicketDenialNote {
		// A note, never mailed: a ¶32.6 denial was raised from the ticket.
		head = c.T("tui.hd.msg.denial_note", n, dash(msg.ActorName), timeText(msg.At))
		line := "  " + c.T("tui.hd.msg.denial_text", msg.Text)
		return common.FitWidth(st.Label.Render(ansi.Truncate(head, w, "…"))+"\n"+st.Banner.Render(ansi.Truncate(line, w, "…")), w)
	}
	if msg.Inbound {
		head = c.T("tui.hd.msg.in", n, msg.From, timeText(msg.At))
	} else {
		tmpl := m.c.Named("tui.hd.tmpl."+msg.Template, msg.Template)
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
