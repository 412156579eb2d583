package fakes

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// IMK is an in-memory domain.IMKService: state and recorded calls. Every
// rule is domain's (IMKApplication.Allows, CheckVersion, CheckIMKReason,
// IMKFilter.Normalize), and the shared suite (domain/contracttest) holds it
// to the contract storage keeps. The actor comes from the context, as in
// storage. When Feed is set, every change is published on topic "imk" with
// the id only.
type IMK struct {
	mu      sync.Mutex
	apps    map[int64]*domain.IMKApplication
	claimOf sessions
	nextID  int64
	failures
	claimLog
	staff
	looks

	// Feed receives a change per write when set.
	Feed *Feed
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Reevaluate, when set, gives the evaluation a Refetch stores;
	// otherwise the evaluation stays and its fetch times move to now.
	Reevaluate func(app *domain.IMKApplication, now time.Time) *domain.Evaluation

	decisions       []IMKDecision
	refetches       []int64
	sessionReleases []string
}

// IMKDecision is one call of DecideIMK, successful or not.
type IMKDecision struct {
	ID      int64
	Version int64
	Approve bool
	Reason  string
	ActorID int64
	Err     error
}

// NewIMK returns an empty queue.
func NewIMK() *IMK {
	return &IMK{apps: map[int64]*domain.IMKApplication{}, claimOf: sessions{}, nextID: 1}
}

var _ domain.IMKService = (*IMK)(nil)

func (f *IMK) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func copyIMK(a *domain.IMKApplication) *domain.IMKApplication {
	c := *a
	if a.Evaluation != nil {
		e := *a.Evaluation
		e.Rules = slices.Clone(a.Evaluation.Rules)
		e.ReviewWhy = slices.Clone(a.Evaluation.ReviewWhy)
		c.Evaluation = &e
	}
	return &c
}

// shown is a as a read shows it: a claim whose lease ran out is not shown.
func (f *IMK) shown(a *domain.IMKApplication) *domain.IMKApplication {
	c := copyIMK(a)
	if c.ClaimedBy != 0 && !f.now().Before(c.ClaimExpiresAt) {
		c.ClaimedBy, c.ClaimedByName, c.ClaimExpiresAt = 0, "", time.Time{}
	}
	return c
}

// Add stores a (giving it an id, a version, a state and a time when it
// has none) and returns a copy.
func (f *IMK) Add(a *domain.IMKApplication) *domain.IMKApplication {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a.ID == 0 {
		a.ID = f.nextID
	}
	f.nextID = max(f.nextID, a.ID+1)
	if a.Version == 0 {
		a.Version = 1
	}
	if a.State == "" {
		a.State = domain.IMKNeedsReview
	}
	if a.AppliedAt.IsZero() {
		a.AppliedAt = f.now()
	}
	f.apps[a.ID] = copyIMK(a)
	return copyIMK(a)
}

// Get returns a copy of application id, or nil.
func (f *IMK) Get(id int64) *domain.IMKApplication {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a := f.apps[id]; a != nil {
		return copyIMK(a)
	}
	return nil
}

// Update changes application id with fn, as another writer would: the
// version is bumped and the change published.
func (f *IMK) Update(id int64, fn func(*domain.IMKApplication)) {
	f.mu.Lock()
	a := f.apps[id]
	if a != nil {
		fn(a)
		a.Version++
	}
	f.mu.Unlock()
	if a != nil {
		f.publish(id)
	}
}

// ClaimAs makes another operator hold application id for
// domain.ClaimLease and publishes the change.
func (f *IMK) ClaimAs(id, operatorID int64, name string) {
	f.mu.Lock()
	if a := f.apps[id]; a != nil {
		a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = operatorID, name, f.now().Add(domain.ClaimLease)
		f.claimOf[id] = "other-session"
	}
	f.mu.Unlock()
	f.publish(id)
}

// Decisions returns every DecideIMK call so far.
func (f *IMK) Decisions() []IMKDecision {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.decisions)
}

// Refetches returns the ids Refetch was called with.
func (f *IMK) Refetches() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.refetches)
}

// SessionReleases returns the sessions ReleaseSessionClaims was called
// with.
func (f *IMK) SessionReleases() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sessionReleases)
}

func (f *IMK) publish(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: domain.TopicIMK, ID: fmt.Sprint(id)})
	}
}

// get returns application id, or storage's ENOTFOUND.
func (f *IMK) get(id int64) (*domain.IMKApplication, error) {
	if a := f.apps[id]; a != nil {
		return a, nil
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "imk.not_found", "IMK application %d was not found", id)
}

// ListIMK implements domain.IMKService: oldest first, keyset paged on
// (AppliedAt, ID).
func (f *IMK) ListIMK(ctx context.Context, flt domain.IMKFilter) ([]*domain.IMKApplication, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("ListIMK"); err != nil {
		return nil, err
	}
	search, err := flt.Normalize()
	if err != nil {
		return nil, err
	}
	var all []*domain.IMKApplication
	for _, a := range f.apps {
		if search.Matches(flt, a) && afterKey(a.AppliedAt, a.ID, flt.AfterApplied, flt.AfterID) {
			all = append(all, a)
		}
	}
	slices.SortFunc(all, func(a, b *domain.IMKApplication) int {
		return cmp.Or(a.AppliedAt.Compare(b.AppliedAt), cmp.Compare(a.ID, b.ID))
	})
	var out []*domain.IMKApplication
	for _, a := range all[:min(len(all), flt.Limit)] {
		out = append(out, f.shown(a))
	}
	if len(out) > 0 && search.CodeForms != nil {
		f.viewed(domain.ActorFrom(ctx), out[0].ID, search.CodeForms[0])
	}
	return out, nil
}

