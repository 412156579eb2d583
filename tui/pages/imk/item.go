package imk

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

// heldByOther reports whether someone else holds a now.
func (m *Model) heldByOther(a *domain.IMKApplication) bool {
	return a.ClaimedBy != 0 && a.ClaimedBy != m.me() && m.c.Clock().Before(a.ClaimExpiresAt)
}

// open shows r at once, as the list knows it, and claims and reads it.
func (m *Model) open(r *domain.IMKApplication) tea.Cmd {
	m.openGen++
	cp := *r
	m.item = &item{Lease: queue.Lease{Gen: m.openGen, ID: r.ID}, app: &cp, drafts: map[action]string{}}
	m.mode, m.form = modeDetail, nil
	m.vp.GotoTop()
	m.layoutDetail()
	return tea.Batch(clearStatus, m.readCmd(whyOpen, r.State == domain.IMKNeedsReview))
}

func clearStatus() tea.Msg { return common.StatusMsg{} }

// readCmd reads the open application; with claim it claims it first, so
// that the holder shown is current.
func (m *Model) readCmd(w why, claim bool) tea.Cmd {
	it := m.item
	if it == nil {
		return nil
	}
	gen, id, svc, ctx := it.Gen, it.ID, m.c.Services.IMK, m.c.Ctx
	return func() tea.Msg {
		msg := ItemMsg{gen: gen, why: w, ID: id}
		if claim {
			_, err := svc.ClaimIMK(ctx, id)
			msg.Claimed, msg.ClaimErr = err == nil, err
		}
		// The read itself counts as a look at the person (the misuse
		// alerts), in the service.
		msg.App, msg.Err = svc.FindIMK(ctx, id)
		return msg
	}
}

// itemRead takes in a read of the open application.
func (m *Model) itemRead(msg ItemMsg) tea.Cmd {
	it := m.item
	if !queue.LeaseOf(m.item).Current(msg.gen) {
		// Left before the answer came: give back what this read claimed.
		return m.claims().Stale(msg.ID, msg.Claimed)
	}
	var cmds []tea.Cmd
	if msg.App != nil {
		it.app, it.loaded = msg.App, true
	}
	if msg.Err != nil {
		cmds = append(cmds, errorCmd(msg.Err))
	}
	switch msg.why {
	case whyOpen, whyClaim:
		cmds = append(cmds, m.claims().Took(&it.Lease, msg.Claimed, msg.ClaimErr, m.claimError))
		if msg.Claimed && msg.why == whyClaim {
			cmds = append(cmds, common.StatusCmd("tui.imk.claimed", it.ID))
		}
	case whyReread, whyConflict:
		if it.Owned && m.heldByOther(it.app) {
			it.Owned = false
			cmds = append(cmds, errorCmd(domain.Errorf(domain.ECONFLICT, "tui.imk.claim_lost",
				"you no longer hold application %d: %s does", it.ID, it.app.ClaimedByName)))
		}
		if msg.why == whyConflict && msg.App != nil {
			err := m.conflictError(it.app)
			if m.form != nil {
				m.form.SetError(err)
			}
			cmds = append(cmds, errorCmd(err))
		}
	}
	m.layoutDetail()
	return tea.Batch(cmds...)
}

// claimError explains a claim that failed: another holder by name; an
// application no longer in review opens quietly.
func (m *Model) claimError(err error) tea.Cmd {
	a := m.item.app
	switch domain.ErrorCode(err) {
	case domain.ECONFLICT:
		if a.ClaimedByName != "" && a.ClaimedBy != m.me() {
			return errorCmd(domain.Errorf(domain.ECONFLICT, "tui.imk.held_by", "application %d is held by %s", a.ID, a.ClaimedByName))
		}
	case domain.EINVALID:
		if a.State != domain.IMKNeedsReview {
			return nil
		}
	}
	return errorCmd(err)
}

// conflictError says why an action met a conflict, from the application
// as read again: what its own rule says now (decided, claimed …), or that
// it changed since the form opened.
func (m *Model) conflictError(a *domain.IMKApplication) error {
	if err := a.Allows(rules[m.conflictAct], m.c.Operator.Ref(), m.c.Clock()); err != nil {
		return err
	}
	return domain.Errorf(domain.ECONFLICT, "tui.imk.conflict.changed", "the application changed meanwhile")
}

// claims binds the IMK service's claim calls to the session.
func (m *Model) claims() queue.Claims[*domain.IMKApplication] {
	svc, ctx := m.c.Services.IMK, m.c.Ctx
	return queue.Claims[*domain.IMKApplication]{
		Tick:     m.c.Tick,
		Every:    renewEvery,
		Claim:    func(id int64) (*domain.IMKApplication, error) { return svc.ClaimIMK(ctx, id) },
		Release:  func(id int64) error { return svc.ReleaseIMK(ctx, id) },
		Operator: m.c.Operator,
		Role:     domain.RoleReviewer,
	}
}

// held shows the holder and lease end of the open application as renewed.
func (m *Model) held(a *domain.IMKApplication) {
	if a != nil {
		it := m.item
		it.app.ClaimedBy, it.app.ClaimedByName, it.app.ClaimExpiresAt = a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt
		m.layoutDetail()
	}
}

// reread reads the open application again, without claiming it.
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
	case key.Matches(msg, k.Refetch):
		return m.start(actRefetch)
	case key.Matches(msg, k.Approve):
		return m.start(actApprove)
	case key.Matches(msg, k.Reject):
		return m.start(actReject)
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
