package i18n

// The person page's account: its contact history (who asked, who
// decided, the states of e-mail change requests) and bulk actions from
// the people search (issue 17). Keys start with "tui.ppl.".
func init() {
	register(map[string][2]string{
		"tui.ppl.v.ec_pending":      {"gaida otru personu", "waits for a second person"},
		"tui.ppl.v.ec_approved":     {"apstiprināts", "approved"},
		"tui.ppl.v.ec_refused":      {"atteikts", "refused"},
		"tui.ppl.v.ec_expired":      {"beidzies termiņš", "expired"},
		"tui.ppl.v.change_approved": {"apstiprināta", "approved"},
		"tui.ppl.change":            {"Maiņa: %s", "Change: %s"},
		"tui.ppl.by":                {"Pieprasīja: %s", "Asked by: %s"},
		"tui.ppl.by_decided":        {"Pieprasīja: %s; izlēma: %s", "Asked by: %s; decided by: %s"},
		"tui.ppl.bulk_none":         {"Nevienai atzīmētajai personai nav Platformas konta: nav ko darīt.", "None of the people marked has a Platform account: nothing to do."},
	})
	registerCounted(map[string][2]Plural{
		"tui.ppl.bulk_skipped": {
			{Zero: "Izlaisti %d atzīmēto personu bez Platformas konta.", One: "Izlaista %d atzīmētā persona bez Platformas konta.",
				Other: "Izlaistas %d atzīmētās personas bez Platformas konta."},
			enWord("%d {} marked without a Platform account left out.", "person", "people"),
		},
	})
}
