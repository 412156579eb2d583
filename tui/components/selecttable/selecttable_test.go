package selecttable_test

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/tui/components/selecttable"
	"github.com/viaa/ppp/tui/theme"
)

// A cell is data: whatever it holds, the table draws it plain and cut to
// its column, and the rows keep their width, in colour as without.
func TestSelectTable_HostileCells_AreDrawnPlainAndCutToTheirColumn(t *testing.T) {
	hostile := "Anna\x1b]0;PWNED\x07 Kalniņa\x1b]52;c;UFdORUQ=\x1b\\\x1b[2J\u009b31m\u202e" + strings.Repeat("Ā\x1b[7mx ", 20000)
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		st := theme.New(theme.NewRenderer(io.Discard, profile))
		tbl := selecttable.New(st, []selecttable.Column{{Title: "Vārds", Min: 10, Weight: 2}, {Title: "Komentārs", Min: 10, Weight: 3}})
		tbl.SetSize(60, 6)
		tbl.SetRows([]table.Row{{"ilze.berzina", hostile}, {hostile, "ok"}})
		view := tbl.View()
		if !strings.Contains(ansi.Strip(view), "Anna Kalniņa") {
			t.Errorf("profile %v: the cell's text is gone:\n%s", profile, view)
		}
		for _, line := range strings.Split(view, "\n") {
			if w := ansi.StringWidth(line); w > 60 {
				t.Errorf("profile %v: a row is %d cells wide, over the table's 60: %q", profile, w, line)
			}
			rest := line
			for {
				i := strings.IndexByte(rest, 0x1b)
				if i < 0 {
					break
				}
				// Only the table's own styling: SGR.
				j := i + 2
				for j < len(rest) && (rest[j] >= '0' && rest[j] <= '9' || rest[j] == ';') {
					j++
				}
				if i+1 >= len(rest) || rest[i+1] != '[' || j >= len(rest) || rest[j] != 'm' {
					t.Fatalf("profile %v: a sequence that is not styling: %q", profile, line)
				}
				rest = rest[j+1:]
			}
			for _, bad := range []string{"PWNED", "\x07", "\u009b", "\u202e"} {
				if strings.Contains(line, bad) {
					t.Errorf("profile %v: %q drawn: %q", profile, bad, line)
				}
			}
		}
	}
}
