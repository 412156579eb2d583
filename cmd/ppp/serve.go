package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/mailsend"
	"github.com/viaa/ppp/tui/server"
)

// shutdownGrace is how long sessions get to end after SIGTERM; the whole
// process exits within it.
const shutdownGrace = 25 * time.Second

// runServe serves the back office over SSH until ctx ends (SIGINT or
// SIGTERM), then tells every session and shuts down within 30 seconds.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve")
	addr := fs.String("ssh-addr", m.sshAddr(), "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	db, url, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	feed := storage.NewChangeFeed(url)
	feedCtx, stopFeed := context.WithCancel(context.Background())
	feedDone := make(chan struct{})
	go func() { defer close(feedDone); _ = feed.Run(feedCtx) }()
	m.onClose(func() error { stopFeed(); <-feedDone; return nil })

	sender, err := mailsend.FromEnv(m.Env("PPP_SMTP_URL"), m.dataDir())
	if err != nil {
		return err
	}
	outbox := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{Feed: feed, Logger: logger})
	outboxCtx, stopOutbox := context.WithCancel(context.Background())
	outboxDone := make(chan struct{})
	go func() { defer close(outboxDone); _ = outbox.Run(outboxCtx) }()
	m.onClose(func() error { stopOutbox(); <-outboxDone; return nil })

	srv, err := server.New(server.Config{
		Addr:        *addr,
		HostKeyPath: filepath.Join(m.dataDir(), "ssh_host_ed25519_key"),
		Logger:      logger,
	}, server.Services{
		Operators:    storage.NewOperatorService(db),
		Auth:         storage.NewAuthService(db),
		Audit:        storage.NewAuditService(db),
		Dashboard:    storage.NewDashboardService(db),
		Feed:         feed,
		RoleRequests: storage.NewRoleRequestService(db),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.serve.listening", ln.Addr().String()))

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.serve.stopping"))
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		logger.Warn("shutdown", "err", err)
	}
	return nil
}
