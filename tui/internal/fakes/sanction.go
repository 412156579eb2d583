package fakes

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Sanctions is an in-memory domain.SanctionService: state and recorded
// calls. Every rule is domain's (NewSanctionCase, NewSanctionStep,
// SanctionCase.Allows, SanctionStep.Allows, CheckVersion, Summarize,
// SanctionFilter), and the shared suite (domain/contracttest) holds it to
// the contract storage keeps. It keeps no denials: a step in force is
// only its state here.
type Sanctions struct {
	mu           sync.Mutex
	cases        map[int64]*domain.SanctionCase
	institutions map[int64]*domain.SanctionInstitution
	names        map[int64]string // operators' names
	nextID       int64

	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Err is returned by every call when set.
	Err error

	calls []SanctionCall
}

// SanctionCall is one change asked of the service, successful or not.
type SanctionCall struct {
	Action string // "open", "propose", "approve", "refuse", "lift", "close"
	ID     int64  // the case (open, propose, close) or the step
	Kind   domain.SanctionStepKind
	Reason string
	Actor  int64
	Err    error
}

// NewSanctions returns an empty service.
func NewSanctions() *Sanctions {
	return &Sanctions{cases: map[int64]*domain.SanctionCase{}, institutions: map[int64]*domain.SanctionInstitution{},
		names: map[int64]string{}, nextID: 1}
}

var _ domain.SanctionService = (*Sanctions)(nil)

func (f *Sanctions) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// AddOperator tells the service an operator's name.
func (f *Sanctions) AddOperator(op *domain.Operator) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names[op.ID] = op.FullName
	if op.FullName == "" {
		f.names[op.ID] = op.Name
	}
}

// AddInstitution stores an institution (giving it an id when it has
// none) and returns its id.
func (f *Sanctions) AddInstitution(in domain.SanctionInstitution) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	numbered(&in.ID, &f.nextID)
	if in.State == "" {
		in.State = "active"
	}
	f.institutions[in.ID] = &in
	return in.ID
}

// Calls returns the recorded changes.
func (f *Sanctions) Calls() []SanctionCall { return snapshot(&f.mu, &f.calls) }

func (f *Sanctions) record(ctx context.Context, action string, id int64, kind domain.SanctionStepKind, reason string, err error) {
	f.calls = append(f.calls, SanctionCall{Action: action, ID: id, Kind: kind, Reason: reason, Actor: domain.ActorFrom(ctx).OperatorID, Err: err})
}

// copyCase returns a deep copy of c; without its steps unless steps.
func copyCase(c *domain.SanctionCase, steps bool) *domain.SanctionCase {
	out := *c
	out.Steps = nil
	if steps {
		for _, s := range c.Steps {
			sc := *s
			out.Steps = append(out.Steps, &sc)
		}
	}
	return &out
}

func (f *Sanctions) sorted(keep func(*domain.SanctionCase) bool) []*domain.SanctionCase {
	var out []*domain.SanctionCase
	for _, c := range f.cases {
		if keep(c) {
			out = append(out, copyCase(c, false))
		}
	}
	slices.SortFunc(out, domain.SanctionCaseOrder)
	return out
}

// ListCases implements domain.SanctionService.
func (f *Sanctions) ListCases(_ context.Context, flt domain.SanctionFilter) ([]*domain.SanctionCase, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	flt.Normalize()
	out := f.sorted(func(c *domain.SanctionCase) bool { return flt.Matches(c) && flt.After(c) })
	return out[:min(len(out), flt.Limit)], nil
}

// CasesOf implements domain.SanctionService.
func (f *Sanctions) CasesOf(_ context.Context, institutionID int64) ([]*domain.SanctionCase, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	out := f.sorted(func(c *domain.SanctionCase) bool { return c.InstitutionID == institutionID })
	slices.SortFunc(out, func(a, b *domain.SanctionCase) int { return int(b.ID - a.ID) })
	return out[:min(len(out), domain.InstitutionSectionMax)], nil
}

