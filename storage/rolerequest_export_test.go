package storage

import "context"

// ResendConfirmationToken is ResendConfirmation returning the new token,
// which the tests have no mailbox to read from.
func (s *RoleRequestService) ResendConfirmationToken(ctx context.Context, id int64) (string, error) {
	return s.resendConfirmation(ctx, id)
}
