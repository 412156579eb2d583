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

// IMK is an in-memory domain.IMKService. It keeps the contract's rules the
// screen depends on: a claim by another operator conflicts, a decision
// names the version it saw and needs an application in review, and every
// change but a claim bumps the version. The actor comes from the context,
// as in storage. When Feed is set, every change is published on topic
// "imk" with the id only.
type IMK struct {
	mu      sync.Mutex
	apps    map[int64]*domain.IMKApplication
	claimOf map[int64]string // session that holds each claim
	nextID  int64
	failures
	claimLog

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
	return &IMK{apps: map[int64]*domain.IMKApplication{}, claimOf: map[int64]string{}, nextID: 1}
}

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

// SessionReleases returns the sessions ReleaseSessionIMKClaims ended.
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

func imkNotFound() error { return domain.Errorf(domain.ENOTFOUND, "", "IMK application not found") }

func imkConflict(format string, args ...any) error {
	return &domain.Error{Code: domain.ECONFLICT, Message: fmt.Sprintf(format, args...)}
}

func imkInvalid(format string, args ...any) error {
	return &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf(format, args...)}
}

// heldByOther reports whether someone other than op holds a now.
func heldByOther(a *domain.IMKApplication, op int64, now time.Time) bool {
	return a.ClaimedBy != 0 && a.ClaimedBy != op && now.Before(a.ClaimExpiresAt)
}

// ListIMK implements domain.IMKService: oldest first, keyset paged on
// (AppliedAt, ID); needs review unless States says otherwise.
func (f *IMK) ListIMK(_ context.Context, flt domain.IMKFilter) ([]*domain.IMKApplication, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("ListIMK"); err != nil {
		return nil, err
	}
	if flt.Limit <= 0 || flt.Limit > 1000 {
		return nil, imkInvalid("limit %d out of range", flt.Limit)
	}
	states := flt.States
	if len(states) == 0 {
		states = []domain.IMKState{domain.IMKNeedsReview}
	}
	// A personal code is found whole or not at all, by domain's rule, as
	// storage does.
	code, isCode := domain.ParseNumberSearch(flt.Search)
	if isCode {
		if err := code.Whole(); err != nil {
			return nil, err
		}
	}
	var all []*domain.IMKApplication
	for _, a := range f.apps {
		if !slices.Contains(states, a.State) {
			continue
		}
		if isCode && domain.PersonKey(a.PersonalCode) != domain.PersonKey(code.Code) {
			continue
		}
		if q := strings.ToLower(strings.TrimSpace(flt.Search)); q != "" && !isCode {
			hay := strings.ToLower(a.FirstName + " " + a.LastName)
			if !strings.Contains(hay, q) {
				continue
			}
		}
		all = append(all, a)
	}
	slices.SortFunc(all, func(a, b *domain.IMKApplication) int {
		return cmp.Or(a.AppliedAt.Compare(b.AppliedAt), cmp.Compare(a.ID, b.ID))
	})
	var out []*domain.IMKApplication
	for _, a := range all {
		if !flt.AfterApplied.IsZero() || flt.AfterID != 0 {
			c := a.AppliedAt.Compare(flt.AfterApplied)
			if c < 0 || c == 0 && a.ID <= flt.AfterID {
				continue
			}
		}
		out = append(out, copyIMK(a))
		if len(out) == flt.Limit {
			break
		}
	}
	return out, nil
}

// FindIMK implements domain.IMKService.
func (f *IMK) FindIMK(_ context.Context, id int64) (*domain.IMKApplication, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("FindIMK"); err != nil {
		return nil, err
	}
	a := f.apps[id]
	if a == nil {
		return nil, imkNotFound()
	}
	return copyIMK(a), nil
}

// ClaimIMK implements domain.IMKService.
func (f *IMK) ClaimIMK(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.claimed(id)
	if err := f.takeFail("ClaimIMK"); err != nil {
		f.mu.Unlock()
		return nil, err
	}
	a := f.apps[id]
	switch {
	case a == nil:
		f.mu.Unlock()
		return nil, imkNotFound()
	case heldByOther(a, act.OperatorID, f.now()):
		f.mu.Unlock()
		return nil, imkConflict("held by %s", a.ClaimedByName)
	case a.State != domain.IMKNeedsReview:
		f.mu.Unlock()
		return nil, imkInvalid("application %d is not in review", id)
	}
	a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = act.OperatorID, act.Name, f.now().Add(domain.ClaimLease)
	f.claimOf[id] = act.SessionID
	out := copyIMK(a)
	f.mu.Unlock()
	f.publish(id)
	return out, nil
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
	released := a != nil && a.ClaimedBy == act.OperatorID
	if released {
		a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = 0, "", time.Time{}
		delete(f.claimOf, id)
	}
	f.mu.Unlock()
	if released {
		f.publish(id)
	}
	return nil
}

// ReleaseSessionIMKClaims gives back every claim session holds, as the
// server does when a session ends.
func (f *IMK) ReleaseSessionIMKClaims(_ context.Context, session string) error {
	f.mu.Lock()
	f.sessionReleases = append(f.sessionReleases, session)
	var ids []int64
	for id, s := range f.claimOf {
		if s == session {
			if a := f.apps[id]; a != nil {
				a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = 0, "", time.Time{}
			}
			delete(f.claimOf, id)
			ids = append(ids, id)
		}
	}
	f.mu.Unlock()
	for _, id := range ids {
		f.publish(id)
	}
	return nil
}

// Refetch implements domain.IMKService.
func (f *IMK) Refetch(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.refetches = append(f.refetches, id)
	if err := f.takeFail("Refetch"); err != nil {
		f.mu.Unlock()
		return nil, err
	}
	a := f.apps[id]
	now := f.now()
	switch {
	case a == nil:
		f.mu.Unlock()
		return nil, imkNotFound()
	case heldByOther(a, act.OperatorID, now):
		f.mu.Unlock()
		return nil, imkConflict("held by %s", a.ClaimedByName)
	case a.State != domain.IMKNeedsReview:
		f.mu.Unlock()
		return nil, imkInvalid("application %d is not in review", id)
	}
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
	a := f.apps[d.ID]
	now := f.now()
	switch {
	case a == nil:
		return imkNotFound()
	case strings.TrimSpace(d.Reason) == "":
		return domain.Errorf(domain.EINVALID, "", "a reason is required")
	case a.State != domain.IMKNeedsReview:
		return imkConflict("application %d is %s", d.ID, a.State)
	case a.Version != d.Version:
		return imkConflict("application %d is at version %d, not %d", d.ID, a.Version, d.Version)
	case heldByOther(a, act.OperatorID, now):
		return imkConflict("held by %s", a.ClaimedByName)
	}
	a.State = domain.IMKRejected
	if d.Approve {
		a.State = domain.IMKApproved
	}
	a.DecidedAt, a.DecidedBy, a.DecidedByName, a.Reason = now, act.OperatorID, act.Name, d.Reason
	a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = 0, "", time.Time{}
	delete(f.claimOf, d.ID)
	a.Version++
	return nil
}
