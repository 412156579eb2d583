// Package pgpass keeps generated database passwords in a PostgreSQL
// password file (the format libpq and pgx read through the passfile
// connection parameter), and turns a password into the SCRAM-SHA-256
// verifier PostgreSQL stores, so that a password is never sent to the
// server in clear in a CREATE or ALTER ROLE statement.
//
// A connection URL then names the file (…&passfile=/path) instead of
// carrying the password, so the password shows neither in a process list
// nor in a shell's history; the file is mode 0600.
package pgpass

import (
	"bufio"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// Mode is the password file's mode: its owner's alone (libpq ignores a
// password file that group or others may read).
const Mode = 0o600

// New returns a new random password: 32 characters from the URL-safe
// base64 alphabet (192 bits), none of which needs escaping in a password
// file or a connection string.
func New() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Lookup returns the password the file at path holds for role (on a line
// "*:*:*:role:password"), and false when it holds none or does not exist.
// It returns an error only when the file exists but cannot be read.
func Lookup(path, role string) (string, bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read password file: %w", err)
	}
	defer f.Close()
	pw, ok := find(f, role)
	return pw, ok, nil
}

// Ensure returns role's password from the file at path, generating one
// and appending it when the file has none (created reports that), and
// creating the file with Mode when it does not exist. Processes that call
// it at once take turns on a lock on the file, so a role never gets two
// passwords. It returns an error when the file cannot be read or written,
// or when role is not a plain name (letters, digits, underscores).
func Ensure(path, role string) (password string, created bool, err error) {
	if !plainName(role) {
		return "", false, fmt.Errorf("password file: role name %q is not plain", role)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, Mode)
	if err != nil {
		return "", false, fmt.Errorf("open password file: %w", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return "", false, fmt.Errorf("lock password file: %w", err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	// A file made by an older version, or copied, may be readable by
	// others: it is ours, so make it private.
	if err := f.Chmod(Mode); err != nil {
		return "", false, fmt.Errorf("password file mode: %w", err)
	}
	if pw, ok := find(f, role); ok {
		return pw, false, nil
	}
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return "", false, fmt.Errorf("password file: %w", err)
	}
	line := ""
	if end > 0 {
		// Make sure the new line starts on a line of its own.
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, end-1); err == nil && last[0] != '\n' {
			line = "\n"
		}
	}
	password = New()
	line += "*:*:*:" + role + ":" + password + "\n"
	if _, err := f.Write([]byte(line)); err != nil {
		return "", false, fmt.Errorf("write password file: %w", err)
	}
	if err := f.Sync(); err != nil {
		return "", false, fmt.Errorf("write password file: %w", err)
	}
	return password, true, nil
}

// find scans a password file for role's line.
func find(r io.Reader, role string) (string, bool) {
	sc := bufio.NewScanner(r)
	prefix := "*:*:*:" + role + ":"
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, prefix) {
			return strings.TrimPrefix(line, prefix), true
		}
	}
	return "", false
}

func plainName(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// scramIterations is PostgreSQL's default (scram_iterations).
const scramIterations = 4096

// Verifier returns the SCRAM-SHA-256 verifier of password in the form
// PostgreSQL stores in pg_authid (RFC 5803): given to CREATE or ALTER ROLE
// … PASSWORD, the server keeps it as it is, and the password itself never
// reaches the server, its logs or pg_stat_activity. The password must be
// ASCII without control characters (SASLprep leaves those unchanged), as
// New's are; otherwise Verifier returns an error.
func Verifier(password string) (string, error) {
	for _, r := range password {
		if r < 0x21 || r > 0x7e {
			return "", errors.New("scram verifier: the password must be printable ASCII")
		}
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	salted, err := pbkdf2.Key(sha256.New, password, salt, scramIterations, sha256.Size)
	if err != nil {
		return "", fmt.Errorf("scram verifier: %w", err)
	}
	clientKey := hmacSHA256(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	serverKey := hmacSHA256(salted, "Server Key")
	enc := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", scramIterations, enc(salt), enc(storedKey[:]), enc(serverKey)), nil
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}
