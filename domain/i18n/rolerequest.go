package i18n

import (
	"unicode"
	"unicode/utf8"
)

// Messages of role requests (¶8, ¶27–¶29): the form's rules, the
// decisions' rules and the errors of the queue, in the terms of the terms
// of use: pieteikums, izglītības iestāde, pašvaldību koordinators, karjeras
// konsultants, pieaugušo izglītības koordinators, apstiprināt, noraidīt.
// The names of kinds, states, reasons and history events belong to the
// screens (tui_rolerequests.go).

// roleRequestFields names the form's fields as the messages about one
// field mention them: {Latvian, English}. A Latvian debitive ("jānorāda")
// takes its object in the nominative, so one form serves every message.
var roleRequestFields = map[string][2]string{
	"first_name":           {"vārds", "first name"},
	"last_name":            {"uzvārds", "last name"},
	"personal_code":        {"personas kods", "personal code"},
	"email":                {"e-pasta adrese", "e-mail address"},
	"institution_name":     {"izglītības iestādes nosaukums", "name of the education institution"},
	"company_reg_number":   {"uzņēmuma reģistrācijas numurs", "company registration number"},
	"education_reg_number": {"izglītības iestādes reģistrācijas numurs", "education-institution registration number"},
	"password":             {"parole", "password"},
	"institution_id":       {"izglītības iestāde", "education institution"},
	"municipality_code":    {"pašvaldība", "municipality"},
	"position":             {"amats", "position"},
	"notes":                {"papildu informācija", "additional information"},
}

