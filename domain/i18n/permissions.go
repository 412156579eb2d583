package i18n

// The messages of issue 13's permissions, checked by every service
// method (storage/actor.go), and of searches by personal code.
func init() {
	register(map[string][2]string{
		"access.no_operator":       {"To var darīt tikai pieteicies aizmugures biroja operators.", "Only a signed-in operator can do this."},
		"access.forbidden":         {"Jums nav šim nepieciešamās lomas.", "You do not hold the role this needs."},
		"access.other_session":     {"Sesijas pieteikumus var atbrīvot tikai tās operators.", "Only a session's own operator gives up its claims."},
		"operator.not_admin":       {"Aizmugures biroja kontus pārvalda administratori.", "Back-office accounts are managed by administrators."},
		"audit.forbidden":          {"Audita žurnāls ir administratoriem un drošības speciālistiem.", "The audit log is for administrators and security officers."},
		"rolerequest.not_reviewer": {"Lomu pieteikumus izskata izskatītāji.", "Role requests are worked by reviewers."},
		"imk.not_reviewer":         {"IMK pieteikumus izskata izskatītāji.", "IMK applications are reviewed by reviewers."},
		"search.whole_code":        {"Meklējiet pēc visa personas koda (11 cipari, ar defisi vai bez), nevis tā daļas.", "Search by the whole personal code (11 digits, with or without the hyphen), never a part of it."},
	})
}
