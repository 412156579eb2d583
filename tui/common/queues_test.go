package common_test

import (
	"slices"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
)

// TestServices_Queues_EveryServiceThatHoldsClaims proves that the
// services a session's claims are given back on are found, not listed:
// every queue service present, none missing, nothing else.
func TestServices_Queues_EveryServiceThatHoldsClaims(t *testing.T) {
	var none *fakes.IMK
	rr, hd := fakes.NewRoleRequests(), fakes.NewHelpdesk()
	s := common.Services{Operators: fakes.NewOperators(), RoleRequests: rr, Helpdesk: hd, IMK: none}
	got := s.Queues()
	if len(got) != 2 || !slices.Contains(got, domain.SessionClaims(rr)) || !slices.Contains(got, domain.SessionClaims(hd)) {
		t.Errorf("queues %v, want the role requests and the helpdesk", got)
	}
	imk := fakes.NewIMK()
	s.IMK = imk
	if got := s.Queues(); len(got) != 3 || !slices.Contains(got, domain.SessionClaims(imk)) {
		t.Errorf("queues %v, want the IMK too", got)
	}
}
