package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/observe"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/tui/server"
)

// newObserver returns the server's metrics and probes (issue 19) on db and
// feed, counting the claims and decisions db commits, and serves them on addr (--metrics-addr or
// PPP_METRICS_ADDR) until the verb ends; with addr empty nothing is
// served and nil is returned. Nothing on it authenticates: bound to an
// address other than a loopback one it says so on stderr and in the log,
// since the figures, though free of personal data, show the Agency's
// workload. It returns the listener's error when the port cannot be had.
func (m *Main) newObserver(addr string, db *storage.DB, feed *storage.ChangeFeed, logger *slog.Logger) (*observe.Observer, error) {
	if addr == "" {
		return nil, nil
	}
	info := readVersion()
	obs := observe.New(observe.Options{
		Read:  db.ReadMetrics,
		Ready: func(ctx context.Context) error { return dbReady(ctx, db) },
		Feed:  feed,
		Pool:  db.Pool().Stat,
		Build: map[string]string{"version": info.Version, "revision": info.Revision, "go": info.Go},
	})
	db.OnAudited = obs.Audited

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics on %s: %w", addr, err)
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.serve.metrics_listening", ln.Addr().String()))
	if host, _, err := net.SplitHostPort(addr); err != nil || !isLoopbackHost(host) {
		logger.Warn("metrics, health and readiness are served without authentication; allow only the monitoring system to reach them", "addr", ln.Addr().String())
		fmt.Fprintln(m.Stderr, m.cat.T("cli.serve.metrics_not_local", ln.Addr().String()))
	}
	srv := &http.Server{Handler: obs.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: observe.DefaultTimeout + 5*time.Second, MaxHeaderBytes: 8 << 10}
	m.runInBackground(func(ctx context.Context) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Warn("metrics endpoint", "err", err)
			}
		}()
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-done
	})
	return obs, nil
}

// observeSignIns lets obs count the sign-ins of the server cfg configures;
// nothing when obs is nil.
func observeSignIns(obs *observe.Observer, cfg *server.Config) {
	if obs != nil {
		cfg.SignIns = obs.SignIn
	}
}

// observeSessions lets obs count srv's open sessions; nothing when obs is
// nil (no metrics served).
func observeSessions(obs *observe.Observer, srv *server.Server) {
	if obs != nil {
		obs.SetSessions(srv.OpenSessions)
	}
}

// dbReady says why db is not fit to serve, in a few plain words for a
// probe: it does not answer, its schema lacks migrations of this binary,
// or it has migrations this binary does not know (a newer version
// migrated it). No URL, no host, nothing personal.
func dbReady(ctx context.Context, db *storage.DB) error {
	need, err := storage.NeedsMigration(ctx, db, nil)
	if err != nil {
		return errors.New("database not reachable")
	}
	if need {
		return errors.New("database migrations not current")
	}
	v, err := storage.SchemaVersion(ctx, db)
	if err != nil {
		return errors.New("database not reachable")
	}
	if latest := storage.LatestMigration(); v > latest {
		return fmt.Errorf("database schema %d is newer than this binary's %d", v, latest)
	}
	return nil
}
