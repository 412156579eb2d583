package domain

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// problemKeys returns the keys of problems, in order.
func problemKeys(problems []Problem) []string {
	keys := make([]string, len(problems))
	for i, p := range problems {
		keys[i] = p.Key
	}
	return keys
}

func checkPasswordKeys(t *testing.T, password, username string, want ...string) {
	t.Helper()
	got := problemKeys(CheckPassword(password, username))
	if len(want) == 0 {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("CheckPassword(%q, %q) = %v, want %v", password, username, got, want)
	}
}

func TestCheckPassword_GoodPasswords_NoProblems(t *testing.T) {
	for _, pw := range []string{
		"Kbzdfvg1!",       // exactly 9 characters
		"Zaļš-Kalns7",     // Latvian letters and a hyphen
		"gwynt Brqck 42",  // a space is a special character
		"Ķērcu/2024/Vzd",  // capital with a diacritic
		"€uro-Zone-99x",   // a currency symbol
		"tRqzky\tTab 1",   // control character plus a real special
		"Āžēīū1#ābcdefgh", // diacritics only for the capital
	} {
		checkPasswordKeys(t, pw, "ilze.berzina")
	}
	if got := CheckPassword("Zaļš-Kalns7", ""); got != nil {
		t.Errorf("CheckPassword of a good password = %#v, want nil", got)
	}
}

func TestCheckPassword_EachRuleAlone_FailsWithItsKey(t *testing.T) {
	tests := []struct {
		name, password, want string
	}{
		{"eight characters", "Kbzdfv1!", "password.too_short"},
		{"missing lower", "KBZDFVG1!", "password.no_lower"},
		{"missing upper", "kbzdfvg1!", "password.no_upper"},
		{"missing digit", "Abcdefgh!", "password.no_digit"},
		{"missing special", "Abcdefgh1", "password.no_special"},
		{"common", "Sasha_007", "password.common"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkPasswordKeys(t, tt.password, "", tt.want)
		})
	}
}

func TestCheckPassword_TooShort_CarriesMinimumAsArg(t *testing.T) {
	problems := CheckPassword("Ab1!", "")
	if len(problems) == 0 || problems[0].Key != "password.too_short" {
		t.Fatalf("CheckPassword(\"Ab1!\") = %v, want password.too_short first", problems)
	}
	if !slices.Equal(problems[0].Args, []any{PasswordMinLength}) {
		t.Errorf("too_short args = %v, want [%d]", problems[0].Args, PasswordMinLength)
	}
	for _, p := range problems {
		if p.Field != "password" {
			t.Errorf("problem %s has Field %q, want \"password\"", p.Key, p.Field)
		}
	}
}

func TestCheckPassword_LengthCountsRunesNotBytes(t *testing.T) {
	// Eight characters but eleven bytes: still too short.
	checkPasswordKeys(t, "Āžēbcd1!", "", "password.too_short")
	// Nine characters, each of the letters two bytes: long enough.
	checkPasswordKeys(t, "Āžēīūčš1!", "")
}

func TestCheckPassword_LatvianLetters_CountAsLatinOfTheirCase(t *testing.T) {
	// The only capital is Ž, so it must count as an upper-case Latin letter.
	checkPasswordKeys(t, "Žkbzdfvg1!", "")
	// The only lower-case letters carry diacritics.
	checkPasswordKeys(t, "ĀŽĒ-āžē-12", "")
	checkPasswordKeys(t, "ŠĶĒRSLIS1!", "", "password.no_lower")
	checkPasswordKeys(t, "šķērslis1!", "", "password.no_upper")
}

func TestCheckPassword_NonLatinLetters_DoNotCountAsLatin(t *testing.T) {
	// Cyrillic and Greek letters are letters, but not Latin ones, and not
	// special characters either.
	checkPasswordKeys(t, "ПАРОЛЬпароль1!", "", "password.no_lower", "password.no_upper")
	checkPasswordKeys(t, "Abcdefgh1Ω", "", "password.no_special")
}

