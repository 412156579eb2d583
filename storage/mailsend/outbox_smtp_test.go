package mailsend_test

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/mailsend"
	"github.com/viaa/ppp/storage/pgtest"
)

// enqueueApproval writes one approval mail in a committed transaction.
func enqueueApproval(t *testing.T, db *storage.DB, to string) int64 {
	t.Helper()
	ctx := t.Context()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	id, err := storage.EnqueueMail(ctx, tx, to, "lv", "rolerequest.approved", map[string]string{
		"name": "Jānis Bērziņš", "role": "career_consultant", "valid_until": "31.12.2027", "institution": "", "unscoped": "",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return id
}

// outboxState returns a message's state, attempts and last error.
func outboxState(t *testing.T, db *storage.DB, id int64) (state string, attempts int, lastError string) {
	t.Helper()
	err := db.Pool().QueryRow(t.Context(), "SELECT state, attempts, last_error FROM outbox WHERE id = $1", id).
		Scan(&state, &attempts, &lastError)
	if err != nil {
		t.Fatal(err)
	}
	return state, attempts, lastError
}

// retryNow makes a message due, as if its backoff had passed.
func retryNow(t *testing.T, db *storage.DB, id int64) {
	t.Helper()
	if _, err := db.Pool().Exec(t.Context(), "UPDATE outbox SET next_try_at = now() WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
}

func deliver(t *testing.T, w *storage.OutboxWorker) (sent, failed int) {
	t.Helper()
	sent, failed, err := w.DeliverDue(t.Context())
	if err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}
	return sent, failed
}

func TestOutboxOverSMTP_ServerFailsThenRecovers_MessageArrivesOnce(t *testing.T) {
	db := pgtest.NewDB(t)
	const to = "janis.berzins@example.lv"
	id := enqueueApproval(t, db, to)

	// A free port with nobody listening on it yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	sender := newSMTP(t, addr, "")
	w := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{SendTimeout: 5 * time.Second})

	// 1. The server is down: connection refused.
	if sent, failed := deliver(t, w); sent != 0 || failed != 1 {
		t.Fatalf("server down: sent %d, failed %d", sent, failed)
	}
	state, attempts, lastError := outboxState(t, db, id)
	if state != "pending" || attempts != 1 || !strings.Contains(lastError, "dial") {
		t.Fatalf("server down: %s, attempt %d, %q", state, attempts, lastError)
	}

	// 2. The server is up but cannot take mail.
	srv := startSMTPServer(t, addr)
	srv.set(func(s *smtpServer) { s.dataReply = "451 4.3.0 <" + to + "> mailbox busy, try later" })
	retryNow(t, db, id)
	if sent, failed := deliver(t, w); sent != 0 || failed != 1 {
		t.Fatalf("451: sent %d, failed %d", sent, failed)
	}
	state, attempts, lastError = outboxState(t, db, id)
	if state != "pending" || attempts != 2 || !strings.Contains(lastError, "451") || strings.Contains(lastError, to) {
		t.Fatalf("451: %s, attempt %d, %q", state, attempts, lastError)
	}
	// Not due again before its backoff.
	if sent, failed := deliver(t, w); sent+failed != 0 {
		t.Fatalf("retried before the backoff: sent %d, failed %d", sent, failed)
	}

	// 3. The server recovers.
	srv.set(func(s *smtpServer) { s.dataReply = "" })
	retryNow(t, db, id)
	if sent, failed := deliver(t, w); sent != 1 || failed != 0 {
		t.Fatalf("recovered: sent %d, failed %d", sent, failed)
	}
	if sent, failed := deliver(t, w); sent+failed != 0 {
		t.Fatalf("after delivery: sent %d, failed %d", sent, failed)
	}
	if state, attempts, _ := outboxState(t, db, id); state != "sent" || attempts != 3 {
		t.Fatalf("recovered: %s after %d attempts", state, attempts)
	}

	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("the server received %d messages, want exactly 1", len(msgs))
	}
	if len(msgs[0].To) != 1 || msgs[0].To[0] != to {
		t.Errorf("envelope recipients %v", msgs[0].To)
	}
	var subject, body, messageID string
	if err := db.Pool().QueryRow(t.Context(), "SELECT subject, body, message_id FROM outbox WHERE id = $1", id).Scan(&subject, &body, &messageID); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := msg.Header.Get("Message-ID"), "<"+messageID+">"; got != want || strings.Contains(got, "outbox-") {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	var dec mime.WordDecoder
	if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != subject || !strings.Contains(got, "apstiprināts") {
		t.Errorf("Subject decodes to %q (%v), want %q", got, err, subject)
	}
	decoded, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(string(decoded), "\r\n", "\n"); got != body || !strings.Contains(got, "karjeras konsultants") {
		t.Errorf("body decodes to\n%s\nwant\n%s", got, body)
	}
}

func TestOutboxOverSMTP_RecipientRefused_FailsWithoutRetrying(t *testing.T) {
	db := pgtest.NewDB(t)
	id := enqueueApproval(t, db, "nav.tada@example.lv")
	srv := startSMTPServer(t, "127.0.0.1:0")
	srv.set(func(s *smtpServer) { s.rcptReply = "550 5.1.1 <nav.tada@example.lv>: no such user" })
	w := storage.NewOutboxWorker(db, newSMTP(t, srv.addr(), ""), storage.OutboxOptions{})
	if _, failed := deliver(t, w); failed != 1 {
		t.Fatalf("failed %d, want 1", failed)
	}
	state, attempts, lastError := outboxState(t, db, id)
	if state != "failed" || attempts != 1 || strings.Contains(lastError, "nav.tada") {
		t.Fatalf("%s after %d attempts, %q; want failed at once, no address", state, attempts, lastError)
	}
}

func TestOutboxToFiles_OneFilePerMessage(t *testing.T) {
	db := pgtest.NewDB(t)
	id := enqueueApproval(t, db, "janis.berzins@example.lv")
	dir := t.TempDir()
	files := mailsend.NewFiles(dir)
	w := storage.NewOutboxWorker(db, files, storage.OutboxOptions{})
	if sent, _ := deliver(t, w); sent != 1 {
		t.Fatalf("sent %d, want 1", sent)
	}
	raw, err := readFile(files.Path(id))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var messageID string
	if err := db.Pool().QueryRow(t.Context(), "SELECT message_id FROM outbox WHERE id = $1", id).Scan(&messageID); err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Message-ID"); got != "<"+messageID+">" {
		t.Errorf("Message-ID = %q, want <%s>", got, messageID)
	}
}

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}
