package domain

import (
	"context"
	"time"
)

// AuditEntry is one line of the append-only, hash-chained audit log
// (¶19, ¶20): when, who, from where, what, and why.
type AuditEntry struct {
	Seq         int64 // contiguous, 1-based position in the chain
	At          time.Time
	ActorID     int64 // 0 for the command line and the system
	ActorName   string
	SessionID   string
	RemoteAddr  string
	Action      string // e.g. "operator.create", "auth.failure"
	SubjectKind string // e.g. "operator"
	SubjectID   string
	Reason      string
	Details     string // free text without personal data, or masked
	Hash        string // hex SHA-256 of the previous hash and this entry
}

// AuditFilter narrows a search of the audit log. Results come newest first;
// BeforeSeq pages backwards (keyset): only entries with Seq < BeforeSeq.
type AuditFilter struct {
	Text      string // matched against action, actor, subject, reason, details
	Action    string // prefix, e.g. "auth."
	Actor     string
	Since     time.Time
	Until     time.Time
	BeforeSeq int64
	Limit     int
}

// AuditVerification is the result of checking the whole chain.
type AuditVerification struct {
	Entries  int64
	OK       bool
	FirstBad int64  // Seq of the first entry that does not fit, when !OK
	Problem  string // English description of what is wrong
}

// AuditService searches and verifies the audit log. Entries are written by
// the services themselves, inside the transaction of the change. Searching
// and verifying need an administrator or a security officer, recording an
// entry (a reveal) a reviewer (see Actor.IsOperator).
type AuditService interface {
	// SearchAudit returns entries matching f, newest first.
	SearchAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	// VerifyAudit recomputes the chain from the first entry to the last.
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
	// RecordAudit appends a stand-alone entry (e.g. a reveal of personal
	// data with its reason). EINVALID when action is empty.
	RecordAudit(ctx context.Context, e *AuditEntry) error
}
