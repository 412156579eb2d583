package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/mailsend"
	"github.com/viaa/ppp/tui/common"
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
	apiAddr := fs.String("api-addr", m.Env("PPP_API_ADDR"), "")
	metricsAddr := fs.String("metrics-addr", m.Env("PPP_METRICS_ADDR"), "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := m.checkAPIAddr(*apiAddr); err != nil {
		return err
	}
	cfg := server.Config{Addr: *addr, HostKeyPath: filepath.Join(m.dataDir(), "ssh_host_ed25519_key")}
	if err := m.sharedHostKey(&cfg); err != nil { // multi.go
		return err
	}
	if err := m.checkProxyFrom(); err != nil {
		return err
	}
	logger, err := m.newLogger(m.Stderr)
	if err != nil {
		return err
	}

	if err := m.serveDebug(logger); err != nil {
		return err
	}
	db, url, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	// The server works as the application's role: never as a superuser
	// or the owner, who could switch the audit log's triggers off (issue
	// 15). A database without roles is served as before, with a warning.
	me, single, err := db.CheckServingRole(ctx)
	if err != nil {
		return err
	}
	if single {
		logger.Warn("the database has no application role; serving as a role that owns everything", "role", me)
		fmt.Fprintln(m.Stderr, m.cat.T("cli.serve.single_role", me))
	}
	feed := storage.NewChangeFeed(url)
	// Metrics and probes (issue 19, observe.go), off without an address;
	// before any job runs, since it counts their claims and decisions.
	obs, err := m.newObserver(*metricsAddr, db, feed, logger)
	if err != nil {
		return err
	}
	m.runInBackground(func(ctx context.Context) { _ = feed.Run(ctx) })

	sender, err := mailsend.FromEnv(m.Env("PPP_SMTP_URL"), m.dataDir())
	if err != nil {
		return err
	}
	if files, ok := sender.(*mailsend.Files); ok {
		// No SMTP server: mail, reset links included, lands on disk.
		logger.Warn("outbox: PPP_SMTP_URL is not set; e-mail is written as .eml files (development mode)", "dir", files.Dir())
		fmt.Fprintln(m.Stderr, m.cat.T("cli.serve.mail_dev_mode", files.Dir()))
	}
	outbox := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{Feed: feed, Logger: logger})
	m.runInBackground(func(ctx context.Context) { _ = outbox.Run(ctx) })
	roleRequests := storage.NewRoleRequestService(db)
	if err := m.roleRequestConfig(&roleRequests.Config); err != nil {
		return err
	}
	announcements := storage.NewAnnouncementService(db)
	m.runInBackground(func(ctx context.Context) {
		housekeeping(ctx, logger, roleRequests, announcements)
	})
	// The portal API's idempotency keys live 24 hours.
	apiClients := storage.NewAPIClientService(db)
	m.runInBackground(func(ctx context.Context) { expireIdempotencyKeys(ctx, logger, apiClients) })
	// Claims' audit entries wait in audit_pending; every server chains
	// them within a second (migration 0072).
	audit := storage.NewAuditService(db)
	m.runInBackground(func(ctx context.Context) { audit.RunSealer(ctx, logger) })
	// Checkpoints of the chain, signed with a key the database never sees,
	// every hour and at shutdown (issue 15).
	anchor, err := m.auditAnchor(db, logger)
	if err != nil {
		return err
	}
	every, err := m.auditCheckpointEvery()
	if err != nil {
		return err
	}
	if anchor != nil {
		m.runInBackground(func(ctx context.Context) { anchor.Run(ctx, every) })
	} else {
		logger.Warn("audit checkpoints are off: PPP_AUDIT_KEY_FILE is not set")
		fmt.Fprintln(m.Stderr, m.cat.T("cli.serve.no_checkpoints"))
	}
	// The sweeps of ¶32; leases make each run on one server at a time.
	host, _ := os.Hostname()
	sweeper := storage.NewSweeper(db, fmt.Sprintf("%s/%d", host, os.Getpid()))
	sweeper.RoleRequests = roleRequests.Config
	if sweeper.MaxDataAge, err = m.deathCheckMaxDataAge(); err != nil {
		return err
	}
	sweeps := storage.NewScheduler(sweeper, logger)
	if err := m.sweepPeriod(sweeps); err != nil { // multi.go
		return err
	}
	m.runInBackground(sweeps.Run)
	// The IMK target-group check (¶26.4); SKIP LOCKED claims let every
	// server run it.
	imkRegs, err := m.registers(db)
	if err != nil {
		return err
	}
	imkChecker := storage.NewIMKChecker(db, imkRegs)
	imkChecker.Feed, imkChecker.Logger = feed, logger
	m.runInBackground(func(ctx context.Context) { _ = imkChecker.Run(ctx) })
	// Bulk actions (issue 17): leased workers on every server; a job
	// whose server died continues here once its lease has passed.
	denials, imkService := storage.NewDenialService(db), storage.NewIMKService(db, imkRegs)
	bulk := storage.NewBulkService(db, denials, roleRequests, imkService)
	bulkWorker := storage.NewBulkWorker(bulk, fmt.Sprintf("%s/%d", host, os.Getpid()))
	bulkWorker.Feed, bulkWorker.Logger = feed, logger
	m.runInBackground(func(ctx context.Context) { _ = bulkWorker.Run(ctx) })

	// Mail to stars@viaa.gov.lv, relayed by the Agency's mail server.
	mailListener, err := m.mailListener(db, logger)
	if err != nil {
		return err
	}
	if l := mailListener; l != nil {
		mln, err := net.Listen("tcp", m.Env("PPP_MAIL_ADDR"))
		if err != nil {
			return fmt.Errorf("listen for mail on %s: %w", m.Env("PPP_MAIL_ADDR"), err)
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.serve.mail_listening", mln.Addr().String()))
		m.runInBackground(func(ctx context.Context) {
			if err := l.Serve(ctx, mln); err != nil && ctx.Err() == nil {
				logger.Error("mail listener", "err", err)
			}
		})
	}

	defence := storage.NewDefenceService(db)
	if err := m.alertThresholds(&db.AlertThresholds); err != nil {
		return err
	}

	cfg.Logger = logger
	observeSignIns(obs, &cfg)
	auth := storage.NewAuthService(db)
	if err := m.signInDefences(&cfg, auth, logger); err != nil {
		return err
	}
	srv, err := server.New(cfg, common.Services{
		Operators:     storage.NewOperatorService(db),
		Auth:          auth,
		Audit:         storage.NewAuditService(db),
		Dashboard:     storage.NewDashboardService(db),
		Feed:          feed,
		RoleRequests:  roleRequests,
		Terms:         storage.NewTermsService(db),
		Announcements: announcements,
		Denials:       denials,
		IMK:           imkService,
		Helpdesk:      storage.NewHelpdeskService(db),
		Defence:       defence,
		Policy:        storage.NewPolicyService(db),
		Institutions:  institutionService(db, roleRequests),
		Reverify:      storage.NewReverifyService(db),
		PersonMerge:   storage.NewPersonMergeService(db),
		Sanctions:     storage.NewSanctionService(db),
		People:        storage.NewPersonDirectory(db),
		Bulk:          bulk,
		Reports:       storage.NewReportService(db),
		Misuse:        storage.NewMisuseService(db),
	})
	if err != nil {
		return err
	}
	observeSessions(obs, srv)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	if ln, err = m.behindBalancer(ln, "ssh", logger); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.serve.listening", ln.Addr().String()))
	// The portal API (issue 15), when PPP_API_ADDR or --api-addr is set.
	api, err := m.portalAPI(*apiAddr, db, logger)
	if err != nil {
		_ = ln.Close()
		return err
	}

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
	// The API stops taking calls and finishes those under way while the
	// sessions end.
	apiDone := make(chan error, 1)
	go func() { apiDone <- api.shutdown(sctx) }()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		logger.Warn("shutdown", "err", err)
	}
	if err := <-apiDone; err != nil {
		logger.Warn("portal API shutdown", "err", err)
	}
	if anchor != nil {
		// The sessions' last entries are chained by the checkpoint's
		// verification, which seals first.
		cctx, cancel := context.WithTimeout(context.Background(), checkpointGrace)
		if _, err := anchor.Checkpoint(cctx); err != nil {
			logger.Error("audit checkpoint at shutdown", "err", err)
		}
		cancel()
	}
	return nil
}

