package terms

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wrap breaks s into lines of at most w cells at spaces only, cutting a
// word longer than a line. ansi.Wordwrap would also break after every
// hyphen, splitting version numbers ("2026-" / "2") and dates; hyphens
// are held together as non-breaking ones while it wraps.
func wrap(s string, w int) string {
	const keep = "\u2011" // non-breaking hyphen, as wide as '-'
	out := ansi.Wordwrap(strings.ReplaceAll(s, "-", keep), w, " ")
	return strings.ReplaceAll(ansi.Hardwrap(out, w, true), keep, "-")
}
