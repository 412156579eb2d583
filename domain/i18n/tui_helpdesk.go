package i18n

// The helpdesk's screen (package tui/pages/helpdesk): requests that came
// by mail to stars@viaa.gov.lv, their thread, the matched account, and
// the actions on them; and the operator's forced password change after
// signing in with a one-time code (tui/app). Keys start with "tui.hd." and
// "tui.pw.". A ticket is a "pieprasījums" (not "pieteikums", which is a
// role request or an IMK application, nor "biļete"); the categories are
// the brief's: paroles atjaunošana, darbības apturēšana (¶32.4),
// incidents (¶17.5), jautājums (¶22).
func init() {
	register(map[string][2]string{
		"tui.tab.helpdesk": {"Pieprasījumi", "Helpdesk"},

		"tui.hd.helpdesk_only": {"Šis ekrāns ir pieejams palīdzības dienestam.", "Only the helpdesk can use this screen."},

		"tui.hd.queue_title": {"Pieprasījumi no stars@viaa.gov.lv", "Requests to stars@viaa.gov.lv"},
		"tui.hd.search":      {"Meklēt", "Search"},
		"tui.hd.hint.search": {"temats, sūtītāja adrese vai viss personas kods", "subject, sender's address or whole personal code"},
		"tui.hd.none":        {"Neviens pieprasījums neatbilst atlasei.", "No request matches the filter."},
		"tui.hd.filter.open": {"jauni un procesā", "new and in progress"},
		"tui.hd.filter.all":  {"visi", "all"},

		"tui.hd.col.subject":  {"Temats", "Subject"},
		"tui.hd.col.sender":   {"Sūtītājs", "Sender"},
		"tui.hd.col.category": {"Kategorija", "Category"},
		"tui.hd.col.state":    {"Statuss", "State"},
		"tui.hd.col.age":      {"Gaida", "Waiting"},
		"tui.hd.col.match":    {"K", "A"},
		"tui.hd.col.holder":   {"Apstrādā", "Held by"},

		"tui.hd.cat.password_reset": {"paroles atjaunošana", "password reset"},
		"tui.hd.cat.suspension":     {"darbības apturēšana (32.4.)", "suspension (¶32.4)"},
		"tui.hd.cat.incident":       {"incidents (17.5.)", "incident (¶17.5)"},
		"tui.hd.cat.question":       {"jautājums (22.)", "question (¶22)"},
		"tui.hd.cat.other":          {"cits", "other"},

		"tui.hd.state.new":         {"jauns", "new"},
		"tui.hd.state.in_progress": {"procesā", "in progress"},
		"tui.hd.state.waiting":     {"gaida lietotāju", "waiting for the user"},
		"tui.hd.state.resolved":    {"atrisināts", "resolved"},

		"tui.hd.kind.platform_user": {"Platformas lietotājs", "Platform user"},
		"tui.hd.kind.operator":      {"darbinieks", "operator"},
		"tui.hd.no_match":           {"nav apstiprinātas atbilstības", "no confirmed match"},

		"tui.hd.detail.title":     {"Pieprasījums %d: %s", "Request %d: %s"},
		"tui.hd.claim.yours":      {"Jūs to apstrādājat (līdz %s).", "You hold it (until %s)."},
		"tui.hd.claim.other":      {"To apstrādā %s.", "%s holds it."},
		"tui.hd.claim.free":       {"Neviens to neapstrādā.", "Nobody holds it."},
		"tui.hd.claim_lost":       {"Jūs vairs neapstrādājat pieprasījumu %d: to apstrādā %s.", "You no longer hold request %d: %s does."},
		"tui.hd.held_by":          {"Pieprasījumu %d apstrādā %s.", "Request %d is held by %s."},
		"tui.hd.conflict.changed": {"Pieprasījums pa to laiku ir mainījies; apskatiet to vēlreiz.", "The request changed meanwhile; look at it again."},

		"tui.hd.sec.request":   {"Pieprasījums", "Request"},
		"tui.hd.f.from":        {"Sūtītājs", "From"},
		"tui.hd.f.account":     {"Konts", "Account"},
		"tui.hd.f.category":    {"Kategorija", "Category"},
		"tui.hd.f.received":    {"Saņemts", "Received"},
		"tui.hd.category_vs":   {"%s (ieteikta: %s)", "%s (suggested: %s)"},
		"tui.hd.category_same": {"%s (kā ieteikts)", "%s (as suggested)"},
		"tui.hd.ago":           {"%s (pirms %s)", "%s (%s ago)"},
		"tui.hd.no_messages":   {"Vēstuļu nav.", "No messages."},
		"tui.hd.msg.in":        {"%d. ← %s, %s", "%d. ← %s, %s"},
		"tui.hd.msg.out":       {"%d. → atbildēja %s, %s (%s)", "%d. → reply by %s, %s (%s)"},
		"tui.hd.msg.subject":   {"Temats: %s", "Subject: %s"},
		"tui.hd.msg.raw":       {"Vēstuli neizdevās nolasīt; parādīta neapstrādāta.", "The message could not be parsed; shown raw."},
		"tui.hd.msg.attach":    {"%s (%s, %s)", "%s (%s, %s)"},
		"tui.hd.msg.empty":     {"(bez teksta)", "(no text)"},

		"tui.hd.why.resolved":    {"Pieprasījums ir atrisināts.", "The request is resolved."},
		"tui.hd.why.not_claimed": {"Jūs šo pieprasījumu neapstrādājat; aizveriet un atveriet to vēlreiz.", "You do not hold this request; close it and open it again."},
		"tui.hd.why.no_match":    {"Neviens konts nav atrasts pēc apstiprinātas e-pasta adreses.", "No account matches a confirmed e-mail address."},
		"tui.hd.why.no_password": {"Konts piesakās caur Latvija.gov.lv, un tam nav Platformas paroles (14.): atbildiet ar paskaidrojošo veidni.", "The account signs in through Latvija.gov.lv and has no Platform password (¶14): reply with the explaining template."},

		"tui.hd.category_title":     {"Pieprasījuma %d kategorija", "Category of request %d"},
		"tui.hd.category_from":      {"Pašreizējā: %s", "Now: %s"},
		"tui.hd.category_suggested": {"Ieteikta pēc teksta: %s", "Suggested by the text: %s"},
		"tui.hd.category_keys":      {"c vai ↑/↓ — izvēlēties, enter — mainīt, esc — atpakaļ", "c or ↑/↓ to choose, enter to change, esc to go back"},

		"tui.hd.reset_title":            {"Paroles atjaunošana — pieprasījums %d", "Password reset — request %d"},
		"tui.hd.reset_account":          {"Konts: %s", "Account: %s"},
		"tui.hd.reset_explain":          {"Vienreizēja saite paroles atjaunošanai tiks nosūtīta uz konta apstiprināto e-pasta adresi un derēs 60 minūtes. Palīdzības dienests saiti un paroli neredz un neizvēlas. Ja sūtītājs nav konta apstiprinātā adrese, atjaunošana tiks atteikta.", "A single-use password-reset link goes to the account's confirmed e-mail address and works for 60 minutes. The helpdesk never sees the link or the password and never chooses one. If the sender is not the account's confirmed address, the reset is refused."},
		"tui.hd.reset_explain_operator": {"Konts ir darbinieka konts: atjaunošanu vispirms apstiprina otra palīdzības dienesta vai drošības persona; tad uz darbinieka e-pasta adresi tiks nosūtīts vienreizējs kods pieteikšanās reizei (SSH), pēc kuras jāizvēlas jauna parole. Palīdzības dienests kodu un paroli neredz.", "This is a back-office operator: a second helpdesk or security person must approve the reset first; then a one-time sign-in code goes to the operator's e-mail address for one SSH sign-in, after which they must choose a new password. The helpdesk never sees the code or the password."},
		"tui.hd.confirm_keys":           {"enter — apstiprināt, esc — atpakaļ", "enter to confirm, esc to go back"},

		"tui.hd.reply_title":                 {"Atbildēt uz pieprasījumu %d (%s)", "Reply to request %d (%s)"},
		"tui.hd.field.template":              {"Veidne", "Template"},
		"tui.hd.field.lang":                  {"Valoda", "Language"},
		"tui.hd.field.state":                 {"Jaunais statuss", "New state"},
		"tui.hd.field.text":                  {"Teksts", "Text"},
		"tui.hd.hint.text":                   {"brīvā teksta atbildei obligāts; veidnei — papildinājums", "required for a free-text reply; added to a template"},
		"tui.hd.tmpl.helpdesk.reply":         {"brīvs teksts", "free text"},
		"tui.hd.tmpl.helpdesk.no_password":   {"nav Platformas paroles (14.)", "no Platform password (¶14)"},
		"tui.hd.tmpl.helpdesk.reset_refused": {"atjaunošana atteikta", "reset refused"},
		"tui.hd.lang.lv":                     {"latviešu", "Latvian"},
		"tui.hd.lang.en":                     {"angļu", "English"},
		"tui.hd.text_required":               {"Brīvā teksta atbildei vajag tekstu.", "A free-text reply needs text."},
		"tui.hd.sending":                     {"Sūta…", "Sending…"},

		"tui.hd.suspend_title": {"Darbības apturēšana (32.4.) — pieprasījums %d, %s", "Suspension (¶32.4) — request %d, %s"},
		"tui.hd.suspend_intro": {"Pieprasījums nonāks pie drošības speciālista apstiprināšanai.", "The request goes to a security officer for approval."},
		"tui.hd.field.note":    {"Piezīme", "Note"},
		"tui.hd.hint.note":     {"kāpēc apturēt; redzēs drošības speciālists", "why to suspend; the security officer reads it"},
		"tui.hd.note_required": {"Vajag piezīmi.", "A note is required."},

		"tui.hd.done.category": {"Pieprasījuma %d kategorija mainīta.", "The category of request %d was changed."},
		"tui.hd.done.reply":    {"Atbilde uz pieprasījumu %d ielikta izsūtāmo vēstuļu rindā.", "The reply to request %d is queued for sending."},
		"tui.hd.done.reset":    {"Pieprasījums %d: paroles atjaunošana nosūtīta uz konta apstiprināto adresi.", "Request %d: the password reset was sent to the account's confirmed address."},
		"tui.hd.done.suspend":  {"Pieprasījums %d: apturēšana gaida drošības speciālista apstiprinājumu.", "Request %d: the suspension waits for a security officer's approval."},

		"tui.hd.key.state_filter":    {"statuss", "state"},
		"tui.hd.key.category_filter": {"kategorija", "category"},
		"tui.hd.key.category":        {"kategorija", "category"},
		"tui.hd.key.reply":           {"atbildēt", "reply"},
		"tui.hd.key.reset":           {"paroles atjaunošana", "password reset"},
		"tui.hd.key.suspend":         {"apturēt", "suspend"},
		"tui.hd.short.reset":         {"parole", "reset"},
		"tui.hd.key.cycle":           {"nākamā", "next"},
		"tui.hd.key.send":            {"sūtīt", "send"},

		"tui.pw.title":       {"Jānomaina parole", "You must change your password"},
		"tui.pw.intro":       {"Jūs pieteicāties ar vienreizēju kodu. Pirms darba izvēlieties jaunu paroli (31. punkts: vismaz 9 zīmes, mazie un lielie latīņu burti, cipars un speciālā zīme; ne no biežāk lietotajām).", "You signed in with a one-time code. Before you go on, choose a new password (¶31: at least 9 characters, lower- and upper-case Latin letters, a digit and a special character; not a common one)."},
		"tui.pw.field.new":   {"Jaunā parole", "New password"},
		"tui.pw.field.again": {"Atkārtoti", "Again"},
		"tui.pw.mismatch":    {"Paroles nesakrīt.", "The passwords differ."},
		"tui.pw.done":        {"Parole nomainīta.", "Your password was changed."},
		"tui.pw.keys":        {"tab — nākamais lauks, enter — saglabāt, ctrl+c — iziet", "tab for the next field, enter to save, ctrl+c to leave"},
	})
}
