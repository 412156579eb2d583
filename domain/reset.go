package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// OperatorResetCodeLifetime is how long an operator's one-time sign-in
// code works.
const OperatorResetCodeLifetime = 15 * time.Minute

// resetTokenBytes is the entropy of a reset token: 256 bits.
const resetTokenBytes = 32

// NewResetToken returns a fresh single-use password-reset token (32
// random bytes, base64url without padding) and its SHA-256 hash, the only
// form in which it is stored.
func NewResetToken() (token string, hash []byte) {
	b := make([]byte, resetTokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashResetToken(token)
}

// HashResetToken returns the SHA-256 of a token as given in a link, or nil
// when it cannot be a token this package made.
func HashResetToken(token string) []byte {
	token = strings.TrimSpace(token)
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != resetTokenBytes {
		return nil
	}
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// resetCodeAlphabet leaves out letters and digits that are easily
// confused (0/O, 1/I/L).
const resetCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// resetCodeLength gives about 49 bits.
const resetCodeLength = 10

// NewOperatorResetCode returns a fresh one-time code of ten characters
// from an unambiguous alphabet, and its hash.
func NewOperatorResetCode() (code string, hash []byte) {
	var sb strings.Builder
	b := make([]byte, 1)
	for sb.Len() < resetCodeLength {
		_, _ = rand.Read(b)
		// Reject the top of the range so that every character is
		// equally likely.
		if int(b[0]) >= 256-256%len(resetCodeAlphabet) {
			continue
		}
		sb.WriteByte(resetCodeAlphabet[int(b[0])%len(resetCodeAlphabet)])
	}
	code = sb.String()
	return code, HashOperatorResetCode(code)
}

// HashOperatorResetCode returns the SHA-256 of a code as typed: case,
// spaces and dashes do not matter. It returns nil for something that
// cannot be a code.
func HashOperatorResetCode(code string) []byte {
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.ToUpper(code))
	if len(code) != resetCodeLength || strings.Trim(code, resetCodeAlphabet) != "" {
		return nil
	}
	h := sha256.Sum256([]byte("operator-code:" + code))
	return h[:]
}
