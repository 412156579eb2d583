package queue

import (
	"errors"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
)

// fakeClaims records claims and releases; its timers deliver at once.
type fakeClaims struct {
	claimed, released []int64
	claimErr          error
}

func (f *fakeClaims) claims() Claims[*row] {
	return Claims[*row]{
		Tick: func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
			return func() tea.Msg { return fn(time.Time{}) }
		},
		Every: time.Minute,
		Claim: func(id int64) (*row, error) {
			f.claimed = append(f.claimed, id)
			return &row{id}, f.claimErr
		},
		Release:  func(id int64) error { f.released = append(f.released, id); return nil },
		Operator: &domain.Operator{Roles: []domain.Role{domain.RoleReviewer}},
		Role:     domain.RoleReviewer,
	}
}

func TestLease_TookTwice_ArmsOneRenewal(t *testing.T) {
	var f fakeClaims
	l := &Lease{Gen: 3, ID: 7}
	cmd := f.claims().Took(l, true, nil, nil)
	if !l.Owned || cmd == nil {
		t.Fatalf("first claim: owned %v, cmd %v", l.Owned, cmd)
	}
	if msg, ok := cmd().(RenewMsg[*row]); !ok || msg.Gen != 3 {
		t.Fatalf("the renewal timer delivered %#v", msg)
	}
	if cmd := f.claims().Took(l, true, nil, nil); cmd != nil {
		t.Error("a second claim armed a second timer")
	}
	explained := false
	f.claims().Took(l, false, errors.New("held"), func(error) tea.Cmd { explained = true; return nil })
	if l.Owned || !explained {
		t.Errorf("a failed claim: owned %v, explained %v", l.Owned, explained)
	}
}

func TestLease_RenewAfterClose_EndsTimer(t *testing.T) {
	var f fakeClaims
	fail := func() tea.Cmd { t.Error("closed the item"); return nil }
	if cmd := f.claims().Renew(nil, RenewMsg[*row]{Gen: 1}, fail); cmd != nil {
		t.Error("a renewal with nothing open did something")
	}
	l := &Lease{Gen: 2, ID: 7, Owned: true}
	if cmd := f.claims().Renew(l, RenewMsg[*row]{Gen: 1}, fail); cmd != nil {
		t.Error("a renewal of an earlier opening did something")
	}
	msg := f.claims().Renew(l, RenewMsg[*row]{Gen: 2}, fail)()
	if r, ok := msg.(RenewedMsg[*row]); !ok || r.ID != 7 || r.Gen != 2 || len(f.claimed) != 1 {
		t.Fatalf("renewal answered %#v, claims %v", msg, f.claimed)
	}
}

func TestLease_RenewedForClosedItem_GivesClaimBack(t *testing.T) {
	var f fakeClaims
	cmd := f.claims().Renewed(nil, RenewedMsg[*row]{Gen: 1, ID: 7}, nil, nil)
	if cmd == nil {
		t.Fatal("the claim was not given back")
	}
	if _, ok := cmd().(ReleasedMsg[*row]); !ok || len(f.released) != 1 || f.released[0] != 7 {
		t.Errorf("releases %v", f.released)
	}
}

func TestLease_RenewedConflict_ReadsAgain(t *testing.T) {
	var f fakeClaims
	l := &Lease{Gen: 1, ID: 7, Owned: true}
	lost := false
	conflict := domain.Errorf(domain.ECONFLICT, "x", "taken")
	f.claims().Renewed(l, RenewedMsg[*row]{Gen: 1, ID: 7, Err: conflict}, nil, func() tea.Cmd { lost = true; return nil })
	if !lost {
		t.Error("a conflict did not read the item again")
	}
}

func TestLease_LeaveOwned_Releases(t *testing.T) {
	var f fakeClaims
	reloaded := false
	reload := func() tea.Cmd { reloaded = true; return nil }
	f.claims().Leave(&Lease{ID: 7}, reload)
	if !reloaded {
		t.Error("leaving an item not held did not reload the list")
	}
	reloaded = false
	f.claims().Leave(&Lease{ID: 8, Owned: true}, reload)()
	if reloaded || len(f.released) != 1 || f.released[0] != 8 {
		t.Errorf("leaving a held item: reloaded %v, releases %v", reloaded, f.released)
	}
}
