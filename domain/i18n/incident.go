package i18n

// The messages of incident tickets worked by security officers (¶17.5,
// ¶25) and of ¶32.6 denials raised from them.
func init() {
	register(map[string][2]string{
		"helpdesk.incident_only": {"Drošības speciālisti redz tikai drošības incidentu pieteikumus.", "Security officers see incident tickets only."},
		"helpdesk.not_incident":  {"Piekļuves liegumu pēc 32.6. punkta var piemērot tikai no drošības incidenta pieteikuma.", "A ¶32.6 denial is raised from an incident ticket only."},

		"tui.tab.incidents":       {"Incidenti", "Incidents"},
		"tui.tab.short.incidents": {"Incid.", "Incid."},

		"tui.hd.key.deny_incident": {"liegt piekļuvi (32.6.)", "deny access (¶32.6)"},
		"tui.hd.msg.denial_note":   {"%d. ⚑ %s piemēroja piekļuves liegumu, %s", "%d. ⚑ access denied by %s, %s"},
		"tui.hd.msg.denial_text":   {"Piekļuves liegums Nr. %s (32.6. punkts: drošības incidents); nav nosūtīts sūtītājam.", "Denial #%s (¶32.6: security incident); not sent to the sender."},
		"tui.den.from_ticket":      {"No pieteikuma Nr. %d: pamats 32.6. punkts (drošības incidents); pieteikumā tiks ierakstīta piezīme.", "From ticket #%d: ground ¶32.6 (security incident); the ticket gets a note."},
	})
}
