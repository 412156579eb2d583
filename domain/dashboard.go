package domain

import (
	"context"
	"time"
)

// QueueTile is one queue's summary on the dashboard.
type QueueTile struct {
	Queue  string    // stable id, e.g. "role_requests"; the catalog key is "queue."+Queue
	Role   Role      // the role that works this queue
	Count  int64     // items waiting
	Oldest time.Time // when the oldest waiting item arrived; zero when empty
}

// DashboardService summarises the queues, for every enabled operator (see
// Permissions).
type DashboardService interface {
	// QueueTiles returns a tile per queue the workflows provide, in a
	// stable order; empty until a workflow registers a queue.
	QueueTiles(ctx context.Context) ([]QueueTile, error)
}

// Change tells that something changed in the database: Topic names what
// ("operator", "role_request" …) and ID which row; never personal data.
// Topic "db" carries ID "up" or "down" when the connection to the database
// is lost or restored; after "up" every subscriber should re-read what it
// shows, since changes may have been missed meanwhile.
type Change struct {
	Topic string
	ID    string
}

// ChangeFeed delivers database changes to subscribers within a second.
type ChangeFeed interface {
	// Subscribe returns a channel of changes of the given topics (all when
	// none) and a function that ends the subscription. A slow subscriber
	// loses changes rather than blocking others.
	Subscribe(topics ...string) (<-chan Change, func())
	// Connected reports whether the feed's database connection is up.
	Connected() bool
}
