package fakes

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/viaa/ppp/domain"
)

// Helpdesk is an in-memory domain.HelpdeskService: state and recorded
// calls. Every rule is domain's (Ticket.Allows, CheckVersion,
// CheckTicketReply, TicketFilter.Normalize …), and the shared suite
// (domain/contracttest) holds it to the contract storage keeps. When Feed
// is set, every change is published on topic "ticket" with the id only.
type Helpdesk struct {
	queue[domain.Ticket]
	accountCode map[int64]string // the matched account's personal code, by ticket
	calls       []HelpdeskCall
	denials     int64 // the last id RaiseIncidentDenial gave
}

// HelpdeskCall is one write to a ticket, successful or not.
type HelpdeskCall struct {
	Method   string // "SetCategory", "Reply", "IssuePasswordReset", "RequestSuspension", "RaiseIncidentDenial"
	ID       int64
	Version  int64
	Category domain.TicketCategory
	Template string
	Lang     string
	Text     string
	State    domain.TicketState
	ActorID  int64
	Denial   *domain.Denial // RaiseIncidentDenial's: what was asked, and the id it got
	Err      error
}

// NewHelpdesk returns an empty queue.
func NewHelpdesk() *Helpdesk {
	return &Helpdesk{accountCode: map[int64]string{}, queue: newQueue(itemKind[domain.Ticket]{
		topic:    domain.TopicTicket,
		notFound: func(id int64) error { return domain.Errorf(domain.ENOTFOUND, "helpdesk.not_found", "no ticket %d", id) },
		copy:     func(t *domain.Ticket) *domain.Ticket { return copyTicket(t, true) },
		brief:    func(t *domain.Ticket) *domain.Ticket { return copyTicket(t, false) },
		id:       func(t *domain.Ticket) *int64 { return &t.ID },
		version:  func(t *domain.Ticket) *int64 { return &t.Version },
		arrived:  func(t *domain.Ticket) time.Time { return t.CreatedAt },
		claim: func(t *domain.Ticket) (*int64, *string, *time.Time) {
			return &t.ClaimedBy, &t.ClaimedByName, &t.ClaimExpiresAt
		},
	})}
}

var _ domain.HelpdeskService = (*Helpdesk)(nil)

// copyTicket copies t, with its thread when thread is set.
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
	return f.store(t, func(t *domain.Ticket) {
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
	})
}

// SetAccountCode gives the account matched to ticket id a personal code,
// which a search by that whole code finds the ticket by.
func (f *Helpdesk) SetAccountCode(id int64, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accountCode[id] = code
}

// Calls returns every write so far.
func (f *Helpdesk) Calls() []HelpdeskCall { return snapshot(&f.mu, &f.calls) }

// ListTickets implements domain.HelpdeskService: oldest first, keyset
// paged on (CreatedAt, ID).
func (f *Helpdesk) ListTickets(ctx context.Context, flt domain.TicketFilter) ([]*domain.Ticket, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("ListTickets"); err != nil {
		return nil, err
	}
	flt, ok := flt.ForOperator(f.operator(domain.ActorFrom(ctx)))
	if !ok {
		return nil, nil
	}
	search, err := flt.Normalize()
	if err != nil {
		return nil, err
	}
	return f.list(func(t *domain.Ticket) bool { return search.Matches(flt, t, f.accountCode[t.ID]) }, flt.AfterAt, flt.AfterID, flt.Limit), nil
}

// FindTicket implements domain.HelpdeskService.
func (f *Helpdesk) FindTicket(ctx context.Context, id int64) (*domain.Ticket, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("FindTicket"); err != nil {
		return nil, err
	}
	t, err := f.get(id)
	if err != nil {
		return nil, err
	}
	if err := t.CheckSeenBy(f.operator(domain.ActorFrom(ctx))); err != nil {
		return nil, err
	}
	return f.shown(t, f.kind.copy), nil
}

// ClaimTicket implements domain.HelpdeskService: a new ticket goes in
// progress with its first claim, as in storage.
func (f *Helpdesk) ClaimTicket(ctx context.Context, id int64) (*domain.Ticket, error) {
	op := f.operator(domain.ActorFrom(ctx))
	allows := func(t *domain.Ticket, _ domain.OperatorRef, now time.Time) error {
		return t.AllowsOperator(domain.TicketClaim, op, now)
	}
	return f.claim(ctx, id, "ClaimTicket", allows, func(t *domain.Ticket, renewal bool) {
		if !renewal && t.State == domain.TicketNew {
			t.State = domain.TicketInProgress
			t.Version++
		}
	})
}

// ReleaseTicket implements domain.HelpdeskService.
func (f *Helpdesk) ReleaseTicket(ctx context.Context, id int64) error {
	return f.release(ctx, id, "ReleaseTicket")
}

// ReleaseSessionClaims implements domain.HelpdeskService.
func (f *Helpdesk) ReleaseSessionClaims(ctx context.Context, session string) error {
	return f.releaseSession(ctx, session)
}

// write runs one versioned write the way storage does: the failure set by
// FailNext, check (the texts), a missing ticket, the ticket's own rule for
// action and a stale version refuse it; apply changes the ticket, whose
// version is then bumped. The call is recorded whatever its outcome.
func (f *Helpdesk) write(ctx context.Context, c HelpdeskCall, action domain.TicketAction, check func() error, apply func(*domain.Ticket, domain.OperatorRef)) error {
	act := domain.ActorFrom(ctx)
	c.ActorID = act.OperatorID
	who := f.operator(act)
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
		err = t.AllowsOperator(action, who, now)
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

// RaiseIncidentDenial implements domain.HelpdeskService: the ticket's
// rule (domain.Ticket.AllowsOperator) and domain.NewDenial judge it; the
// denial gets the next id and is recorded in the call (Calls), and the
// ticket's thread notes it. The fake keeps no denials and knows no
// subjects (the denials' own fake does).
func (f *Helpdesk) RaiseIncidentDenial(ctx context.Context, id int64, kind domain.SubjectKind, subjectID int64, note, evidence string) (*domain.Denial, error) {
	act := domain.ActorFrom(ctx)
	who := f.operator(act)
	f.mu.Lock()
	op, now := f.ref(act), f.now()
	c := HelpdeskCall{Method: "RaiseIncidentDenial", ID: id, Text: note, ActorID: act.OperatorID}
	err := f.takeFail(c.Method)
	if err == nil && (who == nil || !who.HasRole(domain.RoleSecurity)) {
		err = domain.Errorf(domain.EFORBIDDEN, "denial.not_security", "this needs the security role")
	}
	var t *domain.Ticket
	if err == nil {
		t, err = f.get(id)
	}
	if err == nil {
		err = t.AllowsOperator(domain.TicketDenyIncident, who, now)
	}
	var d *domain.Denial
	if err == nil {
		d, err = domain.NewDenial(kind, subjectID, domain.GroundIncident, note, domain.IncidentEvidence(id, evidence), op.ID, now, nil)
	}
	if err == nil {
		f.denials++
		d.ID, d.RaisedByName, d.Version = f.denials, op.Name, 1
		t.Messages = append(t.Messages, &domain.TicketMessage{At: now, ActorName: op.Name, Template: domain.TicketDenialNote,
			Text: strconv.FormatInt(d.ID, 10)})
		t.Version++
		t.UpdatedAt = now
		dc := *d
		c.Denial = &dc
	}
	c.Err = err
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	f.publish(id)
	return d, nil
}
