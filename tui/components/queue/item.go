package queue

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// openItem shows t at once, as the list knows it, and reads it in full,
// claiming it first when it is in a state to be claimed, so that the holder
// shown is current.
func (m *Model[T, F, X]) openItem(t T) tea.Cmd {
	m.openGen++
	f := m.spec.Facts(t)
	m.open = &Open[T, X]{ID: f.ID, Item: t, gen: m.openGen, holder: f.Holder, drafts: map[int]form.Draft{}}
	m.mode, m.form = modeDetail, nil
	m.vp.GotoTop()
	m.layout()
	return tea.Batch(clearStatus, m.read(whyOpen, f.Open))
}

// read reads the open item (and what the detail shows besides); with claim
// it claims the item first.
func (m *Model[T, F, X]) read(w why, claim bool) tea.Cmd {
	o := m.open
	if o == nil {
		return nil
	}
	o.claiming = o.claiming || claim
	svc, ctx, q := m.spec.Service, m.c.Ctx, m
	gen, id := o.gen, o.ID
	return func() tea.Msg {
		msg := itemMsg[T, F, X]{q: q, gen: gen, why: w, id: id}
		if claim {
			_, err := svc.Claim(ctx, id)
			msg.claimed, msg.claimErr = err == nil, err
		}
		if msg.item, msg.err = svc.Find(ctx, id); msg.err != nil {
			return msg
		}
		msg.found = true
		if svc.More != nil {
			msg.more, msg.err = svc.More(ctx, id)
		}
		return msg
	}
}

// current reports whether gen numbers the opening of the open item.
func (m *Model[T, F, X]) current(gen int) bool { return m.open != nil && m.open.gen == gen }

// itemRead takes in a read of the open item.
func (m *Model[T, F, X]) itemRead(msg itemMsg[T, F, X]) tea.Cmd {
	if !m.current(msg.gen) {
		// The operator left before the answer came: give back what this
		// read claimed.
		if msg.claimed {
			return m.releaseCmd(msg.id)
		}
		return nil
	}
	o := m.open
	if msg.found {
		o.Item, o.More, o.Loaded = msg.item, msg.more, msg.err == nil
		o.holder = m.spec.Facts(msg.item).Holder
	}
	cmds := []tea.Cmd{errorCmd(msg.err)}
	switch msg.why {
	case whyOpen, whyClaim:
		o.claiming = false
		cmds = append(cmds, m.took(msg.claimed, msg.claimErr))
		if msg.claimed && msg.why == whyClaim {
			if a := m.claimAction(); a != nil && a.Done != "" {
				cmds = append(cmds, common.StatusCmd(a.Done, o.ID))
			}
		}
	case whyReread, whyConflict:
		if o.Owned && o.holder.Other(m.me(), m.c.Clock()) {
			o.Owned = false
			cmds = append(cmds, errorCmd(refusal(domain.ECONFLICT, m.spec.Words.Lost, o.ID, o.holder.Name)))
		}
		if msg.why == whyConflict && msg.found {
			err := m.conflictError()
			if m.form != nil {
				m.form.SetError(err)
			}
			cmds = append(cmds, errorCmd(err))
		}
	}
	m.layout()
	return tea.Batch(cmds...)
}

// took takes in the outcome of a claim made while reading the open item:
// one that held makes it owned and, unless it was already, arms the
// renewal; one that failed makes it not owned and says why. When no claim
// was made it does nothing.
func (m *Model[T, F, X]) took(claimed bool, err error) tea.Cmd {
	o := m.open
	switch {
	case claimed:
		if !o.Owned {
			o.Owned = true
			return m.renewTick(o.gen)
		}
	case err != nil:
		o.Owned = false
		return m.claimError(err)
	}
	return nil
}

