package queue

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// unavailable says why action i cannot be done to the open item now, or
// nil: the previous action has not finished, or refused returns why.
func (m *Model[T, F, X]) unavailable(i int) error {
	if o := m.open; o == nil || o.busy || m.form != nil && m.form.Busy {
		return refusal(domain.EINVALID, "tui.queue.why.busy")
	}
	return m.refused(i)
}

// refused is unavailable without the wait for an action under way: the
// item's own rule, then the holder's step — a claim still under way says
// so rather than that the operator does not hold the item — then the
// screen's own.
func (m *Model[T, F, X]) refused(i int) error {
	a, o := &m.spec.Actions[i], m.open
	if a.Rule != nil {
		if err := a.Rule(o.Item); err != nil {
			return err
		}
	}
	if a.Held && !o.Owned {
		if o.claiming {
			return refusal(domain.EINVALID, "tui.queue.why.claiming")
		}
		return refusal(domain.EINVALID, m.spec.Words.NotHeld)
	}
	if a.Check != nil {
		return a.Check(o.Item)
	}
	return nil
}

// offered reports whether the footer offers action i now: it is allowed
// and worth it.
func (m *Model[T, F, X]) offered(i int) bool {
	return m.unavailable(i) == nil && m.worth(i)
}

// worth reports whether action i is worth doing beyond being allowed.
func (m *Model[T, F, X]) worth(i int) bool {
	a := &m.spec.Actions[i]
	switch {
	case a.Claims:
		return !m.open.Owned
	case a.Offer != nil:
		return a.Offer(m.open)
	}
	return true
}

// claimAction returns the action that claims the open item, nil when the
// screen has none.
func (m *Model[T, F, X]) claimAction() *Action[T, X] {
	for i := range m.spec.Actions {
		if m.spec.Actions[i].Claims {
			return &m.spec.Actions[i]
		}
	}
	return nil
}

// start begins action i: its form, its confirmation, or its call.
func (m *Model[T, F, X]) start(i int) tea.Cmd {
	if err := m.unavailable(i); err != nil {
		return errorCmd(err)
	}
	if !m.worth(i) {
		return nil
	}
	a, o := &m.spec.Actions[i], m.open
	if a.Claims {
		return m.read(whyClaim, true)
	}
	m.act, m.version = i, m.spec.Facts(o.Item).Version
	if a.Begin != nil {
		a.Begin(o)
	}
	switch {
	case a.Form != nil:
		f := a.Form(o)
		f.Restore(o.drafts[i])
		m.form, m.mode = f, modeForm
		return clearStatus
	case a.Confirm != nil:
		m.send, m.mode = nil, modeConfirm
		return clearStatus
	}
	return m.run(a.Send(o, m.version))
}

// run sends the call of the action m.act; a doneMsg carries the answer.
// Without a form the item is busy meanwhile.
func (m *Model[T, F, X]) run(send Send) tea.Cmd {
	a, o := &m.spec.Actions[m.act], m.open
	var cmds []tea.Cmd
	if m.form != nil {
		m.form.Busy = true
	} else {
		o.busy, o.busyKey = true, a.Busy
		if a.Busy != "" {
			cmds = append(cmds, common.StatusCmd(a.Busy))
		}
		m.layout()
	}
	ctx, q, gen, act, id := m.c.Ctx, m, o.gen, m.act, o.ID
	return tea.Batch(append(cmds, func() tea.Msg {
		apply, err := send(ctx)
		return doneMsg[T, F, X]{q: q, gen: gen, act: act, id: id, apply: apply, err: err}
	})...)
}

func (m *Model[T, F, X]) updateForm(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.form.Update(msg)
	switch res {
	case form.Cancel:
		// Keep what was typed: opening the same form again brings it back.
		if m.open != nil {
			m.open.drafts[m.act] = m.form.Draft()
		}
		m.form, m.mode = nil, modeDetail
		m.layout()
		return nil
	case form.Submit:
		m.form.SetError(nil)
		a := &m.spec.Actions[m.act]
		send := a.Submit(m.form, m.open, m.version)
		switch {
		case send == nil:
			return nil
		case a.Confirm != nil:
			m.send, m.mode = send, modeConfirm
			return nil
		}
		return m.run(send)
	}
	return cmd
}

func (m *Model[T, F, X]) updateConfirm(msg tea.KeyMsg) tea.Cmd {
	a := &m.spec.Actions[m.act]
	switch {
	case key.Matches(msg, m.keys.Back):
		if m.form != nil {
			m.mode = modeForm
		} else {
			m.send, m.mode = nil, modeDetail
			m.layout()
		}
	case a.Choose != nil && a.Choose(msg):
	case key.Matches(msg, m.keys.Confirm):
		if m.open == nil || m.open.busy {
			return nil
		}
		send := m.send
		if m.form != nil {
			m.mode = modeForm
		} else {
			// Asked now: a choice made in the confirmation is part of it.
			send = a.Send(m.open, m.version)
		}
		return m.run(send)
	}
	return nil
}

// done takes in the answer of an action. A failure keeps the form as it
// was with the error in it and in the status line, and on a conflict reads
// the item again to say who got there first. A success forgets the form
// and its draft and goes on as the action's After says.
func (m *Model[T, F, X]) done(msg doneMsg[T, F, X]) tea.Cmd {
	if !m.current(msg.gen) {
		return errorCmd(msg.err)
	}
	o, a := m.open, &m.spec.Actions[msg.act]
	o.busy = false
	formOpen := m.form != nil && m.act == msg.act
	if formOpen {
		m.form.Busy = false
	}
	if msg.err != nil {
		if formOpen {
			m.form.SetError(msg.err)
		} else if m.mode == modeConfirm {
			m.send, m.mode = nil, modeDetail
		}
		m.layout()
		cmds := []tea.Cmd{errorCmd(msg.err)}
		if domain.ErrorCode(msg.err) == domain.ECONFLICT {
			m.conflict = msg.act
			cmds = append(cmds, m.read(whyConflict, false))
		}
		return tea.Batch(cmds...)
	}
	delete(o.drafts, msg.act)
	if formOpen || m.mode == modeConfirm {
		m.form, m.send, m.mode = nil, nil, modeDetail
	}
	var cmds []tea.Cmd
	if a.Done != "" {
		cmds = append(cmds, common.StatusCmd(a.Done, msg.id))
	}
	if msg.apply != nil {
		cmds = append(cmds, msg.apply())
	}
	switch a.After {
	case Leave:
		m.open, m.form, m.send, m.mode = nil, nil, nil, modeList
		return tea.Batch(append(cmds, m.reload())...)
	case Reread:
		cmds = append(cmds, m.read(whyReread, false))
	case Reclaim:
		cmds = append(cmds, m.read(whyOpen, !o.Owned))
	}
	m.layout()
	return tea.Batch(cmds...)
}
