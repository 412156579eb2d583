package storage

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// changeChannel is the NOTIFY channel every change is announced on, as
// "topic:id".
const changeChannel = "ppp_change"

// feedApplicationName is what pg_stat_activity shows for the feed's
// connection.
const feedApplicationName = "ppp-feed"

// subscriberBuffer is how many changes a subscriber may fall behind before
// it loses some.
const subscriberBuffer = 64

// Notify announces, when tx commits, that the row id of topic changed. The
// payload must not carry personal data: it is visible to every database
// user. It returns EINVALID for a topic containing ':'.
func Notify(ctx context.Context, tx pgx.Tx, topic, id string) error {
	if topic == "" || strings.Contains(topic, ":") {
		return domain.Errorf(domain.EINVALID, "", "invalid change topic %q", topic)
	}
	_, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", changeChannel, topic+":"+id)
	return dbError("notify "+topic, err)
}

// ChangeFeed listens for the database's change notifications on one
// dedicated connection and hands them to subscribers. It implements
// domain.ChangeFeed. Run keeps the connection, reconnecting after any
// failure; subscribers are told {db down} when it is lost and {db up} when
// it is back, and should then re-read what they show, since notifications
// sent meanwhile are lost.
type ChangeFeed struct {
	url string

	// MinBackoff and MaxBackoff bound the wait between reconnection
	// attempts, which doubles from the one to the other. Sessions show
	// "reconnecting" until the feed is back, so the cap (2 s) is what an
	// operator waits at most after the database returns.
	MinBackoff, MaxBackoff time.Duration
	// IdleCheck is how long the connection may be silent before it is
	// pinged, so that a connection that died quietly is noticed.
	IdleCheck time.Duration
	// Logger receives connection losses; nil discards them.
	Logger *slog.Logger

	connected atomic.Bool
	// ups counts the times the feed began listening; every one after
	// the first is a reconnection.
	ups atomic.Int64

	mu   sync.Mutex
	subs map[*subscription]struct{}
}

// subscription is one subscriber's channel and the topics it wants.
type subscription struct {
	ch     chan domain.Change
	topics []string
}

var _ domain.ChangeFeed = (*ChangeFeed)(nil)

// NewChangeFeed returns a feed on the database at url; call Run to start
// it.
func NewChangeFeed(url string) *ChangeFeed {
	return &ChangeFeed{
		url:        url,
		MinBackoff: 100 * time.Millisecond,
		MaxBackoff: 2 * time.Second,
		IdleCheck:  10 * time.Second,
		subs:       map[*subscription]struct{}{},
	}
}

// Connected reports whether the feed is listening now.
func (f *ChangeFeed) Connected() bool { return f.connected.Load() }

// Reconnects returns how often the feed has listened again after losing
// its connection, since Run began.
func (f *ChangeFeed) Reconnects() int64 { return max(f.ups.Load()-1, 0) }

// Subscribe returns a channel receiving the changes of the given topics
// (every topic when none is given) and a function that ends the
// subscription and closes the channel. Changes of topic "db" reach every
// subscriber. A subscriber more than 64 changes behind loses the newest
// rather than holding up the others; a change of topic "db" displaces
// the oldest instead, so it is never lost.
func (f *ChangeFeed) Subscribe(topics ...string) (<-chan domain.Change, func()) {
	sub := &subscription{ch: make(chan domain.Change, subscriberBuffer), topics: topics}
	f.mu.Lock()
	f.subs[sub] = struct{}{}
	f.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.subs, sub)
			close(sub.ch)
			f.mu.Unlock()
		})
	}
}

// publish hands c to every subscriber that wants it, without waiting. A
// subscriber whose buffer is full loses c, except a change of the
// database's state ({db down}, {db up}): for that the oldest change
// waiting is dropped instead, since a subscriber that missed {db up}
// would say "reconnecting" for ever and never re-read what it shows, and
// one that gets it re-reads everything anyway.
func (f *ChangeFeed) publish(c domain.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for sub := range f.subs {
		if c.Topic != domain.TopicDB && len(sub.topics) > 0 && !slices.Contains(sub.topics, c.Topic) {
			continue
		}
		select {
		case sub.ch <- c:
			continue
		default:
		}
		if c.Topic != domain.TopicDB {
			continue
		}
		select {
		case <-sub.ch:
		default:
		}
		select {
		case sub.ch <- c:
		default:
		}
	}
}

// setConnected records the state of the connection and tells subscribers
// when it changed.
func (f *ChangeFeed) setConnected(up bool) {
	if f.connected.Swap(up) == up {
		return
	}
	if up {
		f.ups.Add(1)
		f.publish(domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})
	} else {
		f.publish(domain.Change{Topic: domain.TopicDB, ID: domain.ChangeDown})
	}
}

// Run listens until ctx is done, reconnecting with growing pauses after
// every failure, and returns nil then. It returns an error at once only
// when the url is malformed (EINVALID).
func (f *ChangeFeed) Run(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(f.url)
	if err != nil {
		return &domain.Error{Code: domain.EINVALID, Key: "db.bad_url", Message: "change feed: " + err.Error()}
	}
	cfg.RuntimeParams["application_name"] = feedApplicationName
	followPrimary(&cfg.Config, f.url)

	backoff := f.MinBackoff
	for {
		listened, err := f.listen(ctx, cfg)
		f.setConnected(false)
		if ctx.Err() != nil {
			return nil
		}
		if listened {
			// It worked until now: try again soon.
			backoff = f.MinBackoff
		}
		if f.Logger != nil {
			f.Logger.Warn("change feed: no connection", "err", err, "retry_in", backoff)
		}
		// Up to a quarter less, so that many servers do not all
		// reconnect at the same instant after a restart.
		wait := backoff - time.Duration(rand.Int64N(int64(backoff)/4+1))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		backoff = min(2*backoff, f.MaxBackoff)
	}
}

// listen connects, listens, and delivers notifications until the
// connection fails or ctx is done. It reports whether it got as far as
// listening, and why it stopped.
func (f *ChangeFeed) listen(ctx context.Context, cfg *pgx.ConnConfig) (listened bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, dbError("change feed: connect", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		return false, dbError("change feed: listen", err)
	}
	f.setConnected(true)

	for {
		wctx, cancel := context.WithTimeout(ctx, f.IdleCheck)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			topic, id, _ := strings.Cut(n.Payload, ":")
			f.publish(domain.Change{Topic: topic, ID: id})
		case ctx.Err() != nil:
			return true, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			// Quiet for a while: make sure the server is still there.
			pctx, cancel := context.WithTimeout(ctx, f.IdleCheck)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return true, dbError("change feed: ping", err)
			}
		default:
			return true, dbError("change feed: wait", err)
		}
	}
}
