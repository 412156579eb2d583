// Package app is the root model of one SSH session: it draws the header,
// the tabs, the status line and the footer, routes key presses to the page
// on screen and every other message to all pages, switches the language,
// shows the help overlay, and ends the session on q, on inactivity, or when
// the server asks it to.
package app

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// DefaultIdleTimeout ends a session after this long without a key press.
const DefaultIdleTimeout = 15 * time.Minute

// Options configure one session's root model.
type Options struct {
	Ctx      context.Context // carries the actor; ends with the session
	Services common.Services
	Operator *domain.Operator
	Styles   *theme.Styles
	Width    int // the terminal's size when the session starts
	Height   int
	// Changes delivers the database feed to this session; nil for none.
	Changes <-chan domain.Change
	// IdleTimeout is measured from the last key press (DefaultIdleTimeout
	// when zero).
	IdleTimeout time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Timers arm the session's timers (real ones when nil); tests give
	// one they advance themselves (tuitest.Clock).
	Timers common.Timers
	// MustChangePassword shows only the password change until the
	// operator has set a new password (signed in with a reset code).
	MustChangePassword bool
}

// Model is the root model.
type Model struct {
	c          *common.Common
	width      int
	height     int
	tabs       []*screen // the screens the operator sees, in tab order
	active     int
	pages      map[screenID]common.Page
	started    map[screenID]bool
	help       help.Model
	showHelp   bool
	jump       *jumpList // while set, the jump list is open
	tabScroll  int       // the first tab the tab bar shows (see tabsView)
	status     status
	dbDown     bool
	retryArmed bool
	changes    <-chan domain.Change
	lastKey    time.Time
	idle       time.Duration
	endReason  string
	banners    []*domain.Announcement // planned downtime shown under the header
	bannerGen  int
	pw         *passwordChange // while set, the only screen
}

// New returns the root model of a session. The operator is copied, so the
// caller's value is never changed by the session.
func New(o Options) *Model {
	op := *o.Operator
	c := &common.Common{
		Ctx:      o.Ctx,
		Styles:   o.Styles,
		Services: o.Services.Normalized(),
		Operator: &op,
		Now:      o.Now,
		Timers:   o.Timers,
	}
	if c.Ctx == nil {
		c.Ctx = context.Background()
	}
	c.SetLanguage(i18n.ParseLang(op.Language))
	m := &Model{
		c:       c,
		changes: o.Changes,
		idle:    o.IdleTimeout,
		started: map[screenID]bool{},
		help:    help.New(),
	}
	if m.idle <= 0 {
		m.idle = DefaultIdleTimeout
	}
	o.Styles.StyleHelp(&m.help)
	m.pages = map[screenID]common.Page{}
	m.tabs = visibleScreens(c.Operator, &c.Services)
	m.dbDown = c.Services.Feed != nil && !c.Services.Feed.Connected()
	m.lastKey = c.Clock()
	if o.MustChangePassword {
		m.pw = newPasswordChange(c)
	}
	m.resize(o.Width, o.Height)
	m.tabScroll = m.scrollTabs()
	return m
}

// Init loads the visible pages, listens to the feed and arms the
// inactivity timer.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.armIdle(m.idle), m.waitChangeCmd(), m.loadBannersCmd()}
	if m.pw == nil {
		cmds = append(cmds, m.startPages()...)
	}
	return tea.Batch(cmds...)
}

// EndReason says why the session ended: "quit", "idle", or the reason the
// server gave in EndSessionMsg; empty while it runs.
func (m *Model) EndReason() string { return m.endReason }

// Language returns the session's current language.
func (m *Model) Language() i18n.Lang { return m.c.Catalog.Lang }

// Operator returns the session's copy of the signed-in operator.
func (m *Model) Operator() *domain.Operator { return m.c.Operator }

// Update routes a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	// Whatever moved (the active tab, the width, the language, the
	// operator's roles), the tab bar scrolls to keep the active tab in
	// view.
	m.tabScroll = m.scrollTabs()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return nil
	case EndSessionMsg:
		return m.end(msg.Reason)
	case idleCheckMsg:
		return m.checkIdle()
	case tea.KeyMsg:
		m.lastKey = m.c.Clock()
		return m.handleKey(msg)
	case changeMsg:
		return tea.Batch(m.waitChangeCmd(), m.handleChange(domain.Change(msg)))
	case common.ErrorMsg:
		return m.handleError(msg.Err)
	case common.StatusMsg:
		m.status = status{key: msg.Key, args: msg.Args}
		return nil
	case dbRetryMsg:
		return m.retryDB()
	case languageSavedMsg:
		if msg.err != nil {
			return m.handleError(msg.err)
		}
		return nil
	case common.OperatorMsg:
		return m.setOperator(msg.Operator)
	case bannersMsg:
		return m.setBanners(msg)
	case bannerTickMsg:
		return m.bannerTick(msg)
	case passwordSetMsg:
		return m.passwordSet(msg)
	case common.DenyFromTicketMsg:
		return m.handOver("denials", msg)
	case common.BulkMsg:
		return m.handOver("bulk", msg)
	}
	return m.broadcast(msg)
}

