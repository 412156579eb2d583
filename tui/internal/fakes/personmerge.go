package fakes

import (
	"context"

	"github.com/viaa/ppp/domain"
)

// PersonMerge is an in-memory domain.PersonMergeService: Conflicts are
// its state, Resolved records each resolution made. Its rules are
// domain's (MergeConflict.CheckResolution).
type PersonMerge struct {
	guarded
	Conflicts []*domain.MergeConflict
	Resolved  []domain.MergeResolution
}

var _ domain.PersonMergeService = (*PersonMerge)(nil)

// OpenMergeConflicts lists the conflicts not resolved, in order.
func (f *PersonMerge) OpenMergeConflicts(ctx context.Context) (out []*domain.MergeConflict, err error) {
	err = f.locked(func() error {
		for _, c := range f.Conflicts {
			if c.Resolution == "" {
				cp := *c
				out = append(out, &cp)
			}
		}
		return nil
	})
	return out, err
}

// ResolveMergeConflict marks a conflict resolved when its rule allows.
func (f *PersonMerge) ResolveMergeConflict(ctx context.Context, r domain.MergeResolution) error {
	return f.locked(func() error {
		for _, c := range f.Conflicts {
			if c.ID != r.ConflictID {
				continue
			}
			if err := c.CheckResolution(&r); err != nil {
				return err
			}
			c.Resolution = r.Outcome
			f.Resolved = append(f.Resolved, r)
			return nil
		}
		return domain.Errorf(domain.ENOTFOUND, "merge.not_found", "no merge conflict %d", r.ConflictID)
	})
}
