package i18n

// Messages of access denial (¶24, ¶32) and its sweeps, in the terms of
// use's own words: liegt piekļuvi, atjaunot piekļuvi, pamats, nāves
// gadījums, Fizisko personu reģistrs. Screen labels belong to the
// screens' files.
func init() {
	register(map[string][2]string{
		// Who may deny and restore access.
		"denial.no_operator": {
			"Piekļuvi var liegt un atjaunot tikai pieteicies operators.",
			"Only a signed-in operator can deny or restore access.",
		},
		"denial.not_security": {
			"Šim darbam nepieciešama drošības speciālista loma.",
			"This needs the security role.",
		},
		"denial.self": {
			"Jūs nevarat liegt vai atjaunot piekļuvi pats sev.",
			"You cannot deny or restore your own access.",
		},
		"denial.own": {
			"To jāapstiprina citam drošības speciālistam: savu lēmumu apstiprināt nevar.",
			"A second security officer must approve this: nobody approves their own decision.",
		},

		// The form and the states.
		"denial.bad_subject":     {"Nezināms subjekta veids %q.", "Unknown kind of subject %q."},
		"denial.bad_ground":      {"Nezināms piekļuves liegšanas pamats %q.", "Unknown ground for denying access %q."},
		"denial.note_required":   {"Norādiet, kāpēc piekļuve tiek liegta.", "Say why access is denied."},
		"denial.reason_required": {"Norādiet pamatojumu.", "Give a reason."},
		"denial.too_long":        {"Piezīme vai pierādījumi ir pārāk gari.", "The note or the evidence is too long."},
		"denial.bad_text": {
			"Piezīmē vai pierādījumos ir neatļautas rakstzīmes (vadības rakstzīmes, neredzamas virziena zīmes vai bojāts UTF-8).",
			"The note or the evidence holds characters that are not allowed (control characters, invisible direction marks or broken UTF-8).",
		},
		"denial.no_subject": {"Šāds subjekts (%s) nav atrasts.", "No such subject (%s)."},
		"denial.not_found":  {"Piekļuves liegums nav atrasts.", "The denial was not found."},
		"denial.exists": {
			"Piekļuve uz šī pamata jau ir liegta vai gaida apstiprinājumu.",
			"Access is denied on this ground already, or waits for approval.",
		},
		"denial.changed": {
			"Kāds cits tikko mainīja šo piekļuves liegumu. Apskatiet to vēlreiz.",
			"Someone else has just changed this denial. Look at it again.",
		},
		"denial.not_in_force": {"Šis piekļuves liegums nav spēkā.", "This denial is not in force."},
		"denial.not_pending":  {"Šeit nekas negaida apstiprinājumu.", "Nothing waits for approval here."},

		// Sweeps.
		"sweep.unknown":    {"Nezināma pārbaude %q.", "Unknown sweep %q."},
		"sweep.lease_lost": {"Pārbaudi pārņēma cits serveris.", "Another server took the sweep over."},

		// The command line.
		"cli.help.sweep": {
			`ppp sweep NOSAUKUMS [--report | --dry-run]

Vienreiz palaiž plānoto pārbaudi un izdrukā tās skaitus:
  role-expiry        beidz lomas, kuru derīgums beidzies (32.1.), un brīdina 30 un 7 dienas iepriekš
  auth-deactivated   liedz piekļuvi lietotājiem ar deaktivizētu autentifikācijas līdzekli (32.2.)
  death-check        salīdzina personas ar Fizisko personu reģistru (32.8.)
  reverify           salīdzina aktīvās izglītības iestādes ar Uzņēmumu reģistru un VIIS (cikls: ppp reverify cycle)
  retention          dzēš vai samazina datus pēc to glabāšanas termiņa (ppp retention); ar --dry-run tikai saskaita
  misuse-signals     meklē ļaunprātīgas izmantošanas signālus par pieteicējiem un iestādēm (sliekšņi: ppp misuse thresholds)

ppp sweep death-check --report izdrukā nāves gadījumu pārbaudes pārskatu un beidzas ar kodu 1, ja kāda pārbaude ir nokavēta, persona nav atrasta reģistrā vai reģistra dati ir novecojuši (lietotāji bez personas koda tiek uzskaitīti, bet koda nemaina).`,
			`ppp sweep NAME [--report | --dry-run]

Runs a scheduled sweep once and prints its counts:
  role-expiry        ends roles whose validity ran out (32.1) and warns 30 and 7 days before
  auth-deactivated   denies access to users whose sign-in method was deactivated (32.2)
  death-check        checks persons against the Population Register (32.8)
  reverify           compares active institutions with the Register of Enterprises and VIIS (cycle: ppp reverify cycle)
  retention          deletes or minimises data past its retention period (ppp retention); --dry-run only counts
  misuse-signals     looks for misuse by applicants and providers (thresholds: ppp misuse thresholds)

ppp sweep death-check --report prints the death-check compliance report and exits 1 while any check is overdue, any person was not found in the register or its data was stale (users without a personal code are listed but do not fail it).`,
		},
		"cli.sweep.ran":     {"%s: %s, %s (%s)", "%s: %s, %s (%s)"},
		"cli.sweep.skipped": {"%s: to pašlaik izpilda cits serveris; nekas netika darīts", "%s: another server is running it now; nothing was done"},
		"cli.sweep.report_head": {
			"Nāves gadījumu pārbaude (32.8.): %s, %s, vecākā pārbaude %s",
			"Death check (32.8): %s, %s, oldest check %s",
		},
		"cli.sweep.report_next": {"Nākamās pārbaudes:", "Due next:"},
		"cli.sweep.report_due":  {"  %s  #%d %s", "  %s  #%d %s"},
		"cli.sweep.never":       {"nav", "none"},
	})
}
