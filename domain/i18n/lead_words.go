package i18n

// Small texts added by the review after issue 17: the sanction case an
// escalated re-verification went to.
func init() {
	register(map[string][2]string{
		"tui.ins.reverify_case": {"→ lieta #%d", "→ case #%d"},
	})
}
