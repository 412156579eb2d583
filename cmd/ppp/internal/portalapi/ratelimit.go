package portalapi

import (
	"sync"
	"time"
)

// limiter keeps a token bucket per key (an API client, or the address of
// a caller whose token failed): each take takes a token, tokens come back
// at rate a second up to burst. It lives in the server's memory: each
// server limits the calls it serves. It holds at most maxKeys buckets: a
// full bucket says nothing and is dropped first, and while every bucket
// held is in use a new key is refused, so that callers spreading over
// many keys (addresses) cannot grow it without bound.
type limiter[K comparable] struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	maxKeys int
	now     func() time.Time
	buckets map[K]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter[K comparable](rate float64, burst, maxKeys int, now func() time.Time) *limiter[K] {
	return &limiter[K]{rate: rate, burst: float64(burst), maxKeys: maxKeys, now: now, buckets: map[K]*bucket{}}
}

// take takes a token of key's bucket; when none is left it returns false
// and how long until one is.
func (l *limiter[K]) take(key K) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.maxKeys {
			l.dropFull(now)
		}
		if len(l.buckets) >= l.maxKeys {
			return time.Duration(float64(time.Second) / l.rate), false
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.at).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
}

// dropFull forgets the buckets that have refilled by now: they hold no
// state a fresh bucket would not.
func (l *limiter[K]) dropFull(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// peek reports whether key's bucket has a token now, without taking it,
// and how long until it has one when not.
func (l *limiter[K]) peek(key K) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		return 0, true
	}
	tokens := min(l.burst, b.tokens+l.now().Sub(b.at).Seconds()*l.rate)
	if tokens >= 1 {
		return 0, true
	}
	return time.Duration((1 - tokens) / l.rate * float64(time.Second)), false
}
