package storage

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// VerifyAudit recomputes the whole chain from the first entry: it is
// VerifyAuditWith with Full set. It returns what VerifyAuditWith returns.
func (s *AuditService) VerifyAudit(ctx context.Context) (*domain.AuditVerification, error) {
	return s.VerifyAuditWith(ctx, domain.AuditVerifyOptions{Full: true})
}

// VerifyAuditWith recomputes the chain in Go, independently of the
// trigger that wrote it, from one snapshot of the database: the sequence
// numbers must run 1, 2, 3 … without a gap, each entry must name the hash
// of the one before it (32 zero bytes for the first), each hash must match
// the entry's contents, and the head must name the last entry and its
// hash, so that removing the newest entries is noticed too. Pending
// entries are sealed first.
//
// By default it resumes where the last successful verification ended
// (audit_verified, migration 0112), once it has checked that that entry
// still has the hash it had then: a rewrite at or before it whose hashes
// were recomputed shows there. o.Full, or any checkpoint, recomputes from
// the first entry instead. Each checkpoint in o.Checkpoints (whose
// signatures the caller has checked) must name an entry that exists and
// whose recomputed hash is the one signed; the first that does not is
// reported as Contradicted, with the newest one before it that agrees.
// A successful run records where it ended.
//
// It stops at the first problem and reports its Seq with an English
// description. It returns an error only when the database cannot be read
// (EUNAVAILABLE, or the context's error), and the errors of the role check
// (see AuditService).
func (s *AuditService) VerifyAuditWith(ctx context.Context, o domain.AuditVerifyOptions) (*domain.AuditVerification, error) {
	if _, err := loadCaller(ctx, s.db.pool, auditGuard, domain.RoleAdmin, domain.RoleSecurity); err != nil {
		return nil, err
	}
	if _, err := s.SealAudit(ctx); err != nil {
		return nil, err
	}
	c, err := newChainCheck(o.Checkpoints)
	if err != nil {
		return nil, err
	}
	v := c.v
	full := o.Full || len(o.Checkpoints) > 0
	var head struct {
		seq  int64
		hash []byte
	}
	err = s.db.readTx(ctx, "verify audit log", func(tx *Tx) error {
		err := tx.QueryRow(ctx, "SELECT seq, hash FROM audit_head").Scan(&head.seq, &head.hash)
		if errors.Is(err, pgx.ErrNoRows) {
			c.fail(1, "the audit log's head row is missing")
			return nil
		} else if err != nil {
			return dbError("verify audit log: read head", err)
		}
		if !full {
			if done, err := c.resume(ctx, tx, head.seq); done || err != nil {
				return err
			}
		}
		if !c.checkpointsOfTheEmptyLog() {
			return nil
		}
		rows, err := tx.Query(ctx, `
			SELECT seq, at, actor_id, actor_name, session_id, remote_addr,
			       action, subject_kind, subject_id, reason, details, prev_hash, hash
			  FROM audit_log
			 WHERE seq > $1
			 ORDER BY seq`, pgx.QueryResultFormats{pgx.BinaryFormatCode}, c.want-1)
		if err != nil {
			return dbError("verify audit log", err)
		}
		defer rows.Close()
		for rows.Next() {
			if !c.entry(rows.RawValues()) {
				return nil
			}
		}
		if err := rows.Err(); err != nil {
			return dbError("verify audit log", err)
		}
		c.end(head.seq, head.hash)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if v.OK {
		_, err := s.db.pool.Exec(ctx, `
			INSERT INTO audit_verified AS v (id, seq, hash, verified_at)
			VALUES (true, $1, $2, now())
			ON CONFLICT (id) DO UPDATE
			   SET seq = excluded.seq, hash = excluded.hash, verified_at = excluded.verified_at
			 WHERE v.seq <= excluded.seq`, head.seq, head.hash)
		if err != nil {
			return nil, dbError("verify audit log: record where it ended", err)
		}
	}
	return v, nil
}

// chainCheck recomputes the chain entry by entry. It keeps one buffer for
// the canonical text and one hash state, so that the millions of entries
// of a full verification allocate nothing each (BenchmarkVerifyAudit).
type chainCheck struct {
	v     *domain.AuditVerification
	want  int64 // the next entry's seq
	prev  []byte
	sum   []byte
	canon []byte
	h     hash.Hash

	cps    []checkpointWant // by seq
	next   int              // the first checkpoint not yet compared
	agreed int64            // seq of the newest checkpoint the chain agrees with
}

// checkpointWant is a checkpoint with its hash decoded.
type checkpointWant struct {
	cp   *domain.AuditCheckpoint
	hash []byte
}

func newChainCheck(cps []domain.AuditCheckpoint) (*chainCheck, error) {
	c := &chainCheck{
		v:     &domain.AuditVerification{OK: true, Checkpoints: len(cps)},
		want:  1,
		prev:  make([]byte, sha256.Size), // the first entry follows 32 zero bytes
		sum:   make([]byte, 0, sha256.Size),
		canon: make([]byte, 0, 1024),
		h:     sha256.New(),
	}
	for i := range cps {
		h, err := hex.DecodeString(cps[i].Hash)
		if err != nil || len(h) != sha256.Size {
			return nil, &domain.Error{Code: domain.EINVALID, Key: "audit.checkpoint_malformed", Message: "not an audit checkpoint: the hash is not 64 hex digits"}
		}
		c.cps = append(c.cps, checkpointWant{cp: &cps[i], hash: h})
	}
	slices.SortStableFunc(c.cps, func(a, b checkpointWant) int { return cmp.Compare(a.cp.Seq, b.cp.Seq) })
	return c, nil
}

func (c *chainCheck) fail(seq int64, format string, args ...any) {
	c.v.OK, c.v.FirstBad, c.v.Problem = false, seq, fmt.Sprintf(format, args...)
}

// resume starts after the entry where the last successful verification
// ended, when there is one and it still has the hash it had then. It
// reports done when it found a problem.
func (c *chainCheck) resume(ctx context.Context, tx *Tx, headSeq int64) (done bool, err error) {
	var seq int64
	var want []byte
	var at time.Time
	err = tx.QueryRow(ctx, `SELECT seq, hash, verified_at FROM audit_verified`).Scan(&seq, &want, &at)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && seq == 0) {
		return false, nil
	} else if err != nil {
		return false, dbError("verify audit log: read where the last verification ended", err)
	}
	when := at.UTC().Format(time.RFC3339)
	if seq > headSeq {
		c.fail(headSeq+1, "entries up to %d were verified on %s, but the log now ends at %d: entries were removed", seq, when, headSeq)
		return true, nil
	}
	var got []byte
	err = tx.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		c.fail(seq, "entry %d, verified on %s, is missing", seq, when)
		return true, nil
	} else if err != nil {
		return false, dbError("verify audit log: read the entry verified last", err)
	}
	if !bytes.Equal(got, want) {
		c.fail(seq, "entry %d has another hash than when it was verified on %s: it, or an entry before it, was rewritten", seq, when)
		return true, nil
	}
	c.v.ResumedAfter, c.v.ResumedAt = seq, at.UTC()
	c.want, c.prev = seq+1, append(c.prev[:0], want...)
	return false, nil
}

