package fakes

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

// Institutions is an in-memory domain.InstitutionService: state and
// recorded calls. Every rule is domain's (InstitutionAllows,
// InstitutionFilter.Validate, PrepareEdit), with the actor from the
// context, and the shared suite (domain/contracttest) holds it to the
// contract storage keeps.
type Institutions struct {
	guarded
	Rows []*domain.Institution
	// Pages holds what a page shows besides the institution and its
	// history, by institution id.
	Pages map[int64]*domain.InstitutionPage
	// Files holds the documents' files, by document id.
	Files map[int64][]byte
	// Changes is the history, oldest first.
	Changes []*domain.InstitutionChange
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	// Opened records the documents opened, by id.
	Opened []int64
	staff
}

// NewInstitutions returns a service holding rows.
func NewInstitutions(rows ...*domain.Institution) *Institutions {
	return &Institutions{Rows: rows, Pages: map[int64]*domain.InstitutionPage{}, Files: map[int64][]byte{}}
}

var _ domain.InstitutionService = (*Institutions)(nil)

func (f *Institutions) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// caller returns the operator in ctx when they may take a; the back
// office itself may read.
func (f *Institutions) caller(ctx context.Context, a domain.InstitutionAction) (*domain.Operator, error) {
	actor := domain.ActorFrom(ctx)
	if !actor.IsOperator() {
		if a == domain.InstitutionActView && !actor.IsAPIClient() {
			return nil, nil
		}
		return nil, domain.InstitutionAllows(nil, a)
	}
	op := f.operator(actor)
	return op, domain.InstitutionAllows(op, domain.InstitutionActView)
}

func (f *Institutions) find(id int64) (*domain.Institution, error) {
	return rowByID(f.Rows, func(i *domain.Institution) int64 { return i.ID }, id, func(id int64) error {
		return domain.Errorf(domain.ENOTFOUND, "institution.not_found", "institution %d was not found", id)
	})
}

// ListInstitutions returns the rows matching f, by name and id.
func (f *Institutions) ListInstitutions(ctx context.Context, filter domain.InstitutionFilter) ([]*domain.Institution, error) {
	if _, err := f.caller(ctx, domain.InstitutionActView); err != nil {
		return nil, err
	}
	if err := filter.Validate(); err != nil {
		return nil, err
	}
	key := func(i *domain.Institution) string { return strings.ToLower(i.Name) }
	var out []*domain.Institution
	err := f.locked(func() error {
		out = copiesOf(f.Rows, func(i *domain.Institution) bool {
			switch {
			case filter.Name != "" && !strings.Contains(key(i), strings.ToLower(filter.Name)):
				return false
			case filter.Name == "" && filter.CompanyRegNumber != "" && i.CompanyRegNumber != filter.CompanyRegNumber:
				return false
			case filter.Name == "" && filter.CompanyRegNumber == "" && filter.EducationRegNumber != "" && i.EducationRegNumber != filter.EducationRegNumber:
				return false
			case len(filter.States) > 0 && !slices.Contains(filter.States, i.State):
				return false
			case !filter.ReverifyDueBy.IsZero() && (i.State != domain.InstitutionActive || i.ReverifyDueAt.IsZero() || i.ReverifyDueAt.After(filter.ReverifyDueBy)):
				return false
			}
			if filter.AfterID > 0 {
				after := strings.ToLower(filter.AfterName)
				return key(i) > after || key(i) == after && i.ID > filter.AfterID
			}
			return true
		}, func(a, b *domain.Institution) int {
			return cmp.Or(strings.Compare(key(a), key(b)), cmp.Compare(a.ID, b.ID))
		})
		return nil
	})
	if len(out) > filter.Limit {
		out = out[:filter.Limit]
	}
	return out, err
}

// InstitutionPage returns the institution with its history and what
// Pages holds for it.
func (f *Institutions) InstitutionPage(ctx context.Context, id int64) (*domain.InstitutionPage, error) {
	if _, err := f.caller(ctx, domain.InstitutionActView); err != nil {
		return nil, err
	}
	out := &domain.InstitutionPage{}
	err := f.locked(func() error {
		i, err := f.find(id)
		if err != nil {
			return err
		}
		if p := f.Pages[id]; p != nil {
			*out = *p
		}
		cp := *i
		out.Institution, out.Changes = &cp, nil
		for n := len(f.Changes) - 1; n >= 0; n-- {
			if c := *f.Changes[n]; c.InstitutionID == id {
				out.Changes = append(out.Changes, &c)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EditInstitution applies domain.PrepareEdit's judgement and keeps the
// changes.
func (f *Institutions) EditInstitution(ctx context.Context, id, version int64, e domain.InstitutionEdit, reason string) (*domain.Institution, error) {
	op, err := f.caller(ctx, domain.InstitutionActEdit)
	if err != nil {
		return nil, err
	}
	if op == nil {
		return nil, domain.InstitutionAllows(nil, domain.InstitutionActEdit)
	}
	var out *domain.Institution
	err = f.locked(func() error {
		i, err := f.find(id)
		if err != nil {
			return err
		}
		e, why, changes, err := domain.PrepareEdit(op, i, version, e, reason)
		if err != nil {
			return err
		}
		for _, other := range f.Rows {
			if other.ID != id && other.State == domain.InstitutionActive && i.State == domain.InstitutionActive &&
				(other.CompanyRegNumber == e.CompanyRegNumber || other.EducationRegNumber == e.EducationRegNumber) {
				return domain.Errorf(domain.ECONFLICT, "institution.reg_taken", "another active institution holds that registration number")
			}
		}
		now := f.now().UTC()
		i.Name, i.CompanyRegNumber, i.EducationRegNumber, i.Email, i.Phone, i.Address = e.Name, e.CompanyRegNumber, e.EducationRegNumber, e.Email, e.Phone, e.Address
		i.Version++
		i.UpdatedAt = now
		for _, c := range changes {
			c.ID, c.Reason, c.OperatorID, c.OperatorName, c.Source, c.ChangedAt = int64(len(f.Changes)+1), why, op.ID, op.FullName, domain.ChangeByOperator, now
			f.Changes = append(f.Changes, &c)
		}
		cp := *i
		out = &cp
		return nil
	})
	return out, err
}

// OpenInstitutionDocument returns a document of a page in Pages, with its
// file from Files when it is at most domain.DocumentViewMaxSize bytes.
func (f *Institutions) OpenInstitutionDocument(ctx context.Context, id int64) (*domain.DocumentView, error) {
	if _, err := f.caller(ctx, domain.InstitutionActView); err != nil {
		return nil, err
	}
	var out *domain.DocumentView
	err := f.locked(func() error {
		for _, p := range f.Pages {
			for _, d := range p.Documents {
				if d.ID != id {
					continue
				}
				out = &domain.DocumentView{InstitutionDocument: *d}
				if b := f.Files[id]; d.Stored && len(b) <= domain.DocumentViewMaxSize {
					out.Content = b
				}
				f.Opened = append(f.Opened, id)
				return nil
			}
		}
		return domain.Errorf(domain.ENOTFOUND, "institution.document_not_found", "document %d of an institution was not found", id)
	})
	return out, err
}
