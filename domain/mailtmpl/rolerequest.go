package mailtmpl

import "github.com/viaa/ppp/domain"

// source is one template in one language.
type source struct {
	subject string
	body    string
}

// The signatures end every mail. Replies go nowhere (the sender is
// no-reply@), so they point to the helpdesk's address and telephone with
// its hours (¶25, ¶17.5), which domain keeps in one place.
const (
	signatureLV = `
Ar cieņu
Valsts izglītības attīstības aģentūra
Prasmju pārvaldības platforma

Šī vēstule ir nosūtīta automātiski, lūdzam uz to neatbildēt. Ja Jums ir jautājumi, rakstiet uz ` + domain.HelpdeskEmail + `
vai zvaniet ` + domain.HelpdeskPhone + ` (` + domain.HelpdeskHoursLV + `).`

	signatureEN = `
Kind regards,
State Education Development Agency (VIAA)
Skills Management Platform

This message was sent automatically; please do not reply to it. If you have any questions, write to ` + domain.HelpdeskEmail + `
or call ` + domain.HelpdeskPhone + ` (` + domain.HelpdeskHoursEN + `).`
)

// sources holds every template as {Latvian, English}.
var sources = map[string][2]source{
	// ¶27.3, ¶28.2, ¶29.2: a request waits until its e-mail address is
	// confirmed through this link. Data: link, name.
	"rolerequest.submitted_confirm": {
		{
			subject: `Lūdzam apstiprināt e-pasta adresi – Prasmju pārvaldības platforma`,
			body: `Labdien!

Prasmju pārvaldības platformā ir saņemts pieteikums, kurā norādīta šī e-pasta adrese.
Pieteikuma iesniedzējs: {{.name}}

Lai pieteikumu varētu izskatīt, lūdzam apstiprināt e-pasta adresi, atverot šo saiti:

{{.link}}

Ja e-pasta adrese netiks apstiprināta 14 dienu laikā, pieteikums netiks izskatīts. Ja Jums nav zināms par šo pieteikumu, lūdzam šo vēstuli neņemt vērā.
` + signatureLV,
		},
		{
			subject: `Please confirm your e-mail address – Skills Management Platform`,
			body: `Hello,

The Skills Management Platform has received a request that gives this e-mail address.
Applicant: {{.name}}

Before the request can be reviewed, please confirm the e-mail address by opening this link:

{{.link}}

If the address is not confirmed within 14 days, the request will not be reviewed. If you know nothing of this request, please disregard this message.
` + signatureEN,
		},
	},

	// The request is approved and the role granted until valid_until
	// (¶32.1). Data: role, valid_until, name, institution (the institution
	// that approved it, ¶29.3; "" when the Agency did), unscoped ("1" when
	// the Agency approved a career consultant who named an institution:
	// the role is not the institution's, ¶29.3).
	"rolerequest.approved": {
		{
			subject: `Jūsu pieteikums ir apstiprināts – Prasmju pārvaldības platforma`,
			body: `Labdien!

Jūsu pieteikums Prasmju pārvaldības platformā ir izskatīts un apstiprināts.
Pieteikuma iesniedzējs: {{.name}}

Piešķirtā loma: {{role .role}}
Loma ir derīga līdz: {{.valid_until}}
{{if .unscoped}}Pieteikumu apstiprināja Valsts izglītības attīstības aģentūra. Loma nav piesaistīta pieteikumā norādītajai izglītības iestādei, jo iestāde pieteikumu neizskatīja (Lietošanas noteikumu 29.3. punkts).
{{- else if .institution}}Pieteikumu apstiprināja izglītības iestāde „{{.institution}}”; loma ir piesaistīta šai iestādei.
{{- else}}Pieteikumu apstiprināja Valsts izglītības attīstības aģentūra.
{{- end}}

Tagad varat pieslēgties Platformai un strādāt piešķirtās lomas ietvaros. Pēc norādītā datuma piekļuve lomai tiks liegta, ja tās derīguma termiņš netiks pagarināts.
` + signatureLV,
		},
		{
			subject: `Your request has been approved – Skills Management Platform`,
			body: `Hello,

Your request on the Skills Management Platform has been reviewed and approved.
Applicant: {{.name}}

Role granted: {{role .role}}
Valid until: {{.valid_until}}
{{if .unscoped}}The request was approved by the State Education Development Agency. The role is not attached to the education institution named in the request, because the institution did not review it (terms of use, clause 29.3).
{{- else if .institution}}The request was approved by the education institution "{{.institution}}"; the role is attached to that institution.
{{- else}}The request was approved by the State Education Development Agency.
{{- end}}

You can now sign in to the Platform and work in this role. After that date access to the role will be denied unless its validity is extended.
` + signatureEN,
		},
	},

	// Data: reason (a code of domain.RejectReasons, or text), reason_text
	// (the reviewer's explanation, may be empty), name.
	"rolerequest.rejected": {
		{
			subject: `Jūsu pieteikums ir noraidīts – Prasmju pārvaldības platforma`,
			body: `Labdien!

Jūsu pieteikums Prasmju pārvaldības platformā ir izskatīts un noraidīts.
Pieteikuma iesniedzējs: {{.name}}

Noraidīšanas iemesls: {{reason .reason}}
{{- if .reason_text}}
Paskaidrojums: {{.reason_text}}
{{- end}}

Ja uzskatāt, ka lēmums ir pieņemts kļūdaini, lūdzam sazināties ar Valsts izglītības attīstības aģentūru, rakstot uz stars@viaa.gov.lv. Pēc noraidīšanas iemesla novēršanas Platformā varat iesniegt jaunu pieteikumu.
` + signatureLV,
		},
		{
			subject: `Your request has been rejected – Skills Management Platform`,
			body: `Hello,

Your request on the Skills Management Platform has been reviewed and rejected.
Applicant: {{.name}}

Reason: {{reason .reason}}
{{- if .reason_text}}
Explanation: {{.reason_text}}
{{- end}}

If you believe the decision is wrong, please contact the State Education Development Agency at stars@viaa.gov.lv. Once the reason has been resolved, you may submit a new request on the Platform.
` + signatureEN,
		},
	},

	// The reviewer needs more information; the request waits for the
	// answer. Data: message, name.
	"rolerequest.info_requested": {
		{
			subject: `Pieteikuma izskatīšanai nepieciešama papildu informācija – Prasmju pārvaldības platforma`,
			body: `Labdien!

Izskatot Jūsu pieteikumu Prasmju pārvaldības platformā, Valsts izglītības attīstības aģentūrai ir nepieciešama papildu informācija.
Pieteikuma iesniedzējs: {{.name}}

Aģentūras jautājums:

{{.message}}

Lūdzam sniegt prasīto informāciju Platformā. Pieteikuma izskatīšana tiks turpināta, tiklīdz informācija būs saņemta.
` + signatureLV,
		},
		{
			subject: `More information is needed to review your request – Skills Management Platform`,
			body: `Hello,

While reviewing your request on the Skills Management Platform, the State Education Development Agency needs more information.
Applicant: {{.name}}

The Agency's question:

{{.message}}

Please provide the information on the Platform. The review will continue as soon as it has been received.
` + signatureEN,
		},
	},

	// The e-mail address was not confirmed within 14 days. No data.
	"rolerequest.expired": {
		{
			subject: `Jūsu pieteikums netiks izskatīts – Prasmju pārvaldības platforma`,
			body: `Labdien!

Jūsu pieteikums Prasmju pārvaldības platformā ir slēgts un netiks izskatīts, jo 14 dienu laikā netika apstiprināta tajā norādītā e-pasta adrese.

Ja loma Jums joprojām ir nepieciešama, lūdzam iesniegt jaunu pieteikumu Platformā un apstiprināt e-pasta adresi, atverot saiti, kas tiks nosūtīta.
` + signatureLV,
		},
		{
			subject: `Your request will not be reviewed – Skills Management Platform`,
			body: `Hello,

Your request on the Skills Management Platform has been closed and will not be reviewed, because the e-mail address it gives was not confirmed within 14 days.

If you still need the role, please submit a new request on the Platform and confirm your e-mail address through the link that will be sent to you.
` + signatureEN,
		},
	},

	// The Agency took over a request that waited at an institution
	// (¶29.3). Data: reason.
	"rolerequest.taken_over": {
		{
			subject: `Jūsu pieteikumu izskatīs Valsts izglītības attīstības aģentūra – Prasmju pārvaldības platforma`,
			body: `Labdien!

Jūsu pieteikumu Prasmju pārvaldības platformā līdz šim izskatīja izglītības iestāde. Turpmāk to izskatīs Valsts izglītības attīstības aģentūra.

Iemesls: {{.reason}}

Par pieņemto lēmumu Jums tiks paziņots pa e-pastu.
` + signatureLV,
		},
		{
			subject: `Your request will be reviewed by the State Education Development Agency – Skills Management Platform`,
			body: `Hello,

Your request on the Skills Management Platform was being reviewed by an education institution. From now on the State Education Development Agency will review it.

Reason: {{.reason}}

You will be told of the decision by e-mail.
` + signatureEN,
		},
	},
}

