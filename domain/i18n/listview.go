package i18n

// The list screens' component (tui/components/listview).
func init() {
	register(map[string][2]string{
		"tui.key.open": {"atvērt", "open"},
	})
}