func init() {
	m := map[string][2]string{
		"rolerequest.invalid": {
			"Pieteikumu nevar iesniegt: pārbaudiet norādītās ziņas.",
			"The request cannot be submitted: check what was entered.",
		},
		"rolerequest.phone_format": {
			"Tālruņa numuram jāsastāv no 8 līdz 15 cipariem, piemēram, +371 2612 3456.",
			"The phone number must have 8 to 15 digits, for example +371 2612 3456.",
		},
		"rolerequest.kind_unknown": {
			"Nezināms pieteikuma veids.",
			"Unknown kind of request.",
		},
		"rolerequest.institution_unknown": {
			"Norādītā izglītības iestāde Platformā nav reģistrēta.",
			"The education institution given is not registered on the Platform.",
		},
		"rolerequest.institution_inactive": {
			"Izglītības iestāde Platformā nav aktīva.",
			"The education institution is not active on the Platform.",
		},
		"rolerequest.municipality_unknown": {
			"Šādas pašvaldības nav. Izvēlieties valstspilsētu vai novadu no saraksta.",
			"There is no such municipality. Choose a state city or a municipality from the list.",
		},
		"rolerequest.document_name": {
			"%d. dokumentam nav derīga nosaukuma.",
			"Document %d has no valid name.",
		},
		"rolerequest.document_type": {
			"%d. dokumenta veids netiek pieņemts. Pievienojiet PDF, JPEG, PNG, DOC, DOCX, ODT vai EDOC failu.",
			"The type of document %d is not accepted. Attach a PDF, JPEG, PNG, DOC, DOCX, ODT or EDOC file.",
		},
		"rolerequest.document_size": {
			"%d. dokuments ir tukšs vai lielāks par 20 MB.",
			"Document %d is empty or larger than 20 MB.",
		},
		"rolerequest.document_hash": {
			"%d. dokumenta kontrolsumma (SHA-256) nav derīga.",
			"The checksum (SHA-256) of document %d is not valid.",
		},

		"rolerequest.valid_until_past": {
			"Lomas derīguma termiņam jābeidzas nākotnē.",
			"The role's validity must end in the future.",
		},
		"rolerequest.reason_unknown": {
			"Izvēlieties noraidīšanas iemeslu no saraksta.",
			"Choose a reason for the rejection from the list.",
		},
		"rolerequest.reason_text_required": {
			"Paskaidrojiet noraidīšanas iemeslu.",
			"Explain the reason for the rejection.",
		},
		"rolerequest.text_chars": {
			"Tekstā ir neatļautas rakstzīmes.",
			"The text contains characters that are not allowed.",
		},
		"rolerequest.info_message_required": {
			"Uzrakstiet, kāda informācija pieteicējam jāpapildina.",
			"Write what information the applicant should add.",
		},
		"rolerequest.takeover_reason_required": {
			"Norādiet, kāpēc Aģentūra pārņem pieteikumu no izglītības iestādes.",
			"Give the reason why the Agency takes the request over from the institution.",
		},
		"rolerequest.answer_required": {
			"Atbilde ir tukša.",
			"The answer is empty.",
		},

		"rolerequest.not_found": {
			"Pieteikums Nr. %d nav atrasts.",
			"Request #%d was not found.",
		},
		"rolerequest.no_operator": {
			"Ar pieteikumiem var strādāt tikai pieteicies Aģentūras darbinieks.",
			"Only a signed-in agency employee can work on requests.",
		},
		"rolerequest.claimed": {
			"Pieteikumu apstrādā %s, tāpēc jūs to izlemt nevarat.",
			"%s holds the request, so you cannot decide it.",
		},
		"rolerequest.decided": {
			"Šo pieteikumu jau izlēma %s.",
			"%s has already decided this request.",
		},
		"rolerequest.changed": {
			"Pieteikums pa to laiku ir mainījies. Nekas netika mainīts — apskatiet to vēlreiz.",
			"The request has changed meanwhile. Nothing was changed — look at it again.",
		},
		"rolerequest.unconfirmed": {
			"Lēmumu pieņemt nevar: e-pasta adrese nav apstiprināta.",
			"It cannot be decided: the e-mail address is not confirmed.",
		},
		"rolerequest.at_institution": {
			"Pieteikumu izskata izglītības iestāde (¶29.3). Aģentūra to var pārņemt pēc noteiktā termiņa.",
			"The education institution decides this request (¶29.3). The Agency may take it over after the set time.",
		},
		"rolerequest.own": {
			"Savu pieteikumu izskatīt nedrīkst.",
			"Nobody may decide a request about themselves.",
		},
		"rolerequest.queue_empty": {
			"Neviens pieteikums negaida izskatīšanu.",
			"No request is waiting for a decision.",
		},
		"rolerequest.not_unconfirmed": {
			"E-pasta adrese jau ir apstiprināta; apstiprinājums nav jāsūta.",
			"The e-mail address is confirmed already; nothing to resend.",
		},
		"rolerequest.expired": {
			"E-pasta adrese netika apstiprināta 14 dienu laikā; pieteikumam beidzies termiņš.",
			"The e-mail address was not confirmed within 14 days; the request has expired.",
		},
		"rolerequest.token_unknown": {
			"Apstiprinājuma saite nav derīga vai jau ir izmantota.",
			"The confirmation link is not valid or has been used already.",
		},
		"rolerequest.token_expired": {
			"Apstiprinājuma saitei beidzies derīguma termiņš. Iesniedziet pieteikumu vēlreiz.",
			"The confirmation link has expired. Submit the request again.",
		},
		"rolerequest.not_info_requested": {
			"Pieteikumam netika pieprasīta papildu informācija.",
			"No further information was asked for on this request.",
		},
		"rolerequest.institution_exists": {
			"Platformā jau ir aktīva izglītības iestāde ar šo reģistrācijas numuru.",
			"An active education institution with this registration number is on the Platform already.",
		},
		"rolerequest.email_taken": {
			"Ar šo e-pasta adresi jau pieslēdzas citas izglītības iestādes lietotājs.",
			"A user of another education institution signs in with this e-mail address already.",
		},
		"rolerequest.filter_state": {
			"Nezināms pieteikuma stāvoklis „%s”.",
			"Unknown request state “%s”.",
		},
		"rolerequest.filter_kind": {
			"Nezināms pieteikuma veids „%s”.",
			"Unknown kind of request “%s”.",
		},
		"rolerequest.filter_age": {
			"Vecuma filtrs nevar būt negatīvs.",
			"The age filter cannot be negative.",
		},

		"cli.demo.role_requests": {
			"Ielādēti dati: %s, %s un %s. Izglītības iestāžu lietotāju parole: %s",
			"Loaded: %s, %s and %s. The institution users' password: %s",
		},

		"queue.role_requests": {
			"Lomu pieteikumi",
			"Role requests",
		},
		"queue.role_requests_institution": {
			"Pie izglītības iestādēm",
			"At institutions",
		},
	}

	// The rules any of several fields can break, one message per field:
	// "required" and "not applicable" for the fields whose need depends on
	// the kind of request (domain's formFields).
	for _, field := range []string{"first_name", "last_name", "personal_code", "email", "institution_name",
		"company_reg_number", "education_reg_number", "password", "institution_id", "municipality_code"} {
		name := roleRequestFields[field]
		m["rolerequest.required."+field] = [2]string{
			"Jānorāda " + name[0] + ".",
			"The " + name[1] + " is required.",
		}
		m["rolerequest.not_applicable."+field] = [2]string{
			"Šim pieteikuma veidam " + name[0] + " nav jānorāda.",
			"This kind of request takes no " + name[1] + ".",
		}
	}
	tooLong := map[string][2]Plural{}
	for _, field := range []string{"first_name", "last_name", "institution_name", "position", "notes"} {
		name := roleRequestFields[field]
		tooLong["rolerequest.too_long."+field] = [2]Plural{
			lvWord(capital(name[0])+" ir par garu (ne vairāk kā %d {}).", atMostChars...),
			enWord("The "+name[1]+" is too long (at most %d {}).", "character", "characters"),
		}
	}
	registerCounted(tooLong)
	for _, field := range []string{"first_name", "last_name"} {
		name := roleRequestFields[field]
		m["rolerequest.name_chars."+field] = [2]string{
			capital(name[0]) + " var saturēt tikai burtus, atstarpes, defises un apostrofus.",
			"The " + name[1] + " may contain only letters, spaces, hyphens and apostrophes.",
		}
	}
	for _, field := range []string{"institution_name", "position", "notes"} {
		name := roleRequestFields[field]
		m["rolerequest.text_chars."+field] = [2]string{
			"Laukā „" + name[0] + "” ir neatļautas rakstzīmes.",
			"The " + name[1] + " contains characters that are not allowed.",
		}
	}
	register(m)
}

// capital upper-cases the first letter of s, Latvian letters included.
func capital(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
