package i18n

// The command line's texts for mail in: `ppp mail import`.
func init() {
	register(map[string][2]string{
		"cli.help.mail": {
			`ppp mail import DATNE|MAPE

Ielādē e-pasta vēstules uz stars@viaa.gov.lv kā palīdzības dienesta pieteikumus: .eml datni,
mbox datni vai mapi ar .eml datnēm. Jau saglabātas vēstules (tas pats Message-ID) netiek
saglabātas atkārtoti. Vēstules no pasta servera pieņem ppp serve, ja iestatīts PPP_MAIL_ADDR,
tikai no PPP_MAIL_ALLOW tīkliem (pēc noklusējuma tikai no šī datora).`,
			`ppp mail import FILE|DIR

Loads e-mail sent to stars@viaa.gov.lv as helpdesk tickets: a .eml file, an mbox file or a
folder of .eml files. Messages stored already (same Message-ID) are not stored again.
ppp serve accepts mail from the mail server when PPP_MAIL_ADDR is set, only from the
networks in PPP_MAIL_ALLOW (by default, this machine only).`,
		},
		"cli.mail.failed": {"Dažas vēstules netika ielādētas (skatiet iepriekš).", "Some messages were not imported (see above)."},
	})
}
