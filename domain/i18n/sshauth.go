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
	})
}
