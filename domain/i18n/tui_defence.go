package i18n

// The defences of issue 9 in the terminal UI: the operator's sign-in
// history (tui/pages/signins), the security officers' misuse alerts
// (tui/pages/alerts) and the privileged password resets waiting for a
// second person on the helpdesk's screen (tui/pages/helpdesk). Keys start
// with "tui.si.", "tui.al." and "tui.pr.".
func init() {
	register(map[string][2]string{
		"cli.bad_threshold": {"%s: %q nav derīgs slieksnis (vesels skaitlis no 1).", "%s: %q is not a valid threshold (a whole number from 1)."},

		"tui.tab.signins": {"Pierakstīšanās", "Sign-ins"},
		"tui.tab.alerts":  {"Brīdinājumi", "Alerts"},

		"tui.si.title":            {"Pierakstīšanās vēsture: %s", "Sign-in history: %s"},
		"tui.si.none":             {"Nav neviena pierakstīšanās ieraksta.", "No sign-ins recorded."},
		"tui.si.no_service":       {"Pierakstīšanās vēsture nav pieejama.", "The sign-in history is not available."},
		"tui.si.col.time":         {"Laiks", "Time"},
		"tui.si.col.addr":         {"Adrese", "Address"},
		"tui.si.col.method":       {"Veids", "Method"},
		"tui.si.col.result":       {"Rezultāts", "Result"},
		"tui.si.method.publickey": {"SSH atslēga", "SSH key"},
		"tui.si.method.password":  {"parole", "password"},
		"tui.si.ok":               {"izdevās", "succeeded"},
		"tui.si.failed":           {"neizdevās", "failed"},
		"tui.si.operator":         {"Operators", "Operator"},
		"tui.si.hint.name":        {"lietotājvārds", "user name"},
		"tui.si.key.other":        {"cits operators", "another operator"},
		"tui.si.key.own":          {"sava vēsture", "own history"},
		"tui.si.key.show":         {"rādīt", "show"},
		"tui.si.no_operator":      {"Operators %q nav atrasts.", "No operator %q."},

		"tui.al.title":         {"Atvērtie brīdinājumi par datu skatīšanu", "Open alerts on data look-ups"},
		"tui.al.security_only": {"Šis ekrāns ir pieejams drošības speciālistiem.", "Only security officers can use this screen."},
		"tui.al.none":          {"Atvērtu brīdinājumu nav.", "No open alerts."},
		"tui.al.col.operator":  {"Operators", "Operator"},
		"tui.al.col.kind":      {"Par ko", "About"},
		"tui.al.col.count":     {"Skaits", "Count"},
		"tui.al.col.window":    {"Laika logs", "Window"},
		"tui.al.kind.reveals":  {"atklāti personas kodi", "personal codes revealed"},
		"tui.al.kind.views":    {"atvērtas personas", "persons opened"},
		"tui.al.close_title":   {"Slēgt brīdinājumu %d", "Close alert %d"},
		"tui.al.note":          {"Piezīme", "Note"},
		"tui.al.hint.note":     {"ko noskaidrojāt", "what you found"},
		"tui.al.note_required": {"Brīdinājumu slēdz ar piezīmi.", "An alert is closed with a note."},
		"tui.al.closed":        {"Brīdinājums %d slēgts.", "Alert %d closed."},
		"tui.al.key.close":     {"slēgt", "close"},
		"tui.al.key.save":      {"saglabāt", "save"},

		"tui.pr.title":         {"Paroles atjaunošana gaida otru personu", "Password resets waiting for a second person"},
		"tui.pr.none":          {"Neviena priviliģēta paroles atjaunošana negaida apstiprinājumu.", "No privileged reset is waiting for approval."},
		"tui.pr.row":           {"#%d · pieprasījums %d · %s · pieprasīja %s, %s", "#%d · request %d · %s · asked by %s, %s"},
		"tui.pr.own":           {"Šo atjaunošanu pieprasījāt jūs; to apstiprina cits palīdzības dienesta vai drošības darbinieks.", "You asked for this reset; another helpdesk or security person approves it."},
		"tui.pr.explain":       {"Iestādes administratora vai aģentūras darbinieka parolei saiti sūta tikai pēc otras personas apstiprinājuma.", "The link for an institution administrator's or agency employee's password is sent only after a second person approves."},
		"tui.pr.confirm":       {"Apstiprināt paroles atjaunošanu #%d kontam %s? Saite tiks nosūtīta uz konta apstiprināto adresi.", "Approve reset #%d for %s? The link goes to the account's confirmed address."},
		"tui.pr.refuse_title":  {"Atteikt paroles atjaunošanu #%d", "Refuse reset #%d"},
		"tui.pr.note":          {"Piezīme", "Note"},
		"tui.pr.note_required": {"Atteikumam vajag piezīmi.", "A refusal needs a note."},
		"tui.pr.approved":      {"Paroles atjaunošana #%d apstiprināta; saite nosūtīta.", "Reset #%d approved; the link is sent."},
		"tui.pr.refused":       {"Paroles atjaunošana #%d atteikta.", "Reset #%d refused."},
		"tui.pr.key.open":      {"gaida apstiprinājumu", "awaiting approval"},
		"tui.pr.key.approve":   {"apstiprināt", "approve"},
		"tui.pr.key.refuse":    {"atteikt", "refuse"},
		"tui.pr.key.back":      {"atpakaļ", "back"},
	})
}
