package storage

import (
	"context"
	"sync"
	"time"
)

// NoteWaits makes s's throttle note every wait it would make, instead of
// sleeping, and returns them as they come.
func NoteWaits(s *AuthService) func() []time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	s.wait = func(ctx context.Context, d time.Duration) bool {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return ctx.Err() == nil
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
}