// checkpointsOfTheEmptyLog compares the checkpoints taken before the
// first entry (seq 0), which name the 32 zero bytes. It reports whether
// the verification goes on.
func (c *chainCheck) checkpointsOfTheEmptyLog() bool {
	for c.next < len(c.cps) && c.cps[c.next].cp.Seq == 0 {
		if !bytes.Equal(c.cps[c.next].hash, make([]byte, sha256.Size)) {
			c.contradicts(c.cps[c.next].cp, "the checkpoint of the empty log (%s, line %d) does not name the empty chain's hash")
			return false
		}
		c.next++
	}
	return true
}

// contradicts reports that the log does not agree with cp.
func (c *chainCheck) contradicts(cp *domain.AuditCheckpoint, format string) {
	c.fail(c.agreed+1, format, cp.At.Format(time.RFC3339), cp.Line)
	c.v.Contradicted, c.v.AgreedUpTo = cp, c.agreed
}

// Columns of the verification's query, as RawValues returns them (binary).
const (
	vSeq = iota
	vAt
	vActorID
	vActorName // the eight text fields, in canonical order, from here
	vSessionID
	vRemoteAddr
	vAction
	vSubjectKind
	vSubjectID
	vReason
	vDetails
	vPrevHash
	vHash
	vColumns
)

