package server

import (
	"context"
	"net"
	"strconv"

	"github.com/charmbracelet/ssh"
	"github.com/viaa/ppp/domain"
	gossh "golang.org/x/crypto/ssh"
)

// Keys of the permission extensions an authentication callback fills in.
// They are the only thing a callback records: the public-key callback also
// runs for keys the client merely offers (CVE-2024-45337), and x/crypto
// hands back the extensions of the attempt that actually succeeded.
const (
	extOperatorID  = "ppp-operator-id"
	extFingerprint = "ppp-key-fingerprint"
	extMethod      = "ppp-method"
)

// passwordPrompt is asked by keyboard-interactive authentication, before
// the session's language is known.
const passwordPrompt = "Parole / Password: "

// publicKeyHandler approves key if it is registered to the user name the
// client gave, and notes the operator and the key's fingerprint for the
// identity middleware to check against the key that was really used.
func (s *Server) publicKeyHandler(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	tctx, cancel := context.WithTimeout(ctx, s.cfg.AuthTimeout)
	defer cancel()
	op, err := s.svc.Auth.OperatorForKey(tctx, ctx.User(), fp)
	if err != nil || op == nil {
		return false
	}
	setExtensions(ctx, op.ID, domain.SignInPublicKey, fp)
	return true
}

// passwordHandler serves clients that use the "password" method.
func (s *Server) passwordHandler(ctx ssh.Context, password string) bool {
	return s.checkPassword(ctx, password)
}

// keyboardInteractiveHandler asks for the password, with echo off, and
// checks it; an answer that is not the password may be a one-time code
// e-mailed to an operator who forgot theirs (see checkResetCode). OpenSSH
// uses this method for passwords by default.
func (s *Server) keyboardInteractiveHandler(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	answers, err := challenge("", "", []string{passwordPrompt}, []bool{false})
	if err != nil || len(answers) != 1 {
		return false
	}
	return s.checkPassword(ctx, answers[0]) || s.checkResetCode(ctx, answers[0])
}

// checkPassword lets the AuthService decide; it counts failures per account
// and per source address and locks after too many. The address passed is
// the client's IP without the port, which changes on every connection.
func (s *Server) checkPassword(ctx ssh.Context, password string) bool {
	if password == "" {
		return false
	}
	tctx, cancel := context.WithTimeout(ctx, s.cfg.AuthTimeout)
	defer cancel()
	op, err := s.svc.Auth.AuthenticatePassword(tctx, ctx.User(), password, clientIP(ctx.RemoteAddr()))
	if err != nil || op == nil {
		return false
	}
	setExtensions(ctx, op.ID, domain.SignInPassword, "")
	return true
}

func setExtensions(ctx ssh.Context, id int64, method domain.SignInMethod, fingerprint string) {
	perms := ctx.Permissions()
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	delete(perms.Extensions, extMustChange)
	perms.Extensions[extOperatorID] = strconv.FormatInt(id, 10)
	perms.Extensions[extMethod] = string(method)
	if fingerprint != "" {
		perms.Extensions[extFingerprint] = fingerprint
	}
}

// clientIP returns the host part of addr.
func clientIP(addr net.Addr) string {
	if addr == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return host
}
