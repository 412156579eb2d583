package i18n

// Bulk actions (issue 17): the service's refusals ("bulk.…"), the marking
// keys of the lists (package tui/components/marks) and the bulk screen
// (package tui/pages/bulk, "tui.bulk.…"). The words are the terms of
// use's own: liegt piekļuvi, atjaunot piekļuvi, pamats.
func init() {
	register(map[string][2]string{
		// The service.
		"bulk.no_operator":     {"Pieslēdzieties kā darbinieks.", "Sign in as an operator."},
		"bulk.not_role":        {"Jums nav tiesību to darīt.", "You may not do this."},
		"bulk.own_job":         {"Masveida piekļuves liegumu apstiprina cits drošības speciālists, ne tas, kurš to sagatavoja.", "Another security officer approves a bulk denial, not the one who prepared it."},
		"bulk.not_yours":       {"Darbu sāk tas, kurš to sagatavoja.", "Only who prepared the job starts it."},
		"bulk.state":           {"Darbs ir stāvoklī „%s”: šis solis tagad nav iespējams.", "The job is %s: this step is not possible now."},
		"bulk.bad_action":      {"Nezināms solis %q.", "Unknown step %q."},
		"bulk.bad_kind":        {"Šo darbību nevar veikt ar šiem ierakstiem.", "This action does not apply to these rows."},
		"bulk.bad_filter":      {"Šo sarakstu nevar atlasīt visu.", "This list cannot be selected whole."},
		"bulk.bad_template":    {"Nezināma vēstules veidne.", "Unknown mail template."},
		"bulk.bad_text":        {"Iemeslā ir vadības rakstzīmes vai tas nav derīgs UTF-8.", "The reason holds control characters or is not valid UTF-8."},
		"bulk.reason_required": {"Norādiet iemeslu.", "Give a reason."},
		"bulk.reason_too_long": {"Iemesls ir pārāk garš (ne vairāk kā %d rakstzīmes).", "The reason is too long (at most %d characters)."},
		"bulk.nothing":         {"Vispirms atzīmējiet ierakstus.", "Mark rows first."},
		"bulk.empty":           {"Atlasē nav neviena ieraksta, kam šo darbību var piemērot.", "Nothing in the selection this action applies to."},
		"bulk.too_many":        {"Masveida darbība aptver ne vairāk kā %d ierakstus; sašauriniet atlasi.", "A bulk action takes at most %d items; narrow the selection."},
		"bulk.changed":         {"Kāds cits tikko mainīja šo darbu. Apskatiet to vēlreiz.", "Someone else has just changed this job. Look at it again."},
		"bulk.not_found":       {"Masveida darbs nav atrasts.", "The bulk job was not found."},
		"bulk.no_address":      {"Personai nav e-pasta adreses.", "The person has no e-mail address."},
		"bulk.skipped_refuse":  {"otrs drošības speciālists noraidīja", "refused by a second security officer"},
		"bulk.skipped_cancel":  {"darbs atcelts", "the job was cancelled"},

		// Marking rows in a list.
		"tui.bulk.key.mark":       {"atzīmēt", "mark"},
		"tui.bulk.key.mark_all":   {"atzīmēt visu atlasi", "mark the whole filter"},
		"tui.bulk.key.open":       {"masveida darbība", "bulk action"},
		"tui.bulk.marked_all":     {"Atzīmēta visa atlase (visas lapas). B — masveida darbība.", "The whole filter is marked (every page). B: bulk action."},
		"tui.bulk.nothing_marked": {"Nav atzīmētu ierakstu.", "Nothing is marked."},

		// The screen.
		"tui.tab.bulk":           {"Masveida darbības", "Bulk actions"},
		"tui.tab.short.bulk":     {"Masveida", "Bulk"},
		"tui.bulk.title":         {"Masveida darbības", "Bulk actions"},
		"tui.bulk.role_only":     {"Šis ekrāns ir pieejams izskatītājiem un drošības speciālistiem.", "Only reviewers and security officers can use this screen."},
		"tui.bulk.none":          {"Masveida darbu vēl nav. Atzīmējiet ierakstus sarakstā un nospiediet B.", "No bulk jobs yet. Mark rows in a list and press B."},
		"tui.bulk.no_service":    {"Šajā serverī masveida darbību nav.", "This server keeps no bulk actions."},
		"tui.bulk.col.id":        {"Nr.", "No."},
		"tui.bulk.col.kind":      {"Darbība", "Action"},
		"tui.bulk.col.state":     {"Stāvoklis", "State"},
		"tui.bulk.col.progress":  {"Gaita", "Progress"},
		"tui.bulk.col.requester": {"Sagatavoja", "Prepared by"},

		"tui.bulk.kind.deny":      {"liegt piekļuvi", "deny access"},
		"tui.bulk.kind.lift":      {"atjaunot piekļuvi", "restore access"},
		"tui.bulk.kind.extend":    {"pagarināt lomas", "extend roles"},
		"tui.bulk.kind.mail":      {"nosūtīt e-pastu", "send an e-mail"},
		"tui.bulk.kind.imk_check": {"atkārtot IMK pārbaudi", "re-run the IMK check"},

		"tui.bulk.state.preview":          {"priekšskatījums", "preview"},
		"tui.bulk.state.pending_approval": {"gaida apstiprinājumu", "awaiting approval"},
		"tui.bulk.state.running":          {"notiek", "running"},
		"tui.bulk.state.done":             {"pabeigts", "done"},
		"tui.bulk.state.cancelled":        {"atcelts", "cancelled"},

		"tui.bulk.item.pending": {"gaida", "to do"},
		"tui.bulk.item.done":    {"izdarīts", "done"},
		"tui.bulk.item.failed":  {"neizdevās", "failed"},
		"tui.bulk.item.skipped": {"izlaists", "skipped"},

		"tui.bulk.source.role_requests":  {"lomu pieteikumi", "role requests"},
		"tui.bulk.source.imk":            {"IMK pieteikumi", "IMK applications"},
		"tui.bulk.source.denials":        {"piekļuves liegumi", "access denials"},
		"tui.bulk.source.platform_users": {"personas", "people"},

		"tui.bulk.template.bulk.notice":         {"Aģentūras paziņojums", "A notice from the Agency"},
		"tui.bulk.template.bulk.terms_reminder": {"Atgādinājums pieņemt noteikumus", "Reminder to accept the terms"},
		"tui.bulk.template.bulk.data_check":     {"Lūgums pārbaudīt datus", "Request to check one's data"},

		"tui.bulk.f.kind":           {"Darbība", "Action"},
		"tui.bulk.f.source":         {"No saraksta", "From the list"},
		"tui.bulk.f.reason":         {"Iemesls", "Reason"},
		"tui.bulk.f.ground":         {"Pamats", "Ground"},
		"tui.bulk.f.template":       {"Vēstule", "Mail"},
		"tui.bulk.f.until":          {"Derīga līdz", "Valid until"},
		"tui.bulk.f.requester":      {"Sagatavoja", "Prepared by"},
		"tui.bulk.f.approver":       {"Apstiprināja", "Approved by"},
		"tui.bulk.f.progress":       {"Gaita", "Progress"},
		"tui.bulk.f.counts":         {"Ieraksti", "Items"},
		"tui.bulk.f.created":        {"Sagatavots", "Prepared"},
		"tui.bulk.counts":           {"izdarīti: %d · neizdevās: %d · izlaisti: %d · gaida: %d", "done: %d · failed: %d · skipped: %d · to do: %d"},
		"tui.bulk.default_validity": {"noklusētais derīguma termiņš", "the default validity"},
		"tui.bulk.detail_title":     {"Masveida darbs #%d", "Bulk job #%d"},

		"tui.bulk.new_title":        {"Jauna masveida darbība", "New bulk action"},
		"tui.bulk.on_filter":        {"Visi saraksta atlases ieraksti (visas lapas, atlasīti serverī).", "Every row of the list's filter (every page, selected on the server)."},
		"tui.bulk.field.kind":       {"Darbība", "Action"},
		"tui.bulk.field.reason":     {"Iemesls (visiem)", "Reason (for all)"},
		"tui.bulk.field.ground":     {"Liegšanas pamats", "Ground for denial"},
		"tui.bulk.field.template":   {"Vēstule", "Mail"},
		"tui.bulk.field.until":      {"Derīga līdz", "Valid until"},
		"tui.bulk.hint.until":       {"tukšs: noklusētais termiņš", "empty: the default validity"},
		"tui.bulk.why.no_kind":      {"Izvēlieties darbību.", "Choose an action."},
		"tui.bulk.why.no_reason":    {"Norādiet iemeslu.", "Give a reason."},
		"tui.bulk.why.no_selection": {"Atzīmējiet ierakstus sarakstā un nospiediet B.", "Mark rows in a list and press B."},
		"tui.bulk.key.new":          {"jauna (no saraksta)", "new (from a list)"},
		"tui.bulk.key.preview":      {"priekšskatīt", "preview"},

		"tui.bulk.preview_title":    {"Priekšskatījums: masveida darbs #%d (vēl nav sākts)", "Preview: bulk job #%d (not started yet)"},
		"tui.bulk.preview_runs":     {"Enter sāk darbu: katrs ieraksts tiek apstrādāts atsevišķi, auditēts un, ja paredzēts, paziņots pa e-pastu. d — atmest, esc — paturēt priekšskatījumā.", "Enter starts the job: each item is done on its own, audited and, where the action mails, mailed. d discards it, esc keeps it in preview."},
		"tui.bulk.preview_approval": {"Enter nodod darbu otram drošības speciālistam apstiprināšanai; tikai pēc tam piekļuve tiek liegta. d — atmest, esc — paturēt priekšskatījumā.", "Enter sends the job to a second security officer for approval; access is denied only after that. d discards it, esc keeps it in preview."},
		"tui.bulk.key.start":        {"sākt", "start"},
		"tui.bulk.key.discard":      {"atmest", "discard"},
		"tui.bulk.key.keep":         {"paturēt", "keep"},
		"tui.bulk.key.approve":      {"apstiprināt", "approve"},
		"tui.bulk.key.refuse":       {"noraidīt", "refuse"},
		"tui.bulk.key.cancel":       {"atcelt", "cancel"},
		"tui.bulk.busy":             {"Sūta…", "Sending…"},
		"tui.bulk.hint.confirm":     {"Enter — apstiprināt, esc — atpakaļ.", "Enter to confirm, esc to go back."},
		"tui.bulk.confirm.start":    {"Sākt masveida darbu #%d?", "Start bulk job #%d?"},
		"tui.bulk.confirm.approve":  {"Apstiprināt masveida piekļuves liegumu #%d?", "Approve bulk denial #%d?"},
		"tui.bulk.confirm.cancel":   {"Atcelt masveida darbu #%d? Vēl neizdarītie ieraksti tiks izlaisti.", "Cancel bulk job #%d? The items not done yet are skipped."},
		"tui.bulk.refuse_title":     {"Noraidīt masveida piekļuves liegumu #%d", "Refuse bulk denial #%d"},
		"tui.bulk.done.started":     {"Masveida darbs #%d sākts.", "Bulk job #%d started."},
		"tui.bulk.done.approved":    {"Masveida darbs #%d apstiprināts un sākts.", "Bulk job #%d approved and started."},
		"tui.bulk.done.refused":     {"Masveida darbs #%d noraidīts: nekas netika darīts.", "Bulk job #%d refused: nothing was done."},
		"tui.bulk.done.cancelled":   {"Masveida darbs #%d atcelts.", "Bulk job #%d cancelled."},
		"tui.bulk.done.kept":        {"Masveida darbs #%d paliek priekšskatījumā; to var sākt ar s.", "Bulk job #%d stays in preview; s starts it."},
	})
	registerCounted(map[string][2]Plural{
		"tui.bulk.marked": {
			{Zero: "Atzīmēti %d ierakstu. B — masveida darbība.", One: "Atzīmēts %d ieraksts. B — masveida darbība.", Other: "Atzīmēti %d ieraksti. B — masveida darbība."},
			enWord("%d {} marked. B: bulk action.", "row", "rows"),
		},
		"tui.bulk.on_marked": {
			{Zero: "%d atzīmētu ierakstu.", One: "%d atzīmēts ieraksts.", Other: "%d atzīmēti ieraksti."},
			enWord("%d marked {}.", "row", "rows"),
		},
		"tui.bulk.preview_count": {
			{Zero: "Tiks apstrādāti %d ierakstu:", One: "Tiks apstrādāts %d ieraksts:", Other: "Tiks apstrādāti %d ieraksti:"},
			enWord("%d {} will be done:", "item", "items"),
		},
		"tui.bulk.preview_more": {
			lvWord("… un vēl %d {}", "ierakstu", "ieraksts", "ieraksti"),
			enWord("… and %d more {}", "item", "items"),
		},
		"tui.bulk.items": {
			{Other: "Ieraksti (%d):"},
			{Other: "Items (%d):"},
		},
	})
}
