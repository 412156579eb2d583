package denials

import (
	"context"
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/listview"
)

// stateFilter is one step of the state cycle.
type stateFilter struct {
	label  string // catalog key
	states []domain.DenialState
}

var stateFilters = []stateFilter{
	{"tui.den.filter.current", nil}, // the service's default: in force and lift pending
	{"tui.den.filter.pending", []domain.DenialState{domain.DenialPendingApproval, domain.DenialLiftPending}},
	{"tui.den.filter.lifted", []domain.DenialState{domain.DenialLifted}},
	{"tui.den.filter.cancelled", []domain.DenialState{domain.DenialCancelled}},
	{"tui.den.filter.all", []domain.DenialState{domain.DenialPendingApproval, domain.DenialInForce, domain.DenialLiftPending, domain.DenialLifted, domain.DenialCancelled}},
}

var subjectKinds = []domain.SubjectKind{domain.SubjectPlatformUser, domain.SubjectInstitution, domain.SubjectOperator}

// denialSpec is the list of denials (filtered and paged), or, pending,
// the list of what awaits a second officer.
func (m *Model) denialSpec(pending bool) listview.Spec[*domain.Denial] {
	c := m.c
	spec := listview.Spec[*domain.Denial]{
		Allowed:  isSecurity,
		RoleOnly: "tui.den.security_only",
		Topic:    topic,
		None:     "tui.den.none",
		ID:       func(d *domain.Denial) int64 { return d.ID },
		Load: func() listview.Read[*domain.Denial] {
			svc := c.Services.Denials
			if svc == nil {
				return nil
			}
			f := m.filter()
			return func(ctx context.Context) ([]*domain.Denial, func(), error) {
				rows, err := svc.ListDenials(ctx, f)
				more := len(rows) > pageSize
				if more {
					rows = rows[:pageSize]
				}
				return rows, func() { m.more = more }, err
			}
		},
		Above:        func(w int) []string { return []string{m.viewBar(w), m.filterLine(w)} },
		Columns:      m.denialColumns(),
		Summary:      m.summary,
		SummaryLines: 4,
		Detail:       m.detail,
		OpenHelp:     "tui.den.key.open",
		Opened:       m.historyCmd,
		Actions:      []*listview.Action[*domain.Denial]{m.liftAction(), m.approveAction(), m.refuseAction(), denyAction[*domain.Denial](m)},
		Keys:         append([]listview.Key{m.viewKey()}, m.filterKeys()...),
	}
	if pending {
		spec.None = "tui.den.none_pending"
		spec.Load = listview.Reads(func() bool { return c.Services.Denials != nil }, func(ctx context.Context) ([]*domain.Denial, error) {
			return c.Services.Denials.PendingApprovals(ctx)
		})
		spec.Above = func(w int) []string { return []string{m.viewBar(w)} }
		spec.Keys = []listview.Key{m.viewKey()}
	} else if c.Services.Bulk != nil {
		// Lifting many at once (issue 17): the rows marked, or every
		// denial of the filter as set now (all its pages).
		spec.Bulk = func(ids []int64, all bool) tea.Cmd {
			f := m.filter()
			f.BeforeID, f.Limit = 0, 0
			return common.BulkCmd(domain.BulkSelection{Source: domain.BulkFromDenials, IDs: ids, All: all, Filter: f})
		}
	}
	return spec
}

// sweepSpec is the list of the sweeps' runs; its read brings the death
// check's report too, which the death check's view shows.
func (m *Model) sweepSpec() listview.Spec[*domain.SweepRun] {
	c := m.c
	return listview.Spec[*domain.SweepRun]{
		Allowed:  isSecurity,
		RoleOnly: "tui.den.security_only",
		Topic:    topic,
		None:     "tui.den.sweeps_none",
		ID:       func(r *domain.SweepRun) int64 { return r.ID },
		Load: func() listview.Read[*domain.SweepRun] {
			svc := c.Services.Denials
			if svc == nil {
				return nil
			}
			now := c.Clock()
			return func(ctx context.Context) ([]*domain.SweepRun, func(), error) {
				runs, err := svc.SweepRuns(ctx, sweepRunsShown)
				if err != nil {
					return nil, nil, err
				}
				r, err := svc.DeathCheckReport(ctx, now)
				return runs, func() { m.report = r }, err
			}
		},
		Above: func(w int) []string { return []string{m.viewBar(w)} },
		Columns: []listview.Column[*domain.SweepRun]{
			{Title: "tui.den.scol.sweep", Min: 14, Weight: 2, Cell: func(r *domain.SweepRun) string { return m.sweepName(r.Sweep) }},
			{Title: "tui.den.scol.started", Min: 11, Cell: func(r *domain.SweepRun) string { return shortTime(r.StartedAt) }},
			{Title: "tui.den.scol.took", Min: 6, Cell: took},
			{Title: "tui.den.scol.checked", Min: 10, Cell: func(r *domain.SweepRun) string { return c.Num(r.Checked) }},
			{Title: "tui.den.scol.changed", Min: 8, Cell: func(r *domain.SweepRun) string { return c.Num(r.Changed) }},
			{Title: "tui.den.scol.result", Min: 8, Weight: 1, Cell: m.sweepResult},
		},
		Summary:      m.sweepSummary,
		SummaryLines: 2,
		Actions:      []*listview.Action[*domain.SweepRun]{denyAction[*domain.SweepRun](m)},
		Keys:         []listview.Key{m.viewKey()},
	}
}

