package i18n

// Messages of the helpdesk (¶22, ¶31.3, ¶32.4) and of password resets.
func init() {
	register(map[string][2]string{
		"queue.helpdesk": {"Palīdzības dienests (stars@viaa.gov.lv)", "Helpdesk (stars@viaa.gov.lv)"},

		"helpdesk.no_operator":   {"Ar pieteikumiem var strādāt tikai pieteicies operators.", "Only a signed-in operator can work on tickets."},
		"helpdesk.not_helpdesk":  {"Šim darbam vajag palīdzības dienesta lomu.", "This needs the helpdesk role."},
		"helpdesk.not_found":     {"Pieteikums nav atrasts.", "The ticket was not found."},
		"helpdesk.claimed":       {"Ar šo pieteikumu strādā %s.", "%s is working on this ticket."},
		"helpdesk.changed":       {"Kāds cits tikko mainīja šo pieteikumu. Apskatiet to vēlreiz.", "Someone else has just changed this ticket. Look at it again."},
		"helpdesk.bad_category":  {"Nezināma kategorija %q.", "Unknown category %q."},
		"helpdesk.bad_state":     {"Nezināms stāvoklis %q.", "Unknown state %q."},
		"helpdesk.bad_template":  {"Nezināma atbildes veidne %q.", "Unknown reply template %q."},
		"helpdesk.text_required": {"Uzrakstiet atbildes tekstu.", "Write the reply's text."},
		"helpdesk.no_sender":     {"Vēstulei nav nolasāma sūtītāja adrese, tāpēc atbildēt nevar.", "The message has no readable sender address, so it cannot be answered."},
		"helpdesk.no_account":    {"Sūtītāja apstiprinātā e-pasta adrese neatbilst nevienam kontam.", "The sender's confirmed e-mail address matches no account."},
		"reset.invalid":          {"Saite nav derīga: tā ir novecojusi, jau izmantota vai nepareiza. Lūdziet jaunu.", "The link is not valid: it has expired, been used or is wrong. Ask for a new one."},
	})
}
