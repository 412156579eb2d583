package common

import (
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/plain"
)

// N translates a counted phrase in the session's language: the form the
// language uses for n ("1 ieraksts", "21 ieraksts", "2 ieraksti",
// "11 ierakstu"), with the numbers' digits grouped as the language groups
// them ("25 000", "25,000"). Like T, it makes every string argument plain.
func (c *Common) N(key string, n int64, args ...any) string {
	return c.T(key, append([]any{n}, args...)...)
}

// Num writes a count or an amount as the session's language writes
// numbers: "25 000" in Latvian, "25,000" in English. Identifiers (#12345,
// a version, a year) are not written with it.
func (c *Common) Num(n int64) string { return c.Catalog.Num(n) }

// Evidence words a rule's evidence (an IMK check's) in the session's
// language, drawn plain: its arguments and the prose of an old evaluation
// come from the registers.
func (c *Common) Evidence(e domain.Evidence) string {
	return plain.Show(c.Catalog.Evidence(e))
}

// Decimal writes x with digits after the decimal separator as the
// session's language writes it: "12,5" in Latvian, "12.5" in English.
func (c *Common) Decimal(x float64, digits int) string { return c.Catalog.Decimal(x, digits) }
