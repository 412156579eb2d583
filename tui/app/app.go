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
	tabs       []tab
	active     int
	pages      map[tabID]common.Page
	started    map[tabID]bool
	help       help.Model
	showHelp   bool
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
		Services: o.Services,
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
		started: map[tabID]bool{},
		help:    help.New(),
	}
	if m.idle <= 0 {
		m.idle = DefaultIdleTimeout
	}
	o.Styles.StyleHelp(&m.help)
	m.pages = map[tabID]common.Page{}
	m.tabs = visibleTabs(c.Operator, c.Services)
	m.dbDown = c.Services.Feed != nil && !c.Services.Feed.Connected()
	m.lastKey = c.Clock()
	if o.MustChangePassword {
		m.pw = newPasswordChange(c)
	}
	m.resize(o.Width, o.Height)
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
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case EndSessionMsg:
		return m, m.end(msg.Reason)
	case idleCheckMsg:
		return m, m.checkIdle()
	case tea.KeyMsg:
		m.lastKey = m.c.Clock()
		return m, m.handleKey(msg)
	case changeMsg:
		return m, tea.Batch(m.waitChangeCmd(), m.handleChange(domain.Change(msg)))
	case common.ErrorMsg:
		return m, m.handleError(msg.Err)
	case common.StatusMsg:
		m.status = status{key: msg.Key, args: msg.Args}
		return m, nil
	case dbRetryMsg:
		return m, m.retryDB()
	case languageSavedMsg:
		if msg.err != nil {
			return m, m.handleError(msg.err)
		}
		return m, nil
	case common.OperatorMsg:
		return m, m.setOperator(msg.Operator)
	case bannersMsg:
		return m, m.setBanners(msg)
	case bannerTickMsg:
		return m, m.bannerTick(msg)
	case passwordSetMsg:
		return m, m.passwordSet(msg)
	}
	return m, m.broadcast(msg)
}

// broadcast gives msg to every page: asynchronous results find the page
// that asked for them whichever page is on screen.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, id := range allTabs {
		if p := m.pages[id]; p != nil {
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
	p := pageMakers[id](m.c)
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
	var current tabID
	if p := m.active; p < len(m.tabs) {
		current = m.tabs[p].id
	}
	m.tabs = visibleTabs(m.c.Operator, m.c.Services)
	m.active = 0
	for i, t := range m.tabs {
		if t.id == current {
			m.active = i
		}
	}
	if m.pw != nil {
		return nil
	}
	return tea.Batch(m.startPages()...)
}