func TestCheckPassword_MarksControlsAndBadBytes_AreNotSpecial(t *testing.T) {
	checkPasswordKeys(t, "Abcdefgh1\u0301", "", "password.no_special") // combining acute
	checkPasswordKeys(t, "Abcdefgh1\x00", "", "password.no_special")
	checkPasswordKeys(t, "Abcdefgh1\xff", "", "password.no_special")
}

func TestCheckPassword_Blocklist_IgnoresCaseAndSurroundingSpace(t *testing.T) {
	// "sasha_007" and "l58jkdjp!" are on the list in lower case.
	checkPasswordKeys(t, "Sasha_007", "", "password.common")
	checkPasswordKeys(t, "SASHA_007", "", "password.no_lower", "password.common")
	checkPasswordKeys(t, "sAsHa_007", "", "password.common")
	checkPasswordKeys(t, "L58jkdjp!", "", "password.common")
	// The spaces make it pass ¶31.1 (special character), but it is still
	// the common password "trustno1" underneath.
	checkPasswordKeys(t, "  Trustno1  ", "", "password.common")
	checkPasswordKeys(t, "Trustno1", "", "password.too_short", "password.no_special", "password.common")
	checkPasswordKeys(t, " Sasha_007 ", "", "password.common")
	checkPasswordKeys(t, "P@SSW0RD", "", "password.too_short", "password.no_lower", "password.common")
}

func TestCheckPassword_PasswordContainsUserName_Fails(t *testing.T) {
	tests := []struct{ password, username string }{
		{"Ilze.Berzina2024", "ilze.berzina"}, // different case
		{"x!ILZE.BERZINA9y", "Ilze.Berzina"},
		{"Abc-defg1!", "Abc-defg1!"}, // equal
		{"Mans-Jāzeps-7", "JĀZEPS"},  // Latvian letters, different case
		{"Abc-defg1!", " abc "},      // surrounding space in the name
	}
	for _, tt := range tests {
		checkPasswordKeys(t, tt.password, tt.username, "password.contains_username")
	}
}

func TestCheckPassword_ShortOrEmptyUserName_IsNotLookedFor(t *testing.T) {
	checkPasswordKeys(t, "Jo-Jo-Jo-42", "jo")
	checkPasswordKeys(t, "Jo-Jo-Jo-42", "")
	checkPasswordKeys(t, "Jo-Jo-Jo-42", "   ")
}

func TestCheckPassword_SeveralRulesBroken_ReturnsEveryProblem(t *testing.T) {
	checkPasswordKeys(t, "", "",
		"password.too_short", "password.no_lower", "password.no_upper", "password.no_digit", "password.no_special")
	checkPasswordKeys(t, "password", "",
		"password.too_short", "password.no_upper", "password.no_digit", "password.no_special", "password.common")
	checkPasswordKeys(t, "ilze", "ilze",
		"password.too_short", "password.no_upper", "password.no_digit", "password.no_special", "password.contains_username")
}

func TestPasswordError_NoProblems_ReturnsNil(t *testing.T) {
	if err := PasswordError(nil); err != nil {
		t.Errorf("PasswordError(nil) = %v, want nil", err)
	}
	if err := PasswordError(CheckPassword("Zaļš-Kalns7", "")); err != nil {
		t.Errorf("PasswordError of a good password = %v, want nil", err)
	}
}

func TestPasswordError_Problems_ReturnsInvalidWithEveryProblem(t *testing.T) {
	problems := CheckPassword("abc", "")
	err := PasswordError(problems)
	e := AsError(err)
	if e == nil {
		t.Fatalf("PasswordError = %T %v, want *Error", err, err)
	}
	if e.Code != EINVALID || e.Key != "password.weak" {
		t.Errorf("PasswordError = {Code %q, Key %q}, want {%q, \"password.weak\"}", e.Code, e.Key, EINVALID)
	}
	if !slices.EqualFunc(e.Problems, problems, func(a, b Problem) bool { return a.Key == b.Key }) {
		t.Errorf("Problems = %v, want %v", e.Problems, problems)
	}
	for _, want := range []string{"9 characters", "upper-case", "digit", "special"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("Message %q does not mention %q", e.Message, want)
		}
	}
}

