// Package announcements is the editors' screen for announcements (¶23):
// news and planned downtime, for every Platform user or for chosen
// roles. It lists them with their kind, state, audience and time; a draft
// is written and changed in a form that shows each problem under its
// field; a draft is published after a confirmation (and e-mailed to its
// audience when asked); a published one is withdrawn with a reason.
package announcements

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/selecttable"
)

// debounce gathers a burst of feed changes into one read.
const debounce = 250 * time.Millisecond

// topic is the change feed's topic of announcements.
const topic = domain.TopicAnnouncement

type mode int

const (
	modeList     mode = iota
	modeDetail        // one announcement in full
	modeForm          // a draft being written
	modeConfirm       // publishing, waiting for enter or esc
	modeWithdraw      // the reason of a withdrawal
)

type action int

const (
	actSave action = iota
	actPublish
	actWithdraw
)

// ListMsg carries the announcements.
type ListMsg struct {
	gen  int
	Rows []*domain.Announcement
	Err  error
}

// DoneMsg carries the result of saving, publishing or withdrawing.
type DoneMsg struct {
	act action
	ID  int64
	Err error
}

// refreshMsg fires once after a burst of changes.
type refreshMsg struct{}

// Model is the announcements page.
type Model struct {
	c       *common.Common
	keys    keyMap
	mode    mode
	back    mode // where the confirmation or the withdrawal returns to
	started bool
	width   int
	height  int

	rows   []*domain.Announcement
	loaded bool
	gen    int
	table  *selecttable.Model
	armed  bool
	keep   int64 // select this announcement once the list is read

	target *domain.Announcement // the one in the detail, confirmation or withdrawal
	top    int                  // the first line of the detail's text on screen
	sheet  *form.Model          // the draft's form
	drafts map[int64]kept       // what its form held when left, by announcement (0: a new one)
	reason *form.Model          // the withdrawal's reason
	busy   bool                 // the publication is under way
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c, width: 80, height: 20}
	m.table = m.newTable()
	m.relabel()
	return m
}

// live reports whether the page reads: once started, with a service.
func (m *Model) live() bool { return m.started && m.c.Services.Announcements != nil }

// Init loads the list.
func (m *Model) Init() tea.Cmd {
	m.started = true
	return m.loadCmd()
}

// SetSize lays the page out.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.table.SetSize(width, listTableHeight(height))
}

// Typing reports whether a field has the keyboard.
func (m *Model) Typing() bool {
	switch m.mode {
	case modeForm, modeConfirm, modeWithdraw:
		return true
	}
	return false
}

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}

func clearStatus() tea.Msg { return common.StatusMsg{} }

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ListMsg:
		return m.showList(msg)
	case DoneMsg:
		return m.done(msg)
	case common.ChangeMsg:
		if !m.live() || msg.Topic != topic || m.armed {
			return nil
		}
		m.armed = true
		return m.c.Tick(debounce, func(time.Time) tea.Msg { return refreshMsg{} })
	case refreshMsg:
		m.armed = false
		return m.loadCmd()
	case common.ReloadMsg:
		return m.loadCmd()
	case common.LanguageMsg:
		m.relabel()
		return nil
	case tea.KeyMsg:
		if !m.live() || !m.isEditor() {
			return nil
		}
		return m.updateKey(msg)
	}
	return nil
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeForm:
		return m.updateSheet(msg)
	case modeConfirm:
		return m.updateConfirm(msg)
	case modeWithdraw:
		return m.updateWithdraw(msg)
	case modeDetail:
		return m.updateDetail(msg)
	}
	return m.updateListKey(msg)
}

func (m *Model) isEditor() bool {
	return m.c.Operator != nil && m.c.Operator.HasRole(domain.RoleEditor)
}

func (m *Model) relabel() {
	m.keys = newKeyMap(m.c)
	m.table.SetTitles(m.columnTitles())
	m.table.SetRows(m.tableRows())
	if m.sheet != nil {
		m.sheet.Relabel()
	}
	if m.reason != nil {
		m.reason.Relabel()
	}
}
