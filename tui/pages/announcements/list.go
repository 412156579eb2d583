package announcements

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/selecttable"
)

func (m *Model) loadCmd() tea.Cmd {
	if !m.live() {
		return nil
	}
	m.gen++
	gen, svc, ctx := m.gen, m.c.Services.Announcements, m.c.Ctx
	return func() tea.Msg {
		rows, err := svc.ListAnnouncements(ctx)
		return ListMsg{gen: gen, Rows: rows, Err: err}
	}
}

func (m *Model) showList(msg ListMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	if msg.Err != nil {
		return errorCmd(msg.Err)
	}
	keep := m.keep
	if a := m.selected(); keep == 0 && a != nil {
		keep = a.ID
	}
	m.keep = 0
	m.rows, m.loaded = msg.Rows, true
	m.table.SetRows(m.tableRows())
	cursor := min(max(m.table.Cursor(), 0), max(len(m.rows)-1, 0))
	for i, a := range m.rows {
		if a.ID == keep {
			cursor = i
		}
	}
	m.table.SetCursor(cursor)
	// The detail follows the announcement as it is now.
	if m.target != nil {
		for _, a := range m.rows {
			if a.ID == m.target.ID && m.mode == modeDetail {
				m.target = a
			}
		}
	}
	return nil
}

func (m *Model) selected() *domain.Announcement {
	i := m.table.Cursor()
	if i < 0 || i >= len(m.rows) {
		return nil
	}
	return m.rows[i]
}

func (m *Model) updateListKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	a := m.selected()
	switch {
	case key.Matches(msg, k.New):
		return m.openSheet(nil)
	case key.Matches(msg, k.Refresh):
		return m.loadCmd()
	case a == nil:
	case key.Matches(msg, k.Open):
		m.target, m.mode, m.top = a, modeDetail, 0
		return clearStatus
	default:
		if cmd, ok := m.actionKey(msg, a, modeList); ok {
			return cmd
		}
	}
	return m.table.Update(msg)
}

func (m *Model) updateDetail(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	page := max(m.height-2, 1)
	switch {
	case key.Matches(msg, k.Close):
		m.target, m.mode = nil, modeList
		return nil
	case key.Matches(msg, k.Up):
		m.top = max(m.top-1, 0)
		return nil
	case key.Matches(msg, k.Down):
		m.top++
		return nil
	case key.Matches(msg, k.PageUp):
		m.top = max(m.top-page, 0)
		return nil
	case key.Matches(msg, k.PageDown):
		m.top += page
		return nil
	}
	cmd, _ := m.actionKey(msg, m.target, modeDetail)
	return cmd
}

// actionKey starts the action of an edit, publish or withdraw key on a.
func (m *Model) actionKey(msg tea.KeyMsg, a *domain.Announcement, from mode) (tea.Cmd, bool) {
	k := m.keys
	var act string
	switch {
	case key.Matches(msg, k.Edit):
		act = "edit"
	case key.Matches(msg, k.Publish):
		act = "publish"
	case key.Matches(msg, k.Withdraw):
		act = "withdraw"
	default:
		return nil, false
	}
	if err := m.blocker(act, a); err != nil {
		return errorCmd(err), true
	}
	m.back = from
	switch act {
	case "edit":
		return m.openSheet(a), true
	case "publish":
		m.target, m.mode, m.busy = a, modeConfirm, false
		return clearStatus, true
	}
	m.target, m.mode = a, modeWithdraw
	m.reason = form.New(m.c, "tui.ann.withdraw_title", []any{a.Title},
		form.Field{ID: "reason", Label: "tui.ann.field.reason", Limit: domain.MessageMaxLength})
	return clearStatus, true
}

// blocker says why act cannot be done to a, or nil.
func (m *Model) blocker(act string, a *domain.Announcement) error {
	why := func(key, msg string) error { return &domain.Error{Code: domain.EINVALID, Key: key, Message: msg} }
	switch act {
	case "edit", "publish":
		if a.State != domain.AnnouncementDraft {
			return why("tui.ann.why.not_draft", "only a draft can be changed or published")
		}
	case "withdraw":
		if a.State != domain.AnnouncementPublished {
			return why("tui.ann.why.not_published", "only a published announcement can be withdrawn")
		}
	}
	return nil
}

func (m *Model) updateConfirm(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		if !m.busy {
			m.mode = m.back
		}
		return nil
	case key.Matches(msg, m.keys.Confirm):
		if m.busy {
			return nil
		}
		m.busy = true
		svc, ctx, id := m.c.Services.Announcements, m.c.Ctx, m.target.ID
		return func() tea.Msg { return DoneMsg{act: actPublish, ID: id, Err: svc.PublishAnnouncement(ctx, id)} }
	}
	return nil
}