// entry checks one entry; it reports whether the verification goes on.
func (c *chainCheck) entry(vals [][]byte) bool {
	v := c.v
	if len(vals) != vColumns || len(vals[vSeq]) != 8 || len(vals[vAt]) != 8 {
		c.fail(c.want, "entry %d could not be read", c.want)
		return false
	}
	seq := int64(binary.BigEndian.Uint64(vals[vSeq]))
	v.Entries++
	v.Recomputed++
	if seq != c.want {
		c.fail(c.want, "entry %d is missing: the entry after %d is %d", c.want, c.want-1, seq)
		return false
	}
	if !bytes.Equal(vals[vPrevHash], c.prev) {
		c.fail(seq, "entry %d does not follow entry %d: the previous hash it records differs", seq, seq-1)
		return false
	}
	c.canon = appendAuditCanonical(c.canon[:0], seq, int64(binary.BigEndian.Uint64(vals[vAt])), vals[vActorID], vals[vActorName:vPrevHash])
	c.h.Reset()
	c.h.Write(c.prev)
	c.h.Write(c.canon)
	c.sum = c.h.Sum(c.sum[:0])
	if !bytes.Equal(c.sum, vals[vHash]) {
		c.fail(seq, "entry %d was altered: its hash does not match its contents", seq)
		return false
	}
	for c.next < len(c.cps) && c.cps[c.next].cp.Seq == seq {
		cp := c.cps[c.next]
		if !bytes.Equal(cp.hash, c.sum) {
			c.contradicts(cp.cp, "the chain contradicts the checkpoint of "+strconv.FormatInt(seq, 10)+
				" entries taken %s (line %d): its hash there differs, so an entry after the last checkpoint it agrees with was rewritten")
			return false
		}
		c.agreed = seq
		c.next++
	}
	c.prev = append(c.prev[:0], c.sum...)
	c.want++
	return true
}

// end checks the head against the last entry, and that no checkpoint
// names an entry past the end.
func (c *chainCheck) end(headSeq int64, headHash []byte) {
	v := c.v
	last := c.want - 1
	switch {
	case headSeq > last:
		c.fail(last+1, "entry %d is missing: the log ends at entry %d but its head records %d entries", last+1, last, headSeq)
		return
	case headSeq < last:
		c.fail(headSeq+1, "the head records %d entries but the log has %d: the head was altered", headSeq, last)
		return
	case !bytes.Equal(headHash, c.prev):
		c.fail(max(last, 1), "the head's hash does not match entry %d: the head or the entry was altered", last)
		return
	}
	v.Entries, v.HeadHash = last, hex.EncodeToString(c.prev)
	if c.next < len(c.cps) {
		cp := c.cps[c.next].cp
		c.fail(last+1, "the log ends at entry %d but the checkpoint taken %s (line %d) names entry %d: entries were removed",
			last, cp.At.Format(time.RFC3339), cp.Line, cp.Seq)
		v.Contradicted, v.AgreedUpTo, v.HeadHash = cp, c.agreed, ""
	}
}

// pgEpochMicros is PostgreSQL's epoch (2000-01-01 UTC) in Unix
// microseconds: a timestamptz travels as microseconds since then.
const pgEpochMicros = 946_684_800_000_000

// appendAuditCanonical appends the canonical text of an entry, as the
// trigger audit_log_chain computes it (migration 0003): seq, the time in
// UTC to the microsecond, the actor id (empty when NULL) and the text
// fields, joined by U+001F. at is a timestamptz's binary value.
func appendAuditCanonical(b []byte, seq, at int64, actorID []byte, texts [][]byte) []byte {
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, auditSeparator...)
	b = time.UnixMicro(at+pgEpochMicros).UTC().AppendFormat(b, auditTimeLayout)
	b = append(b, auditSeparator...)
	if len(actorID) == 8 {
		b = strconv.AppendInt(b, int64(binary.BigEndian.Uint64(actorID)), 10)
	}
	for _, t := range texts {
		b = append(b, auditSeparator...)
		b = append(b, t...)
	}
	return b
}

// appendAuditTime appends a timestamptz's binary value (microseconds
// since 2000-01-01 UTC) as auditTimeLayout, as time.Time.AppendFormat
// would but in a fifth of the time: a full verification formats one per
// entry. Years outside 0001–9999 go through AppendFormat.
func appendAuditTime(b []byte, at int64) []byte {
	micros := at + pgEpochMicros
	secs, frac := micros/1_000_000, micros%1_000_000
	if frac < 0 {
		secs, frac = secs-1, frac+1_000_000
	}
	days, sod := secs/86400, secs%86400
	if sod < 0 {
		days, sod = days-1, sod+86400
	}
	// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
		y++
	}
	if y < 1 || y > 9999 {
		return time.UnixMicro(micros).UTC().AppendFormat(b, auditTimeLayout)
	}
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, m, 2)
	b = append(b, '-')
	b = appendDigits(b, d, 2)
	b = append(b, 'T')
	b = appendDigits(b, sod/3600, 2)
	b = append(b, ':')
	b = appendDigits(b, sod/60%60, 2)
	b = append(b, ':')
	b = appendDigits(b, sod%60, 2)
	b = append(b, '.')
	b = appendDigits(b, frac, 6)
	return append(b, 'Z')
}

// appendDigits appends the width last decimal digits of v, zero-padded.
func appendDigits(b []byte, v int64, width int) []byte {
	var buf [8]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, buf[:width]...)
}
