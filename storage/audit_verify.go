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
	"sync"
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
	c.redactBefore = time.Now().AddDate(0, 0, -domain.RetentionAuditFloor).UnixMicro() - pgEpochMicros
	full := o.Full || len(o.Checkpoints) > 0
	var head struct {
		seq  int64
		hash []byte
	}
	var done bool
	err = s.db.readTx(ctx, "verify audit log", func(tx *Tx) error {
		var last *int64
		err := tx.QueryRow(ctx, "SELECT seq, hash, (SELECT max(seq) FROM audit_log) FROM audit_head").Scan(&head.seq, &head.hash, &last)
		if errors.Is(err, pgx.ErrNoRows) {
			c.fail(1, "the audit log's head row is missing")
			done = true
			return nil
		} else if err != nil {
			return dbError("verify audit log: read head", err)
		}
		if last != nil && *last > head.seq {
			c.fail(head.seq+1, "the head records %d entries but the log has %d: the head was altered", head.seq, *last)
			done = true
			return nil
		}
		if !full {
			if done, err = c.resume(ctx, tx, head.seq); done || err != nil {
				return err
			}
		}
		done = !c.checkpointsOfTheEmptyLog()
		return nil
	})
	if err != nil || done {
		return c.v, err
	}
	v, err := s.verifyRange(ctx, c, head.seq, head.hash)
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

// verifyWorkers is how many connections a long verification reads the log
// with at once. Each connection's rows come from one server process,
// which is where a verification spends its time (BenchmarkChainCheck_Entry:
// the Go side takes a fraction of it), so two readers on two cores read
// faster than one; the chain is cut into contiguous parts, each checked on
// its own from the previous hash its first entry records, and the parts
// are joined by checking that each part's first entry follows the last
// entry of the part before it.
const verifyWorkers = 2

// verifySplitMin is the fewest entries worth reading in parts.
const verifySplitMin = 500_000

