package fakes

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Audit is an in-memory domain.AuditService.
type Audit struct {
	mu      sync.Mutex
	entries []*domain.AuditEntry // oldest first
	Filters []domain.AuditFilter
}

// NewAudit returns a log of n generated entries, Seq 1…n.
func NewAudit(n int) *Audit {
	a := &Audit{}
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
	var out []*domain.AuditEntry
	for i := len(a.entries) - 1; i >= 0; i-- {
		e := a.entries[i]
		if f.BeforeSeq > 0 && e.Seq >= f.BeforeSeq {
			continue
		}
		if f.Action != "" && !strings.HasPrefix(e.Action, f.Action) {
			continue
		}
		if f.Text != "" && !strings.Contains(e.Action+" "+e.ActorName+" "+e.Details, f.Text) {
			continue
		}
		out = append(out, e)
		if f.Limit > 0 && len(out) == f.Limit {
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

// VerifyAudit implements domain.AuditService.
func (a *Audit) VerifyAudit(context.Context) (*domain.AuditVerification, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return &domain.AuditVerification{Entries: int64(len(a.entries)), OK: true}, nil
}

// RecordAudit implements domain.AuditService.
func (a *Audit) RecordAudit(_ context.Context, e *domain.AuditEntry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	e.Seq = int64(len(a.entries) + 1)
	a.entries = append(a.entries, e)
	return nil
}
