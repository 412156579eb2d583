package fakes

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Audit is an in-memory domain.AuditService: the entries and the filters
// searched with. What an entry holds (domain.PrepareAuditEntry) and which
// entries a search finds (AuditFilter.Plan, AuditSearch.Matches) are
// domain's, and the shared suite (domain/contracttest) holds it to the
// contract storage keeps. About names the person (a stored personal code)
// each subject ("kind/id") is about, for searches by a whole code.
type Audit struct {
	mu      sync.Mutex
	entries []*domain.AuditEntry // oldest first
	Filters []domain.AuditFilter
	About   map[string]string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// NewAudit returns a log of n generated entries, Seq 1…n.
func NewAudit(n int) *Audit {
	a := &Audit{About: map[string]string{}}
	start := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		action := domain.AuditOperatorRoles
		if i%3 == 0 {
			action = domain.AuditSignIn
		}
		a.entries = append(a.entries, &domain.AuditEntry{
			Seq: int64(i), At: start.Add(time.Duration(i) * time.Minute), ActorID: 1, ActorName: "ilze.berzina",
			SessionID: "abc-1", RemoteAddr: "192.0.2.7:50022", Action: action, SubjectKind: "operator",
			SubjectID: "7", Reason: "pārbaude", Details: "entry " + string(rune('a'+i%26)), Hash: strings.Repeat("ab", 32),
		})
	}
	return a
}

// SearchAudit implements domain.AuditService.
func (a *Audit) SearchAudit(_ context.Context, f domain.AuditFilter) ([]*domain.AuditEntry, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Filters = append(a.Filters, f)
	s, err := f.Plan()
	if err != nil {
		return nil, err
	}
	var out []*domain.AuditEntry
	for _, e := range slices.Backward(a.entries) {
		if !s.Matches(e) || s.Codes != nil && !slices.Contains(s.Codes, a.About[e.SubjectKind+"/"+e.SubjectID]) {
			continue
		}
		cp := *e
		out = append(out, &cp)
		if len(out) == s.Limit {
			break
		}
	}
	return out, nil
}

// LastFilter returns the filter of the latest search.
func (a *Audit) LastFilter() domain.AuditFilter {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.Filters) == 0 {
		return domain.AuditFilter{}
	}
	return a.Filters[len(a.Filters)-1]
}

// VerifyAudit implements domain.AuditService: the log is always whole.
func (a *Audit) VerifyAudit(context.Context) (*domain.AuditVerification, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	v := &domain.AuditVerification{Entries: int64(len(a.entries)), Recomputed: int64(len(a.entries)), OK: true,
		HeadHash: strings.Repeat("0", 64)}
	if len(a.entries) > 0 {
		v.HeadHash = a.entries[len(a.entries)-1].Hash
	}
	return v, nil
}

// RecordAudit implements domain.AuditService; the actor comes from ctx.
func (a *Audit) RecordAudit(ctx context.Context, e *domain.AuditEntry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	if a.Now != nil {
		now = a.Now()
	}
	e.ActorID, e.ActorName, e.SessionID, e.RemoteAddr = 0, "", "", ""
	if err := domain.PrepareAuditEntry(e, domain.ActorFrom(ctx), now); err != nil {
		return err
	}
	prev := strings.Repeat("0", 64)
	if len(a.entries) > 0 {
		prev = a.entries[len(a.entries)-1].Hash
	}
	e.Seq = int64(len(a.entries) + 1)
	sum := sha256.Sum256([]byte(prev + strconv.FormatInt(e.Seq, 10) + e.Action + e.Details))
	e.Hash = hex.EncodeToString(sum[:])
	cp := *e
	a.entries = append(a.entries, &cp)
	return nil
}
