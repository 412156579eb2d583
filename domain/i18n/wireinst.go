package i18n

// Institutions joined with their re-verification and sanctions (issue 17,
// task "wireinst"): the dashboard's re-verification tile, the page's
// re-verification and sanction sections, the list's due filter and the
// note an escalation leaves on a sanction case.
func init() {
	register(map[string][2]string{
		"queue.reverify": {"Iestāžu pārbaude pret reģistriem", "Institution re-verification"},

		"tui.ins.sec.reverify":      {"Pārbaude pret reģistriem", "Re-verification"},
		"tui.ins.sec.sanctions":     {"Sankcijas (32.5., 32.7. p.)", "Sanctions (¶32.5, ¶32.7)"},
		"tui.ins.reverify_when":     {"Pēdējā pārbaude: %s · nākamā: %s", "Last re-verified: %s · next due: %s"},
		"tui.ins.reverify_item":     {"#%d %s · %s · %s", "#%d %s · %s · %s"},
		"tui.ins.sanctions_none":    {"Iestādei nav sankciju lietu.", "The institution has no sanction cases."},
		"tui.ins.sanction":          {"lieta #%d %s · solis: %s · %s · atvērta %s", "case #%d %s · step: %s · %s · opened %s"},
		"tui.ins.sanction_in_force": {"· spēkā: %s", "· in force: %s"},
		"tui.ins.sanction_until":    {"· spēkā: %s līdz %s", "· in force: %s until %s"},
	})
}
