package common

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// PlainLine makes text safe to draw on one line of a terminal: line breaks
// and tabs become spaces; control characters, and the invisible ones that
// reorder text, are dropped, so stored text can never send escape
// sequences to an operator's terminal.
func PlainLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || IsBidiControl(r):
			return -1
		}
		return r
	}, s))
}

// PlainText is PlainLine for text of several lines: line breaks stay.
func PlainText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r) || IsBidiControl(r):
			return -1
		}
		return r
	}, s))
}

// IsBidiControl reports whether r is one of the invisible characters that
// reorder text on screen (Trojan-source style).
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// WrapAtSpaces breaks s into lines of at most w cells at spaces, cutting
// only a word longer than a line. ansi.Wordwrap alone also breaks after
// every hyphen, splitting dates ("2028-11-" / "27"), version numbers and
// double surnames; hyphens are held together while it wraps.
func WrapAtSpaces(s string, w int) string {
	const keep = "\u2011" // non-breaking hyphen, as wide as '-'
	out := ansi.Wordwrap(strings.ReplaceAll(s, "-", keep), w, " ")
	return strings.ReplaceAll(ansi.Hardwrap(out, w, true), keep, "-")
}
