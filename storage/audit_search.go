package storage

import (
	"context"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// auditTextRecent is how many of the newest entries (before the page) a
// free-text search reads one by one before it asks the trigram index. A
// text found often is found there at once; one found rarely is found
// through the index, whose cost grows with the matches, which are then
// few. (The planner cannot tell the two apart: its estimate for a
// trigram match is a guess.)
const auditTextRecent = 30_000

// auditColumns are the columns of an entry, in the order scanAuditEntry
// reads them.
const auditColumns = `seq, at, actor_id, actor_name, session_id, remote_addr,
	       action, subject_kind, subject_id, reason, details, hash`

// auditTextExpr is the text a free-text search matches: the expression
// of the trigram index audit_log_text_trgm_idx (migration 0111), which
// the planner uses only for this exact expression.
const auditTextExpr = `(action || E'\x1f' || actor_name || E'\x1f' || subject_kind || E'\x1f'
             || subject_id || E'\x1f' || reason || E'\x1f' || details)`

// SearchAudit returns the entries matching f, newest first, at most
// f.Limit of them (50 when zero, never more than 500). It pages by
// sequence number: pass the smallest Seq of one page as f.BeforeSeq to get
// the next. f.Action matches a prefix, f.Actor an actor name exactly,
// f.SubjectKind and f.SubjectID a subject exactly, and f.Text any part of
// the action, actor, subject, reason or details, ignoring case; f.Since is
// inclusive and f.Until exclusive.
//
// Each filter alone is served by an index in the order of the results,
// so a page costs about the same at any depth of any log (issue 15: p99
// under 50 ms at 10,000,000 entries; see README's Measured): operator,
// subject and action by their indexes ending in seq (an action prefix
// is looked up action by action), a time range by turning it into the
// range of seq that holds its entries (migration 0111), and free text by
// the newest entries first and then the trigram index.
//
// The log holds personal codes only masked (prepareAudit), so a text can
// match no more of a code than the screens show. A text that is a whole
// personal code (either form, with or without the hyphen) finds instead
// the entries about that person: their role requests, IMK applications,
// Platform account and its denials; finding any counts as a look-up of
// the person for the misuse alerts (recordLookup). It returns EINVALID
// "audit.search_short" for a text shorter than domain.AuditTextMin, the
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
	if text != "" && utf8.RuneCountInString(text) < domain.AuditTextMin {
		return nil, domain.Errorf(domain.EINVALID, "audit.search_short", "search the audit log for at least %d characters", domain.AuditTextMin)
	}
	// Entries written but not yet chained are chained first, so that the
	// search finds every one.
	if _, err := s.SealAudit(ctx); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = auditDefaultLimit
	}
	limit = min(limit, auditMaxLimit)
	trigrams := text != "" && s.hasTextIndex(ctx)

	var entries []*domain.AuditEntry
	err = s.db.readTx(ctx, "search audit log", func(tx *Tx) error {
		q := &auditQuery{}
		before := f.BeforeSeq
		if !f.Since.IsZero() || !f.Until.IsZero() {
			lo, hi, empty, err := auditSeqBounds(ctx, tx, f.Since, f.Until)
			if err != nil || empty {
				return err
			}
			if lo > 0 {
				q.where("seq >= " + q.arg(lo))
			}
			if hi > 0 && (before <= 0 || hi < before) {
				before = hi + 1
			}
		}
		if !f.Since.IsZero() {
			q.where("at >= " + q.arg(f.Since))
		}
		if !f.Until.IsZero() {
			q.where("at < " + q.arg(f.Until))
		}
		if f.Actor != "" {
			q.where("actor_name = " + q.arg(f.Actor))
		}
		if f.SubjectKind != "" {
			q.where("subject_kind = " + q.arg(f.SubjectKind))
			if f.SubjectID != "" {
				q.where("subject_id = " + q.arg(f.SubjectID))
			}
		}
		if codes != nil {
			q.where(auditAboutPerson(q.arg(codes)))
		}
		var err error
		switch {
		case text != "":
			if f.Action != "" {
				q.where("action LIKE " + q.arg(likeEscape(f.Action)+"%"))
			}
			q.where(auditTextExpr + " ILIKE " + q.arg("%"+likeEscape(maskPersonalCodes(text))+"%"))
			window := int64(auditTextRecent)
			if s.textRecent > 0 {
				window = s.textRecent
			}
			entries, err = searchAuditText(ctx, tx, q, before, limit, window, trigrams)
		case f.Action != "" && f.Actor == "" && f.SubjectKind == "" && codes == nil:
			if before > 0 {
				q.where("seq < " + q.arg(before))
			}
			entries, err = searchAuditActions(ctx, tx, q, f.Action, limit)
		default:
			if f.Action != "" {
				q.where("action LIKE " + q.arg(likeEscape(f.Action)+"%"))
			}
			if before > 0 {
				q.where("seq < " + q.arg(before))
			}
			entries, err = queryAudit(ctx, tx, q.sql(limit), q.args...)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(entries) > 0 && codes != nil {
		if err := recordLookup(ctx, s.db, me, codes[0]); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// auditQuery collects the conditions and arguments of a search.
type auditQuery struct {
	conds []string
	args  []any
}

// arg adds v as an argument and returns its placeholder.
func (q *auditQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *auditQuery) where(cond string) { q.conds = append(q.conds, cond) }

// clone returns a copy of q that can take more conditions without
// changing q.
func (q *auditQuery) clone() *auditQuery {
	return &auditQuery{conds: append([]string(nil), q.conds...), args: append([]any(nil), q.args...)}
}

// clause returns the conditions joined for a WHERE, "true" for none.
func (q *auditQuery) clause() string {
	if len(q.conds) == 0 {
		return "true"
	}
	return strings.Join(q.conds, "\n   AND ")
}

// sql returns the plain search: every condition, newest first.
func (q *auditQuery) sql(limit int) string {
	return "SELECT " + auditColumns + "\n  FROM audit_log\n WHERE " + q.clause() +
		"\n ORDER BY seq DESC\n LIMIT " + q.arg(limit)
}

// auditSeqBounds turns the time range [since, until) (either may be zero)
// into the range of seq that holds its entries: lo is the first entry at
// or after since, hi the last before until, 0 when that side is open or
// the bounds are unknown (then the search reads the log's own times).
// empty reports that no entry can be in the range. See migration 0111
// for why two short ranges of the index on (at, seq) are enough.
func auditSeqBounds(ctx context.Context, tx *Tx, since, until time.Time) (lo, hi int64, empty bool, err error) {
	var late *time.Duration
	err = tx.QueryRow(ctx, `SELECT max_late FROM audit_time_bounds`).Scan(&late)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && late == nil) {
		return 0, 0, false, nil
	} else if err != nil {
		return 0, 0, false, dbError("search audit log: read the time bounds", err)
	}
	// OFFSET 0 keeps the planner from answering max(seq) by walking the
	// primary key from the end, which would read the whole log.
	if !until.IsZero() {
		var s *int64
		err := tx.QueryRow(ctx, `
			SELECT max(seq) FROM (
			    SELECT seq FROM audit_log
			     WHERE at < $1 AND at >= (SELECT max(at) FROM audit_log WHERE at < $1) - $2::interval
			    OFFSET 0) AS near`, until, *late).Scan(&s)
		if err != nil {
			return 0, 0, false, dbError("search audit log: bound the time range", err)
		}
		if s == nil {
			return 0, 0, true, nil
		}
		hi = *s
	}
	if !since.IsZero() {
		var s *int64
		err := tx.QueryRow(ctx, `
			SELECT min(seq) FROM (
			    SELECT seq FROM audit_log
			     WHERE at >= $1 AND at <= (SELECT min(at) FROM audit_log WHERE at >= $1) + $2::interval
			    OFFSET 0) AS near`, since, *late).Scan(&s)
		if err != nil {
			return 0, 0, false, dbError("search audit log: bound the time range", err)
		}
		if s == nil {
			return 0, 0, true, nil
		}
		lo = *s
	}
	return lo, hi, hi > 0 && lo > hi, nil
}

// searchAuditActions returns the newest limit entries whose action begins
// with prefix and that meet q's conditions. Ordering one prefix range of
// the index on (action, seq) by seq would sort every entry of every
// action in it, and walking the log from the end finds a rare action
// only after reading most of it; so it lists the actions in the range
// (one index probe each) and takes the newest seqs of each from the
// index alone, then reads the page's entries. (Asked for whole entries
// per action, the planner guesses each action as common as the average
// and walks the primary key instead: 0.6–0.9 s at 10,000,000 entries
// for a rare one, against about 10 ms this way.)
func searchAuditActions(ctx context.Context, tx *Tx, q *auditQuery, prefix string, limit int) ([]*domain.AuditEntry, error) {
	p := q.arg(likeEscape(prefix) + "%")
	n := q.arg(limit)
	return queryAudit(ctx, tx, `
		WITH RECURSIVE actions (action) AS (
		    (SELECT action FROM audit_log WHERE action LIKE `+p+` ORDER BY action USING ~<~ LIMIT 1)
		  UNION ALL
		    SELECT (SELECT l.action FROM audit_log AS l
		             WHERE l.action ~>~ a.action AND l.action LIKE `+p+`
		             ORDER BY l.action USING ~<~ LIMIT 1)
		      FROM actions AS a WHERE a.action IS NOT NULL
		),
		page AS (
		    SELECT e.seq FROM actions AS a CROSS JOIN LATERAL (
		        SELECT seq
		          FROM audit_log
		         WHERE action = a.action AND `+q.clause()+`
		         ORDER BY seq DESC
		         LIMIT `+n+`) AS e
		     WHERE a.action IS NOT NULL
		     ORDER BY e.seq DESC
		     LIMIT `+n+`
		)
		SELECT `+auditColumns+`
		  FROM page JOIN audit_log USING (seq)
		 ORDER BY seq DESC`, q.args...)
}

// searchAuditText returns the newest limit entries before the entry
// before (0: the end of the log) that meet q's conditions, q holding a
// free-text match: first among the window entries before before, read one by one, then, when those did not fill the page,
// through the trigram index among the older ones. Each step tells the
// planner which way to go (SET LOCAL, for this transaction only).
func searchAuditText(ctx context.Context, tx *Tx, q *auditQuery, before int64, limit int, window int64, trigrams bool) ([]*domain.AuditEntry, error) {
	if before <= 0 {
		if err := tx.QueryRow(ctx, `SELECT seq + 1 FROM audit_head`).Scan(&before); err != nil {
			return nil, dbError("search audit log: read the head", err)
		}
	}
	split := max(before-window, 1)
	recent := q.clone()
	recent.where("seq < " + recent.arg(before))
	recent.where("seq >= " + recent.arg(split))
	if trigrams {
		if _, err := tx.Exec(ctx, `SET LOCAL enable_bitmapscan = off`); err != nil {
			return nil, dbError("search audit log", err)
		}
	}
	entries, err := queryAudit(ctx, tx, recent.sql(limit), recent.args...)
	if err != nil || len(entries) == limit || split <= 1 {
		return entries, err
	}
	older := q.clone()
	older.where("seq < " + older.arg(split))
	if trigrams {
		if _, err := tx.Exec(ctx, `SET LOCAL enable_bitmapscan = on; SET LOCAL enable_indexscan = off`); err != nil {
			return nil, dbError("search audit log", err)
		}
	}
	more, err := queryAudit(ctx, tx, older.sql(limit-len(entries)), older.args...)
	return append(entries, more...), err
}

// queryAudit runs a search and reads its entries (auditColumns).
func queryAudit(ctx context.Context, tx *Tx, sql string, args ...any) ([]*domain.AuditEntry, error) {
	rows, err := tx.Query(ctx, sql, args...)
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
	return entries, nil
}

// hasTextIndex reports whether migration 0111 could build the trigram
// index for free-text searches (it needs pg_trgm). It asks once per
// service.
func (s *AuditService) hasTextIndex(ctx context.Context) bool {
	s.textIndexOnce.Do(func() {
		err := s.db.pool.QueryRow(ctx, `SELECT to_regclass('audit_log_text_trgm_idx') IS NOT NULL`).Scan(&s.textIndex)
		if err != nil {
			s.textIndex = false
		}
	})
	return s.textIndex
}

// textIndexState is AuditService's memory of hasTextIndex, and the
// window of searchAuditText (auditTextRecent when 0; tests make it small).
type textIndexState struct {
	textIndexOnce sync.Once
	textIndex     bool
	textRecent    int64
	verifySplit   int64 // verifySplitMin when 0; tests make it small
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
