package mailtmpl

// The mails of sanction cases against an education institution (¶32.5,
// ¶32.7): a warning, a suspension taking effect and ending, a denial
// taking effect and lifted. An institution is written to at its address,
// in Latvian with English below, like a denial's subject (denial_effects.go).
// Data: case (its number), clause ("32.5"), institution (its name), and
// note (the step's reason), since, until, ended as each mail names them.
var _ = addSources(sanctionSources)

var sanctionSources = map[string][2]source{
	"sanction.warning": {
		{subject: `Brīdinājums / Warning – Prasmju pārvaldības platforma`, body: bilingual(sanctionWarningLV, sanctionWarningEN)},
		{subject: `Warning – Skills Management Platform`, body: sanctionWarningEN + signatureEN},
	},
	"sanction.suspended": {
		{subject: `Piekļuve Platformai apturēta / Access to the Platform suspended – Prasmju pārvaldības platforma`, body: bilingual(sanctionSuspendedLV, sanctionSuspendedEN)},
		{subject: `Access to the Platform suspended – Skills Management Platform`, body: sanctionSuspendedEN + signatureEN},
	},
	"sanction.suspension_ended": {
		{subject: `Piekļuves apturēšana beigusies / Suspension ended – Prasmju pārvaldības platforma`, body: bilingual(sanctionSuspensionEndedLV, sanctionSuspensionEndedEN)},
		{subject: `Suspension ended – Skills Management Platform`, body: sanctionSuspensionEndedEN + signatureEN},
	},
	"sanction.denied": {
		{subject: `Piekļuve Platformai liegta / Access to the Platform denied – Prasmju pārvaldības platforma`, body: bilingual(sanctionDeniedLV, sanctionDeniedEN)},
		{subject: `Access to the Platform denied – Skills Management Platform`, body: sanctionDeniedEN + signatureEN},
	},
	"sanction.denial_lifted": {
		{subject: `Piekļuve Platformai atjaunota / Access to the Platform restored – Prasmju pārvaldības platforma`, body: bilingual(sanctionLiftedLV, sanctionLiftedEN)},
		{subject: `Access to the Platform restored – Skills Management Platform`, body: sanctionLiftedEN + signatureEN},
	},
}

const (
	sanctionContactLV = `Jautājumus un iebildumus lūdzam sūtīt Valsts izglītības attīstības aģentūrai uz stars@viaa.gov.lv vai zvanīt +371 67359075 (Lietošanas noteikumu 25. punkts), norādot lietas numuru {{.case}}.`
	sanctionContactEN = `Please send questions and objections to the State Education Development Agency at stars@viaa.gov.lv or call +371 67359075 (terms of use, clause 25), quoting case number {{.case}}.`

	sanctionWarningLV = `Labdien!

{{.since}} Valsts izglītības attīstības aģentūra izteica brīdinājumu izglītības iestādei „{{.institution}}” (lieta nr. {{.case}}; Lietošanas noteikumu {{.clause}}. punkts: {{ground "lv" .clause}}).

Iemesls: {{.note}}

Ja pārkāpums turpināsies, Aģentūra var uz laiku apturēt iestādes lietotāju piekļuvi Platformai un pēc tam to liegt (Lietošanas noteikumu 32. punkts).

` + sanctionContactLV + `
`
	sanctionWarningEN = `Hello,

On {{.since}} the State Education Development Agency warned the education institution "{{.institution}}" (case number {{.case}}; terms of use, clause {{.clause}}: {{ground "en" .clause}}).

Reason: {{.note}}

If it continues, the Agency may suspend the access of the institution's users to the Platform for a period and then deny it (terms of use, clause 32).

` + sanctionContactEN + `
`
	sanctionSuspendedLV = `Labdien!

No {{.since}} līdz {{.until}} izglītības iestādes „{{.institution}}” lietotāju piekļuve Prasmju pārvaldības platformai ir apturēta (lieta nr. {{.case}}; Lietošanas noteikumu {{.clause}}. punkts: {{ground "lv" .clause}}).

Iemesls: {{.note}}

Šajā laikā iestādes lietotāji nevar pieteikties Platformā, un viņu lomas ir apturētas. Apturēšana beigsies pati {{.until}}. Ja pārkāpums turpināsies, Aģentūra var piekļuvi liegt.

` + sanctionContactLV + `
`
	sanctionSuspendedEN = `Hello,

From {{.since}} until {{.until}} the access of the users of the education institution "{{.institution}}" to the Skills Management Platform is suspended (case number {{.case}}; terms of use, clause {{.clause}}: {{ground "en" .clause}}).

Reason: {{.note}}

Meanwhile the institution's users cannot sign in to the Platform and their roles are suspended. The suspension ends by itself on {{.until}}. If it continues, the Agency may deny access.

` + sanctionContactEN + `
`
	sanctionSuspensionEndedLV = `Labdien!

{{.ended}} beigusies izglītības iestādes „{{.institution}}” piekļuves apturēšana, kas bija spēkā kopš {{.since}} (lieta nr. {{.case}}; Lietošanas noteikumu {{.clause}}. punkts). Iestādes lietotāji atkal var pieteikties Platformā, un viņu lomas, ko apturēšana bija apturējusi, atkal ir spēkā.

` + sanctionContactLV + `
`
	sanctionSuspensionEndedEN = `Hello,

On {{.ended}} the suspension of the access of the education institution "{{.institution}}", in force since {{.since}}, ended (case number {{.case}}; terms of use, clause {{.clause}}). The institution's users can sign in to the Platform again, and their roles that the suspension had suspended are in force again.

` + sanctionContactEN + `
`
	sanctionDeniedLV = `Labdien!

{{.since}} izglītības iestādes „{{.institution}}” lietotājiem liegta piekļuve Prasmju pārvaldības platformai (lieta nr. {{.case}}; Lietošanas noteikumu {{.clause}}. punkts: {{ground "lv" .clause}}).

Iemesls: {{.note}}

Kamēr liegums ir spēkā, iestādes lietotāji nevar pieteikties Platformā, un viņu lomas ir apturētas.

` + sanctionContactLV + `
`
	sanctionDeniedEN = `Hello,

On {{.since}} the users of the education institution "{{.institution}}" were denied access to the Skills Management Platform (case number {{.case}}; terms of use, clause {{.clause}}: {{ground "en" .clause}}).

Reason: {{.note}}

While the denial is in force the institution's users cannot sign in to the Platform and their roles are suspended.

` + sanctionContactEN + `
`
	sanctionLiftedLV = `Labdien!

{{.ended}} atcelts izglītības iestādes „{{.institution}}” piekļuves liegums, kas bija spēkā kopš {{.since}} (lieta nr. {{.case}}; Lietošanas noteikumu {{.clause}}. punkts). Iestādes lietotāji atkal var pieteikties Platformā, un viņu lomas, ko liegums bija apturējis, atkal ir spēkā.

` + sanctionContactLV + `
`
	sanctionLiftedEN = `Hello,

On {{.ended}} the denial of access of the education institution "{{.institution}}", in force since {{.since}}, was lifted (case number {{.case}}; terms of use, clause {{.clause}}). The institution's users can sign in to the Platform again, and their roles that the denial had suspended are in force again.

` + sanctionContactEN + `
`
)
