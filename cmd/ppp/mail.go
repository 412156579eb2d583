package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/mailin"
)

// mailIngest returns the ticket storage's ingest function: it stores a raw
// message once by its Message-ID and threads it into its ticket.
func mailIngest(db *storage.DB) func(ctx context.Context, raw []byte) error {
	hd := storage.NewHelpdeskService(db)
	return func(ctx context.Context, raw []byte) error {
		_, err := hd.Ingest(ctx, raw)
		return err
	}
}

// runMail implements `ppp mail import FILE|DIR`: it stores the messages of
// a .eml file, an mbox file or a directory of .eml files as helpdesk
// tickets. Messages already stored (same Message-ID) are not stored again.
func (m *Main) runMail(ctx context.Context, args []string) error {
	fs := m.flags("mail")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 || fs.Arg(0) != "import" {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.mail"))
		return errUsageShown
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	ctx = cliContext(ctx)
	n, err := mailin.ImportContext(ctx, fs.Arg(1), mailIngest(db))
	fmt.Fprintln(m.Stdout, m.cat.N("cli.mail.imported", int64(n)))
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(m.Stderr, line)
		}
		return fmt.Errorf("%s", m.cat.T("cli.mail.failed"))
	}
	return nil
}

// mailListener returns the SMTP listener for PPP_MAIL_ADDR, or nil when it
// is not set. PPP_MAIL_RCPT lists the accepted recipients (comma
// separated; stars@viaa.gov.lv by default), PPP_MAIL_ALLOW the networks
// that may deliver (CIDRs; loopback by default), and PPP_MAIL_TLS_CERT
// with PPP_MAIL_TLS_KEY the certificate offered through STARTTLS. It
// returns a usage error when one of them is malformed.
func (m *Main) mailListener(db *storage.DB, logger *slog.Logger) (*mailin.Listener, error) {
	addr := m.Env("PPP_MAIL_ADDR")
	if addr == "" {
		return nil, nil
	}
	rcpts := []string{"stars@viaa.gov.lv"}
	if v := m.Env("PPP_MAIL_RCPT"); v != "" {
		rcpts = strings.Split(v, ",")
	}
	allow, err := mailin.ParseAllow(m.Env("PPP_MAIL_ALLOW"))
	if err != nil {
		return nil, usageError{m.cat.T("cli.mail.bad_allow", err.Error())}
	}
	var tlsConfig *tls.Config
	certFile, keyFile := m.Env("PPP_MAIL_TLS_CERT"), m.Env("PPP_MAIL_TLS_KEY")
	switch {
	case certFile == "" && keyFile == "":
	case certFile == "" || keyFile == "":
		return nil, usageError{m.cat.T("cli.mail.tls_pair")}
	default:
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, usageError{m.cat.T("cli.mail.tls_load", err.Error())}
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	deliver := mailIngest(db)
	return mailin.NewListener(mailin.Config{
		Addr:       addr,
		Recipients: rcpts,
		MaxSize:    mailin.DefaultMaxSize,
		Allow:      allow,
		TLS:        tlsConfig,
		Logger:     logger,
		Deliver: func(ctx context.Context, raw []byte) error {
			return deliver(domain.WithActor(ctx, domain.Actor{Name: "smtp"}), raw)
		},
	}), nil
}
