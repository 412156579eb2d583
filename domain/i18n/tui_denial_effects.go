package i18n

// Screen texts of a denial's effects (¶24, ¶32): the lift that requires a
// new password (¶32.3, ¶32.6) and a reviewer's work on the role
// assignments of the person a role request is about (¶32.1).
func init() {
	register(map[string][2]string{
		"tui.den.field.new_password":   {"Parole", "Password"},
		"tui.den.new_password_caption": {"jāmaina nākamajā pieteikšanās reizē (32.3., 32.6.)", "to be changed at the next sign-in (32.3, 32.6)"},
		"tui.den.f.new_password":       {"Parole", "Password"},

		"tui.rr.key.assignment":   {"mainīt personas lomu (pagarināt, beigt, atjaunot)", "change a role of the person (extend, end, renew)"},
		"tui.rr.short.assignment": {"lomas", "roles"},
		"tui.rr.asg.line":         {"#%d %s · %s · %s–%s · %s", "#%d %s · %s · %s–%s · %s"},
		"tui.rr.asg.running":      {"spēkā", "running"},
		"tui.rr.asg.suspended":    {"apturēta (piekļuve liegta)", "suspended (access denied)"},
		"tui.rr.asg.ended":        {"beigusies %s: %s", "ended %s: %s"},
		"tui.rr.asg.expired":      {"beidzies derīgums", "validity ran out"},
		"tui.rr.asg.title":        {"Personas loma — pieteikums #%d, %s", "A role of the person — request #%d, %s"},
		"tui.rr.asg.intro": {
			"Norādiet lomas numuru no saraksta „Personas lomas”. Pagarināt un beigt var spēkā esošu lomu, atjaunot — beigušos (bez jauna pieteikuma, 32.1.).",
			"Give the number of a role from the list \"Roles of the person\". A running role can be extended or ended, an ended one renewed (without a new request, 32.1).",
		},
		"tui.rr.asg.field.number":  {"Lomas nr.", "Role no."},
		"tui.rr.asg.field.action":  {"Darbība", "Action"},
		"tui.rr.asg.action.extend": {"pagarināt", "extend"},
		"tui.rr.asg.action.end":    {"beigt", "end"},
		"tui.rr.asg.action.renew":  {"atjaunot", "renew"},
		"tui.rr.asg.pick":          {"Norādiet lomas numuru no saraksta.", "Give the number of a role from the list."},
		"tui.rr.asg.changed":       {"Loma mainīta.", "The role was changed."},
	})
	registerCounted(map[string][2]Plural{
		"tui.rr.sec.assignments": {{Other: "Personas lomas (%d)"}, {Other: "Roles of the person (%d)"}},
	})
}
