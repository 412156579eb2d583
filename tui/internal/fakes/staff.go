package fakes

import (
	"slices"
	"strings"
	"sync"

	"github.com/viaa/ppp/domain"
)

// staff is what a fake queue knows of the operators who call it: their
// full name (the holder's and decider's name others see) and e-mail
// address (by which a role request about the operator is recognised), as
// storage reads them from the operators table. An operator it was never
// told about is known by the actor's id and name only. It has its own lock,
// taken inside the fake's.
type staff struct {
	smu   sync.Mutex
	ops   map[int64]domain.OperatorRef
	roles map[int64][]domain.Role
}

// AddOperator tells the fake about an operator, as storage knows them
// from the operators table.
func (s *staff) AddOperator(op *domain.Operator) {
	s.smu.Lock()
	defer s.smu.Unlock()
	if s.ops == nil {
		s.ops = map[int64]domain.OperatorRef{}
	}
	s.ops[op.ID] = op.Ref()
	if s.roles == nil {
		s.roles = map[int64][]domain.Role{}
	}
	s.roles[op.ID] = slices.Clone(op.Roles)
}

// operator returns the acting operator with their roles, as the rules
// about who sees what see them (domain.Ticket.AllowsOperator): nil for the
// back office itself; for an operator the fake was never told about,
// someone holding every role, whom it does not judge by role (storage's
// TestPermissions_* do).
func (s *staff) operator(a domain.Actor) *domain.Operator {
	if a.OperatorID == 0 {
		return nil
	}
	r := s.ref(a)
	s.smu.Lock()
	defer s.smu.Unlock()
	roles, ok := s.roles[a.OperatorID]
	if !ok {
		roles = domain.Roles
	}
	return &domain.Operator{ID: r.ID, FullName: r.Name, Email: r.Email, Roles: slices.Clone(roles)}
}

// ref returns the acting operator as the rules see them.
func (s *staff) ref(a domain.Actor) domain.OperatorRef {
	s.smu.Lock()
	defer s.smu.Unlock()
	if r, ok := s.ops[a.OperatorID]; ok && a.OperatorID != 0 {
		return r
	}
	return domain.OperatorRef{ID: a.OperatorID, Name: a.Name}
}

// Look is one look at a person recorded by a fake queue: a record read
// (View) or a whole personal code revealed (Reveal).
type Look struct {
	OperatorID int64
	SessionID  string
	ItemID     int64
	PersonKey  string // domain.PersonKey of the person's code
	Reason     string // a reveal's
}

// looks records the looks a fake queue counts toward the misuse alerts.
// It has its own lock, taken inside the fake's.
type looks struct {
	lmu     sync.Mutex
	views   []Look
	reveals []Look
}

func (l *looks) viewed(a domain.Actor, id int64, code string) {
	if !a.IsOperator() || domain.PersonKey(code) == "" {
		return // the back office itself is not counted
	}
	l.lmu.Lock()
	defer l.lmu.Unlock()
	l.views = append(l.views, Look{OperatorID: a.OperatorID, SessionID: a.SessionID, ItemID: id, PersonKey: domain.PersonKey(code)})
}

func (l *looks) revealed(a domain.Actor, id int64, code, reason string) {
	l.lmu.Lock()
	defer l.lmu.Unlock()
	l.reveals = append(l.reveals, Look{OperatorID: a.OperatorID, SessionID: a.SessionID, ItemID: id, PersonKey: domain.PersonKey(code), Reason: reason})
}

// Views returns the record views counted so far: one per read of an item
// by an operator, and per search that found a person by code.
func (l *looks) Views() []Look { return snapshot(&l.lmu, &l.views) }

// Reveals returns the reveals of whole personal codes recorded so far.
func (l *looks) Reveals() []Look { return snapshot(&l.lmu, &l.reveals) }

// sessions remembers which session holds each claim of a fake queue, for
// ReleaseSessionClaims.
type sessions map[int64]string

// releasable returns the ids the session holds, in no order, after
// checking that the actor may release them.
func (s sessions) releasable(a domain.Actor, session string) ([]int64, error) {
	if strings.TrimSpace(session) == "" {
		return nil, nil
	}
	if err := a.MayReleaseSession(session); err != nil {
		return nil, err
	}
	var ids []int64
	for id, sess := range s {
		if sess == session {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
