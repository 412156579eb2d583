package helpdesk

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
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

func (m *Model) optional(key, fallback string) string { return m.c.Named(key, fallback) }

// open shows r at once, as the list knows it, and claims and reads it.
func (m *Model) open(r *domain.Ticket) tea.Cmd {
	m.openGen++
	cp := *r
	m.item = &item{Lease: queue.Lease{Gen: m.openGen, ID: r.ID}, t: &cp, drafts: map[action]map[string]string{}}
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
	gen, id, svc, ctx := it.Gen, it.ID, m.c.Services.Helpdesk, m.c.Ctx
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
	if !queue.LeaseOf(m.item).Current(msg.gen) {
		// Left before the answer came: give back what this read claimed.
		return m.claims().Stale(msg.ID, msg.Claimed)
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
		cmds = append(cmds, m.claims().Took(&it.Lease, msg.Claimed, msg.ClaimErr, m.claimError))
	case whyReread, whyConflict:
		if it.Owned && m.heldByOther(it.t) {
			it.Owned = false
			cmds = append(cmds, errorCmd(domain.Errorf(domain.ECONFLICT, "tui.hd.claim_lost",
				"you no longer hold request %d: %s does", it.ID, it.t.ClaimedByName)))
		}
		if msg.why == whyConflict && msg.Ticket != nil {
			err := m.conflictError(it.t)
			if m.sheet != nil {
				m.sheet.SetError(err)
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
			return errorCmd(domain.Errorf(domain.ECONFLICT, "tui.hd.held_by", "request %d is held by %s", t.ID, t.ClaimedByName))
		}
	case domain.EINVALID:
		if t.State == domain.TicketResolved {
			return nil
		}
	}
	return errorCmd(err)
}

// conflictError says why a write met a conflict, from the request as read
// again: what its own rule says now (held by someone, resolved …), or that
// it changed.
func (m *Model) conflictError(t *domain.Ticket) error {
	if err := t.Allows(rules[m.conflictAct], m.c.Operator.Ref(), m.c.Clock()); err != nil {
		return err
	}
	return domain.Errorf(domain.ECONFLICT, "tui.hd.conflict.changed", "the request changed meanwhile; look at it again")
}

// claims binds the request service's claim calls to the session.
func (m *Model) claims() queue.Claims[*domain.Ticket] {
	svc, ctx := m.c.Services.Helpdesk, m.c.Ctx
	return queue.Claims[*domain.Ticket]{
		Tick:     m.c.Tick,
		Every:    renewEvery,
		Claim:    func(id int64) (*domain.Ticket, error) { return svc.ClaimTicket(ctx, id) },
		Release:  func(id int64) error { return svc.ReleaseTicket(ctx, id) },
		Operator: m.c.Operator,
		Role:     domain.RoleHelpdesk,
	}
}

// held shows the holder and lease end of the open request as renewed.
func (m *Model) held(x *domain.Ticket) {
	if x != nil {
		it := m.item
		it.t.ClaimedBy, it.t.ClaimedByName, it.t.ClaimExpiresAt = x.ClaimedBy, x.ClaimedByName, x.ClaimExpiresAt
		m.layoutDetail()
	}
}

// reread reads the open request again, without claiming it.
func (m *Model) reread() tea.Cmd { return m.readCmd(whyReread, false) }

// reload reads the page of the list shown again.
func (m *Model) reload() tea.Cmd { return m.loadCmd(navStay, m.list.Cur()) }

// closeItem goes back to the list, giving the claim back.
func (m *Model) closeItem() tea.Cmd {
	l := queue.LeaseOf(m.item)
	m.item, m.sheet, m.mode = nil, nil, modeList
	return m.claims().Leave(l, m.reload)
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
