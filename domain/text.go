package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsPlainText reports whether s can be stored in PostgreSQL and shown on a
// terminal as it is: valid UTF-8, with no NUL or other control character
// (line breaks and tabs are allowed when multiline) and none of the
// invisible characters that reorder text (U+202E and its kin).
func IsPlainText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			return false
		}
		return unicode.IsControl(r) || isBidiControl(r)
	})
}

// isBidiControl reports whether r is one of the invisible characters that
// reorder text on screen (Trojan-source style).
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}
