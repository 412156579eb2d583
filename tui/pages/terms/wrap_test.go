package terms

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrap_BreaksAtSpacesOnly_NeverInsideANumberOrDate(t *testing.T) {
	q := "Publicēt redakciju 2026-2 „Grozījumi par datu apstrādi” (sagatavoja Anna Kalniņa-Ozola)? Tā stāsies spēkā 2026-03-05; redakcija 2025-1 zaudēs spēku."
	for w := 16; w <= 60; w++ { // every word fits from 16 on
		out := wrap(q, w)
		for _, l := range strings.Split(out, "\n") {
			if strings.HasSuffix(l, "-") {
				t.Errorf("at %d columns a line ends in a hyphen: %q", w, out)
			}
			if ansi.StringWidth(l) > w {
				t.Errorf("at %d columns a line is %d wide: %q", w, ansi.StringWidth(l), l)
			}
		}
		if got := strings.Join(strings.Fields(out), " "); got != q {
			t.Errorf("at %d columns the text changed: %q", w, got)
		}
	}
}
