package domain

import (
	"bytes"
	"crypto/rsa"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// The rules of back-office accounts, asked by storage before it writes and
// by the test double alike, so that a refusal has one code and one catalog
// key wherever it arises.

// MinRSABits is the smallest RSA key accepted for sign-in.
const MinRSABits = 2048

// PrepareNewOperator readies op to be stored: Latvian when it has no
// language, the full name and address trimmed, the roles without repeats
// in the order of Roles. It returns the errors of Validate,
// CheckOperatorLanguage and ValidateEmail (an empty address is allowed).
func PrepareNewOperator(op *Operator) error {
	if op.Language == "" {
		op.Language = "lv"
	}
	op.FullName = strings.TrimSpace(op.FullName)
	op.Email = strings.TrimSpace(op.Email)
	if err := op.Validate(); err != nil {
		return err
	}
	if err := CheckOperatorLanguage(op.Language); err != nil {
		return err
	}
	if op.Email != "" {
		if err := ValidateEmail(op.Email); err != nil {
			return err
		}
	}
	op.Roles = NormalizeRoles(op.Roles)
	return nil
}

// CheckOperatorRoles checks the roles to give the operator named name and
// returns them without repeats in the order of Roles. It returns EINVALID
// "operator.bad_name", "role.none" or "role.unknown" as Validate does.
func CheckOperatorRoles(name string, roles []Role) ([]Role, error) {
	if err := ValidateOperatorName(name); err != nil {
		return nil, err
	}
	if err := checkRoles(roles); err != nil {
		return nil, err
	}
	return NormalizeRoles(roles), nil
}

// CheckOperatorLanguage returns EINVALID "operator.bad_language" unless
// lang is a language the back office speaks ("lv" or "en").
func CheckOperatorLanguage(lang string) error {
	if lang != "lv" && lang != "en" {
		return Errorf(EINVALID, "operator.bad_language", "unknown language %q (known: lv, en)", lang)
	}
	return nil
}

// NormalizeRoles returns roles without repeats, in the order of Roles, so
// that equal sets are stored alike.
func NormalizeRoles(roles []Role) []Role {
	var out []Role
	for _, r := range Roles {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out
}

// LockedAt reports whether failed password attempts keep o's password
// locked at now.
func (o *Operator) LockedAt(now time.Time) bool {
	return now.Before(o.LockedUntil)
}

// ParseOperatorKey reads exactly one public key from an authorized_keys
// line (options ignored) and returns it as registered, without owner or
// time, with the key itself. The comment is kept, valid UTF-8 without NUL
// or unit separators, at most 200 bytes. It returns EINVALID
// "operator.bad_key" for a line that is not exactly one public key and
// EINVALID "operator.weak_key" for a DSA key or an RSA key under
// MinRSABits.
func ParseOperatorKey(line string) (*OperatorKey, ssh.PublicKey, error) {
	pub, comment, _, rest, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(line)))
	if err != nil || len(bytes.TrimSpace(rest)) > 0 {
		return nil, nil, Errorf(EINVALID, "operator.bad_key", "not an SSH public key in authorized_keys form (one key, e.g. \"ssh-ed25519 AAAA… comment\")")
	}
	switch pub.Type() {
	case ssh.KeyAlgoDSA:
		return nil, nil, Errorf(EINVALID, "operator.weak_key", "the key is too weak: DSA keys are not accepted; use an Ed25519 key")
	case ssh.KeyAlgoRSA:
		if ck, ok := pub.(ssh.CryptoPublicKey); ok {
			if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < MinRSABits {
				return nil, nil, Errorf(EINVALID, "operator.weak_key", "the key is too weak: RSA keys need at least 2048 bits; use an Ed25519 key")
			}
		}
	}
	comment = strings.TrimSpace(strings.NewReplacer("\x00", "", "\x1f", " ").Replace(strings.ToValidUTF8(comment, "\uFFFD")))
	if len(comment) > 200 {
		comment = strings.ToValidUTF8(comment[:200], "")
	}
	return &OperatorKey{Fingerprint: ssh.FingerprintSHA256(pub), Type: pub.Type(), Comment: comment}, pub, nil
}

// OperatorNotFound is the refusal of an operator looked up by name (or
// "#id"): ENOTFOUND "operator.not_found".
func OperatorNotFound(name string) error {
	return Errorf(ENOTFOUND, "operator.not_found", "no operator %q", name)
}

// OperatorKeyNotFound is the refusal of a key the operator does not
// have: ENOTFOUND "operator.key_not_found".
func OperatorKeyNotFound(fingerprint string) error {
	return Errorf(ENOTFOUND, "operator.key_not_found", "the operator has no key %s", fingerprint)
}

// OperatorNameTaken is the refusal of a name another operator has:
// ECONFLICT "operator.name_taken".
func OperatorNameTaken() error {
	return Errorf(ECONFLICT, "operator.name_taken", "an operator with this name exists already")
}

// OperatorKeyTaken is the refusal of a key some operator has registered
// already: ECONFLICT "operator.key_taken".
func OperatorKeyTaken() error {
	return Errorf(ECONFLICT, "operator.key_taken", "this key is registered already")
}
