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

// Publish delivers c to every subscriber of its topic, dropping it for a
// subscriber whose buffer is full.
func (f *Feed) Publish(c domain.Change) {
	if c.Topic == domain.TopicDB {
		f.down.Store(c.ID == domain.ChangeDown)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		if len(s.topics) > 0 && !slices.Contains(s.topics, c.Topic) {
			continue
		}
		select {
		case s.ch <- c:
		default:
		}
	}
}

// Connected implements domain.ChangeFeed.
func (f *Feed) Connected() bool { return !f.down.Load() }
