package domain

import (
	"context"
	"time"
)

// AuditEntry is one line of the append-only, hash-chained audit log
// (GDPR Art. 5(2) accountability and Art. 32 security of processing; not ¶19
// of the terms, which is the user's own responsibility): when, who, from where, what, and why.
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
	Text        string // matched against action, actor, subject, reason, details; at least AuditTextMin characters
	Action      string // prefix, e.g. "auth."
	Actor       string
	SubjectKind string // exact, e.g. "role_request"; with SubjectID, one subject's entries
	SubjectID   string // exact; only with SubjectKind
	Since       time.Time
	Until       time.Time
	BeforeSeq   int64
	Limit       int
}

// AuditTextMin is the shortest free-text search of the audit log, in
// characters: a shorter text would have to be looked for in every entry.
const AuditTextMin = 3

// AuditVerification is the result of checking the chain.
type AuditVerification struct {
	// Entries is how many entries the log holds up to its head, all of
	// them covered: recomputed by this run, or by an earlier one it
	// resumed after.
	Entries int64
	// HeadHash is the hash of the last entry, hex (64 zeros for an empty
	// log), when OK: what a checkpoint of this verification signs.
	HeadHash string
	// Recomputed is how many entries this run recomputed.
	Recomputed int64
	// Redacted is how many of them were redacted past their retention
	// period (migration 0320): their seal was recomputed, not their hash.
	Redacted int64
	// ResumedAfter is the entry an earlier verification ended at, which
	// this run took as verified (0: it recomputed the chain from the
	// first entry); ResumedAt is when that verification ran.
	ResumedAfter int64
	ResumedAt    time.Time
	OK           bool
	FirstBad     int64  // Seq of the first entry that does not fit, when !OK
	Problem      string // English description of what is wrong
	// Checkpoints is how many checkpoints the chain was compared with.
	Checkpoints int
	// Contradicted is the first checkpoint (by sequence) the log does not
	// agree with, when !OK for that reason: its entry has another hash
	// now, or no longer exists. AgreedUpTo is then the newest checkpoint
	// before it that the log still agrees with (0 for none): whatever was
	// rewritten lies after it.
	Contradicted *AuditCheckpoint
	AgreedUpTo   int64
	// Truncated reports that the log ends before Contradicted's entry:
	// entries from FirstBad on were removed.
	Truncated bool
}

// AuditVerifyOptions say how far back a verification goes. By default it
// resumes after the entry where the last successful verification ended,
// provided that entry still has the hash it had then; Full, or any
// checkpoint, recomputes the chain from the first entry.
type AuditVerifyOptions struct {
	Full bool
	// Checkpoints, already checked against their signature, are compared
	// with the recomputed chain: each must name an entry that exists and
	// whose hash is the one signed.
	Checkpoints []AuditCheckpoint
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
