package fakes

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

// Defence is an in-memory domain.DefenceService: state and recorded calls.
// Every rule is domain's (PendingReset.ApprovalBlocker and RefusalBlocker,
// Alert.CloseBlocker, Operator.SignInsBlocker, NewEmailChange,
// EmailChange.ApprovalBlocker, RefusalBlocker and CheckCurrent,
// CheckDefenceNote, CheckPersonKey), with the actor from the context, and
// the shared suite (domain/contracttest) holds it to the contract storage
// keeps. Admins lists the administrators' ids (AddOperator fills it in
// for an operator with the role); Accounts are the Platform users'
// addresses an e-mail change may concern.
type Defence struct {
	guarded
	Resets   []*domain.PendingReset
	Changes  []*domain.EmailChange
	Alerts   []*domain.Alert
	History  map[int64][]*domain.SignIn // by operator id
	Admins   map[int64]bool
	Accounts map[int64]string // a Platform user's e-mail address, by id
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	staff
	accountResets

	Views    []string
	Approved []int64
	Refused  map[int64]string
	Closed   map[int64]string

	ApprovedChanges []int64
	RefusedChanges  map[int64]string
	changes         map[int64][]*domain.AccountChange // applied, by user id
}

// NewDefence returns an empty service.
func NewDefence() *Defence {
	return &Defence{History: map[int64][]*domain.SignIn{}, Admins: map[int64]bool{}, Accounts: map[int64]string{},
		Refused: map[int64]string{}, Closed: map[int64]string{}, RefusedChanges: map[int64]string{},
		changes: map[int64][]*domain.AccountChange{}}
}

var _ domain.DefenceService = (*Defence)(nil)

func (f *Defence) clock() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// AddOperator tells the service about an operator: their name, and
// whether they are an administrator (who reads anyone's sign-ins).
func (f *Defence) AddOperator(op *domain.Operator) {
	f.staff.AddOperator(op)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Admins[op.ID] = op.HasRole(domain.RoleAdmin)
}

func (f *Defence) reset(id int64) (*domain.PendingReset, error) {
	return rowByID(f.Resets, func(r *domain.PendingReset) int64 { return r.ID }, id, func(id int64) error {
		return domain.Errorf(domain.ENOTFOUND, "defence.reset_not_found", "no pending reset %d", id)
	})
}

func (f *Defence) alert(id int64) (*domain.Alert, error) {
	return rowByID(f.Alerts, func(a *domain.Alert) int64 { return a.ID }, id, func(id int64) error {
		return domain.Errorf(domain.ENOTFOUND, "defence.alert_not_found", "no alert %d", id)
	})
}

func (f *Defence) change(id int64) (*domain.EmailChange, error) {
	return rowByID(f.Changes, func(c *domain.EmailChange) int64 { return c.ID }, id, func(id int64) error {
		return domain.Errorf(domain.ENOTFOUND, "defence.email_change_not_found", "no e-mail change request %d", id)
	})
}

// noted runs a refusal or a closing under the lock: the note checked,
// then decide with it.
func (f *Defence) noted(note string, decide func(note string) error) error {
	return f.locked(func() error {
		note, err := domain.CheckDefenceNote(note)
		if err != nil {
			return err
		}
		return decide(note)
	})
}

// PendingResets lists the resets still pending, oldest first.
func (f *Defence) PendingResets(ctx context.Context) (out []*domain.PendingReset, err error) {
	err = f.locked(func() error {
		out = copiesOf(f.Resets, func(r *domain.PendingReset) bool { return r.RefusalBlocker() == nil },
			func(a, b *domain.PendingReset) int { return byTimeThenID(a.RequestedAt, b.RequestedAt, a.ID, b.ID) })
		return nil
	})
	return out, err
}

// ApproveReset approves a pending reset of somebody else's.
func (f *Defence) ApproveReset(ctx context.Context, id int64) error {
	return f.locked(func() error {
		r, err := f.reset(id)
		me := domain.ActorFrom(ctx).OperatorID
		if err == nil {
			err = r.ApprovalBlocker(me)
		}
		if err != nil {
			return err
		}
		r.State, r.DecidedBy, r.DecidedAt = "approved", me, f.clock()
		f.Approved = append(f.Approved, id)
		return nil
	})
}

// RefuseReset refuses a pending reset with a note.
func (f *Defence) RefuseReset(ctx context.Context, id int64, note string) error {
	return f.noted(note, func(note string) error {
		r, err := f.reset(id)
		if err == nil {
			err = r.RefusalBlocker()
		}
		if err != nil {
			return err
		}
		r.State, r.Note, r.DecidedBy, r.DecidedAt = "refused", note, domain.ActorFrom(ctx).OperatorID, f.clock()
		f.Refused[id] = note
		return nil
	})
}

// RecordView notes the person's key.
func (f *Defence) RecordView(ctx context.Context, personKey string) error {
	return f.locked(func() error {
		personKey, err := domain.CheckPersonKey(personKey)
		if err != nil {
			return err
		}
		f.Views = append(f.Views, personKey)
		return nil
	})
}

// OpenAlerts lists the alerts not closed, newest first.
func (f *Defence) OpenAlerts(ctx context.Context) (out []*domain.Alert, err error) {
	err = f.locked(func() error {
		out = copiesOf(f.Alerts, func(a *domain.Alert) bool { return a.CloseBlocker() == nil },
			func(a, b *domain.Alert) int { return byTimeThenID(b.RaisedAt, a.RaisedAt, b.ID, a.ID) })
		return nil
	})
	return out, err
}

