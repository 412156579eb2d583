package domain

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain/ahocorasick"
)

// refusesAsCommon reports whether CheckPassword gives password.common.
func refusesAsCommon(password string) bool {
	return slices.Contains(problemKeys(CheckPassword(password, "")), "password.common")
}

// TestCheckPassword_CommonPasswordInside_Refused_P31_2 proves ¶31.2 "must
// not contain the most commonly used passwords": a blocklisted word
// anywhere inside, not only the whole password or the whole password
// with digits and symbols trimmed from its ends. It failed before the
// Aho–Corasick check: "Xy#password7Z" and every other password here with
// letters on both sides of the word passed.
func TestCheckPassword_CommonPasswordInside_Refused_P31_2(t *testing.T) {
	for _, pw := range []string{
		"Xy#password7Z",
		"Qq9!monkeyKz",
		"ab-FOOTBALL-42x",
		"Zx!letmein#Zx9",
	} {
		if !refusesAsCommon(pw) {
			t.Errorf("CheckPassword(%q) did not report password.common", pw)
		}
	}
}

// TestCheckPassword_SubstitutionsUndone_Refused_P31_2 proves ¶31.2 sees
// through the usual disguises: 0→o, 1→l and 1→i, 3→e, 4→a, @→a, $→s, 5→s,
// 7→t, case.
func TestCheckPassword_SubstitutionsUndone_Refused_P31_2(t *testing.T) {
	for _, pw := range []string{
		"P@ssw0rd",       // exact, disguised (also too short)
		"Xq#P@ssw0rd!9",  // disguised and inside
		"Zz9-pa55word-Q", // 5→s
		"Zz9-pa$$w0rd-Q", // $→s
		"Zz9-PA$$W0RD-q", // and upper case
		"Kk#M0nk3y!!x",   // 0→o, 3→e
		"Kk#footb4ll!!x", // 4→a
		"Kk#5unshine!!x", // 5→s
		"Kk#sunsh1ne!!x", // 1→i
		"Kk#footba11!!x", // 1→l
		"Kk#tru$7n01!!x", // "trustno1" with 7→t, 0→o
		"q1!L4TV1J4#z",   // Latvian word, 1→l then 1→i
	} {
		if !refusesAsCommon(pw) {
			t.Errorf("CheckPassword(%q) did not report password.common", pw)
		}
	}
}

// TestCheckPassword_LatvianCommonPasswords_Refused_P31_2 proves the
// Latvian part of the ¶31.2 list and the folding of Latvian diacritics,
// whichever way the letters were typed (with or without the macron, or
// with a combining one).
func TestCheckPassword_LatvianCommonPasswords_Refused_P31_2(t *testing.T) {
	for _, pw := range []string{
		"Parole123!",
		"PAROLE-2024x",
		"Manaparole#1",
		"rīga2024", // too short too, but also common
		"Rīga2024!!x",
		"Riga2024!!x",       // typed without the macron
		"Ri\u0304ga2024!!x", // a combining macron
		"RĪGA2024-ok",
		"#Latvija4ever",
		"Mīlestība-7",
		"Milestiba-7!",
		"Slepens!2025",
		"Labdien#123",
		"Saulīte77!",
		"DinamoRiga#1",
		"Kaķītis-2020",
		"Mīlu tevi 7!", // an entry with a space
		"Mīlutevi!7X",  // and without
	} {
		if !refusesAsCommon(pw) {
			t.Errorf("CheckPassword(%q) did not report password.common", pw)
		}
	}
}

// TestCheckPassword_ShortWordsInside_NotRefused_P31_2 proves the ¶31.2
// search looks for words of five or more characters only: short list
// entries ("love", "rīga", "1234", "ilze") inside an otherwise unusual
// password are not a reason to refuse it.
func TestCheckPassword_ShortWordsInside_NotRefused_P31_2(t *testing.T) {
	for _, pw := range []string{
		"Love#Vqz-Rīga9",
		"Ilze-Kqw!1234",
		"Suns+Zwx7-Bite",
		"Qvbw#Kjrx-7Bwf",
	} {
		if refusesAsCommon(pw) {
			t.Errorf("CheckPassword(%q) reported password.common", pw)
		}
	}
}

