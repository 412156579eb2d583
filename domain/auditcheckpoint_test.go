package domain_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// TestAuditCheckpoint_SignedLine_RoundTripsAndVerifies: a checkpoint
// written as a line reads back the same and verifies with its key; the
// signed message is the documented text, so that openssl can check it.
func TestAuditCheckpoint_SignedLine_RoundTripsAndVerifies(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	at := time.Date(2026, 12, 6, 16, 50, 1, 123456789, time.UTC)
	c := domain.SignAuditCheckpoint(key, 1234, strings.Repeat("AB", 32), at)
	if want := "ppp-audit-checkpoint/v1 seq=1234 hash=" + strings.Repeat("ab", 32) + " at=2026-12-06T16:50:01.123456Z"; string(c.Message()) != want {
		t.Fatalf("message %q, want %q", c.Message(), want)
	}
	line := c.MarshalLine()
	if strings.Contains(line, "\n") {
		t.Fatalf("line %q holds a line break", line)
	}
	back, err := domain.ParseAuditCheckpoint(line)
	if err != nil {
		t.Fatal(err)
	}
	if back.Seq != 1234 || back.Hash != c.Hash || !back.At.Equal(c.At) || back.Key != domain.AuditKeyID(pub) || !back.Verify(pub) {
		t.Fatalf("read back %+v", back)
	}
}

// TestAuditCheckpoint_ForgedOrOtherKey_DoesNotVerify: changing any signed
// field of a line, or checking it with another key, fails verification.
func TestAuditCheckpoint_ForgedOrOtherKey_DoesNotVerify(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	other, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	c := domain.SignAuditCheckpoint(key, 50, strings.Repeat("01", 32), time.Now())
	line := c.MarshalLine()
	for name, forged := range map[string]string{
		"seq":  strings.Replace(line, `"seq":50`, `"seq":49`, 1),
		"hash": strings.Replace(line, strings.Repeat("01", 32), strings.Repeat("02", 32), 1),
		"at":   strings.Replace(line, `"at":"20`, `"at":"19`, 1),
	} {
		f, err := domain.ParseAuditCheckpoint(forged)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if f.Verify(pub) {
			t.Errorf("a line with its %s changed verifies", name)
		}
	}
	if c.Verify(other) {
		t.Error("verifies with another key")
	}
	// Signed by another key but naming ours: the key id does not match.
	o := domain.SignAuditCheckpoint(otherKey, 50, c.Hash, c.At)
	o.Key = c.Key
	if o.Verify(pub) {
		t.Error("another key's signature verifies")
	}
}

func TestParseAuditCheckpoint_Malformed(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	good := domain.SignAuditCheckpoint(key, 5, strings.Repeat("aa", 32), time.Now()).MarshalLine()
	for _, line := range []string{
		"", "not json", `{"checkpoint":"ppp-audit/v2"}`, good + good, strings.Replace(good, `"seq":5`, `"seq":-5`, 1),
		strings.Replace(good, strings.Repeat("aa", 32), strings.Repeat("AA", 32), 1),
		strings.Replace(good, strings.Repeat("aa", 32), "aa", 1),
		strings.Replace(good, `"checkpoint"`, `"extra":1,"checkpoint"`, 1),
		strings.Replace(good, `"sig":"`, `"sig":"x`, 1),
	} {
		_, err := domain.ParseAuditCheckpoint(line)
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%q: error %v, want EINVALID", line, err)
		}
	}
}