// verifyRange checks the entries from c.want to headSeq, in parts when
// there are many (verifyWorkers), and the head at the end. It returns
// c's verification, or the first problem of the parts, in order.
func (s *AuditService) verifyRange(ctx context.Context, c *chainCheck, headSeq int64, headHash []byte) (*domain.AuditVerification, error) {
	lo, hi := c.want, headSeq
	workers := 1
	least := int64(verifySplitMin)
	if s.verifySplit > 0 {
		least = s.verifySplit
	}
	if hi-lo+1 >= least {
		workers = verifyWorkers
	}
	parts := c.split(lo, hi, workers)
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			errs[i] = s.db.readTx(ctx, "verify audit log", func(tx *Tx) error {
				return p.read(ctx, tx, i == len(parts)-1, headSeq, headHash)
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c.join(parts), nil
}

// chainPart is one contiguous part of the chain and its check.
type chainPart struct {
	lo, hi int64
	*chainCheck
}

// split cuts [lo, hi] into n contiguous parts, each with the checkpoints
// of its entries (the last also those past hi). The first part goes on
// from c; the others take the previous hash their first entry records,
// which join checks.
func (c *chainCheck) split(lo, hi int64, n int) []chainPart {
	size := max((hi-lo+1+int64(n)-1)/int64(n), 1)
	var parts []chainPart
	cps := c.cps[c.next:]
	for start := lo; start <= hi || len(parts) == 0; start += size {
		end := min(start+size-1, hi)
		last := end >= hi
		p := chainPart{lo: start, hi: end, chainCheck: c}
		if len(parts) > 0 {
			p.chainCheck = newPartCheck(start)
			p.redactBefore = c.redactBefore
		}
		var mine []checkpointWant
		for len(cps) > 0 && (cps[0].cp.Seq <= end || last) {
			mine, cps = append(mine, cps[0]), cps[1:]
		}
		p.cps, p.next = mine, 0
		parts = append(parts, p)
		if last {
			break
		}
	}
	return parts
}

// newPartCheck returns the check of a part that starts at entry want and
// takes its first entry's previous hash as given.
func newPartCheck(want int64) *chainCheck {
	return &chainCheck{
		v:     &domain.AuditVerification{OK: true},
		want:  want,
		sum:   make([]byte, 0, sha256.Size),
		canon: make([]byte, 0, 1024),
		h:     sha256.New(),
	}
}

// read checks the part's entries; the last part also checks the head.
func (p chainPart) read(ctx context.Context, tx *Tx, last bool, headSeq int64, headHash []byte) error {
	rows, err := tx.Query(ctx, `
		SELECT seq, at, actor_id, actor_name, session_id, remote_addr,
		       action, subject_kind, subject_id, reason, details, prev_hash, hash,
		       redacted_at IS NOT NULL, redaction_seal
		  FROM audit_log
		 WHERE seq >= $1 AND seq <= $2
		 ORDER BY seq`, pgx.QueryResultFormats{pgx.BinaryFormatCode}, p.lo, p.hi)
	if err != nil {
		return dbError("verify audit log", err)
	}
	defer rows.Close()
	for rows.Next() {
		if !p.entry(rows.RawValues()) {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return dbError("verify audit log", err)
	}
	switch {
	case last:
		p.end(headSeq, headHash)
	case p.want <= p.hi:
		p.fail(p.want, "entry %d is missing: the entries %d to %d are not in the log", p.want, p.want, p.hi)
	}
	return nil
}

// join returns the verification of the parts in order: the first
// problem, or a part whose first entry does not follow the part before.
func (c *chainCheck) join(parts []chainPart) *domain.AuditVerification {
	v := c.v
	agreed := c.agreed
	for i, p := range parts {
		if i > 0 {
			prev := parts[i-1]
			if p.first != nil && !bytes.Equal(p.first, prev.prev) {
				c.fail(p.lo, "entry %d does not follow entry %d: the previous hash it records differs", p.lo, p.lo-1)
				return v
			}
			pv := p.v
			v.Entries += pv.Entries
			v.Recomputed += pv.Recomputed
			v.Redacted += pv.Redacted
			v.OK, v.FirstBad, v.Problem = pv.OK, pv.FirstBad, pv.Problem
			v.Contradicted, v.Truncated, v.HeadHash = pv.Contradicted, pv.Truncated, pv.HeadHash
			if pv.Contradicted != nil {
				// The part knows only the checkpoints of its own entries.
				v.AgreedUpTo = max(pv.AgreedUpTo, agreed)
				if !pv.Truncated {
					v.FirstBad = v.AgreedUpTo + 1
				}
			}
			if pv.OK && i == len(parts)-1 {
				v.Entries = pv.Entries
			}
		}
		if !v.OK {
			return v
		}
		agreed = max(agreed, p.agreed)
	}
	return v
}

// chainCheck recomputes the chain entry by entry. It keeps one buffer for
// the canonical text and one hash state, so that the millions of entries
// of a full verification allocate nothing each (BenchmarkVerifyAudit).
type chainCheck struct {
	v     *domain.AuditVerification
	want  int64  // the next entry's seq
	prev  []byte // nil until the first entry of a part that takes it as given
	first []byte // that first entry's previous hash
	sum   []byte
	canon []byte
	h     hash.Hash

	cps    []checkpointWant // by seq
	next   int              // the first checkpoint not yet compared
	agreed int64            // seq of the newest checkpoint the chain agrees with

	// redactBefore is the newest time (PostgreSQL's binary timestamptz)
	// a redacted entry may have: no audit rule keeps entries for less
	// than domain.RetentionAuditFloor, so a newer redacted entry was not
	// redacted by audit_redact.
	redactBefore int64
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
	vRedacted // a boolean: the entry was redacted (migration 0320)
	vSeal     // its redaction seal
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
	if c.prev == nil {
		c.first = append([]byte(nil), vals[vPrevHash]...)
		c.prev = append(make([]byte, 0, sha256.Size), c.first...)
	}
	if !bytes.Equal(vals[vPrevHash], c.prev) {
		c.fail(seq, "entry %d does not follow entry %d: the previous hash it records differs", seq, seq-1)
		return false
	}
	if len(vals[vRedacted]) == 1 && vals[vRedacted][0] == 1 {
		if !c.redacted(seq, vals) {
			return false
		}
	} else {
		c.canon = appendAuditCanonical(c.canon[:0], seq, int64(binary.BigEndian.Uint64(vals[vAt])), vals[vActorID], vals[vActorName:vPrevHash])
		c.h.Reset()
		c.h.Write(c.prev)
		c.h.Write(c.canon)
		c.sum = c.h.Sum(c.sum[:0])
		if !bytes.Equal(c.sum, vals[vHash]) {
			c.fail(seq, "entry %d was altered: its hash does not match its contents", seq)
			return false
		}
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

// redacted checks a redacted entry (migration 0320), whose hash can no
// longer be recomputed from its cleared content: its content must be
// empty, and its seal must be sha256(hash || kept text), the kept fields
// being those of the canonical text but the source address and the
// content. The hash itself is then taken as stored; the next entry's
// previous hash, and any checkpoint, still check it. It reports whether
// the verification goes on.
func (c *chainCheck) redacted(seq int64, vals [][]byte) bool {
	if len(vals[vSubjectID])+len(vals[vReason])+len(vals[vDetails])+len(vals[vRemoteAddr]) > 0 {
		c.fail(seq, "entry %d is marked redacted but keeps content", seq)
		return false
	}
	if int64(binary.BigEndian.Uint64(vals[vAt])) >= c.redactBefore {
		c.fail(seq, "entry %d is marked redacted but is younger than any audit retention period", seq)
		return false
	}
	kept := [][]byte{vals[vActorName], vals[vSessionID], vals[vAction], vals[vSubjectKind]}
	c.canon = appendAuditCanonical(c.canon[:0], seq, int64(binary.BigEndian.Uint64(vals[vAt])), vals[vActorID], kept)
	c.h.Reset()
	c.h.Write(vals[vHash])
	c.h.Write(c.canon)
	c.sum = c.h.Sum(c.sum[:0])
	if !bytes.Equal(c.sum, vals[vSeal]) {
		c.fail(seq, "redacted entry %d was altered: its seal does not match what it keeps", seq)
		return false
	}
	c.v.Redacted++
	c.sum = append(c.sum[:0], vals[vHash]...)
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
		v.Contradicted, v.Truncated, v.AgreedUpTo, v.HeadHash = cp, true, c.agreed, ""
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
