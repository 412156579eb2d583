// Package observe is what a monitoring system sees of a running `ppp
// serve`: Prometheus metrics on /metrics, liveness on /healthz and
// readiness on /readyz (issue 19).
//
// The figures read from the database are read at most once per CacheFor
// (by one scrape; the others of that moment wait for it and share it), so
// that no rate of scrapes can put more than one read per period on the
// database. Every label comes from a fixed set (queue and sweep names,
// sign-in methods and outcomes, audit actions): no label, and no value,
// carries personal data.
package observe

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Defaults of Options.
const (
	DefaultCacheFor = 10 * time.Second
	DefaultTimeout  = 5 * time.Second
	// readyCacheFor bounds the readiness check's database calls the same
	// way, with a shorter period: a load balancer polls it often.
	readyCacheFor = time.Second
)

// Options is what the observer reads.
type Options struct {
	// Read reads the database's figures (storage.DB.ReadMetrics).
	Read func(ctx context.Context) (*storage.Metrics, error)
	// Ready reports why the database is not fit to serve, or nil: it
	// cannot be reached, or its migrations are not those of the binary.
	Ready func(ctx context.Context) error
	// Feed is the change feed's state; nil when there is none.
	Feed interface {
		Connected() bool
		Reconnects() int64
	}
	// Pool returns the connection pool's figures; nil when there is none.
	Pool func() *pgxpool.Stat
	// Sessions returns how many SSH sessions are open; nil before the
	// server exists.
	Sessions func() int
	// Build labels ppp_build_info (version, revision, go).
	Build map[string]string
	// CacheFor is how long one read of the database serves scrapes
	// (default DefaultCacheFor); Timeout bounds the read (default
	// DefaultTimeout).
	CacheFor, Timeout time.Duration
}

// Observer collects the metrics and answers the probes. Make it with New;
// it is safe for concurrent use.
type Observer struct {
	opts Options
	reg  *prometheus.Registry

	signIns   *prometheus.CounterVec
	claims    *prometheus.CounterVec
	decisions *prometheus.CounterVec

	sessions atomic.Pointer[func() int]

	mu      sync.Mutex // held during a read, so that scrapes share it
	snap    *storage.Metrics
	snapErr error
	snapAt  time.Time // when the last read ended, successful or not
	reads   atomic.Int64

	readyMu  sync.Mutex
	readyErr error
	readyAt  time.Time
}

// New returns an observer on a registry of its own (never the global
// default one): the process's Go and process figures, and the back
// office's.
func New(opts Options) *Observer {
	if opts.CacheFor <= 0 {
		opts.CacheFor = DefaultCacheFor
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	o := &Observer{opts: opts, reg: prometheus.NewRegistry()}
	o.signIns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ppp_sign_ins_total",
		Help: "Sign-ins to the SSH back office by method (publickey, password) and outcome (success, failure, refused, unavailable).",
	}, []string{"method", "outcome"})
	o.claims = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ppp_claims_total",
		Help: "Queue items claimed through this process, by queue.",
	}, []string{"queue"})
	o.decisions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ppp_decisions_total",
		Help: "Decisions committed through this process, by audit action.",
	}, []string{"action"})
	// Every series exists from the start, at 0, so that rate() and
	// absence alerts work before the first event.
	for _, m := range []domain.SignInMethod{domain.SignInPublicKey, domain.SignInPassword} {
		for _, out := range signInOutcomes {
			o.signIns.WithLabelValues(string(m), out)
		}
	}
	for _, q := range claimQueues {
		o.claims.WithLabelValues(q)
	}
	for _, a := range decisionActions {
		o.decisions.WithLabelValues(a)
	}
	if opts.Sessions != nil {
		o.SetSessions(opts.Sessions)
	}
	o.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		o.signIns, o.claims, o.decisions,
		(*collector)(o),
	)
	return o
}

// signInOutcomes are tui/server's outcomes (server.SignInOutcomes); kept
// here so that this package needs no SSH server.
var signInOutcomes = []string{"success", "failure", "refused", "unavailable"}

// claimQueues maps the audit action of a claim to its queue.
var claimQueues = map[string]string{
	domain.AuditRoleRequestClaim: domain.QueueRoleRequests,
	domain.AuditIMKClaim:         domain.QueueIMKReview,
	domain.AuditHelpdeskClaim:    domain.QueueHelpdesk,
	domain.AuditReverifyClaim:    domain.QueueReverify,
}

