package storage_test

import (
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/storage"
)

type pgBulk struct {
	*pgHarness
	svc *storage.BulkService
}

func (h *pgBulk) Service() domain.BulkService { return h.svc }

func (h *pgBulk) Users(t *testing.T, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = h.platformUser(t)
	}
	return ids
}

func TestContract_BulkService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunBulkService(t, func(t *testing.T) contracttest.BulkHarness {
		h := newPGHarness(t)
		return &pgBulk{pgHarness: h, svc: storage.NewBulkService(h.db, storage.NewDenialService(h.db), storage.NewRoleRequestService(h.db), nil)}
	})
}
