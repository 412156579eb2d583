package server

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/app"
	gossh "golang.org/x/crypto/ssh"
)

// identify runs after authentication has succeeded. It trusts only the
// permission extensions of the successful attempt and, for a key, checks
// that the key the connection was really authenticated with is the one
// noted. It then loads the operator, turns away a disabled or locked one,
// audits the sign-in, registers the session so it can be ended from
// outside, and audits the sign-out with the reason once the session is
// over.
func (s *Server) identify(next handler) handler {
	return func(sess *session) {
		// Named first, so that every log line of the session, a refusal's
		// too, carries it (and nothing personal: it is the start of the
		// SSH session's hash and a counter).
		sess.id = sessionID(sess.Context().SessionID(), s.sessions.nextSeq())
		sess.log = s.log.With("session", sess.id)
		op, method, ok := s.resolve(sess)
		if !ok {
			stateOf(sess.Context()).noteRefused("refused")
			s.signIn(methodOf(sess), SignInRefused)
			return
		}
		sess.operator, sess.method = op, method
		sess.lang = i18n.ParseLang(op.Language)
		cat := i18n.For(sess.lang)
		remote := sess.RemoteAddr().String()
		sess.ctx = domain.WithActor(sess.ctx, domain.Actor{
			OperatorID: op.ID,
			Name:       op.Name,
			SessionID:  sess.id,
			RemoteAddr: remote,
		})

		live, ok := s.sessions.add(sess.id, op.ID, sess.Close)
		if !ok {
			refuse(sess, cat.T("tui.end.shutdown"))
			return
		}
		defer s.sessions.remove(live)
		sess.live = live

		// From here the connection is a sign-in, recorded as one (or, if
		// that fails, refused), not an authentication without a session.
		stateOf(sess.Context()).noteSignIn()
		tctx, cancel := context.WithTimeout(sess.ctx, s.cfg.AuthTimeout)
		err := s.svc.Auth.RecordSignIn(tctx, op, method, sess.id, remote)
		cancel()
		if err != nil {
			// A session that cannot be accounted for (GDPR Art. 5(2), Art. 32) does not start.
			sess.log.Warn("record sign-in", "operator", op.ID, "err", err)
			refuse(sess, cat.Err(err))
			s.signIn(method, SignInRefused)
			return
		}
		s.signIn(method, SignInSuccess)
		sess.log.Info("session start", "operator", op.ID, "method", string(method))

		next(sess)

		why := sess.reason
		if why == "" {
			why = app.ReasonDropped
		}
		// The session's context may be gone with the connection; the
		// sign-out is recorded regardless.
		octx, ocancel := context.WithTimeout(context.WithoutCancel(sess.ctx), s.cfg.AuthTimeout)
		if err := s.svc.Auth.RecordSignOut(octx, op, sess.id, remote, why); err != nil {
			sess.log.Warn("record sign-out", "operator", op.ID, "err", err)
		}
		ocancel()
		s.releaseClaims(sess)
		sess.log.Info("session end", "operator", op.ID, "why", why)
		if key := app.FarewellKey(why); key != "" {
			_, _ = sess.Write([]byte(i18n.For(sess.lang).T(key) + "\r\n"))
		}
	}
}

// resolve finds the operator the connection authenticated as. On failure
// it has already told the client.
func (s *Server) resolve(sess *session) (*domain.Operator, domain.SignInMethod, bool) {
	fail := func(key string) (*domain.Operator, domain.SignInMethod, bool) {
		refuse(sess, bilingual(key))
		return nil, "", false
	}
	perms := sess.Permissions()
	if perms.Permissions == nil {
		return fail("tui.refuse.identity")
	}
	ext := perms.Extensions
	id, err := strconv.ParseInt(ext[extOperatorID], 10, 64)
	if err != nil || id <= 0 {
		return fail("tui.refuse.identity")
	}
	method := domain.SignInMethod(ext[extMethod])
	switch method {
	case domain.SignInPublicKey:
		key := sess.PublicKey()
		if key == nil || ext[extFingerprint] == "" || gossh.FingerprintSHA256(key) != ext[extFingerprint] {
			sess.logger(s.log).Warn("key mismatch after authentication", "operator", id)
			return fail("tui.refuse.identity")
		}
	case domain.SignInPassword:
	default:
		return fail("tui.refuse.identity")
	}
	ctx, cancel := context.WithTimeout(sess.ctx, s.cfg.AuthTimeout)
	defer cancel()
	op, err := s.svc.Operators.FindOperatorByID(ctx, id)
	switch {
	case domain.ErrorCode(err) == domain.EUNAVAILABLE:
		return fail("error.unavailable")
	case err != nil || op == nil || op.Name != sess.User():
		return fail("tui.refuse.identity")
	case op.Disabled:
		refuse(sess, i18n.For(i18n.ParseLang(op.Language)).T("tui.refuse.disabled"))
		return nil, "", false
	case !mustChangePassword(sess) && !op.CanSignInWith(method, time.Now()):
		// The password was locked while this connection authenticated
		// with it; a key, or a one-time code, is not stopped by the lock.
		refuse(sess, i18n.For(i18n.ParseLang(op.Language)).T("tui.refuse.locked"))
		return nil, "", false
	}
	return op, method, true
}

// methodOf returns the method the session authenticated with, as the
// authentication callbacks noted it; empty when none was.
func methodOf(sess *session) domain.SignInMethod {
	if perms := sess.Permissions(); perms.Permissions != nil {
		return domain.SignInMethod(perms.Extensions[extMethod])
	}
	return ""
}

// sessionID names a session in the audit log: the start of the SSH
// connection's session hash and a counter, since one connection may open
// several sessions.
func sessionID(connID string, seq uint64) string {
	if len(connID) > 12 {
		connID = connID[:12]
	}
	return connID + "-" + strconv.FormatUint(seq, 36)
}

// releaseClaims gives back every item the session still holds on every
// queue (common.Services.Queues), so that nothing waits for a lease to run
// out after a session ends however it ended. Like the
// sign-out, it gets a context of its own.
func (s *Server) releaseClaims(sess *session) {
	queues := s.svc.Queues()
	if len(queues) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(sess.ctx), s.cfg.AuthTimeout)
	defer cancel()
	for _, q := range queues {
		if err := q.ReleaseSessionClaims(ctx, sess.id); err != nil {
			sess.log.Warn("release claims", "queue", fmt.Sprintf("%T", q), "err", err)
		}
	}
}
