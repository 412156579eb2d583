package domain

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// An audit checkpoint anchors the hash chain outside the database (issue
// 15). Whoever controls the database — its owner, a DBA — can rewrite an
// entry and recompute every hash after it and the head, and the chain is
// consistent again. A checkpoint is a statement, signed with an Ed25519 key
// the database never sees and kept outside it (a file, a syslog server),
// that entry Seq had hash Hash at time At. Each entry's hash covers every
// entry before it, so a log that still has that hash at that entry is
// unchanged up to it; any rewrite up to it shows as a different hash.
//
// The signed message is plain text, so that anyone can check a checkpoint
// without this program (openssl pkeyutl -verify -rawin):
//
//	ppp-audit-checkpoint/v1 seq=SEQ hash=HEX at=YYYY-MM-DDTHH:MM:SS.uuuuuuZ
//
// A checkpoint is kept as one line of JSON:
//
//	{"checkpoint":"ppp-audit/v1","seq":…,"hash":"…","at":"…","key":"…","sig":"…"}
//
// where key is the signing key's id (AuditKeyID) and sig the signature in
// standard base64.

// AuditCheckpoint is one signed checkpoint of the audit log's chain.
type AuditCheckpoint struct {
	Seq  int64     // the entry the checkpoint covers, 0 for an empty log
	Hash string    // that entry's hash, lower-case hex (64 zeros for an empty log)
	At   time.Time // when it was taken, UTC to the microsecond
	Key  string    // AuditKeyID of the signing key
	Sig  []byte    // Ed25519 signature of Message
	// Line is the line of the file it was read from (1-based), 0 when it
	// was not read from a file.
	Line int
}

// auditCheckpointTag names the format of the line and of the message.
const (
	auditCheckpointTag     = "ppp-audit/v1"
	auditCheckpointMessage = "ppp-audit-checkpoint/v1"
	auditCheckpointTime    = "2006-01-02T15:04:05.000000Z"
)

// Message returns the bytes the signature covers.
func (c AuditCheckpoint) Message() []byte {
	return []byte(auditCheckpointMessage + " seq=" + strconv.FormatInt(c.Seq, 10) +
		" hash=" + c.Hash + " at=" + c.At.UTC().Format(auditCheckpointTime))
}

// AuditKeyID returns the id a checkpoint names its key by: the first 8
// bytes of the SHA-256 of the public key, in hex.
func AuditKeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// SignAuditCheckpoint returns the checkpoint that entry seq had hash
// (hex) at time at, signed with key.
func SignAuditCheckpoint(key ed25519.PrivateKey, seq int64, hash string, at time.Time) AuditCheckpoint {
	c := AuditCheckpoint{
		Seq:  seq,
		Hash: strings.ToLower(hash),
		At:   at.UTC().Truncate(time.Microsecond),
		Key:  AuditKeyID(key.Public().(ed25519.PublicKey)),
	}
	c.Sig = ed25519.Sign(key, c.Message())
	return c
}

// Verify reports whether the checkpoint was signed by the key pub.
func (c AuditCheckpoint) Verify(pub ed25519.PublicKey) bool {
	return len(pub) == ed25519.PublicKeySize && c.Key == AuditKeyID(pub) &&
		ed25519.Verify(pub, c.Message(), c.Sig)
}

// auditCheckpointJSON is the checkpoint's line.
type auditCheckpointJSON struct {
	Checkpoint string `json:"checkpoint"`
	Seq        int64  `json:"seq"`
	Hash       string `json:"hash"`
	At         string `json:"at"`
	Key        string `json:"key"`
	Sig        string `json:"sig"`
}

// MarshalLine returns the checkpoint as one line of JSON, without a line break.
func (c AuditCheckpoint) MarshalLine() string {
	b, _ := json.Marshal(auditCheckpointJSON{
		Checkpoint: auditCheckpointTag,
		Seq:        c.Seq,
		Hash:       c.Hash,
		At:         c.At.UTC().Format(auditCheckpointTime),
		Key:        c.Key,
		Sig:        base64.StdEncoding.EncodeToString(c.Sig),
	})
	return string(b)
}

// ParseAuditCheckpoint reads a line written by MarshalLine. It checks the
// form only, not the signature (see Verify). It returns EINVALID
// "audit.checkpoint_malformed" for anything else.
func ParseAuditCheckpoint(line string) (AuditCheckpoint, error) {
	bad := func(why string) (AuditCheckpoint, error) {
		return AuditCheckpoint{}, &Error{Code: EINVALID, Key: "audit.checkpoint_malformed", Message: "not an audit checkpoint: " + why}
	}
	var j auditCheckpointJSON
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return bad("not a JSON object of a checkpoint")
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad("more than one JSON value on the line")
	}
	if j.Checkpoint != auditCheckpointTag {
		return bad("the format is not " + auditCheckpointTag)
	}
	if j.Seq < 0 {
		return bad("negative entry")
	}
	if h, err := hex.DecodeString(j.Hash); err != nil || len(h) != sha256.Size || strings.ToLower(j.Hash) != j.Hash {
		return bad("the hash is not 64 lower-case hex digits")
	}
	at, err := time.Parse(auditCheckpointTime, j.At)
	if err != nil {
		return bad("the time is not " + auditCheckpointTime)
	}
	if k, err := hex.DecodeString(j.Key); err != nil || len(k) != 8 {
		return bad("the key id is not 16 hex digits")
	}
	sig, err := base64.StdEncoding.DecodeString(j.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return bad("the signature is not 64 bytes of base64")
	}
	return AuditCheckpoint{Seq: j.Seq, Hash: j.Hash, At: at.UTC(), Key: j.Key, Sig: sig}, nil
}
