// Package plain is the one rule for what may reach an operator's terminal.
//
// Text from outside — a user name from a failed sign-in, an SSH key's
// comment, a register value, a mail subject, anything stored — is hostile
// until it is drawn plain: it may carry escape sequences that retitle the
// terminal, write its clipboard (OSC 52), clear or repaint the screen,
// invisible characters that reorder what is shown (U+202E), or bytes that
// are not UTF-8 at all. Line, Text, Show and ShowText turn such a value
// into text a terminal only prints; the Writer does the same to a byte
// stream, passing only the sequences the program itself means to send.
//
// What "plain" means, for a value:
//
//   - an escape sequence is dropped whole, introducer and all (ESC and the
//     CSI, OSC, DCS, SOS, PM and APC it may start, in their 7-bit form or as
//     the C1 characters U+0080–U+009F), so no "]0;title" debris is left;
//     a string sequence (OSC and the like) ends at its terminator, at a
//     line break or at the end of the value;
//   - every other control character is dropped; a tab becomes a space, and
//     a line break too on one line (Line, Show);
//   - the invisible characters that reorder text (U+202A–U+202E,
//     U+2066–U+2069, U+200E, U+200F, U+061C) and the byte-order mark are
//     dropped; the Unicode line and paragraph separators are line breaks;
//   - bytes that are not UTF-8 become U+FFFD (one per run);
//   - Show and ShowText also cut an over-long value to a display limit, in
//     the same pass, so that a 100 KB line costs no layout time and cannot
//     push a table out of shape; the cut is marked with "…".
package plain

import (
	"strings"
	"unicode/utf8"
)

// Display limits, in characters (runes). A terminal line is a few hundred
// cells at most; the limits leave room for wrapping a long value over
// several lines, yet bound the work any one value can cause per frame.
const (
	// LineLimit is the most characters of a one-line value shown (Show).
	LineLimit = 1000
	// TextLineLimit is the most characters of one line of a text of
	// several lines shown (ShowText): a long paragraph of a mail.
	TextLineLimit = 10000
	// TextLimit is the most characters of a text of several lines shown
	// (ShowText), about 2,500 lines of 80 columns.
	TextLimit = 200000
)

// Ellipsis marks a value cut to its display limit.
const Ellipsis = "…"

// Line makes s safe to draw on one line: escape sequences and control
// characters dropped, tabs and line breaks made spaces, bidi controls
// dropped, invalid bytes replaced, and spaces at either end trimmed. It
// does not cut: it is also the cleaning of values sent back to a service.
func Line(s string) string { return clean(s, false, -1, -1) }

// Text is Line for a text of several lines: line breaks stay ("\r\n"
// becomes "\n"); other control characters and sequences go.
func Text(s string) string { return clean(s, true, -1, -1) }

// Show is Line cut to LineLimit characters: a stored value as a screen or
// a command's output draws it.
func Show(s string) string { return clean(s, false, LineLimit, LineLimit) }

// ShowText is Text with each line cut to TextLineLimit characters and the
// whole to TextLimit.
func ShowText(s string) string { return clean(s, true, TextLineLimit, TextLimit) }

