package app

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/unicode/norm"

	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// jumpQueryLimit bounds what the jump list's field takes: a screen's name
// is never longer.
const jumpQueryLimit = 40

// jumpList is the list that opens on ":" or ctrl+p: the operator types part
// of a screen's name in either language (with or without Latvian
// diacritics), or its number, and goes to it with enter. It reads the
// screens the operator sees, so it reaches every one of them, the tenth
// and beyond included, which have no number key.
type jumpList struct {
	input   textinput.Model
	matches []jumpMatch
	cursor  int
	keys    jumpKeys
}

// jumpMatch is a screen the query finds: its index in Model.tabs, and the
// name it was found by when that is not its title in the session's
// language (an English name on a Latvian screen, a dashboard tile's name).
type jumpMatch struct {
	tab   int
	via   string
	score int // lower is better
}

type jumpKeys struct {
	Go, Up, Down, Back key.Binding
}

func newJumpList(c *common.Common, tabs []*screen, active int) *jumpList {
	ti := textinput.New()
	c.Styles.StyleInput(&ti)
	ti.Prompt = "› "
	ti.CharLimit = jumpQueryLimit
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Focus()
	j := &jumpList{input: ti}
	j.relabel(c)
	j.filter(c, tabs)
	// The list opens on the screen the operator is on.
	j.cursor = min(max(active, 0), max(len(j.matches)-1, 0))
	return j
}

// relabel takes the session's language.
func (j *jumpList) relabel(c *common.Common) {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, c.T(desc)))
	}
	j.keys = jumpKeys{
		Go:   b([]string{"enter"}, "enter", "tui.jump.key.go"),
		Up:   b([]string{"up", "ctrl+p"}, "↑", "tui.key.up"),
		Down: b([]string{"down", "ctrl+n"}, "↓", "tui.key.down"),
		Back: b([]string{"esc"}, "esc", "tui.key.back"),
	}
	j.input.Placeholder = c.T("tui.jump.hint")
}

// update handles a key while the list is open. It returns the index (in
// Model.tabs) of the screen to go to, or -1 to stay; done is true when the
// list closes.
func (j *jumpList) update(c *common.Common, tabs []*screen, msg tea.KeyMsg) (cmd tea.Cmd, target int, done bool) {
	switch {
	case key.Matches(msg, j.keys.Back):
		return nil, -1, true
	case key.Matches(msg, j.keys.Go):
		if len(j.matches) == 0 {
			return nil, -1, false
		}
		return nil, j.matches[j.cursor].tab, true
	case key.Matches(msg, j.keys.Up):
		if j.cursor > 0 {
			j.cursor--
		}
		return nil, -1, false
	case key.Matches(msg, j.keys.Down):
		if j.cursor < len(j.matches)-1 {
			j.cursor++
		}
		return nil, -1, false
	}
	before := j.input.Value()
	cmd = common.UpdateInput(&j.input, msg)
	if j.input.Value() != before {
		j.filter(c, tabs)
		j.cursor = 0
	}
	return cmd, -1, false
}

// filter finds the screens the query names. Every screen matches an empty
// query, in tab order; otherwise a number finds the screens whose number
// starts with it, and text finds the screens one of whose names — title
// or short name in Latvian or English, or the name of one of its
// dashboard tiles — contains it, ignoring case and diacritics. A name
// that starts with the query ranks before one that only contains it.
func (j *jumpList) filter(c *common.Common, tabs []*screen) {
	q := fold(strings.TrimSpace(j.input.Value()))
	j.matches = j.matches[:0]
	if q != "" && strings.Trim(q, "0123456789") == "" {
		for i := range tabs {
			if n := strconv.Itoa(i + 1); strings.HasPrefix(n, q) {
				score := 1
				if n == q {
					score = 0
				}
				j.matches = append(j.matches, jumpMatch{tab: i, score: score})
			}
		}
	} else {
		for i, s := range tabs {
			if m, ok := matchScreen(c, s, q); ok {
				m.tab = i
				j.matches = append(j.matches, m)
			}
		}
	}
	slices.SortStableFunc(j.matches, func(a, b jumpMatch) int { return a.score - b.score })
}

// catalogs are both languages' catalogs, for finding a screen by either
// name; read-only.
var catalogs = []i18n.Catalog{i18n.For(i18n.LV), i18n.For(i18n.EN)}

// matchScreen reports whether q (folded) names s, and by which name.
func matchScreen(c *common.Common, s *screen, q string) (jumpMatch, bool) {
	if q == "" {
		return jumpMatch{}, true
	}
	own := c.T(s.title)
	names := []string{own}
	for _, cat := range catalogs {
		names = append(names, cat.T(s.title))
		if s.short != "" {
			names = append(names, cat.T(s.short))
		}
	}
	for _, queue := range s.queues {
		names = append(names, c.T("queue."+queue))
		for _, cat := range catalogs {
			names = append(names, cat.T("queue."+queue))
		}
	}
	best := jumpMatch{score: -1}
	for rank, name := range names {
		f := fold(name)
		at := strings.Index(f, q)
		if at < 0 {
			continue
		}
		// Whole names before their short forms and tiles; a match at the
		// start of the name or of a word before one inside a word.
		score := rank
		if at > 0 && f[at-1] != ' ' {
			score += 100
		}
		if best.score < 0 || score < best.score {
			best = jumpMatch{score: score}
			if name != own {
				best.via = name
			}
		}
	}
	return best, best.score >= 0
}

// fold returns s in lower case without diacritics ("Palīdzība" →
// "palidziba"), so that an operator can type a Latvian name on any
// keyboard.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// view draws the list as a box in the page area.
func (j *jumpList) view(c *common.Common, tabs []*screen) string {
	st := c.Styles
	inner := min(max(c.Width-4, 10), 60)
	var lines []string
	lines = append(lines, st.Title.Render(c.T("tui.jump.title")))
	j.input.Width = max(inner-ansi.StringWidth(j.input.Prompt)-1, 1)
	lines = append(lines, j.input.View(), "")
	// The box's border and the three lines above take five lines.
	rows := max(c.Height-5, 1)
	if len(j.matches) == 0 {
		lines = append(lines, st.Muted.Render(c.T("tui.jump.none")))
	}
	top := 0
	if j.cursor >= rows {
		top = j.cursor - rows + 1
	}
	for i := top; i < len(j.matches) && i < top+rows; i++ {
		m := j.matches[i]
		s := tabs[m.tab]
		mark := "  "
		if i == j.cursor {
			mark = theme.Marker + " "
		}
		num := strconv.Itoa(m.tab + 1)
		num = strings.Repeat(" ", len(strconv.Itoa(len(tabs)))-len(num)) + num
		line := mark + num + " " + c.T(s.title)
		if m.via != "" {
			line += st.Muted.Render(" — " + m.via)
		}
		line = ansi.Truncate(line, inner, "…")
		if i == j.cursor {
			line = st.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	// A box of one width whatever it lists, so that it does not jump
	// about while the operator types.
	box := st.Overlay.Width(inner + 2).Render(common.FitWidth(strings.Join(lines, "\n"), inner))
	return st.Renderer.PlaceHorizontal(c.Width, lipgloss.Center, box)
}

// shortHelp is what the footer shows while the list is open.
func (j *jumpList) shortHelp() []key.Binding {
	return []key.Binding{j.keys.Go, j.keys.Up, j.keys.Down}
}
