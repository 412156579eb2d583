package demodata

// registerSex is the sex the demo's Population Register extract gives the
// i-th generated client (issue 18: the IMK take-up report by sex): as their
// name says (F for a woman's name, M for a man's), except one in 25 whom
// the register gives none (NULL: the report's unknown group). It draws no
// random number, so every other generated value stays as it was.
func registerSex(female bool, i int) any {
	switch {
	case i%25 == 7:
		return nil
	case female:
		return "F"
	}
	return "M"
}
