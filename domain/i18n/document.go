package i18n

// Messages of `ppp document get`: a reviewer saves the file of a role
// request's document that the portal sent (issue 15).
func init() {
	register(map[string][2]string{
		"cli.help.document": {
			`ppp document get PIETEIKUMA_ID NR FAILS --as OPERATORS [--password-stdin]

Saglabā pieteikuma dokumenta NR (1, 2, …) failu, kā to atsūtīja portāls, failā FAILS (tikai īpašniekam
lasāms; esošu failu nepārraksta), pārbaudot to pret saglabāto SHA-256. To dara recenzents ar savu paroli;
apskate tiek ierakstīta auditā kā atvēršana ekrānā.`,
			`ppp document get REQUEST_ID N FILE --as OPERATOR [--password-stdin]

Saves the file of the request's document N (1, 2, …), as the portal sent it, to FILE (readable by its
owner alone; an existing file is never overwritten), checked against the SHA-256 kept with it. A
reviewer does it with their password; the look is audited like opening it on a screen.`,
		},
		"cli.document.bad_id":       {"%q nav pieteikuma numurs", "%q is not a request number"},
		"cli.document.bad_position": {"%q nav dokumenta kārtas numurs (1, 2, …)", "%q is not a document's number (1, 2, …)"},
		"cli.document.no_file":      {"šim dokumentam ir saglabāti tikai dati par to, ne fails", "only the facts of this document are kept, not its file"},
		"cli.document.hash_mismatch": {
			"dokumenta fails neatbilst tā SHA-256: nekas netika saglabāts; ziņojiet drošības dienestam",
			"the document's file does not match its SHA-256: nothing was saved; tell the security officers",
		},
		"cli.document.exists": {"%s jau ir: izvēlieties citu faila nosaukumu", "%s exists already: choose another file name"},
	})
	registerCounted(map[string][2]Plural{
		"cli.document.saved": {
			lvWord("Saglabāts %[1]s (%[2]d {}, SHA-256 %[3]s) failā %[4]s.", "baitu", "baits", "baiti").counting(2),
			enWord("Saved %[1]s (%[2]d {}, SHA-256 %[3]s) to %[4]s.", "byte", "bytes").counting(2),
		},
	})
}
