package i18n

import "strings"

// Counted phrases (see Plural): every message that says how many of
// something there are, whether its words change with the count (Latvian
// "1 ieraksts", "2 ieraksti", "11 ierakstu") or only its digits are
// grouped ("25 000 gaida"). Messages that hold several counts are put
// together from a counted phrase per count ("cli.count.…").
func init() {
	registerCounted(map[string][2]Plural{
		// The command line.
		"cli.bench.bad_scale": {
			{Other: "--scale jābūt vismaz %d un --sessions pozitīvam"},
			{Other: "--scale must be at least %d and --sessions positive"},
		},
		// Entry numbers are identifiers, passed as text: not grouped.
		"cli.audit.resumed": {
			lvWord("Turpināts pēc ieraksta #%[1]s, kas pārbaudīts %[2]s: pārrēķināt{}.", "i %[3]d jaunu ierakstu", "s %[3]d jauns ieraksts", "i %[3]d jauni ieraksti").counting(3),
			enWord("Resumed after entry #%[1]s, verified on %[2]s: %[3]d new {} recomputed.", "entry", "entries").counting(3),
		},
		"cli.audit.agrees": {
			lvWord("Žurnāls atbilst %[1]d {} no %[2]s; jaunākais aptver ierakstu #%[3]s (%[4]s).", "kontrolpunktiem", "kontrolpunktam", "kontrolpunktiem"),
			enWord("The log agrees with %[1]d {} of %[2]s; the newest covers entry #%[3]s (%[4]s).", "checkpoint", "checkpoints"),
		},
		"cli.audit.forged": {
			{Zero: "%[1]d rindu no %[2]s nav derīgi kontrolpunkti (skatiet augstāk)", One: "%[1]d rinda no %[2]s nav derīgs kontrolpunkts (skatiet augstāk)", Other: "%[1]d rindas no %[2]s nav derīgi kontrolpunkti (skatiet augstāk)"},
			{One: "%[1]d line of %[2]s is not a valid checkpoint (see above)", Other: "%[1]d lines of %[2]s are not valid checkpoints (see above)"},
		},
		"cli.audit.intact": {
			lvWord("Audita žurnāls ir vesels: %d {}.", "ierakstu", "ieraksts", "ieraksti"),
			enWord("The audit log is intact: %d {} checked.", "entry", "entries"),
		},
		"cli.sweep.checked": {{One: "pārbaudīts %d", Other: "pārbaudīti %d"}, {Other: "checked %d"}},
		"cli.sweep.changed": {{One: "mainīts %d", Other: "mainīti %d"}, {Other: "changed %d"}},
		"cli.sweep.overdue_count": {
			{One: "nokavēta %d", Other: "nokavētas %d"},
			{Other: "%d overdue"},
		},
		"cli.sweep.report_month": {
			{One: "  %s  pārbaudīta %d", Other: "  %s  pārbaudītas %d", Count: 2},
			{Other: "  %s  checked %d", Count: 2},
		},
		"cli.sweep.overdue": {
			{One: "%d personas pārbaude ir nokavēta", Other: "%d personu pārbaude ir nokavēta"},
			{One: "%d person is overdue", Other: "%d persons are overdue"},
		},
		"cli.count.persons": {
			lvWord("%d {}", "personu", "persona", "personas"),
			enWord("%d {}", "person", "persons"),
		},
		"cli.registers.rows": {
			lvWord("%d {}", "rindu", "rinda", "rindas"),
			enWord("%d {}", "row", "rows"),
		},
		"cli.registers.new":       {lvWord("%d {}", "jaunu", "jauna", "jaunas"), {Other: "%d new"}},
		"cli.registers.changed":   {lvWord("%d {}", "mainītu", "mainīta", "mainītas"), {Other: "%d changed"}},
		"cli.registers.unchanged": {{Other: "%d bez izmaiņām"}, {Other: "%d unchanged"}},
		"cli.count.days": {
			lvWord("%d {}", "dienu", "diena", "dienas"),
			enWord("%d {}", "day", "days"),
		},
		"cli.count.hours": {
			lvWord("%d {}", "stundu", "stunda", "stundas"),
			enWord("%d {}", "hour", "hours"),
		},
		"cli.count.clients": {
			lvWord("%d {}", "klientu", "klients", "klienti"),
			enWord("%d {}", "client", "clients"),
		},
		"cli.count.imk_applications": {
			lvWord("%d IMK {}", "pieteikumu", "pieteikums", "pieteikumi"),
			enWord("%d IMK {}", "application", "applications"),
		},
		"cli.count.role_requests": {
			lvWord("%d {}", "lomu pieteikumu", "lomas pieteikums", "lomu pieteikumi"),
			enWord("%d {}", "role request", "role requests"),
		},
		"cli.count.institutions": {
			lvWord("%d {}", "izglītības iestāžu", "izglītības iestāde", "izglītības iestādes"),
			enWord("%d {}", "education institution", "education institutions"),
		},
		"cli.count.platform_users": {
			lvWord("%d {}", "Platformas lietotāju", "Platformas lietotājs", "Platformas lietotāji"),
			enWord("%d {}", "Platform user", "Platform users"),
		},
		"cli.imk.checked": {
			{Zero: "Pārbaudīti %d IMK pieteikumu.", One: "Pārbaudīts %d IMK pieteikums.", Other: "Pārbaudīti %d IMK pieteikumi."},
			enWord("%d IMK {} checked.", "application", "applications"),
		},
		"cli.mail.imported": {
			{Zero: "Ielādētas %d vēstuļu.", One: "Ielādēta %d vēstule.", Other: "Ielādētas %d vēstules."},
			enWord("%d {} imported.", "message", "messages"),
		},

		// Limits the services name in their errors.
		"rolerequest.documents_too_many": {
			lvWord("Pieteikumam var pievienot ne vairāk kā %d {}.", "dokumentu", "dokumentu", "dokumentus"),
			enWord("At most %d {} can be attached to a request.", "document", "documents"),
		},
		"rolerequest.valid_until_too_far": {
			lvWord("Lomas derīguma termiņš var būt ne ilgāks par %d {}.", "gadiem", "gadu", "gadiem"),
			enWord("The role's validity may last at most %d {}.", "year", "years"),
		},
		"rolerequest.text_too_long": {
			lvWord("Teksts ir par garu (ne vairāk kā %d {}).", atMostChars...),
			enWord("The text is too long (at most %d {}).", "character", "characters"),
		},
		"rolerequest.takeover_too_early": {
			lvWord("Aģentūra var pārņemt pieteikumu, kad tas izglītības iestādē gaidījis vismaz %d {}.", "dienu", "dienu", "dienas"),
			enWord("The Agency may take a request over once it has waited at the institution for at least %d {}.", "day", "days"),
		},
		"rolerequest.search_short": {
			lvWord("Meklējot pēc vārda, ievadiet vismaz %d {}.", atMostChars...),
			enWord("To search by name, type at least %d {}.", "character", "characters"),
		},
		"terms.number_too_long": {
			lvWord("Redakcijas numurs nedrīkst būt garāks par %d {}.", longerThanChars...),
			enWord("The version number must be at most %d {} long.", "character", "characters"),
		},
		"terms.title_too_long": {
			lvWord("Nosaukums nedrīkst būt garāks par %d {}.", longerThanChars...),
			enWord("The title must be at most %d {} long.", "character", "characters"),
		},
		"terms.summary_too_long": {
			lvWord("Izmaiņu apraksts nedrīkst būt garāks par %d {}.", longerThanChars...),
			enWord("The summary of changes must be at most %d {} long.", "character", "characters"),
		},
		"terms.note_too_long": {
			lvWord("Piezīme nedrīkst būt garāka par %d {}.", longerThanChars...),
			enWord("The note must be at most %d {} long.", "character", "characters"),
		},
		"announcement.title_too_long": {
			lvWord("Virsraksts nedrīkst būt garāks par %d {}.", longerThanChars...),
			enWord("The title must be at most %d {} long.", "character", "characters"),
		},
		"announcement.body_too_long": {
			lvWord("Paziņojuma teksts nedrīkst būt garāks par %d {}.", longerThanChars...),
			enWord("The announcement's text must be at most %d {} long.", "character", "characters"),
		},
		"announcement.services_too_long": {
			lvWord("Ietekmēto pakalpojumu apraksts nedrīkst būt garāks par %d {}.", longerThanChars...),
			enWord("The services affected must be described in at most %d {}.", "character", "characters"),
		},
		"announcement.reason_too_long": {
			lvWord("Iemesls nedrīkst būt garāks par %d {}.", longerThanChars...),
			enWord("The reason must be at most %d {} long.", "character", "characters"),
		},
		"password.too_short": {
			lvWord("Parolei jābūt vismaz %d {} garai.", "simbolu", "simbolu", "simbolus"),
			enWord("The password must be at least %d {} long.", "character", "characters"),
		},
		"email.too_long": {
			lvWord("E-pasta adrese ir pārāk gara: tā nedrīkst būt garāka par %d {}.", longerThanChars...),
			enWord("The e-mail address is too long: it must not be longer than %d {}.", "character", "characters"),
		},
		"imk.policy_name_required": {
			lvWord("Norādiet politikas versijas nosaukumu (ne garāku par %d {}).", longerThanChars...),
			enWord("Give the policy version a name (at most %d {}).", "character", "characters"),
		},
		"tui.input.cut": {
			lvWord("Teksts apgriezts: laukā var būt ne vairāk kā %d {}.", atMostChars...),
			enWord("Text cut: the field takes at most %d {}.", "character", "characters"),
		},
		"tui.input.dropped": {
			lvWord("Izņemt{} (vadības, neredzamas vai bojātas).", "as %d neatļautu rakstzīmju", "a %d neatļauta rakstzīme", "as %d neatļautas rakstzīmes"),
			enWord("Removed %d disallowed {} (control, invisible or broken).", "character", "characters"),
		},
		// The limit is not declined: "līdz robežai (200)".
		"tui.input.cut_dropped": {
			lvWord("Teksts apgriezts līdz lauka garuma robežai (%[1]d); izņemt{}.", "as %[2]d neatļautu rakstzīmju", "a %[2]d neatļauta rakstzīme", "as %[2]d neatļautas rakstzīmes").counting(2),
			enWord("Text cut to the field's limit (%[1]d); %[2]d disallowed {} removed.", "character", "characters").counting(2),
		},

		"cli.serve.bad_count": {
			{Other: "%s: %q nav derīgs (vesels skaitlis no 1 līdz %d).", Count: 3},
			{Other: "%s: %q is not valid (a whole number from 1 to %d).", Count: 3},
		},
		"terms.text_too_long": {
			{Other: "Lietošanas noteikumu teksts nedrīkst būt lielāks par %d KiB."},
			{Other: "The text of the terms of use must not exceed %d KiB."},
		},
		"tui.terms.edit.too_long": {
			{Other: "Netika ievietots: teksts būtu %d KiB, bet drīkst būt ne vairāk kā %d KiB. Teksts nav mainīts."},
			{Other: "Not inserted: the text would be %d KiB, and at most %d KiB is allowed. The text is unchanged."},
		},

		// The screens.
		"tui.dash.count":       {{Other: "%d gaida"}, {Other: "%d waiting"}},
		"tui.banner.more":      {{Other: "(vēl %d)"}, {Other: "(%d more)"}},
		"tui.ops.title":        {{Other: "Aģentūras darbinieki (%d)"}, {Other: "Agency employees (%d)"}},
		"tui.ops.keys_title":   {{Other: "Darbinieka %s SSH atslēgas (%d)", Count: 2}, {Other: "SSH keys of %s (%d)", Count: 2}},
		"tui.al.count":         {{Other: "%d (slieksnis %d)"}, {Other: "%d (threshold %d)"}},
		"tui.al.detail":        {{Other: "%s: %s — %d, slieksnis %d stundā, %s–%s", Count: 3}, {Other: "%s: %s — %d, threshold %d an hour, %s–%s", Count: 3}},
		"tui.den.view.pending": {{Other: "Gaida apstiprinājumu (%d)"}, {Other: "Awaiting approval (%d)"}},
		"tui.den.history":      {{Other: "Subjekta vēsture (%d):"}, {Other: "The subject's history (%d):"}},
		"tui.den.dc.persons": {
			{One: "Personas: %d · katra jāpārbauda vismaz reizi %d dienā", Other: "Personas: %d · katra jāpārbauda vismaz reizi %d dienās", Count: 2},
			{One: "Persons: %d · each checked at least every %d day", Other: "Persons: %d · each checked at least every %d days", Count: 2},
		},
		"tui.den.dc.overdue":    {{Other: "‼ NOKAVĒTAS PĀRBAUDES: %d"}, {Other: "‼ OVERDUE CHECKS: %d"}},
		"tui.rr.dups_banner":    {{Other: "!! Iespējami dublikāti: %d — skatiet sadaļu „Dublikāti”."}, {Other: "!! Possible duplicates: %d — see “Duplicates” below."}},
		"tui.rr.sec.documents":  {{Other: "Dokumenti (%d)"}, {Other: "Documents (%d)"}},
		"tui.rr.sec.duplicates": {{Other: "Dublikāti (%d)"}, {Other: "Duplicates (%d)"}},
		// "5 no 21 zīmes", "5 no 2 000 zīmēm": the limit is counted.
		"tui.form.chars": {{One: "%d no %d zīmes", Other: "%d no %d zīmēm", Count: 2}, {Other: "%d of %d characters", Count: 2}},
		"tui.terms.diff.counts": {
			{One: "−%d / +%d rindas, %d vietā", Other: "−%d / +%d rindas, %d vietās", Count: 3},
			{One: "−%d / +%d lines in %d place", Other: "−%d / +%d lines in %d places", Count: 3},
		},
		"tui.terms.diff.skipped": {
			lvWord("⋯ %d {} ⋯", "nemainītu rindu", "nemainīta rinda", "nemainītas rindas"),
			enWord("⋯ %d unchanged {} ⋯", "line", "lines"),
		},
		"tui.terms.acc.total": {
			{One: "Akceptējuši: %d no %d lietotāja (%s)", Other: "Akceptējuši: %d no %d lietotājiem (%s)", Count: 2},
			{One: "%d of %d user has accepted (%s)", Other: "%d of %d users have accepted (%s)", Count: 2},
		},
		"tui.terms.acc.role":  {{Other: "%d no %d (%s)"}, {Other: "%d of %d (%s)"}},
		"tui.terms.edit.size": {{Other: "%d/%d KiB"}, {Other: "%d/%d KiB"}},
		"tui.terms.edit.stripped": {
			lvWord("Izņemt{}.", "as %d vadības rakstzīmju", "a %d vadības rakstzīme", "as %d vadības rakstzīmes"),
			enWord("%d control {} removed.", "character", "characters"),
		},
		"tui.ann.audience.roles": {{One: "%d lomai", Other: "%d lomām"}, enWord("%d {}", "role", "roles")},
		"tui.ann.email.queued": {
			{Zero: "rindā ielikti %d e-pastu", One: "rindā ielikts %d e-pasts", Other: "rindā ielikti %d e-pasti"},
			enWord("%d {} queued", "e-mail", "e-mails"),
		},
	})
}

