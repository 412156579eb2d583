package helpdesk

import (
	"context"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/queue"
	"github.com/viaa/ppp/tui/theme"
)

// Form fields.
const (
	fTemplate = "template"
	fLang     = "lang"
	fState    = "state"
	fText     = "text"
	fNote     = "note"
)

// noPasswordTemplate explains to a Latvija.gov.lv user that the account
// has no Platform password (¶14). The templates offered are
// domain.TicketReplyTemplates, each named in the catalog under
// "tui.hd.tmpl.".
const noPasswordTemplate = "helpdesk.no_password"

// replyStates are the states a reply may leave the request in, the usual
// one first.
var replyStates = []string{string(domain.TicketWaiting), string(domain.TicketResolved), string(domain.TicketInProgress)}

// actions are what the helpdesk does to the open request, each by the
// operator holding it and with the version seen when it began; after each
// the request is read again.
func (m *Model) actions() []act {
	svc := func() domain.HelpdeskService { return m.c.Services.Helpdesk }
	return []act{
		{Keys: keys("R"), Help: "tui.hd.key.reply", Rule: m.rule(domain.TicketReply), Held: true,
			Form: m.replyForm, Done: "tui.hd.done.reply",
			Submit: func(f *form.Model, o *open, version int64) queue.Send {
				tmpl, lang, text, state := f.Value(fTemplate), f.Value(fLang), f.Value(fText), domain.TicketState(f.Value(fState))
				if tmpl == domain.FreeReplyTemplate && text == "" {
					f.SetErrorKey("tui.hd.text_required")
					return nil
				}
				s, id := svc(), o.ID
				return queue.Call(func(ctx context.Context) error { return s.Reply(ctx, id, version, tmpl, lang, text, state) })
			}},
		// The footer has room for the three actions a request is for; the
		// category is in the help overlay.
		{Keys: keys("c"), Help: "tui.hd.key.category", Rule: m.rule(domain.TicketSetCategory), Held: true, Quiet: true,
			Begin:   func(o *open) { m.pick = cycle(o.Item.Category, 1) },
			Confirm: m.categoryView, Choose: m.choose, ChooseHelp: func() []key.Binding { return []key.Binding{m.cycleKeys()[0]} },
			Busy: "tui.hd.sending", Done: "tui.hd.done.category",
			Send: func(o *open, version int64) queue.Send {
				s, id, c := svc(), o.ID, m.pick
				return queue.Call(func(ctx context.Context) error { return s.SetCategory(ctx, id, version, c) })
			}},
		// For an agency employee or an institution's administrator the
		// service holds the reset until a second person approves it; the
		// approval sends an operator a one-time code, not a link.
		{Keys: keys("p"), Help: "tui.hd.key.reset", Short: "tui.hd.short.reset", Rule: m.rule(domain.TicketReset), Held: true,
			Check: resetBlocker, Confirm: m.resetView, Busy: "tui.hd.sending", Done: "tui.hd.done.reset",
			Send: func(o *open, version int64) queue.Send {
				s, id := svc(), o.ID
				return queue.Call(func(ctx context.Context) error { return s.IssuePasswordReset(ctx, id, version) })
			}},
		{Keys: keys("s"), Help: "tui.hd.key.suspend", Rule: m.rule(domain.TicketSuspend), Held: true,
			Form: m.suspendForm, Done: "tui.hd.done.suspend",
			Submit: func(f *form.Model, o *open, version int64) queue.Send {
				note := queue.Required(f, fNote, "tui.hd.note_required")
				if note == "" {
					return nil
				}
				s, id := svc(), o.ID
				return queue.Call(func(ctx context.Context) error { return s.RequestSuspension(ctx, id, version, note) })
			}},
		m.denyIncidentAction(),
	}
}

func keys(k ...string) []string { return k }

// rule is the ticket's own rule for a with the operator's roles
// (domain.Ticket.AllowsOperator, which storage asks too).
func (m *Model) rule(a domain.TicketAction) func(*domain.Ticket) error {
	return func(t *domain.Ticket) error { return t.AllowsOperator(a, m.c.Operator, m.c.Clock()) }
}

// resetBlocker offers a reset only for a matched account with a Platform
// password: for the others the service would only send the explaining
// template, which the reply offers.
func resetBlocker(t *domain.Ticket) error {
	why := func(key, msg string) error { return domain.Errorf(domain.EINVALID, key, "%s", msg) }
	switch {
	case t.Account == nil:
		return why("tui.hd.why.no_match", "no account is matched by a confirmed address")
	case !t.Account.HasPassword:
		return why("tui.hd.why.no_password", "the account signs in through Latvija.gov.lv and has no Platform password (¶14): reply with the explaining template")
	}
	return nil
}

