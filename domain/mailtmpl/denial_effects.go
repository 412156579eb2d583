package mailtmpl

// The mails that tell a person (or an institution) that access to the
// Platform is denied and that it is restored (¶24, ¶32), and that a role
// ended (¶32.1). A platform user has no language of their own, so the
// Latvian mail carries the English text below it; an operator gets their
// own language only (the English template).
var _ = addSources(denialEffectSources)

// groundNames are the grounds of ¶32 in the terms' words.
var groundNames = map[string][2]string{
	"32.1": {"beidzies piešķirto tiesību un lomu derīguma termiņš", "the validity of the rights and roles granted has ended"},
	"32.2": {"deaktivizēts reģistrētais autentifikācijas veids", "the registered means of authentication was deactivated"},
	"32.3": {"kompromitētas piešķirtās tiesības vai lomas", "the rights or roles granted were compromised"},
	"32.4": {"Lietotājs lūdzis apturēt konta darbību", "the user asked for the account to be suspended"},
	"32.5": {"netiek ievēroti lietošanas noteikumi", "the terms of use were not followed"},
	"32.6": {"konstatēts drošības incidents", "a security incident was found"},
	"32.7": {"Platformas pārzinis atteicis sadarbību", "the Platform's controller refused cooperation"},
	"32.8": {"fiziskas personas nāves gadījums", "the death of the natural person"},
}

// How to contest a denial: the terms of use (¶25) name the Agency's
// address and telephone for users; they set no time limit for an
// objection, so the mail names none.
const (
	contestLV = `Ja uzskatāt, ka piekļuve liegta nepamatoti, Jūs varat to apstrīdēt, rakstot Valsts izglītības attīstības aģentūrai uz stars@viaa.gov.lv vai zvanot +371 67359075 (Lietošanas noteikumu 25. punkts) un norādot lieguma numuru {{.denial}}. Aģentūra iebildumu izskatīs un atbildēs lietošanas noteikumos noteiktajā laikā.`
	contestEN = `If you believe access was denied without good reason, you may contest it by writing to the State Education Development Agency at stars@viaa.gov.lv or calling +371 67359075 (terms of use, clause 25), quoting denial number {{.denial}}. The Agency will consider the objection and answer within the time the terms of use set.`

	inForceLV = `Labdien!

{{.since}} Jums liegta piekļuve Prasmju pārvaldības platformai (Lietošanas noteikumu 24. un {{.ground}}. punkts: {{ground "lv" .ground}}).

Iemesls: {{.note}}

Kamēr liegums ir spēkā, Jūs nevarat pieteikties Platformā, Jūsu lomas ir apturētas, Jūsu individuālais mācību konts (IMK), ja tāds ir, ir apturēts, un Jūsu pieteikumi netiek apstiprināti.

` + contestLV + `
`
	inForceEN = `Hello,

On {{.since}} your access to the Skills Management Platform was denied (terms of use, clauses 24 and {{.ground}}: {{ground "en" .ground}}).

Reason: {{.note}}

While the denial is in force you cannot sign in to the Platform, your roles are suspended, your individual learning account (IMK), if you have one, is suspended, and your requests are not approved.

` + contestEN + `
`
	liftedLV = `Labdien!

{{.lifted}} Jums atjaunota piekļuve Prasmju pārvaldības platformai: liegums nr. {{.denial}} (Lietošanas noteikumu {{.ground}}. punkts: {{ground "lv" .ground}}), kas bija spēkā kopš {{.since}}, ir atcelts. Jūsu lomas un IMK, ko liegums bija apturējis, atkal ir spēkā.
`
	liftedEN = `Hello,

On {{.lifted}} your access to the Skills Management Platform was restored: denial number {{.denial}} (terms of use, clause {{.ground}}: {{ground "en" .ground}}), in force since {{.since}}, was lifted. Your roles and IMK that the denial had suspended are in force again.
`
	newPasswordLV = `
Nākamajā pieteikšanās reizē Jums būs jāizvēlas jauna parole (Lietošanas noteikumu 32.3. un 32.6. punkts).
`
	newPasswordEN = `
At your next sign-in you will have to choose a new password (terms of use, clauses 32.3 and 32.6).
`
	roleEndedLV = `Labdien!

Jūsu lomas Prasmju pārvaldības platformā „{{roleIn "lv" .role}}” derīguma termiņš beidzās {{.valid_until}}, un piekļuve lomai ir liegta (Lietošanas noteikumu 32.1. punkts).

Ja lomu nepieciešams saglabāt, lūdzam iesniegt jaunu pieteikumu Platformas portālā.
`
	roleEndedEN = `Hello,

The validity of your role "{{roleIn "en" .role}}" on the Skills Management Platform ended on {{.valid_until}}, and access to the role is denied (terms of use, clause 32.1).

If you need to keep the role, please submit a new request on the Platform portal.
`
	roleEndedEarlyLV = `Labdien!

{{.ended}} Valsts izglītības attīstības aģentūra izbeidza Jūsu lomu Prasmju pārvaldības platformā „{{roleIn "lv" .role}}” (tās derīguma termiņš bija {{.valid_until}}), un piekļuve lomai ir liegta (Lietošanas noteikumu 32.1. punkts).

Ja uzskatāt, ka tā ir kļūda, lūdzam atbildēt uz šo vēstuli vai rakstīt uz stars@viaa.gov.lv.
`
	roleEndedEarlyEN = `Hello,

On {{.ended}} the State Education Development Agency ended your role "{{roleIn "en" .role}}" on the Skills Management Platform (it was valid until {{.valid_until}}), and access to the role is denied (terms of use, clause 32.1).

If you believe this is a mistake, please reply to this e-mail or write to stars@viaa.gov.lv.
`
	englishBelow = `
--- English ---

`
)

