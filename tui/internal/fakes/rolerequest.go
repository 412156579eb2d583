package fakes

import (
	"context"
	"slices"
	"time"

	"github.com/viaa/ppp/domain"
)

// RoleRequests is an in-memory domain.RoleRequestService: state and
// recorded calls. Every rule is domain's (RoleRequest.Allows, CheckVersion,
// Decision's checks, RoleRequestFilter.Normalize), and the shared suite
// (domain/contracttest) holds it to the contract storage keeps. The actor
// comes from the context, as in storage; AddOperator tells it an operator's
// full name and e-mail address. When Feed is set, every change is
// published on topic "role_request" with the id only.
type RoleRequests struct {
	queue[domain.RoleRequest]
	history map[int64][]*domain.RoleRequestEvent
	dups    map[int64][]*domain.Duplicate
	// Config is what RoleRequestConfig returns and the rules decide by;
	// NewRoleRequests sets domain.DefaultRoleRequestConfig.
	Config domain.RoleRequestConfig

	calls rrCalls

	assignments     map[int64][]*domain.RoleAssignment // by the request whose person holds them
	assignmentCalls []AssignmentCall
}

// rrCalls are the calls the tests look at.
type rrCalls struct {
	filters   []domain.RoleRequestFilter
	decisions []RoleRequestDecision
	resent    []int64
	finds     []int64
}

// RoleRequestDecision is one call of Approve, Reject, RequestInfo,
// TakeOver or RemindInstitution, successful or not.
type RoleRequestDecision struct {
	Action   string // "approve", "reject", "info", "takeover", "remind"
	Decision domain.Decision
	Err      error
}

// NewRoleRequests returns an empty queue.
func NewRoleRequests() *RoleRequests {
	return &RoleRequests{
		queue: newQueue(itemKind[domain.RoleRequest]{
			topic: domain.TopicRoleRequest,
			notFound: func(id int64) error {
				return domain.Errorf(domain.ENOTFOUND, "rolerequest.not_found", "no role request #%d", id)
			},
			copy:    copyRequest,
			id:      func(r *domain.RoleRequest) *int64 { return &r.ID },
			version: func(r *domain.RoleRequest) *int64 { return &r.Version },
			arrived: func(r *domain.RoleRequest) time.Time { return r.CreatedAt },
			claim: func(r *domain.RoleRequest) (*int64, *string, *time.Time) {
				return &r.ClaimedBy, &r.ClaimedByName, &r.ClaimExpiresAt
			},
		}),
		history: map[int64][]*domain.RoleRequestEvent{},
		dups:    map[int64][]*domain.Duplicate{},
		Config:  domain.DefaultRoleRequestConfig(),
	}
}

var _ domain.RoleRequestService = (*RoleRequests)(nil)

func copyRequest(r *domain.RoleRequest) *domain.RoleRequest {
	c := *r
	c.Form.Documents = slices.Clone(r.Form.Documents)
	return &c
}

// Add stores r (giving it an id, a version and a creation time when it has
// none) and returns a copy.
func (f *RoleRequests) Add(r *domain.RoleRequest) *domain.RoleRequest {
	return f.store(r, func(r *domain.RoleRequest) {
		if r.CreatedAt.IsZero() {
			r.CreatedAt = f.now()
		}
		if r.Route == "" {
			r.Route = domain.RouteAgency
		}
	})
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
	f.queue.Update(id, func(r *domain.RoleRequest) {
		fn(r)
		r.UpdatedAt = f.now()
	})
}

// ListRoleRequests implements domain.RoleRequestService: oldest first,
// keyset paged on (CreatedAt, ID).
func (f *RoleRequests) ListRoleRequests(ctx context.Context, flt domain.RoleRequestFilter) ([]*domain.RoleRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls.filters = append(f.calls.filters, flt)
	if err := f.takeFail("ListRoleRequests"); err != nil {
		return nil, err
	}
	search, err := flt.Normalize()
	if err != nil {
		return nil, err
	}
	now := f.now()
	out := f.list(func(r *domain.RoleRequest) bool { return search.Matches(flt, r, now) }, flt.AfterCreated, flt.AfterID, flt.Limit)
	for _, r := range out {
		if search.Code != "" && domain.PersonKey(r.Form.PersonalCode) == domain.PersonKey(search.Code) {
			f.viewed(domain.ActorFrom(ctx), r.ID, search.Code)
		}
	}
	return out, nil
}

// FindRoleRequest implements domain.RoleRequestService; a read by an
// operator counts as a view of the person.
func (f *RoleRequests) FindRoleRequest(ctx context.Context, id int64) (*domain.RoleRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls.finds = append(f.calls.finds, id)
	if err := f.takeFail("FindRoleRequest"); err != nil {
		return nil, err
	}
	r, err := f.get(id)
	if err != nil {
		return nil, err
	}
	f.viewed(domain.ActorFrom(ctx), id, r.Form.PersonalCode)
	return f.shown(r, copyRequest), nil
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
	return f.claim(ctx, id, "ClaimRoleRequest", f.allows(domain.RoleRequestClaim), nil)
}

