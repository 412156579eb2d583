package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameTried bounds the length, in characters, of a user name tried at
// sign-in as it is recorded: a client may send anything as its user name,
// and operator names are at most 32 characters.
const MaxNameTried = 64

// NameTried makes a user name sent by an SSH client (or typed for a
// one-time code) safe to store and to show: bytes that are not UTF-8, C0
// and C1 control characters (ESC, BEL, CSI …, so no OSC or CSI sequence
// survives), DEL, the invisible format characters (bidi overrides and
// isolates, zero-width characters) and line or paragraph separators are
// dropped, and the result is cut to MaxNameTried characters. The printable
// rest is kept, so that the audit log still shows what was tried.
func NameTried(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) || isBidiControl(r) {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > MaxNameTried {
		name = string([]rune(name)[:MaxNameTried])
	}
	return name
}
