package denials

import (
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/selecttable"
)

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

// loadCmd reads the page of denials, the pending approvals, the sweep
// runs and the death check's report.
func (m *Model) loadCmd() tea.Cmd {
	if !m.live() {
		return nil
	}
	m.gen++
	gen, svc, ctx, f, now := m.gen, m.c.Services.Denials, m.c.Ctx, m.filter(), m.c.Clock()
	return tea.Batch(
		func() tea.Msg {
			rows, err := svc.ListDenials(ctx, f)
			more := len(rows) > pageSize
			if more {
				rows = rows[:pageSize]
			}
			return ListMsg{gen: gen, Rows: rows, More: more, Err: err}
		},
		func() tea.Msg {
			rows, err := svc.PendingApprovals(ctx)
			return PendingMsg{gen: gen, Rows: rows, Err: err}
		},
		func() tea.Msg {
			runs, err := svc.SweepRuns(ctx, sweepRunsShown)
			return SweepsMsg{gen: gen, Runs: runs, Err: err}
		},
		func() tea.Msg {
			r, err := svc.DeathCheckReport(ctx, now)
			return ReportMsg{gen: gen, Report: r, Err: err}
		},
	)
}

// keepCursor puts the cursor of t on the denial with id keep, or keeps it
// in range.
func keepCursor(t *selecttable.Model, rows []*domain.Denial, keep int64) {
	cursor := min(max(t.Cursor(), 0), max(len(rows)-1, 0))
	for i, d := range rows {
		if d.ID == keep {
			cursor = i
		}
	}
	t.SetCursor(cursor)
}

func (m *Model) showList(msg ListMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	if msg.Err != nil {
		return errorCmd(msg.Err)
	}
	var keep int64
	if d := selectedIn(m.list, m.rows); d != nil {
		keep = d.ID
	}
	m.rows, m.more, m.loaded = msg.Rows, msg.More, true
	m.list.SetRows(m.denialRows(m.rows))
	keepCursor(m.list, m.rows, keep)
	return nil
}

func (m *Model) showPending(msg PendingMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	if msg.Err != nil {
		return errorCmd(msg.Err)
	}
	var keep int64
	if d := selectedIn(m.pend, m.pending); d != nil {
		keep = d.ID
	}
	m.pending, m.pendOK = msg.Rows, true
	m.pend.SetRows(m.denialRows(m.pending))
	keepCursor(m.pend, m.pending, keep)
	return nil
}

func selectedIn(t *selecttable.Model, rows []*domain.Denial) *domain.Denial {
	i := t.Cursor()
	if i < 0 || i >= len(rows) {
		return nil
	}
	return rows[i]
}

// selected is the denial under the cursor of the current list.
func (m *Model) selected() *domain.Denial {
	switch m.view {
	case viewDenials:
		return selectedIn(m.list, m.rows)
	case viewPending:
		return selectedIn(m.pend, m.pending)
	}
	return nil
}

// current is the denial the action keys work on: the open one, or the
// selected one.
func (m *Model) current() *domain.Denial {
	if m.mode != modeList && m.target != nil {
		return m.target
	}
	if m.mode == modeList {
		return m.selected()
	}
	return nil
}

// refilter starts the list again from its first page.
func (m *Model) refilter() tea.Cmd {
	m.before = nil
	m.list.SetCursor(0)
	return m.loadCmd()
}

