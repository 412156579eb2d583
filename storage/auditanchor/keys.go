// Package auditanchor keeps the audit log's checkpoints outside the
// database (issue 15): the Ed25519 key that signs them, the file they are
// appended to, the syslog server they are sent to, and the server's
// hourly writer. The key never reaches the database; verifying a
// checkpoint needs only the public key.
package auditanchor

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
)

// keyError is the refusal of a key file: EINVALID with the catalog key
// and its arguments.
func keyError(key, format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, key, format, args...)
}

// LoadPrivateKey reads the signing key from path: a PEM "PRIVATE KEY"
// (PKCS #8, as `ppp audit keygen` and `openssl genpkey -algorithm
// ed25519` write it) or an OpenSSH private key (`ssh-keygen -t ed25519`,
// without a passphrase). A key that anyone but its owner may read or
// write (any group or other permission bit) is refused, as ssh refuses
// one: whoever can read it can forge checkpoints. It returns EINVALID
// "audit.key_mode", "audit.key_unreadable" or "audit.key_not_ed25519".
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, keyError("audit.key_unreadable", "cannot read the audit key %s: %v", path, errors.Unwrap(err))
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, keyError("audit.key_mode", "the audit key %s may be read by others (mode %04o): chmod 600 it", path, uint32(perm))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, keyError("audit.key_unreadable", "cannot read the audit key %s: %v", path, errors.Unwrap(err))
	}
	k, err := ssh.ParseRawPrivateKey(b)
	if err != nil {
		return nil, keyError("audit.key_not_ed25519", "%s is not an Ed25519 private key", path)
	}
	switch k := k.(type) {
	case ed25519.PrivateKey:
		return k, nil
	case *ed25519.PrivateKey:
		return *k, nil
	}
	return nil, keyError("audit.key_not_ed25519", "%s is not an Ed25519 private key", path)
}

// LoadPublicKey reads the key that checks checkpoints from path: a PEM
// "PUBLIC KEY" (as `ppp audit keygen` writes FILE.pub, or `openssl pkey
// -pubout`), an OpenSSH public key line, or the private key itself (then
// as LoadPrivateKey reads it). It returns EINVALID "audit.key_unreadable"
// or "audit.key_not_ed25519".
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, keyError("audit.key_unreadable", "cannot read the audit key %s: %v", path, errors.Unwrap(err))
	}
	if block, _ := pem.Decode(b); block != nil && block.Type == "PUBLIC KEY" {
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if pub, ok := k.(ed25519.PublicKey); err == nil && ok {
			return pub, nil
		}
		return nil, keyError("audit.key_not_ed25519", "%s is not an Ed25519 public key", path)
	}
	if k, _, _, _, err := ssh.ParseAuthorizedKey(b); err == nil {
		if ck, ok := k.(ssh.CryptoPublicKey); ok {
			if pub, ok := ck.CryptoPublicKey().(ed25519.PublicKey); ok {
				return pub, nil
			}
		}
		return nil, keyError("audit.key_not_ed25519", "%s is not an Ed25519 public key", path)
	}
	priv, err := LoadPrivateKey(path)
	if err != nil {
		return nil, err
	}
	return priv.Public().(ed25519.PublicKey), nil
}

// GenerateKey makes a new signing key: path (mode 0600, PKCS #8 PEM) and
// path + ".pub" (mode 0644, PKIX PEM), the public key that verifies. It
// never overwrites a file: an existing key may be the only one that
// verifies older checkpoints. It returns EINVALID "audit.key_exists" or
// "audit.key_unwritable".
func GenerateKey(path string) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate the audit key: %w", err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("encode the audit key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("encode the audit key: %w", err)
	}
	for _, p := range []string{path, path + ".pub"} {
		if _, err := os.Lstat(p); err == nil {
			return nil, keyError("audit.key_exists", "%s exists already; a new key never replaces one", p)
		}
	}
	for _, f := range []struct {
		path  string
		mode  os.FileMode
		block *pem.Block
	}{
		{path, 0o600, &pem.Block{Type: "PRIVATE KEY", Bytes: privDER}},
		{path + ".pub", 0o644, &pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}},
	} {
		out, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.mode)
		if errors.Is(err, fs.ErrExist) {
			return nil, keyError("audit.key_exists", "%s exists already; a new key never replaces one", f.path)
		} else if err != nil {
			return nil, keyError("audit.key_unwritable", "cannot write %s: %v", f.path, errors.Unwrap(err))
		}
		err = pem.Encode(out, f.block)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, keyError("audit.key_unwritable", "cannot write %s: %v", f.path, err)
		}
	}
	return pub, nil
}
