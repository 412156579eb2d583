package i18n

// The people page's words for stored tokens: a denial's effects
// (domain.DenialEffects) and the Platform's sign-in methods
// (domain.PlatformSignInMethods).
func init() {
	register(map[string][2]string{
		"tui.ppl.effect.sign_in":     {"pieteikšanās liegta", "sign-in denied"},
		"tui.ppl.effect.assignment":  {"loma apturēta", "role suspended"},
		"tui.ppl.effect.institution": {"iestāde apturēta", "institution suspended"},
		"tui.ppl.effect.operator":    {"operators atspējots", "operator disabled"},
		"tui.ppl.effect.imk":         {"IMK apturēts", "IMK suspended"},
		"tui.ppl.effect.count":       {"%s (%d)", "%s (%d)"},

		"tui.ppl.signin.eparaksts_mobile": {"eParaksts mobile", "eParaksts mobile"},
		"tui.ppl.signin.eid_card":         {"eID karte", "eID card"},
		"tui.ppl.signin.smart_id":         {"Smart-ID", "Smart-ID"},
		"tui.ppl.signin.eu_eid":           {"citas ES valsts eID", "another EU country's eID"},
		"tui.ppl.signin.password":         {"e-pasts un parole", "e-mail and password"},
	})
}
