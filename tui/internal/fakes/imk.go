package fakes

import (
	"context"
	"slices"
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
	queue[domain.IMKApplication]
	// Reevaluate, when set, gives the evaluation a Refetch stores;
	// otherwise the evaluation stays and its fetch times move to now.
	Reevaluate func(app *domain.IMKApplication, now time.Time) *domain.Evaluation

	decisions []IMKDecision
	refetches []int64
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
	return &IMK{queue: newQueue(itemKind[domain.IMKApplication]{
		topic: domain.TopicIMK,
		notFound: func(id int64) error {
			return domain.Errorf(domain.ENOTFOUND, "imk.not_found", "IMK application %d was not found", id)
		},
		copy:    copyIMK,
		id:      func(a *domain.IMKApplication) *int64 { return &a.ID },
		version: func(a *domain.IMKApplication) *int64 { return &a.Version },
		arrived: func(a *domain.IMKApplication) time.Time { return a.AppliedAt },
		claim: func(a *domain.IMKApplication) (*int64, *string, *time.Time) {
			return &a.ClaimedBy, &a.ClaimedByName, &a.ClaimExpiresAt
		},
	})}
}

var _ domain.IMKService = (*IMK)(nil)

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
	return f.store(a, func(a *domain.IMKApplication) {
		if a.State == "" {
			a.State = domain.IMKNeedsReview
		}
		if a.AppliedAt.IsZero() {
			a.AppliedAt = f.now()
		}
	})
}

// Decisions returns every DecideIMK call so far.
func (f *IMK) Decisions() []IMKDecision { return snapshot(&f.mu, &f.decisions) }

// Refetches returns the ids Refetch was called with.
func (f *IMK) Refetches() []int64 { return snapshot(&f.mu, &f.refetches) }

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
	out := f.list(func(a *domain.IMKApplication) bool { return search.Matches(flt, a) }, flt.AfterApplied, flt.AfterID, flt.Limit)
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
	return f.shown(a, copyIMK), nil
}

// ClaimIMK implements domain.IMKService.
func (f *IMK) ClaimIMK(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	return f.claim(ctx, id, "ClaimIMK", allowsIMK(domain.IMKClaim), nil)
}

// allowsIMK is the application's own rule for action.
func allowsIMK(action domain.IMKAction) func(*domain.IMKApplication, domain.OperatorRef, time.Time) error {
	return func(a *domain.IMKApplication, op domain.OperatorRef, now time.Time) error {
		return a.Allows(action, op, now)
	}
}

// ReleaseIMK implements domain.IMKService.
func (f *IMK) ReleaseIMK(ctx context.Context, id int64) error {
	return f.release(ctx, id, "ReleaseIMK")
}

// ReleaseSessionClaims implements domain.IMKService.
func (f *IMK) ReleaseSessionClaims(ctx context.Context, session string) error {
	return f.releaseSession(ctx, session)
}

// Refetch implements domain.IMKService: it claims the application, as
// storage does, and stores a new evaluation (Reevaluate's, or the old one
// fetched again).
func (f *IMK) Refetch(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.refetches = append(f.refetches, id)
	_, err := f.claimLocked(act, id, "Refetch", allowsIMK(domain.IMKRefetch), nil)
	if err != nil {
		f.mu.Unlock()
		return nil, err
	}
	a, now := f.items[id], f.now()
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
	f.unclaim(d.ID)
	a.Version++
	return nil
}

// RevealPersonalCode implements domain.IMKService: the reveal is recorded
// (Reveals) with its reason.
func (f *IMK) RevealPersonalCode(ctx context.Context, id int64, reason string) (string, error) {
	return f.reveal(ctx, id, reason, allowsIMK(domain.IMKReveal), func(a *domain.IMKApplication) string { return a.PersonalCode })
}
