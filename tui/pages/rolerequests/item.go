package rolerequests

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

// open shows r at once, as the list knows it, and claims and reads it in
// full. A request that is no longer open is only read.
func (m *Model) open(r *domain.RoleRequest) tea.Cmd {
	m.openGen++
	cp := *r
	m.item = &item{Lease: queue.Lease{Gen: m.openGen, ID: r.ID}, req: &cp, drafts: map[action]map[string]string{}}
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
	gen, id, svc, ctx := it.Gen, it.ID, m.c.Services.RoleRequests, m.c.Ctx
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
		// The read itself counts as a look at the person (the misuse
		// alerts), in the service.
		msg.Req = req
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
	if !queue.LeaseOf(m.item).Current(msg.gen) {
		// The operator left before the answer came: give back what this
		// read claimed.
		return m.claims().Stale(msg.ID, msg.Claimed)
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
		cmds = append(cmds, m.claims().Took(&it.Lease, msg.Claimed, msg.ClaimErr, m.claimError))
		if msg.Claimed && msg.why == whyClaim {
			cmds = append(cmds, common.StatusCmd("tui.rr.claimed", it.ID))
		}
	case whyReread, whyConflict:
		if it.Owned && it.req.ClaimedByOther(m.me(), now) {
			it.Owned = false
			cmds = append(cmds, errorCmd(domain.Errorf(domain.ECONFLICT, "tui.rr.claim_lost",
				"you no longer hold request %d: %s does", it.ID, it.req.ClaimedByName)))
		}
		if msg.why == whyConflict && msg.Req != nil {
			err := m.conflictError(it.req)
			if m.form != nil {
				m.form.SetError(err)
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
			return errorCmd(domain.Errorf(domain.ECONFLICT, "tui.rr.held_by", "request %d is held by %s", it.ID, name))
		}
	case domain.EINVALID:
		if it.req.State != domain.StatePending {
			return nil
		}
	}
	return errorCmd(err)
}

// conflictError says why an action met a conflict, from the request as
// read again: what its own rule says now (decided, claimed, waiting for
// the applicant …), or that it changed since the form opened.
func (m *Model) conflictError(r *domain.RoleRequest) error {
	if err := r.Allows(rules[m.conflictAct], m.c.Operator.Ref(), m.c.Clock(), m.config()); err != nil {
		return err
	}
	return domain.Errorf(domain.ECONFLICT, "tui.rr.conflict.changed", "the request changed meanwhile")
}

// claims binds the request service's claim calls to the session.
func (m *Model) claims() queue.Claims[*domain.RoleRequest] {
	svc, ctx := m.c.Services.RoleRequests, m.c.Ctx
	return queue.Claims[*domain.RoleRequest]{
		Tick:     m.c.Tick,
		Every:    renewEvery,
		Claim:    func(id int64) (*domain.RoleRequest, error) { return svc.ClaimRoleRequest(ctx, id) },
		Release:  func(id int64) error { return svc.ReleaseRoleRequest(ctx, id) },
		Operator: m.c.Operator,
		Role:     domain.RoleReviewer,
	}
}

// held shows the holder and lease end of the open request as renewed.
func (m *Model) held(x *domain.RoleRequest) {
	if x != nil {
		it := m.item
		it.req.ClaimedBy, it.req.ClaimedByName, it.req.ClaimExpiresAt = x.ClaimedBy, x.ClaimedByName, x.ClaimExpiresAt
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
	m.item, m.form, m.mode = nil, nil, modeList
	return m.claims().Leave(l, m.reload)
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
