package fakes

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/viaa/ppp/domain"
)

// Feed is an in-memory domain.ChangeFeed; Publish delivers to subscribers.
type Feed struct {
	mu   sync.Mutex
	subs map[*sub]struct{}
	down atomic.Bool
}

type sub struct {
	topics []string
	ch     chan domain.Change
}

// NewFeed returns a connected feed.
func NewFeed() *Feed { return &Feed{subs: map[*sub]struct{}{}} }

// Subscribe implements domain.ChangeFeed.
func (f *Feed) Subscribe(topics ...string) (<-chan domain.Change, func()) {
	s := &sub{topics: topics, ch: make(chan domain.Change, 16)}
	f.mu.Lock()
	f.subs[s] = struct{}{}
	f.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.subs, s)
			close(s.ch)
			f.mu.Unlock()
		})
	}
}

// Subscribers returns the number of open subscriptions.
func (f *Feed) Subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// Publish delivers c to every subscriber of its topic, and a change of
// topic "db" to every subscriber. A subscriber whose buffer is full loses
// c, or for a "db" change its oldest change waiting, as the contract says
// (domain/contracttest's feed suite).
func (f *Feed) Publish(c domain.Change) {
	db := c.Topic == domain.TopicDB
	if db {
		f.down.Store(c.ID == domain.ChangeDown)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		if !db && len(s.topics) > 0 && !slices.Contains(s.topics, c.Topic) {
			continue
		}
		if db && len(s.ch) == cap(s.ch) {
			select {
			case <-s.ch:
			default:
			}
		}
		select {
		case s.ch <- c:
		default:
		}
	}
}

// Connected implements domain.ChangeFeed.
func (f *Feed) Connected() bool { return !f.down.Load() }
