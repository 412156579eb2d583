// Package auditgen makes synthetic audit logs for measurements: entries
// shaped like the back office's own (who, what, about whom, why), in the
// proportions years of work would leave, with times that are sometimes
// late against the entries chained before them, as entries that waited
// in audit_pending are. The same seed gives the same log.
package auditgen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/viaa/ppp/domain"
)

// Operators is how many operators act in a generated log.
const Operators = 300

// action is one kind of entry and its share of a log.
type action struct {
	name        string
	weight      int
	subjectKind string
	subjects    int // ids 1…subjects
	reason      bool
}

// actions, by weight out of 10,000, are what a year of the back office
// writes: claims and sign-ins most, policy approvals a few times a year.
var actions = []action{
	{"rolerequest.claim", 2400, "role_request", 1_000_000, false},
	{"auth.sign_in", 1400, "operator", Operators, false},
	{"auth.sign_out", 1300, "operator", Operators, false},
	{"imk.claim", 900, "imk_application", 300_000, false},
	{"imk.check.eligible", 700, "imk_application", 300_000, false},
	{"rolerequest.approve", 500, "role_request", 1_000_000, true},
	{"rolerequest.reject", 250, "role_request", 1_000_000, true},
	{"rolerequest.request_info", 200, "role_request", 1_000_000, true},
	{"helpdesk.claim", 400, "ticket", 200_000, false},
	{"helpdesk.reply", 350, "ticket", 200_000, false},
	{"auth.failure", 300, "operator", Operators, false},
	{"person.reveal", 250, "platform_user", 800_000, true},
	{"imk.approved", 200, "imk_application", 300_000, true},
	{"rolerequest.confirm_email", 300, "role_request", 1_000_000, false},
	{"role.expired", 150, "platform_user", 800_000, false},
	{"sweep.death_check", 50, "sweep", 5_000, false},
	{"helpdesk.category", 120, "ticket", 200_000, false},
	{"auth.lock", 40, "operator", Operators, false},
	{"operator.password", 30, "operator", Operators, false},
	{"operator.roles", 20, "operator", Operators, true},
	{"operator.create", 6, "operator", Operators, false},
	{"alert.raise", 10, "operator", Operators, false},
	{"alert.close", 10, "alert", 20_000, true},
	{"defence.reset_approve", 8, "reset", 20_000, true},
	{"account.email_change", 5, "platform_user", 800_000, true},
	{"terms.publish", 1, "terms", 50, false},
	{"announcement.publish", 3, "announcement", 2_000, false},
	{"imk.policy_approve", 1, "imk_policy", 100, true},
}

// total is the sum of the weights.
var total = func() int {
	n := 0
	for _, a := range actions {
		n += a.weight
	}
	return n
}()

// reasons are what people type as a reason; words recur, as they do.
var reasons = []string{
	"pieteicējs zvanīja par statusu", "dokumenti nav pievienoti", "identitāte apstiprināta pa tālruni",
	"dublikāts", "iestāde lūdza pārskatīt", "nepareiza e-pasta adrese", "termiņš beidzies",
	"caller asked about the status", "documents missing", "duplicate application",
	"suspected misuse, see ticket", "requested by the institution", "wrong e-mail address",
}

// surnames make actor names; first letters make them distinct.
var surnames = []string{"berzina", "kalnins", "ozola", "liepa", "jansons", "krumina", "petersons", "vitols", "zarina", "abolins"}

// Log generates entries of one log: Entry(i) for i = 0, 1, 2 … spreads
// n entries evenly over span ending at end.
type Log struct {
	seed  uint64
	start time.Time
	step  time.Duration
}

// New returns the log of n entries over span, ending at end, for seed.
func New(seed uint64, n int, span time.Duration, end time.Time) *Log {
	step := span / time.Duration(max(n, 1))
	return &Log{seed: seed, start: end.Add(-span).UTC().Truncate(time.Microsecond), step: step}
}

// Actor returns the name of operator i (0 ≤ i < Operators), as entries
// name it.
func Actor(i int) string {
	return fmt.Sprintf("%c.%s%d", 'a'+i%26, surnames[i%len(surnames)], i)
}

// Entry returns entry i: the same for the same seed and i.
func (l *Log) Entry(i int) domain.AuditEntry {
	r := rand.New(rand.NewPCG(l.seed, uint64(i)))
	at := l.start.Add(time.Duration(i) * l.step)
	switch p := r.IntN(100_000); {
	case p < 2_000: // waited in audit_pending for the sealer
		at = at.Add(-time.Duration(r.Int64N(int64(3 * time.Second))))
	case p < 2_001: // waited while no server ran
		at = at.Add(-time.Duration(r.Int64N(int64(30 * time.Minute))))
	}
	a := actions[len(actions)-1]
	w := r.IntN(total)
	for _, c := range actions {
		if w < c.weight {
			a = c
			break
		}
		w -= c.weight
	}
	e := domain.AuditEntry{
		At:          at.Truncate(time.Microsecond),
		Action:      a.name,
		SubjectKind: a.subjectKind,
		SubjectID:   fmt.Sprint(1 + r.IntN(a.subjects)),
	}
	switch p := r.IntN(100); {
	case p < 8:
		e.ActorName = "system"
	case p < 10:
		e.ActorName = "cli:ppp"
	default:
		op := r.IntN(Operators)
		e.ActorID = int64(op + 1)
		e.ActorName = Actor(op)
		e.SessionID = fmt.Sprintf("s%08x", r.Uint32())
		e.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:%d", r.IntN(4), r.IntN(256), 1+r.IntN(254), 1024+r.IntN(60000))
	}
	if a.reason || r.IntN(10) == 0 {
		e.Reason = reasons[r.IntN(len(reasons))]
	}
	switch a.subjectKind {
	case "role_request":
		e.Details = fmt.Sprintf("kind=%s state=%s version=%d", []string{"viss", "iestade", "karjera", "pasvaldiba", "izglitiba"}[r.IntN(5)],
			[]string{"pending", "approved", "rejected", "info_requested"}[r.IntN(4)], 1+r.IntN(6))
	case "operator":
		e.Details = "roles=" + []string{"reviewer", "reviewer,helpdesk", "security", "admin", "editor"}[r.IntN(5)]
	case "ticket":
		e.Details = fmt.Sprintf("ticket #%d category=%s", 1+r.IntN(200_000), []string{"password", "role", "imk", "other"}[r.IntN(4)])
	}
	return e
}
