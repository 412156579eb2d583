package contracttest

import (
	"strconv"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// FeedHarness is an implementation of domain.ChangeFeed, connected, with
// what the suite needs around it.
type FeedHarness interface {
	// Service returns the feed under test.
	Service() domain.ChangeFeed
	// Publish makes the change of topic and id happen, as a committed
	// write announces it.
	Publish(t *testing.T, topic, id string)
	// Interrupt loses the feed's connection to the database once; the
	// feed tells {db down}, gets it back by itself and tells {db up}.
	Interrupt(t *testing.T)
}

// nextChange returns the next change on ch, failing the test after 5
// seconds or when ch is closed.
func nextChange(t *testing.T, ch <-chan domain.Change) domain.Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatal("the subscription's channel was closed")
		}
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no change within 5 seconds")
		return domain.Change{}
	}
}

// wantChange fails unless the next change on ch is want.
func wantChange(t *testing.T, what string, ch <-chan domain.Change, want domain.Change) {
	t.Helper()
	if c := nextChange(t, ch); c != want {
		t.Fatalf("%s: got %+v, want %+v", what, c, want)
	}
}

// RunChangeFeed runs the change feed's suite, each test on a harness of
// its own from newHarness.
func RunChangeFeed(t *testing.T, newHarness func(t *testing.T) FeedHarness) {
	run := func(name string, f func(t *testing.T, h FeedHarness, feed domain.ChangeFeed)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			f(t, h, h.Service())
		})
	}
	down := domain.Change{Topic: domain.TopicDB, ID: domain.ChangeDown}
	up := domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp}

	run("Change_ReachesTheSubscribersOfItsTopic_WithItsID", func(t *testing.T, h FeedHarness, feed domain.ChangeFeed) {
		requests, stopRequests := feed.Subscribe(domain.TopicRoleRequest)
		defer stopRequests()
		operators, stopOperators := feed.Subscribe(domain.TopicOperator)
		defer stopOperators()
		all, stopAll := feed.Subscribe()
		defer stopAll()
		if !feed.Connected() {
			t.Fatal("Connected() = false on a connected feed")
		}

		h.Publish(t, domain.TopicRoleRequest, "17")
		h.Publish(t, domain.TopicOperator, "4")
		wantChange(t, "role request subscriber", requests, domain.Change{Topic: domain.TopicRoleRequest, ID: "17"})
		// Changes arrive in order: the operator subscriber's first change
		// being the operator's proves the role request never reached it.
		wantChange(t, "operator subscriber", operators, domain.Change{Topic: domain.TopicOperator, ID: "4"})
		wantChange(t, "subscriber of everything", all, domain.Change{Topic: domain.TopicRoleRequest, ID: "17"})
		wantChange(t, "subscriber of everything", all, domain.Change{Topic: domain.TopicOperator, ID: "4"})
	})

	run("Unsubscribe_StopsDelivery_AndClosesTheChannel", func(t *testing.T, h FeedHarness, feed domain.ChangeFeed) {
		gone, stopGone := feed.Subscribe(domain.TopicTicket)
		stays, stopStays := feed.Subscribe(domain.TopicTicket)
		defer stopStays()
		h.Publish(t, domain.TopicTicket, "1")
		wantChange(t, "before unsubscribing", gone, domain.Change{Topic: domain.TopicTicket, ID: "1"})
		stopGone()
		stopGone() // a second call is harmless
		h.Publish(t, domain.TopicTicket, "2")
		wantChange(t, "the other subscriber", stays, domain.Change{Topic: domain.TopicTicket, ID: "1"})
		wantChange(t, "the other subscriber", stays, domain.Change{Topic: domain.TopicTicket, ID: "2"})
		select {
		case c, ok := <-gone:
			if ok {
				t.Fatalf("got %+v after unsubscribing", c)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the channel was not closed on unsubscribing")
		}
	})

	run("ConnectionLost_TellsEverySubscriberDownThenUp_AndKeepsDelivering", func(t *testing.T, h FeedHarness, feed domain.ChangeFeed) {
		requests, stop := feed.Subscribe(domain.TopicRoleRequest)
		defer stop()
		h.Interrupt(t)
		wantChange(t, "a role request subscriber", requests, down)
		wantChange(t, "a role request subscriber", requests, up)
		if !feed.Connected() {
			t.Fatal("Connected() = false after {db up}")
		}
		h.Publish(t, domain.TopicRoleRequest, "18")
		wantChange(t, "after reconnecting", requests, domain.Change{Topic: domain.TopicRoleRequest, ID: "18"})
	})

	run("SlowSubscriber_LosesChangesWithoutBlockingOthers_ButLearnsTheDatabaseState", func(t *testing.T, h FeedHarness, feed domain.ChangeFeed) {
		slow, stopSlow := feed.Subscribe(domain.TopicIMK)
		defer stopSlow()
		fast, stopFast := feed.Subscribe(domain.TopicIMK)
		defer stopFast()
		// More changes than any buffer holds, read one by one by the
		// fast subscriber and never by the slow one.
		const n = 100
		for i := range n {
			h.Publish(t, domain.TopicIMK, strconv.Itoa(i))
			wantChange(t, "the reading subscriber", fast, domain.Change{Topic: domain.TopicIMK, ID: strconv.Itoa(i)})
		}
		h.Interrupt(t)
		changes := 0
		for c := nextChange(t, slow); c != up; c = nextChange(t, slow) {
			if c.Topic == domain.TopicIMK {
				changes++
			}
		}
		if changes >= n {
			t.Errorf("a subscriber that never read kept all %d changes", changes)
		}
	})
}
