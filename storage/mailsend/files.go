package mailsend

import (
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"

	"github.com/viaa/ppp/domain"
)

// Files "delivers" each message by writing it to DIR/outbox/ID.eml, the
// bytes an SMTP server would receive. It implements domain.MailSender, for
// demos and development without a mail server.
type Files struct {
	dir  string
	from mail.Address
}

var _ domain.MailSender = (*Files)(nil)

// NewFiles returns a sender writing under dataDir/outbox.
func NewFiles(dataDir string) *Files {
	return &Files{dir: filepath.Join(dataDir, "outbox"), from: defaultFrom}
}

// Dir returns the folder the messages are written to.
func (f *Files) Dir() string { return f.dir }

// Path returns the file message id is written to.
func (f *Files) Path(id int64) string {
	return filepath.Join(f.dir, strconv.FormatInt(id, 10)+".eml")
}

// tempPath is where message id is written before it is renamed into
// place: a hidden name of the message's own that does not end in .eml,
// so nothing reading the folder takes a half-written message for one, and
// the next attempt at the message (after a crash mid-write) overwrites it
// rather than leaving it behind.
func (f *Files) tempPath(id int64) string {
	return filepath.Join(f.dir, "."+strconv.FormatInt(id, 10)+".eml.tmp")
}

// Send writes m to its file. The file appears complete or not at all (it
// is written under a temporary name, synced, then renamed), and writing a
// message again replaces it, so there is at most one file per message,
// and a write cut short by a crash leaves only the temporary file, which
// the retry replaces. Only one worker holds a message at a time (the
// outbox's claim), so no two writes of one message meet. The files hold
// personal data: the folder is private to the server's user. It returns
// an error when the folder cannot be created or written.
func (f *Files) Send(ctx context.Context, m *domain.Mail) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	msg, err := Compose(f.from, m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("write message %d: %w", m.ID, err)
	}
	tmp, err := os.OpenFile(f.tempPath(m.ID), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write message %d: %w", m.ID, err)
	}
	defer os.Remove(tmp.Name()) // nothing left to remove after the rename
	_, err = tmp.Write(msg)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.Path(m.ID))
	}
	if err != nil {
		return fmt.Errorf("write message %d: %w", m.ID, err)
	}
	// Make the rename itself durable; not every system can sync a folder.
	if d, err := os.Open(f.dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
