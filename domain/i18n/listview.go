package i18n

// The list screens' component (tui/components/listview).
func init() {
	register(map[string][2]string{
		"tui.key.open":          {"atvērt", "open"},
		"tui.si.why.admin":      {"Citu operatoru pierakstīšanās vēsturi redz tikai administrators.", "Only an administrator sees another operator's sign-ins."},
		"tui.pol.why.not_draft": {"Dzēst var tikai melnrakstu.", "Only a draft can be discarded."},
	})
}
