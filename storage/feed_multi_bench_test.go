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

// BenchmarkFeed_CommitOnOneInstance_SeenByAnother measures the change
// feed between two servers on one database (issue 19: "a claim on one is
// seen on the other within a second"): a transaction on server A's pool
// notifies a role request's change and commits; one op is the time until
// server B's feed, on its own LISTEN connection, hands the change to a
// subscriber. The screens then gather changes for queue.Debounce (250 ms)
// before they read, which is most of what an operator waits.
//
//	go test -run '^$' -bench CommitOnOneInstance -benchtime 200x ./storage/
func BenchmarkFeed_CommitOnOneInstance_SeenByAnother(b *testing.B) {
	db := pgtest.NewDB(b) // server A's pool
	feed := storage.NewChangeFeed(pgtest.URL(b))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- feed.Run(ctx) }()
	defer func() { cancel(); <-done }()
	ch, stop := feed.Subscribe(domain.TopicRoleRequest)
	defer stop()
	for c := range ch {
		if c == (domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp}) {
			break
		}
	}
	var worst time.Duration
	for i := 0; b.Loop(); i++ {
		id := strconv.Itoa(i)
		start := time.Now()
		tx, err := db.Pool().Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := storage.Notify(ctx, tx, domain.TopicRoleRequest, id); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		for c := range ch {
			if c.ID == id {
				break
			}
		}
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}
