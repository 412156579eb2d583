package domain

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Retention (issue 18, "Retention and erasure"; GDPR Art. 5(1)(e)): one
// rule per kind of data, with a period and what happens at its end.

// RetentionKind names a kind of data a retention rule covers.
type RetentionKind string

// The kinds of data with a retention rule.
const (
	RetentionInboundMail       RetentionKind = "inbound_mail"       // helpdesk mail as received
	RetentionRegisterSnapshots RetentionKind = "register_snapshots" // registers' answers and old imports
	RetentionRoleRequests      RetentionKind = "role_requests"      // rejected and expired requests
	RetentionSignInAttempts    RetentionKind = "sign_in_attempts"   // operators' sign-in attempts
	RetentionOutboxBodies      RetentionKind = "outbox_bodies"      // sent and failed e-mails
	RetentionAudit             RetentionKind = "audit"              // audit entries
)

// RetentionKinds lists the kinds in the order they are shown and swept.
var RetentionKinds = []RetentionKind{RetentionInboundMail, RetentionRegisterSnapshots, RetentionRoleRequests,
	RetentionSignInAttempts, RetentionOutboxBodies, RetentionAudit}

// RetentionAction is what happens to data at the end of its period.
type RetentionAction string

// The actions: delete the rows, or keep a minimal record without the
// personal data.
const (
	RetentionDelete   RetentionAction = "delete"
	RetentionMinimise RetentionAction = "minimise"
)

// RetentionActions are the actions each kind allows: a role request is
// named by its events and acceptances, and an audit entry by the chain,
// so both are only minimised; a register snapshot has nothing worth
// keeping.
var RetentionActions = map[RetentionKind][]RetentionAction{
	RetentionInboundMail:       {RetentionDelete, RetentionMinimise},
	RetentionRegisterSnapshots: {RetentionDelete},
	RetentionRoleRequests:      {RetentionMinimise},
	RetentionSignInAttempts:    {RetentionDelete, RetentionMinimise},
	RetentionOutboxBodies:      {RetentionDelete, RetentionMinimise},
	RetentionAudit:             {RetentionMinimise},
}

// RetentionAuditFloor is the shortest period the audit rule may have: the
// database refuses a shorter one too (migration 0320).
const RetentionAuditFloor = 365 // days

// RetentionPeriod is a period in months and days (a year is 12 months).
type RetentionPeriod struct {
	Months, Days int
}

// ParseRetentionPeriod reads "7y", "18m" or "90d". It returns EINVALID
// "retention.bad_period" for anything else, or a period of zero.
func ParseRetentionPeriod(s string) (RetentionPeriod, error) {
	bad := Errorf(EINVALID, "retention.bad_period", "a period is a number of years, months or days: 7y, 18m, 90d")
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return RetentionPeriod{}, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 100*366 {
		return RetentionPeriod{}, bad
	}
	switch s[len(s)-1] {
	case 'y':
		return RetentionPeriod{Months: 12 * n}, nil
	case 'm':
		return RetentionPeriod{Months: n}, nil
	case 'd':
		return RetentionPeriod{Days: n}, nil
	}
	return RetentionPeriod{}, bad
}

// String writes the period as ParseRetentionPeriod reads it (months and
// days both: "12m+5d").
func (p RetentionPeriod) String() string {
	var parts []string
	switch {
	case p.Months > 0 && p.Months%12 == 0:
		parts = append(parts, strconv.Itoa(p.Months/12)+"y")
	case p.Months > 0:
		parts = append(parts, strconv.Itoa(p.Months)+"m")
	}
	if p.Days > 0 || len(parts) == 0 {
		parts = append(parts, strconv.Itoa(p.Days)+"d")
	}
	return strings.Join(parts, "+")
}

// Before returns the end of the period that ends at now: data older than
// it is past its period.
func (p RetentionPeriod) Before(now time.Time) time.Time {
	return now.AddDate(0, -p.Months, -p.Days)
}

// RetentionRule is one kind's period and what happens at its end.
type RetentionRule struct {
	Kind      RetentionKind
	Period    RetentionPeriod
	Action    RetentionAction
	UpdatedAt time.Time
	UpdatedBy string
}

// Validate checks the kind, that the kind allows the action, and the
// audit rule's floor. It returns EINVALID "retention.unknown_kind",
// "retention.action_not_allowed", "retention.bad_period" or
// "retention.audit_floor".
func (r RetentionRule) Validate() error {
	allowed, ok := RetentionActions[r.Kind]
	if !ok {
		return Errorf(EINVALID, "retention.unknown_kind", "unknown kind of data %q", string(r.Kind))
	}
	if !slices.Contains(allowed, r.Action) {
		return Errorf(EINVALID, "retention.action_not_allowed", "%s cannot be %sd", string(r.Kind), string(r.Action))
	}
	if r.Period.Months < 0 || r.Period.Days < 0 || r.Period.Months+r.Period.Days == 0 {
		return Errorf(EINVALID, "retention.bad_period", "the period must be positive")
	}
	if r.Kind == RetentionAudit && r.Period.Months*31+r.Period.Days < RetentionAuditFloor {
		return Errorf(EINVALID, "retention.audit_floor", "audit entries are kept at least a year")
	}
	return nil
}

// RetentionCount is how many items of one kind are past their period: a
// dry run's answer, and a sweep's per kind. It holds no personal data.
type RetentionCount struct {
	Kind   RetentionKind
	Action RetentionAction
	Before time.Time // the period's end: older items go
	Count  int64
}

// RetentionService reads and changes the retention rules and says what
// the retention sweep would do.
type RetentionService interface {
	// RetentionRules returns every kind's rule, in RetentionKinds order.
	// It returns EUNAVAILABLE when the database does not answer.
	RetentionRules(ctx context.Context) ([]*RetentionRule, error)
	// SetRetentionRule changes a kind's rule and records it in the audit
	// log. It needs an administrator or the command line
	// (EUNAUTHORIZED, EFORBIDDEN) and returns Validate's errors.
	SetRetentionRule(ctx context.Context, r RetentionRule) (*RetentionRule, error)
	// RetentionPlan counts, per kind, what a sweep at now would delete or
	// minimise, changing nothing. It returns EUNAVAILABLE when the
	// database does not answer.
	RetentionPlan(ctx context.Context, now time.Time) ([]RetentionCount, error)
}
