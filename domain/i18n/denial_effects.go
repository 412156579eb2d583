package i18n

// Messages of the effects of a denial (¶24, ¶32): what it holds, and the
// role assignments a reviewer extends, ends or renews (¶32.1).
func init() {
	register(map[string][2]string{
		"denial.holds_approval": {
			"Piekļuve liegta saskaņā ar noteikumu %s. punktu kopš %s (liegums nr. %d): kamēr liegums ir spēkā, neko apstiprināt nevar.",
			"Access is denied under clause %s since %s (denial no. %d): nothing can be approved while the denial is in force.",
		},

		// A reviewer's change of one role assignment (¶32.1).
		"assignment.ended":           {"Šī loma vairs nav spēkā.", "This role assignment has ended."},
		"assignment.running":         {"Šī loma vēl ir spēkā: pagariniet to.", "This role assignment is still running: extend it instead."},
		"assignment.bad_action":      {"Nezināma darbība %q.", "Unknown action %q."},
		"assignment.reason_required": {"Norādiet iemeslu.", "Give a reason."},
		"assignment.reason_too_long": {"Iemesls ir par garu (ne vairāk kā %d rakstzīmes).", "The reason is too long (at most %d characters)."},
		"assignment.bad_text":        {"Iemeslā ir vadības rakstzīmes vai nederīgs UTF-8.", "The reason holds control characters or is not valid UTF-8."},
		"assignment.not_found":       {"Loma nr. %d nav atrasta.", "No role assignment #%d."},
	})
}
