package common_test

import (
	"testing"

	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
)

// TestServices_Normalized_NilPointerServicesBecomeNil proves that a
// service given as a nil pointer counts as missing (its screens hidden)
// rather than as present, and that the services given stay as they are.
func TestServices_Normalized_NilPointerServicesBecomeNil(t *testing.T) {
	var imk *fakes.IMK
	var helpdesk *fakes.Helpdesk
	ops := fakes.NewOperators()
	rr := fakes.NewRoleRequests()
	s := common.Services{Operators: ops, IMK: imk, Helpdesk: helpdesk, RoleRequests: rr}
	if s.IMK == nil || s.Helpdesk == nil {
		t.Fatal("the test needs interfaces holding nil pointers")
	}
	n := s.Normalized()
	if n.IMK != nil || n.Helpdesk != nil {
		t.Errorf("nil pointers kept: IMK %v, Helpdesk %v", n.IMK, n.Helpdesk)
	}
	if n.Operators != ops || n.RoleRequests != rr {
		t.Error("a service given was changed")
	}
	if n.Terms != nil || n.Audit != nil {
		t.Error("a missing service appeared")
	}
}
