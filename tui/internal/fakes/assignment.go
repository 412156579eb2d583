package fakes

import (
	"context"
	"slices"
	"time"

	"github.com/viaa/ppp/domain"
)

// The role assignments of the person a request is about (¶32.1), as
// RoleRequests keeps them: SetAssignments stores them per request, and
// ChangeAssignment changes them by domain's rules (AssignmentChange.Check,
// RoleAssignment.Allows) and records the call.

// AssignmentCall is one call of ChangeAssignment, successful or not.
type AssignmentCall struct {
	Change domain.AssignmentChange
	Err    error
}

// SetAssignments replaces the assignments of the person request id is
// about.
func (f *RoleRequests) SetAssignments(id int64, list []*domain.RoleAssignment) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.assignments == nil {
		f.assignments = map[int64][]*domain.RoleAssignment{}
	}
	f.assignments[id] = list
}

// AssignmentCalls returns the recorded ChangeAssignment calls.
func (f *RoleRequests) AssignmentCalls() []AssignmentCall { return snapshot(&f.mu, &f.assignmentCalls) }

// PersonAssignments implements domain.RoleRequestService: running first,
// then by end of validity, newest first.
func (f *RoleRequests) PersonAssignments(_ context.Context, id int64) ([]*domain.RoleAssignment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("PersonAssignments"); err != nil {
		return nil, err
	}
	if _, err := f.get(id); err != nil {
		return nil, err
	}
	var out []*domain.RoleAssignment
	for _, a := range f.assignments[id] {
		c := *a
		out = append(out, &c)
	}
	slices.SortStableFunc(out, func(a, b *domain.RoleAssignment) int {
		if a.Running() != b.Running() {
			if a.Running() {
				return -1
			}
			return 1
		}
		if c := b.ValidUntil.Compare(a.ValidUntil); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return out, nil
}

// ChangeAssignment implements domain.RoleRequestService.
func (f *RoleRequests) ChangeAssignment(_ context.Context, c domain.AssignmentChange) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.changeAssignment(&c)
	f.assignmentCalls = append(f.assignmentCalls, AssignmentCall{Change: c, Err: err})
	return err
}

func (f *RoleRequests) changeAssignment(c *domain.AssignmentChange) error {
	if err := f.takeFail("ChangeAssignment"); err != nil {
		return err
	}
	now := f.now()
	if err := c.Check(now, f.Config); err != nil {
		return err
	}
	for req, list := range f.assignments {
		for _, a := range list {
			if a.ID != c.AssignmentID {
				continue
			}
			if err := a.Allows(c.Action); err != nil {
				return err
			}
			switch c.Action {
			case domain.AssignmentExtend:
				a.ValidUntil = c.ValidUntil
			case domain.AssignmentEnd:
				a.EndedAt, a.EndReason = now, c.Reason
			case domain.AssignmentRenew:
				for _, other := range list {
					if other.Running() && other.UserID == a.UserID && other.Role == a.Role &&
						other.InstitutionName == a.InstitutionName && other.MunicipalityName == a.MunicipalityName {
						return domain.Errorf(domain.ECONFLICT, "assignment.running", "this role assignment is still running: extend it instead")
					}
				}
				renewed := *a
				renewed.ID, renewed.ValidFrom, renewed.ValidUntil, renewed.EndedAt, renewed.EndReason = f.nextAssignment(), now, c.ValidUntil, time.Time{}, ""
				f.assignments[req] = append(list, &renewed)
			}
			return nil
		}
	}
	return domain.Errorf(domain.ENOTFOUND, "assignment.not_found", "no role assignment #%d", c.AssignmentID)
}

// nextAssignment returns an id above every assignment's.
func (f *RoleRequests) nextAssignment() int64 {
	var top int64
	for _, list := range f.assignments {
		for _, a := range list {
			top = max(top, a.ID)
		}
	}
	return top + 1
}