// StripSequences returns s without its escape sequences, each dropped whole
// as Line drops it (7-bit or C1-introduced; a string sequence ends at its
// terminator, a line break or the end). Every other character, control
// characters included, stays for the caller's own rule: an editor keeps
// tabs and line breaks, and counts what it drops.
func StripSequences(s string) string {
	if !strings.Contains(s, "\x1b") && !hasC1(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == esc:
			i = skipEscape(s, i+1)
		case r >= 0x80 && r <= 0x9f && size == 2:
			i = skipC1(s, i+size, r)
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// hasC1 reports whether s holds a C1 control as a character (U+0080–U+009F,
// 0xC2 0x80–0x9F in UTF-8).
func hasC1(s string) bool {
	for i := strings.IndexByte(s, 0xc2); i >= 0 && i+1 < len(s); {
		if s[i+1] >= 0x80 && s[i+1] <= 0x9f {
			return true
		}
		j := strings.IndexByte(s[i+1:], 0xc2)
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// IsBidiControl reports whether r is one of the invisible characters that
// reorder text on screen (Trojan-source style).
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// Seven-bit forms of the controls that start a sequence.
const (
	esc = 0x1b
	bel = 0x07
	can = 0x18
	sub = 0x1a
)

// special reports whether r needs more than copying: a control character
// (C0, DEL, C1), a bidi control, the byte-order mark, a line or paragraph
// separator, or the replacement of an invalid byte.
func special(r rune) bool {
	switch {
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return true
	case r < 0x2000:
		return r == 0x061c
	}
	return IsBidiControl(r) || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == utf8.RuneError
}

// isPlain reports whether s can be drawn as it is: nothing special in it
// and within the limits (negative: none), so clean can return it unchanged.
func isPlain(s string, multiline bool, lineLimit, total int) bool {
	if (total < 0 || len(s) <= total) && (lineLimit < 0 || len(s) <= lineLimit) {
		// As many bytes as the limit allows: then as many runes, and
		// printable ASCII needs no decoding at all.
		ascii := true
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c >= 0x7f {
				ascii = false
				break
			}
		}
		if ascii {
			return true
		}
	}
	runes, line := 0, 0
	for _, r := range s {
		if r == '\n' && multiline {
			line = 0
			runes++
			continue
		}
		if special(r) {
			return false
		}
		runes++
		line++
		if total >= 0 && runes > total || lineLimit >= 0 && line > lineLimit {
			return false
		}
	}
	return true
}

// clean makes s plain (see the package comment). multiline keeps line
// breaks; lineLimit and total cut each line and the whole (in runes,
// negative: no limit).
func clean(s string, multiline bool, lineLimit, total int) string {
	if isPlain(s, multiline, lineLimit, total) {
		return trim(s, multiline)
	}
	var b strings.Builder
	b.Grow(min(len(s), 256))
	runes, line := 0, 0
	cutLine := false // the current line was cut: skip to its end
	lastBad := false // the previous byte was invalid: one U+FFFD per run
	emit := func(r rune) bool {
		if total >= 0 && runes >= total {
			b.WriteString(Ellipsis)
			return false
		}
		if lineLimit >= 0 && line >= lineLimit {
			b.WriteString(Ellipsis)
			if !multiline {
				return false
			}
			cutLine = true
			return true
		}
		b.WriteRune(r)
		runes++
		line++
		return true
	}
	newline := func() bool {
		cutLine = false
		line = 0
		if !multiline {
			return emit(' ')
		}
		if total >= 0 && runes >= total {
			b.WriteString(Ellipsis)
			return false
		}
		b.WriteByte('\n')
		runes++
		return true
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			i++
			if !lastBad && !cutLine {
				if !emit(utf8.RuneError) {
					break
				}
			}
			lastBad = true
			continue
		}
		lastBad = false
		// A sequence's introducer, in either form.
		switch {
		case r == esc:
			i = skipEscape(s, i+1)
			continue
		case r >= 0x80 && r <= 0x9f:
			i = skipC1(s, i+size, r)
			continue
		}
		i += size
		var ok bool
		switch {
		case r == '\n' || r == 0x2028 || r == 0x2029:
			ok = newline()
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // "\r\n" is one line break
			}
			if cutLine {
				continue
			}
			ok = emit(' ')
		case r == '\t':
			if cutLine {
				continue
			}
			ok = emit(' ')
		case r < 0x20 || r == 0x7f || IsBidiControl(r) || r == 0xfeff:
			continue
		case cutLine:
			continue
		default:
			ok = emit(r)
		}
		if !ok {
			break
		}
	}
	return trim(b.String(), multiline)
}

// skipEscape returns the index just past the escape sequence whose ESC
// ends just before j. An ESC followed by a byte that starts no sequence (a
// control, a non-ASCII byte, the end) is dropped alone.
func skipEscape(s string, j int) int {
	if j >= len(s) || s[j] < 0x20 || s[j] > 0x7e {
		return j
	}
	switch s[j] {
	case '[':
		return skipCSI(s, j+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, j+1)
	}
	// Any other escape: intermediate bytes, then a final byte.
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
		j++
	}
	if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
		j++
	}
	return j
}

// skipC1 returns the index just past the sequence the C1 control r starts,
// whose body begins at j: U+009B is CSI, U+009D OSC, U+0090 DCS, U+0098
// SOS, U+009E PM, U+009F APC; any other C1 control stands alone.
func skipC1(s string, j int, r rune) int {
	switch r {
	case 0x9b:
		return skipCSI(s, j)
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f:
		return skipString(s, j)
	}
	return j
}

// skipCSI returns the index past a CSI sequence whose parameters start at
// j: parameter and intermediate bytes, then a final byte. A byte outside
// them ends the sequence there and is read as text.
func skipCSI(s string, j int) int {
	for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
		j++
	}
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
		j++
	}
	if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
		j++
	}
	return j
}

// skipString returns the index past the string sequence whose body starts
// at j: past BEL, ST (ESC \ or U+009C), CAN or SUB; before another ESC, a
// line break or the end.
func skipString(s string, j int) int {
	for j < len(s) {
		switch c := s[j]; c {
		case bel, can, sub:
			return j + 1
		case '\n':
			return j
		case esc:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			return j
		case 0xc2:
			if j+1 < len(s) && s[j+1] == 0x9c {
				return j + 2
			}
		}
		j++
	}
	return j
}

// trim removes spaces at either end: of the line, or of the text as a
// whole (its inner lines keep their indentation).
func trim(s string, _ bool) string { return strings.TrimSpace(s) }
