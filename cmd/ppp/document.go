package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// runDocument implements `ppp document get REQUEST_ID POSITION FILE --as
// OPERATOR [--password-stdin]`: a reviewer saves the file of a role
// request's document, as the portal sent it, to FILE (mode 0600, never
// over an existing file), after checking it against the SHA-256 kept with
// it. The look is audited like opening it on a screen.
func (m *Main) runDocument(ctx context.Context, args []string) error {
	flags := m.flags("document")
	op := addOperatorFlags(flags)
	pos, err := parseInterspersed(flags, args)
	if err != nil {
		return err
	}
	if len(pos) != 4 || pos[0] != "get" {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.document"))
		return errUsageShown
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id <= 0 {
		return usageError{m.cat.T("cli.document.bad_id", pos[1])}
	}
	position, err := strconv.Atoi(pos[2])
	if err != nil || position <= 0 {
		return usageError{m.cat.T("cli.document.bad_position", pos[2])}
	}
	file := pos[3]
	if _, err := os.Lstat(file); err == nil {
		return usageError{m.cat.T("cli.document.exists", file)} // before the look, which is audited
	}
	if !op.given() {
		return usageError{m.cat.T("cli.as.needed")}
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	if ctx, err = m.actAsOperator(cliContext(ctx), db, op); err != nil {
		return err
	}
	d, err := storage.NewRoleRequestService(db).OpenRoleRequestDocument(ctx, id, position)
	if err != nil {
		return err
	}
	if d.Content == nil {
		return domain.Errorf(domain.ENOTFOUND, "cli.document.no_file", "document %d of request %d has no file", position, id)
	}
	if sum := sha256.Sum256(d.Content); d.SHA256 != "" && hex.EncodeToString(sum[:]) != d.SHA256 {
		return domain.Errorf(domain.EINTERNAL, "cli.document.hash_mismatch", "document %d of request %d does not match its SHA-256", position, id)
	}
	if err := writeNewFile(file, d.Content); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return usageError{m.cat.T("cli.document.exists", file)}
		}
		return fmt.Errorf("write %s: %w", file, err)
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.document.saved", d.Name, len(d.Content), d.SHA256, file))
	return nil
}

// writeNewFile writes data to a file that must not exist yet, readable by
// its owner alone: a document holds personal data.
func writeNewFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}
