package mailtmpl

// The notices of issue 9: every issued password reset and every change of
// an account's e-mail address is told to the previous and the current
// address.
var _ = addSources(defenceSources)

// defenceSources are the notices, as {Latvian, English}.
var defenceSources = map[string][2]source{
	// A password reset was issued. Data: at (when).
	"account.reset_notice": {
		{
			subject: `Paroles atjaunošana – Prasmju pārvaldības platforma`,
			body: `Labdien!

{{.at}} Jūsu Platformas kontam tika izsniegta paroles atjaunošana.
Ja to neesat lūdzis, lūdzam nekavējoties rakstīt uz stars@viaa.gov.lv.
` + signatureLV,
		},
		{
			subject: `Password reset – Skills Management Platform`,
			body: `Hello,

A password reset was issued for your Platform account at {{.at}}.
If this was not you, write to stars@viaa.gov.lv at once.
` + signatureEN,
		},
	},
	// The account's e-mail address was changed. Data: old_address,
	// new_address, at.
	"account.email_changed": {
		{
			subject: `E-pasta adreses maiņa – Prasmju pārvaldības platforma`,
			body: `Labdien!

{{.at}} Jūsu Platformas konta e-pasta adrese tika nomainīta no {{.old_address}} uz {{.new_address}}.
Ja to neesat lūdzis, lūdzam nekavējoties rakstīt uz stars@viaa.gov.lv.
` + signatureLV,
		},
		{
			subject: `E-mail address changed – Skills Management Platform`,
			body: `Hello,

At {{.at}} the e-mail address of your Platform account was changed from {{.old_address}} to {{.new_address}}.
If this was not you, write to stars@viaa.gov.lv at once.
` + signatureEN,
		},
	},
}