func (m *Model) viewKey() listview.Key {
	return listview.Key{Keys: []string{"v"}, Help: "tui.den.key.view", Run: m.nextView}
}

// filterKeys cycle the filters of the list of denials and turn its pages;
// each reads the list anew from its first row.
func (m *Model) filterKeys() []listview.Key {
	refilter := func(change func()) func() tea.Cmd {
		return func() tea.Cmd {
			change()
			m.before = nil
			return m.list.Reset()
		}
	}
	return []listview.Key{
		{Keys: []string{"s"}, Help: "tui.den.key.state", Run: refilter(func() { m.state = (m.state + 1) % len(stateFilters) })},
		{Keys: []string{"g"}, Help: "tui.den.key.ground", Run: refilter(func() { m.ground = (m.ground + 1) % (len(domain.Grounds) + 1) })},
		{Keys: []string{"t"}, Help: "tui.den.key.kind", Run: refilter(func() { m.kind = (m.kind + 1) % (len(subjectKinds) + 1) })},
		{Keys: []string{"]"}, Help: "tui.den.key.next_page", Shown: func() bool { return m.more && len(m.list.Rows()) > 0 },
			Run: func() tea.Cmd {
				rows := m.list.Rows()
				m.before = append(m.before, rows[len(rows)-1].ID)
				return m.list.Reset()
			}},
		{Keys: []string{"["}, Help: "tui.den.key.prev_page", Shown: func() bool { return len(m.before) > 0 },
			Run: func() tea.Cmd {
				m.before = m.before[:len(m.before)-1]
				return m.list.Reset()
			}},
	}
}

// filter is the list's filter for the current page.
func (m *Model) filter() domain.DenialFilter {
	f := domain.DenialFilter{States: stateFilters[m.state].states, Limit: pageSize + 1}
	if m.ground > 0 {
		f.Grounds = []domain.Ground{domain.Grounds[m.ground-1]}
	}
	if m.kind > 0 {
		f.SubjectKind = subjectKinds[m.kind-1]
	}
	if n := len(m.before); n > 0 {
		f.BeforeID = m.before[n-1]
	}
	return f
}

// denialColumns are the columns of both lists of denials.
func (m *Model) denialColumns() []listview.Column[*domain.Denial] {
	c := m.c
	return []listview.Column[*domain.Denial]{
		{Title: "tui.den.col.id", Min: 5, Cell: func(d *domain.Denial) string { return itoa(d.ID) }},
		{Title: "tui.den.col.subject", Min: 14, Weight: 3, Cell: func(d *domain.Denial) string { return d.SubjectName }},
		{Title: "tui.den.col.kind", Min: 10, Cell: func(d *domain.Denial) string { return c.T("tui.den.kind_short." + string(d.SubjectKind)) }},
		{Title: "tui.den.col.ground", Min: 16, Weight: 2, Cell: func(d *domain.Denial) string { return m.groundName(d.Ground) }},
		{Title: "tui.den.col.state", Min: 12, Weight: 1, Cell: func(d *domain.Denial) string { return c.T("tui.den.state." + string(d.State)) }},
		{Title: "tui.den.col.raised", Min: 11, Cell: func(d *domain.Denial) string { return shortTime(d.RaisedAt) }},
	}
}

// groundName is a ground's clause and words, or the clause alone when the
// catalog has no words for it.
func (m *Model) groundName(g domain.Ground) string {
	if t := m.c.Named("tui.den.ground."+string(g), ""); t != "" {
		return t
	}
	return "¶" + common.Show(string(g))
}

func (m *Model) kindName(k domain.SubjectKind) string {
	return m.c.Named("tui.den.kind."+string(k), string(k))
}

func (m *Model) sweepName(s string) string { return m.c.Named("tui.den.sweep."+s, s) }

func took(r *domain.SweepRun) string {
	if r.FinishedAt.IsZero() {
		return "—"
	}
	return r.FinishedAt.Sub(r.StartedAt).Round(time.Second).String()
}

func (m *Model) sweepResult(r *domain.SweepRun) string {
	switch {
	case r.Error != "":
		return "! " + r.Error
	case r.FinishedAt.IsZero():
		return m.c.T("tui.den.sweep_running")
	}
	return m.c.T("tui.den.sweep_ok")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// shortTime is a moment in the list: month, day and time.
func shortTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("01-02 15:04")
}

// timeText is a moment in full.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}
