package storage

import (
	"context"
	"encoding/json"
	"time"

	"github.com/viaa/ppp/domain"
)

// ExplainListRoleRequests runs the statement ListRoleRequests would run
// for f under EXPLAIN ANALYZE and returns the time PostgreSQL spent
// executing it, without planning or the network: what `ppp bench` reports
// as a page's cost in the database. It returns ListRoleRequests' EINVALID
// errors for a bad filter.
func (s *RoleRequestService) ExplainListRoleRequests(ctx context.Context, f domain.RoleRequestFilter) (time.Duration, error) {
	q, err := s.listQuery(ctx, f)
	if err != nil {
		return 0, err
	}
	var out []byte
	if err := s.db.pool.QueryRow(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+q.sql, q.args...).Scan(&out); err != nil {
		return 0, dbError("explain the role request list", err)
	}
	var plans []struct {
		ExecutionTime float64 `json:"Execution Time"` // milliseconds
	}
	if err := json.Unmarshal(out, &plans); err != nil || len(plans) != 1 {
		return 0, errorf("read the role request list's plan", err)
	}
	return time.Duration(plans[0].ExecutionTime * float64(time.Millisecond)), nil
}
