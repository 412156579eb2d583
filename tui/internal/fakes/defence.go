package fakes

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Defence is an in-memory domain.DefenceService. It keeps the rules the
// screens depend on: nobody approves a reset they asked for (the actor
// comes from the context), a decided reset conflicts, an alert is closed
// with a note, and only the operator or an administrator sees a sign-in
// history (Admins lists the administrators' ids).
type Defence struct {
	mu      sync.Mutex
	Resets  []*domain.PendingReset
	Changes []*domain.EmailChange
	Alerts  []*domain.Alert
	History map[int64][]*domain.SignIn // by operator id
	Admins  map[int64]bool
	// Err is returned by every call when set.
	Err error
	// Now is the clock requests expire by (time.Now when nil).
	Now func() time.Time

	Views    []string
	Approved []int64
	Refused  map[int64]string
	Closed   map[int64]string

	ApprovedChanges []int64
	RefusedChanges  map[int64]string
}

// NewDefence returns an empty service.
func NewDefence() *Defence {
	return &Defence{History: map[int64][]*domain.SignIn{}, Admins: map[int64]bool{}, Refused: map[int64]string{}, Closed: map[int64]string{}, RefusedChanges: map[int64]string{}}
}

var _ domain.DefenceService = (*Defence)(nil)

func (f *Defence) find(id int64) *domain.PendingReset {
	for _, r := range f.Resets {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// PendingResets lists the resets still pending.
func (f *Defence) PendingResets(ctx context.Context) ([]*domain.PendingReset, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	var out []*domain.PendingReset
	for _, r := range f.Resets {
		if r.State == "pending" || r.State == "" {
			cp := *r
			out = append(out, &cp)
		}
	}
	return out, nil
}

// ApproveReset approves a pending reset of somebody else's.
func (f *Defence) ApproveReset(ctx context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	r := f.find(id)
	if r == nil {
		return domain.Errorf(domain.ENOTFOUND, "defence.reset_not_found", "no pending reset %d", id)
	}
	if err := r.ApprovalBlocker(domain.ActorFrom(ctx).OperatorID); err != nil {
		return err
	}
	r.State, r.DecidedBy = "approved", domain.ActorFrom(ctx).OperatorID
	f.Approved = append(f.Approved, id)
	return nil
}

// RefuseReset refuses a pending reset with a note.
func (f *Defence) RefuseReset(ctx context.Context, id int64, note string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	if strings.TrimSpace(note) == "" {
		return domain.Errorf(domain.EINVALID, "defence.note_required", "a note is required")
	}
	r := f.find(id)
	if r == nil || r.State != "pending" && r.State != "" {
		return domain.Errorf(domain.ECONFLICT, "defence.reset_decided", "reset %d is no longer pending", id)
	}
	r.State, r.Note = "refused", note
	f.Refused[id] = note
	return nil
}

// RecordView notes the person's key.
func (f *Defence) RecordView(ctx context.Context, personKey string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Views = append(f.Views, personKey)
	return f.Err
}

// OpenAlerts lists the alerts not closed.
func (f *Defence) OpenAlerts(ctx context.Context) ([]*domain.Alert, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	var out []*domain.Alert
	for _, a := range f.Alerts {
		if a.ClosedAt.IsZero() {
			cp := *a
			out = append(out, &cp)
		}
	}
	return out, nil
}

// CloseAlert closes an alert with a note.
func (f *Defence) CloseAlert(ctx context.Context, id int64, note string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	if strings.TrimSpace(note) == "" {
		return domain.Errorf(domain.EINVALID, "defence.note_required", "a note is required")
	}
	for _, a := range f.Alerts {
		if a.ID == id && a.ClosedAt.IsZero() {
			a.ClosedAt, a.Note = time.Now(), note
			f.Closed[id] = note
			return nil
		}
	}
	return domain.Errorf(domain.ECONFLICT, "defence.alert_closed", "alert %d is closed", id)
}

// SignIns returns an operator's history, newest first.
func (f *Defence) SignIns(ctx context.Context, operatorID int64, before time.Time, limit int) ([]*domain.SignIn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	me := domain.ActorFrom(ctx).OperatorID
	if me != operatorID && !f.Admins[me] {
		return nil, domain.Errorf(domain.EFORBIDDEN, "defence.forbidden", "only the operator or an administrator sees this")
	}
	var out []*domain.SignIn
	for _, s := range f.History[operatorID] {
		if s.At.Before(before) {
			cp := *s
			out = append(out, &cp)
		}
	}
	slices.SortFunc(out, func(a, b *domain.SignIn) int { return b.At.Compare(a.At) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// RequestEmailChange files a pending request by the actor.
func (f *Defence) RequestEmailChange(ctx context.Context, userID int64, email, reason string) (*domain.EmailChange, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	now := f.clock()
	c := &domain.EmailChange{
		ID: int64(len(f.Changes) + 1), UserID: userID, NewEmail: email, Reason: reason,
		RequestedBy: domain.ActorFrom(ctx).OperatorID, RequestedName: domain.ActorFrom(ctx).Name,
		RequestedAt: now, ExpiresAt: now.Add(domain.EmailChangeLifetime), State: domain.EmailChangePending,
	}
	f.Changes = append(f.Changes, c)
	cp := *c
	return &cp, nil
}

// PendingEmailChanges lists the requests still pending and not expired.
func (f *Defence) PendingEmailChanges(ctx context.Context) ([]*domain.EmailChange, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	var out []*domain.EmailChange
	for _, c := range f.Changes {
		if c.State == domain.EmailChangePending && f.clock().Before(c.ExpiresAt) {
			cp := *c
			out = append(out, &cp)
		}
	}
	return out, nil
}

func (f *Defence) findChange(id int64) *domain.EmailChange {
	for _, c := range f.Changes {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// ApproveEmailChange approves a request when domain.EmailChange's
// ApprovalBlocker lets the actor.
func (f *Defence) ApproveEmailChange(ctx context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	c := f.findChange(id)
	if c == nil {
		return domain.Errorf(domain.ENOTFOUND, "defence.email_change_not_found", "no e-mail change request %d", id)
	}
	me := domain.ActorFrom(ctx).OperatorID
	if err := c.ApprovalBlocker(me, f.clock()); err != nil {
		return err
	}
	c.State, c.DecidedBy = domain.EmailChangeApproved, me
	f.ApprovedChanges = append(f.ApprovedChanges, id)
	return nil
}

// RefuseEmailChange refuses a pending request with a note.
func (f *Defence) RefuseEmailChange(ctx context.Context, id int64, note string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	if strings.TrimSpace(note) == "" {
		return domain.Errorf(domain.EINVALID, "defence.note_required", "a note is required")
	}
	c := f.findChange(id)
	if c == nil || c.State != domain.EmailChangePending {
		return domain.Errorf(domain.ECONFLICT, "defence.email_change_decided", "request %d is no longer pending", id)
	}
	c.State, c.Note = domain.EmailChangeRefused, note
	f.RefusedChanges[id] = note
	return nil
}

func (f *Defence) clock() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// AccountHistory is not used by the screens.
func (f *Defence) AccountHistory(ctx context.Context, userID int64) ([]*domain.AccountChange, error) {
	return nil, f.Err
}
