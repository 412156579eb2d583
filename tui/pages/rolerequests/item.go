package rolerequests

import (
	"strconv"
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

// open shows r at once, as the list knows it, and claims and reads it in
// full. A request that is no longer open is only read.
func (m *Model) open(r *domain.RoleRequest) tea.Cmd {
	m.openGen++
	cp := *r
	m.item = &item{gen: m.openGen, id: r.ID, req: &cp, drafts: map[action]map[string]string{}}
	m.mode, m.form = modeDetail, nil
	m.vp.GotoTop()
	m.layoutDetail()
	return tea.Batch(clearStatus, m.readCmd(whyOpen, r.State.Open()))
}

// clearStatus empties the status line, so that a message about the request
// before does not linger over this one.
func clearStatus() tea.Msg { return common.StatusMsg{} }

// readCmd reads the open request, its history and duplicates; with claim
// it claims the request first, so that the holder shown is current.
func (m *Model) readCmd(w why, claim bool) tea.Cmd {
	it := m.item
	if it == nil {
		return nil
	}
	gen, id, svc, ctx := it.gen, it.id, m.c.Services.RoleRequests, m.c.Ctx
	def := m.c.Services.Defence
	return func() tea.Msg {
		msg := ItemMsg{gen: gen, why: w, ID: id}
		if claim {
			_, err := svc.ClaimRoleRequest(ctx, id)
			msg.Claimed, msg.ClaimErr = err == nil, err
		}
		req, err := svc.FindRoleRequest(ctx, id)
		if err != nil {
			msg.Err = err
			return msg
		}
		msg.Req = req
		if w == whyOpen {
			recordView(ctx, def, req.Form.PersonalCode)
		}
		if msg.History, err = svc.RoleRequestHistory(ctx, id); err != nil {
			msg.Err = err
		}
		if msg.Duplicates, err = svc.FindDuplicates(ctx, id); err != nil && msg.Err == nil {
			msg.Err = err
		}
		return msg
	}
}

// itemRead takes in a read of the open request.
func (m *Model) itemRead(msg ItemMsg) tea.Cmd {
	it := m.item
	if it == nil || msg.gen != it.gen {
		// The operator left before the answer came: give back what this
		// read claimed.
		if msg.Claimed {
			return m.releaseCmd(msg.ID)
		}
		return nil
	}
	var cmds []tea.Cmd
	if msg.Req != nil {
		it.req, it.history, it.dups = msg.Req, msg.History, msg.Duplicates
		it.loaded = msg.Err == nil
	}
	if msg.Err != nil {
		cmds = append(cmds, errorCmd(msg.Err))
	}
	now := m.c.Clock()
	switch msg.why {
	case whyOpen, whyClaim:
		switch {
		case msg.Claimed:
			if !it.owned {
				it.owned = true
				cmds = append(cmds, m.renewTick(it.gen))
			}
			if msg.why == whyClaim {
				cmds = append(cmds, common.StatusCmd("tui.rr.claimed", it.id))
			}
		case msg.ClaimErr != nil:
			it.owned = false
			cmds = append(cmds, m.claimError(msg.ClaimErr))
		}
	case whyReread, whyConflict:
		if it.owned && it.req.ClaimedByOther(m.me(), now) {
			it.owned = false
			cmds = append(cmds, errorCmd(domain.Errorf(domain.ECONFLICT, "tui.rr.claim_lost",
				"you no longer hold request %d: %s does", it.id, common.PlainLine(it.req.ClaimedByName))))
		}
		if msg.why == whyConflict && msg.Req != nil {
			err := m.conflictError(it.req)
			if m.form != nil {
				m.form.setError(err)
			}
			cmds = append(cmds, errorCmd(err))
		}
	}
	m.layoutDetail()
	return tea.Batch(cmds...)
}

// claimError explains a claim that failed. Another holder opens the
// request read-only with their name; a request that cannot be claimed in
// its state (waiting for an e-mail or an institution) opens quietly.
func (m *Model) claimError(err error) tea.Cmd {
	it := m.item
	switch domain.ErrorCode(err) {
	case domain.ECONFLICT:
		if name := it.req.ClaimedByName; name != "" && it.req.ClaimedBy != m.me() {
			return errorCmd(domain.Errorf(domain.ECONFLICT, "tui.rr.held_by", "request %d is held by %s", it.id, common.PlainLine(name)))
		}
	case domain.EINVALID:
		if it.req.State != domain.StatePending {
			return nil
		}
	}
	return errorCmd(err)
}

// conflictError says why a decision met a conflict, from the request as
// read again: decided by someone, claimed by someone, or changed.
func (m *Model) conflictError(r *domain.RoleRequest) error {
	c := m.c
	switch {
	case r.State != domain.StatePending && r.DecidedByName != "":
		return domain.Errorf(domain.ECONFLICT, "tui.rr.conflict.decided", "%s has already decided this request (%s)",
			common.PlainLine(r.DecidedByName), c.T("tui.rr.state."+string(r.State)))
	case r.ClaimedByOther(m.me(), c.Clock()):
		return domain.Errorf(domain.ECONFLICT, "tui.rr.conflict.held", "%s has claimed this request meanwhile", common.PlainLine(r.ClaimedByName))
	}
	return domain.Errorf(domain.ECONFLICT, "tui.rr.conflict.changed", "the request changed meanwhile")
}

// renewTick arms the one timer that runs while a request is open and
// held.
func (m *Model) renewTick(gen int) tea.Cmd {
	return m.c.Tick(renewEvery, func(time.Time) tea.Msg { return renewMsg{gen: gen} })
}

func (m *Model) renew(msg renewMsg) tea.Cmd {
	it := m.item
	if it == nil || msg.gen != it.gen || !it.owned {
		return nil // the request was closed or lost since: the timer ends here
	}
	if m.c.Operator == nil || !m.c.Operator.HasRole(domain.RoleReviewer) {
		return m.closeItem()
	}
	gen, id, svc, ctx := it.gen, it.id, m.c.Services.RoleRequests, m.c.Ctx
	return func() tea.Msg {
		req, err := svc.ClaimRoleRequest(ctx, id)
		return renewedMsg{gen: gen, id: id, req: req, err: err}
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
		if r := msg.req; r != nil {
			it.req.ClaimedBy, it.req.ClaimedByName, it.req.ClaimExpiresAt = r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt
			m.layoutDetail()
		}
		return m.renewTick(it.gen)
	case domain.ErrorCode(msg.err) == domain.ECONFLICT:
		// Someone took it after the lease ran out: say so once re-read.
		return m.readCmd(whyReread, false)
	}
	// The database may be away; the lease outlives a few tries.
	return tea.Batch(errorCmd(msg.err), m.renewTick(it.gen))
}

func (m *Model) releaseCmd(id int64) tea.Cmd {
	svc, ctx := m.c.Services.RoleRequests, m.c.Ctx
	return func() tea.Msg { return releasedMsg{err: svc.ReleaseRoleRequest(ctx, id)} }
}

// closeItem goes back to the list, giving the claim back.
func (m *Model) closeItem() tea.Cmd {
	it := m.item
	m.item, m.form, m.mode = nil, nil, modeList
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
	case key.Matches(msg, k.Approve):
		return m.start(actApprove)
	case key.Matches(msg, k.Reject):
		return m.start(actReject)
	case key.Matches(msg, k.Info):
		return m.start(actInfo)
	case key.Matches(msg, k.Resend):
		return m.start(actResend)
	case key.Matches(msg, k.TakeOver):
		return m.start(actTakeOver)
	case key.Matches(msg, k.Reveal):
		return m.start(actReveal)
	case key.Matches(msg, k.Claim):
		return m.start(actClaim)
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