// FindIMK implements domain.IMKService; a read by an operator counts as a
// view of the person.
func (f *IMK) FindIMK(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("FindIMK"); err != nil {
		return nil, err
	}
	a, err := f.get(id)
	if err != nil {
		return nil, err
	}
	f.viewed(domain.ActorFrom(ctx), id, a.PersonalCode)
	return f.shown(a), nil
}

// ClaimIMK implements domain.IMKService.
func (f *IMK) ClaimIMK(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.claimed(id)
	a, err := f.claimLocked(act, id, "ClaimIMK", domain.IMKClaim)
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	f.publish(id)
	return a, nil
}

// claimLocked claims application id for act after the failure planned for
// method and the rule for action.
func (f *IMK) claimLocked(act domain.Actor, id int64, method string, action domain.IMKAction) (*domain.IMKApplication, error) {
	if err := f.takeFail(method); err != nil {
		return nil, err
	}
	a, err := f.get(id)
	if err != nil {
		return nil, err
	}
	op, now := f.ref(act), f.now()
	if err := a.Allows(action, op, now); err != nil {
		return nil, err
	}
	a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = op.ID, op.Name, now.Add(domain.ClaimLease)
	f.claimOf[id] = act.SessionID
	return copyIMK(a), nil
}

// ReleaseIMK implements domain.IMKService.
func (f *IMK) ReleaseIMK(ctx context.Context, id int64) error {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.released(id)
	if err := f.takeFail("ReleaseIMK"); err != nil {
		f.mu.Unlock()
		return err
	}
	a := f.apps[id]
	released := a != nil && a.ClaimedBy == act.OperatorID && a.ClaimedBy != 0
	if released {
		f.unclaim(a)
	}
	f.mu.Unlock()
	if released {
		f.publish(id)
	}
	return nil
}

func (f *IMK) unclaim(a *domain.IMKApplication) {
	a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = 0, "", time.Time{}
	delete(f.claimOf, a.ID)
}

// ReleaseSessionClaims implements domain.IMKService.
func (f *IMK) ReleaseSessionClaims(ctx context.Context, session string) error {
	f.mu.Lock()
	f.sessionReleases = append(f.sessionReleases, session)
	ids, err := f.claimOf.releasable(domain.ActorFrom(ctx), session)
	for _, id := range ids {
		f.unclaim(f.apps[id])
	}
	f.mu.Unlock()
	for _, id := range ids {
		f.publish(id)
	}
	return err
}

// Refetch implements domain.IMKService: it claims the application, as
// storage does, and stores a new evaluation (Reevaluate's, or the old one
// fetched again).
func (f *IMK) Refetch(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.refetches = append(f.refetches, id)
	_, err := f.claimLocked(act, id, "Refetch", domain.IMKRefetch)
	if err != nil {
		f.mu.Unlock()
		return nil, err
	}
	a, now := f.apps[id], f.now()
	if f.Reevaluate != nil {
		a.Evaluation = f.Reevaluate(copyIMK(a), now)
	} else if a.Evaluation != nil {
		for i := range a.Evaluation.Rules {
			a.Evaluation.Rules[i].FetchedAt = now
		}
		a.Evaluation.CheckDate = now
	}
	a.Version++
	out := copyIMK(a)
	f.mu.Unlock()
	f.publish(id)
	return out, nil
}

// DecideIMK implements domain.IMKService.
func (f *IMK) DecideIMK(ctx context.Context, id, version int64, approve bool, reason string) error {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	d := IMKDecision{ID: id, Version: version, Approve: approve, Reason: reason, ActorID: act.OperatorID}
	d.Err = f.decide(act, d)
	f.decisions = append(f.decisions, d)
	f.mu.Unlock()
	if d.Err == nil {
		f.publish(id)
	}
	return d.Err
}

func (f *IMK) decide(act domain.Actor, d IMKDecision) error {
	if err := f.takeFail("DecideIMK"); err != nil {
		return err
	}
	reason, err := domain.CheckIMKReason(d.Reason)
	if err != nil {
		return err
	}
	a, err := f.get(d.ID)
	if err != nil {
		return err
	}
	action, state := domain.IMKReject, domain.IMKRejected
	if d.Approve {
		action, state = domain.IMKApprove, domain.IMKApproved
	}
	op, now := f.ref(act), f.now()
	if err := a.Allows(action, op, now); err != nil {
		return err
	}
	if err := a.CheckVersion(d.Version); err != nil {
		return err
	}
	a.State, a.DecidedAt, a.DecidedBy, a.DecidedByName, a.Reason = state, now, op.ID, op.Name, reason
	f.unclaim(a)
	a.Version++
	return nil
}

// RevealPersonalCode implements domain.IMKService: the reveal is recorded
// (Reveals) with its reason.
func (f *IMK) RevealPersonalCode(ctx context.Context, id int64, reason string) (string, error) {
	act := domain.ActorFrom(ctx)
	reason, err := domain.CheckRevealReason(reason)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("RevealPersonalCode"); err != nil {
		return "", err
	}
	a, err := f.get(id)
	if err != nil {
		return "", err
	}
	if err := a.Allows(domain.IMKReveal, f.ref(act), f.now()); err != nil {
		return "", err
	}
	f.revealed(act, id, a.PersonalCode, reason)
	return a.PersonalCode, nil
}
