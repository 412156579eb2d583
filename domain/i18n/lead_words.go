package i18n

// Small texts added by the review after issue 17: the sanction case an
// escalated re-verification went to.
func init() {
	register(map[string][2]string{
		"tui.ins.reverify_case": {"→ lieta #%d", "→ case #%d"},
	})
}

// The IMK detail's section on a contested automatic decision (GDPR Art.
// 22).
func init() {
	register(map[string][2]string{
		"tui.imk.sec.contest":       {"Persona lūdz pārskatīt automātisko lēmumu (VDAR 22. pants)", "The person asks for a review of the automatic decision (GDPR Art. 22)"},
		"tui.imk.f.contest_asked":   {"Lūgts", "Asked"},
		"tui.imk.contest_asked":     {"%s · %s", "%s · %s"},
		"tui.imk.channel.portal":    {"portālā", "on the portal"},
		"tui.imk.channel.mail":      {"ar e-pastu", "by e-mail"},
		"tui.imk.f.contested":       {"Apstrīdēts", "Contested"},
		"tui.imk.contested":         {"%s %s: %s", "%s %s: %s"},
		"tui.imk.f.contest_message": {"Personas vārdi", "The person's words"},
	})
}
