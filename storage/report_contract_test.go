package storage_test

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/storage"
)

type pgReports struct {
	*pgHarness
	svc *storage.ReportService
}

func (h *pgReports) Service() domain.ReportService { return h.svc }

func (h *pgReports) IMKApplication(t *testing.T, s contracttest.ReportIMKSeed) int64 {
	t.Helper()
	var decidedBy *int64
	if s.DecidedBy != 0 {
		decidedBy = &s.DecidedBy
	}
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO imk_applications (personal_code, email, state, applied_at, updated_at, decided_at, decided_by, policy_id)
		VALUES ($1, 'imk@example.lv', $2, $3, $3, $4, $5, (SELECT min(id) FROM eligibility_policies)) RETURNING id`,
		s.PersonalCode, string(s.State), s.AppliedAt, s.DecidedAt, decidedBy).Scan(&id)
	if err != nil {
		t.Fatalf("seed IMK application: %v", err)
	}
	if s.Sex != "" {
		if _, err := h.db.Pool().Exec(t.Context(), `
			INSERT INTO population_register (personal_code, sex) VALUES ($1, $2)
			ON CONFLICT (personal_code) DO UPDATE SET sex = EXCLUDED.sex`, s.PersonalCode, s.Sex); err != nil {
			t.Fatalf("seed the person's sex: %v", err)
		}
	}
	return id
}

// reportSubjects numbers the denials' subjects, one live denial per
// subject and ground.
var reportSubjects atomic.Int64

func (h *pgReports) Denial(t *testing.T, ground domain.Ground, inForce, lifted time.Time) int64 {
	t.Helper()
	state, liftedAt, reason := "in_force", (*time.Time)(nil), ""
	if !lifted.IsZero() {
		state, liftedAt, reason = "lifted", &lifted, "Pārbaudīts"
	}
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO denials (subject_kind, subject_id, ground, state, raised_at, in_force_at, lifted_at, lift_reason)
		VALUES ('platform_user', $1, $2, $3, $4, $4, $5, $6) RETURNING id`,
		900000+reportSubjects.Add(1), string(ground), state, inForce, liftedAt, reason).Scan(&id)
	if err != nil {
		t.Fatalf("seed denial: %v", err)
	}
	return id
}

func (h *pgReports) Institution(t *testing.T, due time.Time) int64 {
	t.Helper()
	id := h.institution(t)
	if _, err := h.db.Pool().Exec(t.Context(), `UPDATE institutions SET reverify_due_at = $2 WHERE id = $1`, id, due); err != nil {
		t.Fatalf("seed institution %s: %v", strconv.FormatInt(id, 10), err)
	}
	return id
}

func TestContract_ReportService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunReportService(t, func(t *testing.T) contracttest.ReportHarness {
		h := newPGHarness(t)
		return &pgReports{pgHarness: h, svc: storage.NewReportService(h.db)}
	})
}