// roleNames translates Platform roles and request kinds, {Latvian,
// English}, in the form used inside a sentence.
var roleNames = map[string][2]string{
	"institution":                 {"izglītības iestādes reģistrācija", "education institution registration"},
	"institution_admin":           {"izglītības iestādes administrators", "education institution administrator"},
	"institution_staff":           {"izglītības iestādes lietotājs", "education institution user"},
	"municipal_coordinator":       {"pašvaldību koordinators", "municipal coordinator"},
	"career_consultant":           {"karjeras konsultants", "career consultant"},
	"adult_education_coordinator": {"pieaugušo izglītības koordinators", "adult-education coordinator"},
}

// reasonNames translates the rejection reasons of domain.RejectReasons,
// {Latvian, English}.
var reasonNames = map[string][2]string{
	"incomplete":          {"pieteikumā nav sniegta visa nepieciešamā informācija", "the request lacks required information"},
	"not_eligible":        {"pieteicējs neatbilst lomas piešķiršanas nosacījumiem", "the applicant does not meet the conditions for the role"},
	"duplicate":           {"šāds pieteikums jau ir iesniegts vai loma jau ir piešķirta", "the same request has been submitted already, or the role has been granted already"},
	"unverifiable":        {"pieteikumā norādītās ziņas nav iespējams pārbaudīt", "the information in the request cannot be verified"},
	"institution_unknown": {"norādītā izglītības iestāde Platformā nav reģistrēta", "the education institution named is not registered on the Platform"},
	"other":               {"cits iemesls", "another reason"},
}