// cycle is the category n steps from c in the cycle.
func cycle(c domain.TicketCategory, n int) domain.TicketCategory {
	all := domain.TicketCategories
	return all[(slices.Index(all, c)+n+len(all))%len(all)]
}

// cycleKeys move the category a change offers: on, and back.
func (m *Model) cycleKeys() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("c", "right", "down", " "), key.WithHelp("c/→", m.c.T("tui.hd.key.cycle"))),
		key.NewBinding(key.WithKeys("left", "up")),
	}
}

// choose moves the category the change offers.
func (m *Model) choose(msg tea.KeyMsg) bool {
	for i, n := range []int{1, -1} {
		if key.Matches(msg, m.cycleKeys()[i]) {
			m.pick = cycle(m.pick, n)
			return true
		}
	}
	return false
}

func (m *Model) replyForm(o *open) *form.Model {
	t := o.Item
	f := form.New(m.c, "tui.hd.reply_title", []any{o.ID, t.From},
		form.Field{ID: fTemplate, Label: "tui.hd.field.template", Kind: form.Choice, Options: domain.TicketReplyTemplates, OptionKey: "tui.hd.tmpl."},
		form.Field{ID: fLang, Label: "tui.hd.field.lang", Kind: form.Choice, Options: []string{"lv", "en"}, OptionKey: "tui.hd.lang."},
		form.Field{ID: fState, Label: "tui.hd.field.state", Kind: form.Choice, Options: replyStates, OptionKey: "tui.hd.state."},
		form.Field{ID: fText, Label: "tui.hd.field.text", Hint: "tui.hd.hint.text", Kind: form.Area, Limit: domain.TicketReplyMaxLength})
	if t.Account != nil && !t.Account.HasPassword && t.Category == domain.CategoryPasswordReset {
		f.SetValue(fTemplate, noPasswordTemplate)
	}
	return f.WithSave("tui.hd.key.send").WithBusy("tui.hd.sending")
}

func (m *Model) suspendForm(o *open) *form.Model {
	return form.New(m.c, "tui.hd.suspend_title", []any{o.ID, m.accountName(o.Item.Account)},
		form.Field{ID: fNote, Label: "tui.hd.field.note", Hint: "tui.hd.hint.note", Kind: form.Area, Limit: domain.SuspensionNoteMaxLength}).
		WithIntro("tui.hd.suspend_intro").WithSave("tui.hd.key.send").WithBusy("tui.hd.sending")
}

// categoryView offers the categories, the one the change would set marked.
func (m *Model) categoryView(o *open, w int) []string {
	c, st, t := m.c, m.c.Styles, o.Item
	lines := []string{st.Title.Render(ansi.Truncate(c.T("tui.hd.category_title", t.ID), w, "…")), ""}
	lines = append(lines, wrap(c.T("tui.hd.category_from", m.categoryName(t.Category)), w)...)
	lines = append(lines, wrap(c.T("tui.hd.category_suggested", m.categoryName(t.Suggested)), w)...)
	lines = append(lines, "")
	for _, cat := range domain.TicketCategories {
		if cat == m.pick {
			lines = append(lines, theme.Marker+" "+st.Selected.Render("(•) "+m.categoryName(cat)))
		} else {
			lines = append(lines, "  ( ) "+m.categoryName(cat))
		}
	}
	return append(append(lines, ""), wrap(st.Muted.Render(c.T("tui.hd.category_keys")), w)...)
}

// resetView says where the reset goes and who never sees it.
func (m *Model) resetView(o *open, w int) []string {
	c, st, t := m.c, m.c.Styles, o.Item
	lines := []string{st.Title.Render(ansi.Truncate(c.T("tui.hd.reset_title", t.ID), w, "…")), ""}
	lines = append(lines, wrap(c.T("tui.hd.reset_account", m.accountName(t.Account)), w)...)
	lines = append(lines, "")
	explain := "tui.hd.reset_explain"
	if a := t.Account; a != nil && a.Kind == "operator" {
		explain = "tui.hd.reset_explain_operator"
	}
	for _, l := range wrap(c.T(explain), w) {
		lines = append(lines, st.Banner.Render(l))
	}
	return append(append(lines, ""), wrap(st.Muted.Render(c.T("tui.hd.confirm_keys")), w)...)
}

// wrap breaks s into lines of at most w columns, at spaces.
func wrap(s string, w int) []string { return strings.Split(common.WrapAtSpaces(s, w), "\n") }
