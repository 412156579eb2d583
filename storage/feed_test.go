package storage_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// startFeed runs a change feed on the test's database until the test ends.
func startFeed(t *testing.T) *storage.ChangeFeed {
	t.Helper()
	feed := storage.NewChangeFeed(pgtest.URL(t))
	feed.MinBackoff = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- feed.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return feed
}

// next returns the next change on ch, failing the test after 5 seconds.
func next(t *testing.T, ch <-chan domain.Change) domain.Change {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no change within 5 seconds")
		return domain.Change{}
	}
}

// waitFor reads ch until want arrives.
func waitFor(t *testing.T, ch <-chan domain.Change, want domain.Change) {
	t.Helper()
	for {
		if c := next(t, ch); c == want {
			return
		}
	}
}

func TestFeed_OperatorChange_ReachesSubscriber(t *testing.T) {
	db := pgtest.NewDB(t)
	feed := startFeed(t)
	ch, stop := feed.Subscribe(domain.TopicOperator)
	defer stop()
	waitFor(t, ch, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})
	if !feed.Connected() {
		t.Fatal("Connected() = false after db up")
	}

	op := newOperator(t, db, "ilze")
	id := strconv.FormatInt(op.ID, 10)
	if c := next(t, ch); c != (domain.Change{Topic: domain.TopicOperator, ID: id}) {
		t.Fatalf("got %+v, want operator %s", c, id)
	}
	if err := storage.NewOperatorService(db).SetOperatorDisabled(adminCtx(t), "ilze", true, "left"); err != nil {
		t.Fatal(err)
	}
	if c := next(t, ch); c != (domain.Change{Topic: domain.TopicOperator, ID: id}) {
		t.Fatalf("got %+v after disabling, want operator %s", c, id)
	}
}

func TestFeed_Notify_DeliveredOnCommitToTheTopicsSubscribers(t *testing.T) {
	db := pgtest.NewDB(t)
	feed := startFeed(t)
	requests, stopRequests := feed.Subscribe(domain.TopicRoleRequest)
	defer stopRequests()
	operators, stopOperators := feed.Subscribe(domain.TopicOperator)
	defer stopOperators()
	waitFor(t, requests, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})
	waitFor(t, operators, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})

	ctx := t.Context()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.Notify(ctx, tx, domain.TopicRoleRequest, "17"); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-requests:
		t.Fatalf("got %+v before commit", c)
	case <-time.After(200 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if c := next(t, requests); c != (domain.Change{Topic: domain.TopicRoleRequest, ID: "17"}) {
		t.Fatalf("got %+v", c)
	}
	select {
	case c := <-operators:
		t.Fatalf("an operator subscriber got %+v", c)
	case <-time.After(200 * time.Millisecond):
	}

	wantError(t, storage.Notify(ctx, nil, "a:b", "1"), domain.EINVALID, "")
}

func TestFeed_ConnectionKilled_EmitsDownThenUpAndKeepsDelivering(t *testing.T) {
	db := pgtest.NewDB(t)
	feed := startFeed(t)
	ch, stop := feed.Subscribe(domain.TopicOperator)
	defer stop()
	waitFor(t, ch, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})

	var killed int
	err := db.Pool().QueryRow(t.Context(), `
		SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		 WHERE application_name = 'ppp-feed' AND datname = current_database()`).Scan(&killed)
	if err != nil {
		t.Fatal(err)
	}
	if killed != 1 {
		t.Fatalf("terminated %d feed connections, want 1", killed)
	}
	if c := next(t, ch); c != (domain.Change{Topic: domain.TopicDB, ID: domain.ChangeDown}) {
		t.Fatalf("got %+v, want db down", c)
	}
	if c := next(t, ch); c != (domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp}) {
		t.Fatalf("got %+v, want db up", c)
	}
	if !feed.Connected() {
		t.Fatal("Connected() = false after reconnecting")
	}

	op := newOperator(t, db, "ilze")
	if c := next(t, ch); c != (domain.Change{Topic: domain.TopicOperator, ID: strconv.FormatInt(op.ID, 10)}) {
		t.Fatalf("after reconnecting got %+v", c)
	}
}

func TestFeed_SlowSubscriber_LosesChangesWithoutBlockingOthers(t *testing.T) {
	db := pgtest.NewDB(t)
	feed := startFeed(t)
	slow, stopSlow := feed.Subscribe()
	defer stopSlow()
	fast, stopFast := feed.Subscribe()
	defer stopFast()
	waitFor(t, fast, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})

	notify := func(ids ...string) {
		t.Helper()
		tx, err := db.Pool().Begin(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := storage.Notify(t.Context(), tx, "thing", id); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}
	}

	// Flood both subscribers; only the slow one never reads.
	var flood []string
	for i := range 200 {
		flood = append(flood, strconv.Itoa(i))
	}
	notify(flood...)
	// Let the fast one catch up, then send one more: it must arrive
	// although the slow one's buffer is full.
	for quiet := false; !quiet; {
		select {
		case <-fast:
		case <-time.After(300 * time.Millisecond):
			quiet = true
		}
	}
	notify("last")
	waitFor(t, fast, domain.Change{Topic: "thing", ID: "last"})

	if len(slow) != 64 {
		t.Fatalf("the slow subscriber holds %d changes, want its buffer's 64", len(slow))
	}
	stopSlow()
	for range slow { // stop closes the channel, so this ends
	}
}

// TestFeed_SlowSubscriber_StillLearnsTheDatabaseState proves that a
// subscriber whose buffer is full (a busy session) still gets {db down}
// and then {db up} when the connection is lost and comes back: a session
// that missed {db up} would show "reconnecting" for ever and never re-read
// the changes it missed.
func TestFeed_SlowSubscriber_StillLearnsTheDatabaseState(t *testing.T) {
	db := pgtest.NewDB(t)
	feed := startFeed(t)
	slow, stopSlow := feed.Subscribe()
	defer stopSlow()
	fast, stopFast := feed.Subscribe(domain.TopicDB)
	defer stopFast()
	waitFor(t, fast, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})

	tx, err := db.Pool().Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if err := storage.Notify(t.Context(), tx, "thing", strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(slow) < cap(slow) {
		if time.Now().After(deadline) {
			t.Fatalf("the slow subscriber holds %d changes; want a full buffer", len(slow))
		}
		time.Sleep(10 * time.Millisecond)
	}

	if _, err := db.Pool().Exec(t.Context(), `
		SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		 WHERE application_name = 'ppp-feed' AND datname = current_database()`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, fast, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeDown})
	waitFor(t, fast, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})

	// The feed hands {db up} to each subscriber in turn: the fast one
	// having it does not mean the slow one has it yet, so read the slow
	// one until it has arrived (or a deadline passes).
	var got []domain.Change
	up := domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp}
	deadline = time.Now().Add(10 * time.Second)
	for len(got) == 0 || got[len(got)-1] != up {
		select {
		case c := <-slow:
			got = append(got, c)
		case <-time.After(time.Until(deadline)):
			t.Fatalf("the slow subscriber's last changes are %v; want db down, then db up", got[max(len(got)-3, 0):])
		}
	}
	n := len(got)
	if n < 2 || got[n-2] != (domain.Change{Topic: domain.TopicDB, ID: domain.ChangeDown}) || got[n-1] != (domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp}) {
		t.Fatalf("the slow subscriber's last changes are %v; want db down, then db up", got[max(n-3, 0):])
	}
}