func sanctionNotFound() error {
	return domain.Errorf(domain.ENOTFOUND, "sanction.not_found", "no such sanction case")
}

// FindCase implements domain.SanctionService.
func (f *Sanctions) FindCase(_ context.Context, id int64) (*domain.SanctionCase, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	c := f.cases[id]
	if c == nil {
		return nil, sanctionNotFound()
	}
	return copyCase(c, true), nil
}

// FindInstitutions implements domain.SanctionService.
func (f *Sanctions) FindInstitutions(_ context.Context, query string, limit int) ([]*domain.SanctionInstitution, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	query = strings.TrimSpace(query)
	if len([]rune(query)) < 2 {
		return nil, domain.Errorf(domain.EINVALID, "sanction.query_short", "type at least two characters of the name or the registration number")
	}
	var out []*domain.SanctionInstitution
	for _, in := range f.institutions {
		if strings.Contains(strings.ToLower(in.Name), strings.ToLower(query)) ||
			strings.HasPrefix(in.CompanyRegNumber, query) || strings.HasPrefix(in.EducationRegNumber, query) {
			c := *in
			c.OpenCaseID = f.openCase(in.ID)
			out = append(out, &c)
		}
	}
	slices.SortFunc(out, func(a, b *domain.SanctionInstitution) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out[:min(len(out), domain.PageLimit(limit))], nil
}

func (f *Sanctions) openCase(institutionID int64) int64 {
	for _, c := range f.cases {
		if c.InstitutionID == institutionID && c.State == domain.SanctionCaseOpen {
			return c.ID
		}
	}
	return 0
}

// OpenCase implements domain.SanctionService.
func (f *Sanctions) OpenCase(ctx context.Context, institutionID int64, clause domain.Ground, reason, evidence string) (*domain.SanctionCase, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.open(ctx, institutionID, clause, reason, evidence)
	var id int64
	if c != nil {
		id = c.ID
	}
	f.record(ctx, "open", id, "", reason, err)
	if err != nil {
		return nil, err
	}
	return copyCase(c, true), nil
}

func (f *Sanctions) open(ctx context.Context, institutionID int64, clause domain.Ground, reason, evidence string) (*domain.SanctionCase, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	in := f.institutions[institutionID]
	if in == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "sanction.no_institution", "no such institution")
	}
	by := domain.ActorFrom(ctx).OperatorID
	c, err := domain.NewSanctionCase(institutionID, clause, reason, evidence, by, f.now(), f.openCase(institutionID))
	if err != nil {
		return nil, err
	}
	numbered(&c.ID, &f.nextID)
	c.InstitutionName, c.InstitutionRegNumber, c.OpenedByName = in.Name, in.CompanyRegNumber, f.names[by]
	f.cases[c.ID] = c
	return c, nil
}

// touch sums up c's steps and moves its version on.
func touch(c *domain.SanctionCase) {
	c.Summarize()
	c.Version++
}

// ProposeStep implements domain.SanctionService.
func (f *Sanctions) ProposeStep(ctx context.Context, caseID, version int64, kind domain.SanctionStepKind, reason, evidence string, until time.Time) (*domain.SanctionStep, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.propose(ctx, caseID, version, kind, reason, evidence, until)
	f.record(ctx, "propose", caseID, kind, reason, err)
	if err != nil {
		return nil, err
	}
	c := *s
	return &c, nil
}

func (f *Sanctions) propose(ctx context.Context, caseID, version int64, kind domain.SanctionStepKind, reason, evidence string, until time.Time) (*domain.SanctionStep, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	c := f.cases[caseID]
	if c == nil {
		return nil, sanctionNotFound()
	}
	if err := c.CheckVersion(version); err != nil {
		return nil, err
	}
	by := domain.ActorFrom(ctx).OperatorID
	s, err := domain.NewSanctionStep(c, kind, reason, evidence, until, by, f.now())
	if err != nil {
		return nil, err
	}
	numbered(&s.ID, &f.nextID)
	s.ProposedByName = f.names[by]
	c.Steps = append(c.Steps, s)
	touch(c)
	return s, nil
}

