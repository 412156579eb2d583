package domain

import "time"

// The dashboard's queues (QueueTile.Queue); the catalog key of each is
// "queue." and the name.
const (
	QueueRoleRequests            = "role_requests"
	QueueRoleRequestsInstitution = "role_requests_institution"
	QueueIMKReview               = "imk_review"
	QueueHelpdesk                = "helpdesk"
)

// DashboardQueues returns the dashboard's queues, empty, in the order it
// shows them, each with the role that works it.
func DashboardQueues() []QueueTile {
	return []QueueTile{
		{Queue: QueueRoleRequests, Role: RoleReviewer},
		{Queue: QueueRoleRequestsInstitution, Role: RoleReviewer},
		{Queue: QueueIMKReview, Role: RoleReviewer},
		{Queue: QueueHelpdesk, Role: RoleHelpdesk},
		{Queue: QueueReverify, Role: RoleReviewer},
	}
}

// Queue returns the dashboard queue a role request waits in: the Agency's
// decision (pending) or an institution's (¶29.3), which the Agency may
// take over; "" for one waiting in no queue.
func (r *RoleRequest) Queue() string {
	switch r.State {
	case StatePending:
		return QueueRoleRequests
	case StateAtInstitution:
		return QueueRoleRequestsInstitution
	}
	return ""
}

// Queue returns the dashboard queue an IMK application waits in: review,
// where the automatic check sent it (¶26.4); "" otherwise.
func (a *IMKApplication) Queue() string {
	if a.State == IMKNeedsReview {
		return QueueIMKReview
	}
	return ""
}

// Queue returns the dashboard queue a ticket waits in while it is new or
// in progress; "" otherwise.
func (t *Ticket) Queue() string {
	if t.State == TicketNew || t.State == TicketInProgress {
		return QueueHelpdesk
	}
	return ""
}

// CountInQueue adds an item that arrived at to the tile of queue in tiles, and
// keeps the tile's oldest arrival; a queue without a tile is ignored.
func CountInQueue(tiles []QueueTile, queue string, arrived time.Time) {
	for i := range tiles {
		if tiles[i].Queue == queue && queue != "" {
			tiles[i].Count++
			if tiles[i].Oldest.IsZero() || arrived.Before(tiles[i].Oldest) {
				tiles[i].Oldest = arrived
			}
		}
	}
}
