package fakes

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// RoleRequests is an in-memory domain.RoleRequestService. It keeps the
// contract's rules the screens depend on: claims by another operator
// conflict, decisions name the version they saw and need a pending
// request, and every change bumps the version (claims do not, so that a
// renewed claim never spoils a decision). The actor comes from the
// context, as in storage. When Feed is set, every change is published on
// topic "role_request" with the id only.
type RoleRequests struct {
	mu      sync.Mutex
	reqs    map[int64]*domain.RoleRequest
	history map[int64][]*domain.RoleRequestEvent
	dups    map[int64][]*domain.Duplicate
	claimOf map[int64]string // session that holds each claim
	nextID  int64
	failures
	claimLog

	// Feed receives a change per write when set.
	Feed *Feed
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Config is what RoleRequestConfig returns; NewRoleRequests sets
	// domain.DefaultRoleRequestConfig.
	Config domain.RoleRequestConfig

	calls rrCalls
}

// rrCalls are the calls the tests look at.
type rrCalls struct {
	filters         []domain.RoleRequestFilter
	sessionReleases []string
	decisions       []RoleRequestDecision
	resent          []int64
	finds           []int64
}

// RoleRequestDecision is one call of Approve, Reject, RequestInfo or
// TakeOver, successful or not.
type RoleRequestDecision struct {
	Action   string // "approve", "reject", "info", "takeover"
	Decision domain.Decision
	Err      error
}

// NewRoleRequests returns an empty queue.
func NewRoleRequests() *RoleRequests {
	return &RoleRequests{
		reqs:    map[int64]*domain.RoleRequest{},
		history: map[int64][]*domain.RoleRequestEvent{},
		dups:    map[int64][]*domain.Duplicate{},
		claimOf: map[int64]string{},

		nextID: 1,
		Config: domain.DefaultRoleRequestConfig(),
	}
}

func (f *RoleRequests) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func copyRequest(r *domain.RoleRequest) *domain.RoleRequest {
	c := *r
	c.Form.Documents = slices.Clone(r.Form.Documents)
	return &c
}

// Add stores r (giving it an id, a version and a creation time when it has
// none) and returns a copy.
func (f *RoleRequests) Add(r *domain.RoleRequest) *domain.RoleRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.ID == 0 {
		r.ID = f.nextID
	}
	f.nextID = max(f.nextID, r.ID+1)
	if r.Version == 0 {
		r.Version = 1
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = f.now()
	}
	if r.Route == "" {
		r.Route = domain.RouteAgency
	}
	f.reqs[r.ID] = copyRequest(r)
	return copyRequest(r)
}

// Get returns a copy of request id, or nil.
func (f *RoleRequests) Get(id int64) *domain.RoleRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.reqs[id]; r != nil {
		return copyRequest(r)
	}
	return nil
}

// SetHistory replaces the history of request id.
func (f *RoleRequests) SetHistory(id int64, events []*domain.RoleRequestEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.history[id] = slices.Clone(events)
}

// SetDuplicates replaces the duplicates of request id.
func (f *RoleRequests) SetDuplicates(id int64, dups []*domain.Duplicate) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dups[id] = slices.Clone(dups)
}

// Update changes request id with fn, as another writer would: the version
// is bumped and the change published.
func (f *RoleRequests) Update(id int64, fn func(*domain.RoleRequest)) {
	f.mu.Lock()
	r := f.reqs[id]
	if r != nil {
		fn(r)
		r.Version++
		r.UpdatedAt = f.now()
	}
	f.mu.Unlock()
	if r != nil {
		f.publish(id)
	}
}

// ClaimAs makes another operator hold request id for domain.ClaimLease and
// publishes the change.
func (f *RoleRequests) ClaimAs(id, operatorID int64, name string) {
	f.mu.Lock()
	if r := f.reqs[id]; r != nil {
		r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt = operatorID, name, f.now().Add(domain.ClaimLease)
		f.claimOf[id] = "other-session"
	}
	f.mu.Unlock()
	f.publish(id)
}

func (f *RoleRequests) publish(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: domain.TopicRoleRequest, ID: fmt.Sprint(id)})
	}
}

// takeFail returns and clears the failure planned for method.
func rrNotFound() error {
	return domain.Errorf(domain.ENOTFOUND, "", "role request not found")
}

func rrConflict(format string, args ...any) error {
	return &domain.Error{Code: domain.ECONFLICT, Message: fmt.Sprintf(format, args...)}
}

