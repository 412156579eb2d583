package domain

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// PasswordMinLength is the shortest password ¶31.1 allows, in characters
// (runes, so that "ā" counts once).
const PasswordMinLength = 9

// minUsernameInPassword is the shortest user name looked for inside a
// password: a one- or two-letter name would turn up by chance in far too
// many good passwords.
const minUsernameInPassword = 3

// commonPasswordsText is the ¶31.2 blocklist, one lower-case password a
// line; commonpasswords.LICENSE says where it comes from.
//
//go:embed commonpasswords.txt
var commonPasswordsText string

// commonPasswords builds the blocklist set on first use, so that programs
// that never check a password do not pay for it. The map is never written
// after it is built, which is why sharing it between sessions is safe.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, strings.Count(commonPasswordsText, "\n")+1)
	for line := range strings.Lines(commonPasswordsText) {
		if p := strings.TrimSpace(line); p != "" {
			set[p] = struct{}{}
		}
	}
	return set
})

// isCommonPassword reports whether the lower-cased password p is on the
// blocklist, as it is or once the digits and symbols that people tack on
// to meet ¶31.1 are stripped from its ends: "Password1!" is "password"
// dressed up, and ¶31.2 forbids containing a common password.
func isCommonPassword(p string) bool {
	set := commonPasswords()
	if _, found := set[p]; found {
		return true
	}
	core := strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if utf8.RuneCountInString(core) < minCommonCore {
		return false
	}
	_, found := set[core]
	return found
}

// minCommonCore is the shortest stripped core checked against the
// blocklist; shorter cores ("ab" in "ab#19Zx…") would match by chance.
const minCommonCore = 5

// CheckPassword checks password against the password rule of the terms of
// use and returns every rule it breaks, in a stable order, or nil when it
// breaks none. Each Problem has Field "password" and one of the keys
//
//	password.too_short          fewer than PasswordMinLength characters (Args: the minimum)
//	password.no_lower           no lower-case Latin letter (¶31.1)
//	password.no_upper           no upper-case Latin letter (¶31.1)
//	password.no_digit           no digit (¶31.1)
//	password.no_special         no character that is neither a letter nor a digit (¶31.1)
//	password.common             one of the most common passwords, ignoring case (¶31.2)
//	password.contains_username  contains username, ignoring case
//
// Latvian letters with diacritics (ā, Č …) count as Latin letters of their
// case. The user name is only looked for when it is at least three
// characters long; pass "" when there is none.
func CheckPassword(password, username string) []Problem {
	var hasLower, hasUpper, hasDigit, hasSpecial bool
	length := 0
	for s := password; s != ""; {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		length++
		switch {
		case r == utf8.RuneError && size == 1:
			// A byte that is not UTF-8 is not a character anyone chose
			// as "special"; it only counts towards the length.
		case unicode.IsLetter(r):
			if unicode.Is(unicode.Latin, r) {
				hasLower = hasLower || unicode.IsLower(r)
				hasUpper = hasUpper || unicode.IsUpper(r)
			}
		case unicode.IsDigit(r):
			hasDigit = true
		case unicode.IsMark(r), unicode.IsControl(r):
			// A combining accent belongs to the letter before it, and a
			// control character cannot be typed at a sign-in prompt;
			// neither is the special character ¶31.1 asks for.
		default:
			hasSpecial = true
		}
	}

	var problems []Problem
	add := func(key string, args ...any) {
		problems = append(problems, Problem{Field: "password", Key: key, Args: args})
	}
	if length < PasswordMinLength {
		add("password.too_short", PasswordMinLength)
	}
	if !hasLower {
		add("password.no_lower")
	}
	if !hasUpper {
		add("password.no_upper")
	}
	if !hasDigit {
		add("password.no_digit")
	}
	if !hasSpecial {
		add("password.no_special")
	}
	lowered := strings.ToLower(password)
	if isCommonPassword(lowered) || isCommonPassword(strings.TrimSpace(lowered)) {
		add("password.common")
	}
	name := strings.ToLower(strings.TrimSpace(username))
	if utf8.RuneCountInString(name) >= minUsernameInPassword && strings.Contains(lowered, name) {
		add("password.contains_username")
	}
	return problems
}

// PasswordError turns the result of CheckPassword into an error: nil when
// there are no problems, otherwise an *Error with code EINVALID, key
// "password.weak", the problems, and an English message listing them.
func PasswordError(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	rules := make([]string, len(problems))
	for i, p := range problems {
		rules[i] = passwordRuleEnglish(p.Key)
	}
	return &Error{
		Code:     EINVALID,
		Key:      "password.weak",
		Problems: problems,
		Message:  "the password does not meet the password rules: " + strings.Join(rules, "; "),
	}
}

// passwordRuleEnglish describes a broken rule for logs and for callers
// without a catalog; the catalogs in domain/i18n say it to people.
func passwordRuleEnglish(key string) string {
	switch key {
	case "password.too_short":
		return "it must be at least " + strconv.Itoa(PasswordMinLength) + " characters long"
	case "password.no_lower":
		return "it must contain a lower-case Latin letter"
	case "password.no_upper":
		return "it must contain an upper-case Latin letter"
	case "password.no_digit":
		return "it must contain a digit"
	case "password.no_special":
		return "it must contain a special character"
	case "password.common":
		return "it is one of the most common passwords"
	case "password.contains_username":
		return "it must not contain the user name"
	default:
		return key
	}
}
