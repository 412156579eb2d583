package mailtmpl

// The bulk e-mails join the others before init compiles them (see
// announcement.go).
var _ = addSources(bulkSources)

// bulkSources are the templates an operator may send to a selection of
// people at once (issue 17, "Bulk actions"; domain.BulkTemplates), as
// {Latvian, English}, each with the Platform's signature. Data: name (the
// person), message (the operator's one reason for the whole selection,
// written to the people).
var bulkSources = map[string][2]source{
	// A notice from the Agency.
	"bulk.notice": {
		{
			subject: `Paziņojums no Valsts izglītības attīstības aģentūras – Prasmju pārvaldības platforma`,
			body: `Labdien!

Cien. {{.name}},

{{.message}}
` + signatureLV,
		},
		{
			subject: `A notice from the State Education Development Agency – Skills Management Platform`,
			body: `Hello,

Dear {{.name}},

{{.message}}
` + signatureEN,
		},
	},
	// A reminder to accept the terms of use in force (¶26.2, ¶33).
	"bulk.terms_reminder": {
		{
			subject: `Lūdzam pieņemt spēkā esošos lietošanas noteikumus – Prasmju pārvaldības platforma`,
			body: `Labdien!

Cien. {{.name}},

Lai turpinātu lietot Prasmju pārvaldības platformu, lūdzam pieslēgties tai un pieņemt spēkā esošos lietošanas noteikumus.

{{.message}}
` + signatureLV,
		},
		{
			subject: `Please accept the terms of use in force – Skills Management Platform`,
			body: `Hello,

Dear {{.name}},

To go on using the Skills Management Platform, please sign in and accept the terms of use in force.

{{.message}}
` + signatureEN,
		},
	},
	// A request to check one's data (¶17.2).
	"bulk.data_check": {
		{
			subject: `Lūdzam pārbaudīt savus datus – Prasmju pārvaldības platforma`,
			body: `Labdien!

Cien. {{.name}},

Lūdzam pieslēgties Prasmju pārvaldības platformai un pārbaudīt, vai Jūsu dati ir pareizi un aktuāli.

{{.message}}
` + signatureLV,
		},
		{
			subject: `Please check your data – Skills Management Platform`,
			body: `Hello,

Dear {{.name}},

Please sign in to the Skills Management Platform and check that your data are correct and up to date.

{{.message}}
` + signatureEN,
		},
	},
}
