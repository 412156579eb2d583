package fakes

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Denials is an in-memory domain.DenialService. It keeps the rules the
// screens depend on: a note is required, denying an operator and lifting
// a ¶32.3 or ¶32.6 denial wait for a second officer, nobody approves what
// they raised themselves, and actions name the version they saw. The
// actor comes from the context, as in storage. When Feed is set, every
// change is published on topic "denial" with the id only.
type Denials struct {
	mu     sync.Mutex
	rows   map[int64]*domain.Denial
	nextID int64

	// Feed receives a change per write when set.
	Feed *Feed
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Runs is what SweepRuns returns.
	Runs []*domain.SweepRun
	// Report is what DeathCheckReport returns.
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
	Err       error
}

// NewDenials returns an empty service.
func NewDenials() *Denials {
	return &Denials{rows: map[int64]*domain.Denial{}, nextID: 1}
}

func (f *Denials) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Add stores d (giving it an id when it has none) and returns it.
func (f *Denials) Add(d *domain.Denial) *domain.Denial {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d.ID == 0 {
		d.ID = f.nextID
	}
	f.nextID = max(f.nextID, d.ID+1)
	f.rows[d.ID] = d
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
func (f *Denials) Calls() []DenialCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// Filters returns the filters ListDenials was called with.
func (f *Denials) Filters() []domain.DenialFilter {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.lists)
}

func (f *Denials) publish(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: domain.TopicDenial, ID: strconv.FormatInt(id, 10)})
	}
}

