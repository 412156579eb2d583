package i18n

// Each IMK eligibility decision in a person's data on request (issue 18,
// GDPR Art. 15): the text format of `ppp person export` lists every
// decision of an application, not only the latest.
func init() {
	register(map[string][2]string{
		"pexd.decision":  {"Lēmums %s: %s", "Decision %s: %s"},
		"pexd.automatic": {"Izlēma: automātiskā pārbaude", "Decided by: the automatic check"},
		"pexd.reason":    {"Pamatojums: %s", "Reason: %s"},
		"pexd.policy":    {"Mērķa grupas politikas versija: %s", "Target-group policy version: %s"},
	})
}