// step finds step id at version and checks action a for the actor.
func (f *Sanctions) step(ctx context.Context, a domain.SanctionAction, id, version int64) (*domain.SanctionCase, *domain.SanctionStep, error) {
	if f.Err != nil {
		return nil, nil, f.Err
	}
	for _, c := range f.cases {
		for _, s := range c.Steps {
			if s.ID != id {
				continue
			}
			if err := s.CheckVersion(version); err != nil {
				return nil, nil, err
			}
			if err := s.Allows(a, domain.ActorFrom(ctx).OperatorID, f.now()); err != nil {
				return nil, nil, err
			}
			return c, s, nil
		}
	}
	return nil, nil, domain.Errorf(domain.ENOTFOUND, "sanction.no_step", "no such step")
}

// ApproveStep implements domain.SanctionService.
func (f *Sanctions) ApproveStep(ctx context.Context, stepID, version int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, s, err := f.step(ctx, domain.SanctionApprove, stepID, version)
	if err == nil {
		now, by := f.now(), domain.ActorFrom(ctx).OperatorID
		if old := c.InForce(); old != nil {
			old.State, old.EndedAt = domain.SanctionStepSuperseded, now
			old.Version++
		}
		s.State, s.DecidedBy, s.DecidedByName, s.DecidedAt, s.InForceAt = domain.SanctionStepInForce, by, f.names[by], now, now
		s.DenialID = -s.ID // no denials here; non-zero as storage's
		s.Version++
		touch(c)
	}
	f.record(ctx, "approve", stepID, "", "", err)
	return err
}

// RefuseStep implements domain.SanctionService.
func (f *Sanctions) RefuseStep(ctx context.Context, stepID, version int64, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	reason, err := domain.CheckSanctionReason(reason)
	var c *domain.SanctionCase
	var s *domain.SanctionStep
	if err == nil {
		c, s, err = f.step(ctx, domain.SanctionRefuse, stepID, version)
	}
	if err == nil {
		by := domain.ActorFrom(ctx).OperatorID
		s.State, s.DecidedBy, s.DecidedByName, s.DecidedAt, s.RefuseReason = domain.SanctionStepRefused, by, f.names[by], f.now(), reason
		s.Version++
		touch(c)
	}
	f.record(ctx, "refuse", stepID, "", reason, err)
	return err
}

// LiftStep implements domain.SanctionService.
func (f *Sanctions) LiftStep(ctx context.Context, stepID, version int64, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	reason, err := domain.CheckSanctionReason(reason)
	var c *domain.SanctionCase
	var s *domain.SanctionStep
	if err == nil {
		c, s, err = f.step(ctx, domain.SanctionLift, stepID, version)
	}
	if err == nil {
		s.State, s.EndedAt, s.EndReason, s.EndedBy = domain.SanctionStepLifted, f.now(), reason, domain.ActorFrom(ctx).OperatorID
		s.Version++
		touch(c)
	}
	f.record(ctx, "lift", stepID, "", reason, err)
	return err
}

// CloseCase implements domain.SanctionService.
func (f *Sanctions) CloseCase(ctx context.Context, caseID, version int64, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.close(ctx, caseID, version, reason)
	f.record(ctx, "close", caseID, "", reason, err)
	return err
}

func (f *Sanctions) close(ctx context.Context, caseID, version int64, reason string) error {
	reason, err := domain.CheckSanctionReason(reason)
	if err != nil {
		return err
	}
	if f.Err != nil {
		return f.Err
	}
	c := f.cases[caseID]
	if c == nil {
		return sanctionNotFound()
	}
	if err := c.CheckVersion(version); err != nil {
		return err
	}
	if err := c.Allows(domain.SanctionClose, ""); err != nil {
		return err
	}
	c.State, c.ClosedBy, c.ClosedAt, c.CloseReason = domain.SanctionCaseClosed, domain.ActorFrom(ctx).OperatorID, f.now(), reason
	c.Version++
	return nil
}