// TestCheckPassword_LongRandomPassphrase_Accepted_P31_2 proves the
// containment check leaves room for good passwords: long random
// passphrases of uncommon syllables pass every rule.
func TestCheckPassword_LongRandomPassphrase_Accepted_P31_2(t *testing.T) {
	for _, pw := range []string{
		"Gvorp-Tukzy-Wrexd-Pqoin-7",
		"xyqv Brzt kwaf Hmjq 2",
		"Zqv8#Wkr2!Jyx5$Tbn",
	} {
		if got := problemKeys(CheckPassword(pw, "")); len(got) != 0 {
			t.Errorf("CheckPassword(%q) = %v, want no problems", pw, got)
		}
	}
}

// TestContainsCommonPassword_StepsLinearInLength_P31_2 counts the
// automaton's steps (not time) for random and adversarial passwords of
// growing length: never more than two per folded character, whatever the
// list holds.
func TestContainsCommonPassword_StepsLinearInLength_P31_2(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 2))
	m := commonPasswords()
	const alphabet = "aAeEiIl1oO0sS$5tT7@4-#! qwxzķļāī"
	letters := []rune(alphabet)
	for _, n := range []int{10, 100, 1000, 10000} {
		var b strings.Builder
		for range n {
			b.WriteRune(letters[rng.IntN(len(letters))])
		}
		for _, pw := range []string{b.String(), strings.Repeat("passwor", n/7+1), strings.Repeat("1", n)} {
			folded := foldPassword(pw)
			if _, steps := m.ContainsSteps(folded); steps > 2*len(folded) {
				t.Errorf("%d symbols took %d steps", len(folded), steps)
			}
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	commonPasswords() // built once, outside the measurement
	for _, pw := range []string{"Xy#password7Z", "Gvorp-Tukzy-Wrexd-Pqoin-7", strings.Repeat("Zq8#Wk", 43)} {
		b.Run(strings.Map(func(r rune) rune {
			if r == '#' || r == '-' {
				return '_'
			}
			return r
		}, pw[:min(len(pw), 13)]), func(b *testing.B) {
			for b.Loop() {
				CheckPassword(pw, "ilze.berzina")
			}
		})
	}
}

func BenchmarkCommonPasswords_Build(b *testing.B) {
	for b.Loop() {
		_ = ahocorasick.Build(commonPatterns(commonPasswordsText, latvianPasswordsText))
	}
}

// TestCheckPassword_TooLong_RefusedUnread_P31 proves a stranger cannot
// make the ¶31 check spend without bound: a portal API caller's role
// request may carry a password of up to its body limit (over 100 MB), and
// CheckPassword used to fold, lower-case and search all of it (a copy of
// every byte, twice). A password longer than PasswordMaxLength characters
// is now refused with password.too_long alone, before any of that: the
// check allocates nothing near the password's size. It failed before the
// bound: CheckPassword gave the ¶31.2 and username keys instead of
// password.too_long and allocated 32 MB for a 16 MB password.
func TestCheckPassword_TooLong_RefusedUnread_P31(t *testing.T) {
	commonPasswords() // built before the measurement
	at := strings.Repeat("Zq8#Wk", PasswordMaxLength/6+1)[:PasswordMaxLength]
	if got := problemKeys(CheckPassword(at, "")); len(got) != 0 {
		t.Errorf("CheckPassword(%d characters) = %v, want no problems", PasswordMaxLength, got)
	}
	for _, pw := range []string{
		at + "x",
		strings.Repeat("Xy#password7Zā", 16<<20/15), // 16 MB, common and with the user name
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got := problemKeys(CheckPassword(pw, "password"))
		runtime.ReadMemStats(&after)
		if !slices.Equal(got, []string{"password.too_long"}) {
			t.Errorf("CheckPassword(%d bytes) = %v, want [password.too_long]", len(pw), got)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
			t.Errorf("CheckPassword(%d bytes) allocated %d bytes", len(pw), grew)
		}
	}
}
