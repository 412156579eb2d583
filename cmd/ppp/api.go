package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/portalapi"
	"github.com/viaa/ppp/storage"
)

// runAPI implements `ppp api client add NAME | list | revoke NAME`, the
// portal API's clients and their bearer tokens (issue 15).
func (m *Main) runAPI(ctx context.Context, args []string) error {
	if len(args) < 2 || args[0] != "client" {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.api"))
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return errHelpShown
		}
		return errUsageShown
	}
	sub, rest := args[1], args[2:]
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	svc, cctx := storage.NewAPIClientService(db), cliContext(ctx)
	switch {
	case sub == "add" && len(rest) == 1:
		_, token, err := svc.AddAPIClient(cctx, rest[0])
		if err != nil {
			return err
		}
		// The token exists nowhere else: printed once, to stdout alone,
		// so that it can be piped into a secret store.
		fmt.Fprintln(m.Stderr, m.cat.T("cli.api.token_once", rest[0]))
		fmt.Fprintln(m.Stdout, token)
		return nil
	case sub == "list" && len(rest) == 0:
		list, err := svc.ListAPIClients(cctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, m.cat.T("cli.api.list_header"))
		for _, c := range list {
			revoked := "-"
			if c.Revoked() {
				revoked = c.RevokedAt.Local().Format("2006-01-02 15:04") + " " + c.RevokedBy
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Name, c.CreatedAt.Local().Format("2006-01-02 15:04"), c.CreatedBy, revoked)
		}
		return tw.Flush()
	case sub == "revoke" && len(rest) == 1:
		if err := svc.RevokeAPIClient(cctx, rest[0]); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.api.revoked", rest[0]))
		return nil
	}
	fmt.Fprintln(m.Stderr, m.cat.T("cli.help.api"))
	return errUsageShown
}

// apiServer is the portal API's HTTP server while ppp serve runs.
type apiServer struct {
	srv *http.Server
	ln  net.Listener
	tls bool
}

// portalAPI starts the portal API when PPP_API_ADDR (or --api-addr) is
// set: TLS with PPP_API_TLS_CERT and PPP_API_TLS_KEY, plain HTTP only on a
// loopback address. It returns nil when the API is off.
func (m *Main) portalAPI(addr string, db *storage.DB, logger *slog.Logger) (*apiServer, error) {
	if addr == "" {
		return nil, nil
	}
	if err := m.checkAPIAddr(addr); err != nil {
		return nil, err
	}
	cert, key := m.Env("PPP_API_TLS_CERT"), m.Env("PPP_API_TLS_KEY")
	portal := storage.NewPortalService(db)
	// The institution's mail names the take-over date (¶29.3); roles it
	// grants last the configured validity.
	if err := m.roleRequestConfig(&portal.Config); err != nil {
		return nil, err
	}
	cfg := portalapi.Config{Clients: storage.NewAPIClientService(db), Portal: portal, Logger: logger}
	for _, v := range []struct {
		name string
		set  func(n int)
	}{
		{"PPP_API_RATE", func(n int) { cfg.Rate = float64(n) }},
		{"PPP_API_BURST", func(n int) { cfg.Burst = n }},
	} {
		if s := m.Env(v.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 1000000 {
				return nil, usageError{m.cat.T("cli.bad_threshold", v.name, s)}
			}
			v.set(n)
		}
	}
	s := &apiServer{srv: &http.Server{
		Handler:           portalapi.New(cfg),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       2 * time.Minute, // a role request with ten 10 MiB files on a slow line
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}}
	if cert != "" {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("portal API TLS: %w", err)
		}
		s.srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{pair}}
		s.tls = true
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for the portal API on %s: %w", addr, err)
	}
	if ln, err = m.behindBalancer(ln, "api", logger); err != nil {
		return nil, err
	}
	s.ln = ln
	scheme := "http"
	if s.tls {
		scheme = "https"
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.api.listening", scheme+"://"+ln.Addr().String()))
	go func() {
		var err error
		if s.tls {
			err = s.srv.ServeTLS(ln, "", "")
		} else {
			err = s.srv.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("portal API", "err", err)
		}
	}()
	return s, nil
}

// checkAPIAddr refuses a portal API that would serve plain HTTP beyond
// this machine, or half a TLS configuration: bearer tokens and personal
// data never cross a network in clear.
func (m *Main) checkAPIAddr(addr string) error {
	if addr == "" {
		return nil
	}
	cert, key := m.Env("PPP_API_TLS_CERT"), m.Env("PPP_API_TLS_KEY")
	if (cert == "") != (key == "") {
		return usageError{m.cat.T("cli.api.tls_pair")}
	}
	if cert == "" && !loopback(addr) {
		return usageError{m.cat.T("cli.api.plain_not_loopback", addr)}
	}
	return nil
}

// shutdown stops taking calls and waits for those under way.
func (s *apiServer) shutdown(ctx context.Context) error {
	if s == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// loopback reports whether addr's host is a loopback address or
// "localhost" (an empty host listens on every interface: not loopback).
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
