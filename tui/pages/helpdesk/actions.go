package helpdesk

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// action is something the helpdesk does to the open request.
type action int

const (
	actCategory action = iota
	actReply
	actReset
	actSuspend
)

// Sheet fields.
const (
	fTemplate = "template"
	fLang     = "lang"
	fState    = "state"
	fText     = "text"
	fNote     = "note"
)

// replyStates are the states a reply may leave the request in, the usual
// one first.
var replyStates = []string{string(domain.TicketWaiting), string(domain.TicketResolved), string(domain.TicketInProgress)}

// unavailable says why a cannot be done now, or nil, as a domain error so
// that the status line shows it like any other.
func (m *Model) unavailable(a action) error {
	it := m.item
	if it == nil || it.busy || m.sheet != nil && m.sheet.Busy {
		return domain.Errorf(domain.EINVALID, "tui.hd.why.busy", "the previous action has not finished")
	}
	return m.blocker(a)
}

// rules are the domain actions the screen's actions are.
var rules = map[action]domain.TicketAction{
	actCategory: domain.TicketSetCategory, actReply: domain.TicketReply, actReset: domain.TicketReset,
	actSuspend: domain.TicketSuspend,
}

// blocker is what the ticket's own rule allows (domain.Ticket.Allows,
// which storage asks too), and then the screen's own steps: the work on a
// request is done by its holder, and a reset is offered only for a
// matched account with a Platform password (for the others the service
// would only send the explaining template, which the reply offers).
func (m *Model) blocker(a action) error {
	it := m.item
	t := it.t
	if err := t.Allows(rules[a], m.c.Operator.Ref(), m.c.Clock()); err != nil {
		return err
	}
	why := func(key, msg string, args ...any) error { return domain.Errorf(domain.EINVALID, key, msg, args...) }
	if !it.Owned {
		return why("tui.hd.why.not_claimed", "the request is not claimed by you; close it and open it again")
	}
	if a == actReset {
		switch {
		case t.Account == nil:
			return why("tui.hd.why.no_match", "no account is matched by a confirmed address")
		case !t.Account.HasPassword:
			return why("tui.hd.why.no_password", "the account signs in through Latvija.gov.lv and has no Platform password (¶14): reply with the explaining template")
		}
	}
	return nil
}

// start begins action a: a confirmation or a sheet.
func (m *Model) start(a action) tea.Cmd {
	if err := m.unavailable(a); err != nil {
		return errorCmd(err)
	}
	it := m.item
	m.act, m.version = a, it.t.Version
	switch a {
	case actCategory:
		m.pick = nextCategory(it.t.Category)
		m.mode = modeConfirm
		return clearStatus
	case actReset:
		m.mode = modeConfirm
		return clearStatus
	}
	return m.openSheet(a)
}

// nextCategory is the category after c in the cycle.
func nextCategory(c domain.TicketCategory) domain.TicketCategory {
	i := slices.Index(domain.TicketCategories, c)
	return domain.TicketCategories[(i+1)%len(domain.TicketCategories)]
}

func (m *Model) openSheet(a action) tea.Cmd {
	c, it := m.c, m.item
	var s *form.Model
	switch a {
	case actReply:
		s = form.New(c, "tui.hd.reply_title", []any{it.ID, it.t.From},
			form.Field{ID: fTemplate, Label: "tui.hd.field.template", Kind: form.Choice, Options: domain.TicketReplyTemplates, OptionKey: "tui.hd.tmpl."},
			form.Field{ID: fLang, Label: "tui.hd.field.lang", Kind: form.Choice, Options: []string{"lv", "en"}, OptionKey: "tui.hd.lang."},
			form.Field{ID: fState, Label: "tui.hd.field.state", Kind: form.Choice, Options: replyStates, OptionKey: "tui.hd.state."},
			form.Field{ID: fText, Label: "tui.hd.field.text", Hint: "tui.hd.hint.text", Kind: form.Area, Limit: domain.TicketReplyMaxLength})
		if it.t.Account != nil && !it.t.Account.HasPassword && it.t.Category == domain.CategoryPasswordReset {
			s.SetValue(fTemplate, noPasswordTemplate)
		}
	case actSuspend:
		s = form.New(c, "tui.hd.suspend_title", []any{it.ID, m.accountName(it.t.Account)},
			form.Field{ID: fNote, Label: "tui.hd.field.note", Hint: "tui.hd.hint.note", Kind: form.Area, Limit: domain.SuspensionNoteMaxLength}).
			WithIntro("tui.hd.suspend_intro")
	default:
		return nil
	}
	s.WithSave("tui.hd.key.send").WithBusy("tui.hd.sending")
	s.Restore(it.drafts[a])
	m.sheet, m.mode = s, modeSheet
	return clearStatus
}

