package i18n

// The messages of issue 15's audit trail: checkpoints anchored outside
// the database, verification that resumes, and searches at scale.
func init() {
	register(map[string][2]string{
		"cli.help.audit": {
			`ppp audit verify [--full] [--checkpoints DATNE [--pubkey DATNE]]
ppp audit checkpoint
ppp audit keygen DATNE

verify      pārbauda audita žurnāla ķēdi: izejas kods 0, ja tā ir vesela; citādi nosauc pirmo problēmu.
            Turpina pēc ieraksta, kurā beidzās pēdējā sekmīgā pārbaude (pārliecinoties, ka tam joprojām ir
            toreizējais jaucējs); --full pārrēķina visu ķēdi no pirmā ieraksta.
            --checkpoints DATNE: pārbauda katra kontrolpunkta parakstu un to, ka ķēdei šajā ierakstā joprojām
            ir parakstītais jaucējs (pārrēķinot no pirmā ieraksta); ziņo par katru viltotu rindu, par
            pārrakstītu ierakstu līdz jaunākajam kontrolpunktam un par izdzēstiem ierakstiem.
            Publiskā atslēga: --pubkey, PPP_AUDIT_PUBKEY_FILE vai PPP_AUDIT_KEY_FILE.
checkpoint  pārbauda ķēdi un tūlīt ieraksta parakstītu kontrolpunktu (PPP_AUDIT_KEY_FILE) failā
            PPP_AUDIT_CHECKPOINTS un nosūta to uz PPP_AUDIT_CHECKPOINT_SYSLOG, kā serveris to dara ik stundu.
keygen      izveido Ed25519 atslēgu DATNE (režīms 0600; glabājiet to serverī, nekad datubāzē) un DATNE.pub.`,
			`ppp audit verify [--full] [--checkpoints FILE [--pubkey FILE]]
ppp audit checkpoint
ppp audit keygen FILE

verify      checks the audit log's chain: exit 0 when intact; otherwise names the first problem.
            Resumes after the entry where the last successful verification ended (once that entry is
            seen to have the hash it had then); --full recomputes the chain from the first entry.
            --checkpoints FILE: checks each checkpoint's signature, and that the chain still has the
            hash signed at that entry (recomputing from the first entry); reports every forged line,
            a rewrite of any entry up to the newest checkpoint, and removed entries.
            Public key: --pubkey, PPP_AUDIT_PUBKEY_FILE or PPP_AUDIT_KEY_FILE.
checkpoint  verifies the chain and writes a signed checkpoint now (PPP_AUDIT_KEY_FILE) to the file
            PPP_AUDIT_CHECKPOINTS and sends it to PPP_AUDIT_CHECKPOINT_SYSLOG, as the server does every hour.
keygen      makes an Ed25519 key FILE (mode 0600; keep it on the server, never in the database) and FILE.pub.`,
		},
		"cli.audit.resumed": {
			"Turpināts pēc ieraksta #%d, kas pārbaudīts %s: pārrēķināti %d jauni ieraksti.",
			"Resumed after entry #%d, verified on %s: %d new entries recomputed.",
		},
		"cli.audit.agrees": {
			"Žurnāls atbilst %d kontrolpunktiem no %s; jaunākais aptver ierakstu #%d (%s).",
			"The log agrees with %d checkpoints of %s; the newest covers entry #%d (%s).",
		},
		"cli.audit.contradicts": {
			"audita žurnāls neatbilst ieraksta #%d kontrolpunktam (%s, %s %d. rinda): tā jaucējs tagad ir cits, tātad pārrakstīts ir kāds ieraksts pēc #%d",
			"the audit log contradicts the checkpoint of entry #%d (%s, %s line %d): its hash there is now another, so an entry after #%d was rewritten",
		},
		"cli.audit.truncated": {
			"audita žurnāls beidzas ar ierakstu #%d, bet kontrolpunkts (%s, %s %d. rinda) aptver ierakstu #%d: ieraksti ir izdzēsti",
			"the audit log ends at entry #%d, but the checkpoint taken %s (%s line %d) covers entry #%d: entries were removed",
		},
		"cli.audit.line_not_checkpoint": {
			"%s %d. rinda nav audita kontrolpunkts",
			"%s line %d is not an audit checkpoint",
		},
		"cli.audit.line_other_key": {
			"%s %d. rindu parakstījusi cita atslēga (%s, ne %s)",
			"%s line %d is signed by another key (%s, not %s)",
		},
		"cli.audit.line_forged": {
			"%s %d. rinda (ieraksts #%d): paraksts neatbilst — rinda ir viltota vai mainīta",
			"%s line %d (entry #%d): the signature does not match — the line was forged or altered",
		},
		"cli.audit.forged": {
			"%d rindas no %s nav derīgi kontrolpunkti (skatiet augstāk)",
			"%d lines of %s are not valid checkpoints (see above)",
		},
		"cli.audit.no_checkpoints": {"%s nav neviena kontrolpunkta", "%s holds no checkpoint"},
		"cli.audit.no_pubkey": {
			"kontrolpunktu pārbaudei vajag publisko atslēgu: --pubkey DATNE, PPP_AUDIT_PUBKEY_FILE vai PPP_AUDIT_KEY_FILE",
			"checking checkpoints needs the public key: --pubkey FILE, PPP_AUDIT_PUBKEY_FILE or PPP_AUDIT_KEY_FILE",
		},
		"cli.audit.no_key": {
			"PPP_AUDIT_KEY_FILE nav iestatīts: nav atslēgas, ar ko parakstīt kontrolpunktu (izveidojiet ar ppp audit keygen DATNE)",
			"PPP_AUDIT_KEY_FILE is not set: there is no key to sign a checkpoint with (make one with ppp audit keygen FILE)",
		},
		"cli.audit.keygen": {
			"Ierakstīts %s (paraksta atslēga: glabājiet serverī ar režīmu 0600, nekad datubāzē; PPP_AUDIT_KEY_FILE) un %s (pārbaudei; PPP_AUDIT_PUBKEY_FILE). Atslēgas ID: %s.",
			"Wrote %s (the signing key: keep it on the server, mode 0600, never in the database; PPP_AUDIT_KEY_FILE) and %s (for checking; PPP_AUDIT_PUBKEY_FILE). Key id: %s.",
		},
		"cli.audit.bad_every": {
			"PPP_AUDIT_CHECKPOINT_EVERY jābūt ilgumam, vismaz 1s (piemēram 1h, 15m), nevis %q",
			"PPP_AUDIT_CHECKPOINT_EVERY must be a duration of at least 1s (such as 1h, 15m), not %q",
		},
		"cli.serve.no_checkpoints": {
			"Brīdinājums: PPP_AUDIT_KEY_FILE nav iestatīts, tāpēc audita ķēdes kontrolpunkti ārpus datubāzes netiek rakstīti; datubāzes administrators var nepamanīti pārrakstīt žurnālu (skatiet README sadaļu Security).",
			"Warning: PPP_AUDIT_KEY_FILE is not set, so no checkpoints of the audit chain are kept outside the database; a database administrator could rewrite the log unnoticed (see the README's Security section).",
		},
		"audit.search_short": {
			"Meklējiet audita žurnālā vismaz %d rakstzīmes.",
			"Search the audit log for at least %d characters.",
		},
		"audit.checkpoint_malformed": {
			"Tā nav audita kontrolpunkta rinda.",
			"That is not an audit checkpoint line.",
		},
		"audit.key_mode": {
			"Audita atslēgu %s var lasīt citi (režīms %04o): izpildiet chmod 600.",
			"The audit key %s may be read by others (mode %04o): chmod 600 it.",
		},
		"audit.key_unreadable": {
			"Nevar nolasīt audita atslēgu %s: %v.",
			"Cannot read the audit key %s: %v.",
		},
		"audit.key_not_ed25519": {
			"%s nav Ed25519 atslēga.",
			"%s is not an Ed25519 key.",
		},
		"audit.key_exists": {
			"%s jau pastāv; jauna atslēga nekad neaizstāj esošu.",
			"%s exists already; a new key never replaces one.",
		},
		"audit.key_unwritable": {
			"Nevar ierakstīt %s: %v.",
			"Cannot write %s: %v.",
		},
		"audit.checkpoint_file": {
			"Nevar ierakstīt audita kontrolpunktus failā %s: %v.",
			"Cannot write the audit checkpoints to %s: %v.",
		},
		"audit.checkpoint_unreadable": {
			"Nevar nolasīt audita kontrolpunktus failā %s: %v.",
			"Cannot read the audit checkpoints in %s: %v.",
		},
		"audit.checkpoint_unverified": {
			"Audita žurnāla pārbaude neizdodas, sākot ar ierakstu #%d (%s): kontrolpunkts netika parakstīts.",
			"The audit log does not verify from entry #%d (%s): no checkpoint was signed.",
		},
		"audit.syslog_url": {
			"PPP_AUDIT_CHECKPOINT_SYSLOG jābūt udp://RESURSDATORS:PORTS, tcp://RESURSDATORS:PORTS vai unix:///CEĻŠ, nevis %q.",
			"PPP_AUDIT_CHECKPOINT_SYSLOG must be udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH, not %q.",
		},
		"audit.syslog_unreachable": {
			"Nevar sasniegt syslog serveri %v.",
			"Cannot reach the syslog server %v.",
		},
	})
}
