package fakes

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Denials is an in-memory domain.DenialService: state and recorded calls.
// Every rule is domain's (NewDenial, Denial.Allows, After, CheckVersion,
// CheckDenialReason, DenialFilter.Normalize), and the shared suite
// (domain/contracttest) holds it to the contract storage keeps. The actor
// comes from the context, as in storage. When Feed is set, every change
// is published on topic "denial" with the id only.
type Denials struct {
	mu       sync.Mutex
	rows     map[int64]*domain.Denial
	subjects map[domain.SubjectKind]map[int64]string // display names of the subjects that exist
	nextID   int64

	// Feed receives a change per write when set.
	Feed *Feed
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Runs are the sweep runs recorded, in any order.
	Runs []*domain.SweepRun
	// Report, when set, is what DeathCheckReport returns; otherwise it
	// counts the death-check runs of Runs.
	Report *domain.DeathCheckReport
	// Err is returned by every call when set.
	Err error

	calls []DenialCall
	lists []domain.DenialFilter
}

// DenialCall is one call of Deny, Lift, Approve or Refuse, successful or
// not.
type DenialCall struct {
	Action    string // "deny", "lift", "approve", "refuse"
	ID        int64
	Version   int64
	Kind      domain.SubjectKind
	SubjectID int64
	Ground    domain.Ground
	Note      string
	Evidence  string
	Reason    string
	Actor     int64
	// NewPassword: a lift that requires a new password (¶32.3, ¶32.6).
	NewPassword bool
	Err         error
}

// NewDenials returns an empty service.
func NewDenials() *Denials {
	return &Denials{rows: map[int64]*domain.Denial{}, subjects: map[domain.SubjectKind]map[int64]string{}, nextID: 1}
}

var _ domain.DenialService = (*Denials)(nil)

func (f *Denials) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// AddSubject tells the service that a subject exists (a Platform user, an
// institution, an operator), with the name its denials show.
func (f *Denials) AddSubject(kind domain.SubjectKind, id int64, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addSubjectLocked(kind, id, name)
}

func (f *Denials) addSubjectLocked(kind domain.SubjectKind, id int64, name string) {
	if f.subjects[kind] == nil {
		f.subjects[kind] = map[int64]string{}
	}
	f.subjects[kind][id] = name
}

// Add stores d (giving it an id when it has none) and returns it; its
// subject exists from then on.
func (f *Denials) Add(d *domain.Denial) *domain.Denial {
	f.mu.Lock()
	defer f.mu.Unlock()
	numbered(&d.ID, &f.nextID)
	f.rows[d.ID] = d
	if _, ok := f.subjects[d.SubjectKind][d.SubjectID]; !ok {
		f.addSubjectLocked(d.SubjectKind, d.SubjectID, d.SubjectName)
	}
	return d
}

// Get returns a copy of denial id, or nil.
func (f *Denials) Get(id int64) *domain.Denial {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d := f.rows[id]; d != nil {
		c := *d
		return &c
	}
	return nil
}

// Calls returns the recorded actions.
func (f *Denials) Calls() []DenialCall { return snapshot(&f.mu, &f.calls) }

// Filters returns the filters ListDenials was called with.
func (f *Denials) Filters() []domain.DenialFilter { return snapshot(&f.mu, &f.lists) }

func (f *Denials) publish(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: domain.TopicDenial, ID: strconv.FormatInt(id, 10)})
	}
}

// sorted returns the denials matching keep, newest first, as copies.
func (f *Denials) sorted(keep func(*domain.Denial) bool) []*domain.Denial {
	var out []*domain.Denial
	for _, d := range f.rows {
		if keep(d) {
			c := *d
			out = append(out, &c)
		}
	}
	slices.SortFunc(out, func(a, b *domain.Denial) int { return int(b.ID - a.ID) })
	return out
}

func denialNotFound() error {
	return domain.Errorf(domain.ENOTFOUND, "denial.not_found", "no such denial")
}

// ListDenials implements domain.DenialService.
func (f *Denials) ListDenials(_ context.Context, flt domain.DenialFilter) ([]*domain.Denial, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists = append(f.lists, flt)
	if f.Err != nil {
		return nil, f.Err
	}
	flt.Normalize()
	out := f.sorted(flt.Matches)
	return out[:min(len(out), flt.Limit)], nil
}

// FindDenial implements domain.DenialService.
func (f *Denials) FindDenial(_ context.Context, id int64) (*domain.Denial, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	d := f.rows[id]
	if d == nil {
		return nil, denialNotFound()
	}
	c := *d
	return &c, nil
}

// SubjectHistory implements domain.DenialService.
func (f *Denials) SubjectHistory(_ context.Context, kind domain.SubjectKind, id int64) ([]*domain.Denial, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	return f.sorted(func(d *domain.Denial) bool { return d.SubjectKind == kind && d.SubjectID == id }), nil
}

// Deny implements domain.DenialService.
func (f *Denials) Deny(ctx context.Context, kind domain.SubjectKind, subjectID int64, ground domain.Ground, note, evidence string) (*domain.Denial, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	actor := domain.ActorFrom(ctx)
	call := DenialCall{Action: "deny", Kind: kind, SubjectID: subjectID, Ground: ground, Note: note, Evidence: evidence, Actor: actor.OperatorID}
	d, err := f.deny(actor, kind, subjectID, ground, note, evidence)
	if d != nil {
		call.ID = d.ID
	}
	call.Err = err
	f.calls = append(f.calls, call)
	if err != nil {
		return nil, err
	}
	f.publish(d.ID)
	c := *d
	return &c, nil
}

