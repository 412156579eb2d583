package i18n

// The list screens' component (tui/components/listview).
func init() {
	register(map[string][2]string{
		"tui.key.open":          {"atvērt", "open"},
		"tui.pol.why.not_draft": {"Dzēst var tikai melnrakstu.", "Only a draft can be discarded."},
	})
}