func TestCommonPasswords_ListsAreCleanAndBuildTheAutomaton(t *testing.T) {
	for name, text := range map[string]string{"commonpasswords.txt": commonPasswordsText, "commonpasswords_lv.txt": latvianPasswordsText} {
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		seen := map[string]bool{}
		for i, line := range lines {
			if line == "" || line != strings.TrimSpace(line) || line != strings.ToLower(line) {
				t.Errorf("%s line %d %q is not a trimmed, lower-case password", name, i+1, line)
			}
			if seen[line] {
				t.Errorf("%s line %d %q is a duplicate", name, i+1, line)
			}
			seen[line] = true
		}
	}
	if n := strings.Count(commonPasswordsText, "\n"); n < 10000 {
		t.Errorf("commonpasswords.txt has %d entries, want at least 10000", n)
	}
	if n := strings.Count(latvianPasswordsText, "\n"); n < 300 {
		t.Errorf("commonpasswords_lv.txt has %d entries, want at least 300", n)
	}
	if n := len(commonPatterns(commonPasswordsText, latvianPasswordsText)); n < 25000 {
		t.Errorf("%d patterns of %d+ symbols, want at least 25000", n, minCommonWord)
	}
	for _, p := range []string{"123456", "password", "qwerty", "letmein", "sasha_007", "parole", "latvija", "mīlestība"} {
		if !containsCommonPassword(p) && len(foldPassword(p)) >= minCommonWord {
			t.Errorf("%q is not on the blocklist", p)
		}
	}
}

func FuzzCheckPassword(f *testing.F) {
	f.Add("Zaļš-Kalns7", "ilze.berzina")
	f.Add("Sasha_007", "")
	f.Add("", "")
	f.Add("Abcdefgh1\xff", "abc")
	f.Add("ПАРОЛЬпароль1!", "пароль")
	f.Fuzz(func(t *testing.T, password, username string) {
		problems := CheckPassword(password, username)
		seen := map[string]bool{}
		for _, p := range problems {
			if p.Field != "password" || !strings.HasPrefix(p.Key, "password.") {
				t.Fatalf("problem %+v: want Field \"password\" and a password.* key", p)
			}
			if seen[p.Key] {
				t.Fatalf("problem %s reported twice", p.Key)
			}
			seen[p.Key] = true
		}
		if len(problems) == 0 {
			if n := utf8.RuneCountInString(password); n < PasswordMinLength {
				t.Fatalf("%q (%d characters) accepted", password, n)
			}
			if containsCommonPassword(password) {
				t.Fatalf("password %q containing a common password accepted", password)
			}
		}
		if err := PasswordError(problems); (err == nil) != (len(problems) == 0) {
			t.Fatalf("PasswordError(%v) = %v", problems, err)
		}
	})
}

// TestCheckPassword_CommonWordDressedUp_Fails proves ¶31.2 also catches a
// common password with digits and symbols tacked on to meet ¶31.1.
func TestCheckPassword_CommonWordDressedUp_Fails(t *testing.T) {
	for _, pw := range []string{"Password1!", "!!Sunshine2024", "Football#77"} {
		if !slices.Contains(problemKeys(CheckPassword(pw, "")), "password.common") {
			t.Errorf("CheckPassword(%q) did not report password.common", pw)
		}
	}
	if slices.Contains(problemKeys(CheckPassword("Vqz#Kjrx-7Bwf", "")), "password.common") {
		t.Error("an uncommon password was reported as common")
	}
}
