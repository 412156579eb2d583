package fakes

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Helpdesk is an in-memory domain.HelpdeskService: state and recorded
// calls. Every rule is domain's (Ticket.Allows, CheckVersion,
// CheckTicketReply, TicketFilter.Normalize …), and the shared suite
// (domain/contracttest) holds it to the contract storage keeps. When Feed
// is set, every change is published on topic "ticket" with the id only.
type Helpdesk struct {
	mu          sync.Mutex
	tickets     map[int64]*domain.Ticket
	accountCode map[int64]string // the matched account's personal code, by ticket
	claimOf     sessions
	nextID      int64
	failures
	claimLog
	staff

	// Feed receives a change per write when set.
	Feed *Feed
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	calls           []HelpdeskCall
	sessionReleases []string
}

// HelpdeskCall is one write to a ticket, successful or not.
type HelpdeskCall struct {
	Method   string // "SetCategory", "Reply", "IssuePasswordReset", "RequestSuspension"
	ID       int64
	Version  int64
	Category domain.TicketCategory
	Template string
	Lang     string
	Text     string
	State    domain.TicketState
	ActorID  int64
	Err      error
}

// NewHelpdesk returns an empty queue.
func NewHelpdesk() *Helpdesk {
	return &Helpdesk{tickets: map[int64]*domain.Ticket{}, accountCode: map[int64]string{}, claimOf: sessions{}, nextID: 1}
}

var _ domain.HelpdeskService = (*Helpdesk)(nil)

func (f *Helpdesk) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func copyTicket(t *domain.Ticket, thread bool, now time.Time) *domain.Ticket {
	c := *t
	if t.Account != nil {
		a := *t.Account
		c.Account = &a
	}
	if c.ClaimedBy != 0 && !now.Before(c.ClaimExpiresAt) {
		c.ClaimedBy, c.ClaimedByName, c.ClaimExpiresAt = 0, "", time.Time{}
	}
	c.Messages = nil
	if thread {
		for _, m := range t.Messages {
			mc := *m
			mc.Attach = slices.Clone(m.Attach)
			c.Messages = append(c.Messages, &mc)
		}
	}
	return &c
}

// Add stores t (giving it an id, a version, a state, a category and a time
// when it has none) and returns a copy.
func (f *Helpdesk) Add(t *domain.Ticket) *domain.Ticket {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t.ID == 0 {
		t.ID = f.nextID
	}
	f.nextID = max(f.nextID, t.ID+1)
	if t.Version == 0 {
		t.Version = 1
	}
	if t.State == "" {
		t.State = domain.TicketNew
	}
	if t.Category == "" {
		t.Category = domain.CategoryOther
	}
	if t.Suggested == "" {
		t.Suggested = t.Category
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = f.now()
	}
	f.tickets[t.ID] = copyTicket(t, true, time.Time{})
	return copyTicket(t, true, time.Time{})
}

// SetAccountCode gives the account matched to ticket id a personal code,
// which a search by that whole code finds the ticket by.
func (f *Helpdesk) SetAccountCode(id int64, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accountCode[id] = code
}

// Get returns a copy of ticket id with its thread, or nil.
func (f *Helpdesk) Get(id int64) *domain.Ticket {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t := f.tickets[id]; t != nil {
		return copyTicket(t, true, time.Time{})
	}
	return nil
}

// Update changes ticket id with fn, as another writer would: the version
// is bumped and the change published.
func (f *Helpdesk) Update(id int64, fn func(*domain.Ticket)) {
	f.mu.Lock()
	t := f.tickets[id]
	if t != nil {
		fn(t)
		t.Version++
	}
	f.mu.Unlock()
	if t != nil {
		f.publish(id)
	}
}

// ClaimAs makes another operator hold ticket id for domain.ClaimLease.
func (f *Helpdesk) ClaimAs(id, operatorID int64, name string) {
	f.mu.Lock()
	if t := f.tickets[id]; t != nil {
		t.ClaimedBy, t.ClaimedByName, t.ClaimExpiresAt = operatorID, name, f.now().Add(domain.ClaimLease)
		f.claimOf[id] = "other-session"
	}
	f.mu.Unlock()
	f.publish(id)
}

