package domain

import (
	"bytes"
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/viaa/ppp/domain/ahocorasick"
)

// PasswordMinLength is the shortest password ¶31.1 allows, in characters
// (runes, so that "ā" counts once).
const PasswordMinLength = 9

// PasswordMaxLength is the longest password ¶31 accepts, in characters:
// room for any passphrase, and a bound on the work a stranger's password
// costs (CheckPassword stops reading there).
const PasswordMaxLength = 512

// minUsernameInPassword is the shortest user name looked for inside a
// password: a one- or two-letter name would turn up by chance in far too
// many good passwords.
const minUsernameInPassword = 3

// commonPasswordsText is the ¶31.2 blocklist, one lower-case password a
// line; commonpasswords.LICENSE says where it comes from.
//
//go:embed commonpasswords.txt
var commonPasswordsText string

// latvianPasswordsText adds Latvian passwords, words, places, names and
// clubs that the English-speaking list above lacks;
// commonpasswords_lv.LICENSE says where it comes from.
//
//go:embed commonpasswords_lv.txt
var latvianPasswordsText string

// minCommonWord is the shortest blocklisted word looked for inside a
// password (¶31.2 "must not contain"), counted after folding: shorter
// words ("love", "rīga", "1234") turn up by chance inside far too many
// good passwords.
const minCommonWord = 5

// commonPasswords builds the ¶31.2 automaton on first use, so that
// programs that never check a password do not pay for it. The Matcher is
// never written after it is built, which is why sharing it between
// sessions is safe.
var commonPasswords = sync.OnceValue(func() *ahocorasick.Matcher {
	return ahocorasick.Build(commonPatterns(commonPasswordsText, latvianPasswordsText))
})

// commonPatterns folds every entry of the lists (foldPassword) and keeps
// those of at least minCommonWord symbols that can occur in a folded
// password. An entry with spaces ("mīlu tevi") is also kept without them,
// since people type it both ways.
func commonPatterns(lists ...string) []string {
	var patterns []string
	add := func(entry string) {
		folded := foldPassword(entry)
		if len(folded) < minCommonWord || bytes.IndexByte(folded, foldedOther) >= 0 {
			return
		}
		patterns = append(patterns, string(folded))
	}
	for _, list := range lists {
		for line := range strings.Lines(list) {
			entry := strings.TrimSpace(line)
			if entry == "" {
				continue
			}
			add(entry)
			if strings.Contains(entry, " ") {
				add(strings.ReplaceAll(entry, " ", ""))
			}
		}
	}
	return patterns
}

// foldedOther stands for every character foldPassword has no ASCII
// symbol for (Cyrillic, emoji …). No pattern contains it, so it breaks
// any match that runs across it.
const foldedOther = 0x80

// foldPassword maps s into the alphabet the ¶31.2 automaton reads, one
// byte per character, so that the disguises people use to get a common
// password past a check meet the blocklist as the plain word:
//
//   - case is folded ("PaSSword" → "password");
//   - Latvian diacritics are folded: ā→a, č→c, ē→e, ģ→g, ī→i, ķ→k, ļ→l,
//     ņ→n, ō→o, ŗ→r, š→s, ū→u, ž→z, and combining accents are dropped
//     ("Rīga" → "riga", however it was typed);
//   - common substitutions are undone: 0→o, 3→e, 4→a, @→a, 5→s, $→s, 7→t;
//   - 1 stands for both l and i, so i, l and 1 are folded into ONE symbol
//     (written "i"): "pa55w0rd", "P@ssw0rd", "1atv1ja" and "iatvija"
//     all meet "latvija". Folding the two letters together, rather than
//     trying each reading of every 1, keeps the search one pass over the
//     password (trying both readings of n ones would be 2ⁿ passes); the
//     price is that a password containing "ilze" also meets "llze",
//     which no one minds.
//
// Any other ASCII character stands for itself; any other character
// becomes foldedOther.
func foldPassword(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if f, ok := passwordFolds[r]; ok {
			r = f
		}
		if r >= utf8.RuneSelf {
			out = append(out, foldedOther)
			continue
		}
		out = append(out, byte(r))
	}
	return out
}

// passwordFolds is the table behind foldPassword (after lower-casing).
var passwordFolds = map[rune]rune{
	// ļ folds to l, and l is folded with i.
	'ā': 'a', 'č': 'c', 'ē': 'e', 'ģ': 'g', 'ī': 'i', 'ķ': 'k', 'ļ': 'i',
	'ņ': 'n', 'ō': 'o', 'ŗ': 'r', 'š': 's', 'ū': 'u', 'ž': 'z',
	'0': 'o', '3': 'e', '4': 'a', '@': 'a', '5': 's', '$': 's', '7': 't',
	'1': 'i', 'l': 'i',
}

// containsCommonPassword reports whether password contains a blocklisted
// word of at least minCommonWord symbols once both are folded
// (foldPassword). Its cost is one pass over the password whatever the
// size of the list.
func containsCommonPassword(password string) bool {
	return commonPasswords().Contains(foldPassword(password))
}

// CheckPassword checks password against the password rule of the terms of
// use and returns every rule it breaks, in a stable order, or nil when it
// breaks none. Each Problem has Field "password" and one of the keys
//
//	password.too_short          fewer than PasswordMinLength characters (Args: the minimum)
//	password.too_long           more than PasswordMaxLength characters (Args: the maximum); alone
//	password.no_lower           no lower-case Latin letter (¶31.1)
//	password.no_upper           no upper-case Latin letter (¶31.1)
//	password.no_digit           no digit (¶31.1)
//	password.no_special         no character that is neither a letter nor a digit (¶31.1)
//	password.common             contains one of the most common passwords (¶31.2; see foldPassword)
//	password.contains_username  contains username, ignoring case
//
// Latvian letters with diacritics (ā, Č …) count as Latin letters of their
// case. The user name is only looked for when it is at least three
// characters long; pass "" when there is none.
//
// A password longer than PasswordMaxLength characters gets
// password.too_long and no other key: the check stops reading it there,
// so that a caller who sends megabytes (a portal API role request may
// carry its whole body limit) costs no more than one of that length.
func CheckPassword(password, username string) []Problem {
	var hasLower, hasUpper, hasDigit, hasSpecial bool
	length := 0
	for s := password; s != ""; {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		length++
		if length > PasswordMaxLength {
			return []Problem{{Field: "password", Key: "password.too_long", Args: []any{PasswordMaxLength}}}
		}
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
	if containsCommonPassword(password) {
		add("password.common")
	}
	lowered := strings.ToLower(password)
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
	case "password.too_long":
		return "it must be at most " + strconv.Itoa(PasswordMaxLength) + " characters long"
	case "password.no_lower":
		return "it must contain a lower-case Latin letter"
	case "password.no_upper":
		return "it must contain an upper-case Latin letter"
	case "password.no_digit":
		return "it must contain a digit"
	case "password.no_special":
		return "it must contain a special character"
	case "password.common":
		return "it contains one of the most common passwords (¶31.2)"
	case "password.contains_username":
		return "it must not contain the user name"
	default:
		return key
	}
}