func (m *Model) updateSheet(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.sheet.Update(msg)
	switch res {
	case form.Cancel:
		// Keep what was typed: opening the same sheet again brings it back.
		if m.item != nil {
			m.item.drafts[m.act] = m.sheet.Draft()
		}
		m.sheet, m.mode = nil, modeDetail
		m.layoutDetail()
		return nil
	case form.Submit:
		return m.submit()
	}
	return cmd
}

// submit checks the sheet and sends it with the version seen when it
// opened; nothing typed is lost when either fails.
func (m *Model) submit() tea.Cmd {
	s, it := m.sheet, m.item
	s.SetError(nil)
	svc, ctx, id, version := m.c.Services.Helpdesk, m.c.Ctx, it.ID, m.version
	switch m.act {
	case actReply:
		tmpl, lang, text := s.Value(fTemplate), s.Value(fLang), s.Value(fText)
		state := domain.TicketState(s.Value(fState))
		if tmpl == domain.FreeReplyTemplate && text == "" {
			s.SetErrorKey("tui.hd.text_required")
			return nil
		}
		s.Busy = true
		return m.doCmd(actReply, func() error { return svc.Reply(ctx, id, version, tmpl, lang, text, state) })
	case actSuspend:
		note := s.Value(fNote)
		if note == "" {
			s.SetErrorKey("tui.hd.note_required")
			return nil
		}
		s.Busy = true
		return m.doCmd(actSuspend, func() error { return svc.RequestSuspension(ctx, id, version, note) })
	}
	return nil
}

func (m *Model) updateConfirm(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back):
		m.mode = modeDetail
		m.layoutDetail()
		return nil
	case m.act == actCategory && key.Matches(msg, k.Cycle):
		m.pick = nextCategory(m.pick)
		return nil
	case m.act == actCategory && key.Matches(msg, k.CycleBack):
		i := slices.Index(domain.TicketCategories, m.pick)
		n := len(domain.TicketCategories)
		m.pick = domain.TicketCategories[(i+n-1)%n]
		return nil
	case key.Matches(msg, k.Confirm):
		if m.item == nil || m.item.busy {
			return nil
		}
		svc, ctx, id, version := m.c.Services.Helpdesk, m.c.Ctx, m.item.ID, m.version
		m.item.busy = true
		switch m.act {
		case actCategory:
			c := m.pick
			return m.doCmd(actCategory, func() error { return svc.SetCategory(ctx, id, version, c) })
		case actReset:
			// For an agency employee or an institution's administrator the
			// service holds the reset until a second person approves it;
			// the approval sends an operator a one-time code, not a link.
			return m.doCmd(actReset, func() error { return svc.IssuePasswordReset(ctx, id, version) })
		}
	}
	return nil
}

func (m *Model) doCmd(a action, run func() error) tea.Cmd {
	gen, id := m.item.Gen, m.item.ID
	return func() tea.Msg { return DoneMsg{gen: gen, act: a, ID: id, Err: run()} }
}

// done takes in the result of an action. A failure keeps the sheet as it
// was with the error in it and in the status line; a conflict reads the
// request again to say who got there first.
func (m *Model) done(msg DoneMsg) tea.Cmd {
	it := m.item
	if it == nil || msg.gen != it.Gen {
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		return nil
	}
	it.busy = false
	sheetOpen := m.sheet != nil && m.act == msg.act
	if sheetOpen {
		m.sheet.Busy = false
	}
	if msg.Err != nil {
		if sheetOpen {
			m.sheet.SetError(msg.Err)
		} else if m.mode == modeConfirm {
			m.mode = modeDetail
		}
		m.layoutDetail()
		cmds := []tea.Cmd{errorCmd(msg.Err)}
		if domain.ErrorCode(msg.Err) == domain.ECONFLICT {
			m.conflictAct = msg.act
			cmds = append(cmds, m.readCmd(whyConflict, false))
		}
		return tea.Batch(cmds...)
	}
	delete(it.drafts, msg.act)
	m.sheet, m.mode = nil, modeDetail
	status := map[action]string{
		actCategory: "tui.hd.done.category",
		actReply:    "tui.hd.done.reply",
		actReset:    "tui.hd.done.reset",
		actSuspend:  "tui.hd.done.suspend",
	}[msg.act]
	m.layoutDetail()
	return tea.Batch(common.StatusCmd(status, msg.ID), m.readCmd(whyReread, false))
}