// Calls returns every write so far.
func (f *Helpdesk) Calls() []HelpdeskCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// SessionReleases returns the sessions ReleaseSessionClaims was called
// with.
func (f *Helpdesk) SessionReleases() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sessionReleases)
}

func (f *Helpdesk) publish(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: domain.TopicTicket, ID: fmt.Sprint(id)})
	}
}

// get returns ticket id, or storage's ENOTFOUND.
func (f *Helpdesk) get(id int64) (*domain.Ticket, error) {
	if t := f.tickets[id]; t != nil {
		return t, nil
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "helpdesk.not_found", "no ticket %d", id)
}

// ListTickets implements domain.HelpdeskService: oldest first, keyset
// paged on (CreatedAt, ID).
func (f *Helpdesk) ListTickets(_ context.Context, flt domain.TicketFilter) ([]*domain.Ticket, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("ListTickets"); err != nil {
		return nil, err
	}
	search, err := flt.Normalize()
	if err != nil {
		return nil, err
	}
	var all []*domain.Ticket
	for _, t := range f.tickets {
		if search.Matches(flt, t, f.accountCode[t.ID]) && afterKey(t.CreatedAt, t.ID, flt.AfterAt, flt.AfterID) {
			all = append(all, t)
		}
	}
	slices.SortFunc(all, func(a, b *domain.Ticket) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	var out []*domain.Ticket
	for _, t := range all[:min(len(all), flt.Limit)] {
		out = append(out, copyTicket(t, false, f.now()))
	}
	return out, nil
}

// FindTicket implements domain.HelpdeskService.
func (f *Helpdesk) FindTicket(_ context.Context, id int64) (*domain.Ticket, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("FindTicket"); err != nil {
		return nil, err
	}
	t, err := f.get(id)
	if err != nil {
		return nil, err
	}
	return copyTicket(t, true, f.now()), nil
}

// ClaimTicket implements domain.HelpdeskService: a new ticket goes in
// progress with its first claim, as in storage.
func (f *Helpdesk) ClaimTicket(ctx context.Context, id int64) (*domain.Ticket, error) {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.claimed(id)
	out, err := f.claimLocked(act, id)
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	f.publish(id)
	return out, nil
}

func (f *Helpdesk) claimLocked(act domain.Actor, id int64) (*domain.Ticket, error) {
	if err := f.takeFail("ClaimTicket"); err != nil {
		return nil, err
	}
	t, err := f.get(id)
	if err != nil {
		return nil, err
	}
	op, now := f.ref(act), f.now()
	if err := t.Allows(domain.TicketClaim, op, now); err != nil {
		return nil, err
	}
	renewal := t.ClaimedBy == op.ID && now.Before(t.ClaimExpiresAt)
	t.ClaimedBy, t.ClaimedByName, t.ClaimExpiresAt = op.ID, op.Name, now.Add(domain.ClaimLease)
	f.claimOf[id] = act.SessionID
	if !renewal && t.State == domain.TicketNew {
		t.State = domain.TicketInProgress
		t.Version++
	}
	return copyTicket(t, false, now), nil
}

// ReleaseTicket implements domain.HelpdeskService.
func (f *Helpdesk) ReleaseTicket(ctx context.Context, id int64) error {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.released(id)
	if err := f.takeFail("ReleaseTicket"); err != nil {
		f.mu.Unlock()
		return err
	}
	t := f.tickets[id]
	released := t != nil && t.ClaimedBy == act.OperatorID && t.ClaimedBy != 0
	if released {
		f.unclaim(t)
	}
	f.mu.Unlock()
	if released {
		f.publish(id)
	}
	return nil
}

func (f *Helpdesk) unclaim(t *domain.Ticket) {
	t.ClaimedBy, t.ClaimedByName, t.ClaimExpiresAt = 0, "", time.Time{}
	delete(f.claimOf, t.ID)
}

// ReleaseSessionClaims implements domain.HelpdeskService.
func (f *Helpdesk) ReleaseSessionClaims(ctx context.Context, session string) error {
	f.mu.Lock()
	f.sessionReleases = append(f.sessionReleases, session)
	ids, err := f.claimOf.releasable(domain.ActorFrom(ctx), session)
	for _, id := range ids {
		f.unclaim(f.tickets[id])
	}
	f.mu.Unlock()
	for _, id := range ids {
		f.publish(id)
	}
	return err
}

// write runs one versioned write the way storage does: the failure set by
// FailNext, check (the texts), a missing ticket, the ticket's own rule for
// action and a stale version refuse it; apply changes the ticket, whose
// version is then bumped. The call is recorded whatever its outcome.
func (f *Helpdesk) write(ctx context.Context, c HelpdeskCall, action domain.TicketAction, check func() error, apply func(*domain.Ticket, domain.OperatorRef)) error {
	act := domain.ActorFrom(ctx)
	c.ActorID = act.OperatorID
	f.mu.Lock()
	op, now := f.ref(act), f.now()
	err := f.takeFail(c.Method)
	var t *domain.Ticket
	if err == nil && check != nil {
		err = check()
	}
	if err == nil {
		t, err = f.get(c.ID)
	}
	if err == nil {
		err = t.Allows(action, op, now)
	}
	if err == nil {
		err = t.CheckVersion(c.Version)
	}
	if err == nil {
		apply(t, op)
		t.Version++
		t.UpdatedAt = now
	}
	c.Err = err
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	if err == nil {
		f.publish(c.ID)
	}
	return err
}

// SetCategory implements domain.HelpdeskService.
func (f *Helpdesk) SetCategory(ctx context.Context, id, version int64, c domain.TicketCategory) error {
	return f.write(ctx, HelpdeskCall{Method: "SetCategory", ID: id, Version: version, Category: c}, domain.TicketSetCategory,
		c.Check, func(t *domain.Ticket, _ domain.OperatorRef) { t.Category = c })
}

// Reply implements domain.HelpdeskService: the reply joins the thread.
func (f *Helpdesk) Reply(ctx context.Context, id, version int64, template, lang, text string, state domain.TicketState) error {
	return f.write(ctx, HelpdeskCall{Method: "Reply", ID: id, Version: version, Template: template, Lang: lang, Text: text, State: state},
		domain.TicketReply,
		func() (err error) {
			text, err = domain.CheckTicketReply(template, text)
			return err
		},
		func(t *domain.Ticket, op domain.OperatorRef) {
			t.State = state
			t.Messages = append(t.Messages, &domain.TicketMessage{At: f.now(), Text: text, ActorName: op.Name, Template: template, Subject: "Re: " + t.Subject})
		})
}

// IssuePasswordReset implements domain.HelpdeskService: whatever storage
// sends (a link, a template reply, a reset held for a second person), the
// ticket then waits for its sender.
func (f *Helpdesk) IssuePasswordReset(ctx context.Context, id, version int64) error {
	return f.write(ctx, HelpdeskCall{Method: "IssuePasswordReset", ID: id, Version: version}, domain.TicketReset, nil,
		func(t *domain.Ticket, _ domain.OperatorRef) { t.State = domain.TicketWaiting })
}

// RequestSuspension implements domain.HelpdeskService.
func (f *Helpdesk) RequestSuspension(ctx context.Context, id, version int64, note string) error {
	return f.write(ctx, HelpdeskCall{Method: "RequestSuspension", ID: id, Version: version, Text: note}, domain.TicketSuspend,
		func() (err error) {
			note, err = domain.CheckSuspensionNote(note)
			return err
		},
		func(t *domain.Ticket, _ domain.OperatorRef) {
			t.State, t.Category = domain.TicketInProgress, domain.CategorySuspension
		})
}