// ReleaseRoleRequest implements domain.RoleRequestService.
func (f *RoleRequests) ReleaseRoleRequest(ctx context.Context, id int64) error {
	return f.release(ctx, id, "ReleaseRoleRequest")
}

// ReleaseSessionClaims implements domain.RoleRequestService.
func (f *RoleRequests) ReleaseSessionClaims(ctx context.Context, sessionID string) error {
	return f.releaseSession(ctx, sessionID)
}

// decide runs one decision the way storage does: the texts (check), the
// request's own rule for act, the version, and then apply; it records the
// call whatever its outcome.
func (f *RoleRequests) decide(ctx context.Context, name string, act domain.RoleRequestAction, d domain.Decision,
	check func(d *domain.Decision, now time.Time) error, apply func(r *domain.RoleRequest, op domain.OperatorRef, d domain.Decision, now time.Time)) error {
	return f.decideOn(ctx, name, act, d, check, apply, true)
}

// decideKeep is decide for a change that leaves the claim where it is (a
// reminder of the institution).
func (f *RoleRequests) decideKeep(ctx context.Context, name string, act domain.RoleRequestAction, d domain.Decision,
	check func(d *domain.Decision, now time.Time) error, apply func(r *domain.RoleRequest, op domain.OperatorRef, d domain.Decision, now time.Time)) error {
	return f.decideOn(ctx, name, act, d, check, apply, false)
}

func (f *RoleRequests) decideOn(ctx context.Context, name string, act domain.RoleRequestAction, d domain.Decision,
	check func(d *domain.Decision, now time.Time) error, apply func(r *domain.RoleRequest, op domain.OperatorRef, d domain.Decision, now time.Time),
	release bool) error {
	a := domain.ActorFrom(ctx)
	f.mu.Lock()
	err := f.takeFail(methodOf[name])
	now, op := f.now(), f.ref(a)
	var r *domain.RoleRequest
	if err == nil {
		err = check(&d, now)
	}
	if err == nil {
		r, err = f.get(d.RequestID)
	}
	if err == nil {
		err = r.Allows(act, op, now, f.Config)
	}
	if err == nil {
		err = r.CheckVersion(d.Version)
	}
	if err == nil {
		apply(r, op, d, now)
		if release {
			f.unclaim(r.ID)
		}
		r.Version++
		r.UpdatedAt = now
	}
	f.calls.decisions = append(f.calls.decisions, RoleRequestDecision{Action: name, Decision: d, Err: err})
	f.mu.Unlock()
	if err == nil {
		f.publish(d.RequestID)
	}
	return err
}

var methodOf = map[string]string{"approve": "Approve", "reject": "Reject", "info": "RequestInfo", "takeover": "TakeOver", "remind": "RemindInstitution"}

// Approve implements domain.RoleRequestService.
func (f *RoleRequests) Approve(ctx context.Context, d domain.Decision) error {
	return f.decide(ctx, "approve", domain.RoleRequestApprove, d,
		func(d *domain.Decision, now time.Time) error { return d.CheckApproval(now, f.Config) },
		func(r *domain.RoleRequest, op domain.OperatorRef, d domain.Decision, now time.Time) {
			r.State, r.DecidedBy, r.DecidedByName, r.DecidedAt = domain.StateApproved, op.ID, op.Name, now
			r.ValidUntil = d.ValidUntil
			// The role granted, as PersonAssignments lists it.
			if f.assignments == nil {
				f.assignments = map[int64][]*domain.RoleAssignment{}
			}
			f.assignments[r.ID] = append(f.assignments[r.ID], &domain.RoleAssignment{
				ID: f.nextAssignment(), UserID: r.ID, UserName: r.Form.FirstName + " " + r.Form.LastName,
				Role: r.Form.Kind.PlatformRole(), InstitutionName: r.InstitutionName, MunicipalityName: r.MunicipalityName,
				ValidFrom: now, ValidUntil: d.ValidUntil, RequestID: r.ID,
			})
		})
}

// Reject implements domain.RoleRequestService.
func (f *RoleRequests) Reject(ctx context.Context, d domain.Decision) error {
	return f.decide(ctx, "reject", domain.RoleRequestReject, d,
		func(d *domain.Decision, _ time.Time) error { return d.CheckRejection() },
		func(r *domain.RoleRequest, op domain.OperatorRef, d domain.Decision, now time.Time) {
			r.State, r.DecidedBy, r.DecidedByName, r.DecidedAt = domain.StateRejected, op.ID, op.Name, now
			r.ReasonCode, r.ReasonText = d.ReasonCode, d.ReasonText
		})
}