func rrInvalid(format string, args ...any) error {
	return &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf(format, args...)}
}

// ListRoleRequests implements domain.RoleRequestService: oldest first,
// keyset paged on (CreatedAt, ID).
func (f *RoleRequests) ListRoleRequests(_ context.Context, flt domain.RoleRequestFilter) ([]*domain.RoleRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls.filters = append(f.calls.filters, flt)
	if err := f.takeFail("ListRoleRequests"); err != nil {
		return nil, err
	}
	if flt.Limit <= 0 || flt.Limit > 1000 {
		return nil, rrInvalid("limit %d out of range", flt.Limit)
	}
	// A number is found whole or not at all, by domain's rule, as storage
	// does.
	if n, ok := domain.ParseNumberSearch(flt.Search); ok {
		if err := n.Whole(10, 11); err != nil {
			return nil, err
		}
	}
	now := f.now()
	var all []*domain.RoleRequest
	for _, r := range f.reqs {
		if !f.matches(r, flt, now) {
			continue
		}
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b *domain.RoleRequest) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	var out []*domain.RoleRequest
	for _, r := range all {
		if !flt.AfterCreated.IsZero() || flt.AfterID != 0 {
			c := r.CreatedAt.Compare(flt.AfterCreated)
			if c < 0 || c == 0 && r.ID <= flt.AfterID {
				continue
			}
		}
		out = append(out, copyRequest(r))
		if len(out) == flt.Limit {
			break
		}
	}
	return out, nil
}

func (f *RoleRequests) matches(r *domain.RoleRequest, flt domain.RoleRequestFilter, now time.Time) bool {
	if len(flt.Kinds) > 0 && !slices.Contains(flt.Kinds, r.Form.Kind) {
		return false
	}
	if len(flt.States) > 0 {
		if !slices.Contains(flt.States, r.State) {
			return false
		}
	} else if !r.State.Open() {
		return false
	}
	if flt.OlderThan > 0 && now.Sub(r.CreatedAt) < flt.OlderThan {
		return false
	}
	if n, ok := domain.ParseNumberSearch(flt.Search); ok {
		return n.Code != "" && domain.PersonKey(r.Form.PersonalCode) == domain.PersonKey(n.Code) ||
			n.Digits == r.Form.CompanyRegNumber || n.Digits == r.Form.EducationRegNumber
	}
	if q := strings.ToLower(strings.TrimSpace(flt.Search)); q != "" {
		hay := strings.ToLower(strings.Join([]string{r.ApplicantName(), r.Form.Email}, "\x00"))
		if !strings.Contains(hay, q) {
			return false
		}
	}
	return true
}

// FindRoleRequest implements domain.RoleRequestService.
func (f *RoleRequests) FindRoleRequest(_ context.Context, id int64) (*domain.RoleRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls.finds = append(f.calls.finds, id)
	if err := f.takeFail("FindRoleRequest"); err != nil {
		return nil, err
	}
	r := f.reqs[id]
	if r == nil {
		return nil, rrNotFound()
	}
	return copyRequest(r), nil
}

// RoleRequestHistory implements domain.RoleRequestService.
func (f *RoleRequests) RoleRequestHistory(_ context.Context, id int64) ([]*domain.RoleRequestEvent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("RoleRequestHistory"); err != nil {
		return nil, err
	}
	return slices.Clone(f.history[id]), nil
}

// FindDuplicates implements domain.RoleRequestService.
func (f *RoleRequests) FindDuplicates(_ context.Context, id int64) ([]*domain.Duplicate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("FindDuplicates"); err != nil {
		return nil, err
	}
	return slices.Clone(f.dups[id]), nil
}

// ClaimRoleRequest implements domain.RoleRequestService.
func (f *RoleRequests) ClaimRoleRequest(ctx context.Context, id int64) (*domain.RoleRequest, error) {
	a := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.claimed(id)
	if err := f.takeFail("ClaimRoleRequest"); err != nil {
		f.mu.Unlock()
		return nil, err
	}
	r := f.reqs[id]
	if r == nil {
		f.mu.Unlock()
		return nil, rrNotFound()
	}
	now := f.now()
	if r.ClaimedByOther(a.OperatorID, now) {
		f.mu.Unlock()
		return nil, rrConflict("held by %s", r.ClaimedByName)
	}
	if !r.State.Open() {
		f.mu.Unlock()
		return nil, rrInvalid("request %d is closed", id)
	}
	r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt = a.OperatorID, a.Name, now.Add(domain.ClaimLease)
	f.claimOf[id] = a.SessionID
	out := copyRequest(r)
	f.mu.Unlock()
	f.publish(id)
	return out, nil
}