// bilingual is a Latvian mail with the English one below it.
func bilingual(lv, en string) string {
	return lv + signatureLV + "\n" + englishBelow + en + signatureEN
}

// denialEffectSources are the mails of a denial's effects, as {Latvian
// (with English below), English}.
var denialEffectSources = map[string][2]source{
	// ¶24, ¶32: access denied. Data: ground ("32.3"), note (the reason),
	// since (the date it took force), denial (its number).
	"access.denied": {
		{subject: `Piekļuve Platformai liegta / Access to the Platform denied – Prasmju pārvaldības platforma`, body: bilingual(inForceLV, inForceEN)},
		{subject: `Access to the Platform denied – Skills Management Platform`, body: inForceEN + signatureEN},
	},
	// ¶32: access restored. Data: ground, since, lifted, denial.
	"access.restored": {
		{subject: `Piekļuve Platformai atjaunota / Access to the Platform restored – Prasmju pārvaldības platforma`, body: bilingual(liftedLV, liftedEN)},
		{subject: `Access to the Platform restored – Skills Management Platform`, body: liftedEN + signatureEN},
	},
	// ¶32.3, ¶32.6: access restored with a new password required. Data as
	// access.restored.
	"access.restored_new_password": {
		{subject: `Piekļuve Platformai atjaunota / Access to the Platform restored – Prasmju pārvaldības platforma`, body: bilingual(liftedLV+newPasswordLV, liftedEN+newPasswordEN)},
		{subject: `Access to the Platform restored – Skills Management Platform`, body: liftedEN + newPasswordEN + signatureEN},
	},
	// ¶32.1: the Agency ended a role before its validity ran out. Data:
	// role, valid_until (the end it had), ended.
	"role.ended_early": {
		{subject: `Loma izbeigta / Your role has been ended – Prasmju pārvaldības platforma`, body: bilingual(roleEndedEarlyLV, roleEndedEarlyEN)},
		{subject: `Your role has been ended – Skills Management Platform`, body: roleEndedEarlyEN + signatureEN},
	},
	// ¶32.1: the role's validity ended. Data: role, valid_until.
	"role.ended": {
		{subject: `Lomas derīgums beidzies / Your role has expired – Prasmju pārvaldības platforma`, body: bilingual(roleEndedLV, roleEndedEN)},
		{subject: `Your role has expired – Skills Management Platform`, body: roleEndedEN + signatureEN},
	},
}
