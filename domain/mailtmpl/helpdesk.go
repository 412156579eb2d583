package mailtmpl

import "github.com/viaa/ppp/domain"

// The helpdesk's replies and the password-reset mails (¶14, ¶31.3) join
// the others before init compiles them (see announcement.go).
var _ = addSources(helpdeskSources)

// helpdeskSources are the helpdesk's mails, as {Latvian, English}.
var helpdeskSources = map[string][2]source{
	// A reply from a ticket. Data: subject (of the ticket), text (the
	// operator's words).
	"helpdesk.reply": {
		{
			subject: `Re: {{.subject}}`,
			body: `Labdien!

Atbildam uz Jūsu vēstuli „{{.subject}}”.

{{.text}}
` + signatureLV,
		},
		{
			subject: `Re: {{.subject}}`,
			body: `Hello,

This is our answer to your message "{{.subject}}".

{{.text}}
` + signatureEN,
		},
	},
	// A single-use password-reset link (¶31.3). Data: link, minutes.
	"helpdesk.reset_link": {
		{
			subject: `Paroles atjaunošana – Prasmju pārvaldības platforma`,
			body: `Labdien!

Saņēmām lūgumu atjaunot Jūsu paroli Prasmju pārvaldības platformā.
Lai iestatītu jaunu paroli, atveriet šo saiti:

{{.link}}

Saite ir derīga {{.minutes}} minūtes, un to var izmantot tikai vienu reizi.
Ja paroles atjaunošanu neesat lūdzis, šo vēstuli varat neņemt vērā – Jūsu parole netiks mainīta.
` + signatureLV,
		},
		{
			subject: `Password reset – Skills Management Platform`,
			body: `Hello,

We received a request to reset your password on the Skills Management Platform.
To set a new password, open this link:

{{.link}}

The link works for {{.minutes}} minutes and only once.
If you did not ask for a password reset, you can ignore this message – your password will not change.
` + signatureEN,
		},
	},
	// ¶14: people who sign in through Latvija.gov.lv have no Platform
	// password to reset.
	"helpdesk.no_password": {
		{
			subject: `Pieteikšanās Prasmju pārvaldības platformā`,
			body: `Labdien!

Prasmju pārvaldības platformā Jūs piesakāties caur portālu Latvija.gov.lv ar kādu no tā autentifikācijas
līdzekļiem – eParaksts mobile, personas apliecību (eID karti), kvalificētu Smart-ID vai citas ES
valsts elektroniskās identifikācijas līdzekli (eIDAS) –, tāpēc Platformā Jums nav atsevišķas paroles,
ko atjaunot (Lietošanas noteikumu 14. punkts). Ja pieteikties neizdodas, pārbaudiet, vai Jūsu
autentifikācijas līdzeklis ir derīgs (eParaksts mobile un eID kartei – eparaksts.lv, Smart-ID –
smart-id.com), vai zvaniet mums ` + domain.HelpdeskPhone + ` (` + domain.HelpdeskHoursLV + `).
` + signatureLV,
		},
		{
			subject: `Signing in to the Skills Management Platform`,
			body: `Hello,

You sign in to the Skills Management Platform through the Latvija.gov.lv portal with one of its means
of authentication – eParaksts mobile, an identity card (eID card), a qualified Smart-ID or another EU
country's electronic identification (eIDAS) – so you have no separate Platform password to reset
(terms of use, clause 14). If signing in fails, check that your means of authentication is valid
(eParaksts mobile and eID cards: eparaksts.lv; Smart-ID: smart-id.com), or call us on
` + domain.HelpdeskPhone + ` (` + domain.HelpdeskHoursEN + `).
` + signatureEN,
		},
	},
	// A reset that cannot be issued to the sender. It never says whether
	// an account exists.
	"helpdesk.reset_refused": {
		{
			subject: `Paroles atjaunošana – Prasmju pārvaldības platforma`,
			body: `Labdien!

Paroles atjaunošanas saiti varam nosūtīt tikai uz e-pasta adresi, kas ir apstiprināta Platformas kontā.
Lūdzam rakstīt no šīs adreses. Ja tai vairs nepiekļūstat, lūdzam vērsties pie savas izglītības iestādes
Platformas lietotāju pārvaldītāja.
` + signatureLV,
		},
		{
			subject: `Password reset – Skills Management Platform`,
			body: `Hello,

We can send a password-reset link only to the e-mail address confirmed for a Platform account.
Please write from that address. If you can no longer use it, please contact the person who manages
your education institution's Platform users.
` + signatureEN,
		},
	},
	// An operator's one-time sign-in code. Data: code, minutes.
	"operator.reset_code": {
		{
			subject: `Vienreizējs pieteikšanās kods – PPP administrēšanas rīks`,
			body: `Labdien!

Jūsu vienreizējais pieteikšanās kods: {{.code}}

Kods ir derīgs {{.minutes}} minūtes un izmantojams vienu reizi. Pēc pieteikšanās ar to Jums būs jāiestata jauna parole.
Ja kodu neesat lūdzis, lūdzam nekavējoties informēt drošības speciālistu.
` + signatureLV,
		},
		{
			subject: `One-time sign-in code – PPP back office`,
			body: `Hello,

Your one-time sign-in code: {{.code}}

The code works for {{.minutes}} minutes and only once. After signing in with it you must set a new password.
If you did not ask for a code, please tell the security officer at once.
` + signatureEN,
		},
	},
}
