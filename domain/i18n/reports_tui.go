package i18n

// The reports screen (issue 18, task "rptui"): the report picker, the
// period picker, the table, the bar charts and the list behind a figure.
func init() {
	register(map[string][2]string{
		"report.bad_drill": {"Pārskatā %s aiz šī skaitļa saraksta nav.", "Report %s lists nothing behind that figure."},
	})
}
