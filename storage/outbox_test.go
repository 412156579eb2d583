package storage_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// outboxRecorder is a MailSender that counts deliveries per message id and
// fails while fail returns an error.
type outboxRecorder struct {
	mu    sync.Mutex
	count map[int64]int
	last  map[int64]domain.Mail
	fail  func(m *domain.Mail) error
	delay time.Duration
}

func newOutboxRecorder() *outboxRecorder {
	return &outboxRecorder{count: map[int64]int{}, last: map[int64]domain.Mail{}}
}

func (r *outboxRecorder) Send(ctx context.Context, m *domain.Mail) error {
	r.mu.Lock()
	fail, delay := r.fail, r.delay
	r.mu.Unlock()
	if delay > 0 {
		time.Sleep(time.Duration(rand.Int64N(int64(delay))))
	}
	if fail != nil {
		if err := fail(m); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.count[m.ID]++
	r.last[m.ID] = *m
	return nil
}

func (r *outboxRecorder) setFail(f func(m *domain.Mail) error) {
	r.mu.Lock()
	r.fail = f
	r.mu.Unlock()
}

func (r *outboxRecorder) deliveries(id int64) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count[id]
}

// permanentSendErr is a sender error that says retrying cannot help.
type permanentSendErr struct{ msg string }

func (e permanentSendErr) Error() string   { return e.msg }
func (e permanentSendErr) Permanent() bool { return true }

// outboxData fills every template the tests use.
var outboxData = map[string]string{"name": "Līga Ozoliņa", "reason": "Iestāde neatbild 10 dienas."}

