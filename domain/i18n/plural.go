package i18n

import (
	"fmt"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"golang.org/x/text/number"
)

// Plural is a counted phrase in one language: the message for each plural
// form of its count, chosen by CLDR's rules through golang.org/x/text.
// Latvian has three forms: Zero for 0 and for a count ending in 0 or in
// 11–19 ("0 ierakstu", "11 ierakstu", "20 ierakstu"), One for a count
// ending in 1 but not in 11 ("1 ieraksts", "21 ieraksts"), Other for the
// rest ("2 ieraksti"). English has One (1) and Other. An empty Zero or One
// falls back to Other, so a phrase whose words do not change with the count
// ("gaida: %d") gives Other alone.
//
// The count is the message's first argument unless Count names another
// (1-based: the call sites of a message keep their order of arguments). A
// form may name its arguments by index ("%[2]s: %[1]d ieraksti"). Every
// number the message formats with %d is written as the language groups
// digits ("25 000", "25,000"); a message whose words do not change with its
// count is a Plural with Other alone for that reason.
type Plural struct {
	Zero, One, Other string
	Count            int
}

// lvPlural and enPlural hold the counted phrases, filled once at start-up
// like lv and en; counted is the x/text catalog built from them.
var (
	lvPlural = map[string]Plural{}
	enPlural = map[string]Plural{}
	counted  = catalog.NewBuilder(catalog.Fallback(language.Latvian))
)

// The printers format counted phrases and numbers; a Printer is safe for
// concurrent use and looks its catalog up on every call.
var (
	lvPrinter = message.NewPrinter(language.Latvian, message.Catalog(counted))
	enPrinter = message.NewPrinter(language.English, message.Catalog(counted))
)

// registerCounted adds an area's counted phrases, each as {Latvian,
// English}. A key defined twice, here or among the plain messages, and a
// phrase without its Other form are programming errors.
func registerCounted(area map[string][2]Plural) {
	for k, v := range area {
		if _, dup := lv[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		if _, dup := lvPlural[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		if v[0].Other == "" || v[1].Other == "" || v[0].Count != v[1].Count {
			panic("i18n: counted phrase without its other form, or counting another argument in each language: " + k)
		}
		lvPlural[k], enPlural[k] = v[0], v[1]
		setPlural(language.Latvian, k, v[0])
		setPlural(language.English, k, v[1])
	}
}

func setPlural(tag language.Tag, key string, p Plural) {
	var cases []any
	if p.Zero != "" {
		cases = append(cases, plural.Zero, p.Zero)
	}
	if p.One != "" {
		cases = append(cases, plural.One, p.One)
	}
	cases = append(cases, plural.Other, p.Other)
	if err := counted.Set(tag, key, plural.Selectf(max(p.Count, 1), "%d", cases...)); err != nil {
		panic(fmt.Sprintf("i18n: counted phrase %s: %v", key, err))
	}
}

// N returns the counted phrase key for count n, in the form the catalog's
// language uses for n ("1 ieraksts", "21 ieraksts", "2 ieraksti",
// "11 ierakstu"; "1 entry", "2 entries"), with n and every other %d
// argument written as the language groups digits. args follow n. A key
// that is no counted phrase is formatted as T formats it, with n first.
func (c Catalog) N(key string, n int64, args ...any) string {
	return c.T(key, append([]any{n}, args...)...)
}

// Num writes n as the catalog's language writes numbers: digits grouped by
// thousands with a no-break space in Latvian ("25 000", "1 000 000"), with
// a comma in English ("25,000"). Identifiers (a request's #12345, a year, a
// version) are not quantities and are not written with it.
func (c Catalog) Num(n int64) string {
	return c.printer().Sprint(number.Decimal(n))
}

// Decimal writes x with the given digits after the decimal separator, as
// the catalog's language writes it: "1 234,5" in Latvian, "1,234.5" in
// English.
func (c Catalog) Decimal(x float64, digits int) string {
	return c.printer().Sprint(number.Decimal(x, number.MaxFractionDigits(digits), number.MinFractionDigits(digits)))
}

func (c Catalog) printer() *message.Printer {
	if c.Lang == EN {
		return enPrinter
	}
	return lvPrinter
}

// Forms returns the messages of key as the catalog holds them, before
// anything is formatted into them: one for a plain message, each form of a
// counted phrase (Zero, One, Other, those it has), none for a missing key.
func (c Catalog) Forms(key string) []string {
	if p, ok := c.plural(key); ok {
		var out []string
		for _, f := range []string{p.Zero, p.One, p.Other} {
			if f != "" {
				out = append(out, f)
			}
		}
		return out
	}
	if m, ok := c.messages[key]; ok {
		return []string{m}
	}
	return nil
}

// plural returns the counted phrase of key in the catalog's language.
func (c Catalog) plural(key string) (Plural, bool) {
	if c.messages == nil {
		return Plural{}, false
	}
	if c.Lang == EN {
		p, ok := enPlural[key]
		return p, ok
	}
	p, ok := lvPlural[key]
	return p, ok
}