func (f *Denials) deny(actor domain.Actor, kind domain.SubjectKind, subjectID int64, ground domain.Ground, note, evidence string) (*domain.Denial, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	live := f.sorted(func(d *domain.Denial) bool { return d.SubjectKind == kind && d.SubjectID == subjectID && d.Live() })
	d, err := domain.NewDenial(kind, subjectID, ground, note, evidence, actor.OperatorID, f.now(), live)
	if err != nil {
		return nil, err
	}
	name, ok := f.subjects[kind][subjectID]
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "denial.no_subject", "no such %s", string(kind))
	}
	d.ID, d.SubjectName, d.RaisedByName = f.nextID, name, actor.Name
	f.nextID++
	f.rows[d.ID] = d
	return d, nil
}

// step takes step a on denial id at version, as the actor, with the
// domain's rules, and records the call.
func (f *Denials) step(ctx context.Context, c DenialCall, a domain.DenialAction, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.Actor = domain.ActorFrom(ctx).OperatorID
	d := f.rows[c.ID]
	err := f.Err
	if err == nil && a != domain.DenialApprove {
		reason, err = domain.CheckDenialReason(reason)
	}
	switch {
	case err != nil:
	case d == nil:
		err = denialNotFound()
	default:
		err = d.CheckVersion(c.Version)
		if err == nil {
			err = d.Allows(a, c.Actor)
		}
	}
	c.Err = err
	f.calls = append(f.calls, c)
	if err != nil {
		return err
	}
	now, from, to := f.now(), d.State, d.After(a)
	switch {
	case a == domain.DenialLift:
		d.LiftReason, d.LiftedBy, d.LiftNewPassword = reason, c.Actor, c.NewPassword
	case a == domain.DenialApprove && from == domain.DenialPendingApproval:
		d.ApprovedBy, d.InForceAt = c.Actor, now
	case a == domain.DenialApprove:
		d.LiftApprover = c.Actor
	case from == domain.DenialLiftPending: // a lift refused
		d.RefusedBy, d.RefuseReason, d.LiftReason, d.LiftedBy, d.LiftNewPassword = c.Actor, reason, "", 0, false
	default:
		d.RefusedBy, d.RefuseReason = c.Actor, reason
	}
	if to == domain.DenialLifted {
		d.LiftedAt = now
	}
	d.State = to
	d.Version++
	f.publish(d.ID)
	return nil
}

// Lift implements domain.DenialService.
func (f *Denials) Lift(ctx context.Context, id, version int64, reason string) error {
	return f.step(ctx, DenialCall{Action: "lift", ID: id, Version: version, Reason: reason}, domain.DenialLift, reason)
}

// LiftRequiringNewPassword implements domain.DenialService: the call and
// the denial record the requirement.
func (f *Denials) LiftRequiringNewPassword(ctx context.Context, id, version int64, reason string) error {
	return f.step(ctx, DenialCall{Action: "lift", ID: id, Version: version, Reason: reason, NewPassword: true}, domain.DenialLift, reason)
}

// Approve implements domain.DenialService.
func (f *Denials) Approve(ctx context.Context, id, version int64) error {
	return f.step(ctx, DenialCall{Action: "approve", ID: id, Version: version}, domain.DenialApprove, "")
}

// Refuse implements domain.DenialService.
func (f *Denials) Refuse(ctx context.Context, id, version int64, reason string) error {
	return f.step(ctx, DenialCall{Action: "refuse", ID: id, Version: version, Reason: reason}, domain.DenialRefuse, reason)
}

// PendingApprovals implements domain.DenialService: oldest first.
func (f *Denials) PendingApprovals(context.Context) ([]*domain.Denial, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	out := f.sorted((*domain.Denial).Pending)
	slices.Reverse(out)
	return out, nil
}

// sortedRuns returns the runs newest first.
func (f *Denials) sortedRuns() []*domain.SweepRun {
	out := slices.Clone(f.Runs)
	slices.SortStableFunc(out, func(a, b *domain.SweepRun) int {
		if c := b.StartedAt.Compare(a.StartedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return out
}

// SweepRuns implements domain.DenialService.
func (f *Denials) SweepRuns(_ context.Context, limit int) ([]*domain.SweepRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	out := f.sortedRuns()
	return out[:min(len(out), domain.PageLimit(limit))], nil
}

// DeathCheckReport implements domain.DenialService: Report when set,
// otherwise the checks of the death-check runs by month.
func (f *Denials) DeathCheckReport(_ context.Context, now time.Time) (*domain.DeathCheckReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	if f.Report != nil {
		r := *f.Report
		return &r, nil
	}
	months, first := domain.DeathCheckMonths(now)
	for _, r := range f.Runs {
		if r.Sweep != domain.SweepDeathCheck || r.StartedAt.Before(first) || r.StartedAt.After(now) {
			continue
		}
		for i := range months {
			if months[i].Month == domain.MonthOf(r.StartedAt) {
				months[i].Count += r.Checked
			}
		}
	}
	return &domain.DeathCheckReport{CheckedByMon: months}, nil
}

// AddOperator tells the service that an operator exists, as a subject a
// denial can be about.
func (f *Denials) AddOperator(op *domain.Operator) {
	f.AddSubject(domain.SubjectOperator, op.ID, op.Ref().Name)
}
