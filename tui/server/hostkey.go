package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
)

// hostKey reads the host key at path, creating an ed25519 key there first
// when there is none. Creation goes through a temporary file and a hard
// link, so two servers starting at once end up with the same key. An empty
// path gives a key that lives in memory only.
func hostKey(path string) (gossh.Signer, error) {
	if path == "" {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return gossh.NewSignerFromKey(priv)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createHostKey(path); err != nil {
			return nil, err
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	return gossh.ParsePrivateKey(b)
}

func createHostKey(path string) error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "ppp host key")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".hostkey-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(pem.EncodeToMemory(block)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // another server created it first; use theirs
		}
		return err
	}
	if sshPub, err := gossh.NewPublicKey(pub); err == nil {
		// The public half helps operators check the fingerprint; failing
		// to write it is not fatal.
		_ = os.WriteFile(path+".pub", gossh.MarshalAuthorizedKey(sshPub), 0o644)
	}
	return nil
}

// LoadHostKeyFile reads the host key that several instances behind one
// load balancer share (PPP_HOST_KEY_FILE): an SSH private key without a
// passphrase, as `ssh-keygen -t ed25519 -N ” -f FILE` writes it. Unlike
// the key in the data folder it is never created: a missing file would
// otherwise give each instance a key of its own, and clients a host-key
// warning whenever the balancer picks another instance. A key that its
// group or others may read or write is refused, as sshd refuses one. It
// returns EINVALID "hostkey.unreadable" (missing, a folder, no
// permission), "hostkey.mode" or "hostkey.bad" (not a private key, or one
// with a passphrase).
func LoadHostKeyFile(path string) (gossh.Signer, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, hostKeyError("hostkey.unreadable", "cannot read the SSH host key %s: %v", path, errCause(err))
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, hostKeyError("hostkey.mode", "the SSH host key %s may be read by others (mode %04o): chmod 600 it", path, uint32(perm))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, hostKeyError("hostkey.unreadable", "cannot read the SSH host key %s: %v", path, errCause(err))
	}
	signer, err := gossh.ParsePrivateKey(b)
	if err != nil {
		var pass *gossh.PassphraseMissingError
		if errors.As(err, &pass) {
			return nil, hostKeyError("hostkey.passphrase", "the SSH host key %s has a passphrase: the server cannot ask for it", path)
		}
		return nil, hostKeyError("hostkey.bad", "%s is not an SSH private key", path)
	}
	return signer, nil
}

func hostKeyError(key, format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, key, format, args...)
}

// errCause drops the operation and path a *PathError repeats, leaving
// "no such file or directory" or "permission denied".
func errCause(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}
