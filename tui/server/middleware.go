package server

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/charmbracelet/ssh"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

// session is what the middlewares learn about one SSH session on its way
// to the program.
type session struct {
	ssh.Session
	ctx      context.Context // ends with the session; carries the actor once known
	id       string
	pty      ssh.Pty
	winch    <-chan ssh.Window
	operator *domain.Operator
	method   domain.SignInMethod
	live     *liveSession
	lang     i18n.Lang    // the language the session ended in
	reason   string       // why the session ended
	log      *slog.Logger // the server's logger with the session's id, once it has one
}

// logger returns the session's logger, or base before the session has an
// id.
func (sess *session) logger(base *slog.Logger) *slog.Logger {
	if sess.log != nil {
		return sess.log
	}
	return base
}

type handler func(*session)

type middleware func(next handler) handler

// chain returns an ssh.Handler that runs the middlewares in the order
// given, the first outermost, and h innermost.
func chain(h handler, mws ...middleware) ssh.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return func(s ssh.Session) {
		ctx, cancel := context.WithCancel(s.Context())
		defer cancel()
		h(&session{Session: s, ctx: ctx, lang: i18n.Default})
	}
}

// refuse prints one line to the client and ends the session with status 1.
func refuse(s *session, line string) {
	_, _ = fmt.Fprint(s.Stderr(), line+"\r\n")
	_ = s.Exit(1)
}

// bilingual renders key in Latvian and English, for messages sent before
// the operator (and so their language) is known.
func bilingual(key string) string {
	return i18n.For(i18n.LV).T(key) + " / " + i18n.For(i18n.EN).T(key)
}

// recoverMiddleware keeps a panic in one session from taking the server
// down.
func (s *Server) recoverMiddleware(next handler) handler {
	return func(sess *session) {
		defer func() {
			if r := recover(); r != nil {
				sess.logger(s.log).Error("session panic", "panic", r, "stack", string(debug.Stack()))
			}
		}()
		next(sess)
	}
}

// requirePty turns away sessions without a terminal: the back office is a
// full-screen program.
func (s *Server) requirePty(next handler) handler {
	return func(sess *session) {
		pty, winch, ok := sess.Pty()
		if !ok {
			stateOf(sess.Context()).noteRefused("no terminal")
			refuse(sess, bilingual("tui.refuse.no_pty"))
			return
		}
		sess.pty, sess.winch = pty, winch
		next(sess)
	}
}
