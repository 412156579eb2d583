package common

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Page is one screen below the header. The root model gives a page the key
// presses while it is shown and every other message always, so a page's
// asynchronous results reach it even after the operator has moved on.
type Page interface {
	// Init starts loading what the page shows.
	Init() tea.Cmd
	// Update handles a message and returns the page's next command.
	Update(msg tea.Msg) tea.Cmd
	// View renders the page into Common.Width × Common.Height.
	View() string
	// SetSize is called when the page area changes size.
	SetSize(width, height int)
	// Typing reports whether a text field has the focus, so that keys such as
	// q, the digits and tab belong to the field rather than to the root.
	Typing() bool
	// ShortHelp lists the page's main keys for the footer.
	ShortHelp() []key.Binding
	// FullHelp lists all the page's keys for the help overlay.
	FullHelp() [][]key.Binding
}
