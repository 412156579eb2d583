package i18n

// ¶29.3, a career consultant of a registered institution: the request's
// wait at the institution, its reminders, the Agency's reminder after the
// take-over limit, and what an approval grants (package
// tui/pages/rolerequests).
func init() {
	register(map[string][2]string{
		"tui.rr.event.institution_notified":           {"iestādei paziņots", "the institution told"},
		"tui.rr.event.institution_reminded":           {"iestādei atgādināts", "the institution reminded"},
		"tui.rr.event.institution_reminded_by_agency": {"Aģentūra atgādināja iestādei", "the Agency reminded the institution"},

		"tui.rr.key.remind":     {"atgādināt iestādei", "remind the institution"},
		"tui.rr.short.remind":   {"atgādināt", "remind"},
		"tui.rr.reminded":       {"Iestādei nosūtīts atgādinājums par pieteikumu #%d.", "The institution has been reminded of request #%d."},
		"tui.rr.remind_title":   {"Atgādināt iestādei par pieteikumu #%d", "Remind the institution of request #%d"},
		"tui.rr.remind_intro":   {"Pieteikums gaida iestādē kopš %s; termiņš beidzās %s. Pieteikums paliek iestādē, termiņš netiek atjaunots (29.3. p.).", "The request has waited at the institution since %s; the time ended %s. It stays with the institution; the time is not reset (¶29.3)."},
		"tui.rr.field.note":     {"Piezīme iestādei (nav obligāta)", "Note to the institution (optional)"},
		"tui.rr.sec.consultant": {"Iestādes lēmums (29.3. p.)", "The institution's decision (¶29.3)"},

		"tui.rr.f.waiting_since":   {"Gaida iestādē kopš", "Waiting there since"},
		"tui.rr.f.takeover_from":   {"Aģentūra var pārņemt no", "Agency may take over from"},
		"tui.rr.f.reminder":        {"Atgādinājums iestādei", "Reminder to the institution"},
		"tui.rr.f.agency_reminded": {"Aģentūras atgādinājums", "The Agency's reminder"},
		"tui.rr.f.grants":          {"Apstiprinājums piešķirs", "Approval will grant"},
		"tui.rr.reminder.sent":     {"nosūtīts %s", "sent %s"},
		"tui.rr.reminder.due":      {"tiks nosūtīts %s", "due %s"},
		"tui.rr.grants.institution": {"karjeras konsultanta lomu iestādē „%s” (apstiprina iestāde)",
			"the career consultant role in \"%s\" (the institution approves)"},
		"tui.rr.grants.unscoped": {"karjeras konsultanta lomu BEZ iestādes piesaistes (Aģentūras apstiprināts, 29.3. p.)",
			"the career consultant role WITHOUT the institution's scope (Agency-approved, ¶29.3)"},
	})
}
