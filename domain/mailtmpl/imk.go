package mailtmpl

// The IMK decisions' templates join the others before init compiles them
// (see announcement.go).
var _ = addSources(imkSources)

// The automatic rejection reasons are the failed rules' codes, "imk.rule."
// and the rule; reason translates them, and leaves a reviewer's own words
// alone.
var _ = addReasons(map[string][2]string{
	"imk.rule.alive":        {"Fizisko personu reģistrā persona ir reģistrēta kā mirusi", "the Population Register records the person as deceased"},
	"imk.rule.age":          {"persona neatbilst programmas vecuma prasībai", "the person does not meet the programme's age requirement"},
	"imk.rule.residence":    {"personai nav deklarētās dzīvesvietas Latvijā", "the person has no declared residence in Latvia"},
	"imk.rule.employment":   {"pārbaudes dienā persona nav nodarbināta vai pašnodarbināta (VID dati)", "the person is not employed or self-employed on the check date (VID data)"},
	"imk.rule.no_other_imk": {"personai jau ir aktīvs individuālais mācību konts (IMK)", "the person has an active individual learning account (IMK) already"},
	"imk.rule.studying":     {"persona pašlaik mācās (VIIS dati)", "the person is currently studying (VIIS data)"},
})

// addReasons adds translations of rejection reasons; a code defined twice
// is a programming error.
func addReasons(more map[string][2]string) bool {
	for code, names := range more {
		if _, dup := reasonNames[code]; dup {
			panic("mailtmpl: duplicate reason " + code)
		}
		reasonNames[code] = names
	}
	return true
}

// The mails of an automatic decision (¶26.4, GDPR Art. 22) state the
// rules that decided, with the register data they rest on (rules: lines
// the catalog words, see i18n.Catalog.IMKDecisionRules), and how to ask
// that a person review it: reply to the mail, write to contact (the
// Agency's address), or ask on the portal (portal: its address) naming
// the application (id). Data: name, rules, id, contact, portal; reason
// for a rejection too.
var _ = addSources(imkAutoSources)

var imkAutoSources = map[string][2]source{
	"imk.auto_approved": {
		{
			subject: `Individuālais mācību konts (IMK) apstiprināts automātiski – Prasmju pārvaldības platforma`,
			body: `Labdien!

{{.name}}, Jūsu pieteikums Nr. {{.id}} individuālā mācību konta (IMK) atvēršanai ir apstiprināts automātiski: mērķa grupas atbilstības pārbaudi veica Platforma pēc valsts reģistru datiem, bez cilvēka līdzdalības.

Lēmumu noteica šie noteikumi un dati:
{{.rules}}
` + askLV + `
Mācību piedāvājumu varat izvēlēties Platformas portālā.
` + signatureLV,
		},
		{
			subject: `Individual learning account (IMK) approved automatically – Skills Management Platform`,
			body: `Hello,

{{.name}}, your application No. {{.id}} for an individual learning account (IMK) has been approved automatically: the Platform checked the target group against the state registers' data, with no person involved.

The decision rests on these rules and data:
{{.rules}}
` + askEN + `
You can choose your courses on the Platform portal.
` + signatureEN,
		},
	},
	"imk.auto_rejected": {
		{
			subject: `Individuālais mācību konts (IMK) netika apstiprināts (automātisks lēmums) – Prasmju pārvaldības platforma`,
			body: `Labdien!

{{.name}}, Jūsu pieteikums Nr. {{.id}} individuālā mācību konta (IMK) atvēršanai netika apstiprināts. Lēmumu pieņēma Platforma automātiski pēc valsts reģistru datiem, bez cilvēka līdzdalības.
Iemesls: {{reason .reason}}

Lēmumu noteica šie noteikumi un dati:
{{.rules}}
` + askLV + signatureLV,
		},
		{
			subject: `Individual learning account (IMK) not approved (automatic decision) – Skills Management Platform`,
			body: `Hello,

{{.name}}, your application No. {{.id}} for an individual learning account (IMK) was not approved. The Platform decided automatically from the state registers' data, with no person involved.
Reason: {{reason .reason}}

The decision rests on these rules and data:
{{.rules}}
` + askEN + signatureEN,
		},
	},
}

// askLV and askEN say how to ask a person to review an automatic decision
// (GDPR Art. 22).
const (
	askLV = `
Jums ir tiesības lūgt, lai lēmumu pārskata cilvēks (VDAR 22. pants), un izteikt savu viedokli: atbildiet uz šo vēstuli, rakstiet uz {{.contact}} (norādot pieteikuma Nr. {{.id}}) vai lūdziet pārskatīšanu Platformas portālā {{.portal}}. Pieteikumu tad izskatīs VIAA darbinieks.
`
	askEN = `
You have the right to ask for a person to review this decision (GDPR Art. 22) and to give your view: reply to this e-mail, write to {{.contact}} (naming application No. {{.id}}) or ask for a review on the Platform portal {{.portal}}. A VIAA officer will then review your application.
`
)

// imkSources are the mails of a reviewer's decision on an application
// (¶26.4), as {Latvian, English}. Data: name, reason.
var imkSources = map[string][2]source{
	"imk.approved": {
		{
			subject: `Individuālais mācību konts (IMK) apstiprināts – Prasmju pārvaldības platforma`,
			body: `Labdien!

{{.name}}, Jūsu pieteikums individuālā mācību konta (IMK) atvēršanai ir izskatīts: mērķa grupas atbilstības pārbaude ir sekmīga, un IMK ir apstiprināts.
{{if .reason}}Piezīme: {{reason .reason}}
{{end}}
Mācību piedāvājumu varat izvēlēties Platformas portālā.
` + signatureLV,
		},
		{
			subject: `Individual learning account (IMK) approved – Skills Management Platform`,
			body: `Hello,

{{.name}}, your application for an individual learning account (IMK) has been reviewed: the target-group eligibility check succeeded and your IMK is approved.
{{if .reason}}Note: {{reason .reason}}
{{end}}
You can choose your courses on the Platform portal.
` + signatureEN,
		},
	},
	"imk.rejected": {
		{
			subject: `Individuālais mācību konts (IMK) netika apstiprināts – Prasmju pārvaldības platforma`,
			body: `Labdien!

{{.name}}, Jūsu pieteikums individuālā mācību konta (IMK) atvēršanai ir izskatīts, taču mērķa grupas atbilstības pārbaudes rezultātā IMK netika apstiprināts.
Iemesls: {{reason .reason}}

Ja uzskatāt, ka valsts reģistru dati ir kļūdaini, lūdzam rakstīt uz stars@viaa.gov.lv.
` + signatureLV,
		},
		{
			subject: `Individual learning account (IMK) not approved – Skills Management Platform`,
			body: `Hello,

{{.name}}, your application for an individual learning account (IMK) has been reviewed, but the target-group eligibility check did not allow it to be approved.
Reason: {{reason .reason}}

If you believe the state registers' data is wrong, please write to stars@viaa.gov.lv.
` + signatureEN,
		},
	},
}
