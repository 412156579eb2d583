package fakes

import (
	"context"
	"slices"
	"time"

	"github.com/viaa/ppp/domain"
)

// Policy is an in-memory domain.PolicyService: state and recorded calls.
// Every rule is domain's (NewPolicyDraft, EligibilityPolicy.ApprovalBlocker
// and CheckDraft, PolicyEffectiveFrom, PolicyInForceAt), with the actor
// from the context, and the shared suite (domain/contracttest) holds it to
// the contract storage keeps.
type Policy struct {
	guarded
	Rows []*domain.EligibilityPolicy
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	Approved  map[int64]time.Time // effective date asked, by id
	Discarded []int64
	staff
}

// NewPolicy returns a service holding rows.
func NewPolicy(rows ...*domain.EligibilityPolicy) *Policy {
	return &Policy{Rows: rows, Approved: map[int64]time.Time{}}
}

var _ domain.PolicyService = (*Policy)(nil)

func (f *Policy) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Policy) find(id int64) (*domain.EligibilityPolicy, error) {
	return rowByID(f.Rows, func(p *domain.EligibilityPolicy) int64 { return p.ID }, id, func(id int64) error {
		return domain.Errorf(domain.ENOTFOUND, "imk.policy_not_found", "target-group policy %d was not found", id)
	})
}

// one runs fn under the lock and returns a copy of the version it gives.
func (f *Policy) one(fn func() (*domain.EligibilityPolicy, error)) (out *domain.EligibilityPolicy, err error) {
	err = f.locked(func() error {
		p, err := fn()
		if err == nil {
			cp := *p
			out = &cp
		}
		return err
	})
	return out, err
}

// ListPolicies returns every version, newest first.
func (f *Policy) ListPolicies(ctx context.Context) (out []*domain.EligibilityPolicy, err error) {
	err = f.locked(func() error {
		out = copiesOf(f.Rows, nil, func(a, b *domain.EligibilityPolicy) int { return b.Version - a.Version })
		return nil
	})
	return out, err
}

// FindPolicy returns one version.
func (f *Policy) FindPolicy(ctx context.Context, id int64) (*domain.EligibilityPolicy, error) {
	return f.one(func() (*domain.EligibilityPolicy, error) { return f.find(id) })
}

// PolicyInForce returns the approved version in force at at.
func (f *Policy) PolicyInForce(ctx context.Context, at time.Time) (*domain.EligibilityPolicy, error) {
	return f.one(func() (*domain.EligibilityPolicy, error) {
		if best := domain.PolicyInForceAt(f.Rows, at); best != nil {
			return best, nil
		}
		return nil, domain.Errorf(domain.EINTERNAL, "imk.no_policy", "no approved target-group policy is in force")
	})
}

// DraftPolicy stores p as the actor's draft, with the next version number.
func (f *Policy) DraftPolicy(ctx context.Context, p *domain.EligibilityPolicy) (*domain.EligibilityPolicy, error) {
	return f.one(func() (*domain.EligibilityPolicy, error) {
		actor := domain.ActorFrom(ctx)
		d, err := domain.NewPolicyDraft(p, actor.OperatorID, f.now())
		if err != nil {
			return nil, err
		}
		for _, q := range f.Rows {
			d.ID, d.Version = max(d.ID, q.ID), max(d.Version, q.Version)
		}
		d.ID, d.Version, d.DraftedByName = d.ID+1, d.Version+1, f.ref(actor).Name
		f.Rows = append(f.Rows, d)
		return d, nil
	})
}

// ApprovePolicy approves a draft the actor may approve.
func (f *Policy) ApprovePolicy(ctx context.Context, id int64, effectiveFrom time.Time) (*domain.EligibilityPolicy, error) {
	return f.one(func() (*domain.EligibilityPolicy, error) {
		from, err := domain.PolicyEffectiveFrom(effectiveFrom, f.now())
		if err != nil {
			return nil, err
		}
		p, err := f.find(id)
		if err != nil {
			return nil, err
		}
		actor := domain.ActorFrom(ctx)
		if err := p.ApprovalBlocker(actor.OperatorID); err != nil {
			return nil, err
		}
		p.State, p.ApprovedBy, p.ApprovedByName, p.EffectiveFrom = domain.PolicyApproved, actor.OperatorID, f.ref(actor).Name, from
		f.Approved[id] = effectiveFrom
		return p, nil
	})
}

// DiscardPolicy deletes a draft.
func (f *Policy) DiscardPolicy(ctx context.Context, id int64) error {
	return f.locked(func() error {
		p, err := f.find(id)
		if err == nil {
			err = p.CheckDraft()
		}
		if err != nil {
			return err
		}
		f.Rows = slices.DeleteFunc(f.Rows, func(q *domain.EligibilityPolicy) bool { return q.ID == id })
		f.Discarded = append(f.Discarded, id)
		return nil
	})
}
