package fakes

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Person is a person the fake people directory holds: their codes, the
// page it returns and every entry of each section (newest first).
type Person struct {
	Codes   []string // the current code first, as stored
	Page    domain.PersonPage
	Entries map[domain.PersonSection][]*domain.PersonEntry
}

// People is an in-memory domain.PersonDirectory. The search rules are
// domain's (ParsePersonQuery, FoldName, MatchesName, MaskPersonalCode);
// the shared suite holds it to storage's contract.
type People struct {
	mu      sync.Mutex
	persons []*Person
	nextID  int64
	looks
	// Err is returned by every call when set.
	Err error
	// Opened are the persons opened, in order.
	Opened []int64
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// NewPeople returns an empty directory.
func NewPeople() *People { return &People{nextID: 1} }

// Add stores p (giving it an id when it has none) and returns the id.
func (f *People) Add(p *Person) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	numbered(&p.Page.Identity.ID, &f.nextID)
	if len(p.Codes) > 0 {
		p.Page.Identity.MaskedCode = domain.MaskPersonalCode(p.Codes[0])
	}
	if p.Entries == nil {
		p.Entries = map[domain.PersonSection][]*domain.PersonEntry{}
	}
	f.persons = append(f.persons, p)
	return p.Page.Identity.ID
}

// Change changes the stored person with fn (a section's entries, say).
func (f *People) Change(id int64, fn func(p *Person)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.find(id); p != nil {
		fn(p)
	}
}

func (f *People) find(id int64) *Person {
	for _, p := range f.persons {
		if p.Page.Identity.ID == id {
			return p
		}
	}
	return nil
}

func (p *Person) match(q domain.PersonQuery) bool {
	switch q.Kind {
	case domain.PersonByCode:
		return slices.ContainsFunc(q.Codes, func(c string) bool { return slices.Contains(p.Codes, c) })
	case domain.PersonByEmail:
		return slices.Contains(p.Page.Addresses, q.Email) ||
			p.Page.Account != nil && strings.ToLower(p.Page.Account.Email) == q.Email
	}
	return domain.MatchesName(q.Name, p.Page.Identity.FirstName, p.Page.Identity.LastName)
}

// SearchPersons implements domain.PersonDirectory.
func (f *People) SearchPersons(ctx context.Context, query string) ([]*domain.PersonMatch, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	q, err := domain.ParsePersonQuery(query)
	if err != nil {
		return nil, err
	}
	var out []*domain.PersonMatch
	for _, p := range f.persons {
		if !p.match(q) || len(out) == domain.PersonSearchLimit {
			continue
		}
		id := p.Page.Identity
		m := &domain.PersonMatch{PersonID: id.ID, MaskedCode: id.MaskedCode, FirstName: id.FirstName, LastName: id.LastName,
			HasAccount: p.Page.Account != nil, HasIMK: len(p.Entries[domain.PersonIMK]) > 0}
		if p.Page.Account != nil {
			m.Email, m.UserID = p.Page.Account.Email, p.Page.Account.UserID
		}
		out = append(out, m)
		if q.Kind == domain.PersonByCode {
			f.viewed(domain.ActorFrom(ctx), id.ID, p.Codes[0])
		}
	}
	slices.SortStableFunc(out, func(a, b *domain.PersonMatch) int {
		return strings.Compare(a.LastName+" "+a.FirstName, b.LastName+" "+b.FirstName)
	})
	return out, nil
}

// section returns the entries after c, a page of them, with the count.
func (p *Person) section(s domain.PersonSection, c domain.PersonCursor) *domain.PersonSectionPage {
	all := p.Entries[s]
	out := &domain.PersonSectionPage{Count: len(all)}
	for _, e := range all {
		if !c.IsZero() && (e.At.After(c.At) || e.At.Equal(c.At) && e.ID >= c.ID) {
			continue
		}
		if len(out.Entries) == domain.PersonSectionPageSize {
			break
		}
		e.Section = s
		cp := *e
		out.Entries = append(out.Entries, &cp)
	}
	return out
}

// OpenPerson implements domain.PersonDirectory.
func (f *People) OpenPerson(ctx context.Context, id int64) (*domain.PersonPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	p := f.find(id)
	if p == nil {
		return nil, domain.PersonNotFound()
	}
	page := p.Page
	page.Sections = map[domain.PersonSection]*domain.PersonSectionPage{}
	for _, s := range domain.PersonSections {
		page.Sections[s] = p.section(s, domain.PersonCursor{})
	}
	f.Opened = append(f.Opened, id)
	f.viewed(domain.ActorFrom(ctx), id, p.Codes[0])
	return &page, nil
}

// PersonSectionAfter implements domain.PersonDirectory.
func (f *People) PersonSectionAfter(_ context.Context, id int64, s domain.PersonSection, after domain.PersonCursor) (*domain.PersonSectionPage, error) {
	if err := domain.CheckPersonSection(s); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	p := f.find(id)
	if p == nil {
		return nil, domain.PersonNotFound()
	}
	return p.section(s, after), nil
}

// RevealPersonCode implements domain.PersonDirectory.
func (f *People) RevealPersonCode(ctx context.Context, id int64, reason string) (string, error) {
	reason, err := domain.CheckRevealReason(reason)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return "", f.Err
	}
	p := f.find(id)
	if p == nil {
		return "", domain.PersonNotFound()
	}
	f.revealed(domain.ActorFrom(ctx), id, p.Codes[0], reason)
	return p.Codes[0], nil
}
