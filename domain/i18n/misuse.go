package i18n

// The messages of the misuse signals about applicants and providers
// (issue 18, task "misuse"): the refusals of domain/misuse.go and
// storage/misuse.go, the signals' view of the alerts screen ("tui.ms."),
// and `ppp misuse`.
func init() {
	register(map[string][2]string{
		"misuse.kind_unknown":    {"Nezināms signāla veids %q.", "Unknown signal kind %q."},
		"misuse.threshold_range": {"Slieksnis ir no %d līdz %d.", "The threshold is %d to %d."},
		"misuse.window_range":    {"Laika logs ir veselās minūtēs, no minūtes līdz 366 dienām.", "The window is whole minutes, a minute to 366 days."},
		"misuse.closed":          {"Signāls jau ir slēgts.", "The signal is already closed."},
		"misuse.not_found":       {"Tāda signāla nav.", "No such signal."},
		"misuse.not_admin":       {"Sliekšņus maina administrators.", "The thresholds are changed by administrators."},

		"tui.den.sweep.misuse-signals": {"Ļaunprātīgas izmantošanas signāli", "Misuse signals"},

		"tui.ms.title":               {"Atvērtie signāli par pieteicējiem un iestādēm", "Open signals on applicants and providers"},
		"tui.ms.none":                {"Atvērtu signālu nav.", "No open signals."},
		"tui.ms.key.view":            {"signāli par pieteicējiem", "signals on applicants"},
		"tui.ms.key.staff":           {"brīdinājumi par darbiniekiem", "alerts on staff"},
		"tui.ms.col.kind":            {"Par ko", "About"},
		"tui.ms.col.subject":         {"Kas", "Who or what"},
		"tui.ms.kind.shared_contact": {"kopīgs kontakts", "shared contact"},
		"tui.ms.kind.imk_contact":    {"IMK kopīgs e-pasts", "IMK shared e-mail"},
		"tui.ms.kind.request_burst":  {"pieteikumu vilnis", "burst of requests"},
		"tui.ms.kind.reset_burst":    {"daudz paroles maiņu", "many password resets"},
		"tui.ms.detail":              {"%s: %s — %d (slieksnis %d), %s–%s. Pierādījumi: %s", "%s: %s — %d (threshold %d), %s–%s. Evidence: %s"},
		"tui.ms.ev.role_request":     {"lomu pieteikumi", "role requests"},
		"tui.ms.ev.imk_application":  {"IMK pieteikumi", "IMK applications"},
		"tui.ms.ev.ticket":           {"palīdzības pieprasījumi", "helpdesk tickets"},
		"tui.ms.ev.pending_reset":    {"atjaunošanas pieprasījumi", "reset requests"},
		"tui.ms.close_title":         {"Slēgt signālu %d", "Close signal %d"},
		"tui.ms.note_required":       {"Signālu slēdz ar piezīmi.", "A signal is closed with a note."},
		"tui.ms.closed":              {"Signāls %d slēgts.", "Signal %d closed."},

		"cli.help.misuse": {
			"Lietojums: ppp misuse thresholds | ppp misuse threshold VEIDS SLIEKSNIS LOGS\n  Parāda vai maina (administrators, auditēts) signālu sliekšņus; LOGS ir ilgums, piem. 1h, 720h.\n  VEIDS: shared_contact, imk_contact, request_burst, reset_burst.",
			"Usage: ppp misuse thresholds | ppp misuse threshold KIND THRESHOLD WINDOW\n  Shows or changes (administrators, audited) the signals' thresholds; WINDOW is a duration, e.g. 1h, 720h.\n  KIND: shared_contact, imk_contact, request_burst, reset_burst.",
		},
		"cli.misuse.threshold": {"%s: %d %s laikā (mainīts %s, %s)", "%s: %d within %s (changed %s, %s)"},
	})
}
