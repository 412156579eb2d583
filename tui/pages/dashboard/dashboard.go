// Package dashboard is the first screen: a tile per work queue with the
// number of items waiting and the age of the oldest. It reloads when the
// database feed reports a change, never on a timer.
package dashboard

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// tileWidth is the width of a tile, border included; a 80-column screen
// holds three.
const tileWidth = 26

// debounce gathers a burst of changes into one reload.
const debounce = 300 * time.Millisecond

// TilesMsg carries the result of loading the tiles.
type TilesMsg struct {
	Tiles []domain.QueueTile
	Err   error
}

// refreshMsg fires once after a burst of changes.
type refreshMsg struct{}

// Model is the dashboard page.
type Model struct {
	c       *common.Common
	tiles   []domain.QueueTile
	loaded  bool
	pending bool
	keys    keyMap
}

// New returns the dashboard page.
func New(c *common.Common) *Model {
	return &Model{c: c, keys: newKeyMap(c)}
}

// Init loads the tiles.
func (m *Model) Init() tea.Cmd { return m.loadCmd() }

func (m *Model) loadCmd() tea.Cmd {
	svc, ctx := m.c.Services.Dashboard, m.c.Ctx
	return func() tea.Msg {
		tiles, err := svc.QueueTiles(ctx)
		return TilesMsg{Tiles: tiles, Err: err}
	}
}

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case TilesMsg:
		if msg.Err != nil {
			err := msg.Err
			return func() tea.Msg { return common.ErrorMsg{Err: err} }
		}
		m.tiles, m.loaded = msg.Tiles, true
	case common.ChangeMsg:
		// Operator changes and the feed's own state say nothing about
		// queues; anything else may.
		if msg.Topic == domain.TopicOperator || msg.Topic == domain.TopicDB || m.pending {
			return nil
		}
		m.pending = true
		return m.c.Tick(debounce, func(time.Time) tea.Msg { return refreshMsg{} })
	case refreshMsg:
		m.pending = false
		return m.loadCmd()
	case common.ReloadMsg:
		return m.loadCmd()
	case common.LanguageMsg:
		m.keys = newKeyMap(m.c)
	case tea.KeyMsg:
		if key.Matches(msg, m.keys.Refresh) {
			return m.loadCmd()
		}
	}
	return nil
}

// SetSize is a no-op: the view reads the size from Common.
func (m *Model) SetSize(int, int) {}

// Typing is always false: the dashboard has no text field.
func (m *Model) Typing() bool { return false }

// View renders the tiles, or the empty state.
func (m *Model) View() string {
	c, st := m.c, m.c.Styles
	w := c.Width
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T("tui.dash.title")))
	b.WriteString("\n\n")
	switch {
	case !m.loaded:
		b.WriteString(st.Muted.Render(c.T("tui.loading")))
	case len(m.tiles) == 0:
		b.WriteString(ansi.Wordwrap(c.T("tui.dash.empty"), w, " "))
	default:
		b.WriteString(m.grid(w))
	}
	return common.FitBlock(b.String(), w, c.Height)
}

func (m *Model) grid(width int) string {
	perRow := max(1, (width+1)/(tileWidth+1))
	tw := min(tileWidth, width)
	var rows []string
	for i := 0; i < len(m.tiles); i += perRow {
		var row []string
		for j := i; j < min(i+perRow, len(m.tiles)); j++ {
			if j > i {
				row = append(row, " ")
			}
			row = append(row, m.tile(m.tiles[j], tw))
		}
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return lipgloss.JoinVertical(lipgloss.Left, rows...)
}

func (m *Model) tile(t domain.QueueTile, width int) string {
	c, st := m.c, m.c.Styles
	inner := max(width-4, 1)
	fit := func(s string) string { return ansi.Truncate(s, inner, "…") }
	age := c.T("tui.dash.queue_empty")
	if t.Count > 0 {
		age = c.T("tui.dash.oldest", c.Age(t.Oldest))
	}
	body := strings.Join([]string{
		st.TileTitle.Render(fit(c.T("queue." + t.Queue))),
		st.TileCount.Render(fit(c.N("tui.dash.count", int64(t.Count)))),
		st.TileAge.Render(fit(age)),
	}, "\n")
	return st.Tile.Width(max(width-2, 1)).Render(body)
}

// ShortHelp returns the page's keys for the footer.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Refresh} }

// FullHelp returns the page's keys for the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{{m.keys.Refresh}} }

type keyMap struct{ Refresh key.Binding }

func newKeyMap(c *common.Common) keyMap {
	return keyMap{Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("tui.key.refresh")))}
}
