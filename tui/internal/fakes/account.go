package fakes

import (
	"context"

	"github.com/viaa/ppp/domain"
)

// ResetAccounts and Privileged describe the Platform accounts a reset
// started from a person's account may concern (Defence.StartAccountReset);
// ResetsSent records the accounts whose link went out at once, with the
// reason.
type accountResets struct {
	ResetAccounts map[int64]domain.ResetAccount
	Privileged    map[int64]bool
	ResetsSent    map[int64]string
}

// StartAccountReset applies domain.CheckAccountReason and
// ResetAccount.ResetBlocker; a privileged account's reset joins Resets
// (ECONFLICT "account.reset_pending" when one waits), another's is
// recorded in ResetsSent.
func (f *Defence) StartAccountReset(ctx context.Context, userID int64, reason string) (out *domain.AccountResetResult, err error) {
	err = f.locked(func() error {
		reason, err := domain.CheckAccountReason(reason)
		if err != nil {
			return err
		}
		acc, ok := f.ResetAccounts[userID]
		if !ok {
			return domain.Errorf(domain.ENOTFOUND, "defence.no_such_user", "no Platform user %d", userID)
		}
		if err := acc.ResetBlocker(); err != nil {
			return err
		}
		if !f.Privileged[userID] {
			if f.ResetsSent == nil {
				f.ResetsSent = map[int64]string{}
			}
			f.ResetsSent[userID] = reason
			out = &domain.AccountResetResult{}
			return nil
		}
		for _, r := range f.Resets {
			if r.AccountKind == "platform_user" && r.AccountID == userID && r.State == "pending" {
				return domain.Errorf(domain.ECONFLICT, "account.reset_pending", "a reset of this account already waits for a second person")
			}
		}
		a := domain.ActorFrom(ctx)
		p := &domain.PendingReset{ID: int64(len(f.Resets) + 1), AccountKind: "platform_user", AccountID: userID,
			RequestedBy: a.OperatorID, RequestedName: f.ref(a).Name, RequestedAt: f.clock(), State: "pending", Reason: reason}
		f.Resets = append(f.Resets, p)
		out = &domain.AccountResetResult{Held: true, PendingID: p.ID}
		return nil
	})
	return out, err
}

// AccountEmailChanges lists the account's requests, newest first.
func (f *Defence) AccountEmailChanges(ctx context.Context, userID int64) (out []*domain.EmailChange, err error) {
	err = f.locked(func() error {
		for i := len(f.Changes) - 1; i >= 0; i-- {
			if c := f.Changes[i]; c.UserID == userID {
				cp := *c
				if cp.State == domain.EmailChangePending && !f.clock().Before(cp.ExpiresAt) {
					cp.State = domain.EmailChangeExpired
				}
				out = append(out, &cp)
			}
		}
		return nil
	})
	return out, err
}
