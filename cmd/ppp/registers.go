package main

import (
	"context"
	"fmt"
	"os"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// runRegisters implements `ppp registers import
// population|revenue|education|enterprises|institutions FILE`: it loads a register extract into the mirror, all or nothing.
func (m *Main) runRegisters(ctx context.Context, args []string) error {
	if len(args) != 3 || args[0] != "import" {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.registers"))
		return errUsageShown
	}
	reg := domain.Register(args[1])
	f, err := os.Open(args[2])
	if err != nil {
		return err
	}
	defer f.Close()
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	var res *storage.ImportResult
	if storage.IsOrgRegister(reg) {
		// Enterprises and education institutions (issue 17): read as a
		// stream, bounded.
		res, err = storage.ImportOrgRegister(cliContext(ctx), db, reg, f)
	} else {
		res, err = storage.ImportRegisterReport(cliContext(ctx), db, reg, f)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.registers.imported", string(reg), m.cat.N("cli.registers.rows", int64(res.Rows)),
		m.cat.N("cli.registers.new", int64(res.Inserted)), m.cat.N("cli.registers.changed", int64(res.Updated)),
		m.cat.N("cli.registers.unchanged", int64(res.Unchanged))))
	if res.Linked+res.Merged+res.Conflicts > 0 {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.registers.linked", res.Linked, res.Merged, res.Conflicts))
	}
	return nil
}

// registers returns the register mirror, failing as PPP_REGISTER_OUTAGE
// says.
func (m *Main) registers(db *storage.DB) (*storage.MirrorRegisters, error) {
	outage, err := storage.ParseOutage(m.Env("PPP_REGISTER_OUTAGE"))
	if err != nil {
		return nil, err
	}
	return storage.NewMirrorRegisters(db, outage, nil), nil
}