func (m *Model) updateWithdraw(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.reason.Update(msg)
	switch res {
	case form.Cancel:
		m.reason, m.mode = nil, m.back
		return nil
	case form.Submit:
		reason := common.PlainLine(m.reason.Value("reason"))
		if reason == "" {
			m.reason.SetErrorKey("tui.ann.reason_required")
			return nil
		}
		m.reason.SetError(nil)
		m.reason.Busy = true
		svc, ctx, id := m.c.Services.Announcements, m.c.Ctx, m.target.ID
		return func() tea.Msg {
			return DoneMsg{act: actWithdraw, ID: id, Err: svc.WithdrawAnnouncement(ctx, id, reason)}
		}
	}
	return cmd
}

// done takes in the result of an action; a failure keeps what was typed.
func (m *Model) done(msg DoneMsg) tea.Cmd {
	if msg.Err != nil {
		switch {
		case msg.act == actSave && m.sheet != nil:
			m.sheet.Busy = false
			m.sheet.SetError(msg.Err)
		case msg.act == actWithdraw && m.reason != nil:
			m.reason.Busy = false
			m.reason.SetError(msg.Err)
		case msg.act == actPublish && m.mode == modeConfirm:
			m.busy, m.mode = false, m.back
		}
		return tea.Batch(errorCmd(msg.Err), m.loadCmd())
	}
	m.keep = msg.ID
	switch msg.act {
	case actSave:
		id, _ := draftKey(m.target)
		delete(m.drafts, id)
		m.sheet, m.mode, m.target = nil, modeList, nil
		return tea.Batch(common.StatusCmd("tui.ann.saved"), m.loadCmd())
	case actPublish:
		m.busy, m.mode = false, m.back
		return tea.Batch(common.StatusCmd("tui.ann.published"), m.loadCmd())
	case actWithdraw:
		m.reason, m.mode = nil, m.back
		return tea.Batch(common.StatusCmd("tui.ann.withdrawn"), m.loadCmd())
	}
	return nil
}

// column is one column of the list.
type column int

const (
	colKind column = iota
	colTitle
	colState
	colAudience
	colWhen
)

var columns = []column{colKind, colTitle, colState, colAudience, colWhen}

var columnSpec = map[column]selecttable.Column{
	colKind:     {Min: 11, Weight: 0},
	colTitle:    {Min: 12, Weight: 4},
	colState:    {Min: 10, Weight: 0},
	colAudience: {Min: 10, Weight: 1},
	colWhen:     {Min: 17, Weight: 0},
}

func (m *Model) newTable() *selecttable.Model {
	spec := make([]selecttable.Column, len(columns))
	for i, c := range columns {
		spec[i] = columnSpec[c]
	}
	t := selecttable.New(m.c.Styles, spec)
	t.SetSize(max(m.width, 1), listTableHeight(m.height))
	return t
}

func (m *Model) columnTitles() []string {
	names := map[column]string{
		colKind: "tui.ann.col.kind", colTitle: "tui.ann.col.title", colState: "tui.ann.col.state",
		colAudience: "tui.ann.col.audience", colWhen: "tui.ann.col.when",
	}
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = m.c.T(names[c])
	}
	return out
}

func (m *Model) tableRows() []table.Row {
	out := make([]table.Row, len(m.rows))
	for i, a := range m.rows {
		out[i] = table.Row{
			m.c.T("tui.ann.kind_short." + string(a.Kind)),
			a.Title,
			m.c.T("announcement.state." + string(a.State)),
			m.audienceShort(a.Audience),
			whenShort(a.StartsAt, a.EndsAt),
		}
	}
	return out
}

// audienceShort is "everyone", the one role, or how many roles.
func (m *Model) audienceShort(roles []string) string {
	switch len(roles) {
	case 0:
		return m.c.T("tui.ann.audience.everyone")
	case 1:
		return m.roleName(roles[0])
	}
	return m.c.T("tui.ann.audience.roles", len(roles))
}

// audienceLong names every role of the audience.
func (m *Model) audienceLong(roles []string) string {
	if len(roles) == 0 {
		return m.c.T("tui.ann.audience.everyone_long")
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = m.roleName(r)
	}
	return strings.Join(names, ", ")
}

// roleName names a Platform role, or shows it as stored when the catalog
// has no name for it.
func (m *Model) roleName(r string) string { return m.c.Named("tui.prole."+r, r) }

// whenShort renders a span compactly for the list: the start's month,
// day and time, and the end's time (within a day) or date.
func whenShort(from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "—"
	case to.IsZero():
		return from.Local().Format("01-02 15:04") + "–"
	case from.IsZero():
		return "–" + to.Local().Format("01-02 15:04")
	}
	from, to = from.Local(), to.Local()
	if to.Sub(from) < 24*time.Hour {
		// Downtime is hours long, often over midnight: the end's time
		// says more than its date.
		return from.Format("01-02 15:04") + "–" + to.Format("15:04")
	}
	return from.Format("01-02 15:04") + "–" + to.Format("01-02")
}

// timeLayout is how a moment is typed and shown in full.
const timeLayout = "2006-01-02 15:04"

// timeText renders a moment in full; "—" for none.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format(timeLayout)
}

// summaryLines is the height of the pane under the list.
func summaryLines(h int) int {
	if h >= 14 {
		return 3
	}
	return 0
}

func listTableHeight(h int) int { return max(h-summaryLines(h), 3) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