func (m *Model) updateListKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.View):
		m.view = views[(int(m.view)+1)%len(views)]
		return clearStatus
	case key.Matches(msg, k.Deny):
		return m.openSheet()
	case key.Matches(msg, k.Refresh):
		return m.loadCmd()
	}
	if m.view == viewDenials {
		switch {
		case key.Matches(msg, k.State):
			m.state = (m.state + 1) % len(stateFilters)
			return m.refilter()
		case key.Matches(msg, k.Ground):
			m.ground = (m.ground + 1) % (len(domain.Grounds) + 1)
			return m.refilter()
		case key.Matches(msg, k.Kind):
			m.kind = (m.kind + 1) % (len(subjectKinds) + 1)
			return m.refilter()
		case key.Matches(msg, k.NextPage):
			if !m.more || len(m.rows) == 0 {
				return nil
			}
			m.before = append(m.before, m.rows[len(m.rows)-1].ID)
			m.list.SetCursor(0)
			return m.loadCmd()
		case key.Matches(msg, k.PrevPage):
			if len(m.before) == 0 {
				return nil
			}
			m.before = m.before[:len(m.before)-1]
			m.list.SetCursor(0)
			return m.loadCmd()
		}
	}
	switch m.view {
	case viewSweeps:
		return m.runsTbl.Update(msg)
	case viewDeathCheck:
		return nil
	}
	d := m.selected()
	if d == nil {
		return nil
	}
	if key.Matches(msg, k.Open) {
		m.target, m.history, m.mode, m.top = d, nil, modeDetail, 0
		return tea.Batch(clearStatus, m.historyCmd(d))
	}
	if cmd, ok := m.actionKey(msg, d, modeList); ok {
		return cmd
	}
	if m.view == viewPending {
		return m.pend.Update(msg)
	}
	return m.list.Update(msg)
}

// denialColumns are the columns of both lists of denials.
var denialColumns = []selecttable.Column{
	{Min: 5},             // id
	{Min: 14, Weight: 3}, // subject
	{Min: 10},            // kind
	{Min: 16, Weight: 2}, // ground
	{Min: 12, Weight: 1}, // state
	{Min: 11},            // raised
}

func (m *Model) denialTitles() []string {
	var out []string
	for _, k := range []string{"tui.den.col.id", "tui.den.col.subject", "tui.den.col.kind", "tui.den.col.ground", "tui.den.col.state", "tui.den.col.raised"} {
		out = append(out, m.c.T(k))
	}
	return out
}

func (m *Model) denialRows(rows []*domain.Denial) []table.Row {
	out := make([]table.Row, len(rows))
	for i, d := range rows {
		out[i] = table.Row{
			itoa(d.ID),
			d.SubjectName,
			m.c.T("tui.den.kind_short." + string(d.SubjectKind)),
			m.groundName(d.Ground),
			m.c.T("tui.den.state." + string(d.State)),
			shortTime(d.RaisedAt),
		}
	}
	return out
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

// sweepColumns are the columns of the sweep runs.
var sweepColumns = []selecttable.Column{
	{Min: 14, Weight: 2}, // sweep
	{Min: 11},            // started
	{Min: 6},             // took
	{Min: 10},            // checked
	{Min: 8},             // changed
	{Min: 8, Weight: 1},  // result
}

func (m *Model) sweepTitles() []string {
	var out []string
	for _, k := range []string{"tui.den.scol.sweep", "tui.den.scol.started", "tui.den.scol.took", "tui.den.scol.checked", "tui.den.scol.changed", "tui.den.scol.result"} {
		out = append(out, m.c.T(k))
	}
	return out
}

func (m *Model) sweepName(s string) string { return m.c.Named("tui.den.sweep."+s, s) }

func (m *Model) sweepRows() []table.Row {
	out := make([]table.Row, len(m.runs))
	for i, r := range m.runs {
		took, result := "—", m.c.T("tui.den.sweep_running")
		if !r.FinishedAt.IsZero() {
			took = r.FinishedAt.Sub(r.StartedAt).Round(time.Second).String()
			result = m.c.T("tui.den.sweep_ok")
		}
		if r.Error != "" {
			result = "! " + r.Error
		}
		out[i] = table.Row{m.sweepName(r.Sweep), shortTime(r.StartedAt), took, m.c.Num(r.Checked), m.c.Num(r.Changed), result}
	}
	return out
}

func (m *Model) selectedRun() *domain.SweepRun {
	i := m.runsTbl.Cursor()
	if i < 0 || i >= len(m.runs) {
		return nil
	}
	return m.runs[i]
}

// summaryLines is the height of the pane under the lists.
func summaryLines(h int) int {
	if h >= 14 {
		return 4
	}
	return 0
}

// listTableHeight is the table's height under the view bar and the
// filter line.
func listTableHeight(h int) int { return max(h-2-summaryLines(h), 3) }

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
