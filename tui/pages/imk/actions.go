package imk

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// action is something the reviewer does to the open application.
type action int

const (
	actApprove action = iota
	actReject
	actRefetch
	actReveal
	actClaim
)

const fReason = "reason"

// unavailable says why a cannot be done now, or nil, as a domain error so
// that the status line shows it like any other.
func (m *Model) unavailable(a action) error {
	it := m.item
	if it == nil || it.busy || m.form != nil && m.form.Busy {
		return domain.Errorf(domain.EINVALID, "tui.imk.why.busy", "the previous action has not finished")
	}
	return m.blocker(a)
}

// rules are the domain actions the screen's actions are.
var rules = map[action]domain.IMKAction{
	actApprove: domain.IMKApprove, actReject: domain.IMKReject, actRefetch: domain.IMKRefetch,
	actReveal: domain.IMKReveal, actClaim: domain.IMKClaim,
}

// blocker is what the application's own rule allows
// (domain.IMKApplication.Allows, which storage asks too), and then the
// screen's own step: the work on an application is done by its holder.
func (m *Model) blocker(a action) error {
	it := m.item
	if err := it.app.Allows(rules[a], m.c.Operator.Ref(), m.c.Clock()); err != nil {
		return err
	}
	if a != actClaim && a != actReveal && !it.Owned {
		return domain.Errorf(domain.EINVALID, "tui.imk.why.not_claimed", "claim the application first")
	}
	return nil
}

// start begins action a: a form, or at once for those that need none.
func (m *Model) start(a action) tea.Cmd {
	if err := m.unavailable(a); err != nil {
		return errorCmd(err)
	}
	it := m.item
	switch a {
	case actClaim:
		if it.Owned {
			return nil
		}
		return m.readCmd(whyClaim, true)
	case actRefetch:
		it.busy = true
		m.layoutDetail()
		svc, ctx, id := m.c.Services.IMK, m.c.Ctx, it.ID
		gen := it.Gen
		return tea.Batch(common.StatusCmd("tui.imk.refetching"), func() tea.Msg {
			app, err := svc.Refetch(ctx, id)
			return DoneMsg{gen: gen, act: actRefetch, ID: id, App: app, Err: err}
		})
	case actReveal:
		if it.revealed {
			return nil
		}
	}
	return m.openForm(a)
}

func (m *Model) openForm(a action) tea.Cmd {
	c, it := m.c, m.item
	name := applicant(it.app)
	var f *form.Model
	switch a {
	case actApprove:
		f = form.New(c, "tui.imk.approve_title", []any{it.ID, name},
			form.Field{ID: fReason, Label: "tui.imk.field.reason", Hint: "tui.imk.hint.reason", Limit: domain.IMKReasonMaxLength})
	case actReject:
		f = form.New(c, "tui.imk.reject_title", []any{it.ID, name},
			form.Field{ID: fReason, Label: "tui.imk.field.reason", Hint: "tui.imk.hint.reason", Limit: domain.IMKReasonMaxLength})
	case actReveal:
		f = form.New(c, "tui.imk.reveal_title", []any{it.ID},
			form.Field{ID: fReason, Label: "tui.imk.field.reason", Hint: "tui.imk.hint.reveal", Limit: domain.RevealReasonMaxLength})
	default:
		return nil
	}
	if d, ok := it.drafts[a]; ok {
		f.SetValue(fReason, d)
	}
	m.form, m.act, m.mode = f, a, modeForm
	m.formVersion = it.app.Version
	return clearStatus
}

func (m *Model) updateForm(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.form.Update(msg)
	switch res {
	case form.Cancel:
		// Keep what was typed: opening the same form again brings it back.
		if m.item != nil {
			m.item.drafts[m.act] = m.form.Value(fReason)
		}
		m.form, m.mode = nil, modeDetail
		m.layoutDetail()
		return nil
	case form.Submit:
		return m.submit()
	}
	return cmd
}

// submit checks the reason and sends the action (an approval first asks
// for confirmation); nothing in the form is lost when either fails.
func (m *Model) submit() tea.Cmd {
	f, it := m.form, m.item
	f.SetError(nil)
	reason := common.PlainLine(f.Value(fReason))
	if reason == "" {
		f.SetErrorKey("tui.imk.reason_required")
		return nil
	}
	svc, ctx, id, version := m.c.Services.IMK, m.c.Ctx, it.ID, m.formVersion
	switch m.act {
	case actApprove:
		m.reason, m.mode = reason, modeConfirm
		return nil
	case actReject:
		f.Busy = true
		return m.doCmd(actReject, func() error { return svc.DecideIMK(ctx, id, version, false, reason) })
	case actReveal:
		f.Busy = true
		return m.revealCmd(id, reason)
	}
	return nil
}

// approve sends the confirmed approval with the version the form saw.
func (m *Model) approve() tea.Cmd {
	svc, ctx, id, version, reason := m.c.Services.IMK, m.c.Ctx, m.item.ID, m.formVersion, m.reason
	m.mode = modeForm
	m.form.Busy = true
	return m.doCmd(actApprove, func() error { return svc.DecideIMK(ctx, id, version, true, reason) })
}

// revealCmd asks the service for the whole personal code with the
// reason: it records the look (¶19, ¶20) and counts it toward the misuse
// alert in the same call, so the code is shown only once that is done.
func (m *Model) revealCmd(id int64, reason string) tea.Cmd {
	svc, ctx, gen := m.c.Services.IMK, m.c.Ctx, m.item.Gen
	return func() tea.Msg {
		code, err := svc.RevealPersonalCode(ctx, id, reason)
		return DoneMsg{gen: gen, act: actReveal, ID: id, Code: code, Err: err}
	}
}

func (m *Model) doCmd(a action, run func() error) tea.Cmd {
	gen, id := m.item.Gen, m.item.ID
	return func() tea.Msg { return DoneMsg{gen: gen, act: a, ID: id, Err: run()} }
}

// done takes in the result of an action. A failure keeps the form as it
// was with the error in it and in the status line; a conflict reads the
// application again to say who got there first.
func (m *Model) done(msg DoneMsg) tea.Cmd {
	it := m.item
	if it == nil || msg.gen != it.Gen {
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		return nil
	}
	it.busy = false
	formOpen := m.form != nil && m.act == msg.act
	if formOpen {
		m.form.Busy = false
	}
	if msg.Err != nil {
		if formOpen {
			m.form.SetError(msg.Err)
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
	if formOpen {
		m.form, m.mode = nil, modeDetail
	}
	switch msg.act {
	case actApprove, actReject:
		// The decision gave the claim back; the application leaves the desk.
		status := map[action]string{actApprove: "tui.imk.approved", actReject: "tui.imk.rejected"}[msg.act]
		m.item, m.form, m.mode = nil, nil, modeList
		return tea.Batch(common.StatusCmd(status, msg.ID), m.reload())
	case actRefetch:
		outcome := "—"
		if msg.App != nil {
			it.app = msg.App
			if e := msg.App.Evaluation; e != nil {
				outcome = m.c.T("tui.imk.outcome." + string(e.Outcome))
			}
		}
		m.layoutDetail()
		return common.StatusCmd("tui.imk.refetched", outcome)
	case actReveal:
		it.revealed, it.code = true, msg.Code
		m.layoutDetail()
		return common.StatusCmd("tui.imk.revealed")
	}
	return nil
}
