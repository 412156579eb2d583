package app

import (
	"fmt"
	"strconv"
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
	} else if m.jump != nil {
		content = m.jump.view(m.c, m.tabs)
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
	lang := strings.ToUpper(string(c.Catalog.Lang))
	if m.pw != nil {
		return common.SpreadLine("", st.Muted.Render(lang), m.width) // no screen before the new password
	}
	lo, hi, texts := m.tabWindow(m.tabScroll)
	var parts []string
	if lo > 0 {
		parts = append(parts, st.Muted.Render("…"))
	}
	for i := lo; i <= hi; i++ {
		if i == m.active {
			parts = append(parts, st.ActiveTab.Render(texts[i]))
		} else {
			parts = append(parts, st.Tab.Render(texts[i]))
		}
	}
	if hi < len(m.tabs)-1 {
		parts = append(parts, st.Muted.Render("…"))
	}
	line := strings.Join(parts, " ")
	if room := m.tabRoom(); ansi.StringWidth(line) > room {
		line = ansi.Truncate(line, max(room, 1), "…") // the active tab's name alone is too long
	}
	return common.SpreadLine(line, st.Muted.Render(lang), m.width)
}

// tabRoom is the width the tabs may take: the line less the language.
func (m *Model) tabRoom() int {
	return m.width - 1 - ansi.StringWidth(string(m.c.Catalog.Lang))
}

// tabTexts returns each tab's text: the active tab's number and whole name
// in brackets (they mark it where neither colour nor bold shows), the
// others' numbers and their whole names (whole) or their short ones.
func (m *Model) tabTexts(whole bool) []string {
	c := m.c
	out := make([]string, len(m.tabs))
	for i, t := range m.tabs {
		n := strconv.Itoa(i + 1)
		switch {
		case i == m.active:
			out[i] = "[" + n + " " + c.T(t.title) + "]"
		case whole:
			out[i] = " " + n + " " + c.T(t.title) + " "
		case t.short != "":
			out[i] = n + " " + c.T(t.short)
		default:
			out[i] = n + " " + ansi.Truncate(c.T(t.title), 9, "…")
		}
	}
	return out
}

// tabWindow returns the tabs lo…hi the tab bar shows, and the texts to
// show them with. Every tab's whole name when they all fit; otherwise the
// active tab's whole name and the others' short names; and when those do
// not fit either, as many tabs as fit from start on — moved only as far
// as it takes to hold the active tab and its neighbours —, with "…" where
// some are left out (the jump list, ":", reaches them all).
func (m *Model) tabWindow(start int) (lo, hi int, texts []string) {
	n, a, room := len(m.tabs), m.active, m.tabRoom()
	if n == 0 || a >= n {
		return 0, -1, nil
	}
	var widths []int
	width := func(lo, hi int) int {
		w := hi - lo // the spaces between
		for i := lo; i <= hi; i++ {
			w += widths[i]
		}
		if lo > 0 {
			w += 2 // "… "
		}
		if hi < n-1 {
			w += 2 // " …"
		}
		return w
	}
	for _, whole := range []bool{true, false} {
		texts = m.tabTexts(whole)
		widths = make([]int, n)
		for i, t := range texts {
			widths[i] = ansi.StringWidth(t)
		}
		if width(0, n-1) <= room {
			return 0, n - 1, texts
		}
	}
	fits := func(lo, hi int) bool { return width(lo, hi) <= room }
	// The active tab's neighbours stay in view with it, so that the
	// operator sees where tab and shift+tab lead; on a narrow line, the
	// active tab alone.
	needLo, needHi := max(a-1, 0), min(a+1, n-1)
	if !fits(needLo, needHi) {
		needLo, needHi = a, a
	}
	lo = min(max(start, 0), needLo)
	for lo < needLo && !fits(lo, needHi) {
		lo++
	}
	hi = needHi
	for hi+1 < n && fits(lo, hi+1) {
		hi++
	}
	// At the end of the line, the room left shows earlier tabs.
	for hi == n-1 && lo > 0 && fits(lo-1, hi) {
		lo--
	}
	return lo, hi, texts
}

// scrollTabs returns the first tab the tab bar shows after a change: it
// keeps the active tab in view and otherwise stays where it was.
func (m *Model) scrollTabs() int {
	lo, _, _ := m.tabWindow(m.tabScroll)
	return lo
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
	if m.jumpWorthShowing() {
		global = []key.Binding{k.Help, k.Jump, k.Language, k.Quit}
	}
	var local []key.Binding
	if m.jump != nil {
		global = []key.Binding{m.jump.keys.Back, k.Language}
		local = m.jump.shortHelp()
	} else if m.showHelp {
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

// jumpWorthShowing reports whether the footer names the jump list's key:
// when the tab bar leaves screens out or some screens have no number key.
// Otherwise the page's own keys keep the room (the help overlay names it).
func (m *Model) jumpWorthShowing() bool {
	lo, hi, _ := m.tabWindow(m.tabScroll)
	return lo > 0 || hi < len(m.tabs)-1 || len(m.tabs) > len(m.c.Keys.Tab)
}

// helpView is the overlay: the keys of the page on screen, then the keys
// that work everywhere, then the operator's screens with their numbers.
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
	b.WriteString("\n\n")
	b.WriteString(st.Title.Render(c.T("tui.help.screens")))
	b.WriteString("\n")
	b.WriteString(m.screenList(inner))
	box := st.Overlay.Render(common.FitWidth(b.String(), inner))
	return st.Renderer.PlaceHorizontal(m.c.Width, lipgloss.Center, box)
}

// screenList lists the operator's screens with their numbers, wrapped to
// width without parting a number from its name.
func (m *Model) screenList(width int) string {
	var lines []string
	line := ""
	for i, t := range m.tabs {
		item := strconv.Itoa(i+1) + " " + m.c.T(t.title)
		switch {
		case line == "":
			line = item
		case ansi.StringWidth(line)+3+ansi.StringWidth(item) <= width:
			line += " · " + item
		default:
			lines = append(lines, line)
			line = item
		}
	}
	return strings.Join(append(lines, line), "\n")
}
