package terms

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// acceptView shows how many users have accepted a version, by Platform
// role, and, for the version in force, a keyset-paged list of those who
// have not.
type acceptView struct {
	gen     int
	v       *domain.TermsVersion
	acc     *domain.TermsAcceptance
	pending []*domain.PendingAcceptance
	hasMore bool
	cur     int64   // the user id the page shown starts after
	back    []int64 // where the pages before it start
	loaded  bool
	table   *selecttable.Model
}

// acceptMsg carries the counts and a page of those who have not accepted.
type acceptMsg struct {
	gen     int
	nav     int // 0 the same page, 1 next, -1 back
	after   int64
	Acc     *domain.TermsAcceptance
	Pending []*domain.PendingAcceptance
	Err     error
}

// inForceOnly reports whether the pending list applies: it is about the
// version in force.
func (a *acceptView) inForceOnly() bool { return a.v.State == domain.TermsPublished }

func (m *Model) openAccept(v *domain.TermsVersion) tea.Cmd {
	m.opens++
	cp := *v
	a := &acceptView{gen: m.opens, v: &cp}
	a.table = selecttable.New(m.c.Styles, []selecttable.Column{{Min: 14, Weight: 2}, {Min: 14, Weight: 2}, {Min: 10, Weight: 2}, {Min: 8, Weight: 0}})
	m.accept, m.mode = a, modeAccept
	a.relabel(m)
	a.layout(m, m.width, m.height)
	return tea.Batch(clearStatus, m.acceptCmd(0, 0))
}

func (m *Model) acceptCmd(nav int, after int64) tea.Cmd {
	a := m.accept
	gen, id, svc, ctx, pending := a.gen, a.v.ID, m.c.Services.Terms, m.c.Ctx, a.inForceOnly()
	return func() tea.Msg {
		msg := acceptMsg{gen: gen, nav: nav, after: after}
		if msg.Acc, msg.Err = svc.TermsAcceptance(ctx, id); msg.Err != nil {
			return msg
		}
		if pending {
			msg.Pending, msg.Err = svc.PendingAcceptances(ctx, after, PendingPageSize+1)
		}
		return msg
	}
}

func (m *Model) acceptLoaded(msg acceptMsg) tea.Cmd {
	a := m.accept
	if a == nil || msg.gen != a.gen {
		return nil
	}
	if msg.Err != nil {
		return errorCmd(msg.Err)
	}
	switch msg.nav {
	case 1:
		a.back = append(a.back, a.cur)
	case -1:
		if len(a.back) > 0 {
			a.back = a.back[:len(a.back)-1]
		}
	}
	a.cur, a.acc, a.loaded = msg.after, msg.Acc, true
	a.pending = msg.Pending
	a.hasMore = len(a.pending) > PendingPageSize
	if a.hasMore {
		a.pending = a.pending[:PendingPageSize]
	}
	a.table.SetRows(a.rows(m.platformRole))
	a.table.SetCursor(0)
	a.layout(m, m.width, m.height)
	return nil
}

func (a *acceptView) rows(role func(string) string) []table.Row {
	out := make([]table.Row, len(a.pending))
	for i, p := range a.pending {
		last := p.LastAccepted
		if last == "" {
			last = "—"
		}
		roles := make([]string, len(p.Roles))
		for j, r := range p.Roles {
			roles[j] = role(r)
		}
		out[i] = table.Row{p.Name, p.Email, strings.Join(roles, ", "), last}
	}
	return out
}

func (a *acceptView) relabel(m *Model) {
	c := m.c
	a.table.SetTitles([]string{c.T("tui.terms.acc.col.name"), c.T("tui.terms.acc.col.email"), c.T("tui.terms.acc.col.roles"), c.T("tui.terms.acc.col.last")})
	a.table.SetRows(a.rows(m.platformRole))
}

// headLines counts the lines above the pending list.
func (a *acceptView) headLines() int {
	n := 3 // title, total, blank
	if a.acc != nil {
		n += len(a.acc.ByRole)
	}
	return n + 1 // the pending list's heading
}

func (a *acceptView) layout(m *Model, width, height int) {
	a.table.SetSize(max(width, 1), max(height-a.headLines(), 3))
}

func (m *Model) updateAccept(msg tea.KeyMsg) tea.Cmd {
	a, k := m.accept, m.keys
	switch {
	case key.Matches(msg, k.Close):
		m.accept, m.mode = nil, modeList
		return nil
	case key.Matches(msg, k.Refresh):
		return m.acceptCmd(0, a.cur)
	case key.Matches(msg, k.NextPage):
		if !a.hasMore || len(a.pending) == 0 {
			return nil
		}
		return m.acceptCmd(1, a.pending[len(a.pending)-1].UserID)
	case key.Matches(msg, k.PrevPage):
		if len(a.back) == 0 {
			return nil
		}
		return m.acceptCmd(-1, a.back[len(a.back)-1])
	}
	return a.table.Update(msg)
}

// percent renders part of whole; "—" when there is no whole.
// percent is part of whole in per cent, with a decimal comma in Latvian.
func (m *Model) percent(part, whole int64) string {
	if whole <= 0 {
		return "—"
	}
	return m.c.Decimal(float64(part)*100/float64(whole), 1) + " %"
}

// platformRole names a Platform role in the session's language, or shows
// it as stored when the catalog has no name for it.
func (m *Model) platformRole(r string) string { return m.c.Named("tui.prole."+r, r) }

func (m *Model) acceptView(w, h int) string {
	c, st, a := m.c, m.c.Styles, m.accept
	lines := []string{st.Title.Render(c.T("tui.terms.acc.title", a.v.Number, c.T("terms.state."+string(a.v.State))))}
	if !a.loaded {
		lines = append(lines, st.Muted.Render(c.T("tui.loading")))
		return common.FitBlock(strings.Join(lines, "\n"), w, h)
	}
	acc := a.acc
	lines = append(lines, st.Label.Render(c.T("tui.terms.acc.total", acc.Accepted, acc.Users, m.percent(acc.Accepted, acc.Users))), "")
	nameW := 0
	for _, rc := range acc.ByRole {
		nameW = max(nameW, ansi.StringWidth(m.platformRole(rc.Role)))
	}
	for _, rc := range acc.ByRole {
		name := m.platformRole(rc.Role)
		name += strings.Repeat(" ", max(nameW-ansi.StringWidth(name), 0))
		lines = append(lines, "  "+name+"  "+c.T("tui.terms.acc.role", rc.Accepted, rc.Users, m.percent(rc.Accepted, rc.Users)))
	}
	if !a.inForceOnly() {
		lines = append(lines, st.Muted.Render(common.WrapAtSpaces(c.T("tui.terms.acc.pending_in_force_only"), w)))
		return common.FitBlock(strings.Join(lines, "\n"), w, h)
	}
	heading := st.Label.Render(c.T("tui.terms.acc.pending"))
	lines = append(lines, common.SpreadLine(heading, st.Muted.Render(c.T("tui.terms.acc.page", len(a.back)+1)), w))
	if len(a.pending) == 0 {
		lines = append(lines, st.OK.Render(c.T("tui.terms.acc.none_pending")))
	} else {
		lines = append(lines, a.table.View())
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}
