package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/auditanchor"
)

// runAudit implements `ppp audit verify|checkpoint|keygen`.
func (m *Main) runAudit(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.audit"))
		return errUsageShown
	}
	switch args[0] {
	case "verify":
		return m.runAuditVerify(ctx, args[1:])
	case "checkpoint":
		return m.runAuditCheckpoint(ctx, args[1:])
	case "keygen":
		return m.runAuditKeygen(args[1:])
	case "-h", "--help", "-help":
		fmt.Fprintln(m.Stdout, m.cat.T("cli.help.audit"))
		return errHelpShown
	}
	fmt.Fprintln(m.Stderr, m.cat.T("cli.help.audit"))
	return errUsageShown
}

// runAuditVerify implements `ppp audit verify [--full] [--checkpoints FILE
// [--pubkey FILE]]`: exit 0 when the chain is intact (and agrees with every
// checkpoint), non-zero naming the first problem otherwise.
func (m *Main) runAuditVerify(ctx context.Context, args []string) error {
	fs := m.flags("audit")
	full := fs.Bool("full", false, "")
	file := fs.String("checkpoints", "", "")
	pubFile := fs.String("pubkey", "", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.audit"))
		return errUsageShown
	}
	var cps []domain.AuditCheckpoint
	var forged int
	if *file != "" {
		pub, err := m.auditPublicKey(*pubFile)
		if err != nil {
			return err
		}
		reads, err := auditanchor.ReadFile(*file)
		if err != nil {
			return err
		}
		for _, r := range reads {
			switch {
			case r.Err != nil:
				fmt.Fprintln(m.Stderr, m.cat.T("cli.audit.line_not_checkpoint", *file, r.Line))
				forged++
			case r.Checkpoint.Key != domain.AuditKeyID(pub):
				fmt.Fprintln(m.Stderr, m.cat.T("cli.audit.line_other_key", *file, r.Line, r.Checkpoint.Key, domain.AuditKeyID(pub)))
				forged++
			case !r.Checkpoint.Verify(pub):
				fmt.Fprintln(m.Stderr, m.cat.T("cli.audit.line_forged", *file, r.Line, r.Checkpoint.Seq))
				forged++
			default:
				cps = append(cps, r.Checkpoint)
			}
		}
		if len(cps) == 0 && forged == 0 {
			return usageError{m.cat.T("cli.audit.no_checkpoints", *file)}
		}
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	v, err := storage.NewAuditService(db).VerifyAuditWith(ctx, domain.AuditVerifyOptions{Full: *full, Checkpoints: cps})
	if err != nil {
		return err
	}
	if !v.OK {
		if c := v.Contradicted; c != nil {
			at := c.At.Format(time.RFC3339)
			if v.Truncated {
				return fmt.Errorf("%s", m.cat.T("cli.audit.truncated", v.FirstBad-1, at, *file, c.Line, c.Seq))
			}
			return fmt.Errorf("%s", m.cat.T("cli.audit.contradicts", c.Seq, at, *file, c.Line, v.AgreedUpTo))
		}
		return fmt.Errorf("%s", m.cat.T("cli.audit.broken", v.FirstBad, v.Problem))
	}
	fmt.Fprintln(m.Stdout, m.cat.N("cli.audit.intact", int64(v.Entries)))
	if v.ResumedAfter > 0 {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.audit.resumed", v.ResumedAfter, v.ResumedAt.Format(time.RFC3339), v.Recomputed))
	}
	if len(cps) > 0 {
		newest := cps[0]
		for _, c := range cps {
			if c.Seq > newest.Seq || (c.Seq == newest.Seq && c.At.After(newest.At)) {
				newest = c
			}
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.audit.agrees", len(cps), *file, newest.Seq, newest.At.Format(time.RFC3339)))
	}
	if forged > 0 {
		return fmt.Errorf("%s", m.cat.T("cli.audit.forged", forged, *file))
	}
	return nil
}

// runAuditCheckpoint implements `ppp audit checkpoint`: one checkpoint now,
// as the server writes every hour, printed on standard output.
func (m *Main) runAuditCheckpoint(ctx context.Context, args []string) error {
	fs := m.flags("audit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.audit"))
		return errUsageShown
	}
	if m.Env("PPP_AUDIT_KEY_FILE") == "" {
		return usageError{m.cat.T("cli.audit.no_key")}
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	a, err := m.auditAnchor(db, nil)
	if err != nil {
		return err
	}
	c, err := a.Checkpoint(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, c.MarshalLine())
	return nil
}

// runAuditKeygen implements `ppp audit keygen FILE`.
func (m *Main) runAuditKeygen(args []string) error {
	fs := m.flags("audit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.audit"))
		return errUsageShown
	}
	path := fs.Arg(0)
	pub, err := auditanchor.GenerateKey(path)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.audit.keygen", path, path+".pub", domain.AuditKeyID(pub)))
	return nil
}

// auditCheckpointsFile is where checkpoints are appended:
// PPP_AUDIT_CHECKPOINTS, or audit-checkpoints.jsonl in the data folder.
func (m *Main) auditCheckpointsFile() string {
	if f := m.Env("PPP_AUDIT_CHECKPOINTS"); f != "" {
		return f
	}
	return filepath.Join(m.dataDir(), "audit-checkpoints.jsonl")
}

// auditAnchor returns the checkpoint writer configured by
// PPP_AUDIT_KEY_FILE, PPP_AUDIT_CHECKPOINTS and
// PPP_AUDIT_CHECKPOINT_SYSLOG, or nil when no key is configured. A key
// that others may read, or an unreachable syslog server, is an error:
// the server does not start with either.
func (m *Main) auditAnchor(db *storage.DB, logger *slog.Logger) (*auditanchor.Anchor, error) {
	keyFile := m.Env("PPP_AUDIT_KEY_FILE")
	if keyFile == "" {
		return nil, nil
	}
	key, err := auditanchor.LoadPrivateKey(keyFile)
	if err != nil {
		return nil, err
	}
	a := &auditanchor.Anchor{Audit: storage.NewAuditService(db), Key: key, File: m.auditCheckpointsFile(), Logger: logger}
	if u := m.Env("PPP_AUDIT_CHECKPOINT_SYSLOG"); u != "" {
		s, err := auditanchor.DialSyslog(u)
		if err != nil {
			return nil, err
		}
		m.onClose(s.Close)
		a.Syslog = s
	}
	return a, nil
}

// auditCheckpointEvery is PPP_AUDIT_CHECKPOINT_EVERY (a Go duration, at
// least a second), or an hour.
func (m *Main) auditCheckpointEvery() (time.Duration, error) {
	s := m.Env("PPP_AUDIT_CHECKPOINT_EVERY")
	if s == "" {
		return auditanchor.Every, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second {
		return 0, usageError{m.cat.T("cli.audit.bad_every", s)}
	}
	return d, nil
}

// auditPublicKey reads the key that checks checkpoints: --pubkey,
// PPP_AUDIT_PUBKEY_FILE, or the one PPP_AUDIT_KEY_FILE derives.
func (m *Main) auditPublicKey(flag string) (ed25519.PublicKey, error) {
	for _, p := range []string{flag, m.Env("PPP_AUDIT_PUBKEY_FILE"), m.Env("PPP_AUDIT_KEY_FILE")} {
		if p != "" {
			return auditanchor.LoadPublicKey(p)
		}
	}
	return nil, usageError{m.cat.T("cli.audit.no_pubkey")}
}
