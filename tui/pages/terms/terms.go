// Package terms is the editors' screen for the terms of use (¶16, ¶26.2,
// ¶33): the list of versions with the one in force marked; a new draft
// started from the version in force; the draft's text edited in a
// line-based editor that stays responsive with a 200 KB text; a line diff
// of any version against the version in force; submitting a draft with a
// summary of its changes; approving and publishing a version someone else
// drafted (four eyes), or returning it to draft with a note; and, for a
// published version, how many users have accepted it, by role, with the
// list of those who have not.
package terms

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

// PendingPageSize is the number of users on one page of those who have
// not accepted the version in force.
const PendingPageSize = 50

// Topics of the change feed this page follows.
var topics = map[string]bool{domain.TopicTerms: true}

type mode int

const (
	modeList    mode = iota
	modeForm         // the new draft's number and title
	modeNote         // the summary of a submission, or the note of a return
	modeConfirm      // approving and publishing, waiting for enter or esc
	modeDiff         // a version against the version in force
	modeAccept       // acceptance of a version
	modeEdit         // the editor, or a version's text read-only
)

// action is something the editor does to a version.
type action int

const (
	actOpen action = iota
	actNew
	actDiff
	actSubmit
	actPublish
	actReturn
	actAccept
)

// ListMsg carries the versions.
type ListMsg struct {
	gen  int
	Rows []*domain.TermsVersion
	Err  error
}

// DoneMsg carries the result of submitting, returning, publishing or
// starting a draft (V: the new draft).
type DoneMsg struct {
	act action
	ID  int64
	V   *domain.TermsVersion
	Err error
}

// refreshMsg fires once after a burst of changes.
type refreshMsg struct{}

// Model is the terms page.
type Model struct {
	c       *common.Common
	keys    keyMap
	mode    mode
	started bool
	width   int
	height  int

	rows    []*domain.TermsVersion
	loaded  bool
	gen     int
	table   *selecttable.Model
	narrow  bool
	armed   bool
	changed map[string]bool

	form   *form.Model // the new draft
	note   *form.Model // submit or return
	noteOf action
	target *domain.TermsVersion // the version the form, note or confirmation is about
	busy   bool                 // the confirmed publication is under way

	diff   *diffView
	accept *acceptView
	edit   *editSession
	opens  int // counts editor sessions, so that late answers are told apart
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c, changed: map[string]bool{}, width: 80, height: 20}
	m.table = m.newTable()
	m.relabel()
	return m
}

// live reports whether the page reads: once started, with a service.
func (m *Model) live() bool { return m.started && m.c.Services.Terms != nil }

// Init loads the list.
func (m *Model) Init() tea.Cmd {
	m.started = true
	return m.loadCmd()
}

// SetSize lays the page out.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	if narrow := width < 70; narrow != m.narrow {
		m.narrow = narrow
		cur := m.table.Cursor()
		m.table = m.newTable()
		m.table.SetRows(m.tableRows())
		if cur >= 0 {
			m.table.SetCursor(cur)
		}
	}
	m.table.SetSize(width, listTableHeight(height))
	if m.diff != nil {
		m.diff.layout(m, width, height)
	}
	if m.accept != nil {
		m.accept.layout(m, width, height)
	}
	if m.edit != nil {
		m.edit.layout(width, height)
	}
}

// Typing reports whether a field or the editor has the keyboard.
func (m *Model) Typing() bool {
	switch m.mode {
	case modeForm, modeNote, modeConfirm, modeEdit:
		return true
	}
	return false
}

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}

// clearStatus empties the status line, so that a message about what was
// on screen before does not linger.
func clearStatus() tea.Msg { return common.StatusMsg{} }

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ListMsg:
		return m.showList(msg)
	case DoneMsg:
		return m.done(msg)
	case diffMsg:
		return m.diffLoaded(msg)
	case acceptMsg:
		return m.acceptLoaded(msg)
	case openedMsg:
		return m.opened(msg)
	case savedMsg:
		return m.saved(msg)
	case checkedMsg:
		return m.checked(msg)
	case common.ChangeMsg:
		if !m.live() || !topics[msg.Topic] {
			return nil
		}
		m.changed[msg.ID] = true
		if m.armed {
			return nil
		}
		m.armed = true
		return m.c.Tick(debounce, func(time.Time) tea.Msg { return refreshMsg{} })
	case refreshMsg:
		m.armed = false
		changed := m.changed
		m.changed = map[string]bool{}
		cmds := []tea.Cmd{m.loadCmd()}
		if es := m.edit; es != nil && changed[itoa(es.id)] {
			cmds = append(cmds, m.checkCmd())
		}
		return tea.Batch(cmds...)
	case common.ReloadMsg:
		if !m.live() {
			return nil
		}
		return tea.Batch(m.loadCmd(), m.checkCmd())
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
		return m.updateForm(msg)
	case modeNote:
		return m.updateNote(msg)
	case modeConfirm:
		return m.updateConfirm(msg)
	case modeDiff:
		return m.updateDiff(msg)
	case modeAccept:
		return m.updateAccept(msg)
	case modeEdit:
		return m.updateEdit(msg)
	}
	return m.updateListKey(msg)
}

// isEditor reports whether the operator holds the editor role.
func (m *Model) isEditor() bool {
	return m.c.Operator != nil && m.c.Operator.HasRole(domain.RoleEditor)
}

// me is the signed-in operator's id.
func (m *Model) me() int64 {
	if m.c.Operator == nil {
		return 0
	}
	return m.c.Operator.ID
}

// relabel rebuilds every text kept outside the catalog after a language
// change.
func (m *Model) relabel() {
	m.keys = newKeyMap(m.c)
	m.table.SetTitles(m.columnTitles())
	m.table.SetRows(m.tableRows())
	if m.form != nil {
		m.form.Relabel()
	}
	if m.note != nil {
		m.note.Relabel()
	}
	if m.diff != nil {
		m.diff.layout(m, m.width, m.height)
	}
	if m.accept != nil {
		m.accept.relabel(m)
	}
}
