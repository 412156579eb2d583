package mailtmpl

// The mails to an institution about its career consultants join the
// others before init compiles them (see announcement.go).
var _ = addSources(consultantSources)

// consultantSources are the mails to an education institution about a
// career consultant's request waiting for its decision (¶29.3), as
// {Latvian, English}. They go to the institution's registered address.
// Data: id (the request), name (the applicant), institution, since (the
// wait began, DD.MM.YYYY), until (the Agency may take it over from,
// DD.MM.YYYY); the Agency's reminder adds note (may be empty).
var consultantSources = map[string][2]source{
	// The applicant confirmed the e-mail address: the request now waits
	// for the institution.
	"rolerequest.institution_waiting": {
		{
			subject: `Karjeras konsultanta pieteikums gaida iestādes lēmumu – Prasmju pārvaldības platforma`,
			body: `Labdien!

Prasmju pārvaldības platformā ir saņemts pieteikums, kurā persona lūdz apstiprināt to kā izglītības iestādes „{{.institution}}” karjeras konsultantu.
Pieteikums Nr. {{.id}}
Pieteikuma iesniedzējs: {{.name}}
Gaida iestādes lēmumu kopš: {{.since}}

Saskaņā ar Lietošanas noteikumu 29.3. punktu šo karjeras konsultantu apstiprina izglītības iestāde. Lūdzam pieslēgties Platformai un iestādes pieteikumu sadaļā apstiprināt vai noraidīt pieteikumu līdz {{.until}}.

Ja līdz šim datumam iestāde lēmumu nebūs pieņēmusi, pieteikumu var pārņemt Valsts izglītības attīstības aģentūra. Aģentūras apstiprināts karjeras konsultants nav piesaistīts izglītības iestādei.
` + signatureLV,
		},
		{
			subject: `A career consultant's request waits for your institution's decision – Skills Management Platform`,
			body: `Hello,

The Skills Management Platform has received a request from a person asking to be approved as a career consultant of the education institution "{{.institution}}".
Request no. {{.id}}
Applicant: {{.name}}
Waiting for the institution's decision since: {{.since}}

Under clause 29.3 of the terms of use, the education institution approves this career consultant. Please sign in to the Platform and approve or reject the request in the institution's requests section by {{.until}}.

If the institution has not decided by that date, the State Education Development Agency may take the request over. A career consultant approved by the Agency is not attached to the education institution.
` + signatureEN,
		},
	},

	// The consultant-reminder sweep, days before the take-over date.
	"rolerequest.institution_reminder": {
		{
			subject: `Atgādinājums: karjeras konsultanta pieteikums gaida iestādes lēmumu – Prasmju pārvaldības platforma`,
			body: `Labdien!

Atgādinām, ka izglītības iestādes „{{.institution}}” lēmumu joprojām gaida karjeras konsultanta pieteikums.
Pieteikums Nr. {{.id}}
Pieteikuma iesniedzējs: {{.name}}
Gaida iestādes lēmumu kopš: {{.since}}

Lūdzam pieslēgties Platformai un apstiprināt vai noraidīt pieteikumu līdz {{.until}} (Lietošanas noteikumu 29.3. punkts). Pēc šī datuma pieteikumu var pārņemt Valsts izglītības attīstības aģentūra, un tās apstiprināts karjeras konsultants nebūs piesaistīts izglītības iestādei.
` + signatureLV,
		},
		{
			subject: `Reminder: a career consultant's request waits for your institution's decision – Skills Management Platform`,
			body: `Hello,

This is a reminder that a career consultant's request still waits for the decision of the education institution "{{.institution}}".
Request no. {{.id}}
Applicant: {{.name}}
Waiting for the institution's decision since: {{.since}}

Please sign in to the Platform and approve or reject the request by {{.until}} (terms of use, clause 29.3). After that date the State Education Development Agency may take the request over, and a career consultant it approves will not be attached to the education institution.
` + signatureEN,
		},
	},

	// An Agency reviewer reminds the institution after the take-over date.
	"rolerequest.institution_reminder_agency": {
		{
			subject: `Aģentūras atgādinājums: karjeras konsultanta pieteikums gaida iestādes lēmumu – Prasmju pārvaldības platforma`,
			body: `Labdien!

Valsts izglītības attīstības aģentūra atgādina, ka izglītības iestādes „{{.institution}}” lēmumu joprojām gaida karjeras konsultanta pieteikums. Termiņš lēmuma pieņemšanai beidzās {{.until}}.
Pieteikums Nr. {{.id}}
Pieteikuma iesniedzējs: {{.name}}
Gaida iestādes lēmumu kopš: {{.since}}
{{- if .note}}

Aģentūras piezīme: {{.note}}
{{- end}}

Lūdzam pieslēgties Platformai un pieteikumu apstiprināt vai noraidīt (Lietošanas noteikumu 29.3. punkts). Aģentūra var pieteikumu pārņemt jebkurā brīdī; tās apstiprināts karjeras konsultants nav piesaistīts izglītības iestādei.
` + signatureLV,
		},
		{
			subject: `The Agency's reminder: a career consultant's request waits for your institution's decision – Skills Management Platform`,
			body: `Hello,

The State Education Development Agency reminds you that a career consultant's request still waits for the decision of the education institution "{{.institution}}". The time for the decision ended on {{.until}}.
Request no. {{.id}}
Applicant: {{.name}}
Waiting for the institution's decision since: {{.since}}
{{- if .note}}

The Agency's note: {{.note}}
{{- end}}

Please sign in to the Platform and approve or reject the request (terms of use, clause 29.3). The Agency may take the request over at any time; a career consultant it approves is not attached to the education institution.
` + signatureEN,
		},
	},
}
