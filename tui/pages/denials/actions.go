package denials

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// historyCmd reads denial d again with its subject's history.
func (m *Model) historyCmd(d *domain.Denial) tea.Cmd {
	if !m.live() {
		return nil
	}
	m.hgen++
	gen, svc, ctx, id, kind, subject := m.hgen, m.c.Services.Denials, m.c.Ctx, d.ID, d.SubjectKind, d.SubjectID
	return func() tea.Msg {
		fresh, err := svc.FindDenial(ctx, id)
		if err != nil {
			return HistoryMsg{gen: gen, Err: err}
		}
		hist, err := svc.SubjectHistory(ctx, kind, subject)
		return HistoryMsg{gen: gen, Denial: fresh, History: hist, Err: err}
	}
}

func (m *Model) showHistory(msg HistoryMsg) tea.Cmd {
	if msg.gen != m.hgen || m.target == nil {
		return nil
	}
	if msg.Err != nil {
		return errorCmd(msg.Err)
	}
	if msg.Denial.ID == m.target.ID {
		m.target = msg.Denial
	}
	m.history = msg.History
	return nil
}

func (m *Model) updateDetail(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Close):
		m.target, m.history, m.mode = nil, nil, modeList
		return nil
	case key.Matches(msg, k.Up):
		m.top = max(m.top-1, 0)
		return nil
	case key.Matches(msg, k.Down):
		m.top++
		return nil
	}
	cmd, _ := m.actionKey(msg, m.target, modeDetail)
	return cmd
}

// pendingBy is the operator who asked for what d waits for: who raised a
// pending denial, or who asked for a pending lift.
func pendingBy(d *domain.Denial) int64 {
	if d.State == domain.DenialLiftPending {
		return d.LiftedBy
	}
	return d.RaisedBy
}

func isPending(d *domain.Denial) bool {
	return d.State == domain.DenialPendingApproval || d.State == domain.DenialLiftPending
}

// own reports whether d waits for a second officer on the signed-in
// operator's own request.
func (m *Model) own(d *domain.Denial) bool {
	return isPending(d) && m.c.Operator != nil && pendingBy(d) == m.c.Operator.ID
}

// blocker says why act cannot be done to d, or nil.
func (m *Model) blocker(act action, d *domain.Denial) error {
	why := func(key, msg string) error { return &domain.Error{Code: domain.EINVALID, Key: key, Message: msg} }
	switch act {
	case actLift:
		if d.State != domain.DenialInForce {
			return why("tui.den.why.not_in_force", "access can only be restored while the denial is in force")
		}
	case actApprove, actRefuse:
		if !isPending(d) {
			return why("tui.den.why.not_pending", "only what awaits approval can be approved or refused")
		}
		if m.own(d) {
			return &domain.Error{Code: domain.EFORBIDDEN, Key: "tui.den.why.own", Message: "another security officer approves what you raised"}
		}
	}
	return nil
}

// actionKey starts the action of a lift, approve or refuse key on d.
func (m *Model) actionKey(msg tea.KeyMsg, d *domain.Denial, from mode) (tea.Cmd, bool) {
	k := m.keys
	var act action
	switch {
	case key.Matches(msg, k.Lift):
		act = actLift
	case key.Matches(msg, k.Approve):
		act = actApprove
	case key.Matches(msg, k.Refuse):
		act = actRefuse
	default:
		return nil, false
	}
	if err := m.blocker(act, d); err != nil {
		return errorCmd(err), true
	}
	m.back, m.target, m.act = from, d, act
	switch act {
	case actApprove:
		m.mode, m.busy = modeConfirm, false
		return clearStatus, true
	case actLift:
		m.reason = form.New(m.c, "tui.den.lift_title", []any{d.ID},
			form.Field{ID: "reason", Label: "tui.den.field.reason", Limit: domain.MessageMaxLength})
	default:
		m.reason = form.New(m.c, "tui.den.refuse_title", []any{d.ID},
			form.Field{ID: "reason", Label: "tui.den.field.reason", Limit: domain.MessageMaxLength})
	}
	m.mode = modeReason
	return clearStatus, true
}

// leave returns from a confirmation or a reason to where it was opened.
func (m *Model) leave() {
	m.reason, m.busy, m.mode = nil, false, m.back
	if m.mode == modeList {
		m.target = nil
	}
}

func (m *Model) updateConfirm(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		if !m.busy {
			m.leave()
		}
		return nil
	case key.Matches(msg, m.keys.Confirm):
		if m.busy {
			return nil
		}
		m.busy = true
		svc, ctx, id, version := m.c.Services.Denials, m.c.Ctx, m.target.ID, m.target.Version
		return func() tea.Msg { return DoneMsg{act: actApprove, ID: id, Err: svc.Approve(ctx, id, version)} }
	}
	return nil
}

func (m *Model) updateReason(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.reason.Update(msg)
	switch res {
	case form.Cancel:
		m.leave()
		return nil
	case form.Submit:
		reason := common.PlainLine(m.reason.Value("reason"))
		if reason == "" {
			m.reason.SetErrorKey("tui.den.reason_required")
			return nil
		}
		m.reason.SetError(nil)
		m.reason.Busy = true
		svc, ctx, act := m.c.Services.Denials, m.c.Ctx, m.act
		id, version, waits := m.target.ID, m.target.Version, m.target.Ground.LiftNeedsSecondApproval()
		return func() tea.Msg {
			if act == actLift {
				return DoneMsg{act: actLift, ID: id, Waits: waits, Err: svc.Lift(ctx, id, version, reason)}
			}
			return DoneMsg{act: actRefuse, ID: id, Err: svc.Refuse(ctx, id, version, reason)}
		}
	}
	return cmd
}

// done takes in the result of an action; a failure keeps what was typed.
func (m *Model) done(msg DoneMsg) tea.Cmd {
	if msg.Err != nil {
		switch {
		case msg.act == actDeny && m.sheet != nil:
			m.sheet.Busy = false
			m.sheet.SetError(msg.Err)
		case (msg.act == actLift || msg.act == actRefuse) && m.reason != nil:
			m.reason.Busy = false
			m.reason.SetError(msg.Err)
		case msg.act == actApprove && m.mode == modeConfirm:
			m.leave()
		}
		return tea.Batch(errorCmd(msg.Err), m.reloadCmd())
	}
	var status tea.Cmd
	switch msg.act {
	case actDeny:
		m.sheet, m.draft = nil, nil
		if m.mode == modeForm {
			m.mode = modeList
		}
		if msg.Denial != nil && msg.Denial.State == domain.DenialPendingApproval {
			status = common.StatusCmd("tui.den.done.deny_waits", msg.ID)
		} else {
			status = common.StatusCmd("tui.den.done.denied", msg.ID)
		}
	case actLift:
		m.leave()
		if msg.Waits {
			status = common.StatusCmd("tui.den.done.lift_waits", msg.ID)
		} else {
			status = common.StatusCmd("tui.den.done.lifted", msg.ID)
		}
	case actApprove:
		m.leave()
		status = common.StatusCmd("tui.den.done.approved", msg.ID)
	case actRefuse:
		m.leave()
		status = common.StatusCmd("tui.den.done.refused", msg.ID)
	}
	return tea.Batch(status, m.reloadCmd())
}
