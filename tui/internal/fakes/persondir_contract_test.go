package fakes_test

import (
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/tui/internal/fakes"
)

type peopleHarness struct {
	fakeOn[*fakes.People]
	lookCounts
	next int64
}

func (h *peopleHarness) Service() domain.PersonDirectory { return h.f }

func (h *peopleHarness) SeedPerson(_ *testing.T, s contracttest.PersonSeed) int64 {
	h.next++
	email := strings.ToLower(s.Email)
	p := &fakes.Person{Codes: []string{s.Code},
		Page: domain.PersonPage{Identity: domain.PersonIdentity{FirstName: s.FirstName, LastName: s.LastName},
			Account: &domain.PersonAccount{UserID: h.next, Kind: "viss", Email: s.Email}, Addresses: []string{email}},
		Entries: map[domain.PersonSection][]*domain.PersonEntry{}}
	for i := range s.SignIns {
		p.Entries[domain.PersonSignIns] = append(p.Entries[domain.PersonSignIns], &domain.PersonEntry{
			ID: int64(s.SignIns - i), At: h.Now().Add(-time.Duration(i+1) * time.Hour), Kind: "smart_id"})
	}
	return h.f.Add(p)
}

func TestContract_PersonDirectory_Fake(t *testing.T) {
	contracttest.RunPersonDirectory(t, func(t *testing.T) contracttest.PersonHarness {
		f := fakes.NewPeople()
		return &peopleHarness{fakeOn: newFakeOn(f, &f.Now), lookCounts: lookCounts{views: f.Views, reveals: f.Reveals}}
	})
}
