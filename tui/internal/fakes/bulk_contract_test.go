package fakes_test

import (
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/tui/internal/fakes"
)

type bulkHarness struct {
	fakeOn[*fakes.Bulk]
	next int64
}

func (h *bulkHarness) Service() domain.BulkService { return h.f }

func (h *bulkHarness) Users(_ *testing.T, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		h.next++
		ids[i] = 100 + h.next
		h.f.AddTarget("platform_user", ids[i], "Pēteris Zariņš")
	}
	return ids
}

func TestContract_BulkService_Fake(t *testing.T) {
	contracttest.RunBulkService(t, func(t *testing.T) contracttest.BulkHarness {
		f := fakes.NewBulk()
		return &bulkHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}
