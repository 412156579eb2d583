package server

import (
	"context"
	"strconv"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
)

// startWatch subscribes to operator changes once, for the server's life.
func (s *Server) startWatch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.watching {
		return
	}
	s.watching = true
	changes, unsubscribe := s.svc.Feed.Subscribe(domain.TopicOperator, domain.TopicDB)
	stop := make(chan struct{})
	done := make(chan struct{})
	s.stopWatch = func() { close(stop); unsubscribe() }
	s.watchDone = done
	go func() {
		defer close(done)
		s.watch(changes, stop)
	}()
}

func (s *Server) endWatch() {
	s.mu.Lock()
	stop, done := s.stopWatch, s.watchDone
	s.stopWatch, s.watchDone = nil, nil
	s.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

// watch re-reads an operator whose row changed while they have sessions
// open: a disabled or locked operator's sessions end, the others learn
// their new roles. After the database comes back every signed-in operator
// is re-read, since changes may have been missed.
func (s *Server) watch(changes <-chan domain.Change, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case c, ok := <-changes:
			if !ok {
				return
			}
			switch c.Topic {
			case domain.TopicOperator:
				if id, err := strconv.ParseInt(c.ID, 10, 64); err == nil {
					s.recheck(id)
				}
			case domain.TopicDB:
				if c.ID == domain.ChangeUp {
					for _, id := range s.sessions.operators() {
						s.recheck(id)
					}
				}
			}
		}
	}
}

func (s *Server) recheck(id int64) {
	live := s.sessions.of(id)
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(domain.WithActor(context.Background(), domain.Actor{Name: "system"}), s.cfg.AuthTimeout)
	defer cancel()
	op, err := s.svc.Operators.FindOperatorByID(ctx, id)
	switch {
	case domain.ErrorCode(err) == domain.ENOTFOUND:
	case err != nil:
		s.log.Warn("re-read operator", "operator", id, "err", err)
		return
	case !op.Disabled:
		// A lock only stops new sign-ins: ending open sessions on a lock
		// would let anyone who guesses passwords throw an operator out.
		for _, l := range live {
			l.send(common.OperatorMsg{Operator: op})
		}
		return
	}
	for _, l := range live {
		l.end(app.ReasonDisabled)
	}
}
