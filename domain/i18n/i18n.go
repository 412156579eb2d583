// Package i18n holds the message catalogs: every text a person reads, in
// Latvian (the default) and English, looked up by key.
package i18n

import (
	"errors"
	"fmt"
	"strings"

	"github.com/viaa/ppp/domain"
)

// Lang is a language of the user interface.
type Lang string

// The languages the back office speaks.
const (
	LV Lang = "lv"
	EN Lang = "en"
)

// Default is the language used when none is chosen.
const Default = LV

// ParseLang returns the language named by s ("lv", "en", "en_US.UTF-8" …),
// or Default.
func ParseLang(s string) Lang {
	s = strings.ToLower(s)
	switch {
	case strings.HasPrefix(s, "en"):
		return EN
	default:
		return LV
	}
}

// Catalog translates keys into one language.
type Catalog struct {
	Lang     Lang
	messages map[string]string
}

// lv and en are filled once, at start-up, by the area files (errors.go,
// password.go …); they are read-only afterwards.
var (
	lv = map[string]string{}
	en = map[string]string{}
)

// register adds an area's messages, each given as {Latvian, English}, so
// that no key can exist in one language only. A key defined twice is a
// programming error.
func register(area map[string][2]string) {
	for k, v := range area {
		if _, dup := lv[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		lv[k], en[k] = v[0], v[1]
	}
}

// For returns the catalog of lang (Default for an unknown one).
func For(lang Lang) Catalog {
	if lang == EN {
		return Catalog{Lang: EN, messages: en}
	}
	return Catalog{Lang: LV, messages: lv}
}

// T returns the message of key with args formatted into it. A key missing
// from the catalog is returned in brackets so that the gap shows. A counted
// phrase (see Plural) takes its count as the first argument, as N does.
func (c Catalog) T(key string, args ...any) string {
	if _, ok := c.plural(key); ok {
		return c.printer().Sprintf(key, args...)
	}
	m, ok := c.messages[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// Err renders err for a person: a domain error by its catalog key (with
// each problem on its own line), anything else as a generic failure.
func (c Catalog) Err(err error) string {
	var e *domain.Error
	if !errors.As(err, &e) {
		return c.T("error.internal")
	}
	var b strings.Builder
	if e.Key != "" {
		b.WriteString(c.T(e.Key, e.Args...))
	} else {
		b.WriteString(c.T("error." + e.Code))
	}
	for _, p := range e.Problems {
		b.WriteString("\n• ")
		b.WriteString(c.T(p.Key, p.Args...))
	}
	return b.String()
}

// Keys returns every key of the catalog, counted phrases included, for
// completeness tests.
func (c Catalog) Keys() []string {
	keys := make([]string, 0, len(c.messages)+len(lvPlural))
	for k := range c.messages {
		keys = append(keys, k)
	}
	if c.messages != nil {
		for k := range lvPlural {
			keys = append(keys, k)
		}
	}
	return keys
}

// Has reports whether key is in the catalog, as a message or a counted
// phrase.
func (c Catalog) Has(key string) bool {
	if _, ok := c.messages[key]; ok {
		return true
	}
	_, ok := c.plural(key)
	return ok
}
