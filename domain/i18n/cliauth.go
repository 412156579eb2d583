package i18n

// Messages of acting as an operator from the command line (issue 13): a
// verb with --as proves it with that operator's password, and a second
// person's approval (four eyes) is given only in the approver's own SSH
// session.
func init() {
	register(map[string][2]string{
		"cli.as.needed":      {"norādiet --as OPERATORS: to dara aizmugures biroja operators ar savu paroli", "give --as OPERATOR: a back-office operator does this, with their password"},
		"cli.as.prompt":      {"Operatora %s parole: ", "Password of operator %s: "},
		"cli.as.no_password": {"nav operatora %s paroles: palaidiet no termināļa vai padodiet to ar --password-stdin; nekas netika mainīts", "no password of operator %s: run from a terminal or give it with --password-stdin; nothing was changed"},
		"cli.as.refused":     {"operators %s netika pieņemts (nepareiza parole vai bloķēts, vai atspējots konts); nekas netika mainīts", "operator %s was not accepted (a wrong password, or a locked or disabled account); nothing was changed"},

		"cli.help.account": {
			`ppp account email LIETOTĀJA_ID ADRESE --reason IEMESLS --as OPERATORS [--password-stdin]
ppp account history LIETOTĀJA_ID --as OPERATORS [--password-stdin]

Platformas konta e-pasta adreses maiņa, ko veic darbinieks, ir pieprasījums: adrese mainās tikai tad,
kad otra persona (cits palīdzības dienesta darbinieks vai administrators) to apstiprina savā SSH
sesijā (Palīdzības dienests, a); tad paziņojumus nosūta gan uz iepriekšējo, gan uz jauno adresi.
Pieprasījums gaida 72 stundas. Iemesls ir obligāts; vēsturē redzamas vecās un jaunās vērtības, kas
pieprasīja un kas apstiprināja.
--as: aizmugures biroja operators (palīdzības dienests, drošība vai administrators), kas rīkojas;
viņa paroli prasa terminālī (bez atbalss) vai nolasa no stdin ar --password-stdin un pārbauda
kā pieteikšanos (tie paši bloķēšanas noteikumi un audits).`,
			`ppp account email USER_ID ADDRESS --reason REASON --as OPERATOR [--password-stdin]
ppp account history USER_ID --as OPERATOR [--password-stdin]

A staff change of a Platform account's e-mail address is a request: the address changes only when
a second person (another helpdesk operator or an administrator) approves it in their own SSH session
(Helpdesk, a); the notices to the previous and the new address go out then. A request waits 72 hours.
A reason is required; the history shows the old and new values, who asked and who approved.
--as: the back-office operator (helpdesk, security or admin) acting; their password is asked on
the terminal (without echo), or read from stdin with --password-stdin, and checked like a sign-in
(the same lockout and audit).`,
		},
		"cli.account.history_header": {"LAIKS\tPIEPRASĪJA\tAPSTIPRINĀJA\tLAUKS\tBIJA\tKĻUVA\tIEMESLS", "WHEN\tASKED BY\tAPPROVED BY\tFIELD\tOLD\tNEW\tREASON"},
		"cli.help.imk_policy": {
			"ppp imk policy list | show ID | draft --min-age N [--max-age N] [--employment=true|false] [--residence=true|false] [--exclude-studying] [--max-data-age 720h] [--priority-lki 3] [--priority-age 45] [--priority-combine or|and] [--auto-reject alive,age,residence,employment,no_other_imk|none] --name NOSAUKUMS --as OPERATORS [--password-stdin] | discard ID --as OPERATORS [--password-stdin] — mērķa grupas politikas versijas. Melnrakstu apstiprina cits redaktors vai administrators savā SSH sesijā (ekrāns „IMK politika”), nevis komandrindā. --as prasa operatora paroli (terminālī bez atbalss vai ar --password-stdin) un pārbauda to kā pieteikšanos.",
			"ppp imk policy list | show ID | draft --min-age N [--max-age N] [--employment=true|false] [--residence=true|false] [--exclude-studying] [--max-data-age 720h] [--priority-lki 3] [--priority-age 45] [--priority-combine or|and] [--auto-reject alive,age,residence,employment,no_other_imk|none] --name NAME --as OPERATOR [--password-stdin] | discard ID --as OPERATOR [--password-stdin] — versions of the target-group policy. Another editor or administrator approves a draft in their own SSH session (screen \"IMK policy\"), not on the command line. --as asks for the operator's password (on the terminal without echo, or with --password-stdin) and checks it like a sign-in.",
		},
		"cli.imk_policy.approve_in_tui": {
			"komandrindā politiku neapstiprina: otrs redaktors vai administrators to apstiprina savā SSH sesijā (ekrāns „IMK politika”)",
			"the command line does not approve a policy: a second editor or administrator approves it in their own SSH session (screen \"IMK policy\")",
		},
		"cli.account.email_requested": {
			"Pieprasījums %d: lietotāja %d e-pasta adrese mainīsies, kad to savā SSH sesijā apstiprinās otra persona (palīdzības dienests vai administrators: Palīdzības dienests, a); paziņojumi vēl nav nosūtīti.",
			"Request %d: the e-mail address of user %d changes when a second person (helpdesk or administrator) approves it in their SSH session (Helpdesk, a); no notice has been sent yet.",
		},

		"defence.email_change_not_found": {"E-pasta adreses maiņas pieprasījums %d nav atrasts.", "E-mail change request %d was not found."},
		"defence.email_change_decided":   {"Par šo e-pasta adreses maiņu jau ir lemts.", "This e-mail change has been decided already."},
		"defence.email_change_expired":   {"E-pasta adreses maiņas pieprasījumam beidzies termiņš; vajadzības gadījumā iesniedziet jaunu.", "The e-mail change request has expired; file a new one if it is still needed."},
		"defence.email_change_pending":   {"Šī konta adreses maiņa jau gaida otru personu.", "A change of this account's address is already waiting for a second person."},
		"defence.email_change_stale":     {"Konta adrese kopš pieprasījuma ir mainījusies; atsakiet šo pieprasījumu un iesniedziet jaunu.", "The account's address has changed since the request; refuse it and file a new one."},
		"defence.own_email_change":       {"Savu pieprasījumu nevar apstiprināt: to apstiprina cits palīdzības dienesta darbinieks vai administrators.", "You cannot approve your own request: another helpdesk operator or administrator approves it."},

		"tui.pe.title":        {"E-pasta adreses maiņa gaida otru personu", "E-mail address changes waiting for a second person"},
		"tui.pe.none":         {"Neviena e-pasta adreses maiņa negaida apstiprinājumu.", "No e-mail address change is waiting for approval."},
		"tui.pe.row":          {"#%d · %s → %s · pieprasīja %s, %s", "#%d · %s → %s · asked by %s, %s"},
		"tui.pe.reason":       {"Pašreizējā adrese %s; iemesls: %s", "Current address %s; reason: %s"},
		"tui.pe.confirm":      {"Apstiprināt e-pasta adreses maiņu #%d kontam %s: %s → %s? Paziņojumi tiks nosūtīti uz abām adresēm.", "Approve e-mail change #%d for %s: %s → %s? Notices go to both addresses."},
		"tui.pe.refuse_title": {"Atteikt e-pasta adreses maiņu #%d", "Refuse e-mail change #%d"},
		"tui.pe.approved":     {"E-pasta adreses maiņa #%d apstiprināta; paziņojumi nosūtīti.", "E-mail change #%d approved; the notices are sent."},
		"tui.pe.refused":      {"E-pasta adreses maiņa #%d atteikta.", "E-mail change #%d refused."},

		"tui.tab.policy":            {"IMK politika", "IMK policy"},
		"tui.pol.title":             {"IMK mērķa grupas politika", "IMK target-group policy"},
		"tui.pol.explain":           {"Melnrakstu sagatavo komandrindā (ppp imk policy draft); to apstiprina cits redaktors vai administrators šeit, savā sesijā.", "A draft is made on the command line (ppp imk policy draft); another editor or administrator approves it here, in their own session."},
		"tui.pol.none":              {"Nav nevienas versijas.", "No versions."},
		"tui.pol.editor_only":       {"Šo ekrānu lieto redaktori un administratori.", "This screen is for editors and administrators."},
		"tui.pol.col.version":       {"Ver.", "Ver."},
		"tui.pol.col.state":         {"Statuss", "State"},
		"tui.pol.col.from":          {"Spēkā no", "In force from"},
		"tui.pol.col.drafted":       {"Sagatavoja", "Drafted by"},
		"tui.pol.col.name":          {"Nosaukums", "Name"},
		"tui.pol.col.rule":          {"Noteikums", "Rule"},
		"tui.pol.col.in_force":      {"Spēkā: versija %d", "In force: version %d"},
		"tui.pol.col.this":          {"Versija %d", "Version %d"},
		"tui.pol.none_in_force":     {"Nekas nav spēkā", "None in force"},
		"tui.pol.state.draft":       {"melnraksts", "draft"},
		"tui.pol.state.approved":    {"apstiprināta", "approved"},
		"tui.pol.in_force":          {"(spēkā)", "(in force)"},
		"tui.pol.always":            {"vienmēr", "always"},
		"tui.pol.now":               {"tūlīt", "now"},
		"tui.pol.hint_open":         {"enter: salīdzināt versiju %d ar spēkā esošo, tad apstiprināt vai dzēst.", "enter: compare version %d with the one in force, then approve or discard it."},
		"tui.pol.hint_detail":       {"a: apstiprināt (jautās, no kura datuma tā stājas spēkā); x: dzēst melnrakstu.", "a: approve (asks from which date it takes effect); x: discard the draft."},
		"tui.pol.detail_title":      {"Versija %d (%s): %s", "Version %d (%s): %s"},
		"tui.pol.drafted_by":        {"Sagatavoja %s, %s", "Drafted by %s, %s"},
		"tui.pol.rule.min_age":      {"Minimālais vecums", "Minimum age"},
		"tui.pol.rule.max_age":      {"Maksimālais vecums", "Maximum age"},
		"tui.pol.rule.employment":   {"Jābūt nodarbinātam", "Employment required"},
		"tui.pol.rule.residence":    {"Jābūt dzīvesvietai Latvijā", "Residence in Latvia required"},
		"tui.pol.rule.studying":     {"Izslēgt klātienes studējošos", "Full-time students excluded"},
		"tui.pol.rule.data_age":     {"Maksimālais datu vecums", "Maximum data age"},
		"tui.pol.rule.priority_lki": {"Prioritāte, ja augstākais LKI ≤", "Priority when the highest LKI ≤"},
		"tui.pol.rule.priority_age": {"Prioritāte no vecuma", "Priority from age"},
		"tui.pol.hours":             {"%d h", "%d h"},
		"tui.pol.yes":               {"jā", "yes"},
		"tui.pol.no":                {"nē", "no"},
		"tui.pol.no_limit":          {"bez ierobežojuma", "no limit"},
		"tui.pol.date":              {"Spēkā no (GGGG-MM-DD, tukšs: tūlīt)", "In force from (YYYY-MM-DD, empty: now)"},
		"tui.pol.date_hint":         {"GGGG-MM-DD", "YYYY-MM-DD"},
		"tui.pol.confirm_approve":   {"Apstiprināt versiju %d, spēkā no: %s? No tā brīža IMK pārbaude izmanto šo versiju. enter apstiprināt · esc atpakaļ", "Approve version %d, in force from: %s? From then on the IMK check uses this version. enter approve · esc back"},
		"tui.pol.confirm_discard":   {"Dzēst melnrakstu — versiju %d? enter dzēst · esc atpakaļ", "Discard the draft, version %d? enter discard · esc back"},
		"tui.pol.approved":          {"Versija %d apstiprināta; spēkā no %s.", "Version %d approved; in force from %s."},
		"tui.pol.discarded":         {"Melnraksts (ID %d) dzēsts.", "Draft (ID %d) discarded."},
		"tui.pol.key.open":          {"salīdzināt", "compare"},
		"tui.pol.key.approve":       {"apstiprināt", "approve"},
		"tui.pol.key.discard":       {"dzēst", "discard"},
	})
}
