package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestOutbox_SentResetLink_BodyWiped proves that a delivered reset link
// does not stay readable in the outbox, while an ordinary mail keeps its
// body.
func TestOutbox_SentResetLink_BodyWiped(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := storage.EnqueueMail(ctx, tx, "anna@example.lv", "lv", "helpdesk.reset_link", map[string]string{"link": "https://ppp.viaa.gov.lv/parole?token=SECRET123", "minutes": "60"})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := storage.EnqueueMail(ctx, tx, "anna@example.lv", "lv", "rolerequest.expired", map[string]string{"name": "Anna"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	sender := &bodyRecorder{}
	w := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{})
	if _, _, err := w.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sender.bodies[secret], "SECRET123") {
		t.Fatalf("the reset mail went out without its link: %q", sender.bodies[secret])
	}
	var body string
	if err := db.Pool().QueryRow(ctx, "SELECT body FROM outbox WHERE id = $1", secret).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "SECRET123") {
		t.Errorf("the sent reset link is still in the outbox: %q", body)
	}
	if err := db.Pool().QueryRow(ctx, "SELECT body FROM outbox WHERE id = $1", plain).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if body == "" || strings.Contains(body, "removed after delivery") {
		t.Errorf("an ordinary mail lost its body: %q", body)
	}
}

// bodyRecorder keeps the body of every mail it is given, by id.
type bodyRecorder struct{ bodies map[int64]string }

func (r *bodyRecorder) Send(_ context.Context, m *domain.Mail) error {
	if r.bodies == nil {
		r.bodies = map[int64]string{}
	}
	r.bodies[m.ID] = m.Body
	return nil
}
