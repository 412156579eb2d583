package i18n

// Messages of `ppp demo` about the work it loads for every screen
// (issue 14): helpdesk mail, denials, what waits for a second person,
// sweep runs and the first IMK checks.
func init() {
	register(map[string][2]string{
		"cli.demo.work": {
			"Darbs katram ekrānam: %d palīdzības dienesta pieteikumi (%d vēstules), %d piekļuves liegumi, %d darbības gaida otru personu, %d pārbaužu (sweep) izpildes, %d IMK pieteikumi pārbaudīti.",
			"Work for every screen: %d helpdesk tickets (%d messages), %d denials of access, %d actions waiting for a second person, %d sweep runs, %d IMK applications checked.",
		},
	})
}