// claimError explains a claim that failed. Another holder opens the item
// read-only with their name; an item that is not to be claimed in its
// state (as read) opens quietly.
func (m *Model[T, F, X]) claimError(err error) tea.Cmd {
	o := m.open
	switch domain.ErrorCode(err) {
	case domain.ECONFLICT:
		if h := o.holder; h.Name != "" && h.ID != m.me() {
			return errorCmd(refusal(domain.ECONFLICT, m.spec.Words.HeldBy, o.ID, h.Name))
		}
	case domain.EINVALID:
		if !m.spec.Facts(o.Item).Open {
			return nil
		}
	}
	return errorCmd(err)
}

// conflictError says why an action met a conflict, from the item as read
// again: what its own rule says now (decided, claimed …), or that it
// changed since the action began.
func (m *Model[T, F, X]) conflictError() error {
	if rule := m.spec.Actions[m.conflict].Rule; rule != nil {
		if err := rule(m.open.Item); err != nil {
			return err
		}
	}
	return refusal(domain.ECONFLICT, m.spec.Words.Changed)
}

// renewTick arms the one timer that runs while an item of opening gen is
// open and held.
func (m *Model[T, F, X]) renewTick(gen int) tea.Cmd {
	q := m
	return m.c.Tick(RenewEvery, func(time.Time) tea.Msg { return renewMsg[T, F, X]{q, gen} })
}

// renew answers the renewal timer: a timer of an opening closed or lost
// since ends here. When the operator no longer has the queue's role the
// item is closed. Otherwise it is claimed again; a renewedMsg carries the
// answer.
func (m *Model[T, F, X]) renew(msg renewMsg[T, F, X]) tea.Cmd {
	if !m.current(msg.gen) || !m.open.Owned {
		return nil
	}
	if !m.spec.works(m.c.Operator) {
		return m.closeItem()
	}
	claim, ctx, q, id := m.spec.Service.Claim, m.c.Ctx, m, m.open.ID
	return func() tea.Msg {
		t, err := claim(ctx, id)
		return renewedMsg[T, F, X]{q: q, gen: msg.gen, id: id, item: t, err: err}
	}
}

// renewed takes in the answer to a renewal. One for an item closed since
// gives its claim back. One that held shows the new lease end and arms the
// next renewal. A conflict means someone took the item after the lease ran
// out: it is read again to say so. Any other error is shown and the
// renewal tried again, since the lease outlives a few tries while the
// database is away.
func (m *Model[T, F, X]) renewed(msg renewedMsg[T, F, X]) tea.Cmd {
	if !m.current(msg.gen) {
		if msg.err == nil {
			return m.releaseCmd(msg.id)
		}
		return nil
	}
	switch {
	case msg.err == nil:
		m.open.holder = m.spec.Facts(msg.item).Holder
		m.layout()
		return m.renewTick(msg.gen)
	case domain.ErrorCode(msg.err) == domain.ECONFLICT:
		return m.read(whyReread, false)
	}
	return tea.Batch(errorCmd(msg.err), m.renewTick(msg.gen))
}

// releaseCmd gives the claim on item id back; the answer reloads the
// list.
func (m *Model[T, F, X]) releaseCmd(id int64) tea.Cmd {
	release, ctx, q := m.spec.Service.Release, m.c.Ctx, m
	return func() tea.Msg { return releasedMsg[T, F, X]{q, release(ctx, id)} }
}

// closeItem goes back to the list, giving a held claim back (whose answer
// reloads the list); otherwise the list is read again at once.
func (m *Model[T, F, X]) closeItem() tea.Cmd {
	o := m.open
	m.open, m.form, m.send, m.mode = nil, nil, nil, modeList
	switch {
	case o == nil:
		return nil
	case o.Owned:
		return m.releaseCmd(o.ID)
	}
	return m.reload()
}

func (m *Model[T, F, X]) updateDetailKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.Close) {
		return m.closeItem()
	}
	for i, b := range k.Actions {
		if key.Matches(msg, b) {
			return m.start(i)
		}
	}
	switch {
	case key.Matches(msg, k.Top):
		m.vp.GotoTop()
		return nil
	case key.Matches(msg, k.Bottom):
		m.vp.GotoBottom()
		return nil
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(msg)
	return cmd
}