func (f *Denials) record(c DenialCall) {
	f.calls = append(f.calls, c)
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

// ListDenials implements domain.DenialService.
func (f *Denials) ListDenials(_ context.Context, flt domain.DenialFilter) ([]*domain.Denial, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists = append(f.lists, flt)
	if f.Err != nil {
		return nil, f.Err
	}
	states := flt.States
	if len(states) == 0 {
		states = []domain.DenialState{domain.DenialInForce, domain.DenialLiftPending}
	}
	out := f.sorted(func(d *domain.Denial) bool {
		return slices.Contains(states, d.State) &&
			(len(flt.Grounds) == 0 || slices.Contains(flt.Grounds, d.Ground)) &&
			(flt.SubjectKind == "" || d.SubjectKind == flt.SubjectKind) &&
			(flt.SubjectID == 0 || d.SubjectID == flt.SubjectID) &&
			(flt.BeforeID == 0 || d.ID < flt.BeforeID)
	})
	if flt.Limit > 0 && len(out) > flt.Limit {
		out = out[:flt.Limit]
	}
	return out, nil
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
		return nil, domain.Errorf(domain.ENOTFOUND, "", "denial %d not found", id)
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
	err := f.Err
	switch {
	case err != nil:
	case strings.TrimSpace(note) == "":
		err = &domain.Error{Code: domain.EINVALID, Message: "a note is required",
			Problems: []domain.Problem{{Field: "note", Key: "tui.den.note_required"}}}
	case !slices.Contains(domain.Grounds, ground):
		err = domain.Errorf(domain.EINVALID, "", "unknown ground %q", ground)
	case kind == domain.SubjectOperator && subjectID == actor.OperatorID:
		err = domain.Errorf(domain.EFORBIDDEN, "", "you cannot deny yourself")
	}
	if err == nil {
		for _, d := range f.rows {
			if d.SubjectKind == kind && d.SubjectID == subjectID && d.Ground == ground &&
				(d.State == domain.DenialInForce || d.State == domain.DenialPendingApproval || d.State == domain.DenialLiftPending) {
				err = domain.Errorf(domain.ECONFLICT, "", "already denied on that ground")
			}
		}
	}
	call.Err = err
	if err != nil {
		f.record(call)
		return nil, err
	}
	d := &domain.Denial{ID: f.nextID, SubjectKind: kind, SubjectID: subjectID, SubjectName: "#" + strconv.FormatInt(subjectID, 10),
		Ground: ground, Note: note, Evidence: evidence, State: domain.DenialInForce, RaisedBy: actor.OperatorID,
		RaisedByName: actor.Name, RaisedAt: f.now(), Version: 1}
	if kind == domain.SubjectOperator {
		d.State = domain.DenialPendingApproval
	} else {
		d.InForceAt = d.RaisedAt
	}
	f.nextID++
	f.rows[d.ID] = d
	call.ID = d.ID
	f.record(call)
	f.publish(d.ID)
	c := *d
	return &c, nil
}

// pendingBy is who asked for what d waits for.
func pendingBy(d *domain.Denial) int64 {
	if d.State == domain.DenialLiftPending {
		return d.LiftedBy
	}
	return d.RaisedBy
}

func (f *Denials) change(ctx context.Context, c DenialCall, fn func(d *domain.Denial, actor int64) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.Actor = domain.ActorFrom(ctx).OperatorID
	err := f.Err
	d := f.rows[c.ID]
	switch {
	case err != nil:
	case d == nil:
		err = domain.Errorf(domain.ENOTFOUND, "", "denial %d not found", c.ID)
	case d.Version != c.Version:
		err = domain.Errorf(domain.ECONFLICT, "", "the denial has changed meanwhile")
	default:
		err = fn(d, c.Actor)
	}
	c.Err = err
	f.record(c)
	if err == nil {
		d.Version++
		f.publish(d.ID)
	}
	return err
}

// Lift implements domain.DenialService.
func (f *Denials) Lift(ctx context.Context, id, version int64, reason string) error {
	return f.change(ctx, DenialCall{Action: "lift", ID: id, Version: version, Reason: reason}, func(d *domain.Denial, actor int64) error {
		switch {
		case strings.TrimSpace(reason) == "":
			return domain.Errorf(domain.EINVALID, "", "a reason is required")
		case d.State != domain.DenialInForce:
			return domain.Errorf(domain.ECONFLICT, "", "the denial is not in force")
		}
		d.LiftReason, d.LiftedBy = reason, actor
		if d.Ground.LiftNeedsSecondApproval() {
			d.State = domain.DenialLiftPending
			return nil
		}
		d.State, d.LiftedAt = domain.DenialLifted, f.now()
		return nil
	})
}

// Approve implements domain.DenialService.
func (f *Denials) Approve(ctx context.Context, id, version int64) error {
	return f.change(ctx, DenialCall{Action: "approve", ID: id, Version: version}, func(d *domain.Denial, actor int64) error {
		switch {
		case d.State != domain.DenialPendingApproval && d.State != domain.DenialLiftPending:
			return domain.Errorf(domain.ECONFLICT, "", "nothing waits for approval")
		case pendingBy(d) == actor:
			return domain.Errorf(domain.EFORBIDDEN, "", "you cannot approve your own request")
		}
		if d.State == domain.DenialLiftPending {
			d.State, d.LiftApprover, d.LiftedAt = domain.DenialLifted, actor, f.now()
			return nil
		}
		d.State, d.ApprovedBy, d.InForceAt = domain.DenialInForce, actor, f.now()
		return nil
	})
}

// Refuse implements domain.DenialService.
func (f *Denials) Refuse(ctx context.Context, id, version int64, reason string) error {
	return f.change(ctx, DenialCall{Action: "refuse", ID: id, Version: version, Reason: reason}, func(d *domain.Denial, actor int64) error {
		switch {
		case strings.TrimSpace(reason) == "":
			return domain.Errorf(domain.EINVALID, "", "a reason is required")
		case d.State != domain.DenialPendingApproval && d.State != domain.DenialLiftPending:
			return domain.Errorf(domain.ECONFLICT, "", "nothing waits for approval")
		case pendingBy(d) == actor:
			return domain.Errorf(domain.EFORBIDDEN, "", "you cannot refuse your own request")
		}
		d.RefusedBy, d.RefuseReason = actor, reason
		if d.State == domain.DenialLiftPending {
			d.State, d.LiftReason, d.LiftedBy = domain.DenialInForce, "", 0
			return nil
		}
		d.State = domain.DenialCancelled
		return nil
	})
}

// PendingApprovals implements domain.DenialService.
func (f *Denials) PendingApprovals(context.Context) ([]*domain.Denial, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	return f.sorted(func(d *domain.Denial) bool {
		return d.State == domain.DenialPendingApproval || d.State == domain.DenialLiftPending
	}), nil
}

// SweepRuns implements domain.DenialService.
func (f *Denials) SweepRuns(_ context.Context, limit int) ([]*domain.SweepRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	out := slices.Clone(f.Runs)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// DeathCheckReport implements domain.DenialService.
func (f *Denials) DeathCheckReport(context.Context, time.Time) (*domain.DeathCheckReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	if f.Report == nil {
		return &domain.DeathCheckReport{}, nil
	}
	r := *f.Report
	return &r, nil
}
