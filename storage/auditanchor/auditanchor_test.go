package auditanchor_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage/auditanchor"
)

func wantKey(t *testing.T, err error, code, key string) {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != code || e.Key != key {
		t.Fatalf("error = %v, want %s %s", err, code, key)
	}
}

// TestLoadPrivateKey_ReadableByOthers_Refused: a key any group or other
// user may read (or write) is refused, whatever else is right with it;
// whoever reads it can sign checkpoints of a rewritten log.
func TestLoadPrivateKey_ReadableByOthers_Refused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.key")
	if _, err := auditanchor.GenerateKey(path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("keygen wrote mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if _, err := auditanchor.LoadPrivateKey(path); err != nil {
		t.Fatalf("mode 0600: %v", err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o620, 0o666} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := auditanchor.LoadPrivateKey(path)
		wantKey(t, err, domain.EINVALID, "audit.key_mode")
		if !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: %v does not say what to do", mode, err)
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := auditanchor.LoadPrivateKey(path); err != nil {
		t.Fatalf("mode 0400: %v", err)
	}
}

// TestGenerateKey_NeverReplacesAKey: an existing key (or public key) is
// never overwritten, since it may be the only one that checks older
// checkpoints.
func TestGenerateKey_NeverReplacesAKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.key")
	pub, err := auditanchor.GenerateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	_, err = auditanchor.GenerateKey(path)
	wantKey(t, err, domain.EINVALID, "audit.key_exists")
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("the key was replaced")
	}
	other := filepath.Join(dir, "other.key")
	if err := os.WriteFile(other+".pub", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = auditanchor.GenerateKey(other)
	wantKey(t, err, domain.EINVALID, "audit.key_exists")
	if _, err := os.Stat(other); err == nil {
		t.Fatal("a private key was left without its public key")
	}
	got, err := auditanchor.LoadPublicKey(path + ".pub")
	if err != nil || !got.Equal(pub) {
		t.Fatalf("public key %x, %v; want %x", got, err, pub)
	}
}

