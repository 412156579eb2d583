package fakes

import (
	"context"
	"sync"

	"github.com/viaa/ppp/domain"
)

// Dashboard is an in-memory domain.DashboardService whose tiles are the
// queues of the fakes it is given, counted by the items' own Queue rule
// (domain.RoleRequest.Queue and the like), as storage counts its tables;
// the shared suite (domain/contracttest) holds it to storage's contract.
// A queue whose fake is nil has no tile, as before its workflow existed:
// a Dashboard without fakes shows no queues. FailNext("QueueTiles", err)
// makes the next call fail.
type Dashboard struct {
	RoleRequests *RoleRequests
	IMK          *IMK
	Helpdesk     *Helpdesk
	Reverify     *Reverify
	failures

	mu    sync.Mutex
	calls int
}

var _ domain.DashboardService = (*Dashboard)(nil)

// Calls returns how many times QueueTiles was called.
func (d *Dashboard) Calls() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls
}

// QueueTiles implements domain.DashboardService.
func (d *Dashboard) QueueTiles(context.Context) ([]domain.QueueTile, error) {
	d.mu.Lock()
	d.calls++
	d.mu.Unlock()
	if err := d.takeFail("QueueTiles"); err != nil {
		return nil, err
	}
	tiles := domain.DashboardQueues()
	if d.RoleRequests != nil {
		countQueue(&d.RoleRequests.queue, tiles, (*domain.RoleRequest).Queue)
	}
	if d.IMK != nil {
		countQueue(&d.IMK.queue, tiles, (*domain.IMKApplication).Queue)
	}
	if d.Helpdesk != nil {
		countQueue(&d.Helpdesk.queue, tiles, (*domain.Ticket).Queue)
	}
	if d.Reverify != nil {
		countQueue(&d.Reverify.queue, tiles, (*domain.Reverification).Queue)
	}
	var out []domain.QueueTile
	for _, t := range tiles {
		if d.provides(t.Queue) {
			out = append(out, t)
		}
	}
	return out, nil
}

// provides reports whether the fake of queue's workflow is given.
func (d *Dashboard) provides(queue string) bool {
	switch queue {
	case domain.QueueRoleRequests, domain.QueueRoleRequestsInstitution:
		return d.RoleRequests != nil
	case domain.QueueIMKReview:
		return d.IMK != nil
	case domain.QueueHelpdesk:
		return d.Helpdesk != nil
	case domain.QueueReverify:
		return d.Reverify != nil
	}
	return false
}

// countQueue counts q's items into the tiles of the queues they wait in.
func countQueue[T any](q *queue[T], tiles []domain.QueueTile, queueOf func(*T) string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, it := range q.items {
		domain.CountInQueue(tiles, queueOf(it), q.kind.arrived(it))
	}
}