// enqueueOutbox writes n messages in one committed transaction and returns
// their ids.
func enqueueOutbox(t testing.TB, db *storage.DB, n int) []int64 {
	t.Helper()
	ctx := t.Context()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	ids := make([]int64, n)
	for i := range ids {
		to := fmt.Sprintf("liga.ozolina+%d@example.lv", i)
		ids[i], err = storage.EnqueueMail(ctx, tx, to, "lv", "rolerequest.taken_over", outboxData)
		if err != nil {
			t.Fatalf("EnqueueMail: %v", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return ids
}

// outboxRow is a message's delivery state as a test checks it.
type outboxRow struct {
	State     string
	Attempts  int
	LastError string
	Sent      bool
	Leased    bool
	// DueIn is next_try_at − now().
	DueIn time.Duration
}

func readOutbox(t testing.TB, db *storage.DB, id int64) outboxRow {
	t.Helper()
	var r outboxRow
	var dueMicros int64
	err := db.Pool().QueryRow(t.Context(), `
		SELECT state, attempts, last_error, sent_at IS NOT NULL, locked_until IS NOT NULL,
		       (extract(epoch FROM next_try_at - now()) * 1000000)::bigint
		  FROM outbox WHERE id = $1`, id).Scan(&r.State, &r.Attempts, &r.LastError, &r.Sent, &r.Leased, &dueMicros)
	if err != nil {
		t.Fatalf("read outbox %d: %v", id, err)
	}
	r.DueIn = time.Duration(dueMicros) * time.Microsecond
	return r
}

// makeOutboxDue moves a message's next try to the past, as if time had passed.
func makeOutboxDue(t testing.TB, db *storage.DB, id int64) {
	t.Helper()
	if _, err := db.Pool().Exec(t.Context(), "UPDATE outbox SET next_try_at = now() - interval '1 second' WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
}

func deliverOutbox(t testing.TB, w *storage.OutboxWorker) (sent, failed int) {
	t.Helper()
	sent, failed, err := w.DeliverDue(t.Context())
	if err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}
	return sent, failed
}

func countOutbox(t testing.TB, db *storage.DB) int {
	t.Helper()
	var n int
	if err := db.Pool().QueryRow(t.Context(), "SELECT count(*) FROM outbox").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOutbox_EnqueueInRolledBackTransaction_LeavesNoMail(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := t.Context()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.EnqueueMail(ctx, tx, "liga@example.lv", "lv", "rolerequest.expired", nil); err != nil {
		t.Fatalf("EnqueueMail: %v", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countOutbox(t, db); n != 0 {
		t.Fatalf("%d messages after rollback, want 0", n)
	}
	rec := newOutboxRecorder()
	if sent, _ := deliverOutbox(t, storage.NewOutboxWorker(db, rec, storage.OutboxOptions{})); sent != 0 {
		t.Fatalf("sent %d after rollback, want 0", sent)
	}
}

func TestOutbox_EnqueueCommitted_StoresTheRenderedMail(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := t.Context()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	id, err := storage.EnqueueMail(ctx, tx, " liga@example.lv ", "en", "rolerequest.info_requested",
		map[string]string{"name": "Līga Ozoliņa", "message": "Pievienojiet diplomu."})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var to, lang, tmpl, subject, body, state string
	err = db.Pool().QueryRow(ctx, "SELECT to_addr, lang, template, subject, body, state FROM outbox WHERE id = $1", id).
		Scan(&to, &lang, &tmpl, &subject, &body, &state)
	if err != nil {
		t.Fatal(err)
	}
	if to != "liga@example.lv" || lang != "en" || tmpl != "rolerequest.info_requested" || state != "pending" {
		t.Errorf("row = %q %q %q %q", to, lang, tmpl, state)
	}
	if !strings.Contains(subject, "More information") || !strings.Contains(body, "Pievienojiet diplomu.") {
		t.Errorf("subject %q / body %q not rendered", subject, body)
	}
}

func TestOutbox_EnqueueBadInput_ChangesNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := t.Context()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)

	_, err = storage.EnqueueMail(ctx, tx, "liga@example.lv\r\nBcc: x@example.lv", "lv", "rolerequest.expired", nil)
	wantError(t, err, domain.EINVALID, "email.format")
	if strings.Contains(err.Error(), "liga") {
		t.Errorf("error repeats the address: %v", err)
	}
	_, err = storage.EnqueueMail(ctx, tx, "liga@example.lv", "lv", "rolerequest.nonexistent", nil)
	wantError(t, err, domain.EINTERNAL, "")
	_, err = storage.EnqueueMail(ctx, tx, "liga@example.lv", "lv", "rolerequest.approved", map[string]string{"name": "Līga"})
	wantError(t, err, domain.EINTERNAL, "")
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countOutbox(t, db); n != 0 {
		t.Fatalf("%d messages stored, want 0", n)
	}
}

func TestOutbox_DeliverDue_SendsEachPendingMessageOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ids := enqueueOutbox(t, db, 5)
	rec := newOutboxRecorder()
	w := storage.NewOutboxWorker(db, rec, storage.OutboxOptions{BatchSize: 2})

	if sent, failed := deliverOutbox(t, w); sent != 5 || failed != 0 {
		t.Fatalf("first pass sent %d, failed %d; want 5, 0", sent, failed)
	}
	if sent, failed := deliverOutbox(t, w); sent != 0 || failed != 0 {
		t.Fatalf("second pass sent %d, failed %d; want 0, 0", sent, failed)
	}
	for i, id := range ids {
		if n := rec.deliveries(id); n != 1 {
			t.Errorf("message %d delivered %d times, want 1", id, n)
		}
		m := rec.last[id]
		if m.ID != id || m.To != fmt.Sprintf("liga.ozolina+%d@example.lv", i) || m.Lang != "lv" ||
			m.Template != "rolerequest.taken_over" || !strings.Contains(m.Body, "Iestāde neatbild 10 dienas.") ||
			m.Subject == "" || m.Attempts != 1 || m.CreatedAt.IsZero() {
			t.Errorf("sender got %+v", m)
		}
		if r := readOutbox(t, db, id); r.State != "sent" || !r.Sent || r.Leased || r.Attempts != 1 {
			t.Errorf("message %d after delivery: %+v", id, r)
		}
	}
	stats, err := db.OutboxStats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats != (storage.OutboxCounts{Sent: 5}) {
		t.Errorf("stats = %+v, want 5 sent", stats)
	}
}

func TestOutbox_TwoConcurrentWorkers_EveryMessageSentExactlyOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	const n = 200
	ids := enqueueOutbox(t, db, n)
	rec := newOutboxRecorder()
	rec.delay = 2 * time.Millisecond

	var wg sync.WaitGroup
	var total [2]int
	for i := range 2 {
		// Each worker has a pool of its own, as two servers would.
		wdb := pgtest.NewDB(t)
		w := storage.NewOutboxWorker(wdb, rec, storage.OutboxOptions{BatchSize: 7})
		wg.Go(func() {
			for range 3 {
				sent, _, err := w.DeliverDue(t.Context())
				if err != nil {
					t.Errorf("worker %d: %v", i, err)
					return
				}
				total[i] += sent
			}
		})
	}
	wg.Wait()

	if total[0]+total[1] != n {
		t.Errorf("workers report %d + %d sent, want %d in all", total[0], total[1], n)
	}
	if total[0] == 0 || total[1] == 0 {
		t.Logf("one worker sent everything (%d, %d): the race was not exercised this time", total[0], total[1])
	}
	for _, id := range ids {
		if c := rec.deliveries(id); c != 1 {
			t.Errorf("message %d delivered %d times, want exactly 1", id, c)
		}
	}
	stats, err := db.OutboxStats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Sent != n || stats.Pending+stats.Sending+stats.Failed != 0 {
		t.Errorf("stats = %+v, want all %d sent", stats, n)
	}
}

func TestOutbox_FailingSender_RetriesWithBackoffUntilItRecovers(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	id := enqueueOutbox(t, db, 1)[0]
	rec := newOutboxRecorder()
	rec.setFail(func(*domain.Mail) error {
		return errors.New("451 4.3.0 <liga.ozolina+0@example.lv> (Līga, 180565-05610): try again later")
	})
	w := storage.NewOutboxWorker(db, rec, storage.OutboxOptions{})

	if sent, failed := deliverOutbox(t, w); sent != 0 || failed != 1 {
		t.Fatalf("sent %d, failed %d; want 0, 1", sent, failed)
	}
	r := readOutbox(t, db, id)
	if r.State != "pending" || r.Attempts != 1 || r.Leased {
		t.Fatalf("after a failure: %+v", r)
	}
	// 30 s, less up to a fifth.
	if r.DueIn < 23*time.Second || r.DueIn > 30*time.Second {
		t.Errorf("next try in %v, want 24–30 s", r.DueIn)
	}
	if !strings.Contains(r.LastError, "451 4.3.0") {
		t.Errorf("last_error %q lost the reply", r.LastError)
	}
	for _, personal := range []string{"@", "liga.ozolina", "05610"} {
		if strings.Contains(r.LastError, personal) {
			t.Errorf("last_error %q contains %q", r.LastError, personal)
		}
	}
	if stats, _ := db.OutboxStats(t.Context()); stats.Pending != 1 || stats.OldestPending.IsZero() {
		t.Errorf("stats = %+v, want 1 pending with its age", stats)
	}

	// Not due yet: nothing happens.
	if sent, failed := deliverOutbox(t, w); sent != 0 || failed != 0 {
		t.Fatalf("before the next try: sent %d, failed %d", sent, failed)
	}

	// A second failure waits twice as long.
	makeOutboxDue(t, db, id)
	deliverOutbox(t, w)
	if r := readOutbox(t, db, id); r.Attempts != 2 || r.DueIn < 47*time.Second || r.DueIn > 60*time.Second {
		t.Errorf("after a second failure: %+v, want attempt 2 due in 48–60 s", r)
	}

	rec.setFail(nil)
	makeOutboxDue(t, db, id)
	if sent, failed := deliverOutbox(t, w); sent != 1 || failed != 0 {
		t.Fatalf("after recovery: sent %d, failed %d; want 1, 0", sent, failed)
	}
	if r := readOutbox(t, db, id); r.State != "sent" || r.Attempts != 3 {
		t.Errorf("after recovery: %+v", r)
	}
	if n := rec.deliveries(id); n != 1 {
		t.Errorf("delivered %d times, want 1", n)
	}
}

func TestOutbox_BackoffIsCapped(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	id := enqueueOutbox(t, db, 1)[0]
	rec := newOutboxRecorder()
	rec.setFail(func(*domain.Mail) error { return errors.New("connection refused") })
	w := storage.NewOutboxWorker(db, rec, storage.OutboxOptions{MaxAttempts: 20})
	if _, err := db.Pool().Exec(t.Context(), "UPDATE outbox SET attempts = 15 WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
	deliverOutbox(t, w)
	if r := readOutbox(t, db, id); r.State != "pending" || r.DueIn < 47*time.Minute || r.DueIn > time.Hour {
		t.Errorf("after attempt 16: %+v, want pending, due within the hour's cap", r)
	}
}

func TestOutbox_MaxAttempts_MarksFailed(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	id := enqueueOutbox(t, db, 1)[0]
	rec := newOutboxRecorder()
	rec.setFail(func(*domain.Mail) error { return errors.New("connection refused") })
	w := storage.NewOutboxWorker(db, rec, storage.OutboxOptions{MaxAttempts: 3})

	for attempt := 1; attempt <= 3; attempt++ {
		makeOutboxDue(t, db, id)
		if _, failed := deliverOutbox(t, w); failed != 1 {
			t.Fatalf("attempt %d: failed %d, want 1", attempt, failed)
		}
	}
	if r := readOutbox(t, db, id); r.State != "failed" || r.Attempts != 3 || r.LastError != "connection refused" {
		t.Fatalf("after 3 attempts: %+v, want failed", r)
	}
	rec.setFail(nil)
	makeOutboxDue(t, db, id)
	if sent, _ := deliverOutbox(t, w); sent != 0 || rec.deliveries(id) != 0 {
		t.Fatal("a failed message was sent again")
	}
	if stats, _ := db.OutboxStats(t.Context()); stats.Failed != 1 || !stats.OldestPending.IsZero() {
		t.Errorf("stats = %+v, want 1 failed and nothing waiting", stats)
	}
}

func TestOutbox_PermanentError_FailsAtOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	id := enqueueOutbox(t, db, 1)[0]
	rec := newOutboxRecorder()
	rec.setFail(func(*domain.Mail) error { return permanentSendErr{"550 5.1.1 no such user"} })
	deliverOutbox(t, storage.NewOutboxWorker(db, rec, storage.OutboxOptions{}))
	if r := readOutbox(t, db, id); r.State != "failed" || r.Attempts != 1 {
		t.Fatalf("after a permanent failure: %+v, want failed after 1 attempt", r)
	}
}

func TestOutbox_StuckInSendingPastItsLease_IsRetried(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	id := enqueueOutbox(t, db, 1)[0]
	rec := newOutboxRecorder()
	w := storage.NewOutboxWorker(db, rec, storage.OutboxOptions{})

	// A worker claimed it and died; its lease still runs.
	if _, err := db.Pool().Exec(t.Context(), `
		UPDATE outbox SET state = 'sending', attempts = 1, locked_until = now() + interval '1 minute'
		 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if sent, _ := deliverOutbox(t, w); sent != 0 {
		t.Fatal("a message under another worker's lease was sent")
	}
	if _, err := db.Pool().Exec(t.Context(), "UPDATE outbox SET locked_until = now() - interval '1 second' WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
	if sent, _ := deliverOutbox(t, w); sent != 1 {
		t.Fatal("a message whose lease ran out was not retried")
	}
	if r := readOutbox(t, db, id); r.State != "sent" || r.Attempts != 2 {
		t.Errorf("after the retry: %+v, want sent at attempt 2", r)
	}
}

func TestOutbox_StuckInSendingAfterTheLastAttempt_MarkedFailed(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	id := enqueueOutbox(t, db, 1)[0]
	rec := newOutboxRecorder()
	if _, err := db.Pool().Exec(t.Context(), `
		UPDATE outbox SET state = 'sending', attempts = 3, locked_until = now() - interval '1 second'
		 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	deliverOutbox(t, storage.NewOutboxWorker(db, rec, storage.OutboxOptions{MaxAttempts: 3}))
	if r := readOutbox(t, db, id); r.State != "failed" || r.Leased || r.LastError == "" {
		t.Errorf("got %+v, want failed with a reason", r)
	}
	if rec.deliveries(id) != 0 {
		t.Error("a message past its last attempt was sent")
	}
}

func TestOutbox_FinalWrite_IgnoredWhenTheClaimChangedHands(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	id := enqueueOutbox(t, db, 1)[0]
	rec := newOutboxRecorder()
	// While this worker sends, its lease runs out and another worker
	// claims the message (attempt 2).
	rec.setFail(func(m *domain.Mail) error {
		_, err := db.Pool().Exec(context.Background(), `
			UPDATE outbox SET attempts = attempts + 1, locked_until = now() + interval '1 minute'
			 WHERE id = $1`, m.ID)
		return err
	})
	deliverOutbox(t, storage.NewOutboxWorker(db, rec, storage.OutboxOptions{}))
	if r := readOutbox(t, db, id); r.State != "sending" || r.Sent || r.Attempts != 2 {
		t.Errorf("got %+v: the late write of the first claim changed the second's row", r)
	}
}

func TestOutbox_DeliverDueCancelled_HandsUnsentMessagesBack(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ids := enqueueOutbox(t, db, 3)
	rec := newOutboxRecorder()
	ctx, cancel := context.WithCancel(t.Context())
	rec.setFail(func(m *domain.Mail) error {
		cancel()
		return context.Canceled
	})
	_, _, err := storage.NewOutboxWorker(db, rec, storage.OutboxOptions{}).DeliverDue(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("DeliverDue = %v, want context.Canceled", err)
	}
	for _, id := range ids {
		if r := readOutbox(t, db, id); r.State != "pending" || r.Attempts != 0 || r.Leased || r.DueIn > 0 {
			t.Errorf("message %d: %+v, want pending, due, no attempt counted", id, r)
		}
	}
}

func TestOutbox_Run_WakesOnNewMailAndStopsWithItsContext(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	feed := startFeed(t)
	ch, stop := feed.Subscribe(domain.TopicDB)
	waitFor(t, ch, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})
	stop()

	rec := newOutboxRecorder()
	// Polling alone would take an hour: only the notification can wake it.
	w := storage.NewOutboxWorker(db, rec, storage.OutboxOptions{Feed: feed, PollInterval: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	// Let the first pass (finding nothing) finish before the mail arrives.
	time.Sleep(100 * time.Millisecond)
	id := enqueueOutbox(t, db, 1)[0]
	deadline := time.Now().Add(5 * time.Second)
	for rec.deliveries(id) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the new message was not delivered within 5 seconds")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop within 5 seconds")
	}
	if r := readOutbox(t, db, id); r.State != "sent" {
		t.Errorf("after Run: %+v", r)
	}
}
