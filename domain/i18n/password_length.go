package i18n

// The password's upper bound (domain.PasswordMaxLength): a bound on the
// work a stranger's password costs, not a rule of the terms.
func init() {
	registerCounted(map[string][2]Plural{
		"password.too_long": {
			lvWord("Parole nedrīkst būt garāka par %d {}.", longerThanChars...),
			enWord("The password must be at most %d {} long.", "character", "characters"),
		},
	})
}
