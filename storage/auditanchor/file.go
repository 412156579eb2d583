package auditanchor

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/viaa/ppp/domain"
)

// AppendToFile appends c as one line to the file at path, creating it
// (mode 0644: a checkpoint holds no secret), and waits until the line is
// on disk. Each line is written in one write on a file opened for
// appending, so that several writers (servers, the command line) never
// interleave their lines. It returns EUNAVAILABLE "audit.checkpoint_file"
// when the file cannot be written.
func AppendToFile(path string, c domain.AuditCheckpoint) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fileError(path, err)
	}
	_, err = f.WriteString(c.MarshalLine() + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fileError(path, err)
	}
	return nil
}

func fileError(path string, err error) error {
	if u := errors.Unwrap(err); u != nil {
		err = u
	}
	return domain.Errorf(domain.EUNAVAILABLE, "audit.checkpoint_file", "cannot write the audit checkpoints to %s: %v", path, err)
}

// Read is one line of a checkpoint file: its checkpoint, or why it is
// not one.
type Read struct {
	Line       int
	Checkpoint domain.AuditCheckpoint
	Err        error // domain.ParseAuditCheckpoint's error
}

// maxLine bounds a line of a checkpoint file; a checkpoint takes about
// 250 bytes.
const maxLine = 4096

// ReadFile reads every non-empty line of the checkpoint file at path, in
// order, each with its line number (also set as the checkpoint's Line).
// A line that is not a checkpoint is returned with its error, not
// skipped: a verifier reports it. It returns EINVALID
// "audit.checkpoint_unreadable" when the file cannot be read.
func ReadFile(path string) ([]Read, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer f.Close()
	var out []Read
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, maxLine), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		c, err := domain.ParseAuditCheckpoint(line)
		c.Line = n
		out = append(out, Read{Line: n, Checkpoint: c, Err: err})
	}
	if err := sc.Err(); err != nil {
		return nil, readError(path, fmt.Errorf("line %d: %w", n+1, err))
	}
	return out, nil
}

func readError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return domain.Errorf(domain.EINVALID, "audit.checkpoint_unreadable", "cannot read the audit checkpoints in %s: %v", path, err)
}
