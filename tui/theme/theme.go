// Package theme turns semantic colours into the styles of one SSH session.
// Every style is built from the session's own lipgloss renderer, never from
// lipgloss's global one, and stays readable without colour: emphasis that
// matters (the selected row, the active tab, the focused field) is also
// carried by reverse video, bold text or a marker character.
package theme

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
)

// Marker is put before the selected row or the focused field so that the
// selection shows even where neither colour nor reverse video does.
const Marker = "›"

// Palette names the colours by what they mean. The defaults are ANSI colour
// numbers 0–15, which every colour terminal has and which follow the user's
// own terminal theme.
type Palette struct {
	Accent  lipgloss.TerminalColor // titles, the active tab, key names
	Muted   lipgloss.TerminalColor // secondary text
	Error   lipgloss.TerminalColor
	OK      lipgloss.TerminalColor
	Warning lipgloss.TerminalColor
	Border  lipgloss.TerminalColor
}

// DefaultPalette is the palette of the back office.
func DefaultPalette() Palette {
	return Palette{
		Accent:  lipgloss.Color("6"),
		Muted:   lipgloss.Color("8"),
		Error:   lipgloss.Color("9"),
		OK:      lipgloss.Color("10"),
		Warning: lipgloss.Color("11"),
		Border:  lipgloss.Color("8"),
	}
}

// Styles are the styles of one session, built once from its renderer.
type Styles struct {
	Renderer *lipgloss.Renderer

	App        lipgloss.Style // the whole screen
	Header     lipgloss.Style // the first line
	HeaderName lipgloss.Style
	DBUp       lipgloss.Style
	DBDown     lipgloss.Style

	Tab       lipgloss.Style
	ActiveTab lipgloss.Style

	Title    lipgloss.Style
	Label    lipgloss.Style
	Selected lipgloss.Style
	Error    lipgloss.Style
	OK       lipgloss.Style
	Muted    lipgloss.Style
	Banner   lipgloss.Style // a message that must not be missed (reconnecting…)
	Overlay  lipgloss.Style // the help overlay's box

	Tile      lipgloss.Style
	TileTitle lipgloss.Style
	TileCount lipgloss.Style
	TileAge   lipgloss.Style

	Table     table.Styles
	Help      help.Styles
	Input     InputStyles
	DetailKey lipgloss.Style
}

// InputStyles are the styles of a text field.
type InputStyles struct {
	Prompt      lipgloss.Style
	Text        lipgloss.Style
	Placeholder lipgloss.Style
	Cursor      lipgloss.Style
}

// New builds the styles of a session from its renderer with the default
// palette.
func New(r *lipgloss.Renderer) *Styles { return NewWithPalette(r, DefaultPalette()) }

// NewWithPalette builds the styles of a session from its renderer.
func NewWithPalette(r *lipgloss.Renderer, p Palette) *Styles {
	ns := r.NewStyle
	s := &Styles{Renderer: r}
	s.App = ns()
	s.Header = ns().Bold(true)
	s.HeaderName = ns().Bold(true).Foreground(p.Accent)
	s.DBUp = ns().Foreground(p.OK)
	s.DBDown = ns().Bold(true).Foreground(p.Warning).Reverse(true)

	s.Tab = ns().Foreground(p.Muted)
	s.ActiveTab = ns().Bold(true).Foreground(p.Accent)

	s.Title = ns().Bold(true).Foreground(p.Accent)
	s.Label = ns().Bold(true)
	s.Selected = ns().Bold(true).Reverse(true)
	s.Error = ns().Bold(true).Foreground(p.Error)
	s.OK = ns().Foreground(p.OK)
	s.Muted = ns().Foreground(p.Muted)
	s.Banner = ns().Bold(true).Reverse(true)
	s.Overlay = ns().Border(lipgloss.RoundedBorder()).BorderForeground(p.Accent).Padding(0, 1)

	s.Tile = ns().Border(lipgloss.RoundedBorder()).BorderForeground(p.Border).Padding(0, 1)
	s.TileTitle = ns().Bold(true)
	s.TileCount = ns().Bold(true).Foreground(p.Accent)
	s.TileAge = ns().Foreground(p.Muted)

	s.Table = table.Styles{
		Header:   ns().Bold(true).Foreground(p.Accent).PaddingRight(1),
		Cell:     ns().PaddingRight(1),
		Selected: ns().Bold(true).Reverse(true),
	}
	key := ns().Bold(true).Foreground(p.Accent)
	desc := ns()
	sep := ns().Foreground(p.Muted)
	s.Help = help.Styles{
		Ellipsis:       sep,
		ShortKey:       key,
		ShortDesc:      desc,
		ShortSeparator: sep,
		FullKey:        key,
		FullDesc:       desc,
		FullSeparator:  sep,
	}
	s.Input = InputStyles{
		Prompt:      ns().Foreground(p.Accent),
		Text:        ns(),
		Placeholder: ns().Foreground(p.Muted),
		Cursor:      ns(),
	}
	s.DetailKey = ns().Bold(true)
	return s
}

// StyleInput gives a text field the session's styles, replacing the ones
// bubbles built from the global renderer.
func (s *Styles) StyleInput(ti *textinput.Model) {
	ti.PromptStyle = s.Input.Prompt
	ti.TextStyle = s.Input.Text
	ti.PlaceholderStyle = s.Input.Placeholder
	ti.CompletionStyle = s.Input.Placeholder
	ti.Cursor.Style = s.Input.Cursor
	ti.Cursor.TextStyle = s.Input.Text
}

// StyleHelp gives a help view the session's styles.
func (s *Styles) StyleHelp(h *help.Model) {
	h.Styles = s.Help
}