// ReleaseRoleRequest implements domain.RoleRequestService.
func (f *RoleRequests) ReleaseRoleRequest(ctx context.Context, id int64) error {
	a := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.released(id)
	if err := f.takeFail("ReleaseRoleRequest"); err != nil {
		f.mu.Unlock()
		return err
	}
	r := f.reqs[id]
	released := r != nil && r.ClaimedBy == a.OperatorID && r.ClaimedBy != 0
	if released {
		f.unclaim(r)
	}
	f.mu.Unlock()
	if released {
		f.publish(id)
	}
	return nil
}

func (f *RoleRequests) unclaim(r *domain.RoleRequest) {
	r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt = 0, "", time.Time{}
	delete(f.claimOf, r.ID)
}

// ReleaseSessionClaims implements domain.RoleRequestService.
func (f *RoleRequests) ReleaseSessionClaims(_ context.Context, sessionID string) error {
	f.mu.Lock()
	f.calls.sessionReleases = append(f.calls.sessionReleases, sessionID)
	var ids []int64
	for id, s := range f.claimOf {
		if s == sessionID {
			f.unclaim(f.reqs[id])
			ids = append(ids, id)
		}
	}
	f.mu.Unlock()
	for _, id := range ids {
		f.publish(id)
	}
	return nil
}

// decide runs the checks every decision shares and then apply.
func (f *RoleRequests) decide(ctx context.Context, action string, d domain.Decision, want domain.RoleRequestState, apply func(r *domain.RoleRequest, a domain.Actor, now time.Time) error) error {
	a := domain.ActorFrom(ctx)
	f.mu.Lock()
	err := f.decideLocked(action, d, want, a, apply)
	f.calls.decisions = append(f.calls.decisions, RoleRequestDecision{Action: action, Decision: d, Err: err})
	f.mu.Unlock()
	if err == nil {
		f.publish(d.RequestID)
	}
	return err
}

func (f *RoleRequests) decideLocked(action string, d domain.Decision, want domain.RoleRequestState, a domain.Actor, apply func(*domain.RoleRequest, domain.Actor, time.Time) error) error {
	if err := f.takeFail(methodOf[action]); err != nil {
		return err
	}
	r := f.reqs[d.RequestID]
	if r == nil {
		return rrNotFound()
	}
	now := f.now()
	switch {
	case r.Version != d.Version:
		return rrConflict("request %d changed meanwhile", r.ID)
	case r.ClaimedByOther(a.OperatorID, now):
		return rrConflict("request %d is held by %s", r.ID, r.ClaimedByName)
	case r.State == domain.StateUnconfirmed && want == domain.StatePending:
		return rrInvalid("the e-mail address of request %d is not confirmed", r.ID)
	case r.State != want:
		return rrConflict("request %d is %s", r.ID, r.State)
	}
	if err := apply(r, a, now); err != nil {
		return err
	}
	r.Version++
	r.UpdatedAt = now
	return nil
}

var methodOf = map[string]string{"approve": "Approve", "reject": "Reject", "info": "RequestInfo", "takeover": "TakeOver"}

func (f *RoleRequests) finish(r *domain.RoleRequest, a domain.Actor, now time.Time, state domain.RoleRequestState) {
	r.State, r.DecidedBy, r.DecidedByName, r.DecidedAt = state, a.OperatorID, a.Name, now
	f.unclaim(r)
}

// Approve implements domain.RoleRequestService.
func (f *RoleRequests) Approve(ctx context.Context, d domain.Decision) error {
	return f.decide(ctx, "approve", d, domain.StatePending, func(r *domain.RoleRequest, a domain.Actor, now time.Time) error {
		if !d.ValidUntil.After(now) {
			return rrInvalid("the validity end is in the past")
		}
		f.finish(r, a, now, domain.StateApproved)
		r.ValidUntil = d.ValidUntil
		return nil
	})
}

