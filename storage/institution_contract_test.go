package storage_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/storage"
)

type pgInstitutions struct {
	*pgHarness
	svc *storage.InstitutionService
}

func (h *pgInstitutions) Service() domain.InstitutionService { return h.svc }

func (h *pgInstitutions) ReverifyDue(t *testing.T, id int64, at time.Time) {
	t.Helper()
	if _, err := h.db.Pool().Exec(t.Context(), `UPDATE institutions SET reverify_due_at = $2 WHERE id = $1`, id, at); err != nil {
		t.Fatalf("set re-verification due: %v", err)
	}
}

func (h *pgInstitutions) Institution(t *testing.T, name, company, education string, state domain.InstitutionState) int64 {
	t.Helper()
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ($1, $2, $3, 'kanceleja@example.lv', $4, CASE WHEN $4 <> 'pending' THEN $5::timestamptz END) RETURNING id`,
		name, company, education, string(state), h.Now()).Scan(&id)
	if err != nil {
		t.Fatalf("seed institution: %v", err)
	}
	return id
}

func TestContract_InstitutionService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunInstitutionService(t, func(t *testing.T) contracttest.InstitutionHarness {
		h := newPGHarness(t)
		return &pgInstitutions{pgHarness: h, svc: storage.NewInstitutionService(h.db)}
	})
}
