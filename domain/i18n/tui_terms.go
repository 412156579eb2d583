package i18n

// The editors' screens (packages tui/pages/terms and
// tui/pages/announcements) and the downtime banner every operator sees.
// Keys start with "tui.terms.", "tui.ann.", "tui.banner." and "tui.prole."
// (Platform roles); the names of states and kinds are the domain's
// ("terms.state.*", "announcement.kind.*", "announcement.state.*").
// The words are the terms of use's own: Lietošanas noteikumi, redakcija,
// melnraksts, iesniegt apstiprināšanai, apstiprināt un publicēt,
// paziņojums, plānots darbības pārtraukums.
func init() {
	register(map[string][2]string{
		"tui.tab.terms":         {"Lietošanas noteikumi", "Terms of use"},
		"tui.tab.announcements": {"Paziņojumi", "Announcements"},

		"tui.prole.institution_admin":           {"Izglītības iestādes administrators", "Education institution administrator"},
		"tui.prole.institution_staff":           {"Izglītības iestādes lietotājs", "Education institution user"},
		"tui.prole.municipal_coordinator":       {"Pašvaldību koordinators", "Municipal coordinator"},
		"tui.prole.career_consultant":           {"Karjeras konsultants", "Career consultant"},
		"tui.prole.adult_education_coordinator": {"Pieaugušo izglītības koordinators", "Adult-education coordinator"},

		"tui.banner.upcoming": {"Plānots darbības pārtraukums %s: %s", "Planned downtime %s: %s"},
		"tui.banner.ongoing":  {"Notiek plānots darbības pārtraukums līdz %s: %s", "Planned downtime in progress until %s: %s"},

		// The list of versions.
		"tui.terms.editor_only":   {"Šis ekrāns ir pieejams redaktoriem.", "Only editors can use this screen."},
		"tui.terms.in_force":      {"Spēkā: %s „%s”, kopš %s", "In force: %s “%s”, since %s"},
		"tui.terms.none_in_force": {"Neviena redakcija vēl nav publicēta.", "No version has been published yet."},
		"tui.terms.none":          {"Redakciju vēl nav. Jaunu melnrakstu sāk ar n.", "There are no versions yet. Start a draft with n."},
		"tui.terms.col.number":    {"Numurs", "Number"},
		"tui.terms.col.title":     {"Nosaukums", "Title"},
		"tui.terms.col.state":     {"Stāvoklis", "State"},
		"tui.terms.col.drafted":   {"Sagatavoja", "Drafted by"},
		"tui.terms.col.approved":  {"Apstiprināja", "Approved by"},
		"tui.terms.col.published": {"Publicēta", "Published"},

		"tui.terms.state_short.draft":      {"melnraksts", "draft"},
		"tui.terms.state_short.submitted":  {"iesniegta", "submitted"},
		"tui.terms.state_short.published":  {"spēkā", "in force"},
		"tui.terms.state_short.superseded": {"nav spēkā", "superseded"},

		"tui.terms.sum.head":     {"%s „%s” — %s", "%s “%s” — %s"},
		"tui.terms.sum.drafted":  {"sagatavoja %s", "drafted by %s"},
		"tui.terms.sum.approved": {"apstiprināja %s %s", "approved by %s on %s"},
		"tui.terms.sum.based_on": {"veidota no redakcijas %s", "based on %s"},
		"tui.terms.sum.own": {
			"Jūs to sagatavojāt: apstiprina un publicē cits redaktors (četru acu princips).",
			"You drafted it: another editor approves and publishes it (four eyes).",
		},
		"tui.terms.sum.returned": {"Atgriezta melnrakstā: %s", "Returned to draft: %s"},
		"tui.terms.sum.changes":  {"Izmaiņas: %s", "Changes: %s"},

		"tui.terms.key.open":        {"atvērt", "open"},
		"tui.terms.key.new":         {"jauns melnraksts", "new draft"},
		"tui.terms.key.diff":        {"salīdzināt", "compare"},
		"tui.terms.key.submit":      {"iesniegt", "submit"},
		"tui.terms.key.publish":     {"apstiprināt un publicēt", "approve and publish"},
		"tui.terms.key.return":      {"atgriezt melnrakstā", "return to draft"},
		"tui.terms.key.accept":      {"akceptēšana", "acceptance"},
		"tui.terms.key.discard":     {"aizvērt, nesaglabājot", "close without saving"},
		"tui.terms.key.close":       {"aizvērt", "close"},
		"tui.terms.key.next_change": {"nākamā izmaiņa", "next change"},
		"tui.terms.key.prev_change": {"iepriekšējā izmaiņa", "previous change"},
		"tui.terms.key.all_lines":   {"visas rindas / tikai izmaiņas", "all lines / changes only"},
		"tui.terms.key.scroll":      {"ritināt", "scroll"},
		"tui.terms.key.next_page":   {"nākamā lapa", "next page"},
		"tui.terms.key.prev_page":   {"iepriekšējā lapa", "previous page"},
		"tui.terms.key.save":        {"saglabāt", "save"},
		"tui.terms.key.reload":      {"ielādēt no jauna", "reload"},
		"tui.terms.key.page":        {"lapu augšup/lejup", "page up/down"},
		"tui.terms.key.jump":        {"uz sākumu/beigām", "to the start/end"},
		"tui.terms.key.cut":         {"dzēst līdz rindas beigām", "delete to the end of the line"},
		"tui.terms.key.send_submit": {"iesniegt", "submit"},
		"tui.terms.key.send_return": {"atgriezt", "return"},

		"tui.terms.why.not_draft":     {"Iesniegt apstiprināšanai var tikai melnrakstu.", "Only a draft can be submitted for approval."},
		"tui.terms.why.not_submitted": {"Publicēt var tikai apstiprināšanai iesniegtu redakciju.", "Only a version submitted for approval can be published."},
		"tui.terms.why.own": {
			"Sevis sagatavotu redakciju apstiprina cits redaktors (četru acu princips).",
			"A version you drafted is approved by another editor (four eyes).",
		},
		"tui.terms.why.not_submitted_return": {"Melnrakstā var atgriezt tikai apstiprināšanai iesniegtu redakciju.", "Only a version submitted for approval can be returned to draft."},
		"tui.terms.why.not_published":        {"Akceptēšanas dati ir tikai publicētām redakcijām.", "Only published versions have acceptances."},
		"tui.terms.why.nothing_to_compare":   {"Šī ir pirmā redakcija — nav ar ko salīdzināt.", "This is the first version: there is nothing to compare it with."},

		// A new draft.
		"tui.terms.new_title":       {"Jauns melnraksts no spēkā esošās redakcijas", "New draft from the version in force"},
		"tui.terms.field.number":    {"Numurs", "Number"},
		"tui.terms.field.title":     {"Nosaukums", "Title"},
		"tui.terms.hint.number":     {"piem., 2026-2", "e.g. 2026-2"},
		"tui.terms.default_title":   {"Prasmju pārvaldības platformas lietošanas noteikumi", "Prasmju pārvaldības platformas lietošanas noteikumi"},
		"tui.terms.number_required": {"Norādiet redakcijas numuru.", "Give the version a number."},
		"tui.terms.title_required":  {"Norādiet nosaukumu.", "Give a title."},
		"tui.terms.started":         {"Melnraksts %s izveidots no spēkā esošās redakcijas.", "Draft %s started from the version in force."},

		// Submitting and returning.
		"tui.terms.submit_title": {"Iesniegt apstiprināšanai redakciju %s", "Submit version %s for approval"},
		"tui.terms.submit_intro": {
			"Aprakstiet, kas mainīts: to redzēs redaktors, kurš apstiprinās, un lietotāji paziņojumā.",
			"Describe what changed: the approving editor sees it, and users see it in the announcement.",
		},
		"tui.terms.field.summary":    {"Izmaiņu kopsavilkums", "Summary of changes"},
		"tui.terms.hint.summary":     {"kas un kāpēc mainīts", "what changed and why"},
		"tui.terms.summary_required": {"Bez izmaiņu kopsavilkuma iesniegt nevar.", "A summary of the changes is needed to submit."},
		"tui.terms.return_title":     {"Atgriezt melnrakstā redakciju %s", "Return version %s to draft"},
		"tui.terms.return_intro":     {"Piezīmi redzēs %s un pārējie redaktori.", "%s and the other editors will see the note."},
		"tui.terms.field.note":       {"Piezīme", "Note"},
		"tui.terms.hint.note":        {"kas jālabo", "what needs fixing"},
		"tui.terms.note_required":    {"Uzrakstiet piezīmi: kāpēc redakcija tiek atgriezta.", "Write a note: why the version is returned."},
		"tui.terms.sending":          {"Sūta…", "Sending…"},
		"tui.terms.submitted":        {"Redakcija %s iesniegta apstiprināšanai.", "Version %s submitted for approval."},
		"tui.terms.returned":         {"Redakcija %s atgriezta melnrakstā.", "Version %s returned to draft."},

		// Approving and publishing.
		"tui.terms.publish_title": {"Apstiprināt un publicēt redakciju %s", "Approve and publish version %s"},
		"tui.terms.publish_confirm": {
			"Publicēt redakciju %s „%s” (sagatavoja %s)? Tā stāsies spēkā nekavējoties; %s Visiem lietotājiem to būs jāakceptē no jauna, un tiks izveidots paziņojums.",
			"Publish version %s “%s” (drafted by %s)? It takes force at once; %s Every user will have to accept it again, and an announcement is created.",
		},
		"tui.terms.publish_previous":    {"redakcija %s zaudēs spēku.", "version %s will be superseded."},
		"tui.terms.publish_no_previous": {"līdz šim neviena redakcija nav bijusi spēkā.", "no version has been in force so far."},
		"tui.terms.publish_keys":        {"enter — apstiprināt un publicēt, esc — atpakaļ", "enter — approve and publish, esc — back"},
		"tui.terms.publishing":          {"Publicē…", "Publishing…"},
		"tui.terms.published":           {"Redakcija %s publicēta un ir spēkā; paziņojums izveidots.", "Version %s is published and in force; an announcement was created."},

		// The comparison.
		"tui.terms.diff.title":          {"Redakcija %s salīdzinājumā ar spēkā esošo %s", "Version %s compared with %s, in force"},
		"tui.terms.diff.title_replaced": {"Redakcija %s salīdzinājumā ar iepriekšējo %s", "Version %s compared with %s, which it replaced"},
		"tui.terms.diff.title_none":     {"Redakcija %s: spēkā esošas redakcijas nav, viss teksts ir jauns", "Version %s: no version is in force, all of the text is new"},
		"tui.terms.diff.title_loading":  {"Redakcija %s: salīdzina…", "Version %s: comparing…"},
		"tui.terms.diff.changes_only":   {"tikai izmaiņas (a — visas rindas)", "changes only (a — all lines)"},
		"tui.terms.diff.all":            {"visas rindas (a — tikai izmaiņas)", "all lines (a — changes only)"},
		"tui.terms.diff.same":           {"Teksti neatšķiras.", "The texts are the same."},

		// Acceptance.
		"tui.terms.acc.title":        {"Akceptēšana — redakcija %s (%s)", "Acceptance — version %s (%s)"},
		"tui.terms.acc.pending":      {"Nav akceptējuši spēkā esošo redakciju:", "Have not accepted the version in force:"},
		"tui.terms.acc.page":         {"%d. lapa", "page %d"},
		"tui.terms.acc.none_pending": {"Visi lietotāji ir akceptējuši spēkā esošo redakciju.", "Every user has accepted the version in force."},
		"tui.terms.acc.pending_in_force_only": {
			"Sarakstu ar tiem, kuri nav akceptējuši, rāda tikai spēkā esošajai redakcijai.",
			"The list of those who have not accepted is shown for the version in force only.",
		},
		"tui.terms.acc.col.name":  {"Vārds, uzvārds", "Name"},
		"tui.terms.acc.col.email": {"E-pasts", "E-mail"},
		"tui.terms.acc.col.roles": {"Lomas", "Roles"},
		"tui.terms.acc.col.last":  {"Akceptējis", "Accepted"},

		// The editor.
		"tui.terms.edit.title_draft":     {"Labo redakciju %s — %s", "Editing version %s — %s"},
		"tui.terms.edit.title_read":      {"Redakcija %s — %s", "Version %s — %s"},
		"tui.terms.edit.position":        {"rinda %d/%d, kol. %d", "line %d/%d, col %d"},
		"tui.terms.edit.unsaved":         {"nesaglabāts", "unsaved"},
		"tui.terms.edit.all_saved":       {"saglabāts", "saved"},
		"tui.terms.edit.saving":          {"saglabā…", "saving…"},
		"tui.terms.edit.read_only_short": {"tikai lasīšanai", "read-only"},
		"tui.terms.edit.read_only":       {"Šī redakcija nav melnraksts: to var tikai lasīt.", "This version is not a draft: it is read-only."},
		"tui.terms.edit.invalid_utf8": {
			"Ielīmētais teksts nav derīgs UTF-8 (varbūt cits kodējums), tāpēc tas netika ievietots.",
			"The pasted text is not valid UTF-8 (perhaps another encoding), so it was not inserted.",
		},
		"tui.terms.edit.saved":    {"Saglabāts %s.", "Saved at %s."},
		"tui.terms.edit.reloaded": {"Ielādēta jaunākā versija (%s).", "The latest version (%s) is loaded."},
		"tui.terms.edit.conflict": {
			"Nav saglabāts: kāds cits pa to laiku mainīja vai iesniedza šo melnrakstu. Jūsu teksts ir šeit; nokopējiet vajadzīgo un spiediet ctrl+r, lai ielādētu jaunāko versiju.",
			"Not saved: someone else changed or submitted this draft meanwhile. Your text is still here; copy what you need, then press ctrl+r to load the latest version.",
		},
		"tui.terms.edit.stale": {
			"Kāds cits ir mainījis šo melnrakstu; saglabājot būs konflikts. ctrl+r — ielādēt jaunāko (jūsu izmaiņas zudīs).",
			"Someone else has changed this draft; saving would conflict. ctrl+r loads the latest (your changes would be lost).",
		},
		"tui.terms.edit.leave_prompt": {
			"Ir nesaglabātas izmaiņas. ctrl+s — saglabāt un aizvērt, x — aizvērt, nesaglabājot, esc — turpināt labot.",
			"There are unsaved changes. ctrl+s — save and close, x — close without saving, esc — go on editing.",
		},
		"tui.terms.edit.reload_prompt": {
			"Ielādēt jaunāko versiju? Jūsu nesaglabātās izmaiņas zudīs. enter — ielādēt, esc — atpakaļ.",
			"Load the latest version? Your unsaved changes will be lost. enter — load, esc — back.",
		},
		"tui.terms.saved": {"Melnraksts %s saglabāts.", "Draft %s saved."},

		// Announcements: the list and the detail.
		"tui.ann.editor_only":                   {"Šis ekrāns ir pieejams redaktoriem.", "Only editors can use this screen."},
		"tui.ann.none":                          {"Paziņojumu vēl nav. Jaunu sāk ar n.", "There are no announcements yet. Start one with n."},
		"tui.ann.col.kind":                      {"Veids", "Kind"},
		"tui.ann.col.title":                     {"Virsraksts", "Title"},
		"tui.ann.col.state":                     {"Stāvoklis", "State"},
		"tui.ann.col.audience":                  {"Kam", "Audience"},
		"tui.ann.col.when":                      {"Laiks", "When"},
		"tui.ann.kind_short.news":               {"jaunums", "news"},
		"tui.ann.kind_short.downtime":           {"pārtraukums", "downtime"},
		"tui.ann.audience.everyone":             {"visiem", "everyone"},
		"tui.ann.audience.everyone_long":        {"visiem Platformas lietotājiem", "every Platform user"},
		"tui.ann.audience.empty_means_everyone": {"nekas nav atzīmēts — visiem lietotājiem", "nothing ticked: every user"},
		"tui.ann.sum.head":                      {"#%d „%s” — %s", "#%d “%s” — %s"},
		"tui.ann.when.none":                     {"bez laika", "no time set"},
		"tui.ann.when.from":                     {"no %s", "from %s"},
		"tui.ann.when.span":                     {"%s – %s", "%s – %s"},
		"tui.ann.detail_title":                  {"Paziņojums #%d — %s", "Announcement #%d — %s"},
		"tui.ann.f.created":                     {"Izveidoja", "Created"},
		"tui.ann.by_at":                         {"%s, %s", "%s, %s"},
		"tui.ann.f.published":                   {"Publicēts", "Published"},
		"tui.ann.f.withdrawn":                   {"Atsaukts", "Withdrawn"},
		"tui.ann.f.terms":                       {"Noteikumu redakcija", "Terms version"},
		"tui.ann.email.no":                      {"netiek sūtīts", "not sent"},
		"tui.ann.email.yes":                     {"tiks nosūtīts pēc publicēšanas", "sent once published"},
		"tui.ann.email.pending":                 {"(vēl tiek gatavoti)", "(more being prepared)"},

		"tui.ann.key.open":     {"atvērt", "open"},
		"tui.ann.key.new":      {"jauns", "new"},
		"tui.ann.key.edit":     {"labot", "edit"},
		"tui.ann.key.publish":  {"publicēt", "publish"},
		"tui.ann.key.withdraw": {"atsaukt", "withdraw"},
		"tui.ann.key.save":     {"saglabāt melnrakstu", "save draft"},

		"tui.ann.why.not_draft":     {"Labot un publicēt var tikai melnrakstu.", "Only a draft can be edited or published."},
		"tui.ann.why.not_published": {"Atsaukt var tikai publicētu paziņojumu.", "Only a published announcement can be withdrawn."},

		// Announcements: the form.
		"tui.ann.new_title":      {"Jauns paziņojums", "New announcement"},
		"tui.ann.edit_title":     {"Paziņojums #%d — melnraksts", "Announcement #%d — draft"},
		"tui.ann.field.kind":     {"Veids", "Kind"},
		"tui.ann.field.title":    {"Virsraksts", "Title"},
		"tui.ann.field.body":     {"Teksts", "Text"},
		"tui.ann.field.audience": {"Kam", "Audience"},
		"tui.ann.field.starts":   {"Sākums", "Starts"},
		"tui.ann.field.ends":     {"Beigas", "Ends"},
		"tui.ann.field.services": {"Skartie pakalpojumi", "Services affected"},
		"tui.ann.field.email":    {"E-pasts", "E-mail"},
		"tui.ann.field.reason":   {"Iemesls", "Reason"},
		"tui.ann.hint.body":      {"paziņojuma teksts", "the text of the announcement"},
		"tui.ann.hint.time":      {"GGGG-MM-DD hh:mm", "YYYY-MM-DD hh:mm"},
		"tui.ann.hint.services":  {"piem., Platformas portāls, IMK pieteikšanās", "e.g. the Platform portal, IMK applications"},
		"tui.ann.email_option":   {"nosūtīt auditorijai arī pa e-pastu", "also e-mail it to the audience"},
		"tui.ann.saved":          {"Paziņojums saglabāts kā melnraksts.", "The announcement is saved as a draft."},

		// Announcements: publishing and withdrawing.
		"tui.ann.publish_title":    {"Publicēt paziņojumu #%d", "Publish announcement #%d"},
		"tui.ann.publish_confirm":  {"Publicēt „%s”? Kam: %s. %s", "Publish “%s”? Audience: %s. %s"},
		"tui.ann.publish_email":    {"Auditorijai tiks nosūtīts e-pasts (pa daļām).", "The audience will be e-mailed, in batches."},
		"tui.ann.publish_no_email": {"E-pasts netiks sūtīts.", "No e-mail is sent."},
		"tui.ann.publish_banner":   {"Aizmugures birojā brīdinājuma josla būs redzama no %s.", "The back office shows its banner from %s."},
		"tui.ann.publish_keys":     {"enter — publicēt, esc — atpakaļ", "enter — publish, esc — back"},
		"tui.ann.publishing":       {"Publicē…", "Publishing…"},
		"tui.ann.published":        {"Paziņojums publicēts.", "The announcement is published."},
		"tui.ann.withdraw_title":   {"Atsaukt paziņojumu „%s”", "Withdraw the announcement “%s”"},
		"tui.ann.reason_required":  {"Norādiet iemeslu.", "Give a reason."},
		"tui.ann.withdrawn":        {"Paziņojums atsaukts.", "The announcement is withdrawn."},
	})
}
