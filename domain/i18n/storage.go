package i18n

// Messages of the errors the storage layer returns: accounts, keys,
// sign-in, the audit log and the database connection.
func init() {
	register(map[string][2]string{
		"operator.not_found": {
			"Operators „%s” nav atrasts.",
			"No operator “%s”.",
		},
		"operator.bad_full_name": {
			"Pilnajā vārdā ir neatļautas rakstzīmes (vadības rakstzīmes, neredzamas virziena zīmes vai bojāts UTF-8).",
			"The full name holds characters that are not allowed (control characters, invisible direction marks or broken UTF-8).",
		},
		"operator.name_taken": {
			"Operators ar šādu lietotāja vārdu jau ir.",
			"An operator with this user name exists already.",
		},
		"operator.bad_language": {
			"Nezināma valoda „%s”. Iespējamās valodas: lv, en.",
			"Unknown language “%s”. The languages are: lv, en.",
		},
		"operator.bad_key": {
			"Tā nav SSH publiskā atslēga. Norādiet vienu atslēgu authorized_keys formā, piemēram, „ssh-ed25519 AAAA… komentārs”.",
			"That is not an SSH public key. Give one key in authorized_keys form, for example “ssh-ed25519 AAAA… comment”.",
		},
		"operator.weak_key": {
			"Atslēga ir par vāju: DSA atslēgas netiek pieņemtas, RSA atslēgām jābūt vismaz 2048 bitu garām. Izmantojiet Ed25519 atslēgu.",
			"The key is too weak: DSA keys are not accepted and RSA keys need at least 2048 bits. Use an Ed25519 key.",
		},
		"operator.key_taken": {
			"Šī atslēga jau ir reģistrēta.",
			"This key is registered already.",
		},
		"operator.key_not_found": {
			"Operatoram nav atslēgas %s.",
			"The operator has no key %s.",
		},
		"storage.bad_text": {
			"Tekstā ir rakstzīmes, ko nevar saglabāt (NUL baits vai bojāts UTF-8 kodējums). Ierakstiet tekstu vēlreiz bez tām.",
			"The text holds characters that cannot be stored (a NUL byte or broken UTF-8). Type the text again without them.",
		},
		"storage.too_long": {
			"Vērtība ir pārāk gara, lai to saglabātu. Saīsiniet to.",
			"A value is too long to be stored. Shorten it.",
		},
		"auth.failed": {
			"Pieteikšanās neizdevās.",
			"Sign-in failed.",
		},
		"audit.no_action": {
			"Audita ierakstam jānorāda darbība.",
			"An audit entry needs an action.",
		},
		"db.bad_url": {
			"Datubāzes savienojuma URL nav derīgs.",
			"The database connection URL is malformed.",
		},
	})
}
