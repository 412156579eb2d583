package i18n

// Messages of the terms of use (¶16, ¶26.2, ¶33) and of announcements
// (¶23): the editor's errors, and the names of states and kinds, in the
// terms of use's own words: Lietošanas noteikumi, redakcija, melnraksts,
// publicēt, paziņojums, plānots darbības pārtraukums. Screen labels belong
// to the screens' files.
func init() {
	register(map[string][2]string{
		// Who may edit.
		"editor.no_operator": {
			"Lietošanas noteikumus un paziņojumus var labot tikai pieteicies operators.",
			"Only a signed-in operator can edit the terms of use and announcements.",
		},
		"editor.not_editor": {
			"Šim darbam nepieciešama redaktora loma.",
			"This needs the editor role.",
		},

		// Terms versions: the form.
		"terms.invalid": {
			"Lietošanas noteikumu redakciju nevar saglabāt: pārbaudiet norādīto.",
			"The terms-of-use version cannot be saved: check what was entered.",
		},
		"terms.number_required": {
			"Norādiet redakcijas numuru, piemēram, 2026-2.",
			"Give the version a number, for example 2026-2.",
		},
		"terms.number_format": {
			"Redakcijas numurā drīkst būt tikai latīņu burti, cipari un zīmes . / -, piemēram, 2026-2.",
			"The version number may hold only Latin letters, digits and . / -, for example 2026-2.",
		},
		"terms.number_taken": {
			"Redakcija ar šādu numuru jau ir. Izvēlieties citu numuru.",
			"A version with this number exists already. Choose another number.",
		},
		"terms.title_required": {
			"Norādiet lietošanas noteikumu nosaukumu.",
			"Give the terms of use a title.",
		},
		"terms.text_required": {
			"Lietošanas noteikumu teksts ir tukšs.",
			"The text of the terms of use is empty.",
		},
		"terms.summary_required": {
			"Īsi aprakstiet, kas šajā redakcijā mainīts: apraksts tiks publicēts paziņojumā.",
			"Summarise what this version changes: the summary is published in the announcement.",
		},
		"terms.not_utf8": {
			"Tekstā ir bojātas rakstzīmes (tas nav derīgā UTF-8 kodējumā).",
			"The text holds broken characters (it is not valid UTF-8).",
		},
		"terms.control_chars": {
			"Tekstā ir neatļautas vadības rakstzīmes.",
			"The text holds control characters that are not allowed.",
		},
		"terms.note_required": {
			"Norādiet, kāpēc redakcija tiek atgriezta labošanai.",
			"Say why the version is sent back for changes.",
		},

		// Terms versions: the workflow.
		"terms.not_found": {
			"Lietošanas noteikumu redakcija (id %d) nav atrasta.",
			"Terms-of-use version (id %d) not found.",
		},
		"terms.none_in_force": {
			"Vēl nav publicēta neviena lietošanas noteikumu redakcija.",
			"No version of the terms of use has been published yet.",
		},
		"terms.changed": {
			"Melnrakstu pa to laiku ir saglabājis kāds cits. Atveriet to no jauna un ievadiet izmaiņas vēlreiz.",
			"Someone else saved the draft meanwhile. Open it again and redo your changes.",
		},
		"terms.not_draft": {
			"Šī redakcija vairs nav melnraksts: tā ir iesniegta apstiprināšanai vai jau publicēta.",
			"This version is no longer a draft: it has been submitted for approval or published.",
		},
		"terms.not_submitted": {
			"Šī redakcija negaida apstiprināšanu: to pa to laiku ir publicējis vai atgriezis labošanai cits redaktors.",
			"This version does not wait for approval: another editor has published it or sent it back meanwhile.",
		},
		"terms.own_draft": {
			"Redakciju apstiprina un publicē cits redaktors, nevis tas, kurš to sagatavoja, laboja vai iesniedza (četru acu princips).",
			"A version is approved and published by another editor, not by one who drafted, edited or submitted it (four eyes).",
		},
		"terms.published_meanwhile": {
			"Pa to laiku ir publicēta cita redakcija. Atgrieziet šo redakciju labošanai un balstiet to uz spēkā esošo.",
			"Another version has been published meanwhile. Send this one back and base it on the version in force.",
		},
		"terms.base_not_in_force": {
			"Melnrakstu var balstīt tikai uz spēkā esošo redakciju.",
			"A draft can only be based on the version in force.",
		},
		"terms.unchanged": {
			"Teksts neatšķiras no spēkā esošās redakcijas.",
			"The text is the same as the version in force.",
		},
		"terms.not_in_force": {
			"Lietošanas noteikumu redakcija (id %d) nav spēkā: pieņemt var tikai spēkā esošo redakciju.",
			"Terms-of-use version (id %d) is not in force: only the version in force can be accepted.",
		},
		"terms.user_not_found": {
			"Platformas lietotājs (id %d) nav atrasts.",
			"Platform user (id %d) not found.",
		},

		// Terms versions: states.
		"terms.state.draft":      {"melnraksts", "draft"},
		"terms.state.submitted":  {"iesniegta apstiprināšanai", "awaiting approval"},
		"terms.state.published":  {"spēkā", "in force"},
		"terms.state.superseded": {"zaudējusi spēku", "superseded"},

		// Announcements: the form.
		"announcement.invalid": {
			"Paziņojumu nevar saglabāt: pārbaudiet norādīto.",
			"The announcement cannot be saved: check what was entered.",
		},
		"announcement.kind_unknown": {
			"Izvēlieties paziņojuma veidu: jaunums vai plānots darbības pārtraukums.",
			"Choose the kind of announcement: news or planned downtime.",
		},
		"announcement.title_required": {
			"Norādiet paziņojuma virsrakstu.",
			"Give the announcement a title.",
		},
		"announcement.body_required": {
			"Paziņojuma teksts ir tukšs.",
			"The announcement's text is empty.",
		},
		"announcement.starts_required": {
			"Norādiet, kad darbības pārtraukums sāksies.",
			"Say when the downtime starts.",
		},
		"announcement.ends_required": {
			"Norādiet, kad darbības pārtraukums beigsies.",
			"Say when the downtime ends.",
		},
		"announcement.services_required": {
			"Norādiet, kurus pakalpojumus darbības pārtraukums skars.",
			"Say which services the downtime affects.",
		},
		"announcement.ends_before_start": {
			"Beigām jābūt vēlāk par sākumu.",
			"The end must come after the start.",
		},
		"announcement.ends_past": {
			"Plānotais darbības pārtraukums jau ir beidzies: to vairs nepublicē.",
			"The planned downtime has ended already: it is not published any more.",
		},
		"announcement.role_unknown": {
			"Nezināma Platformas loma „%s”.",
			"Unknown Platform role “%s”.",
		},
		"announcement.not_utf8": {
			"Tekstā ir bojātas rakstzīmes (tas nav derīgā UTF-8 kodējumā).",
			"The text holds broken characters (it is not valid UTF-8).",
		},
		"announcement.control_chars": {
			"Tekstā ir neatļautas rakstzīmes.",
			"The text holds characters that are not allowed.",
		},
		"announcement.reason_required": {
			"Norādiet, kāpēc paziņojums tiek atsaukts.",
			"Say why the announcement is withdrawn.",
		},

		// Announcements: the workflow.
		"announcement.not_found": {
			"Paziņojums (id %d) nav atrasts.",
			"Announcement (id %d) not found.",
		},
		"announcement.changed": {
			"Paziņojumu pa to laiku ir saglabājis kāds cits. Atveriet to no jauna.",
			"Someone else saved the announcement meanwhile. Open it again.",
		},
		"announcement.not_draft": {
			"Paziņojums vairs nav melnraksts: tas jau ir publicēts vai atsaukts.",
			"The announcement is no longer a draft: it has been published or withdrawn.",
		},
		"announcement.not_published": {
			"Atsaukt var tikai publicētu paziņojumu.",
			"Only a published announcement can be withdrawn.",
		},

		// Announcements: kinds and states.
		"announcement.kind.news":       {"jaunums", "news"},
		"announcement.kind.downtime":   {"plānots darbības pārtraukums", "planned downtime"},
		"announcement.state.draft":     {"melnraksts", "draft"},
		"announcement.state.published": {"publicēts", "published"},
		"announcement.state.withdrawn": {"atsaukts", "withdrawn"},
	})
}
