// Package lookups tells the misuse defence (issue 9) which personal records
// an operator looks at: a record opened (RecordView) and a personal code
// revealed (RecordReveal). The reviewers' queues (role requests, IMK
// applications) share it.
package lookups

import (
	"context"

	"github.com/viaa/ppp/domain"
)

// PersonKey is the key a person's record is counted under for the misuse
// alerts (issue 9): domain.PersonKey, the one the services count searches
// by personal code under too.
func PersonKey(code string) string { return domain.PersonKey(code) }

// RecordView notes that the operator opened a person's record, for the
// alert on bulk look-ups; without the service or a code it does nothing.
// Its failure never keeps the record from the operator.
func RecordView(ctx context.Context, def domain.DefenceService, code string) {
	if def == nil {
		return
	}
	if k := PersonKey(code); k != "" {
		_ = def.RecordView(ctx, k)
	}
}

// revealRecorder is the part of a DefenceService that checks, right after
// a "personal_data.reveal" audit entry, whether the operator went over the
// threshold of revealed codes (storage.DefenceService has it).
type revealRecorder interface {
	RecordReveal(ctx context.Context) error
}

// RecordReveal asks the service, when it can, to check the reveals; its
// failure never hides the code already recorded as seen.
func RecordReveal(ctx context.Context, def domain.DefenceService) {
	if r, ok := def.(revealRecorder); ok && def != nil {
		_ = r.RecordReveal(ctx)
	}
}
