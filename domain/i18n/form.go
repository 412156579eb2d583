package i18n

// The form component's own words (tui/components/form): what its fields
// say beside what the page names.
func init() {
	register(map[string][2]string{
		"tui.form.pick":            {"izvēlēties", "choose"},
		"tui.form.move":            {"pārvietoties", "move"},
		"tui.form.hint.date":       {"GGGG-MM-DD", "YYYY-MM-DD"},
		"tui.form.hint.datetime":   {"GGGG-MM-DD hh:mm", "YYYY-MM-DD hh:mm"},
		"tui.form.date.format":     {"Datumu raksta kā GGGG-MM-DD, piemēram, %s.", "Write the date as YYYY-MM-DD, e.g. %s."},
		"tui.form.datetime.format": {"Laiku raksta kā GGGG-MM-DD hh:mm, piemēram, %s.", "Write the time as YYYY-MM-DD hh:mm, e.g. %s."},
	})
}
