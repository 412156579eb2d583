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

// maxUnavailablePrompts bounds how often one authentication round asks
// again while the database cannot be reached.
const maxUnavailablePrompts = 3

// passwordHandler serves clients that use the "password" method. It has
// no way to say why it refused, so a database that cannot be reached
// fails it (and nothing is counted).
func (s *Server) passwordHandler(ctx ssh.Context, password string) bool {
	if password == "" {
		return false
	}
	tctx, cancel := context.WithTimeout(ctx, s.cfg.AuthTimeout)
	defer cancel()
	op, err := s.svc.Auth.AuthenticatePassword(tctx, ctx.User(), password, clientIP(ctx.RemoteAddr()))
	if domain.ErrorCode(err) == domain.EUNAVAILABLE {
		s.signIn(domain.SignInPassword, SignInUnavailable)
		return false
	}
	if err != nil || op == nil {
		s.signIn(domain.SignInPassword, SignInFailure)
		return false
	}
	setExtensions(ctx, op.ID, domain.SignInPassword, "")
	return true
}

// keyboardInteractiveHandler asks for the password, with echo off, and
// checks the answer: the password, or a one-time code e-mailed to an
// operator who forgot theirs (the AuthService tells them apart; one answer
// is one attempt). OpenSSH uses this method for passwords by default.
// While the database cannot be reached it asks again, up to three times,
// saying why in the instruction line in both languages, and the answer is
// not counted as a failure: a wrong-password reply would send people
// retyping a right password.
func (s *Server) keyboardInteractiveHandler(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	instruction := ""
	for range maxUnavailablePrompts {
		answers, err := challenge("", instruction, []string{passwordPrompt}, []bool{false})
		if err != nil || len(answers) != 1 || answers[0] == "" {
			return false
		}
		ok, unavailable := s.checkAnswer(ctx, answers[0])
		if !unavailable {
			return ok
		}
		instruction = bilingual("auth.db_unavailable")
	}
	return false
}

// checkAnswer lets the AuthService judge one answer to the password
// prompt, within AuthTimeout; it counts failures per account and per
// source address, and records every attempt whatever happens to the
// connection. The address passed is the client's IP without the port,
// which changes on every connection. unavailable reports a database that
// could not be reached (nothing was counted then).
func (s *Server) checkAnswer(ctx ssh.Context, answer string) (ok, unavailable bool) {
	tctx, cancel := context.WithTimeout(ctx, s.cfg.AuthTimeout)
	defer cancel()
	op, codeUsed, err := s.svc.Auth.AuthenticateAnswer(tctx, ctx.User(), answer, clientIP(ctx.RemoteAddr()))
	if domain.ErrorCode(err) == domain.EUNAVAILABLE {
		s.log.Warn("password check: the database cannot be reached", "err", err)
		s.signIn(domain.SignInPassword, SignInUnavailable)
		return false, true
	}
	if err != nil || op == nil {
		s.signIn(domain.SignInPassword, SignInFailure)
		return false, false
	}
	setExtensions(ctx, op.ID, domain.SignInPassword, "")
	if codeUsed {
		ctx.Permissions().Extensions[extMustChange] = "1"
	}
	return true, false
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
