package storage_test

import (
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/storage"
)

type pgPeople struct {
	*pgHarness
	svc *storage.PersonDirectory
}

func (h *pgPeople) Service() domain.PersonDirectory { return h.svc }

func (h *pgPeople) SeedPerson(t *testing.T, s contracttest.PersonSeed) int64 {
	t.Helper()
	var user, person int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, $2, $3, $4, true) RETURNING id, person_id`, s.Code, s.Email, s.FirstName, s.LastName).Scan(&user, &person)
	if err != nil {
		t.Fatalf("seed person: %v", err)
	}
	if _, err := h.db.Pool().Exec(t.Context(), `
		INSERT INTO platform_sign_ins (user_id, at, method, recorded_at)
		SELECT $1, $3::timestamptz - make_interval(hours => g), 'smart_id', $3 FROM generate_series(1, $2) g`,
		user, s.SignIns, h.Now()); err != nil {
		t.Fatalf("seed sign-ins: %v", err)
	}
	return person
}

func TestContract_PersonDirectory_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunPersonDirectory(t, func(t *testing.T) contracttest.PersonHarness {
		h := newPGHarness(t)
		return &pgPeople{pgHarness: h, svc: storage.NewPersonDirectory(h.db)}
	})
}
