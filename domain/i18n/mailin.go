package i18n

// The command line's texts for the mail listener's configuration and the
// outbox's development mode (issue 13: mail in, secrets at rest).
func init() {
	register(map[string][2]string{
		"cli.mail.bad_allow": {
			"PPP_MAIL_ALLOW: %s; norādiet tīklus CIDR pierakstā, atdalītus ar komatiem (piemēram, 10.20.0.0/16,127.0.0.1).",
			"PPP_MAIL_ALLOW: %s; give networks in CIDR notation separated by commas (for example 10.20.0.0/16,127.0.0.1).",
		},
		"cli.mail.tls_pair": {
			"PPP_MAIL_TLS_CERT un PPP_MAIL_TLS_KEY jānorāda abi vai neviens.",
			"Set both PPP_MAIL_TLS_CERT and PPP_MAIL_TLS_KEY, or neither.",
		},
		"cli.mail.tls_load": {
			"Pasta sertifikātu (PPP_MAIL_TLS_CERT, PPP_MAIL_TLS_KEY) nevar ielādēt: %s",
			"The mail certificate (PPP_MAIL_TLS_CERT, PPP_MAIL_TLS_KEY) cannot be loaded: %s",
		},
		"cli.serve.mail_dev_mode": {
			"Uzmanību: PPP_SMTP_URL nav iestatīts, tāpēc e-pasts netiek sūtīts, bet rakstīts kā .eml datnes mapē %s. Tas ir izstrādes režīms: datnēs ir personas dati un vienreizējas paroles atjaunošanas saites un kodi.",
			"Warning: PPP_SMTP_URL is not set, so e-mail is not sent but written as .eml files to %s. This is a development mode: the files hold personal data and single-use reset links and codes.",
		},
	})
}
