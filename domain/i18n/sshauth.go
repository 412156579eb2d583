package i18n

// Signing in over SSH, before the operator (and so their language) is
// known, and the command line's account unlock (issue 13).
func init() {
	register(map[string][2]string{
		// The instruction line of the password prompt while the database
		// cannot be reached: shown in both languages.
		"auth.db_unavailable": {
			"Aizmugures birojs nevar sasniegt savu datubāzi; mēģiniet vēlreiz pēc minūtes",
			"The back office cannot reach its database; try again in a minute",
		},
		"cli.operator.unlocked": {
			"Operatora %s parole atbloķēta; neveiksmīgie mēģinājumi tiek skaitīti no jauna.",
			"Operator %s unlocked; their failed attempts count afresh.",
		},
		"cli.serve.bad_proxies": {
			"%s: %q nav IP adrese vai CIDR diapazons.",
			"%s: %q is not an IP address or a CIDR range.",
		},
		"cli.operator.not_locked": {"Operators %s nav bloķēts.", "Operator %s is not locked."},
	})
}
