package domain

import (
	"context"
	"time"
)

// Resolutions of a person merge conflict.
const (
	MergeResolved = "merged"   // one record, one account kept
	MergeDistinct = "distinct" // not the same person
)

// MergeSide is one of the two person records of a merge conflict as the
// operator compares them: the code masked, the Platform account if any
// (0 for none), and the states of the person's IMK applications.
type MergeSide struct {
	PersonID     int64
	MaskedCode   string
	Name         string
	UserID       int64 // the Platform account; 0: none
	AccountEmail string
	AccountKind  string
	IMKStates    []string // newest first
	ActiveIMK    bool
}

// MergeConflict is a pair of person records the Population Register
// linked but that were not merged, because both have a Platform account or
// both an active IMK (issue 16, migration 0130). From is the older record,
// the one a merge folds into Into.
type MergeConflict struct {
	ID         int64
	From, Into MergeSide
	Why        string // why it was not merged automatically
	FoundAt    time.Time
	Resolution string // "" while open; MergeResolved, MergeDistinct
	ResolvedAt time.Time
}

// MergeResolution is an operator's resolution of a conflict: merge
// (keeping the account KeepUserID when both records have one), or
// distinct; with a reason.
type MergeResolution struct {
	ConflictID int64
	Outcome    string // MergeResolved or MergeDistinct
	KeepUserID int64
	Reason     string
}

// CheckResolution returns why r cannot resolve c, or nil, with r's reason
// trimmed: ECONFLICT "merge.resolved" once c is resolved; EINVALID
// "merge.bad_outcome" for an outcome not known, "account.reason_required"
// and "account.reason_too_long" (CheckAccountReason); for a merge,
// EINVALID "merge.keep_required" when both records have an account and
// KeepUserID names neither (or one record has and KeepUserID is neither 0
// nor it), ECONFLICT "merge.both_imk" when both have an active IMK, which
// one record cannot hold (settle one on the IMK screen first). Storage
// asks it on the locked row, the screen to check its form.
func (c *MergeConflict) CheckResolution(r *MergeResolution) error {
	if c.Resolution != "" {
		return Errorf(ECONFLICT, "merge.resolved", "the conflict was already resolved")
	}
	if r.Outcome != MergeResolved && r.Outcome != MergeDistinct {
		return Errorf(EINVALID, "merge.bad_outcome", "unknown resolution %q", r.Outcome)
	}
	reason, err := CheckAccountReason(r.Reason)
	if err != nil {
		return err
	}
	r.Reason = reason
	if r.Outcome == MergeDistinct {
		return nil
	}
	if err := c.MergeBlocker(); err != nil {
		return err
	}
	switch {
	case c.From.UserID != 0 && c.Into.UserID != 0:
		if r.KeepUserID != c.From.UserID && r.KeepUserID != c.Into.UserID {
			return Errorf(EINVALID, "merge.keep_required", "choose which account stays")
		}
	case r.KeepUserID != 0 && r.KeepUserID != c.From.UserID && r.KeepUserID != c.Into.UserID:
		return Errorf(EINVALID, "merge.keep_required", "choose which account stays")
	}
	return nil
}

// MergeBlocker returns why c's records cannot be merged whatever the
// operator chooses, or nil: ECONFLICT "merge.both_imk" when both have an
// active IMK, which one record cannot hold (settle one on the IMK screen
// first). CheckResolution asks it; a screen asks it before offering the
// merge's form.
func (c *MergeConflict) MergeBlocker() error {
	if c.From.ActiveIMK && c.Into.ActiveIMK {
		return Errorf(ECONFLICT, "merge.both_imk", "both records have an active IMK; settle one first")
	}
	return nil
}

// EndedUserID is the account a merge by r ends: the other record's when
// both have one, else none.
func (c *MergeConflict) EndedUserID(r *MergeResolution) int64 {
	if r.Outcome != MergeResolved || c.From.UserID == 0 || c.Into.UserID == 0 {
		return 0
	}
	if r.KeepUserID == c.From.UserID {
		return c.Into.UserID
	}
	return c.From.UserID
}

// PersonMergeService resolves the person merge conflicts (security or
// admin role). Every resolution is audited.
type PersonMergeService interface {
	// OpenMergeConflicts lists the conflicts not yet resolved, oldest
	// first. EFORBIDDEN without the security or admin role.
	OpenMergeConflicts(ctx context.Context) ([]*MergeConflict, error)
	// ResolveMergeConflict resolves a conflict: the errors of
	// MergeConflict.CheckResolution (ECONFLICT "merge.resolved" for the
	// second of two operators resolving one conflict), ENOTFOUND
	// "merge.not_found", EFORBIDDEN without the role.
	ResolveMergeConflict(ctx context.Context, r MergeResolution) error
}
