package i18n

// The messages of retention (issue 18): the rules' refusals
// (domain/retention.go), `ppp retention` and `ppp sweep retention
// --dry-run`.
func init() {
	register(map[string][2]string{
		"retention.bad_period":         {"Termiņš ir gadu, mēnešu vai dienu skaits: 7y, 18m, 90d.", "A period is a number of years, months or days: 7y, 18m, 90d."},
		"retention.unknown_kind":       {"Nezināms datu veids %q.", "Unknown kind of data %q."},
		"retention.action_not_allowed": {"%s nevar %s.", "%s cannot be %sd."},
		"retention.audit_floor":        {"Audita ierakstus glabā vismaz gadu.", "Audit entries are kept at least a year."},
		"tui.den.sweep.retention":      {"Glabāšanas termiņi", "Retention"},
		"cli.help.retention": {
			`ppp retention
ppp retention set VEIDS TERMIŅŠ DARBĪBA

Bez argumentiem izdrukā glabāšanas noteikumus; set maina vienu (audita žurnālā):
  VEIDS     inbound_mail, register_snapshots, role_requests, sign_in_attempts, outbox_bodies, audit
  TERMIŅŠ   7y, 18m, 90d (audit: vismaz gads)
  DARBĪBA   delete (dzēst) vai minimise (atstāt minimālu ierakstu; role_requests un audit tikai tā)
Noteikumus piemēro ppp sweep retention (katru dienu serverī); --dry-run tikai saskaita.`,
			`ppp retention
ppp retention set KIND PERIOD ACTION

Without arguments prints the retention rules; set changes one (audited):
  KIND      inbound_mail, register_snapshots, role_requests, sign_in_attempts, outbox_bodies, audit
  PERIOD    7y, 18m, 90d (audit: a year at least)
  ACTION    delete, or minimise (keep a minimal record; role_requests and audit only this)
ppp sweep retention applies them (daily in the server); --dry-run only counts.`,
		},
		"cli.retention.rule":            {"%-20s %-8s %-12s mainīts %s (%s)", "%-20s %-8s %-12s changed %s (%s)"},
		"cli.retention.set":             {"%s: %s, tad %s", "%s: %s, then %s"},
		"cli.retention.plan":            {"%-20s %-12s %d (vecāki par %s)", "%-20s %-12s %d (older than %s)"},
		"cli.retention.action.delete":   {"dzēst", "delete"},
		"cli.retention.action.minimise": {"samazināt", "minimise"},
	})
}
