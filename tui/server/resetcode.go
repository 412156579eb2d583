package server

// extMustChange marks a session signed in with a one-time reset code
// (¶31.3; the AuthService redeems it, see checkAnswer): the operator sets
// a new password before anything else.
const extMustChange = "ppp-must-change-password"

// mustChangePassword reports whether the session signed in with a
// one-time code.
func mustChangePassword(sess *session) bool {
	perms := sess.Permissions()
	return perms.Permissions != nil && perms.Extensions[extMustChange] == "1"
}