// CloseAlert closes an alert with a note.
func (f *Defence) CloseAlert(ctx context.Context, id int64, note string) error {
	return f.noted(note, func(note string) error {
		a, err := f.alert(id)
		if err == nil {
			err = a.CloseBlocker()
		}
		if err != nil {
			return err
		}
		actor := domain.ActorFrom(ctx)
		a.ClosedAt, a.ClosedBy, a.ClosedByName, a.Note = f.clock(), actor.OperatorID, f.ref(actor).Name, note
		f.Closed[id] = note
		return nil
	})
}

// SignIns returns an operator's history, newest first.
func (f *Defence) SignIns(ctx context.Context, operatorID int64, before time.Time, limit int) (out []*domain.SignIn, err error) {
	err = f.locked(func() error {
		me := &domain.Operator{ID: domain.ActorFrom(ctx).OperatorID}
		if f.Admins[me.ID] {
			me.Roles = []domain.Role{domain.RoleAdmin}
		}
		if err := me.SignInsBlocker(operatorID); err != nil {
			return err
		}
		history, known := f.History[operatorID]
		if !known && f.staff.ref(domain.Actor{OperatorID: operatorID}).Name == "" {
			return domain.Errorf(domain.ENOTFOUND, "defence.no_such_operator", "no operator %d", operatorID)
		}
		out = copiesOf(history, func(s *domain.SignIn) bool { return before.IsZero() || s.At.Before(before) },
			func(a, b *domain.SignIn) int { return b.At.Compare(a.At) })
		out = out[:min(len(out), domain.PageLimit(limit))]
		return nil
	})
	return out, err
}

// RequestEmailChange files a pending request by the actor.
func (f *Defence) RequestEmailChange(ctx context.Context, userID int64, email, reason string) (out *domain.EmailChange, err error) {
	err = f.locked(func() error {
		if _, _, err := domain.CheckEmailChangeRequest(email, reason); err != nil {
			return err
		}
		old, ok := f.Accounts[userID]
		if !ok {
			return domain.Errorf(domain.ENOTFOUND, "defence.no_such_user", "no Platform user %d", userID)
		}
		c, err := domain.NewEmailChange(userID, old, email, reason, f.ref(domain.ActorFrom(ctx)), f.clock(), f.Changes)
		if err == nil {
			err = f.taken(userID, c.NewEmail)
		}
		if err != nil {
			return err
		}
		c.ID = int64(len(f.Changes) + 1)
		f.Changes = append(f.Changes, c)
		cp := *c
		out = &cp
		return nil
	})
	return out, err
}

// taken refuses an address another account has.
func (f *Defence) taken(userID int64, email string) error {
	for id, a := range f.Accounts {
		if id != userID && strings.EqualFold(a, email) {
			return domain.EmailTaken()
		}
	}
	return nil
}

// PendingEmailChanges lists the requests still waiting, oldest first.
func (f *Defence) PendingEmailChanges(ctx context.Context) (out []*domain.EmailChange, err error) {
	err = f.locked(func() error {
		out = copiesOf(f.Changes, func(c *domain.EmailChange) bool { return c.Waiting(f.clock()) },
			func(a, b *domain.EmailChange) int { return a.RequestedAt.Compare(b.RequestedAt) })
		return nil
	})
	return out, err
}

// ApproveEmailChange applies a request when domain.EmailChange's
// ApprovalBlocker lets the actor; one found expired is marked so.
func (f *Defence) ApproveEmailChange(ctx context.Context, id int64) error {
	return f.locked(func() error {
		c, err := f.change(id)
		if err != nil {
			return err
		}
		actor, now := domain.ActorFrom(ctx), f.clock()
		if err := c.ApprovalBlocker(actor.OperatorID, now); err != nil {
			if domain.AsError(err).Key == "defence.email_change_expired" {
				c.State, c.DecidedAt = domain.EmailChangeExpired, now
			}
			return err
		}
		if current, ok := f.Accounts[c.UserID]; ok {
			if err := c.CheckCurrent(current); err != nil {
				return err
			}
			if err := f.taken(c.UserID, c.NewEmail); err != nil {
				return err
			}
			f.Accounts[c.UserID] = c.NewEmail
		}
		c.State, c.DecidedBy, c.DecidedAt = domain.EmailChangeApproved, actor.OperatorID, now
		f.ApprovedChanges = append(f.ApprovedChanges, id)
		f.changes[c.UserID] = append(f.changes[c.UserID], &domain.AccountChange{At: now, ActorName: c.RequestedName,
			ApprovedByName: f.ref(actor).Name, Field: "email", Old: c.OldEmail, New: c.NewEmail, Reason: c.Reason})
		return nil
	})
}

// RefuseEmailChange refuses a pending request with a note.
func (f *Defence) RefuseEmailChange(ctx context.Context, id int64, note string) error {
	return f.noted(note, func(note string) error {
		c, err := f.change(id)
		if err == nil {
			err = c.RefusalBlocker()
		}
		if err != nil {
			return err
		}
		c.State, c.Note, c.DecidedBy, c.DecidedAt = domain.EmailChangeRefused, note, domain.ActorFrom(ctx).OperatorID, f.clock()
		f.RefusedChanges[id] = note
		return nil
	})
}

// AccountHistory returns the changes applied to a Platform user's
// account, newest first.
func (f *Defence) AccountHistory(ctx context.Context, userID int64) (out []*domain.AccountChange, err error) {
	err = f.locked(func() error {
		out = copiesOf(f.changes[userID], nil, nil)
		slices.Reverse(out)
		return nil
	})
	return out, err
}
