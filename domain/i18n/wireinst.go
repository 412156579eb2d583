package i18n

// Institutions joined with their re-verification and sanctions (issue 17,
// task "wireinst"): the dashboard's re-verification tile, the page's
// re-verification and sanction sections, the list's due filter and the
// note an escalation leaves on a sanction case.
func init() {
	register(map[string][2]string{
		"queue.reverify": {"Iestāžu pārbaude pret reģistriem", "Institution re-verification"},
	})
}
