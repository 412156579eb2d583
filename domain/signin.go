package domain

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/viaa/ppp/domain/plain"
)

// MaxNameTried bounds the length, in characters, of a user name tried at
// sign-in as it is recorded: a client may send anything as its user name,
// and operator names are at most 32 characters.
const MaxNameTried = 64

// NameTried makes a user name sent by an SSH client (or typed for a
// one-time code) safe to store and to show: bytes that are not UTF-8, C0
// and C1 control characters with the escape sequences they start, dropped
// whole (domain/plain's rule, so neither an OSC or CSI sequence nor its
// "]0;title" debris survives), DEL, the invisible format characters (bidi overrides and
// isolates, zero-width characters) and line or paragraph separators are
// dropped, and the result is cut to MaxNameTried characters. The printable
// rest is kept, so that the audit log still shows what was tried.
func NameTried(name string) string {
	name = plain.Line(strings.ToValidUTF8(name, ""))
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

// PasswordLocked reports whether failed password attempts have locked the
// operator's password at now (¶31): the lock stops passwords only.
func (o *Operator) PasswordLocked(now time.Time) bool {
	return now.Before(o.LockedUntil)
}

// CanSignInWith reports whether the operator may start a session at now
// having proved who they are by method. A disabled operator (an access
// denial disables one too) may not; a password locked by failed attempts
// stops the password only, never a key: a public key is a credential of
// its own, and anyone can fail five passwords in someone else's name.
func (o *Operator) CanSignInWith(method SignInMethod, now time.Time) bool {
	if o.Disabled {
		return false
	}
	return method != SignInPassword || !o.PasswordLocked(now)
}
