package i18n

// The reports screen (issue 18, task "rptui"): the report picker, the
// period picker, the table, the bar charts and the list behind a figure.
func init() {
	register(map[string][2]string{
		"report.bad_drill": {"Atskaitē %s aiz šī skaitļa saraksta nav.", "Report %s lists nothing behind that figure."},

		"tui.tab.reports":       {"Atskaites", "Reports"},
		"tui.tab.short.reports": {"Atsk.", "Reports"},

		"tui.rpt.pick":       {"Atskaites", "Reports"},
		"tui.rpt.col.report": {"Atskaite", "Report"},
		"tui.rpt.col.about":  {"Ko rāda", "What it shows"},
		"tui.rpt.period":     {"Periods %s – %s", "Period %s – %s"},

		"tui.rpt.title.imk-uptake": {"IMK izmantojums", "IMK uptake"},
		"tui.rpt.title.compliance": {"Atbilstība", "Compliance"},
		"tui.rpt.title.queues":     {"Rindas", "Queues"},
		"tui.rpt.title.decisions":  {"Lēmumi", "Decisions"},
		"tui.rpt.desc.imk-uptake":  {"IMK pieteikumi un iznākumi pa prioritārajām grupām (¶26.4) pret iedzīvotāju daļu", "IMK applications and outcomes by priority group (¶26.4) beside the population's share"},
		"tui.rpt.desc.compliance":  {"Miršanas pārbaude (¶32.8), noteikumu pieņemšana (¶26.2), iestāžu pārbaude", "Death check (¶32.8), acceptance of the terms (¶26.2), re-verification of institutions"},
		"tui.rpt.desc.queues":      {"Rindas pa nedēļām: ienāca, izlemti, gaidīšana, mērķa laikā", "Queues by week: in, out, waiting time, within target"},
		"tui.rpt.desc.decisions":   {"Lēmumi pēc veida un iznākuma, liegumi pēc pamata (¶32), pieteikumi", "Decisions by kind and outcome, denials by ground (¶32), tickets"},

		"tui.rpt.period_title":        {"Atskaites periods", "The report's period"},
		"tui.rpt.period_intro":        {"Izvēlieties gatavu periodu vai „cits” un ierakstiet datumus.", "Choose a ready-made period, or “custom” and type the dates."},
		"tui.rpt.f.preset":            {"Periods", "Period"},
		"tui.rpt.f.from":              {"No", "From"},
		"tui.rpt.f.to":                {"Līdz", "To"},
		"tui.rpt.hint.date":           {"GGGG-MM-DD", "YYYY-MM-DD"},
		"tui.rpt.preset.last30":       {"pēdējās 30 dienas", "last 30 days"},
		"tui.rpt.preset.this_month":   {"šis mēnesis", "this month"},
		"tui.rpt.preset.last_month":   {"iepriekšējais mēnesis", "last month"},
		"tui.rpt.preset.this_quarter": {"šis ceturksnis", "this quarter"},
		"tui.rpt.preset.this_year":    {"šis gads", "this year"},
		"tui.rpt.preset.custom":       {"cits (no–līdz)", "custom (from–to)"},
		"tui.rpt.key.apply":           {"lietot", "apply"},

		"tui.rpt.columns":    {"kolonnas %d–%d no %d (←/→)", "columns %d–%d of %d (←/→)"},
		"tui.rpt.hint.table": {"←/→ skaitlis, enter saraksts aiz tā, c diagrammas un piezīmes", "←/→ figure, enter the list behind it, c charts and notes"},
		"tui.rpt.none":       {"Atskaitē nav rindu.", "The report has no rows."},
		"tui.rpt.notes":      {"Piezīmes", "Notes"},
		"tui.rpt.no_service": {"Atskaites šajā serverī nav pieejamas.", "Reports are not available on this server."},
		"tui.rpt.no_drill":   {"Aiz šī skaitļa saraksta nav.", "This figure lists nothing."},

		"tui.rpt.key.run":       {"izpildīt", "run"},
		"tui.rpt.key.period":    {"periods", "period"},
		"tui.rpt.key.charts":    {"diagrammas/tabula", "charts/table"},
		"tui.rpt.key.drill":     {"saraksts", "list"},
		"tui.rpt.key.left":      {"iepriekšējais skaitlis", "previous figure"},
		"tui.rpt.key.right":     {"nākamais skaitlis", "next figure"},
		"tui.rpt.key.back":      {"atpakaļ", "back"},
		"tui.rpt.key.next_page": {"nākamā lapa", "next page"},
		"tui.rpt.key.prev_page": {"iepriekšējā lapa", "previous page"},

		"tui.rpt.drill.title":       {"%s: %s", "%s: %s"},
		"tui.rpt.drill.page":        {"lapa %d", "page %d"},
		"tui.rpt.drill.none":        {"Saraksts ir tukšs.", "The list is empty."},
		"tui.rpt.drill.col.at":      {"Datums", "Date"},
		"tui.rpt.drill.col.kind":    {"Veids", "Kind"},
		"tui.rpt.drill.col.id":      {"Nr.", "No."},
		"tui.rpt.drill.col.state":   {"Stāvoklis", "State"},
		"tui.rpt.drill.col.subject": {"Par ko", "Subject"},

		"tui.rpt.kind.imk_application": {"IMK pieteikums", "IMK application"},
		"tui.rpt.kind.role_request":    {"lomas pieteikums", "role request"},
		"tui.rpt.kind.denial":          {"liegums", "denial"},
		"tui.rpt.kind.ticket":          {"pieteikums", "ticket"},
		"tui.rpt.kind.person":          {"persona", "person"},
		"tui.rpt.kind.institution":     {"iestāde", "institution"},
	})
}
