package fakes

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Policy is an in-memory domain.PolicyService. Who may approve is asked of
// domain.EligibilityPolicy.ApprovalBlocker, with the actor from the
// context; the version in force is the approved one with the latest
// effective date not after the time asked.
type Policy struct {
	mu   sync.Mutex
	Rows []*domain.EligibilityPolicy
	// Err is returned by every call when set.
	Err error

	Approved  map[int64]time.Time // effective date asked, by id
	Discarded []int64
}

// NewPolicy returns a service holding rows.
func NewPolicy(rows ...*domain.EligibilityPolicy) *Policy {
	return &Policy{Rows: rows, Approved: map[int64]time.Time{}}
}

var _ domain.PolicyService = (*Policy)(nil)

func (f *Policy) find(id int64) *domain.EligibilityPolicy {
	for _, p := range f.Rows {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// ListPolicies returns every version, newest first.
func (f *Policy) ListPolicies(ctx context.Context) ([]*domain.EligibilityPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	var out []*domain.EligibilityPolicy
	for _, p := range f.Rows {
		cp := *p
		out = append(out, &cp)
	}
	slices.SortFunc(out, func(a, b *domain.EligibilityPolicy) int { return b.Version - a.Version })
	return out, nil
}

// FindPolicy returns one version.
func (f *Policy) FindPolicy(ctx context.Context, id int64) (*domain.EligibilityPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.find(id); p != nil {
		cp := *p
		return &cp, f.Err
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "imk.policy_not_found", "target-group policy %d was not found", id)
}

// PolicyInForce returns the approved version in force at at.
func (f *Policy) PolicyInForce(ctx context.Context, at time.Time) (*domain.EligibilityPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var best *domain.EligibilityPolicy
	for _, p := range f.Rows {
		if p.State == domain.PolicyApproved && !p.EffectiveFrom.After(at) &&
			(best == nil || p.EffectiveFrom.After(best.EffectiveFrom) || p.EffectiveFrom.Equal(best.EffectiveFrom) && p.Version > best.Version) {
			best = p
		}
	}
	if best == nil {
		return nil, domain.Errorf(domain.EINTERNAL, "imk.no_policy", "no approved target-group policy is in force")
	}
	cp := *best
	return &cp, nil
}

// DraftPolicy stores p as the actor's draft.
func (f *Policy) DraftPolicy(ctx context.Context, p *domain.EligibilityPolicy) (*domain.EligibilityPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	d := *p
	d.ID, d.Version, d.State = int64(len(f.Rows)+1), len(f.Rows)+1, domain.PolicyDraft
	d.DraftedBy = domain.ActorFrom(ctx).OperatorID
	f.Rows = append(f.Rows, &d)
	cp := d
	return &cp, nil
}

// ApprovePolicy approves a draft the actor may approve.
func (f *Policy) ApprovePolicy(ctx context.Context, id int64, effectiveFrom time.Time) (*domain.EligibilityPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	p := f.find(id)
	if p == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "imk.policy_not_found", "target-group policy %d was not found", id)
	}
	me := domain.ActorFrom(ctx).OperatorID
	if err := p.ApprovalBlocker(me); err != nil {
		return nil, err
	}
	p.State, p.ApprovedBy, p.EffectiveFrom = domain.PolicyApproved, me, effectiveFrom
	f.Approved[id] = effectiveFrom
	cp := *p
	return &cp, nil
}

// DiscardPolicy deletes a draft.
func (f *Policy) DiscardPolicy(ctx context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	p := f.find(id)
	if p == nil || p.State != domain.PolicyDraft {
		return domain.Errorf(domain.ECONFLICT, "imk.policy_not_draft", "policy %d is not a draft", id)
	}
	f.Rows = slices.DeleteFunc(f.Rows, func(q *domain.EligibilityPolicy) bool { return q.ID == id })
	f.Discarded = append(f.Discarded, id)
	return nil
}
