// Package audit is the screen where administrators and security officers
// search the audit log: a text search and an action-prefix filter, a page of
// entries newest first, keyset paging backwards by sequence number, and the
// full record of the selected entry.
package audit

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// PageSize is the number of entries on one page.
const PageSize = 50

type nav int

const (
	navReset nav = iota // a new search: back to the newest entries
	navNext             // older entries
	navPrev             // newer entries
	navStay             // reload the current page
)

// PageMsg carries one page of entries.
type PageMsg struct {
	gen     int
	nav     nav
	Filter  domain.AuditFilter
	Entries []*domain.AuditEntry
	Err     error
}

type focus int

const (
	focusTable focus = iota
	focusText
	focusAction
)

// Model is the audit log page.
type Model struct {
	c       *common.Common
	text    textinput.Model
	action  textinput.Model
	focus   focus
	entries []*domain.AuditEntry
	hasMore bool
	cur     int64   // BeforeSeq of the page shown; 0 for the newest
	back    []int64 // BeforeSeq of the newer pages, to go back to
	gen     int
	loaded  bool
	table   *selecttable.Model
	keys    keyMap
}

// New returns the audit page.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	newInput := func(limit int) textinput.Model {
		ti := textinput.New()
		c.Styles.StyleInput(&ti)
		ti.Prompt = ""
		// ctrl+v would paste the server's clipboard, not the operator's;
		// the terminal's own (bracketed) paste still works.
		ti.KeyMap.Paste = key.NewBinding(key.WithDisabled())
		ti.CharLimit = limit
		ti.Cursor.SetMode(cursor.CursorStatic)
		return ti
	}
	m.text, m.action = newInput(100), newInput(40)
	m.table = selecttable.New(c.Styles, []selecttable.Column{
		{Min: 5, Weight: 0}, {Min: 19, Weight: 0}, {Min: 10, Weight: 2}, {Min: 12, Weight: 3}, {Min: 8, Weight: 2},
	})
	m.relabel()
	return m
}

func (m *Model) relabel() {
	c := m.c
	m.keys = newKeyMap(c)
	m.text.Placeholder = c.T("tui.audit.hint.text")
	m.action.Placeholder = c.T("tui.audit.hint.action")
	m.table.SetTitles([]string{"#", c.T("tui.audit.col.at"), c.T("tui.audit.col.actor"), c.T("tui.audit.col.action"), c.T("tui.audit.col.subject")})
}

// Init loads the newest page.
func (m *Model) Init() tea.Cmd { return m.loadCmd(navReset, 0) }

func (m *Model) filter(before int64) domain.AuditFilter {
	return domain.AuditFilter{
		Text:      strings.TrimSpace(m.text.Value()),
		Action:    strings.TrimSpace(m.action.Value()),
		BeforeSeq: before,
		Limit:     PageSize + 1, // one more tells whether an older page exists
	}
}

func (m *Model) loadCmd(n nav, before int64) tea.Cmd {
	m.gen++
	gen, f, svc, ctx := m.gen, m.filter(before), m.c.Services.Audit, m.c.Ctx
	return func() tea.Msg {
		entries, err := svc.SearchAudit(ctx, f)
		return PageMsg{gen: gen, nav: n, Filter: f, Entries: entries, Err: err}
	}
}

// SetSize lays the table out; the detail pane takes the lines below it.
func (m *Model) SetSize(width, height int) {
	m.table.SetSize(width, max(height-1-detailHeight(height), 3))
	m.text.Width = max(width/3, 10)
	m.action.Width = max(width/6, 8)
}

func detailHeight(h int) int {
	switch {
	case h >= 18:
		return 8
	case h >= 12:
		return 5
	}
	return 0
}

// Typing reports whether a search field has the keyboard.
func (m *Model) Typing() bool { return m.focus != focusTable }

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PageMsg:
		if msg.gen != m.gen {
			return nil // an answer to a request superseded since
		}
		if msg.Err != nil {
			err := msg.Err
			return func() tea.Msg { return common.ErrorMsg{Err: err} }
		}
		m.showPage(msg)
	case common.ReloadMsg:
		return m.loadCmd(navStay, m.cur)
	case common.LanguageMsg:
		m.relabel()
	case tea.KeyMsg:
		if m.focus != focusTable {
			return m.updateInput(msg)
		}
		return m.updateKey(msg)
	}
	return nil
}