// The Latvian forms of "rakstzīme" after "ne vairāk kā" or "vismaz" (the
// accusative: "1 rakstzīmi", "2 rakstzīmes", "10 rakstzīmju") and after
// "garāks par" (the dative: "1 rakstzīmi", "2 rakstzīmēm", "10
// rakstzīmēm").
var (
	atMostChars     = []string{"rakstzīmju", "rakstzīmi", "rakstzīmes"}
	longerThanChars = []string{"rakstzīmēm", "rakstzīmi", "rakstzīmēm"}
)

// lvWord returns a Latvian counted phrase: msg with "{}" replaced by the
// words for each form, given as zero, one, other.
func lvWord(msg string, words ...string) Plural {
	return Plural{
		Zero:  strings.Replace(msg, "{}", words[0], 1),
		One:   strings.Replace(msg, "{}", words[1], 1),
		Other: strings.Replace(msg, "{}", words[2], 1),
	}
}

// enWord returns an English counted phrase: msg with "{}" replaced by the
// word for one and for other.
func enWord(msg, one, other string) Plural {
	return Plural{One: strings.Replace(msg, "{}", one, 1), Other: strings.Replace(msg, "{}", other, 1)}
}

// counting returns p counting argument n.
func (p Plural) counting(n int) Plural {
	p.Count = n
	return p
}
