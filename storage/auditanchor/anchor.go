package auditanchor

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Every is how often a server writes a checkpoint (PPP_AUDIT_CHECKPOINT_EVERY
// changes it).
const Every = time.Hour

// Verifier verifies the audit chain: storage.AuditService.
type Verifier interface {
	VerifyAuditWith(ctx context.Context, o domain.AuditVerifyOptions) (*domain.AuditVerification, error)
}

// Anchor writes checkpoints: it verifies the chain (resuming after the
// last verified entry), signs its head, appends the checkpoint to File
// and sends it to Syslog. It never signs a chain that does not verify:
// a checkpoint says "this much of the log was intact then".
type Anchor struct {
	Audit  Verifier
	Key    ed25519.PrivateKey
	File   string
	Syslog *Syslog // nil: the file only
	Logger *slog.Logger
	Now    func() time.Time // time.Now when nil

	mu sync.Mutex // one checkpoint at a time
}

// Checkpoint writes one checkpoint now and returns it. It returns ECONFLICT
// "audit.checkpoint_unverified" when the chain does not verify (nothing is
// signed), the errors of the verification, and AppendToFile's. A syslog
// server that cannot be reached is logged, not returned: the file holds
// the checkpoint.
func (a *Anchor) Checkpoint(ctx context.Context) (domain.AuditCheckpoint, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	v, err := a.Audit.VerifyAuditWith(ctx, domain.AuditVerifyOptions{})
	if err != nil {
		return domain.AuditCheckpoint{}, err
	}
	if !v.OK {
		return domain.AuditCheckpoint{}, domain.Errorf(domain.ECONFLICT, "audit.checkpoint_unverified",
			"the audit log does not verify from entry %d (%s): no checkpoint was signed", v.FirstBad, v.Problem)
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	c := domain.SignAuditCheckpoint(a.Key, v.Entries, v.HeadHash, now())
	if a.Syslog != nil {
		if err := a.Syslog.Send(c); err != nil && a.Logger != nil {
			a.Logger.Warn("audit checkpoint: syslog", "seq", c.Seq, "err", err)
		}
	}
	if err := AppendToFile(a.File, c); err != nil {
		return c, err
	}
	if a.Logger != nil {
		a.Logger.Info("audit checkpoint", "seq", c.Seq, "hash", c.Hash[:16], "file", a.File)
	}
	return c, nil
}

// Run writes a checkpoint every every until ctx ends. A failed one is
// logged (ERROR when the chain does not verify) and the next is tried
// at its time.
func (a *Anchor) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := a.Checkpoint(ctx); err != nil && ctx.Err() == nil && a.Logger != nil {
			level := slog.LevelWarn
			if domain.ErrorCode(err) == domain.ECONFLICT {
				level = slog.LevelError
			}
			a.Logger.Log(ctx, level, "audit checkpoint", "err", err)
		}
	}
}