func (m *Model) showPage(msg PageMsg) {
	entries := msg.Entries
	m.hasMore = len(entries) > PageSize
	if m.hasMore {
		entries = entries[:PageSize]
	}
	switch msg.nav {
	case navReset:
		m.back = nil
	case navNext:
		m.back = append(m.back, m.cur)
	case navPrev:
		if len(m.back) > 0 {
			m.back = m.back[:len(m.back)-1]
		}
	}
	m.cur = msg.Filter.BeforeSeq
	m.entries, m.loaded = entries, true
	rows := make([]table.Row, len(entries))
	for i, e := range entries {
		subject := e.SubjectKind
		if e.SubjectID != "" {
			subject += " " + e.SubjectID
		}
		rows[i] = table.Row{fmt.Sprint(e.Seq), e.At.UTC().Format("2006-01-02 15:04:05"), e.ActorName, e.Action, subject}
	}
	m.table.SetRows(rows)
	if msg.nav != navStay {
		m.table.SetCursor(0)
	}
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Search):
		m.focus = focusText
		return m.text.Focus()
	case key.Matches(msg, m.keys.Action):
		m.focus = focusAction
		return m.action.Focus()
	case key.Matches(msg, m.keys.Next):
		if !m.hasMore || len(m.entries) == 0 {
			return nil
		}
		return m.loadCmd(navNext, m.entries[len(m.entries)-1].Seq)
	case key.Matches(msg, m.keys.Prev):
		if len(m.back) == 0 {
			return nil
		}
		return m.loadCmd(navPrev, m.back[len(m.back)-1])
	case key.Matches(msg, m.keys.Refresh):
		return m.loadCmd(navReset, 0)
	}
	return m.table.Update(msg)
}

func (m *Model) updateInput(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Apply):
		m.blur()
		return m.loadCmd(navReset, 0)
	case key.Matches(msg, m.keys.Leave):
		m.blur()
		return nil
	case key.Matches(msg, m.keys.SwitchField):
		if m.focus == focusText {
			m.text.Blur()
			m.focus = focusAction
			return m.action.Focus()
		}
		m.action.Blur()
		m.focus = focusText
		return m.text.Focus()
	}
	if m.focus == focusText {
		return common.UpdateInput(&m.text, msg)
	}
	return common.UpdateInput(&m.action, msg)
}

func (m *Model) blur() {
	m.text.Blur()
	m.action.Blur()
	m.focus = focusTable
}

// Selected returns the entry under the cursor, or nil.
func (m *Model) Selected() *domain.AuditEntry {
	i := m.table.Cursor()
	if i < 0 || i >= len(m.entries) {
		return nil
	}
	return m.entries[i]
}

// ShortHelp returns the page's main keys for the footer.
func (m *Model) ShortHelp() []key.Binding {
	if m.focus != focusTable {
		return []key.Binding{m.keys.Apply, m.keys.SwitchField, m.keys.Leave}
	}
	return []key.Binding{m.keys.Search, m.keys.Action, m.keys.Next, m.keys.Prev}
}

// FullHelp returns the page's keys for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.Next, m.keys.Prev},
		{m.keys.Search, m.keys.Action, m.keys.Refresh},
		{m.keys.Apply, m.keys.SwitchField, m.keys.Leave},
	}
}

type keyMap struct {
	Up, Down, Search, Action, Next, Prev, Refresh, Apply, SwitchField, Leave key.Binding
}

func newKeyMap(c *common.Common) keyMap {
	return keyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", c.T("tui.key.up"))),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", c.T("tui.key.down"))),
		Search:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", c.T("tui.audit.key.search"))),
		Action:      key.NewBinding(key.WithKeys("f"), key.WithHelp("f", c.T("tui.audit.key.action"))),
		Next:        key.NewBinding(key.WithKeys("n", "]"), key.WithHelp("n", c.T("tui.audit.key.older"))),
		Prev:        key.NewBinding(key.WithKeys("p", "["), key.WithHelp("p", c.T("tui.audit.key.newer"))),
		Refresh:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("tui.key.refresh"))),
		Apply:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("tui.audit.key.apply"))),
		SwitchField: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("tui.form.next"))),
		Leave:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.audit.key.leave"))),
	}
}
