package server

import (
	"context"

	"github.com/charmbracelet/ssh"
	"github.com/viaa/ppp/domain"
)

// extMustChange marks a session signed in with a one-time reset code: the
// operator sets a new password before anything else.
const extMustChange = "ppp-must-change-password"

// resetCodeRedeemer is what an AuthService may offer so that an operator
// who forgot their password signs in once with the code e-mailed to them
// (¶31.3); without it, keyboard-interactive takes passwords only.
type resetCodeRedeemer interface {
	RedeemOperatorResetCode(ctx context.Context, name, code string) (*domain.Operator, error)
}

// checkResetCode is tried when the answer to the password prompt was not
// the password: if it has the shape of a one-time code, the AuthService
// redeems it (counting a wrong one as a failed sign-in, like a wrong
// password). A password that obeys ¶31 never has that shape, so a
// mistyped password is not counted twice.
func (s *Server) checkResetCode(ctx ssh.Context, answer string) bool {
	r, ok := s.svc.Auth.(resetCodeRedeemer)
	if !ok || domain.HashOperatorResetCode(answer) == nil {
		return false
	}
	tctx, cancel := context.WithTimeout(ctx, s.cfg.AuthTimeout)
	defer cancel()
	// The redeemer counts failures per address from the actor's.
	tctx = domain.WithActor(tctx, domain.Actor{Name: ctx.User(), RemoteAddr: clientIP(ctx.RemoteAddr())})
	op, err := r.RedeemOperatorResetCode(tctx, ctx.User(), answer)
	if err != nil || op == nil {
		return false
	}
	setExtensions(ctx, op.ID, domain.SignInPassword, "")
	ctx.Permissions().Extensions[extMustChange] = "1"
	return true
}

// mustChangePassword reports whether the session signed in with a
// one-time code.
func mustChangePassword(sess *session) bool {
	perms := sess.Permissions()
	return perms.Permissions != nil && perms.Extensions[extMustChange] == "1"
}
