package i18n

// Messages of ¶26.2: the person's acceptance of the terms of use in force,
// without which nothing of theirs is approved.
func init() {
	register(map[string][2]string{
		"terms.not_accepted": {
			"Persona nav apstiprinājusi spēkā esošo lietošanas noteikumu versiju %s: kamēr tā nav apstiprināta, neko apstiprināt nevar (26.2. punkts).",
			"The person has not accepted the terms of use in force (version %s): nothing can be approved until they do (clause 26.2).",
		},
		"tui.imk.rule.terms": {"lietošanas noteikumi nav apstiprināti", "terms of use not accepted"},

		// The line on a request's or application's detail, the flag of its
		// list row and the summary under the list.
		"tui.acc.f.terms":      {"Lietošanas noteikumi", "Terms of use"},
		"tui.acc.not_accepted": {"nav apstiprināta spēkā esošā versija %s", "the version in force, %s, not accepted"},
		"tui.acc.flag":         {"⚠ %s", "⚠ %s"}, // the row's state, marked; the summary says why
		"tui.acc.summary":      {"noteikumu versija %s nav apstiprināta", "terms version %s not accepted"},
	})
}
