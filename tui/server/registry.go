package server

import (
	"context"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/app"
)

// forceCloseAfter is how long a session asked to end gets before its
// channel is closed under it.
const forceCloseAfter = 800 * time.Millisecond

// liveSession is one running session, as the server sees it from outside.
type liveSession struct {
	id         string
	operatorID int64
	closeChan  func() error  // closes the SSH channel under the program
	done       chan struct{} // closed by stop, once the program has ended
	stopOnce   sync.Once

	mu      sync.Mutex
	program *tea.Program
	reason  string
}

// attach connects the session's program; a request to end that came before
// it is delivered now.
func (l *liveSession) attach(p *tea.Program) {
	l.mu.Lock()
	l.program = p
	reason := l.reason
	l.mu.Unlock()
	if reason != "" {
		go p.Send(app.EndSessionMsg{Reason: reason})
	}
}

// stop tells that the session's program has ended (or never will run):
// nothing needs forcing any more.
func (l *liveSession) stop() { l.stopOnce.Do(func() { close(l.done) }) }

// end asks the session to end for reason; the first reason wins. The
// program quits and says why; should it not manage to within
// forceCloseAfter, the channel is closed.
func (l *liveSession) end(reason string) {
	select {
	case <-l.done:
		return
	default:
	}
	l.mu.Lock()
	if l.reason != "" {
		l.mu.Unlock()
		return
	}
	l.reason = reason
	if p := l.program; p != nil {
		go p.Send(app.EndSessionMsg{Reason: reason})
	}
	l.mu.Unlock()
	go func() {
		t := time.NewTimer(forceCloseAfter)
		defer t.Stop()
		select {
		case <-l.done:
		case <-t.C:
			l.mu.Lock()
			p := l.program
			l.mu.Unlock()
			if p != nil {
				p.Kill()
			}
			_ = l.closeChan()
		}
	}()
}

// send delivers msg to the session's program, if it runs.
func (l *liveSession) send(msg tea.Msg) {
	l.mu.Lock()
	p := l.program
	l.mu.Unlock()
	if p != nil {
		go p.Send(msg)
	}
}

// endReason returns the reason the session was asked to end for.
func (l *liveSession) endReason() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reason
}

// registry knows the open sessions of each operator.
type registry struct {
	mu      sync.Mutex
	seq     uint64
	closing bool
	byOp    map[int64]map[*liveSession]struct{}
	count   int
}

func newRegistry() *registry {
	return &registry{byOp: map[int64]map[*liveSession]struct{}{}}
}

func (r *registry) nextSeq() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	return r.seq
}

// add registers a session; it fails once the server is shutting down.
func (r *registry) add(id string, operatorID int64, closeChan func() error) (*liveSession, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closing {
		return nil, false
	}
	l := &liveSession{id: id, operatorID: operatorID, closeChan: closeChan, done: make(chan struct{})}
	if r.byOp[operatorID] == nil {
		r.byOp[operatorID] = map[*liveSession]struct{}{}
	}
	r.byOp[operatorID][l] = struct{}{}
	r.count++
	return l, true
}

func (r *registry) remove(l *liveSession) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if set := r.byOp[l.operatorID]; set != nil {
		if _, ok := set[l]; ok {
			delete(set, l)
			r.count--
			l.stop()
		}
		if len(set) == 0 {
			delete(r.byOp, l.operatorID)
		}
	}
}

// of returns the open sessions of an operator.
func (r *registry) of(operatorID int64) []*liveSession {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*liveSession, 0, len(r.byOp[operatorID]))
	for l := range r.byOp[operatorID] {
		out = append(out, l)
	}
	return out
}

// operators returns the ids of operators with open sessions.
func (r *registry) operators() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]int64, 0, len(r.byOp))
	for id := range r.byOp {
		out = append(out, id)
	}
	return out
}

// close refuses new sessions and asks every open one to end for reason.
func (r *registry) close(reason string) {
	r.mu.Lock()
	r.closing = true
	var all []*liveSession
	for _, set := range r.byOp {
		for l := range set {
			all = append(all, l)
		}
	}
	r.mu.Unlock()
	for _, l := range all {
		l.end(reason)
	}
}

// waitEmpty waits until no session is open, ctx ends, or limit passes.
func (r *registry) waitEmpty(ctx context.Context, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		r.mu.Lock()
		n := r.count
		r.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
