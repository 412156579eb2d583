package storage

import (
	"context"
	"time"

	"github.com/viaa/ppp/domain"
)

// queueSource is how the dashboard counts one queue: a query returning
// one row of (count, oldest arrival), the oldest NULL when the queue is
// empty.
type queueSource struct {
	Queue string
	Role  domain.Role
	SQL   string
}

// queueSources lists the queues the workflows provide, in the order the
// dashboard shows them (domain.DashboardQueues; which items wait in each
// is the items' Queue rule, which the SQL keeps and the dashboard's
// contract suite holds it to). Each workflow adds its queue here, e.g.
//
//	{domain.QueueRoleRequests, domain.RoleReviewer,
//	 `SELECT count(*), min(created_at) FROM role_requests WHERE state = 'pending'`},
//
// It is never changed at run time.
var queueSources = []queueSource{
	// Role requests waiting for the Agency's decision, and those waiting
	// at an institution (¶29.3), which the Agency may take over. Both are
	// one range of role_requests_queue_idx (state, created_at, id): the
	// count and the oldest come from the index alone.
	{domain.QueueRoleRequests, domain.RoleReviewer,
		`SELECT count(*), min(created_at) FROM role_requests WHERE state = 'pending'`},
	{domain.QueueRoleRequestsInstitution, domain.RoleReviewer,
		`SELECT count(*), min(created_at) FROM role_requests WHERE state = 'at_institution'`},
	// IMK applications the automatic check sent to review (¶26.4), one
	// range of imk_applications_queue_idx.
	{domain.QueueIMKReview, domain.RoleReviewer,
		`SELECT count(*), min(applied_at) FROM imk_applications WHERE state = 'needs_review'`},
	{domain.QueueHelpdesk, domain.RoleHelpdesk, `SELECT count(*), min(created_at) FROM tickets WHERE state IN ('new', 'in_progress')`},
	// Institutions whose re-verification found differences (issue 17,
	// domain.Reverification.Queue), one range of reverifications_queue_idx.
	{domain.QueueReverify, domain.RoleReviewer,
		`SELECT count(*), min(created_at) FROM reverifications WHERE state = 'open'`},
}

// DashboardService summarises the queues. It implements
// domain.DashboardService.
type DashboardService struct {
	db     *DB
	queues []queueSource
}

var _ domain.DashboardService = (*DashboardService)(nil)

// NewDashboardService returns a DashboardService on db.
func NewDashboardService(db *DB) *DashboardService {
	return &DashboardService{db: db, queues: queueSources}
}

// QueueTiles returns a tile per queue, read from one snapshot so that the
// tiles agree with each other; none until a workflow adds its queue. Every
// enabled operator sees them. It returns EUNAUTHORIZED "access.no_operator"
// for a disabled operator, and EUNAVAILABLE when the database does not
// answer.
func (s *DashboardService) QueueTiles(ctx context.Context) ([]domain.QueueTile, error) {
	tiles := make([]domain.QueueTile, 0, len(s.queues))
	err := s.db.readTx(ctx, "read dashboard", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, dashboardGuard); err != nil {
			return err
		}
		for _, q := range s.queues {
			tile := domain.QueueTile{Queue: q.Queue, Role: q.Role}
			var oldest *time.Time
			if err := tx.QueryRow(ctx, q.SQL).Scan(&tile.Count, &oldest); err != nil {
				return dbError("read dashboard queue "+q.Queue, err)
			}
			if oldest != nil {
				tile.Oldest = oldest.UTC()
			}
			tiles = append(tiles, tile)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tiles, nil
}
