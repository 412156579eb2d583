package fakes

import (
	"context"
	"slices"
	"time"

	"github.com/viaa/ppp/domain"
)

// Bulk is an in-memory domain.BulkService: jobs, their items and the
// calls made. Every rule is domain's (BulkRequest.Check, BulkJob.Allows),
// with the actor from the context, and the shared suite (domain/
// contracttest) holds it to the contract storage keeps. Targets are what
// a selection resolves to, by the items' target kind ("platform_user",
// "denial", …): id → label. A selection of a whole filter selects every
// target of its kind (the fake keeps no lists to filter). Workers are
// storage's: Progress moves a job as one would.
type Bulk struct {
	guarded
	staff
	Jobs    []*domain.BulkJob
	Items   map[int64][]*domain.BulkItem
	Targets map[string]map[int64]string
	// Prepared records the requests prepared, in order.
	Prepared []domain.BulkRequest
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// MaxItems bounds a job (domain.BulkMaxItems when 0).
	MaxItems int
	// FailArgs are the arguments of the refusal Progress fails items
	// with, as the worker keeps them beside the key.
	FailArgs []any
	nextID   int64
}

// NewBulk returns an empty service.
func NewBulk() *Bulk {
	return &Bulk{Items: map[int64][]*domain.BulkItem{}, Targets: map[string]map[int64]string{}}
}

var _ domain.BulkService = (*Bulk)(nil)

// AddTarget makes id of kind (e.g. "platform_user") selectable, shown as
// label.
func (f *Bulk) AddTarget(kind string, id int64, label string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Targets[kind] == nil {
		f.Targets[kind] = map[int64]string{}
	}
	f.Targets[kind][id] = label
}

func (f *Bulk) clock() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// bulkTarget is the kind of item each source and kind of job resolves to.
var bulkTarget = map[domain.BulkSource]map[domain.BulkKind]string{
	domain.BulkFromRoleRequests:  {domain.BulkExtend: "role_assignment", domain.BulkDeny: "platform_user", domain.BulkMail: "role_request"},
	domain.BulkFromIMK:           {domain.BulkIMKCheck: "imk_application", domain.BulkMail: "imk_application"},
	domain.BulkFromDenials:       {domain.BulkLift: "denial"},
	domain.BulkFromPlatformUsers: {domain.BulkDeny: "platform_user", domain.BulkMail: "platform_user"},
}

func (f *Bulk) actor(ctx context.Context) (*domain.Operator, error) {
	op := f.operator(domain.ActorFrom(ctx))
	if op == nil {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "bulk.no_operator", "sign in as an operator")
	}
	return op, nil
}

func (f *Bulk) job(id int64) (*domain.BulkJob, error) {
	return rowByID(f.Jobs, func(j *domain.BulkJob) int64 { return j.ID }, id, func(id int64) error {
		return domain.Errorf(domain.ENOTFOUND, "bulk.not_found", "no bulk job #%d", id)
	})
}

