package storage

import (
	"strings"
	"unicode"

	"github.com/viaa/ppp/domain"
)

// categoryWords are, in order of precedence, the Latvian and English word
// stems that suggest a ticket's category. An incident report that
// mentions a password is still an incident; a request to suspend an
// account may mention its password.
var categoryWords = []struct {
	cat   domain.TicketCategory
	stems []string
}{
	{domain.CategoryIncident, []string{"incident", "drošīb", "nesankcionē", "phishing", "pikšķer", "uzlauz", "hack", "unauthori", "security breach"}},
	{domain.CategorySuspension, []string{"apturē", "slēgt kont", "slēdziet kont", "slēgt manu kont", "dzēst kont", "bloķē", "suspend", "deactivat", "close my account", "block my account"}},
	{domain.CategoryPasswordReset, []string{"parol", "password", "aizmirs", "forgot", "reset"}},
	{domain.CategoryQuestion, []string{"jautājum", "question", "kā var", "kā es", "vai var", "how do", "how can", "?"}},
}

// SuggestTicketCategory suggests the category of a message from its
// subject and text, by Latvian and English keywords; CategoryOther when
// none matches.
func SuggestTicketCategory(text string) domain.TicketCategory {
	t := strings.ToLower(text)
	for _, c := range categoryWords {
		for _, s := range c.stems {
			if strings.Contains(t, s) {
				return c.cat
			}
		}
	}
	return domain.CategoryOther
}

// latvianLetters are the letters only Latvian text has.
const latvianLetters = "āčēģīķļņšūž"

// englishWords are common words of English mail.
var englishWords = []string{"the", "hello", "please", "password", "my", "i", "you", "thank", "thanks", "account",
	"dear", "hi", "how", "do", "is", "a", "to", "can", "what", "when", "with", "not", "for", "and", "of", "it", "sign", "forgot"}

// guessLanguage returns "en" for text that looks English (English words
// and no Latvian letters), otherwise "lv".
func guessLanguage(text string) string {
	t := strings.ToLower(text)
	if strings.ContainsAny(t, latvianLetters) {
		return "lv"
	}
	words := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	n := 0
	for _, w := range words {
		for _, e := range englishWords {
			if w == e {
				n++
			}
		}
	}
	if n >= 2 {
		return "en"
	}
	return "lv"
}