// RequestInfo implements domain.RoleRequestService.
func (f *RoleRequests) RequestInfo(ctx context.Context, d domain.Decision) error {
	return f.decide(ctx, "info", domain.RoleRequestAskInfo, d,
		func(d *domain.Decision, _ time.Time) error { return d.CheckInfoRequest() },
		func(r *domain.RoleRequest, _ domain.OperatorRef, d domain.Decision, _ time.Time) {
			r.State, r.InfoMessage, r.InfoAnswer = domain.StateInfoRequested, d.InfoMessage, ""
		})
}

// TakeOver implements domain.RoleRequestService.
func (f *RoleRequests) TakeOver(ctx context.Context, d domain.Decision) error {
	return f.decide(ctx, "takeover", domain.RoleRequestTakeOver, d,
		func(d *domain.Decision, _ time.Time) error { return d.CheckTakeOver() },
		func(r *domain.RoleRequest, _ domain.OperatorRef, _ domain.Decision, _ time.Time) {
			r.State, r.Route = domain.StatePending, domain.RouteAgency
		})
}

// RemindInstitution implements domain.RoleRequestService: the request
// stays at its institution, with the time of the Agency's reminder.
func (f *RoleRequests) RemindInstitution(ctx context.Context, d domain.Decision) error {
	return f.decideKeep(ctx, "remind", domain.RoleRequestRemind, d,
		func(d *domain.Decision, _ time.Time) error { return d.CheckReminder() },
		func(r *domain.RoleRequest, _ domain.OperatorRef, _ domain.Decision, now time.Time) {
			r.AgencyRemindedAt = now
		})
}

// ResendConfirmation implements domain.RoleRequestService.
func (f *RoleRequests) ResendConfirmation(ctx context.Context, id int64) error {
	a := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.calls.resent = append(f.calls.resent, id)
	err := f.takeFail("ResendConfirmation")
	var r *domain.RoleRequest
	if err == nil {
		r, err = f.get(id)
	}
	if err == nil {
		err = r.Allows(domain.RoleRequestResend, f.ref(a), f.now(), f.Config)
	}
	if err == nil {
		r.EmailSentAt = f.now()
		r.Version++
	}
	f.mu.Unlock()
	if err == nil {
		f.publish(id)
	}
	return err
}

// RevealPersonalCode implements domain.RoleRequestService: the reveal is
// recorded (Reveals) with its reason.
func (f *RoleRequests) RevealPersonalCode(ctx context.Context, id int64, reason string) (string, error) {
	return f.reveal(ctx, id, reason, f.allows(domain.RoleRequestReveal), func(r *domain.RoleRequest) string { return r.Form.PersonalCode })
}

// allows is the request's own rule for act under the fake's Config.
func (f *RoleRequests) allows(act domain.RoleRequestAction) func(*domain.RoleRequest, domain.OperatorRef, time.Time) error {
	return func(r *domain.RoleRequest, op domain.OperatorRef, now time.Time) error {
		return r.Allows(act, op, now, f.Config)
	}
}

// RoleRequestConfig implements domain.RoleRequestService: Config.
func (f *RoleRequests) RoleRequestConfig() domain.RoleRequestConfig {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Config
}

// ClaimNext implements domain.RoleRequestService: the oldest request
// domain.RoleRequest.OfferedNext offers the actor.
func (f *RoleRequests) ClaimNext(ctx context.Context, kinds ...domain.RoleRequestKind) (*domain.RoleRequest, error) {
	a := domain.ActorFrom(ctx)
	if _, err := (&domain.RoleRequestFilter{Kinds: kinds}).Normalize(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	var best *domain.RoleRequest
	op, now := f.ref(a), f.now()
	for _, r := range f.items {
		if !r.OfferedNext(op, now, f.Config, kinds...) {
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
func (f *RoleRequests) Filters() []domain.RoleRequestFilter { return snapshot(&f.mu, &f.calls.filters) }

// LastFilter returns the filter of the latest ListRoleRequests call.
func (f *RoleRequests) LastFilter() domain.RoleRequestFilter {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls.filters) == 0 {
		return domain.RoleRequestFilter{}
	}
	return f.calls.filters[len(f.calls.filters)-1]
}

// Decisions returns every decision call so far.
func (f *RoleRequests) Decisions() []RoleRequestDecision { return snapshot(&f.mu, &f.calls.decisions) }

// Resent returns the ids of every ResendConfirmation call so far.
func (f *RoleRequests) Resent() []int64 { return snapshot(&f.mu, &f.calls.resent) }

// Finds returns the ids of every FindRoleRequest call so far.
func (f *RoleRequests) Finds() []int64 { return snapshot(&f.mu, &f.calls.finds) }
