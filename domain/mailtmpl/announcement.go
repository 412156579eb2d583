package mailtmpl

// The announcements' templates join the others before init compiles them:
// a package-level variable is initialised before any init function runs,
// and after sources, which its initialiser reads.
var _ = addSources(announcementSources)

// addSources adds templates to sources; a name defined twice is a
// programming error.
func addSources(more map[string][2]source) bool {
	for name, src := range more {
		if _, dup := sources[name]; dup {
			panic("mailtmpl: duplicate template " + name)
		}
		sources[name] = src
	}
	return true
}

// announcementSources are the announcements e-mailed to their audience
// (¶23), as {Latvian, English}.
var announcementSources = map[string][2]source{
	// News, such as a new version of the terms of use (¶33). Data: title,
	// body.
	"announcement.news": {
		{
			subject: `{{.title}} – Prasmju pārvaldības platforma`,
			body: `Labdien!

Prasmju pārvaldības platformā ir publicēts jauns paziņojums.

{{.title}}

{{.body}}

Paziņojums ir pieejams arī Platformas portālā.
` + signatureLV,
		},
		{
			subject: `{{.title}} – Skills Management Platform`,
			body: `Hello,

A new announcement has been published on the Skills Management Platform.

{{.title}}

{{.body}}

The announcement is also available on the Platform's portal.
` + signatureEN,
		},
	},

	// Planned downtime (¶23). Data: title, body, starts_at, ends_at (local
	// time, as "02.01.2006 15:04"), services.
	"announcement.downtime": {
		{
			subject: `Plānots darbības pārtraukums: {{.title}} – Prasmju pārvaldības platforma`,
			body: `Labdien!

Prasmju pārvaldības platformas darbībā ir plānots pārtraukums.

{{.title}}

Sākums: {{.starts_at}}
Beigas: {{.ends_at}}
Ietekmētie pakalpojumi: {{.services}}

{{.body}}

Atvainojamies par sagādātajām neērtībām. Lūdzam plānot darbu Platformā tā, lai tas nesakristu ar pārtraukuma laiku.
` + signatureLV,
		},
		{
			subject: `Planned downtime: {{.title}} – Skills Management Platform`,
			body: `Hello,

The Skills Management Platform will be unavailable for planned maintenance.

{{.title}}

Starts: {{.starts_at}}
Ends: {{.ends_at}}
Services affected: {{.services}}

{{.body}}

We apologise for the inconvenience. Please plan your work on the Platform around this time.
` + signatureEN,
		},
	},
}
