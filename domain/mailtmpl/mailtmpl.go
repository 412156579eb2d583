// Package mailtmpl holds the e-mails the back office sends to applicants
// and users, in Latvian (the default) and English, as text/template
// sources compiled once at start-up.
//
// Every template comes in both languages, so no message can exist in one
// only. Data values are inserted as given (plain text, no escaping: the
// mails are text/plain); two functions translate codes into words of the
// mail's language and leave any other text alone: role (a Platform role or
// request kind, e.g. "career_consultant") and reason (a rejection reason,
// e.g. "incomplete").
package mailtmpl

import (
	"fmt"
	"slices"
	"strings"
	"text/template"
)

// The languages templates are written in.
const (
	LV = "lv"
	EN = "en"
)

// Language returns the language Render uses for lang: EN for "en",
// "en_GB.UTF-8" and the like, LV (the default) for anything else.
func Language(lang string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "en") {
		return EN
	}
	return LV
}

// compiled is one template in one language.
type compiled struct {
	subject *template.Template
	body    *template.Template
}

// registry maps template name, then language, to the compiled template.
// It is filled by init and read-only afterwards.
var registry = map[string]map[string]compiled{}

func init() {
	for name, src := range sources {
		registry[name] = map[string]compiled{
			LV: compile(name, LV, src[0]),
			EN: compile(name, EN, src[1]),
		}
	}
}

// compile parses one language's source; a broken template is a programming
// error, caught by the first test that imports the package.
func compile(name, lang string, s source) compiled {
	funcs := template.FuncMap{
		"role":   func(code string) string { return lookup(roleNames, lang, code) },
		"reason": func(code string) string { return lookup(reasonNames, lang, code) },
		// In a language named, for a mail that holds two (denial_effects.go).
		"ground": func(in, code string) string { return lookup(groundNames, in, code) },
		"roleIn": func(in, code string) string { return lookup(roleNames, in, code) },
	}
	parse := func(part, text string) *template.Template {
		return template.Must(template.New(name + "." + lang + "." + part).
			Option("missingkey=error").Funcs(funcs).Parse(text))
	}
	return compiled{subject: parse("subject", s.subject), body: parse("body", s.body)}
}

// lookup translates code with the table, or returns it unchanged.
func lookup(table map[string][2]string, lang, code string) string {
	names, ok := table[code]
	if !ok {
		return code
	}
	if lang == EN {
		return names[1]
	}
	return names[0]
}

// Names returns the names of every template, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for name := range registry {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Render returns the subject and the plain-text body of the template named
// template in the language lang (see Language), filled with data. It
// returns an error when the template does not exist, when it refers to a
// key that data lacks, or when the subject would span several lines. The
// body ends with a newline and uses "\n" between lines.
func Render(lang, template string, data map[string]string) (subject, body string, err error) {
	byLang, ok := registry[template]
	if !ok {
		return "", "", fmt.Errorf("mail template %q does not exist", template)
	}
	lang = Language(lang)
	t := byLang[lang]
	if data == nil {
		data = map[string]string{}
	}
	var b strings.Builder
	if err := t.subject.Execute(&b, data); err != nil {
		return "", "", fmt.Errorf("render mail template %s (%s) subject: %w", template, lang, err)
	}
	subject = strings.TrimSpace(b.String())
	if strings.ContainsAny(subject, "\r\n") {
		return "", "", fmt.Errorf("render mail template %s (%s): the subject spans several lines", template, lang)
	}
	b.Reset()
	if err := t.body.Execute(&b, data); err != nil {
		return "", "", fmt.Errorf("render mail template %s (%s) body: %w", template, lang, err)
	}
	body = strings.TrimSpace(strings.ReplaceAll(b.String(), "\r\n", "\n")) + "\n"
	return subject, body, nil
}
