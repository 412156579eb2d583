package i18n

// Reports (issue 18, area "reports"): `ppp report`, the report model's
// columns, groups, sections and notes, which the reports screen shows too.
func init() {
	register(map[string][2]string{
		"cli.help.report": {
			"ppp report NOSAUKUMS [--from GGGG-MM-DD --to GGGG-MM-DD] [--format table|csv|json] — izdrukā pārskatu (imk-uptake, compliance, queues, decisions) par periodu (noklusējums: pēdējās 30 dienas); CSV ir UTF-8 ar virsrakstu rindu. Pārskatus skata administratori un drošības speciālisti; katra izpilde tiek auditēta.",
			"ppp report NAME [--from YYYY-MM-DD --to YYYY-MM-DD] [--format table|csv|json] — prints a report (imk-uptake, compliance, queues, decisions) over a period (default: the last 30 days); CSV is UTF-8 with a header row. Reports are for administrators and security officers; every run is audited.",
		},
		"cli.report.bad_use": {
			"Lietošana: ppp report NOSAUKUMS [--from GGGG-MM-DD --to GGGG-MM-DD] [--format table|csv|json]",
			"Usage: ppp report NAME [--from YYYY-MM-DD --to YYYY-MM-DD] [--format table|csv|json]",
		},
		"cli.report.unknown":    {"Pārskata %q nav; ir: %s.", "There is no report %q; there are: %s."},
		"cli.report.bad_format": {"Formāts %q nav zināms; izvēlieties table, csv vai json.", "Format %q is unknown; choose table, csv or json."},
		"cli.report.bad_date":   {"--from un --to ir datumi GGGG-MM-DD.", "--from and --to are dates, YYYY-MM-DD."},
		"cli.report.title":      {"Pārskats %s, %s–%s", "Report %s, %s–%s"},

		"report.bad_period": {"Periods ir no dienas līdz tai pašai vai vēlākai dienai, ne garāks par %d dienām.", "The period must run from a day to the same or a later day, at most %d days."},
		"report.bad_date":   {"%q nav datums (GGGG-MM-DD).", "%q is not a date (YYYY-MM-DD)."},
		"report.unknown":    {"Pārskata %q nav.", "There is no report %q."},

		"report.col.dimension":          {"Grupējums", "Grouped by"},
		"report.col.group":              {"Grupa", "Group"},
		"report.col.applications":       {"Pieteikumi", "Applications"},
		"report.col.approved":           {"Apstiprināti", "Approved"},
		"report.col.rejected_automatic": {"Noraidīti automātiski", "Rejected automatically"},
		"report.col.rejected_manual":    {"Noraidīti pēc izskatīšanas", "Rejected on review"},
		"report.col.applications_share": {"Daļa pieteikumos", "Share of applications"},
		"report.col.population_share":   {"Daļa pieaugušajos", "Share of adults"},
		"report.col.section":            {"Joma", "Area"},
		"report.col.item":               {"Rādītājs", "Figure"},
		"report.col.count":              {"Skaits", "Count"},
		"report.col.of":                 {"No", "Of"},
		"report.col.share":              {"Daļa", "Share"},

		"report.dim.lki":          {"Augstākais izglītības līmenis (LKI)", "Highest education level (LKI)"},
		"report.dim.age_band":     {"Vecuma grupa", "Age band"},
		"report.dim.municipality": {"Pašvaldība", "Municipality"},
		"report.group.unknown":    {"nav zināms", "unknown"},

		"report.series.share_lki":          {"Pieteikumi pēc LKI līmeņa, %", "Applications by LKI level, %"},
		"report.series.share_age_band":     {"Pieteikumi pēc vecuma grupas, %", "Applications by age band, %"},
		"report.series.share_municipality": {"Pieteikumi pēc pašvaldības, %", "Applications by municipality, %"},

		"report.note.approved_includes_later": {"Apstiprinātos skaita kopā ar vēlāk apturētajiem un slēgtajiem IMK.", "Approved includes IMKs suspended or closed since."},

		"report.note.population_as_of": {"Iedzīvotāju daļas pēc reģistra kopijas %s.", "Population shares from the register mirror as of %s."},

		"report.note.queue_target":   {"Mērķis: izlemt %d darba dienās (pirmdiena–piektdiena, svētku dienas netiek atskaitītas; politikas tabula queue_targets).", "Target: decided within %d working days (Monday–Friday, public holidays not counted out; policy table queue_targets)."},
		"report.queue.role_requests": {"Lomu pieteikumi", "Role requests"},
		"report.queue.imk_review":    {"IMK izskatīšana", "IMK review"},
		"report.col.queue":           {"Rinda", "Queue"},
		"report.col.week":            {"Nedēļa", "Week"},
		"report.col.in":              {"Ienāca", "In"},
		"report.col.out":             {"Izlemti", "Out"},
		"report.col.wait_p50":        {"Gaidīšana p50", "Wait p50"},
		"report.col.wait_p90":        {"Gaidīšana p90", "Wait p90"},
		"report.col.within_target":   {"Mērķa laikā", "Within target"},
		"report.col.take_overs":      {"Pārņemti (¶29.3)", "Taken over (¶29.3)"},
		"report.col.info_requests":   {"Informācijas pieprasījumi", "Information requests"},

		"report.section.role_requests": {"Lomu pieteikumi, izlemti", "Role requests decided"},
		"report.section.imk":           {"IMK lēmumi pēc noteicošā noteikuma", "IMK decisions by deciding rule"},
		"report.section.denials":       {"Liegumi pēc pamata (¶32)", "Denials by ground (¶32)"},
		"report.section.tickets":       {"Palīdzības dienesta pieteikumi", "Helpdesk tickets"},
		"report.col.outcome":           {"Iznākums", "Outcome"},
		"report.col.first_reply_p50":   {"Pirmā atbilde p50", "First reply p50"},
		"report.col.first_reply_p90":   {"Pirmā atbilde p90", "First reply p90"},

		"report.section.death_check":    {"Miršanas pārbaude (¶32.8)", "Death check (¶32.8)"},
		"report.section.terms_accepted": {"Spēkā esošie noteikumi pieņemti (¶26.2), pēc lomas", "Terms in force accepted (¶26.2), by role"},
		"report.section.reverify":       {"Iestāžu atkārtota pārbaude", "Re-verification of institutions"},
		"report.item.checked":           {"pārbaudīti periodā", "checked in the period"},
		"report.item.not_found":         {"reģistrā nav atrasti", "not found in the register"},
		"report.item.stale":             {"reģistra dati novecojuši", "register data stale"},
		"report.item.overdue":           {"nokavēta", "overdue"},
		"report.item.due_by_period_end": {"jāpārbauda līdz perioda beigām", "due by the period's end"},
	})
}
