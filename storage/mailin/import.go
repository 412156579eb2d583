package mailin

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxImportSize is the largest message Import hands on; a larger one is
// reported and skipped.
const MaxImportSize = 25 << 20

// Import delivers the messages of path: a .eml file, an mbox file, or a
// directory of .eml (and .mbox) files. See ImportContext.
func Import(path string, deliver func(ctx context.Context, raw []byte) error) (n int, err error) {
	return ImportContext(context.Background(), path, deliver)
}

// ImportContext delivers the messages of path and returns how many were
// delivered. A message that fails is reported in err and the rest are
// still delivered; since deliver stores each message once, importing the
// same files again is harmless.
func ImportContext(ctx context.Context, path string, deliver func(ctx context.Context, raw []byte) error) (n int, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if !fi.IsDir() {
		return importFile(ctx, path, deliver)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return 0, err
	}
	var names []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.Type().IsRegular() && (ext == ".eml" || ext == ".mbox") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		k, err := importFile(ctx, filepath.Join(path, name), deliver)
		n += k
		if err != nil {
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}

// importFile delivers one .eml file, or every message of an mbox file (one
// that starts with a "From " line).
func importFile(ctx context.Context, path string, deliver func(ctx context.Context, raw []byte) error) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(5)
	if string(head) == "From " {
		return importMbox(ctx, path, br, deliver)
	}
	raw, err := io.ReadAll(io.LimitReader(br, MaxImportSize+1))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if len(raw) > MaxImportSize {
		return 0, fmt.Errorf("%s: larger than %d bytes, skipped", path, MaxImportSize)
	}
	if err := deliver(ctx, raw); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return 1, nil
}

// importMbox splits an mbox at its "From " lines, unescaping ">From "
// (mboxrd: one '>' less on every ">…>From " line).
func importMbox(ctx context.Context, path string, r *bufio.Reader, deliver func(ctx context.Context, raw []byte) error) (int, error) {
	var (
		n, index  int
		errs      []error
		msg       bytes.Buffer
		over      bool
		prevBlank = true
		started   bool
	)
	flush := func() {
		if !started {
			return
		}
		index++
		raw := msg.Bytes()
		// The empty line before the next From_ line belongs to the mbox.
		if bytes.HasSuffix(raw, []byte("\r\n\r\n")) {
			raw = raw[:len(raw)-2]
		} else if bytes.HasSuffix(raw, []byte("\n\n")) {
			raw = raw[:len(raw)-1]
		}
		switch {
		case over:
			errs = append(errs, fmt.Errorf("%s: message %d larger than %d bytes, skipped", path, index, MaxImportSize))
		case ctx.Err() != nil:
		default:
			if err := deliver(ctx, bytes.Clone(raw)); err != nil {
				errs = append(errs, fmt.Errorf("%s: message %d: %w", path, index, err))
			} else {
				n++
			}
		}
		msg.Reset()
		over = false
	}
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			if prevBlank && bytes.HasPrefix(line, []byte("From ")) {
				flush()
				started = true
			} else if started {
				if bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) && line[0] == '>' {
					line = line[1:]
				}
				if msg.Len()+len(line) > MaxImportSize {
					over = true
				} else if !over {
					msg.Write(line)
				}
			}
			prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			break
		}
	}
	flush()
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
}
