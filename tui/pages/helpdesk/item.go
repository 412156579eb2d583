package helpdesk

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// me is the signed-in operator's id.
func (m *Model) me() int64 {
	if m.c.Operator == nil {
		return 0
	}
	return m.c.Operator.ID
}

// heldByOther reports whether someone else holds t now.
func (m *Model) heldByOther(t *domain.Ticket) bool {
	return t.ClaimedBy != 0 && t.ClaimedBy != m.me() && m.c.Clock().Before(t.ClaimExpiresAt)
}

func (m *Model) optional(key, fallback string) string {
	if t := m.c.T(key); !strings.HasPrefix(t, "[") {
		return t
	}
	return fallback
}

// open shows r at once, as the list knows it, and claims and reads it.
func (m *Model) open(r *domain.Ticket) tea.Cmd {
	m.openGen++
	cp := *r
	m.item = &item{gen: m.openGen, id: r.ID, t: &cp, drafts: map[action]map[string]string{}}
	m.mode, m.sheet = modeDetail, nil
	m.vp.GotoTop()
	m.layoutDetail()
	return tea.Batch(clearStatus, m.readCmd(whyOpen, r.State != domain.TicketResolved))
}

func clearStatus() tea.Msg { return common.StatusMsg{} }

// readCmd reads the open request; with claim it claims it first, so that
// the holder shown is current.
func (m *Model) readCmd(w why, claim bool) tea.Cmd {
	it := m.item
	if it == nil {
		return nil
	}
	gen, id, svc, ctx := it.gen, it.id, m.c.Services.Helpdesk, m.c.Ctx
	return func() tea.Msg {
		msg := ItemMsg{gen: gen, why: w, ID: id}
		if claim {
			_, err := svc.ClaimTicket(ctx, id)
			msg.Claimed, msg.ClaimErr = err == nil, err
		}
		msg.Ticket, msg.Err = svc.FindTicket(ctx, id)
		return msg
	}
}

// itemRead takes in a read of the open request.
func (m *Model) itemRead(msg ItemMsg) tea.Cmd {
	it := m.item
	if it == nil || msg.gen != it.gen {
		// Left before the answer came: give back what this read claimed.
		if msg.Claimed {
			return m.releaseCmd(msg.ID)
		}
		return nil
	}
	var cmds []tea.Cmd
	if msg.Ticket != nil {
		it.t, it.loaded = msg.Ticket, true
	}
	if msg.Err != nil {
		cmds = append(cmds, errorCmd(msg.Err))
	}
	switch msg.why {
	case whyOpen:
		switch {
		case msg.Claimed:
			if !it.owned {
				it.owned = true
				cmds = append(cmds, m.renewTick(it.gen))
			}
		case msg.ClaimErr != nil:
			it.owned = false
			cmds = append(cmds, m.claimError(msg.ClaimErr))
		}
	case whyReread, whyConflict:
		if it.owned && m.heldByOther(it.t) {
			it.owned = false
			cmds = append(cmds, errorCmd(domain.Errorf(domain.ECONFLICT, "tui.hd.claim_lost",
				"you no longer hold request %d: %s does", it.id, common.PlainLine(it.t.ClaimedByName))))
		}
		if msg.why == whyConflict && msg.Ticket != nil {
			err := m.conflictError(it.t)
			if m.sheet != nil {
				m.sheet.setError(err)
			}
			cmds = append(cmds, errorCmd(err))
		}
	}
	m.layoutDetail()
	return tea.Batch(cmds...)
}

// claimError explains a claim that failed: another holder by name; a
// resolved request opens quietly.
func (m *Model) claimError(err error) tea.Cmd {
	t := m.item.t
	switch domain.ErrorCode(err) {
	case domain.ECONFLICT:
		if t.ClaimedByName != "" && t.ClaimedBy != m.me() {
			return errorCmd(domain.Errorf(domain.ECONFLICT, "tui.hd.held_by", "request %d is held by %s", t.ID, common.PlainLine(t.ClaimedByName)))
		}
	case domain.EINVALID:
		if t.State == domain.TicketResolved {
			return nil
		}
	}
	return errorCmd(err)
}

// conflictError says why a write met a conflict, from the request as read
// again: held by someone, or changed.
func (m *Model) conflictError(t *domain.Ticket) error {
	if m.heldByOther(t) {
		return domain.Errorf(domain.ECONFLICT, "tui.hd.conflict.held", "%s has claimed this request meanwhile", common.PlainLine(t.ClaimedByName))
	}
	return domain.Errorf(domain.ECONFLICT, "tui.hd.conflict.changed", "the request changed meanwhile; look at it again")
}

func (m *Model) renewTick(gen int) tea.Cmd {
	return m.c.Tick(renewEvery, func(time.Time) tea.Msg { return renewMsg{gen: gen} })
}

func (m *Model) renew(msg renewMsg) tea.Cmd {
	it := m.item
	if it == nil || msg.gen != it.gen || !it.owned {
		return nil // closed or lost since: the timer ends here
	}
	if m.c.Operator == nil || !m.c.Operator.HasRole(domain.RoleHelpdesk) {
		return m.closeItem()
	}
	gen, id, svc, ctx := it.gen, it.id, m.c.Services.Helpdesk, m.c.Ctx
	return func() tea.Msg {
		t, err := svc.ClaimTicket(ctx, id)
		return renewedMsg{gen: gen, id: id, t: t, err: err}
	}
}

func (m *Model) renewed(msg renewedMsg) tea.Cmd {
	it := m.item
	if it == nil || msg.gen != it.gen {
		if msg.err == nil {
			return m.releaseCmd(msg.id)
		}
		return nil
	}
	switch {
	case msg.err == nil:
		if t := msg.t; t != nil {
			it.t.ClaimedBy, it.t.ClaimedByName, it.t.ClaimExpiresAt = t.ClaimedBy, t.ClaimedByName, t.ClaimExpiresAt
			m.layoutDetail()
		}
		return m.renewTick(it.gen)
	case domain.ErrorCode(msg.err) == domain.ECONFLICT:
		return m.readCmd(whyReread, false)
	}
	return tea.Batch(errorCmd(msg.err), m.renewTick(it.gen))
}

func (m *Model) releaseCmd(id int64) tea.Cmd {
	svc, ctx := m.c.Services.Helpdesk, m.c.Ctx
	return func() tea.Msg { return releasedMsg{err: svc.ReleaseTicket(ctx, id)} }
}

// closeItem goes back to the list, giving the claim back.
func (m *Model) closeItem() tea.Cmd {
	it := m.item
	m.item, m.sheet, m.mode = nil, nil, modeList
	if it == nil {
		return nil
	}
	if it.owned {
		return m.releaseCmd(it.id)
	}
	return m.loadCmd(navStay, m.pager.Cur())
}

func (m *Model) updateDetailKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Close):
		return m.closeItem()
	case key.Matches(msg, k.Category):
		return m.start(actCategory)
	case key.Matches(msg, k.Reply):
		return m.start(actReply)
	case key.Matches(msg, k.Reset):
		return m.start(actReset)
	case key.Matches(msg, k.Suspend):
		return m.start(actSuspend)
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
