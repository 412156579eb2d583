package mailtmpl

// The warnings of a role's end join the others before init compiles them
// (see announcement.go).
var _ = addSources(denialSources)

// denialSources are the mails of access denial and role expiry (¶32), as
// {Latvian, English}.
var denialSources = map[string][2]source{
	// ¶32.1: a role ends when its validity runs out; its holder is warned
	// 30 and 7 days before. Data: role, valid_until, days.
	"role.expiry_warning": {
		{
			subject: `Lomas derīgums beidzas pēc {{.days}} dienām – Prasmju pārvaldības platforma`,
			body: `Labdien!

Jūsu loma Prasmju pārvaldības platformā „{{role .role}}” ir derīga līdz {{.valid_until}} (pēc {{.days}} dienām).
Pēc šī datuma piekļuve lomai tiks liegta (Lietošanas noteikumu 32.1. punkts).

Ja lomu nepieciešams saglabāt, lūdzam savlaicīgi iesniegt jaunu pieteikumu Platformas portālā.
` + signatureLV,
		},
		{
			subject: `Your role expires in {{.days}} days – Skills Management Platform`,
			body: `Hello,

Your role "{{role .role}}" on the Skills Management Platform is valid until {{.valid_until}} ({{.days}} days from now).
After that date access to the role will be denied (terms of use, clause 32.1).

If you need to keep the role, please submit a new request on the Platform portal in good time.
` + signatureEN,
		},
	},
}
