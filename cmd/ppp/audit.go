package main

import (
	"context"
	"fmt"

	"github.com/viaa/ppp/storage"
)

// runAudit implements `ppp audit verify`: exit 0 when the chain is intact,
// non-zero naming the first bad entry otherwise.
func (m *Main) runAudit(ctx context.Context, args []string) error {
	fs := m.flags("audit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.Arg(0) != "verify" || fs.NArg() != 1 {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.audit"))
		return errUsageShown
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	v, err := storage.NewAuditService(db).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !v.OK {
		return fmt.Errorf("%s", m.cat.T("cli.audit.broken", v.FirstBad, v.Problem))
	}
	fmt.Fprintln(m.Stdout, m.cat.N("cli.audit.intact", int64(v.Entries)))
	return nil
}
