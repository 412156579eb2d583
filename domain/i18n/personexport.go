package i18n

// A person's data on request (issue 18, GDPR Art. 15): `ppp person
// export`, its text format (written for the person to read) and the
// person page's action that tells the command.
func init() {
	register(map[string][2]string{
		"cli.help.person": {
			`ppp person export PERSONAS_KODS|--id ID --reason IEMESLS [--format json|text] --as OPERATORS [--password-stdin] > FAILS

Visi dati, kas glabājas par personu (VDAR 15. pants): identitāte ar visu personas kodu, kontaktinformācijas
vēsture, lomu pieprasījumi un to dokumentu metadati, lomas, IMK ar katra noteikuma lēmumu, pierādījumiem un
izmantotajiem reģistru datiem, piekrišanas, liegumi, palīdzības dienesta pieteikumi ar vēstulēm, nosūtītās
e-pasta vēstules, pieteikšanās Platformā un kuri darbinieki atvēra vai atklāja personas ierakstu un kad.
Personas kods abos pierakstos (ar defisi vai bez); --id ir personas ID no personu lapas.
--format text (noklusējums): latviski, personai lasāms; json: mašīnām, ar nemainīgiem lauku nosaukumiem.
Tikai drošības darbiniekiem; iemesls ir obligāts un tiek ierakstīts auditā.`,
			`ppp person export PERSONAL_CODE|--id ID --reason REASON [--format json|text] --as OPERATOR [--password-stdin] > FILE

Everything held about a person (GDPR Art. 15): identity with the whole personal code, contact history,
role requests and their documents' metadata, roles, IMK with each rule's decision, its evidence and the
register data used, acceptances, denials, helpdesk tickets with their messages, e-mails sent, Platform
sign-ins, and which staff opened or revealed the person's record and when.
The personal code in either form (with or without the hyphen); --id is the person's id from the people page.
--format text (the default): in Latvian, for the person to read; json: for machines, with stable field names.
Security officers only; the reason is required and goes into the audit log.`,
		},
		"cli.person.bad_format": {"nezināms formāts %q: json vai text", "unknown format %q: json or text"},
		"cli.person.bad_id":     {"nederīgs personas ID %q", "invalid person id %q"},

		"person.export_forbidden": {"personas datu izsniegšana ir tikai drošības darbiniekiem", "only security officers export a person's data"},
		"person.export_ref":       {"norādiet personu ar ID vai ar visu personas kodu", "name the person by an id or by the whole personal code"},

		// The text format. The export is always written in Latvian: it is
		// for the person, and the Agency's language is Latvian.
		"pex.title":           {"Personas dati (VDAR 15. pants)", "A person's data (GDPR Art. 15)"},
		"pex.made":            {"Sagatavots: %s; sagatavoja: %s", "Made: %s, by %s"},
		"pex.reason":          {"Pieprasījuma iemesls: %s", "Reason of the request: %s"},
		"pex.none":            {"(nav ierakstu)", "(none)"},
		"pex.s.identity":      {"Identitāte", "Identity"},
		"pex.s.account":       {"Platformas konts", "Platform account"},
		"pex.s.addresses":     {"Zināmās e-pasta adreses", "Known e-mail addresses"},
		"pex.s.contact":       {"Kontaktinformācijas vēsture", "Contact history"},
		"pex.s.requests":      {"Lomu pieprasījumi", "Role requests"},
		"pex.s.roles":         {"Lomas", "Roles"},
		"pex.s.imk":           {"Individuālie mācību konti (IMK)", "Individual learning accounts (IMK)"},
		"pex.s.terms":         {"Lietošanas noteikumu pieņemšana", "Acceptances of the terms of use"},
		"pex.s.denials":       {"Piekļuves liegumi", "Denials of access"},
		"pex.s.tickets":       {"Palīdzības dienesta pieteikumi", "Helpdesk tickets"},
		"pex.s.mail":          {"Nosūtītās e-pasta vēstules", "E-mails sent"},
		"pex.s.signins":       {"Pieteikšanās Platformā", "Platform sign-ins"},
		"pex.s.access":        {"Darbinieki, kas skatīja vai atklāja jūsu ierakstu", "Staff who opened or revealed the record"},
		"pex.f.code":          {"Personas kods: %s", "Personal code: %s"},
		"pex.f.old_codes":     {"Iepriekšējie personas kodi: %s", "Earlier personal codes: %s"},
		"pex.f.name":          {"Vārds, uzvārds: %s", "Name: %s"},
		"pex.f.language":      {"Saziņas valoda: %s", "Language: %s"},
		"pex.f.created":       {"Ieraksts izveidots: %s", "Record created: %s"},
		"pex.f.death":         {"Pēdējā pārbaude Fizisko personu reģistrā: %s", "Last check in the Population Register: %s"},
		"pex.f.deceased":      {"Miršanas datums: %s", "Date of death: %s"},
		"pex.f.user":          {"Konta ID: %s; veids: %s; izveidots: %s", "Account id: %s; kind: %s; created: %s"},
		"pex.f.email":         {"E-pasta adrese: %s (apstiprināta: %s)", "E-mail address: %s (confirmed: %s)"},
		"pex.f.denied":        {"Pieteikšanās liegta: %s", "Sign-in denied: %s"},
		"pex.e.note":          {"Piezīme: %s", "Note: %s"},
		"pex.e.until":         {"Līdz: %s", "Until: %s"},
		"pex.e.by":            {"Veica: %s", "By: %s"},
		"pex.e.decided_by":    {"Izlēma: %s", "Decided by: %s"},
		"pex.e.effects":       {"Sekas: %s", "Effects: %s"},
		"pex.e.document":      {"Dokuments: %s (%s, %s baiti, SHA-256 %s)", "Document: %s (%s, %s bytes, SHA-256 %s)"},
		"pex.e.rule":          {"Noteikums „%s”: %s — %s", "Rule “%s”: %s — %s"},
		"pex.e.register":      {"Reģistra dati (%s, iegūti %s):", "Register data (%s, fetched %s):"},
		"pex.e.no_answer":     {"reģistrs neatbildēja", "the register did not answer"},
		"pex.e.not_found":     {"reģistrs personu nezina", "the register does not know the person"},
		"pex.e.msg_in":        {"Vēstule no %s, %s: %s", "Message from %s, %s: %s"},
		"pex.e.msg_out":       {"Atbilde (%s), %s", "Reply (%s), %s"},
		"pex.a.view":          {"atvēra ierakstu", "opened the record"},
		"pex.a.reveal":        {"atklāja personas kodu", "revealed the personal code"},
		"pex.a.export":        {"izsniedza datus", "exported the data"},
		"pex.yes":             {"jā", "yes"},
		"pex.no":              {"nē", "no"},
		"pex.r.first_name":    {"vārds", "first name"},
		"pex.r.last_name":     {"uzvārds", "last name"},
		"pex.r.birth_date":    {"dzimšanas datums", "birth date"},
		"pex.r.resident":      {"deklarēta dzīvesvieta Latvijā", "declared residence in Latvia"},
		"pex.r.municipality":  {"pašvaldība", "municipality"},
		"pex.r.deceased_on":   {"miršanas datums", "date of death"},
		"pex.r.employer":      {"darba devējs", "employer"},
		"pex.r.self_employed": {"pašnodarbinātība", "self-employed"},
		"pex.r.from":          {"no", "from"},
		"pex.r.until":         {"līdz", "until"},
		"pex.r.highest_lki":   {"augstākais LKI", "highest LKI"},
		"pex.r.studying":      {"pašlaik mācās", "currently studying"},

		// The person page's action: the screen shows the command.
		"tui.ppl.key.export": {"izsniegt datus", "export data"},
		"tui.ppl.export_how": {"Personas datus izsniedz komandrindā: %s", "Export the person's data on the command line: %s"},
	})
}
