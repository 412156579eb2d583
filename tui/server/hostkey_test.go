package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
)

// writeKey writes a fresh ed25519 host key (OpenSSH PEM) at path with
// mode, protected by passphrase when it is not empty, and returns its
// public half.
func writeKey(t *testing.T, path string, mode os.FileMode, passphrase string) gossh.PublicKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var block *pem.Block
	if passphrase == "" {
		block, err = gossh.MarshalPrivateKey(priv, "shared")
	} else {
		block, err = gossh.MarshalPrivateKeyWithPassphrase(priv, "shared", []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	pub, err := gossh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// TestLoadHostKeyFile_SharedKey_ReadNeverCreated: PPP_HOST_KEY_FILE's key
// is read as it is (mode 0600 or 0400); a missing file is refused and not
// created, and so is a key its group or others may read, a file that is
// no key, one with a passphrase, and a folder — each with its own
// catalog key naming the file.
func TestLoadHostKeyFile_SharedKey_ReadNeverCreated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o600, 0o400} {
		path := filepath.Join(dir, "good"+mode.String())
		pub := writeKey(t, path, mode, "")
		signer, err := LoadHostKeyFile(path)
		if err != nil {
			t.Fatalf("mode %v: %v", mode, err)
		}
		if string(signer.PublicKey().Marshal()) != string(pub.Marshal()) {
			t.Fatalf("mode %v: the loaded key is not the file's", mode)
		}
	}

	missing := filepath.Join(dir, "missing")
	groupReadable := filepath.Join(dir, "group")
	writeKey(t, groupReadable, 0o640, "")
	worldReadable := filepath.Join(dir, "world")
	writeKey(t, worldReadable, 0o604, "")
	notAKey := filepath.Join(dir, "notakey")
	if err := os.WriteFile(notAKey, []byte("ssh-ed25519 AAAA… a public key, not a private one\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	withPassphrase := filepath.Join(dir, "passphrase")
	writeKey(t, withPassphrase, 0o600, "slepens")
	folder := filepath.Join(dir, "folder")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, path, key string }{
		{"missing", missing, "hostkey.unreadable"},
		{"group-readable", groupReadable, "hostkey.mode"},
		{"world-readable", worldReadable, "hostkey.mode"},
		{"not a key", notAKey, "hostkey.bad"},
		{"passphrase", withPassphrase, "hostkey.passphrase"},
		{"folder", folder, "hostkey.unreadable"},
	} {
		signer, err := LoadHostKeyFile(c.path)
		e := domain.AsError(err)
		if signer != nil || e == nil || e.Code != domain.EINVALID || e.Key != c.key {
			t.Errorf("%s: LoadHostKeyFile = %v, %v; want EINVALID %s", c.name, signer, err, c.key)
			continue
		}
		if len(e.Args) == 0 || e.Args[0] != c.path {
			t.Errorf("%s: the refusal does not name the file first: %v", c.name, e.Args)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("LoadHostKeyFile created the missing key (stat: %v)", err)
	}
	if _, err := os.Stat(missing + ".pub"); !os.IsNotExist(err) {
		t.Errorf("LoadHostKeyFile created a public key beside the missing one (stat: %v)", err)
	}
}
