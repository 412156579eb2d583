package server

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
)

// hostileView is a screen that forgot to make a stored value plain: its
// view carries a title change, a clipboard write, a C1 CSI and a bidi
// override between the renderer's own colours.
type hostileView struct{ style lipgloss.Style }

func (hostileView) Init() tea.Cmd {
	return func() tea.Msg { time.Sleep(50 * time.Millisecond); return tea.Quit() }
}
func (h hostileView) Update(tea.Msg) (tea.Model, tea.Cmd) { return h, nil }
func (h hostileView) View() string {
	return h.style.Render("Audita žurnāls") + " auth.failure \x1b]0;PWNED-TITLE\x07\x1b]52;c;UFdORUQ=\x07\u009b2J\u202e ilze"
}

func TestSessionOutput_LetsOnlyTheRenderersOwnSequencesThrough(t *testing.T) {
	var out bytes.Buffer
	r := lipgloss.NewRenderer(&out)
	r.SetColorProfile(termenv.ANSI256)
	p := tea.NewProgram(hostileView{style: r.NewStyle().Bold(true).Foreground(lipgloss.Color("39"))},
		tea.WithInput(nil), tea.WithOutput(sessionOutput(&out)), tea.WithAltScreen(), tea.WithoutSignalHandler())
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, bad := range []string{"\x1b]", "\x07", "\u009b", "\u202e", "PWNED"} {
		if strings.Contains(got, bad) {
			t.Errorf("the session's output carries %q:\n%q", bad, got)
		}
	}
	for _, own := range []string{"\x1b[?1049h", "\x1b[?25l", "\x1b[1;38;5;39m", "Audita žurnāls", domain.AuditSignInFailure, "ilze", "\x1b[?1049l"} {
		if !strings.Contains(got, own) {
			t.Errorf("the renderer's %q did not get through:\n%q", own, got)
		}
	}
}
