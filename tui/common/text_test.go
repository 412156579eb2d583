package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapAtSpaces_BreaksAtSpacesOnly_NeverInsideANumberOrDate(t *testing.T) {
	q := "Publicēt redakciju 2026-2 „Grozījumi par datu apstrādi” (sagatavoja Anna Kalniņa-Ozola)? Tā stāsies spēkā 2026-03-05; redakcija 2025-1 zaudēs spēku."
	for w := 16; w <= 60; w++ { // every word fits from 16 on
		out := WrapAtSpaces(q, w)
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

func TestPlainLine_DropsControlAndBidi_KeepsLatvian(t *testing.T) {
	in := "Ģertrūde\x1b[31m Ķēniņa\u202e\n\tRīga"
	if got, want := PlainLine(in), "Ģertrūde Ķēniņa  Rīga"; got != want {
		t.Errorf("PlainLine = %q, want %q", got, want)
	}
	if got, want := PlainText("a\r\nb\x07\n"), "a\nb"; got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}
