package i18n

// The refusals of the queue items' own rules (domain.RoleRequest.Allows,
// domain.IMKApplication.Allows, domain.Ticket.Allows) and of the texts
// their actions carry, with the same words wherever they arise: the screen
// that greys out a key, storage refusing a write, a test double. Their
// wording is the screens' of before, which the operators know.
func init() {
	register(map[string][2]string{
		"reveal.reason_required": {"Norādiet iemeslu, kāpēc jāredz viss personas kods.", "Give the reason why you need to see the whole personal code."},
		"reveal.reason_chars":    {"Iemeslā ir neatļautas rakstzīmes.", "The reason contains characters that are not allowed."},
		"reveal.reason_too_long": {"Iemesls ir par garu (ne vairāk kā %d rakstzīmes).", "The reason is too long (at most %d characters)."},

		"rolerequest.no_personal_code":   {"Personas kods nav norādīts.", "No personal code was given."},
		"rolerequest.info_requested":     {"Gaida pieteicēja atbildi uz informācijas pieprasījumu.", "Waiting for the applicant to answer the request for information."},
		"rolerequest.not_at_institution": {"Pārņemt var tikai pieteikumu, kas gaida izglītības iestādes lēmumu.", "Only a request waiting for an institution's decision can be taken over."},

		"imk.decided":          {"Šo pieteikumu jau izlēma %s.", "%s has already decided this application."},
		"imk.not_in_review":    {"Pieteikums negaida izskatīšanu.", "The application is not waiting for review."},
		"imk.no_personal_code": {"Personas koda nav.", "No personal code."},
		"imk.reason_too_long":  {"Pamatojums ir par garu (ne vairāk kā %d rakstzīmes).", "The reason is too long (at most %d characters)."},

		"helpdesk.resolved":      {"Pieprasījums ir atrisināts.", "The request is resolved."},
		"helpdesk.text_too_long": {"Atbilde ir par garu (ne vairāk kā %d rakstzīmes).", "The reply is too long (at most %d characters)."},
		"helpdesk.note_too_long": {"Piezīme ir par garu (ne vairāk kā %d rakstzīmes).", "The note is too long (at most %d characters)."},
	})
}
