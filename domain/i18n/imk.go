package i18n

// Messages of the IMK eligibility check (¶26) outside the screens: the
// services' errors, the registers and the command line. The words are the
// brief's: individuālais mācību konts (IMK), mērķa grupas atbilstības
// pārbaude, Fizisko personu reģistrs, VID, VIIS.
func init() {
	register(map[string][2]string{
		"imk.register.population": {"Fizisko personu reģistrs", "Population Register"},
		"imk.register.revenue":    {"Valsts ieņēmumu dienests (VID)", "State Revenue Service (VID)"},
		"imk.register.education":  {"Valsts izglītības informācijas sistēma (VIIS)", "State Education Information System (VIIS)"},

		"queue.imk_review": {"IMK atbilstības pārbaude", "IMK eligibility review"},

		"imk.not_found":       {"IMK pieteikums nav atrasts.", "The IMK application was not found."},
		"imk.no_operator":     {"IMK pieteikumus var izskatīt tikai pieteicies operators.", "Only a signed-in operator can review IMK applications."},
		"imk.closed":          {"Šis IMK pieteikums (%s) vairs negaida izskatīšanu.", "This IMK application (%s) no longer awaits review."},
		"imk.claimed":         {"Ar šo pieteikumu strādā %s.", "%s is working on this application."},
		"imk.changed":         {"Kāds cits tikko mainīja šo pieteikumu. Apskatiet to vēlreiz.", "Someone else has just changed this application. Look at it again."},
		"imk.reason_required": {"Norādiet lēmuma pamatojumu.", "Give a reason for the decision."},
		"imk.active_exists":   {"Personai jau ir aktīvs individuālais mācību konts (IMK).", "The person has an active individual learning account (IMK) already."},
		"imk.no_policy":       {"Nav spēkā esošas apstiprinātas mērķa grupas politikas.", "No approved target-group policy is in force."},
		"imk.policy_invalid":  {"Mērķa grupas politika nav derīga:", "The target-group policy is not valid:"},
		"imk.bad_email":       {"Nederīga e-pasta adrese.", "Invalid e-mail address."},
		"imk.name_required":   {"Norādiet vārdu un uzvārdu.", "Give the first name and surname."},

		"register.unknown":  {"Nezināms reģistrs %q (population, revenue, education, enterprises vai institutions).", "Unknown register %q (population, revenue, education, enterprises or institutions)."},
		"register.encoding": {"%d. rindā nav derīga UTF-8 teksta: datnei jābūt UTF-8 kodējumā.", "Line %d is not valid UTF-8: the file must be UTF-8."},
		"register.empty":    {"Datne ir tukša: trūkst galvenes rindas.", "The file is empty: the header line is missing."},
		"register.header":   {"Nepareiza galvene: jābūt %s.", "Wrong header: it must be %s."},
		"register.bad_row":  {"%d. rinda: %s. Nekas no datnes netika ielādēts.", "Line %d: %s. Nothing from the file was imported."},
		"register.outage":   {"Nepareizs PPP_REGISTER_OUTAGE %q: jābūt, piemēram, \"0.3,200ms\".", "Bad PPP_REGISTER_OUTAGE %q: it must be like \"0.3,200ms\"."},

		"cli.help.registers": {
			"ppp registers import population|revenue|education|enterprises|institutions DATNE — ielādē reģistra izrakstu (CSV, UTF-8); kļūdas gadījumā netiek ielādēts nekas.",
			"ppp registers import population|revenue|education|enterprises|institutions FILE — loads a register extract (CSV, UTF-8); on any error nothing is imported.",
		},
		"cli.registers.imported": {
			"%s: %s (%s, %s, %s).",
			"%s: %s (%s, %s, %s).",
		},
		"cli.help.imk": {
			"ppp imk check [--batch N] — vienreiz veic jauno IMK pieteikumu mērķa grupas atbilstības pārbaudi.",
			"ppp imk check [--batch N] — runs the target-group eligibility check of new IMK applications once.",
		},
		"cli.demo.imk": {
			"Ielādēti dati: %s ar reģistru datiem un %s (jau izlemti: %s).",
			"Loaded: %s with register data and %s (decided already: %s).",
		},
	})
}
