//go:build faults

package main_test

import (
	"context"
	"io"
	"net"
	neturl "net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// tcpToSocket is a stand-in for a primary's TCP address: it forwards
// connections to the test cluster's Unix socket until it is shut, when
// every connection through it breaks and new ones are refused, as when a
// primary's machine goes away.
type tcpToSocket struct {
	ln     net.Listener
	socket string
	mu     sync.Mutex
	conns  []net.Conn
	served int
}

func forwardTo(t *testing.T, socket string) *tcpToSocket {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &tcpToSocket{ln: ln, socket: socket}
	t.Cleanup(f.shut)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("unix", socket)
			if err != nil {
				c.Close()
				continue
			}
			f.mu.Lock()
			f.conns = append(f.conns, c, s)
			f.served++
			f.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
	return f
}

func (f *tcpToSocket) shut() {
	_ = f.ln.Close()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		_ = c.Close()
	}
}

// silentHost accepts connections and never answers: a host that hangs
// (a machine gone without a reset, a stuck server).
func silentHost(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	var mu sync.Mutex
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range held {
			c.Close()
		}
		mu.Unlock()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	return ln.Addr().String()
}

// TestFaults_PrimarySwitchover_PoolFeedAndSweepsFollowTheURLsHosts: with
// PPP_DATABASE_URL listing several hosts, the server follows the primary.
// The test's database is reached through two addresses, as a primary and
// the standby promoted in its place hold the same data: first through a
// TCP forwarder (the primary), then, once that is shut (every connection
// broken, new ones refused), straight through the cluster's socket (the
// new primary). A first host that hangs instead of refusing is left
// after a connect timeout, not after the operating system's minutes. The
// pool serves before and after the switch, the change feed reports the
// loss and the return and delivers a NOTIFY sent after the switch, and a
// sweep takes its lease and runs on both sides.
func TestFaults_PrimarySwitchover_PoolFeedAndSweepsFollowTheURLsHosts(t *testing.T) {
	t.Parallel()
	base, err := neturl.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := base.Query()
	socketDir, port := q.Get("host"), q.Get("port")
	if socketDir == "" || !filepath.IsAbs(socketDir) {
		t.Skip("the test database is not on a Unix socket")
	}
	primary := forwardTo(t, filepath.Join(socketDir, ".s.PGSQL."+port))
	hung := silentHost(t)
	multi := func(hosts ...string) string {
		u := *base
		q := u.Query()
		var hs, ps string
		for i, h := range hosts {
			host, p, err := net.SplitHostPort(h)
			if err != nil {
				host, p = h, port
			}
			if i > 0 {
				hs, ps = hs+",", ps+","
			}
			hs, ps = hs+host, ps+p
		}
		q.Set("host", hs)
		q.Set("port", ps)
		u.RawQuery = q.Encode()
		return u.String()
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	// A hung first host is given up after the connect timeout.
	start := time.Now()
	hctx, hcancel := context.WithTimeout(ctx, 15*time.Second)
	db0, err := storage.Open(hctx, multi(hung, socketDir))
	hcancel()
	if err != nil {
		t.Fatalf("open with a hung first host: %v", err)
	}
	db0.Close()
	t.Logf("a hung first host was left after %v", time.Since(start).Round(time.Millisecond))

	url := multi(primary.ln.Addr().String(), socketDir) + "&target_session_attrs=read-write"
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	feed := storage.NewChangeFeed(url)
	feed.MinBackoff, feed.MaxBackoff = 50*time.Millisecond, 200*time.Millisecond
	changes, unsubscribe := feed.Subscribe()
	defer unsubscribe()
	fctx, stopFeed := context.WithCancel(ctx)
	feedDone := make(chan struct{})
	go func() { defer close(feedDone); _ = feed.Run(fctx) }()
	defer func() { stopFeed(); <-feedDone }()

	waitChange := func(what string, ok func(domain.Change) bool) {
		t.Helper()
		for {
			select {
			case c := <-changes:
				if ok(c) {
					return
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no %s within 10 s", what)
			}
		}
	}
	isDB := func(id string) func(domain.Change) bool {
		return func(c domain.Change) bool { return c.Topic == domain.TopicDB && c.ID == id }
	}
	notify := func(id string) {
		t.Helper()
		if _, err := db.Pool().Exec(ctx, `SELECT pg_notify('ppp_change', $1)`, "hatest:"+id); err != nil {
			t.Fatalf("NOTIFY %s: %v", id, err)
		}
		waitChange("NOTIFY "+id, func(c domain.Change) bool { return c.Topic == "hatest" && c.ID == id })
	}
	sweep := func(when string) {
		t.Helper()
		run, err := storage.NewSweeper(db, "ha-test").RunSweep(ctx, storage.SweepRoleExpiry, time.Now())
		if err != nil || run.Skipped {
			t.Fatalf("sweep %s the switch: %+v, %v", when, run, err)
		}
	}

	waitChange("{db up}", isDB(domain.ChangeUp))
	notify("before")
	sweep("before")
	primary.mu.Lock()
	through := primary.served
	primary.mu.Unlock()
	if through < 2 {
		t.Fatalf("%d connections through the first host, want the pool's and the feed's", through)
	}

	// The primary goes away.
	primary.shut()
	waitChange("{db down}", isDB(domain.ChangeDown))
	waitChange("{db up} on the second host", isDB(domain.ChangeUp))
	// The pool's connections to the old primary are dead; the first
	// statement after the switch may be the one that finds out.
	var err1 error
	for range 3 {
		if _, err1 = db.Pool().Exec(ctx, `SELECT 1`); err1 == nil {
			break
		}
	}
	if err1 != nil {
		t.Fatalf("the pool after the switch: %v", err1)
	}
	notify("after")
	sweep("after")
}