// Reject implements domain.RoleRequestService.
func (f *RoleRequests) Reject(ctx context.Context, d domain.Decision) error {
	return f.decide(ctx, "reject", d, domain.StatePending, func(r *domain.RoleRequest, a domain.Actor, now time.Time) error {
		if !slices.Contains(domain.RejectReasons, d.ReasonCode) || d.ReasonCode == "other" && strings.TrimSpace(d.ReasonText) == "" {
			return rrInvalid("a reason is required")
		}
		f.finish(r, a, now, domain.StateRejected)
		r.ReasonCode, r.ReasonText = d.ReasonCode, d.ReasonText
		return nil
	})
}

// RequestInfo implements domain.RoleRequestService.
func (f *RoleRequests) RequestInfo(ctx context.Context, d domain.Decision) error {
	return f.decide(ctx, "info", d, domain.StatePending, func(r *domain.RoleRequest, a domain.Actor, now time.Time) error {
		if strings.TrimSpace(d.InfoMessage) == "" {
			return rrInvalid("a message is required")
		}
		f.finish(r, a, now, domain.StateInfoRequested)
		r.InfoMessage = d.InfoMessage
		return nil
	})
}

// TakeOver implements domain.RoleRequestService.
func (f *RoleRequests) TakeOver(ctx context.Context, d domain.Decision) error {
	return f.decide(ctx, "takeover", d, domain.StateAtInstitution, func(r *domain.RoleRequest, _ domain.Actor, now time.Time) error {
		if strings.TrimSpace(d.ReasonText) == "" {
			return rrInvalid("a reason is required")
		}
		if !r.CanTakeOver(now, f.Config) {
			return rrInvalid("too early to take request %d over", r.ID)
		}
		r.State, r.Route = domain.StatePending, domain.RouteAgency
		return nil
	})
}

// ResendConfirmation implements domain.RoleRequestService.
func (f *RoleRequests) ResendConfirmation(_ context.Context, id int64) error {
	f.mu.Lock()
	f.calls.resent = append(f.calls.resent, id)
	if err := f.takeFail("ResendConfirmation"); err != nil {
		f.mu.Unlock()
		return err
	}
	r := f.reqs[id]
	if r == nil {
		f.mu.Unlock()
		return rrNotFound()
	}
	if r.State != domain.StateUnconfirmed {
		f.mu.Unlock()
		return rrInvalid("request %d is not waiting for its e-mail confirmation", id)
	}
	r.EmailSentAt = f.now()
	r.Version++
	f.mu.Unlock()
	f.publish(id)
	return nil
}

// RoleRequestConfig returns Config, the way the storage service exposes
// its configuration to the screens.
func (f *RoleRequests) RoleRequestConfig() domain.RoleRequestConfig {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Config
}

// ClaimNext implements domain.RoleRequestService: the oldest pending
// request of kinds that nobody else holds.
func (f *RoleRequests) ClaimNext(ctx context.Context, kinds ...domain.RoleRequestKind) (*domain.RoleRequest, error) {
	a := domain.ActorFrom(ctx)
	f.mu.Lock()
	var best *domain.RoleRequest
	for _, r := range f.reqs {
		if r.State != domain.StatePending || len(kinds) > 0 && !slices.Contains(kinds, r.Form.Kind) || r.ClaimedByOther(a.OperatorID, f.now()) {
			continue
		}
		if best == nil || r.CreatedAt.Before(best.CreatedAt) || r.CreatedAt.Equal(best.CreatedAt) && r.ID < best.ID {
			best = r
		}
	}
	f.mu.Unlock()
	if best == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "rolerequest.queue_empty", "no pending request is waiting")
	}
	return f.ClaimRoleRequest(ctx, best.ID)
}

// Filters returns the filters of every ListRoleRequests call so far.
func (f *RoleRequests) Filters() []domain.RoleRequestFilter {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls.filters)
}

// LastFilter returns the filter of the latest ListRoleRequests call.
func (f *RoleRequests) LastFilter() domain.RoleRequestFilter {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls.filters) == 0 {
		return domain.RoleRequestFilter{}
	}
	return f.calls.filters[len(f.calls.filters)-1]
}

// SessionReleases returns the sessions of every ReleaseSessionClaims call.
func (f *RoleRequests) SessionReleases() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls.sessionReleases)
}

// Decisions returns every decision call so far.
func (f *RoleRequests) Decisions() []RoleRequestDecision {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls.decisions)
}

// Resent returns the ids of every ResendConfirmation call so far.
func (f *RoleRequests) Resent() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls.resent)
}

// Finds returns the ids of every FindRoleRequest call so far.
func (f *RoleRequests) Finds() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls.finds)
}
