package storage

import (
	"context"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

// Limits of SearchAudit.
const (
	auditDefaultLimit = 50
	auditMaxLimit     = 500
)

// auditSeparator joins the fields of an entry's canonical text; see
// migrations/0003_audit_log.sql.
const auditSeparator = "\x1f"

// auditTimeLayout is the canonical form of an entry's time, the Go
// spelling of to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"').
const auditTimeLayout = "2006-01-02T15:04:05.000000Z"

// AuditService searches and verifies the audit log. It implements
// domain.AuditService. Searching and verifying need an administrator or a
// security officer, recording an entry a reviewer, or the back office
// itself (EUNAUTHORIZED "access.no_operator", EFORBIDDEN
// "audit.forbidden").
type AuditService struct {
	db *DB
	textIndexState
}

var _ domain.AuditService = (*AuditService)(nil)

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// appendAudit appends e to the audit log inside tx, so that the entry
// commits or rolls back with the change it records. The actor fields left
// empty in e are filled from the actor in ctx, the time is the
// transaction's, and personal codes in the subject, the reason and the
// details are masked. The trigger on audit_log sets the sequence number and
// the hashes; they are written back into e.
//
// Appends serialise until the appending transaction ends, so call it as the
// last statement before commit.
func appendAudit(ctx context.Context, tx *Tx, e *domain.AuditEntry) error {
	if err := prepareAudit(ctx, tx.now, e); err != nil {
		return err
	}
	var actorID *int64
	if e.ActorID > 0 {
		actorID = &e.ActorID
	}
	var hash []byte
	err := tx.QueryRow(ctx, `
		INSERT INTO audit_log (at, actor_id, actor_name, session_id, remote_addr,
		                       action, subject_kind, subject_id, reason, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING seq, hash`,
		e.At, actorID, e.ActorName, e.SessionID, e.RemoteAddr,
		e.Action, e.SubjectKind, e.SubjectID, e.Reason, e.Details,
	).Scan(&e.Seq, &hash)
	if err != nil {
		return dbError("append audit entry "+e.Action, err)
	}
	e.Hash = hex.EncodeToString(hash)
	return nil
}

// prepareAudit makes e ready to be inserted at time at, as appendAudit
// does, for the statements that write their audit entry themselves (a
// data-modifying WITH that claims and audits in one round trip): the
// actor fields left empty are filled from the actor in ctx, and personal
// codes are masked.
func prepareAudit(ctx context.Context, at time.Time, e *domain.AuditEntry) error {
	if strings.TrimSpace(e.Action) == "" {
		return domain.Errorf(domain.EINVALID, "audit.no_action", "an audit entry needs an action")
	}
	if e.ActorName == "" {
		a := domain.ActorFrom(ctx)
		e.ActorID, e.ActorName = a.OperatorID, a.Name
		if e.SessionID == "" {
			e.SessionID = a.SessionID
		}
		if e.RemoteAddr == "" {
			e.RemoteAddr = a.RemoteAddr
		}
	}
	e.At = at
	cleanAuditEntry(e)
	return nil
}

// auditText makes s storable and unambiguous in the chain: valid UTF-8,
// without NUL (which text cannot hold) and without the field separator.
func auditText(s string) string {
	return auditCleaner.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// auditCleaner and likeEscaper are built once: a Replacer is safe for
// concurrent use, and building one costs more than most replacements.
var (
	auditCleaner = strings.NewReplacer("\x00", "", auditSeparator, " ")
	likeEscaper  = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
)

// digitRun finds maximal runs of digits; maskPersonalCodes looks at each
// as a whole, and at pairs of runs joined by one separator, so that a
// personal code inside a longer number is not mistaken for one.
var digitRun = regexp.MustCompile(`[0-9]+`)

// maskPersonalCodes replaces every personal code in s by its masked form
// ("180565-*****"). A code is a run of eleven digits, or a run of six and
// one of five joined by a hyphen, a space or a dot (as people write them),
// with the shape of one: DDMMYY-CNNNN (day 0–3, month 0–1, century 0–2)
// or the new form 3XNNNN-NNNNN (X 2–9). Company registration numbers,
// which begin with 4, 5 or 9, are left alone; any other eleven digits that
// happen to fit are masked all the same, since the audit log must never
// hold a personal code in full: its search could then find the digits the
// screens hide.
func maskPersonalCodes(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	runs := digitRun.FindAllStringIndex(s, -1)
	var b strings.Builder
	last := 0
	for i := 0; i < len(runs); i++ {
		start, end := runs[i][0], runs[i][1]
		d := s[start:end]
		if len(d) == 6 && i+1 < len(runs) {
			next := runs[i+1]
			if next[0] == end+1 && next[1]-next[0] == 5 && strings.ContainsRune("-. ", rune(s[end])) {
				d += s[next[0]:next[1]]
				end = next[1]
			}
		}
		if len(d) != 11 || !codeShaped(d) {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(domain.MaskPersonalCode(d))
		last = end
		if end != runs[i][1] {
			i++ // the pair's second run is masked already
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// codeShaped reports whether eleven digits have the shape of a personal
// code of either form.
func codeShaped(d string) bool {
	oldForm := d[0] <= '3' && d[2] <= '1' && d[6] <= '2'
	newForm := d[0] == '3' && d[1] >= '2'
	return oldForm || newForm
}

// RecordAudit appends a stand-alone entry, such as the reveal of a
// person's full personal code with its reason. The actor, session and
// address come from ctx, never from e, and the time from the database
// transaction; e receives its Seq, At and Hash. It returns EINVALID when
// the action is empty and EUNAVAILABLE when the database does not answer.
func (s *AuditService) RecordAudit(ctx context.Context, e *domain.AuditEntry) error {
	e.ActorID, e.ActorName, e.SessionID, e.RemoteAddr = 0, "", "", ""
	return s.db.inTx(ctx, "record audit entry", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, auditGuard, domain.RoleReviewer); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
}

// likeEscape escapes the wildcards of LIKE in s.
func likeEscape(s string) string {
	return likeEscaper.Replace(s)
}
