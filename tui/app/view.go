package app

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// chromeLines are the lines around the page: header, tabs, status, footer;
// the downtime banner adds one while it shows.
const chromeLines = 4

// Smallest usable terminal.
const (
	minWidth  = 30
	minHeight = 8
)

// View draws the screen: every line fits the width and there are exactly
// as many lines as the terminal has.
func (m *Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		w, h = 80, 24
	}
	if w < minWidth || h < minHeight {
		return common.FitBlock(m.c.T("tui.too_small"), w, h)
	}
	content := ""
	if m.pw != nil {
		content = m.pw.view(m.c.Width, m.c.Height)
	} else if m.showHelp {
		content = m.helpView()
	} else if p := m.page(); p != nil {
		content = p.View()
	}
	lines := []string{m.headerView()}
	if len(m.banners) > 0 {
		lines = append(lines, m.bannerView())
	}
	screen := strings.Join(append(lines,
		m.tabsView(),
		common.FitBlock(content, m.c.Width, m.c.Height),
		m.statusView(),
		m.footerView(),
	), "\n")
	return common.FitBlock(screen, w, h)
}

func (m *Model) headerView() string {
	c, st := m.c, m.c.Styles
	op := c.Operator
	who := common.Show(op.Name)
	if full := common.Show(op.FullName); full != "" {
		who = fmt.Sprintf("%s (%s)", full, who)
	}
	left := st.Header.Render(c.T("tui.app.title")) + " · " + st.HeaderName.Render(who) + " · " + c.RoleNames(op.Roles)
	right := st.DBUp.Render(c.T("tui.header.db_up"))
	if m.dbDown {
		right = st.DBDown.Render(c.T("tui.header.db_down"))
	}
	return common.SpreadLine(left, right, m.width)
}

func (m *Model) tabsView() string {
	c, st := m.c, m.c.Styles
	lang := st.Muted.Render(strings.ToUpper(string(c.Catalog.Lang)))
	if m.pw != nil {
		return common.SpreadLine("", lang, m.width) // no screen before the new password
	}
	// An operator with many roles has more screens than 80 columns hold:
	// then the other tabs shrink to their numbers, so every screen's key
	// stays visible and the active one keeps its name.
	for _, room := range []int{-1, 6, 3, 0} { // -1: whole names
		parts := make([]string, len(m.tabs))
		for i, t := range m.tabs {
			name := c.T(t.title)
			switch {
			case i == m.active:
				// Brackets mark the active tab where neither colour nor
				// underline shows.
				parts[i] = st.ActiveTab.Render(fmt.Sprintf("[%d %s]", i+1, name))
			case room < 0:
				parts[i] = st.Tab.Render(fmt.Sprintf(" %d %s ", i+1, name))
			case room == 0:
				parts[i] = st.Tab.Render(fmt.Sprintf("%d", i+1))
			default:
				parts[i] = st.Tab.Render(fmt.Sprintf("%d %s", i+1, ansi.Truncate(name, room, "…")))
			}
		}
		line := strings.Join(parts, " ")
		if room == 0 || ansi.StringWidth(line)+1+ansi.StringWidth(lang) <= m.width {
			return common.SpreadLine(line, lang, m.width)
		}
	}
	return ""
}

func (m *Model) statusView() string {
	c, st := m.c, m.c.Styles
	s := m.status
	switch {
	case s.err != nil && domain.ErrorCode(s.err) == domain.EUNAVAILABLE:
		return st.Banner.Render(ansi.Truncate(c.T("tui.status.reconnecting"), m.width, "…"))
	case s.err != nil:
		return st.Error.Render(ansi.Truncate(common.OneLine(c.Err(s.err)), m.width, "…"))
	case s.key != "":
		return st.OK.Render(ansi.Truncate(c.T(s.key, s.args...), m.width, "…"))
	case m.dbDown:
		return st.Banner.Render(ansi.Truncate(c.T("tui.status.reconnecting"), m.width, "…"))
	}
	return ""
}

// footerView puts the page's keys on the left and the keys that work
// everywhere on the right; the page's are cut first when space runs out.
func (m *Model) footerView() string {
	k := m.c.Keys
	global := []key.Binding{k.Help, k.Language, k.Quit}
	var local []key.Binding
	if m.showHelp {
		global = []key.Binding{k.Back, k.Language, k.Quit}
	} else if m.pw != nil {
		global = []key.Binding{k.Language, k.ForceQuit}
	} else if p := m.page(); p != nil {
		local = p.ShortHelp()
	}
	h := m.help
	h.Width = 0
	right := h.ShortHelpView(global)
	h.Width = max(m.width-ansi.StringWidth(right)-3, 0)
	left := ""
	if h.Width > 8 {
		left = h.ShortHelpView(local)
	}
	return common.SpreadLine(left, right, m.width)
}

// helpView is the overlay: the keys of the page on screen, then the keys
// that work everywhere.
func (m *Model) helpView() string {
	c, st := m.c, m.c.Styles
	inner := max(m.c.Width-4, 10)
	h := m.help
	h.Width = inner
	var b strings.Builder
	if p := m.page(); p != nil {
		b.WriteString(st.Title.Render(c.T("tui.help.title", c.T(m.tabs[m.active].title))))
		b.WriteString("\n\n")
		b.WriteString(h.FullHelpView(p.FullHelp()))
		b.WriteString("\n\n")
	}
	b.WriteString(st.Title.Render(c.T("tui.help.global")))
	b.WriteString("\n\n")
	b.WriteString(h.FullHelpView(c.Keys.FullHelp()))
	box := st.Overlay.Render(common.FitWidth(b.String(), inner))
	return st.Renderer.PlaceHorizontal(m.c.Width, lipgloss.Center, box)
}
