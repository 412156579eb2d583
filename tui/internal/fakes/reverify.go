package fakes

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

// Reverify is an in-memory domain.ReverifyService: state and recorded
// calls. Every rule is domain's (Reverification.Allows, CheckVersion,
// CheckReverifyReason, CheckReverifyCycle). When Feed is set, every change
// is published on topic "reverify" with the id only.
type Reverify struct {
	queue[domain.Reverification]
	policy    domain.ReverifyPolicy
	decisions []ReverifyDecision
}

// ReverifyDecision is one call of DecideReverification, successful or not.
type ReverifyDecision struct {
	ID      int64
	Version int64
	Action  domain.ReverifyAction
	Reason  string
	ActorID int64
	Err     error
}

// NewReverify returns an empty queue with the default cycle.
func NewReverify() *Reverify {
	return &Reverify{policy: domain.ReverifyPolicy{CycleMonths: domain.DefaultReverifyCycleMonths},
		queue: newQueue(itemKind[domain.Reverification]{
			topic: domain.TopicReverify,
			notFound: func(id int64) error {
				return domain.Errorf(domain.ENOTFOUND, "reverify.not_found", "re-verification %d was not found", id)
			},
			copy:    copyReverification,
			id:      func(r *domain.Reverification) *int64 { return &r.ID },
			version: func(r *domain.Reverification) *int64 { return &r.Version },
			arrived: func(r *domain.Reverification) time.Time { return r.CreatedAt },
			claim: func(r *domain.Reverification) (*int64, *string, *time.Time) {
				return &r.ClaimedBy, &r.ClaimedByName, &r.ClaimExpiresAt
			},
		})}
}

var _ domain.ReverifyService = (*Reverify)(nil)

func copyReverification(r *domain.Reverification) *domain.Reverification {
	c := *r
	c.Differences = slices.Clone(r.Differences)
	if r.Company != nil {
		e := *r.Company
		c.Company = &e
	}
	if r.School != nil {
		s := *r.School
		c.School = &s
	}
	return &c
}

// Add stores r (an open item arriving now unless it says otherwise) and
// returns a copy.
func (f *Reverify) Add(r *domain.Reverification) *domain.Reverification {
	return f.store(r, func(r *domain.Reverification) {
		if r.State == "" {
			r.State = domain.ReverifyOpen
		}
		if r.CreatedAt.IsZero() {
			r.CreatedAt = f.now()
		}
	})
}

// Decisions returns every DecideReverification call so far.
func (f *Reverify) Decisions() []ReverifyDecision { return snapshot(&f.mu, &f.decisions) }

// ListReverifications implements domain.ReverifyService.
func (f *Reverify) ListReverifications(_ context.Context, flt domain.ReverifyFilter) ([]*domain.Reverification, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("ListReverifications"); err != nil {
		return nil, err
	}
	states := flt.States
	if len(states) == 0 {
		states = []domain.ReverifyState{domain.ReverifyOpen}
	}
	search := strings.ToLower(strings.TrimSpace(flt.Search))
	return f.list(func(r *domain.Reverification) bool {
		return slices.Contains(states, r.State) && (search == "" || strings.HasPrefix(strings.ToLower(r.InstitutionName), search) ||
			r.CompanyRegNo == search || r.InstitutionNo == search)
	}, flt.AfterCreated, flt.AfterID, domain.PageLimit(flt.Limit)), nil
}

// FindReverification implements domain.ReverifyService.
func (f *Reverify) FindReverification(_ context.Context, id int64) (*domain.Reverification, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("FindReverification"); err != nil {
		return nil, err
	}
	r, err := f.get(id)
	if err != nil {
		return nil, err
	}
	return f.shown(r, copyReverification), nil
}

// ClaimReverification implements domain.ReverifyService.
func (f *Reverify) ClaimReverification(ctx context.Context, id int64) (*domain.Reverification, error) {
	return f.claim(ctx, id, "ClaimReverification", func(r *domain.Reverification, op domain.OperatorRef, now time.Time) error {
		return r.Allows(domain.ReverifyClaim, op, now)
	}, nil)
}

// ReleaseReverification implements domain.ReverifyService.
func (f *Reverify) ReleaseReverification(ctx context.Context, id int64) error {
	return f.release(ctx, id, "ReleaseReverification")
}

// ReleaseSessionClaims implements domain.ReverifyService.
func (f *Reverify) ReleaseSessionClaims(ctx context.Context, session string) error {
	return f.releaseSession(ctx, session)
}

// DecideReverification implements domain.ReverifyService.
func (f *Reverify) DecideReverification(ctx context.Context, id, version int64, a domain.ReverifyAction, reason string) (*domain.Reverification, error) {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	d := ReverifyDecision{ID: id, Version: version, Action: a, Reason: reason, ActorID: act.OperatorID}
	var out *domain.Reverification
	out, d.Err = f.decide(act, d)
	f.decisions = append(f.decisions, d)
	f.mu.Unlock()
	if d.Err == nil {
		f.publish(id)
	}
	return out, d.Err
}

func (f *Reverify) decide(act domain.Actor, d ReverifyDecision) (*domain.Reverification, error) {
	if err := f.takeFail("DecideReverification"); err != nil {
		return nil, err
	}
	state := map[domain.ReverifyAction]domain.ReverifyState{domain.ReverifyConfirm: domain.ReverifyConfirmed,
		domain.ReverifyUpdate: domain.ReverifyUpdated, domain.ReverifyEscalate: domain.ReverifyEscalated}[d.Action]
	if state == "" {
		return nil, domain.Errorf(domain.EINVALID, "reverify.action", "%q is not a decision", string(d.Action))
	}
	reason, err := domain.CheckReverifyReason(d.Reason)
	if err != nil {
		return nil, err
	}
	r, err := f.get(d.ID)
	if err != nil {
		return nil, err
	}
	op, now := f.ref(act), f.now()
	if err := r.Allows(d.Action, op, now); err != nil {
		return nil, err
	}
	if err := r.CheckVersion(d.Version); err != nil {
		return nil, err
	}
	if d.Action == domain.ReverifyUpdate {
		r.OldName, r.NewName = r.InstitutionName, strings.TrimSpace(r.RegisterName())
	}
	r.State, r.DecidedAt, r.DecidedBy, r.DecidedByName, r.Reason = state, now, op.ID, op.Name, reason
	f.unclaim(d.ID)
	r.Version++
	return copyReverification(r), nil
}

// ReverifyPolicy implements domain.ReverifyService.
func (f *Reverify) ReverifyPolicy(context.Context) (*domain.ReverifyPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.policy
	return &p, nil
}

// SetReverifyCycle implements domain.ReverifyService.
func (f *Reverify) SetReverifyCycle(ctx context.Context, months int) (*domain.ReverifyPolicy, error) {
	if err := domain.CheckReverifyCycle(months); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.policy.CycleMonths, f.policy.ChangedAt = months, f.now()
	p := f.policy
	return &p, nil
}
