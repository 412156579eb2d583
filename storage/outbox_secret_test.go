package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

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

// secretMails are the templates whose body carries a single-use secret,
// with data that puts a recognisable secret in it.
var secretMails = []struct {
	template string
	data     map[string]string
	lifetime time.Duration
}{
	{"helpdesk.reset_link", map[string]string{"link": "https://ppp.viaa.gov.lv/parole?token=SECRETLINK", "minutes": "60"}, domain.ResetTokenLifetime},
	{"operator.reset_code", map[string]string{"code": "SECRETCODE", "minutes": "15"}, domain.OperatorResetCodeLifetime},
	{"rolerequest.submitted_confirm", map[string]string{"link": "https://ppp.viaa.gov.lv/apstiprinat?t=SECRETCONFIRM", "name": "Anna"}, domain.UnconfirmedLifetime},
}

// enqueueSecrets writes one mail of each secret template and returns
// their ids, in secretMails' order.
func enqueueSecrets(t *testing.T, db *storage.DB) []int64 {
	t.Helper()
	ctx := t.Context()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var ids []int64
	for _, s := range secretMails {
		id, err := storage.EnqueueMail(ctx, tx, "anna@example.lv", "lv", s.template, s.data)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return ids
}

// assertWiped checks that no secret is left in the outbox row, and that
// the row is in state.
func assertWiped(t *testing.T, db *storage.DB, id int64, state string) {
	t.Helper()
	var body, got string
	if err := db.Pool().QueryRow(t.Context(), "SELECT body, state FROM outbox WHERE id = $1", id).Scan(&body, &got); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "SECRET") || got != state {
		t.Errorf("outbox %d: state %s (want %s), body still %q", id, got, state, body)
	}
}

// TestOutbox_SecretsWipedOnceDelivered: reset links, one-time codes and
// e-mail confirmation links leave the outbox once they went out.
func TestOutbox_SecretsWipedOnceDelivered(t *testing.T) {
	db := pgtest.NewDB(t)
	ids := enqueueSecrets(t, db)
	sender := &bodyRecorder{}
	if _, _, err := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{}).DeliverDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if !strings.Contains(sender.bodies[id], "SECRET") {
			t.Errorf("%s went out without its secret: %q", secretMails[i].template, sender.bodies[id])
		}
		assertWiped(t, db, id, "sent")
	}
}

// TestOutbox_SecretsWipedWhenFailedForGood: a refused recipient (a
// permanent failure) leaves no secret behind.
func TestOutbox_SecretsWipedWhenFailedForGood(t *testing.T) {
	db := pgtest.NewDB(t)
	ids := enqueueSecrets(t, db)
	sender := newOutboxRecorder()
	sender.setFail(func(*domain.Mail) error { return permanentSendErr{"550 no such user"} })
	if _, _, err := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{}).DeliverDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		assertWiped(t, db, id, "failed")
	}
}

// TestOutbox_SecretsWipedWhenAttemptsRunOut: the last allowed attempt
// failing, or a worker dying during it, leaves no secret behind.
func TestOutbox_SecretsWipedWhenAttemptsRunOut(t *testing.T) {
	db := pgtest.NewDB(t)
	ids := enqueueSecrets(t, db)
	sender := newOutboxRecorder()
	sender.setFail(func(*domain.Mail) error { return errors.New("421 try again later") })
	w := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{MaxAttempts: 1})
	if _, _, err := w.DeliverDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		assertWiped(t, db, id, "failed")
	}

	// A worker that died during the last attempt: the row stays
	// 'sending' past its lease until the next pass gives it up.
	more := enqueueSecrets(t, db)
	if _, err := db.Pool().Exec(t.Context(), `
		UPDATE outbox SET state = 'sending', attempts = 1, locked_until = now() - interval '1 second'
		 WHERE id = ANY ($1)`, more); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.DeliverDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, id := range more {
		assertWiped(t, db, id, "failed")
	}
}

// TestOutbox_SecretsExpiredBeforeDelivery_NotSentAndWiped: a secret that
// no longer works (its link or code expired while the mail waited) is not
// sent, and is wiped; a mail still within its lifetime is sent.
func TestOutbox_SecretsExpiredBeforeDelivery_NotSentAndWiped(t *testing.T) {
	db := pgtest.NewDB(t)
	ids := enqueueSecrets(t, db)
	fresh := enqueueSecrets(t, db)
	for i, id := range ids {
		if _, err := db.Pool().Exec(t.Context(), `
			UPDATE outbox SET created_at = now() - $2::bigint * interval '1 millisecond' - interval '1 minute'
			 WHERE id = $1`, id, secretMails[i].lifetime.Milliseconds()); err != nil {
			t.Fatal(err)
		}
	}
	sender := &bodyRecorder{}
	if _, _, err := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{}).DeliverDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if b, sent := sender.bodies[id]; sent {
			t.Errorf("expired %s was sent: %q", secretMails[i].template, b)
		}
		assertWiped(t, db, id, "failed")
	}
	for _, id := range fresh {
		if !strings.Contains(sender.bodies[id], "SECRET") {
			t.Errorf("fresh mail %d not sent with its secret", id)
		}
	}
}
