package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

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
	e.ActorName = maskPersonalCodes(auditText(e.ActorName))
	e.SessionID = auditText(e.SessionID)
	e.RemoteAddr = auditText(e.RemoteAddr)
	e.Action = auditText(e.Action)
	e.SubjectKind = auditText(e.SubjectKind)
	e.SubjectID = maskPersonalCodes(auditText(e.SubjectID))
	e.Reason = maskPersonalCodes(auditText(e.Reason))
	e.Details = maskPersonalCodes(auditText(e.Details))
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

// SearchAudit returns the entries matching f, newest first, at most
// f.Limit of them (50 when zero, never more than 500). It pages by
// sequence number: pass the smallest Seq of one page as f.BeforeSeq to get
// the next. f.Action matches a prefix, f.Actor an actor name exactly, and
// f.Text any part of the action, actor, subject, reason or details,
// ignoring case; f.Since is inclusive and f.Until exclusive.
//
// The log holds personal codes only masked (prepareAudit), so a text can
// match no more of a code than the screens show. A text that is a whole
// personal code (either form, with or without the hyphen) finds instead
// the entries about that person: their role requests, IMK applications,
// Platform account and its denials; finding any counts as a look-up of
// the person for the misuse alerts (recordLookup). It returns the
// personal-code errors (EINVALID) for a mistyped whole code, the errors of
// the role check (see AuditService), and EUNAVAILABLE when the database
// does not answer.
func (s *AuditService) SearchAudit(ctx context.Context, f domain.AuditFilter) ([]*domain.AuditEntry, error) {
	me, err := loadCaller(ctx, s.db.pool, auditGuard, domain.RoleAdmin, domain.RoleSecurity)
	if err != nil {
		return nil, err
	}
	text := strings.TrimSpace(f.Text)
	var codes []string
	if n, ok := domain.ParseNumberSearch(text); ok && len(n.Digits) == 11 {
		switch {
		case n.Code != "":
			codes, text = n.CodeForms(), ""
		case codeShaped(n.Digits):
			// A mistyped code: say so, rather than match what the mask
			// leaves of other people's.
			return nil, n.Whole()
		}
	}
	// Entries written but not yet chained are chained first, so that the
	// search finds every one.
	if _, err := s.SealAudit(ctx); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.BeforeSeq > 0 {
		where = append(where, "seq < "+arg(f.BeforeSeq))
	}
	if f.Action != "" {
		where = append(where, "action LIKE "+arg(likeEscape(f.Action)+"%"))
	}
	if f.Actor != "" {
		where = append(where, "actor_name = "+arg(f.Actor))
	}
	if !f.Since.IsZero() {
		where = append(where, "at >= "+arg(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, "at < "+arg(f.Until))
	}
	if text != "" {
		where = append(where, `concat_ws(E'\x1f', action, actor_name, subject_kind, subject_id, reason, details) ILIKE `+
			arg("%"+likeEscape(maskPersonalCodes(text))+"%"))
	}
	if codes != nil {
		where = append(where, auditAboutPerson(arg(codes)))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = auditDefaultLimit
	}
	limit = min(limit, auditMaxLimit)

	sql := `SELECT seq, at, actor_id, actor_name, session_id, remote_addr,
	               action, subject_kind, subject_id, reason, details, hash
	          FROM audit_log`
	if len(where) > 0 {
		sql += "\n WHERE " + strings.Join(where, "\n   AND ")
	}
	sql += "\n ORDER BY seq DESC\n LIMIT " + arg(limit)

	rows, err := s.db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, dbError("search audit log", err)
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.AuditEntry, error) {
		var e domain.AuditEntry
		var actorID *int64
		var hash []byte
		err := row.Scan(&e.Seq, &e.At, &actorID, &e.ActorName, &e.SessionID, &e.RemoteAddr,
			&e.Action, &e.SubjectKind, &e.SubjectID, &e.Reason, &e.Details, &hash)
		if actorID != nil {
			e.ActorID = *actorID
		}
		e.At = e.At.UTC()
		e.Hash = hex.EncodeToString(hash)
		return &e, err
	})
	if err != nil {
		return nil, dbError("search audit log", err)
	}
	if len(entries) > 0 && codes != nil {
		if err := recordLookup(ctx, s.db, me, codes[0]); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// auditAboutPerson is the condition on an audit entry that it concerns the
// person whose personal code, in its written forms, is the parameter p:
// one of their role requests, IMK applications or Platform accounts, or a
// denial of such an account.
func auditAboutPerson(p string) string {
	return `(
	    (subject_kind = 'role_request' AND subject_id IN (
	        SELECT id::text FROM role_requests WHERE personal_code <> '' AND personal_code = ANY (` + p + `::text[])))
	 OR (subject_kind = 'imk_application' AND subject_id IN (
	        SELECT id::text FROM imk_applications WHERE personal_code = ANY (` + p + `::text[])))
	 OR (subject_kind = 'platform_user' AND subject_id IN (
	        SELECT id::text FROM platform_users WHERE personal_code = ANY (` + p + `::text[])))
	 OR (subject_kind = 'denial' AND subject_id IN (
	        SELECT d.id::text FROM denials d JOIN platform_users u ON u.id = d.subject_id
	         WHERE d.subject_kind = 'platform_user' AND u.personal_code = ANY (` + p + `::text[]))))`
}

// likeEscape escapes the wildcards of LIKE in s.
func likeEscape(s string) string {
	return likeEscaper.Replace(s)
}

// VerifyAudit recomputes the whole chain in Go, independently of the
// trigger that wrote it, from one snapshot of the database: the sequence
// numbers must run 1, 2, 3 … without a gap, each entry must name the hash
// of the one before it (32 zero bytes for the first), each hash must match
// the entry's contents, and the head must name the last entry and its
// hash, so that removing the newest entries is noticed too. It stops at the
// first entry that does not fit and reports its Seq with an English
// description. It returns an error only when the database cannot be read
// (EUNAVAILABLE, or the context's error).
func (s *AuditService) VerifyAudit(ctx context.Context) (*domain.AuditVerification, error) {
	if _, err := loadCaller(ctx, s.db.pool, auditGuard, domain.RoleAdmin, domain.RoleSecurity); err != nil {
		return nil, err
	}
	if _, err := s.SealAudit(ctx); err != nil {
		return nil, err
	}
	v := &domain.AuditVerification{OK: true}
	fail := func(seq int64, format string, args ...any) {
		v.OK, v.FirstBad, v.Problem = false, seq, fmt.Sprintf(format, args...)
	}
	err := s.db.readTx(ctx, "verify audit log", func(tx *Tx) error {
		var headSeq int64
		var headHash []byte
		err := tx.QueryRow(ctx, "SELECT seq, hash FROM audit_head").Scan(&headSeq, &headHash)
		if errors.Is(err, pgx.ErrNoRows) {
			fail(1, "the audit log's head row is missing")
			return nil
		} else if err != nil {
			return dbError("verify audit log: read head", err)
		}

		rows, err := tx.Query(ctx, `
			SELECT seq, at, actor_id, actor_name, session_id, remote_addr,
			       action, subject_kind, subject_id, reason, details, prev_hash, hash
			  FROM audit_log
			 ORDER BY seq`)
		if err != nil {
			return dbError("verify audit log", err)
		}
		defer rows.Close()

		prev := make([]byte, sha256.Size) // the first entry follows 32 zero bytes
		want := int64(1)
		var e domain.AuditEntry
		var actorID *int64
		var prevHash, hash []byte
		var canonical bytes.Buffer
		for rows.Next() {
			err := rows.Scan(&e.Seq, &e.At, &actorID, &e.ActorName, &e.SessionID, &e.RemoteAddr,
				&e.Action, &e.SubjectKind, &e.SubjectID, &e.Reason, &e.Details, &prevHash, &hash)
			if err != nil {
				return dbError("verify audit log", err)
			}
			v.Entries++
			e.ActorID = 0
			if actorID != nil {
				e.ActorID = *actorID
			}
			if e.Seq != want {
				fail(want, "entry %d is missing: the entry after %d is %d", want, want-1, e.Seq)
				return nil
			}
			if !bytes.Equal(prevHash, prev) {
				fail(e.Seq, "entry %d does not follow entry %d: the previous hash it records differs", e.Seq, e.Seq-1)
				return nil
			}
			canonical.Reset()
			writeAuditCanonical(&canonical, &e, actorID != nil)
			h := sha256.New()
			h.Write(prev)
			h.Write(canonical.Bytes())
			if sum := h.Sum(nil); !bytes.Equal(sum, hash) {
				fail(e.Seq, "entry %d was altered: its hash does not match its contents", e.Seq)
				return nil
			}
			prev = append(prev[:0], hash...)
			want++
		}
		if err := rows.Err(); err != nil {
			return dbError("verify audit log", err)
		}

		last := want - 1
		switch {
		case headSeq > last:
			fail(last+1, "entry %d is missing: the log ends at entry %d but its head records %d entries", last+1, last, headSeq)
		case headSeq < last:
			fail(headSeq+1, "the head records %d entries but the log has %d: the head was altered", headSeq, last)
		case !bytes.Equal(headHash, prev):
			fail(max(last, 1), "the head's hash does not match entry %d: the head or the entry was altered", last)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// writeAuditCanonical writes the canonical text of e, as the trigger
// audit_log_chain computes it: the fields joined by U+001F, the time in
// UTC to the microsecond, a missing actor id as the empty string.
func writeAuditCanonical(b *bytes.Buffer, e *domain.AuditEntry, hasActorID bool) {
	b.WriteString(strconv.FormatInt(e.Seq, 10))
	b.WriteString(auditSeparator)
	b.WriteString(e.At.UTC().Format(auditTimeLayout))
	b.WriteString(auditSeparator)
	if hasActorID {
		b.WriteString(strconv.FormatInt(e.ActorID, 10))
	}
	for _, f := range []string{e.ActorName, e.SessionID, e.RemoteAddr, e.Action,
		e.SubjectKind, e.SubjectID, e.Reason, e.Details} {
		b.WriteString(auditSeparator)
		b.WriteString(f)
	}
}
