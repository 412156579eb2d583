package terms

import (
	"github.com/viaa/ppp/tui/common"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/components/selecttable"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (m *Model) loadCmd() tea.Cmd {
	if !m.live() {
		return nil
	}
	m.gen++
	gen, svc, ctx := m.gen, m.c.Services.Terms, m.c.Ctx
	return func() tea.Msg {
		rows, err := svc.ListTermsVersions(ctx)
		return ListMsg{gen: gen, Rows: rows, Err: err}
	}
}

func (m *Model) showList(msg ListMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil // an answer to a read superseded since
	}
	if msg.Err != nil {
		return errorCmd(msg.Err)
	}
	var keep int64
	if v := m.selected(); v != nil {
		keep = v.ID
	}
	m.rows, m.loaded = msg.Rows, true
	m.table.SetRows(m.tableRows())
	cursor := min(max(m.table.Cursor(), 0), max(len(m.rows)-1, 0))
	for i, v := range m.rows {
		if v.ID == keep {
			cursor = i
		}
	}
	m.table.SetCursor(cursor)
	return nil
}

// selected returns the version under the cursor, or nil.
func (m *Model) selected() *domain.TermsVersion {
	i := m.table.Cursor()
	if i < 0 || i >= len(m.rows) {
		return nil
	}
	return m.rows[i]
}

// inForce returns the version in force as the list shows it, or nil.
func (m *Model) inForce() *domain.TermsVersion {
	for _, v := range m.rows {
		if v.State == domain.TermsPublished {
			return v
		}
	}
	return nil
}

// byID returns the listed version id, or nil.
func (m *Model) byID(id int64) *domain.TermsVersion {
	for _, v := range m.rows {
		if v.ID == id {
			return v
		}
	}
	return nil
}

func (m *Model) updateListKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	v := m.selected()
	switch {
	case key.Matches(msg, k.New):
		return m.start(actNew, v)
	case key.Matches(msg, k.Refresh):
		return m.loadCmd()
	case v == nil:
	case key.Matches(msg, k.Open):
		return m.start(actOpen, v)
	case key.Matches(msg, k.Diff):
		return m.start(actDiff, v)
	case key.Matches(msg, k.Submit):
		return m.start(actSubmit, v)
	case key.Matches(msg, k.Publish):
		return m.start(actPublish, v)
	case key.Matches(msg, k.Return):
		return m.start(actReturn, v)
	case key.Matches(msg, k.Accept):
		return m.start(actAccept, v)
	}
	return m.table.Update(msg)
}

// blocker says why a cannot be done to v now, or nil; the reason is a
// domain error so that the status line shows it like any other.
func (m *Model) blocker(a action, v *domain.TermsVersion) error {
	why := func(key, msg string, args ...any) error { return domain.Errorf(domain.EINVALID, key, msg, args...) }
	switch a {
	case actSubmit:
		if v.State != domain.TermsDraft {
			return why("tui.terms.why.not_draft", "only a draft can be submitted")
		}
	case actPublish:
		switch {
		case v.State != domain.TermsSubmitted:
			return why("tui.terms.why.not_submitted", "only a version submitted for approval can be published")
		case v.DraftedBy == m.me():
			return why("tui.terms.why.own", "you drafted this version: another editor approves and publishes it")
		}
	case actReturn:
		if v.State != domain.TermsSubmitted {
			return why("tui.terms.why.not_submitted_return", "only a version submitted for approval can be returned to draft")
		}
	case actAccept:
		if v.State != domain.TermsPublished && v.State != domain.TermsSuperseded {
			return why("tui.terms.why.not_published", "only a published version has acceptances")
		}
	case actDiff:
		if v.State == domain.TermsPublished && v.BasedOn == 0 {
			return why("tui.terms.why.nothing_to_compare", "this is the first version: there is nothing to compare it with")
		}
	}
	return nil
}

// column is one column of the list.
type column int

const (
	colNumber column = iota
	colTitle
	colState
	colDrafted
	colApproved
	colPublished
)

var columnSpec = map[column]selecttable.Column{
	colNumber:    {Min: 9, Weight: 0},
	colTitle:     {Min: 12, Weight: 3},
	colState:     {Min: 10, Weight: 0},
	colDrafted:   {Min: 12, Weight: 1},
	colApproved:  {Min: 12, Weight: 1},
	colPublished: {Min: 10, Weight: 0},
}

func (m *Model) columns() []column {
	if m.narrow {
		return []column{colNumber, colTitle, colState}
	}
	return []column{colNumber, colTitle, colState, colDrafted, colApproved, colPublished}
}

func (m *Model) newTable() *selecttable.Model {
	cols := m.columns()
	spec := make([]selecttable.Column, len(cols))
	for i, c := range cols {
		spec[i] = columnSpec[c]
	}
	t := selecttable.New(m.c.Styles, spec)
	t.SetTitles(m.columnTitles())
	t.SetSize(max(m.width, 1), listTableHeight(m.height))
	return t
}

func (m *Model) columnTitles() []string {
	names := map[column]string{
		colNumber: "tui.terms.col.number", colTitle: "tui.terms.col.title", colState: "tui.terms.col.state",
		colDrafted: "tui.terms.col.drafted", colApproved: "tui.terms.col.approved", colPublished: "tui.terms.col.published",
	}
	cols := m.columns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = m.c.T(names[c])
	}
	return out
}

func (m *Model) tableRows() []table.Row {
	cols := m.columns()
	out := make([]table.Row, len(m.rows))
	for i, v := range m.rows {
		row := make(table.Row, len(cols))
		for j, c := range cols {
			row[j] = m.cell(v, c)
		}
		out[i] = row
	}
	return out
}

// inForceMark is put before the number of the version in force, so that
// it shows without colour.
const inForceMark = "★ "

func (m *Model) cell(v *domain.TermsVersion, col column) string {
	switch col {
	case colNumber:
		if v.State == domain.TermsPublished {
			return inForceMark + v.Number
		}
		return "  " + v.Number
	case colTitle:
		return v.Title
	case colState:
		return m.c.T("tui.terms.state_short." + string(v.State))
	case colDrafted:
		return nameOr(v.DraftedByName, v.DraftedBy)
	case colApproved:
		if v.ApprovedBy == 0 && v.ApprovedName == "" {
			return ""
		}
		return nameOr(v.ApprovedName, v.ApprovedBy)
	case colPublished:
		return dateText(v.PublishedAt)
	}
	return ""
}

// nameOr is an operator's name, or their id when the name is unknown.
func nameOr(name string, id int64) string {
	if n := common.Show(name); n != "" {
		return n
	}
	if id == 0 {
		return "—"
	}
	return "#" + itoa(id)
}

// summaryLines is the height of the pane under the list that tells about
// the selected version.
func summaryLines(h int) int {
	if h >= 14 {
		return 4
	}
	return 0
}

// listTableHeight leaves room for the line about the version in force and
// the summary.
func listTableHeight(h int) int { return max(h-1-summaryLines(h), 3) }

// dateText renders a day; "" for none.
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02")
}

// timeText renders a moment to the minute; "—" for none.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}
