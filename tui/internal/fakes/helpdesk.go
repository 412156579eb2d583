package fakes

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Helpdesk is an in-memory domain.HelpdeskService. It keeps the rules the
// screen depends on: a claim by another operator conflicts, every write
// names the version it saw and bumps it, a free-text reply needs text and
// a suspension needs a note and a matched account. When Feed is set, every
// change is published on topic "ticket" with the id only.
type Helpdesk struct {
	mu      sync.Mutex
	tickets map[int64]*domain.Ticket
	nextID  int64
	failures
	claimLog

	// Feed receives a change per write when set.
	Feed *Feed
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	calls []HelpdeskCall
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

// HelpdeskTemplates are the reply templates the fake knows, as storage
// names them; "helpdesk.reply" is a free-text reply.
var HelpdeskTemplates = []string{"helpdesk.reply", "helpdesk.no_password", "helpdesk.reset_refused"}

// NewHelpdesk returns an empty queue.
func NewHelpdesk() *Helpdesk {
	return &Helpdesk{tickets: map[int64]*domain.Ticket{}, nextID: 1}
}

func (f *Helpdesk) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func copyTicket(t *domain.Ticket, thread bool) *domain.Ticket {
	c := *t
	if t.Account != nil {
		a := *t.Account
		c.Account = &a
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
	f.tickets[t.ID] = copyTicket(t, true)
	return copyTicket(t, true)
}

// Get returns a copy of ticket id with its thread, or nil.
func (f *Helpdesk) Get(id int64) *domain.Ticket {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t := f.tickets[id]; t != nil {
		return copyTicket(t, true)
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

func (f *Helpdesk) publish(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: domain.TopicTicket, ID: fmt.Sprint(id)})
	}
}

func ticketNotFound() error { return domain.Errorf(domain.ENOTFOUND, "", "ticket not found") }

func ticketHeldByOther(t *domain.Ticket, op int64, now time.Time) bool {
	return t.ClaimedBy != 0 && t.ClaimedBy != op && now.Before(t.ClaimExpiresAt)
}

// ListTickets implements domain.HelpdeskService: oldest first, keyset
// paged on (CreatedAt, ID); new and in progress unless States says
// otherwise.
func (f *Helpdesk) ListTickets(_ context.Context, flt domain.TicketFilter) ([]*domain.Ticket, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("ListTickets"); err != nil {
		return nil, err
	}
	if flt.Limit <= 0 || flt.Limit > 1000 {
		return nil, imkInvalid("limit %d out of range", flt.Limit)
	}
	states := flt.States
	if len(states) == 0 {
		states = []domain.TicketState{domain.TicketNew, domain.TicketInProgress}
	}
	// A personal code is found whole or not at all, by domain's rule, as
	// storage does (the fake knows no account's code: it matches the
	// subject).
	if n, ok := domain.ParseNumberSearch(flt.Search); ok {
		if err := n.Whole(); err != nil {
			return nil, err
		}
	}
	var all []*domain.Ticket
	for _, t := range f.tickets {
		if !slices.Contains(states, t.State) {
			continue
		}
		if len(flt.Categories) > 0 && !slices.Contains(flt.Categories, t.Category) {
			continue
		}
		if q := strings.ToLower(strings.TrimSpace(flt.Search)); q != "" {
			if !strings.Contains(strings.ToLower(t.Subject+"\x00"+t.From), q) {
				continue
			}
		}
		all = append(all, t)
	}
	slices.SortFunc(all, func(a, b *domain.Ticket) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	var out []*domain.Ticket
	for _, t := range all {
		if !flt.AfterAt.IsZero() || flt.AfterID != 0 {
			c := t.CreatedAt.Compare(flt.AfterAt)
			if c < 0 || c == 0 && t.ID <= flt.AfterID {
				continue
			}
		}
		out = append(out, copyTicket(t, false))
		if len(out) == flt.Limit {
			break
		}
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
	t := f.tickets[id]
	if t == nil {
		return nil, ticketNotFound()
	}
	return copyTicket(t, true), nil
}

// ClaimTicket implements domain.HelpdeskService.
func (f *Helpdesk) ClaimTicket(ctx context.Context, id int64) (*domain.Ticket, error) {
	act := domain.ActorFrom(ctx)
	f.mu.Lock()
	f.claimed(id)
	if err := f.takeFail("ClaimTicket"); err != nil {
		f.mu.Unlock()
		return nil, err
	}
	t := f.tickets[id]
	switch {
	case t == nil:
		f.mu.Unlock()
		return nil, ticketNotFound()
	case ticketHeldByOther(t, act.OperatorID, f.now()):
		f.mu.Unlock()
		return nil, imkConflict("held by %s", t.ClaimedByName)
	case t.State == domain.TicketResolved:
		f.mu.Unlock()
		return nil, imkInvalid("ticket %d is resolved", id)
	}
	t.ClaimedBy, t.ClaimedByName, t.ClaimExpiresAt = act.OperatorID, act.Name, f.now().Add(domain.ClaimLease)
	out := copyTicket(t, false)
	f.mu.Unlock()
	f.publish(id)
	return out, nil
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
	released := t != nil && t.ClaimedBy == act.OperatorID
	if released {
		t.ClaimedBy, t.ClaimedByName, t.ClaimExpiresAt = 0, "", time.Time{}
	}
	f.mu.Unlock()
	if released {
		f.publish(id)
	}
	return nil
}

// write runs one versioned write: the failure set by FailNext, a missing
// ticket, a claim by someone else and a stale version are refused; check
// refuses what the method itself does not accept; apply changes the
// ticket, whose version is then bumped.
func (f *Helpdesk) write(ctx context.Context, c HelpdeskCall, check func(*domain.Ticket) error, apply func(*domain.Ticket)) error {
	act := domain.ActorFrom(ctx)
	c.ActorID = act.OperatorID
	f.mu.Lock()
	t := f.tickets[c.ID]
	err := f.takeFail(c.Method)
	switch {
	case err != nil:
	case t == nil:
		err = ticketNotFound()
	case ticketHeldByOther(t, act.OperatorID, f.now()):
		err = imkConflict("held by %s", t.ClaimedByName)
	case t.Version != c.Version:
		err = imkConflict("ticket %d changed", c.ID)
	case check != nil:
		err = check(t)
	}
	if err == nil {
		apply(t)
		t.Version++
		t.UpdatedAt = f.now()
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
	return f.write(ctx, HelpdeskCall{Method: "SetCategory", ID: id, Version: version, Category: c},
		func(*domain.Ticket) error {
			if !slices.Contains(domain.TicketCategories, c) {
				return imkInvalid("unknown category %q", c)
			}
			return nil
		},
		func(t *domain.Ticket) { t.Category = c })
}

// Reply implements domain.HelpdeskService: the reply joins the thread.
func (f *Helpdesk) Reply(ctx context.Context, id, version int64, template, lang, text string, state domain.TicketState) error {
	act := domain.ActorFrom(ctx)
	return f.write(ctx, HelpdeskCall{Method: "Reply", ID: id, Version: version, Template: template, Lang: lang, Text: text, State: state},
		func(*domain.Ticket) error {
			switch {
			case !slices.Contains(HelpdeskTemplates, template):
				return imkInvalid("unknown template %q", template)
			case template == "helpdesk.reply" && strings.TrimSpace(text) == "":
				return imkInvalid("a free-text reply needs text")
			}
			return nil
		},
		func(t *domain.Ticket) {
			t.State = state
			t.Messages = append(t.Messages, &domain.TicketMessage{At: f.now(), Text: text, ActorName: act.Name, Template: template, Subject: "Re: " + t.Subject})
		})
}

// IssuePasswordReset implements domain.HelpdeskService.
func (f *Helpdesk) IssuePasswordReset(ctx context.Context, id, version int64) error {
	return f.write(ctx, HelpdeskCall{Method: "IssuePasswordReset", ID: id, Version: version}, nil,
		func(t *domain.Ticket) { t.State = domain.TicketWaiting })
}

// RequestSuspension implements domain.HelpdeskService.
func (f *Helpdesk) RequestSuspension(ctx context.Context, id, version int64, note string) error {
	return f.write(ctx, HelpdeskCall{Method: "RequestSuspension", ID: id, Version: version, Text: note},
		func(t *domain.Ticket) error {
			switch {
			case t.Account == nil:
				return imkInvalid("no account is matched")
			case strings.TrimSpace(note) == "":
				return imkInvalid("a note is required")
			}
			return nil
		},
		func(t *domain.Ticket) { t.State = domain.TicketInProgress })
}