// TestLoadKeys_OpenSSHAndPEMForms: an OpenSSH key pair made by
// ssh-keygen works as well as keygen's PEM files; the public key may
// also be derived from the private one; other kinds of keys are refused.
func TestLoadKeys_OpenSSHAndPEMForms(t *testing.T) {
	dir := t.TempDir()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "audit")
	if err != nil {
		t.Fatal(err)
	}
	sshPriv := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(sshPriv, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	spub, _ := ssh.NewPublicKey(pub)
	sshPub := filepath.Join(dir, "id_ed25519.pub")
	if err := os.WriteFile(sshPub, ssh.MarshalAuthorizedKey(spub), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := auditanchor.LoadPrivateKey(sshPriv)
	if err != nil || !k.Equal(priv) {
		t.Fatalf("OpenSSH private key: %v", err)
	}
	for _, p := range []string{sshPub, sshPriv} {
		if got, err := auditanchor.LoadPublicKey(p); err != nil || !got.Equal(pub) {
			t.Fatalf("public key from %s: %v", filepath.Base(p), err)
		}
	}
	junk := filepath.Join(dir, "junk")
	if err := os.WriteFile(junk, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = auditanchor.LoadPrivateKey(junk)
	wantKey(t, err, domain.EINVALID, "audit.key_not_ed25519")
	_, err = auditanchor.LoadPrivateKey(filepath.Join(dir, "missing"))
	wantKey(t, err, domain.EINVALID, "audit.key_unreadable")
}

// TestCheckpointFile_AppendThenRead: checkpoints appended one per line
// come back in order with their line numbers; a line that is not a
// checkpoint comes back with its error rather than being skipped.
func TestCheckpointFile_AppendThenRead(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	path := filepath.Join(t.TempDir(), "checkpoints.jsonl")
	for i := range 3 {
		c := domain.SignAuditCheckpoint(key, int64(10*i), strings.Repeat("ab", 32), time.Now())
		if err := auditanchor.AppendToFile(path, c); err != nil {
			t.Fatal(err)
		}
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n{\"checkpoint\":\"something else\"}\n")
	f.Close()
	reads, err := auditanchor.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(reads) != 4 {
		t.Fatalf("read %d lines, want 4", len(reads))
	}
	for i, r := range reads[:3] {
		if r.Err != nil || r.Line != i+1 || r.Checkpoint.Line != i+1 || r.Checkpoint.Seq != int64(10*i) || !r.Checkpoint.Verify(key.Public().(ed25519.PublicKey)) {
			t.Errorf("line %d: %+v", i+1, r)
		}
	}
	if r := reads[3]; r.Line != 5 || r.Err == nil {
		t.Errorf("the foreign line: %+v, want line 5 with an error", r)
	}
	_, err = auditanchor.ReadFile(path + ".missing")
	wantKey(t, err, domain.EINVALID, "audit.checkpoint_unreadable")
}

// TestSyslog_SendsTheLine: a checkpoint reaches a syslog server over UDP
// and over a local datagram socket, as one message tagged ppp-audit with
// the checkpoint's line.
func TestSyslog_SendsTheLine(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	c := domain.SignAuditCheckpoint(key, 42, strings.Repeat("cd", 32), time.Now())

	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	sock := filepath.Join(t.TempDir(), "log")
	unixgram, err := net.ListenPacket("unixgram", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer unixgram.Close()

	for _, tc := range []struct {
		url string
		pc  net.PacketConn
	}{{"udp://" + udp.LocalAddr().String(), udp}, {"unix://" + sock, unixgram}} {
		s, err := auditanchor.DialSyslog(tc.url)
		if err != nil {
			t.Fatalf("%s: %v", tc.url, err)
		}
		if err := s.Send(c); err != nil {
			t.Fatal(err)
		}
		s.Close()
		buf := make([]byte, 2048)
		tc.pc.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _, err := tc.pc.ReadFrom(buf)
		if err != nil {
			t.Fatalf("%s: nothing received: %v", tc.url, err)
		}
		msg := string(buf[:n])
		// <facility auth (4) * 8 + severity notice (5)> = <37>
		if !strings.HasPrefix(msg, "<37>") || !strings.Contains(msg, auditanchor.SyslogTag) || !strings.Contains(msg, c.MarshalLine()) {
			t.Errorf("%s: received %q", tc.url, msg)
		}
	}
	for _, bad := range []string{"syslog.example.lv:514", "udp://host", "http://host:514", "unix://relative/log", "tcp://u@host:514"} {
		_, err := auditanchor.DialSyslog(bad)
		wantKey(t, err, domain.EINVALID, "audit.syslog_url")
	}
}

// verifier is a stand-in for the audit service: it answers v.
type verifier struct {
	v     domain.AuditVerification
	calls atomic.Int32
}

func (f *verifier) VerifyAuditWith(_ context.Context, o domain.AuditVerifyOptions) (*domain.AuditVerification, error) {
	f.calls.Add(1)
	if o.Full || len(o.Checkpoints) > 0 {
		panic("a checkpoint resumes the verification")
	}
	v := f.v
	return &v, nil
}

// TestAnchor_SignsOnlyAVerifiedChain: a checkpoint signs the head of a
// chain that verified; when it does not, nothing is signed or written.
func TestAnchor_SignsOnlyAVerifiedChain(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	path := filepath.Join(t.TempDir(), "checkpoints.jsonl")
	f := &verifier{v: domain.AuditVerification{OK: true, Entries: 7, HeadHash: strings.Repeat("0f", 32)}}
	when := time.Date(2026, 12, 6, 16, 0, 0, 0, time.UTC)
	a := &auditanchor.Anchor{Audit: f, Key: key, File: path, Now: func() time.Time { return when }}
	c, err := a.Checkpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c.Seq != 7 || c.Hash != f.v.HeadHash || !c.At.Equal(when) || !c.Verify(pub) {
		t.Fatalf("checkpoint %+v", c)
	}
	f.v = domain.AuditVerification{OK: false, FirstBad: 3, Problem: "entry 3 was altered"}
	_, err = a.Checkpoint(t.Context())
	wantKey(t, err, domain.ECONFLICT, "audit.checkpoint_unverified")
	reads, err := auditanchor.ReadFile(path)
	if err != nil || len(reads) != 1 || reads[0].Checkpoint.Seq != 7 {
		t.Fatalf("file holds %+v (%v), want the one checkpoint of the verified chain", reads, err)
	}
}

// TestAnchor_Run_WritesOnSchedule: the server's loop writes a checkpoint
// each interval until it is stopped.
func TestAnchor_Run_WritesOnSchedule(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	path := filepath.Join(t.TempDir(), "checkpoints.jsonl")
	f := &verifier{v: domain.AuditVerification{OK: true, Entries: 1, HeadHash: strings.Repeat("11", 32)}}
	a := &auditanchor.Anchor{Audit: f, Key: key, File: path}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); a.Run(ctx, 20*time.Millisecond) }()
	deadline := time.Now().Add(10 * time.Second)
	for f.calls.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	reads, err := auditanchor.ReadFile(path)
	if err != nil || len(reads) < 3 {
		t.Fatalf("%d checkpoints written (%v), want at least 3", len(reads), err)
	}
}
