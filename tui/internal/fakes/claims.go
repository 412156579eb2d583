package fakes

import (
	"slices"
	"sync"
)

// claimLog records the ids a fake queue's claim and release calls were
// made with, successful or not, for tests to look at. It has its own lock,
// taken inside the fake's.
type claimLog struct {
	mu       sync.Mutex
	claims   []int64
	releases []int64
}

func (l *claimLog) claimed(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.claims = append(l.claims, id)
}

func (l *claimLog) released(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.releases = append(l.releases, id)
}

// Claims returns the ids the queue's claim call (ClaimIMK, ClaimTicket,
// ClaimRoleRequest) was made with so far.
func (l *claimLog) Claims() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.claims)
}

// Releases returns the ids the queue's release call (ReleaseIMK,
// ReleaseTicket, ReleaseRoleRequest) was made with so far.
func (l *claimLog) Releases() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.releases)
}