// checkpointGrace bounds the checkpoint written at shutdown, after the
// sessions' shutdownGrace, so that the process still exits within 30 s.
const checkpointGrace = 4 * time.Second

// housekeepingEvery is the rhythm of the server's small periodic jobs.
const housekeepingEvery = time.Minute

// housekeeping runs the periodic jobs every server may run at once, since
// each is idempotent and safe concurrently: unconfirmed role requests
// expire after 14 days, and announcement e-mails whose batches were
// interrupted are queued.
func housekeeping(ctx context.Context, logger *slog.Logger, rr *storage.RoleRequestService, an *storage.AnnouncementService) {
	t := time.NewTicker(housekeepingEvery)
	defer t.Stop()
	for {
		if n, err := rr.ExpireUnconfirmed(ctx, time.Now()); err != nil && ctx.Err() == nil {
			logger.Warn("expire unconfirmed role requests", "err", err)
		} else if n > 0 {
			logger.Info("expired unconfirmed role requests", "count", n)
		}
		if _, err := an.QueueAnnouncementMails(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("queue announcement e-mails", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// expireIdempotencyKeys deletes the portal API's idempotency keys older
// than 24 hours, every housekeeping round; any server may at any time.
func expireIdempotencyKeys(ctx context.Context, logger *slog.Logger, c *storage.APIClientService) {
	t := time.NewTicker(housekeepingEvery)
	defer t.Stop()
	for {
		if _, err := c.ExpireIdempotencyKeys(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("expire idempotency keys", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runInBackground runs job until the verb ends: Close cancels its context
// and waits for it, before the database closes.
func (m *Main) runInBackground(job func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); job(ctx) }()
	m.onClose(func() error { cancel(); <-done; return nil })
}

// roleRequestConfig applies PPP_ROLE_VALIDITY_DAYS (the default validity
// of an approved role), PPP_TAKEOVER_AFTER_DAYS (how long a request
// waits at an institution before the Agency may take it over) and
// PPP_TAKEOVER_REMIND_DAYS (how many days before that the institution is
// reminded, ¶29.3).
func (m *Main) roleRequestConfig(cfg *domain.RoleRequestConfig) error {
	for _, v := range []struct {
		name string
		set  func(days int)
	}{
		{"PPP_ROLE_VALIDITY_DAYS", func(d int) { cfg.DefaultValidity = time.Duration(d) * 24 * time.Hour }},
		{"PPP_TAKEOVER_AFTER_DAYS", func(d int) { cfg.TakeOverAfterDays = d }},
		{"PPP_TAKEOVER_REMIND_DAYS", func(d int) { cfg.TakeOverRemindDays = d }},
	} {
		s := m.Env(v.name)
		if s == "" {
			continue
		}
		days, err := strconv.Atoi(s)
		if err != nil || days < 1 || days > 3650 {
			return usageError{m.cat.T("cli.bad_days", v.name, s)}
		}
		v.set(days)
	}
	if cfg.DefaultValidity > cfg.MaxValidity {
		cfg.MaxValidity = cfg.DefaultValidity
	}
	return nil
}

// alertThresholds applies PPP_ALERT_REVEALS_PER_HOUR and
// PPP_ALERT_VIEWS_PER_HOUR, the misuse alert limits of issue 9.
func (m *Main) alertThresholds(t *domain.AlertThresholds) error {
	for _, v := range []struct {
		name string
		set  *int
	}{
		{"PPP_ALERT_REVEALS_PER_HOUR", &t.RevealsPerHour},
		{"PPP_ALERT_VIEWS_PER_HOUR", &t.ViewsPerHour},
	} {
		s := m.Env(v.name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000000 {
			return usageError{m.cat.T("cli.bad_threshold", v.name, s)}
		}
		*v.set = n
	}
	return nil
}

// institutionService returns the institutions screen's service with the
// take-over limit the role requests' service checks (¶29.3).
func institutionService(db *storage.DB, rr *storage.RoleRequestService) *storage.InstitutionService {
	s := storage.NewInstitutionService(db)
	s.Config = rr.Config
	return s
}
