package domain

import (
	"context"
	"time"
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
		return Errorf(ECONFLICT, "imk.policy_not_draft", "policy version %d is approved and cannot be changed", p.Version)
	case p.DraftedBy == operatorID:
		return Errorf(EFORBIDDEN, "imk.policy_own_draft", "the drafter cannot approve their own policy version")
	}
	return nil
}