// decisionActions are the audit actions counted as decisions: an
// officer's on a queue item or a request, and the automatic IMK check's.
var decisionActions = []string{
	domain.AuditRoleRequestApprove, domain.AuditRoleRequestReject,
	domain.AuditRoleRequestInstitutionApprove, domain.AuditRoleRequestInstitutionReject,
	domain.AuditRoleRequestRequestInfo, domain.AuditRoleRequestTakeOver,
	domain.AuditIMKApproved, domain.AuditIMKRejected,
	domain.AuditIMKCheckEligible, domain.AuditIMKCheckNotEligible, domain.AuditIMKCheckNeedsReview,
	domain.AuditDenialApprove, domain.AuditDenialRefuse, domain.AuditDenialLiftApprove,
	domain.AuditReverifyConfirm, domain.AuditReverifyUpdate, domain.AuditReverifyEscalate,
	domain.AuditSanctionApprove, domain.AuditSanctionRefuse,
	domain.AuditResetApprove, domain.AuditResetRefuse,
	domain.AuditBulkApprove, domain.AuditBulkRefuse,
}

var isDecision = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range decisionActions {
		m[a] = true
	}
	return m
}()

// SetSessions sets the count of open sessions, once the SSH server exists.
func (o *Observer) SetSessions(f func() int) { o.sessions.Store(&f) }

// SignIn counts a sign-in (tui/server's Config.SignIns). A method or an
// outcome outside the fixed sets is not counted: a label never takes a
// value from outside.
func (o *Observer) SignIn(method domain.SignInMethod, outcome string) {
	if method != domain.SignInPublicKey && method != domain.SignInPassword {
		return
	}
	for _, out := range signInOutcomes {
		if out == outcome {
			o.signIns.WithLabelValues(string(method), outcome).Inc()
			return
		}
	}
}

// Audited counts a committed audit entry's action when it is a claim or a
// decision (storage.DB.OnAudited); others are ignored.
func (o *Observer) Audited(action string) {
	if q, ok := claimQueues[action]; ok {
		o.claims.WithLabelValues(q).Inc()
	} else if isDecision[action] {
		o.decisions.WithLabelValues(action).Inc()
	}
}

// Reads returns how many times the observer has read the database's
// figures: what the cache holds down.
func (o *Observer) Reads() int64 { return o.reads.Load() }

// snapshot returns the database's figures, read again when the last read
// is older than CacheFor. A failed read is remembered as long as a good
// one, so that a database in trouble is not asked more often.
func (o *Observer) snapshot() (*storage.Metrics, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.snapAt.IsZero() && time.Since(o.snapAt) < o.opts.CacheFor {
		return o.snap, o.snapErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.opts.Timeout)
	defer cancel()
	o.reads.Add(1)
	snap, err := o.opts.Read(ctx)
	o.snapAt = time.Now()
	if err != nil {
		// The last good figures are kept, but not exported as current.
		o.snapErr = err
		return nil, err
	}
	o.snap, o.snapErr = snap, nil
	return snap, nil
}

// Handler serves /metrics, /healthz and /readyz.
func (o *Observer) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(o.reg, promhttp.HandlerOpts{
		// One scrape at a time beyond the cache: a flood waits or is
		// refused rather than piling up.
		MaxRequestsInFlight: 4,
		Timeout:             o.opts.Timeout + time.Second,
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		plain(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if why := o.notReady(); why != "" {
			plain(w, http.StatusServiceUnavailable, why)
			return
		}
		plain(w, http.StatusOK, "ready")
	})
	return mux
}

// notReady returns why the server should take no traffic, or "": the
// database cannot be reached or is not at the binary's schema (checked
// at most once a second), or the change feed is not connected.
func (o *Observer) notReady() string {
	o.readyMu.Lock()
	if o.readyAt.IsZero() || time.Since(o.readyAt) >= readyCacheFor {
		ctx, cancel := context.WithTimeout(context.Background(), o.opts.Timeout)
		o.readyErr = o.opts.Ready(ctx)
		cancel()
		o.readyAt = time.Now()
	}
	err := o.readyErr
	o.readyMu.Unlock()
	switch {
	case err != nil:
		return err.Error()
	case o.opts.Feed != nil && !o.opts.Feed.Connected():
		return "change feed not connected"
	}
	return ""
}

func plain(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(text + "\n"))
}
