package i18n

// One person, one record and the ¶32.8 checks that prove something
// (issue 16).
func init() {
	register(map[string][2]string{
		"config.bad_max_data_age": {
			"PPP_DEATH_CHECK_MAX_DATA_AGE nav ne ilgums (744h), ne dienas (31d)",
			"PPP_DEATH_CHECK_MAX_DATA_AGE is neither a duration (744h) nor days (31d)",
		},
		"cli.sweep.report_outcomes": {
			"Nepabeigtas pārbaudes: nav atrastas reģistrā %d, novecojuši dati %d; lietotāji bez personas koda (nevar pārbaudīt) %d",
			"Checks not completed: not found in the register %d, stale data %d; users without a personal code (cannot be checked) %d",
		},
		"cli.sweep.report_overdue":   {"Nokavētas (pēdējā pārbaude):", "Overdue (last check):"},
		"cli.sweep.report_not_found": {"Nav atrastas reģistrā (pēdējais mēģinājums):", "Not found in the register (last attempt):"},
		"cli.sweep.report_stale":     {"Novecojuši reģistra dati (pēdējais mēģinājums):", "Stale register data (last attempt):"},
		"cli.sweep.report_no_code":   {"Lietotāji bez personas koda (27.2.), nevar pārbaudīt (reģistrēti):", "Users without a personal code (27.2), cannot be checked (registered):"},
		"cli.sweep.report_person":    {"  %s  persona #%d, lietotājs #%d %s", "  %s  person #%d, user #%d %s"},
		"cli.sweep.failing": {
			"nāves gadījumu pārbaude nav pabeigta visām personām (nokavētas, nav atrastas vai novecojuši dati)",
			"the death check is not complete for every person (overdue, not found or stale data)",
		},
		"tui.den.dc.open": {
			"Nepabeigtas: nav reģistrā %d, novecojuši dati %d · bez personas koda %d",
			"Not completed: not in the register %d, stale data %d · without a personal code %d",
		},
		"tui.den.dc.not_found": {"Nav reģistrā:", "Not in the register:"},
		"tui.den.dc.stale":     {"Novecojuši dati:", "Stale data:"},
		"tui.den.dc.no_code":   {"Bez personas koda (nevar pārbaudīt):", "Without a personal code (cannot be checked):"},
		"cli.registers.linked": {
			"Personu kodi sasaistīti: %d; personas apvienotas: %d; konflikti cilvēkam: %d",
			"Personal codes linked: %d; persons merged: %d; conflicts for a person: %d",
		},
	})
}
