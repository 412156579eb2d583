package observe

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// fakeFeed is a change feed's state the test sets.
type fakeFeed struct{ up atomic.Bool }

func (f *fakeFeed) Connected() bool   { return f.up.Load() }
func (f *fakeFeed) Reconnects() int64 { return 3 }

// countingRead stands for storage.DB.ReadMetrics and counts its calls: the
// database queries a scrape would cost.
type countingRead struct {
	calls atomic.Int64
	fail  atomic.Bool
}

func (c *countingRead) read(context.Context) (*storage.Metrics, error) {
	c.calls.Add(1)
	if c.fail.Load() {
		return nil, errors.New("database not reachable")
	}
	return &storage.Metrics{At: time.Now(), Queues: []domain.QueueTile{{Queue: domain.QueueHelpdesk, Count: 2, Oldest: time.Now().Add(-time.Minute)}},
		Sweeps: []storage.SweepMetrics{{Sweep: storage.SweepDeathCheck, Interval: 10 * time.Minute, LastSuccess: time.Now()}}}, nil
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

// TestMetrics_ScrapeStorm_ReadsTheDatabaseOnce is the DoS bound of
// /metrics: 50 scrapes, 25 of them at once, within the cache period cost
// one read of the database, not 50. With the cache off (CacheFor 1 ns)
// the same storm cost 39 reads (the scrapes the in-flight limit did not
// turn away).
func TestMetrics_ScrapeStorm_ReadsTheDatabaseOnce(t *testing.T) {
	t.Parallel()
	var rd countingRead
	o := New(Options{Read: rd.read, Ready: func(context.Context) error { return nil }, CacheFor: time.Minute})
	h := o.Handler()
	var wg sync.WaitGroup
	for range 25 {
		wg.Go(func() {
			if code, _ := get(t, h, "/metrics"); code != http.StatusOK && code != http.StatusServiceUnavailable {
				t.Errorf("/metrics: status %d", code)
			}
		})
	}
	wg.Wait()
	for range 25 {
		if code, body := get(t, h, "/metrics"); code != http.StatusOK || !strings.Contains(body, `ppp_queue_depth{queue="helpdesk"} 2`) {
			t.Fatalf("/metrics: status %d\n%s", code, body)
		}
	}
	if n := rd.calls.Load(); n != 1 || o.Reads() != 1 {
		t.Errorf("50 scrapes read the database %d times (observer counted %d); want 1 within the cache period", n, o.Reads())
	}

	// A failing database is not asked more often either, and says so.
	var bad countingRead
	bad.fail.Store(true)
	o = New(Options{Read: bad.read, Ready: func(context.Context) error { return nil }, CacheFor: time.Minute})
	for range 50 {
		_, body := get(t, o.Handler(), "/metrics")
		if !strings.Contains(body, "ppp_metrics_db_up 0") || strings.Contains(body, "ppp_queue_depth") {
			t.Fatalf("a failed read should export ppp_metrics_db_up 0 and no database series:\n%s", body)
		}
	}
	if n := bad.calls.Load(); n != 1 {
		t.Errorf("50 scrapes of a failing database read it %d times; want 1", n)
	}
}

// TestReadyz_SaysWhyIn503 checks the probes: /healthz is 200 whatever the
// database; /readyz is 200 when the database is ready and the feed
// connected, and 503 with the short reason otherwise.
func TestReadyz_SaysWhyIn503(t *testing.T) {
	t.Parallel()
	var rd countingRead
	feed := &fakeFeed{}
	feed.up.Store(true)
	var dbErr atomic.Pointer[error]
	o := New(Options{Read: rd.read, Feed: feed, Ready: func(context.Context) error {
		if e := dbErr.Load(); e != nil {
			return *e
		}
		return nil
	}})
	h := o.Handler()
	if code, body := get(t, h, "/readyz"); code != http.StatusOK || body != "ready\n" {
		t.Fatalf("/readyz: %d %q; want 200 ready", code, body)
	}
	feed.up.Store(false)
	if code, body := get(t, h, "/readyz"); code != http.StatusServiceUnavailable || body != "change feed not connected\n" {
		t.Fatalf("/readyz with the feed down: %d %q", code, body)
	}
	feed.up.Store(true)
	e := errors.New("database not reachable")
	dbErr.Store(&e)
	time.Sleep(readyCacheFor + 100*time.Millisecond) // the readiness cache
	if code, body := get(t, h, "/readyz"); code != http.StatusServiceUnavailable || body != "database not reachable\n" {
		t.Fatalf("/readyz with the database gone: %d %q", code, body)
	}
	if code, body := get(t, h, "/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Fatalf("/healthz: %d %q; want 200 ok while the process is up", code, body)
	}
	_, body := get(t, h, "/metrics")
	if !strings.Contains(body, "ppp_feed_connected 1") || !strings.Contains(body, "ppp_feed_reconnects_total 3") {
		t.Errorf("/metrics lacks the feed's state:\n%s", body)
	}
}

// TestMetrics_LabelsOnlyFromFixedSets: sign-ins, claims and decisions
// take their labels from fixed sets; a value from outside (a user name
// where a method belongs, an unknown action) is dropped, never exported.
func TestMetrics_LabelsOnlyFromFixedSets(t *testing.T) {
	t.Parallel()
	var rd countingRead
	o := New(Options{Read: rd.read, Ready: func(context.Context) error { return nil }})
	o.SignIn(domain.SignInPassword, "failure")
	o.SignIn("anna.berzina@viaa.gov.lv", "failure")
	o.SignIn(domain.SignInPublicKey, "061193-06460")
	o.Audited(domain.AuditRoleRequestClaim)
	o.Audited(domain.AuditIMKApproved)
	o.Audited("x.061193-06460")
	_, body := get(t, o.Handler(), "/metrics")
	for _, want := range []string{
		`ppp_sign_ins_total{method="password",outcome="failure"} 1`,
		`ppp_sign_ins_total{method="publickey",outcome="success"} 0`,
		`ppp_claims_total{queue="role_requests"} 1`,
		`ppp_decisions_total{action="imk.approved"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, never := range []string{"anna", "061193", "x."} {
		if strings.Contains(body, never) {
			t.Errorf("/metrics carries %q from outside the fixed label sets", never)
		}
	}
}
