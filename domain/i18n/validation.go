package i18n

// Messages for the rules of domain: the password rule (¶31), personal
// codes, registration numbers (¶27.1), e-mail addresses and operator
// accounts. Keep the placeholders of both languages in step.
func init() {
	register(map[string][2]string{
		"password.weak": {
			"Parole neatbilst paroles prasībām (¶31):",
			"The password does not meet the password rules (¶31):",
		},
		"password.no_lower": {
			"Parolei jāsatur vismaz viens mazais latīņu alfabēta burts.",
			"The password must contain at least one lower-case Latin letter.",
		},
		"password.no_upper": {
			"Parolei jāsatur vismaz viens lielais latīņu alfabēta burts.",
			"The password must contain at least one upper-case Latin letter.",
		},
		"password.no_digit": {
			"Parolei jāsatur vismaz viens cipars.",
			"The password must contain at least one digit.",
		},
		"password.no_special": {
			"Parolei jāsatur vismaz viens speciālais simbols, piemēram, ! ? # vai atstarpe.",
			"The password must contain at least one special character, for example ! ? # or a space.",
		},
		"password.common": {
			"Parole satur kādu no visbiežāk lietotajām parolēm vai vārdiem (¶31.2), arī ar cipariem vai simboliem burtu vietā (P@ssw0rd) vai bez garumzīmēm.",
			"The password contains one of the most commonly used passwords or words (¶31.2), also with digits or symbols in place of letters (P@ssw0rd) or without diacritics.",
		},
		"password.contains_username": {
			"Parole nedrīkst saturēt lietotāja vārdu.",
			"The password must not contain the user name.",
		},

		"personal_code.format": {
			"Personas kodam jāsastāv no 11 cipariem (DDMMGG-CNNNN vai 3XNNNN-NNNNN).",
			"The personal code must consist of 11 digits (DDMMYY-CNNNN or 3XNNNN-NNNNN).",
		},
		"personal_code.century": {
			"Personas koda septītajam ciparam (gadsimtam) jābūt 0, 1 vai 2.",
			"The seventh digit of the personal code (the century) must be 0, 1 or 2.",
		},
		"personal_code.date": {
			"Personas kodā ir neiespējams dzimšanas datums.",
			"The personal code contains an impossible birth date.",
		},
		"personal_code.checksum": {
			"Personas koda kontrolcipars nav pareizs. Pārbaudiet, vai kods ievadīts bez kļūdām.",
			"The check digit of the personal code is wrong. Check that the code was typed correctly.",
		},

		"company_reg.format": {
			"Uzņēmuma reģistrācijas numuram jāsastāv no 11 cipariem.",
			"The company registration number must consist of 11 digits.",
		},
		"company_reg.checksum": {
			"Uzņēmuma reģistrācijas numurs nav derīgs: nesakrīt kontrolcipars. Pārbaudiet, vai numurs ievadīts bez kļūdām.",
			"The company registration number is not valid: its check digit does not match. Check that the number was typed correctly.",
		},
		"institution_reg.format": {
			"Izglītības iestādes reģistrācijas numuram jāsastāv no 10 cipariem.",
			"The education institution registration number must consist of 10 digits.",
		},

		"email.required": {
			"Norādiet e-pasta adresi.",
			"Enter an e-mail address.",
		},
		"email.format": {
			"E-pasta adrese nav derīga. Norādiet vienu adresi, piemēram, vards.uzvards@viaa.gov.lv.",
			"The e-mail address is not valid. Enter a single address, for example name.surname@viaa.gov.lv.",
		},

		"role.unknown": {
			"Nezināma loma „%s”. Iespējamās lomas: reviewer, helpdesk, security, editor, admin.",
			"Unknown role “%s”. The roles are: reviewer, helpdesk, security, editor, admin.",
		},
		"role.none": {
			"Jānorāda vismaz viena loma.",
			"At least one role is required.",
		},
		"operator.bad_name": {
			"Nederīgs lietotāja vārds „%s”. Tam jābūt 2–32 rakstzīmes garam, jāsākas ar burtu un jāsatur tikai mazie latīņu burti, cipari un zīmes „.”, „_” vai „-”.",
			"Invalid user name “%s”: it must be 2–32 characters long, use only lower-case Latin letters, digits, “.”, “_” and “-”, and start with a letter.",
		},
	})
}
