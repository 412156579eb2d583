package domain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// PolicyService keeps the versioned target-group policy (¶26.4). An editor
// or admin drafts a new version; it takes effect from its effective date
// once a second operator (not the drafter, whatever the session) approves
// it. An approved version never changes; the checker uses the approved
// version with the latest effective date not after the check date, and
// every decision records the version's id. Every method needs an editor or
// an administrator (see Actor.IsOperator).
type PolicyService interface {
	// ListPolicies returns every version, newest first.
	ListPolicies(ctx context.Context) ([]*EligibilityPolicy, error)
	// FindPolicy returns one version. ENOTFOUND "imk.policy_not_found".
	FindPolicy(ctx context.Context, id int64) (*EligibilityPolicy, error)
	// PolicyInForce returns the approved version in force at at.
	// EINTERNAL "imk.no_policy" when none is.
	PolicyInForce(ctx context.Context, at time.Time) (*EligibilityPolicy, error)
	// DraftPolicy validates p and stores it as a draft with the next
	// version number, drafted by the acting operator (editor or admin).
	// EINVALID "imk.policy_invalid" or "imk.policy_name_required";
	// EUNAUTHORIZED "imk.policy_no_operator"; EFORBIDDEN
	// "imk.policy_not_editor".
	DraftPolicy(ctx context.Context, p *EligibilityPolicy) (*EligibilityPolicy, error)
	// ApprovePolicy approves a draft, in force from effectiveFrom (now
	// when zero; never in the past). The approver is an editor or admin
	// other than the drafter. EFORBIDDEN "imk.policy_own_draft";
	// ECONFLICT "imk.policy_not_draft"; EINVALID "imk.policy_past";
	// ENOTFOUND "imk.policy_not_found"; and the errors of DraftPolicy's
	// operator check.
	ApprovePolicy(ctx context.Context, id int64, effectiveFrom time.Time) (*EligibilityPolicy, error)
	// DiscardPolicy deletes a draft. ECONFLICT "imk.policy_not_draft";
	// ENOTFOUND "imk.policy_not_found".
	DiscardPolicy(ctx context.Context, id int64) error
}

// ApprovalBlocker returns why the operator with id operatorID may not
// approve p, or nil when they may: ECONFLICT "imk.policy_not_draft" once
// it is approved, EFORBIDDEN "imk.policy_own_draft" for its drafter
// (four eyes by operator, not by session). The screen asks it to offer
// the key, storage before it writes.
func (p *EligibilityPolicy) ApprovalBlocker(operatorID int64) error {
	switch {
	case p.State != PolicyDraft:
		return p.CheckDraft()
	case p.DraftedBy == operatorID:
		return Errorf(EFORBIDDEN, "imk.policy_own_draft", "the drafter cannot approve their own policy version")
	}
	return nil
}

// PolicyNameMaxLength bounds a policy version's name, in characters.
const PolicyNameMaxLength = 200

// NewPolicyDraft returns p as the draft the operator with id by makes at
// now, its name trimmed: checked by Validate (EINVALID
// "imk.policy_invalid"), and named (EINVALID "imk.policy_name_required"
// for no name or one over PolicyNameMaxLength characters). Its AutoReject
// comes in EligibilityRules' order (never nil) and its PriorityCombine is
// "or" or "and". The version number is the next one, which whoever stores
// it gives.
func NewPolicyDraft(p *EligibilityPolicy, by int64, now time.Time) (*EligibilityPolicy, error) {
	d := *p
	d.Name = strings.TrimSpace(d.Name)
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if d.Name == "" || utf8.RuneCountInString(d.Name) > PolicyNameMaxLength {
		return nil, Errorf(EINVALID, "imk.policy_name_required", "give the policy a name of at most %d characters", PolicyNameMaxLength)
	}
	// The rules that reject automatically, in EligibilityRules' order,
	// each once; none is an empty list, not nil.
	auto := []string{}
	for _, r := range EligibilityRules {
		if d.AutoRejects(r) {
			auto = append(auto, r)
		}
	}
	d.AutoReject, d.PriorityCombine = auto, d.Combine()
	d.ID, d.Version, d.State, d.DraftedBy, d.CreatedAt = 0, 0, PolicyDraft, by, now
	d.ApprovedBy, d.ApprovedByName, d.EffectiveFrom = 0, "", time.Time{}
	return &d, nil
}

// CheckDraft returns ECONFLICT "imk.policy_not_draft" unless p is still a
// draft: an approved version never changes.
func (p *EligibilityPolicy) CheckDraft() error {
	if p.State != PolicyDraft {
		return Errorf(ECONFLICT, "imk.policy_not_draft", "policy version %d is approved and cannot be changed", p.Version)
	}
	return nil
}

// PolicyEffectiveFrom returns when a version approved at now with the
// effective date asked takes effect: now when none is asked, otherwise the
// date asked (to the microsecond, as stored), which may not be in the
// past (EINVALID "imk.policy_past").
func PolicyEffectiveFrom(asked, now time.Time) (time.Time, error) {
	if asked.IsZero() {
		return now, nil
	}
	from := asked.UTC().Truncate(time.Microsecond)
	if from.Before(now) {
		return time.Time{}, Errorf(EINVALID, "imk.policy_past", "a policy cannot take effect in the past")
	}
	return from, nil
}

// PolicyInForceAt returns, of the versions given, the approved one with the
// latest effective date not after at (of two from the same date, the
// higher version): the one the checker uses at that time; nil when none.
func PolicyInForceAt(versions []*EligibilityPolicy, at time.Time) *EligibilityPolicy {
	var best *EligibilityPolicy
	for _, p := range versions {
		if p.State != PolicyApproved || p.EffectiveFrom.After(at) {
			continue
		}
		if best == nil || p.EffectiveFrom.After(best.EffectiveFrom) ||
			p.EffectiveFrom.Equal(best.EffectiveFrom) && p.Version > best.Version {
			best = p
		}
	}
	return best
}