// broadcast gives msg to every page: asynchronous results find the page
// that asked for them whichever page is on screen.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i := range screens {
		if p := m.pages[screens[i].id]; p != nil {
			cmds = append(cmds, p.Update(msg))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) resize(w, h int) {
	if w <= 0 || h <= 0 {
		// Some clients report no size; assume the classic terminal.
		w, h = 80, 24
	}
	m.width, m.height = w, h
	m.c.Width = max(w, 1)
	m.c.Height = max(h-chromeLines-m.bannerLines(), 1)
	m.help.Width = max(w, 1)
	for _, p := range m.pages {
		p.SetSize(m.c.Width, m.c.Height)
	}
}

func (m *Model) end(reason string) tea.Cmd {
	if m.endReason == "" {
		m.endReason = reason
	}
	return tea.Quit
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case keyIs(msg, k.ForceQuit):
		return m.end(ReasonQuit)
	case keyIs(msg, k.Language):
		return m.toggleLanguage()
	case m.pw != nil:
		return m.pw.update(msg)
	case m.jump != nil:
		cmd, target, done := m.jump.update(m.c, m.tabs, msg)
		if done {
			m.jump = nil
		}
		if target >= 0 {
			return tea.Batch(cmd, m.switchTab(target))
		}
		return cmd
	}
	if m.showHelp {
		switch {
		case keyIs(msg, k.Quit):
			return m.end(ReasonQuit)
		case keyIs(msg, k.Help) || keyIs(msg, k.Back):
			m.showHelp = false
		}
		return nil
	}
	page := m.page()
	if page != nil && page.Typing() {
		return page.Update(msg)
	}
	switch {
	case keyIs(msg, k.Quit):
		return m.end(ReasonQuit)
	case keyIs(msg, k.Help):
		m.showHelp = true
		return nil
	case keyIs(msg, k.Jump):
		// Only here, where no text field has the focus: ":" typed into
		// a search or a form is the field's.
		m.jump = newJumpList(m.c, m.tabs, m.active)
		return nil
	case keyIs(msg, k.NextTab):
		return m.switchTab((m.active + 1) % len(m.tabs))
	case keyIs(msg, k.PrevTab):
		return m.switchTab((m.active + len(m.tabs) - 1) % len(m.tabs))
	}
	for i, b := range k.Tab {
		if keyIs(msg, b) && i < len(m.tabs) {
			return m.switchTab(i)
		}
	}
	if page != nil {
		return page.Update(msg)
	}
	return nil
}

func (m *Model) page() common.Page {
	if m.active >= len(m.tabs) {
		return nil
	}
	return m.pages[m.tabs[m.active].id]
}

func (m *Model) switchTab(i int) tea.Cmd {
	if i == m.active {
		return nil
	}
	m.active, m.status = i, status{}
	return tea.Batch(m.startPages()...)
}

// startPages builds and starts the page on screen when it has not been
// started yet; the other tabs' pages wait until they are opened.
func (m *Model) startPages() []tea.Cmd {
	if m.active >= len(m.tabs) {
		return nil
	}
	id := m.tabs[m.active].id
	if m.started[id] {
		return nil
	}
	m.started[id] = true
	p := m.tabs[m.active].make(m.c)
	p.SetSize(m.c.Width, m.c.Height)
	m.pages[id] = p
	return []tea.Cmd{p.Init()}
}

// setOperator takes a fresh copy of the operator: the tabs follow their
// roles at once.
func (m *Model) setOperator(op *domain.Operator) tea.Cmd {
	if op == nil || op.ID != m.c.Operator.ID {
		return nil
	}
	cp := *op
	cp.Language = m.c.Operator.Language
	m.c.Operator = &cp
	var current screenID
	if p := m.active; p < len(m.tabs) {
		current = m.tabs[p].id
	}
	m.tabs = visibleScreens(m.c.Operator, &m.c.Services)
	m.active = 0
	for i, t := range m.tabs {
		if t.id == current {
			m.active = i
		}
	}
	if m.jump != nil {
		// The list points into the tabs: find again among the new ones.
		m.jump.filter(m.c, m.tabs)
		m.jump.cursor = min(m.jump.cursor, max(len(m.jump.matches)-1, 0))
	}
	if m.pw != nil {
		return nil
	}
	return tea.Batch(m.startPages()...)
}

// handOver goes to screen id and gives it msg: one screen asking another
// to take over (a ¶32.6 denial from an incident ticket opens the denials
// screen's form). Nothing happens when the operator does not see it.
func (m *Model) handOver(id screenID, msg tea.Msg) tea.Cmd {
	for i, s := range m.tabs {
		if s.id != id {
			continue
		}
		cmd := m.switchTab(i)
		return tea.Batch(cmd, m.pages[id].Update(msg))
	}
	return nil
}