// PrepareBulk implements domain.BulkService.
func (f *Bulk) PrepareBulk(ctx context.Context, r domain.BulkRequest) (*domain.BulkJob, error) {
	var out *domain.BulkJob
	err := f.locked(func() error {
		op, err := f.actor(ctx)
		if err != nil {
			return err
		}
		if err := r.Check(op); err != nil {
			return err
		}
		kind := bulkTarget[r.Selection.Source][r.Kind]
		known := f.Targets[kind]
		var ids []int64
		if r.Selection.All {
			for id := range known {
				ids = append(ids, id)
			}
		} else {
			for _, id := range r.Selection.IDs {
				if _, ok := known[id]; ok {
					ids = append(ids, id)
				}
			}
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		limit := f.MaxItems
		if limit == 0 {
			limit = domain.BulkMaxItems
		}
		switch {
		case len(ids) > limit:
			return domain.Errorf(domain.EINVALID, "bulk.too_many", "a bulk action takes at most %d items", limit)
		case len(ids) == 0:
			return domain.Errorf(domain.EINVALID, "bulk.empty", "nothing selected to do this to")
		}
		f.nextID++
		j := &domain.BulkJob{ID: f.nextID, Kind: r.Kind, Source: r.Selection.Source, Reason: r.Reason, Ground: r.Ground,
			Until: r.Until, Template: r.Template, State: domain.BulkPreview, Version: 1, RequestedBy: op.ID,
			Requester: f.ref(domain.ActorFrom(ctx)).Name, CreatedAt: f.clock(), Total: len(ids)}
		items := make([]*domain.BulkItem, len(ids))
		for i, id := range ids {
			items[i] = &domain.BulkItem{JobID: j.ID, Seq: i + 1, TargetKind: kind, TargetID: id, Label: known[id], State: domain.BulkItemPending}
		}
		f.Jobs = append(f.Jobs, j)
		f.Items[j.ID] = items
		f.Prepared = append(f.Prepared, r)
		out = f.withFirst(j)
		return nil
	})
	return out, err
}

// withFirst returns a copy of j with its first items.
func (f *Bulk) withFirst(j *domain.BulkJob) *domain.BulkJob {
	cp := *j
	items := f.Items[j.ID]
	cp.First = copiesOf(items[:min(len(items), domain.BulkPreviewItems)], nil, nil)
	return &cp
}

// StepBulk implements domain.BulkService.
func (f *Bulk) StepBulk(ctx context.Context, id, version int64, a domain.BulkAction, reason string) error {
	return f.locked(func() error {
		op, err := f.actor(ctx)
		if err != nil {
			return err
		}
		j, err := f.job(id)
		if err != nil {
			return err
		}
		if err := j.Allows(op, a); err != nil {
			return err
		}
		if version != 0 && j.Version != version {
			return domain.Errorf(domain.ECONFLICT, "bulk.changed", "someone else has just changed this job")
		}
		switch a {
		case domain.BulkStart:
			j.State = domain.BulkRunning
			if j.Kind.NeedsApproval() {
				j.State = domain.BulkPendingApproval
			}
		case domain.BulkApprove:
			j.State, j.ApprovedBy, j.Approver = domain.BulkRunning, op.ID, f.ref(domain.ActorFrom(ctx)).Name
		case domain.BulkRefuse, domain.BulkCancel:
			key := "bulk.skipped_cancel"
			if a == domain.BulkRefuse {
				if _, err := domain.CheckDenialReason(reason); err != nil {
					return domain.Errorf(domain.EINVALID, "bulk.reason_required", "give a reason")
				}
				key = "bulk.skipped_refuse"
			}
			for _, it := range f.Items[id] {
				if it.State == domain.BulkItemPending {
					it.State, it.ErrorKey, it.At = domain.BulkItemSkipped, key, f.clock()
					j.Skipped++
				}
			}
			j.State, j.FinishedAt = domain.BulkCancelled, f.clock()
		}
		j.Version++
		return nil
	})
}

// Progress does the next n items of running job id as a worker would:
// done, except the places in failed, which fail with key.
func (f *Bulk) Progress(id int64, n int, key string, failed ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	j, err := f.job(id)
	if err != nil || j.State != domain.BulkRunning {
		return
	}
	for _, it := range f.Items[id] {
		if n == 0 {
			break
		}
		if it.State != domain.BulkItemPending {
			continue
		}
		n--
		it.At = f.clock()
		if slices.Contains(failed, it.Seq) {
			it.State, it.ErrorKey, it.ErrorArgs = domain.BulkItemFailed, key, slices.Clone(f.FailArgs)
			j.Failed++
		} else {
			it.State = domain.BulkItemDone
			j.Done++
		}
	}
	if j.Pending() == 0 {
		j.State, j.FinishedAt = domain.BulkDone, f.clock()
	}
	j.Version++
}

// mayRead reports whether op may read job j.
func mayRead(op *domain.Operator, j *domain.BulkJob) bool {
	return j.RequestedBy == op.ID || slices.ContainsFunc(j.Kind.Roles(), op.HasRole)
}

// ListBulk implements domain.BulkService.
func (f *Bulk) ListBulk(ctx context.Context, limit int) ([]*domain.BulkJob, error) {
	var out []*domain.BulkJob
	err := f.locked(func() error {
		op, err := f.actor(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(domain.BulkKinds, func(k domain.BulkKind) bool { return slices.ContainsFunc(k.Roles(), op.HasRole) }) {
			return domain.Errorf(domain.EFORBIDDEN, "bulk.not_role", "you may not do this")
		}
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		out = copiesOf(f.Jobs, func(j *domain.BulkJob) bool { return slices.ContainsFunc(j.Kind.Roles(), op.HasRole) },
			func(a, b *domain.BulkJob) int {
				if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
					return c
				}
				return int(b.ID - a.ID)
			})
		out = out[:min(len(out), limit)]
		return nil
	})
	return out, err
}

// FindBulk implements domain.BulkService.
func (f *Bulk) FindBulk(ctx context.Context, id int64) (*domain.BulkJob, error) {
	var out *domain.BulkJob
	err := f.locked(func() error {
		op, err := f.actor(ctx)
		if err != nil {
			return err
		}
		j, err := f.job(id)
		if err != nil {
			return err
		}
		if !mayRead(op, j) {
			return domain.Errorf(domain.EFORBIDDEN, "bulk.not_role", "you may not do this")
		}
		out = f.withFirst(j)
		return nil
	})
	return out, err
}

// BulkItems implements domain.BulkService.
func (f *Bulk) BulkItems(ctx context.Context, id int64, after, limit int) ([]*domain.BulkItem, error) {
	if _, err := f.FindBulk(ctx, id); err != nil {
		return nil, err
	}
	var out []*domain.BulkItem
	err := f.locked(func() error {
		if limit <= 0 || limit > 500 {
			limit = domain.BulkPreviewItems
		}
		out = copiesOf(f.Items[id], func(it *domain.BulkItem) bool { return it.Seq > after }, nil)
		out = out[:min(len(out), limit)]
		return nil
	})
	return out, err
}
