package theme

import (
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// ProfileFromEnv picks the colour profile of a terminal from its environment
// ("KEY=value" pairs, as an SSH session reports them, TERM included). It never
// asks the terminal anything: a client that answers no queries must still get
// its first frame at once. NO_COLOR or TERM=dumb (or no TERM) give Ascii;
// COLORTERM=truecolor/24bit gives TrueColor; a TERM naming 256 colours gives
// ANSI256 ("-direct" TrueColor); any other TERM gives the 16 ANSI colours.
func ProfileFromEnv(environ []string) termenv.Profile {
	get := func(k string) (string, bool) {
		for i := len(environ) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(environ[i], k+"="); ok {
				return v, true
			}
		}
		return "", false
	}
	if v, ok := get("NO_COLOR"); ok && v != "" {
		return termenv.Ascii
	}
	term, _ := get("TERM")
	term = strings.ToLower(strings.TrimSpace(term))
	switch {
	case term == "" || term == "dumb" || strings.HasPrefix(term, "vt1") || strings.HasPrefix(term, "vt2"):
		return termenv.Ascii
	}
	colorTerm, _ := get("COLORTERM")
	switch strings.ToLower(colorTerm) {
	case "truecolor", "24bit":
		return termenv.TrueColor
	}
	if strings.HasSuffix(term, "-direct") {
		return termenv.TrueColor
	}
	if strings.Contains(term, "256color") {
		return termenv.ANSI256
	}
	return termenv.ANSI
}

// NewRenderer returns a lipgloss renderer for one session that writes to w
// with the given profile. Both the profile and the background (assumed dark)
// are set explicitly so the renderer never queries the terminal.
func NewRenderer(w io.Writer, p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(w, termenv.WithProfile(p), termenv.WithUnsafe())
	r.SetColorProfile(p)
	r.SetHasDarkBackground(true)
	return r
}
