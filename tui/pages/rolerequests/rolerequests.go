// Package rolerequests is the reviewers' queue of role requests (¶8,
// ¶27–¶29): a filtered, keyset-paged list that shows within a second who
// holds each request, and the detail of one request with its form data,
// e-mail confirmation, documents, duplicates and history. Opening a
// request claims it for as long as it stays open (the claim is renewed,
// and given back on leaving); from the detail the reviewer approves,
// rejects, asks for more information, resends the confirmation e-mail,
// takes a request over from an institution, or reveals a personal code
// with a reason that goes to the audit log. The queue component
// (tui/components/queue) does the listing, claiming and live updates;
// this package supplies the columns, filters, detail and actions.
package rolerequests

import (
	"context"
	"slices"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
)

// PageSize is the number of requests on one page of the list.
const PageSize = 50

// more is what the detail shows besides the request.
type more struct {
	history     []*domain.RoleRequestEvent
	dups        []*domain.Duplicate
	assignments []*domain.RoleAssignment // of the person the request is about (¶32.1)
}

type (
	open       = queue.Open[*domain.RoleRequest, more]
	act        = queue.Action[*domain.RoleRequest, more]
	spec       = queue.Spec[*domain.RoleRequest, domain.RoleRequestFilter, more]
	queueModel = queue.Model[*domain.RoleRequest, domain.RoleRequestFilter, more]
)

// Model is the role-request page: the queue component with the request's
// columns, filters, detail and actions.
type Model struct {
	*queueModel
	c *common.Common
	// validUntil is the approval's end as the form gave it, waiting for
	// confirmation.
	validUntil time.Time
}

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	s := spec{
		Role: domain.RoleReviewer, Topic: domain.TopicRoleRequest, PageSize: PageSize,
		Words: queue.Words{RoleOnly: "tui.rr.reviewer_only", Search: "tui.rr.search", Hint: "tui.rr.hint.search",
			None: "tui.rr.none", Yours: "tui.rr.claim.yours", Other: "tui.rr.claim.other", Free: "tui.rr.claim.free",
			HeldBy: "tui.rr.held_by", Lost: "tui.rr.claim_lost", Changed: "tui.rr.conflict.changed",
			NotHeld: "tui.rr.why.not_claimed"},
		Columns: m.columns(), Filters: m.filters(), Filter: filter, Facts: facts, Summary: m.summary,
		Heading: m.heading, Banners: m.banners, Body: m.body, Actions: m.actions(),
		Bulk: common.BulkFrom[domain.RoleRequestFilter](c, domain.BulkFromRoleRequests),
	}
	if svc := c.Services.RoleRequests; svc != nil {
		s.Service = queue.Service[*domain.RoleRequest, domain.RoleRequestFilter, more]{
			List: svc.ListRoleRequests, Find: svc.FindRoleRequest, Claim: svc.ClaimRoleRequest, Release: svc.ReleaseRoleRequest,
			More: func(ctx context.Context, id int64) (more, error) {
				var x more
				var err, dupErr, asgErr error
				x.history, err = svc.RoleRequestHistory(ctx, id)
				x.dups, dupErr = svc.FindDuplicates(ctx, id)
				x.assignments, asgErr = svc.PersonAssignments(ctx, id)
				return x, firstErr(err, dupErr, asgErr)
			},
			// c takes the oldest pending request nobody holds, of the kind
			// the list is filtered to.
			ClaimNext: func(ctx context.Context, f domain.RoleRequestFilter) (*domain.RoleRequest, error) {
				return svc.ClaimNext(ctx, f.Kinds...)
			},
		}
	}
	m.queueModel = queue.New(c, s)
	return m
}

// firstErr returns the first error that is not nil.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// facts are what the queue component knows of a request.
func facts(r *domain.RoleRequest) queue.Facts {
	return queue.Facts{ID: r.ID, At: r.CreatedAt, Version: r.Version, Open: r.State.Open(),
		Holder: queue.Holder{ID: r.ClaimedBy, Name: r.ClaimedByName, Until: r.ClaimExpiresAt}}
}

// ageDays are the steps of the waiting-time filter: any, then at least so
// many days.
var ageDays = []int{0, 1, 7, 14}

// filters are the list's: kind (f), state (s: the open ones, each state,
// all) and waiting time (d), each cycled back with the capital.
func (m *Model) filters() []queue.Filter {
	c := m.c
	kinds, states := domain.RoleRequestKinds, domain.RoleRequestStates
	return []queue.Filter{
		{Key: "f", Back: "F", Help: "tui.rr.key.kind", Label: "tui.rr.filter.kind", Steps: len(kinds) + 1,
			Name: func(i int) string {
				if i == 0 {
					return c.T("tui.rr.filter.all_kinds")
				}
				return c.T("tui.rr.kind_short." + string(kinds[i-1]))
			}},
		{Key: "s", Back: "S", Help: "tui.rr.key.state", Label: "tui.rr.filter.state", Steps: len(states) + 2,
			Name: func(i int) string {
				switch {
				case i == 0:
					return c.T("tui.rr.filter.open")
				case i <= len(states):
					return c.T("tui.rr.state." + string(states[i-1]))
				}
				return c.T("tui.rr.filter.all")
			}},
		{Key: "d", Back: "D", Help: "tui.rr.key.age", Label: "tui.rr.filter.age", Steps: len(ageDays),
			Name: func(i int) string {
				if ageDays[i] == 0 {
					return c.T("tui.rr.filter.any_age")
				}
				return c.T("tui.rr.filter.older", ageDays[i])
			}},
	}
}

// filter is the list's filter for the steps of the filters (kind, state,
// age) and the page starting after at.
func filter(search string, steps []int, at queue.Keyset, limit int) domain.RoleRequestFilter {
	kind, state, age := steps[0], steps[1], steps[2]
	f := domain.RoleRequestFilter{
		Search:       search,
		OlderThan:    time.Duration(ageDays[age]) * 24 * time.Hour,
		AfterCreated: at.At,
		AfterID:      at.ID,
		Limit:        limit,
	}
	if kind > 0 {
		f.Kinds = []domain.RoleRequestKind{domain.RoleRequestKinds[kind-1]}
	}
	switch states := domain.RoleRequestStates; {
	case state == 0:
		for _, s := range states {
			if s.Open() {
				f.States = append(f.States, s)
			}
		}
	case state <= len(states):
		f.States = []domain.RoleRequestState{states[state-1]}
	default:
		f.States = slices.Clone(states)
	}
	return f
}
