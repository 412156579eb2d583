package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveDebug serves Go's profiling endpoints (net/http/pprof: goroutines,
// heap, CPU) on PPP_DEBUG_ADDR until the verb ends, for measuring a
// running server; unset, nothing is served. The address must be a
// loopback one (127.0.0.1:PORT, [::1]:PORT or localhost:PORT): the
// profiles show the program's internals and nothing authenticates them.
// It returns a usage error for any other address and the listener's error
// when the port cannot be had.
func (m *Main) serveDebug(logger *slog.Logger) error {
	addr := m.Env("PPP_DEBUG_ADDR")
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !isLoopbackHost(host) {
		return usageError{m.cat.T("cli.serve.debug_not_local", addr)}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen for profiling on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.serve.debug_listening", ln.Addr().String()))
	m.runInBackground(func(ctx context.Context) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Warn("profiling endpoint", "err", err)
			}
		}()
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-done
	})
	return nil
}

// isLoopbackHost reports whether host names this machine only: a
// loopback IP address or "localhost".
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
