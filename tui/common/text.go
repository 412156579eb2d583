package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain/plain"
)

// Text from outside is hostile until it is drawn plain (domain/plain holds the
// rule). The screens get it by default where they draw data: every table
// cell (selecttable), every argument formatted into a catalog message (T,
// Err, and so the status line and every title and notice), every value of a
// detail view (Fields, Section). A screen that puts a stored value into a
// line of its own making calls Show or ShowText.

// PlainLine makes text safe to draw on one line of a terminal: escape
// sequences dropped whole, other control characters and the invisible ones
// that reorder text dropped, tabs and line breaks made spaces, invalid
// bytes replaced. It does not cut, so it also cleans what goes back to a
// service (a search, a reason).
func PlainLine(s string) string { return plain.Line(s) }

// PlainText is PlainLine for text of several lines: line breaks stay.
func PlainText(s string) string { return plain.Text(s) }

// Show is PlainLine cut to a display limit (plain.LineLimit characters):
// a stored value on one line of a screen.
func Show(s string) string { return plain.Show(s) }

// ShowText is PlainText cut to a display limit: a stored text of several
// lines (a mail, a note) on a screen.
func ShowText(s string) string { return plain.ShowText(s) }

// OrDash is Show, or "—" when nothing is left to show.
func OrDash(s string) string {
	if s = plain.Show(s); s == "" {
		return "—"
	}
	return s
}

// IsBidiControl reports whether r is one of the invisible characters that
// reorder text on screen (Trojan-source style).
func IsBidiControl(r rune) bool { return plain.IsBidiControl(r) }

// WrapAtSpaces breaks s into lines of at most w cells at spaces, cutting
// only a word longer than a line. ansi.Wordwrap alone also breaks after
// every hyphen, splitting dates ("2028-11-" / "27"), version numbers and
// double surnames; hyphens are held together while it wraps.
func WrapAtSpaces(s string, w int) string {
	const keep = "\u2011" // non-breaking hyphen, as wide as '-'
	out := ansi.Wordwrap(strings.ReplaceAll(s, "-", keep), w, " ")
	return strings.ReplaceAll(ansi.Hardwrap(out, w, true), keep, "-")
}
