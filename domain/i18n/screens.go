package i18n

// Navigation between screens (issue 14): the short names a crowded tab bar
// shows, the jump list (":" or ctrl+p) and the screens in the help
// overlay. Keys start with "tui.tab.short.", "tui.jump." and "tui.help.".
func init() {
	register(map[string][2]string{
		"tui.tab.short.rolerequests":  {"Pieteik.", "Requests"},
		"tui.tab.short.helpdesk":      {"Piepras.", "Helpdesk"},
		"tui.tab.short.terms":         {"Noteik.", "Terms"},
		"tui.tab.short.announcements": {"Paziņoj.", "Notices"},
		"tui.tab.short.denials":       {"Liegumi", "Denials"},
		"tui.tab.short.operators":     {"Darbin.", "Operators"},
		"tui.tab.short.audit":         {"Audits", "Audit"},
		"tui.tab.short.alerts":        {"Brīdin.", "Alerts"},
		"tui.tab.short.signins":       {"Pierakst.", "Sign-ins"},
		"tui.tab.short.policy":        {"Politika", "Policy"},

		"tui.key.jump":     {"ekrāni", "screens"},
		"tui.help.screens": {"Ekrāni", "Screens"},

		"tui.jump.title":  {"Pāriet uz ekrānu", "Go to a screen"},
		"tui.jump.hint":   {"daļa no nosaukuma vai numurs", "part of its name, or its number"},
		"tui.jump.none":   {"Neviens ekrāns neatbilst.", "No screen matches."},
		"tui.jump.key.go": {"atvērt", "open"},
	})
}
