// Package passhash hashes and verifies passwords with Argon2id, stored as
// PHC strings such as
//
//	$argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>
//
// (salt and hash in unpadded standard base64). Verify reads the cost
// parameters from the stored string, so the parameters Hash uses can be
// raised later without invalidating existing hashes; NeedsRehash tells when
// a stored hash should be replaced at the next successful sign-in.
package passhash

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// The parameters of new hashes: RFC 9106's second recommended option
// (64 MiB, 3 passes), with two lanes.
const (
	memoryKiB   = 64 * 1024
	iterations  = 3
	parallelism = 2
	saltLen     = 16
	keyLen      = 32
)

// Limits on what Verify accepts from a stored string. A hash naming
// gigabytes of memory or thousands of passes would let whoever can write
// one stall the server at every sign-in attempt.
const (
	maxMemoryKiB   = 1 << 21 // 2 GiB
	maxIterations  = 20
	maxParallelism = 16
	minSaltLen     = 8
	maxSaltLen     = 64
	minKeyLen      = 16
	maxKeyLen      = 64
)

// Errors returned by Verify. Both mean the stored value is unusable, never
// that the password was wrong.
var (
	// ErrMalformed is returned for a string that is not an Argon2id PHC
	// string as this package writes them.
	ErrMalformed = errors.New("passhash: malformed password hash")
	// ErrUnsupported is returned for a well-formed string with another
	// Argon2 version or with parameters beyond the package's limits.
	ErrUnsupported = errors.New("passhash: unsupported password hash parameters")
)

// params are the Argon2id cost parameters of one hash.
type params struct {
	memory  uint32 // KiB
	time    uint32 // passes
	threads uint8  // lanes
}

// lowered holds the parameters of LowerCostForTests while it is in effect.
var lowered atomic.Pointer[params]

// currentParams returns the parameters Hash uses today.
func currentParams() params {
	if p := lowered.Load(); p != nil {
		return *p
	}
	return params{memory: memoryKiB, time: iterations, threads: parallelism}
}

// LowerCostForTests makes new hashes (and DummyVerify) cost 256 KiB and one
// pass instead of 64 MiB and three, and returns a function that restores
// the real parameters. It is for test binaries whose tests sign in many
// times but are not about the cost: under the race detector a real hash
// takes two seconds. Verify still reads the parameters from each stored
// string, so hashes made either way verify; this package's own tests and
// the timing tests that compare an answer's delay with a hash keep the
// real cost. The server never calls it.
func LowerCostForTests() (restore func()) {
	old := lowered.Swap(&params{memory: 256, time: 1, threads: parallelism})
	return func() { lowered.Store(old) }
}

// RealCostForTests undoes LowerCostForTests until the function it returns
// is called: for a test about the time a hash takes.
func RealCostForTests() (restore func()) {
	old := lowered.Swap(nil)
	return func() { lowered.Store(old) }
}

// Hash returns the PHC string of password under a fresh random 16-byte
// salt and the current parameters, waiting for a hashing slot as long as
// it takes. It returns an error only when the system's random source
// fails.
func Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("passhash: reading random salt: %w", err)
	}
	p := currentParams()
	key, err := idKey(context.Background(), password, salt, p, keyLen)
	if err != nil {
		return "", err
	}
	return encode(p, salt, key), nil
}

// Verify reports whether password matches the PHC string encoded, using
// the parameters written in it and comparing in constant time. A wrong
// password gives (false, nil). A string that cannot be read gives false
// and an error wrapping ErrMalformed or ErrUnsupported; no hashing is
// done for it. It waits for a hashing slot as long as it takes (see
// VerifyContext).
func Verify(password, encoded string) (bool, error) {
	return VerifyContext(context.Background(), password, encoded)
}

// VerifyContext is Verify, waiting for a hashing slot (see
// SetConcurrency) only until ctx ends: it returns false and an error
// wrapping ErrBusy and ctx's error then, without hashing. A hash that has
// started runs to its end whatever ctx does.
func VerifyContext(ctx context.Context, password, encoded string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got, err := idKey(ctx, password, salt, p, uint32(len(key)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// idKey runs Argon2id, the one place that spends a hash's memory, once a
// slot of the process's gate is free (for a Suspect context, once a
// suspect's turn has come); it returns ErrBusy when ctx ends first.
func idKey(ctx context.Context, password string, salt []byte, p params, keyLen uint32) ([]byte, error) {
	suspect := isSuspect(ctx)
	if err := hashing.acquire(ctx, suspect); err != nil {
		return nil, err
	}
	start := time.Now()
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, keyLen)
	hashing.release(suspect, time.Since(start), true)
	return key, nil
}

// NeedsRehash reports whether encoded should be replaced by a fresh Hash
// of the same password: when it cannot be read, or when its parameters,
// salt length or key length differ from those Hash uses now. Call it only
// after Verify has succeeded, when the password is at hand.
func NeedsRehash(encoded string) bool {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return true
	}
	return p != currentParams() || len(salt) != saltLen || len(key) != keyLen
}

// DummyVerify does the work of one Verify against a hash with the current
// parameters and throws the result away. Call it when the account asked
// for does not exist (or has no password), so that the time a sign-in
// takes does not tell whether the account exists. It takes a hashing slot
// like any other hash.
func DummyVerify() {
	_ = DummyVerifyContext(context.Background())
}

// DummyVerifyContext is DummyVerify, waiting for a hashing slot only until
// ctx ends: it returns an error wrapping ErrBusy then.
func DummyVerifyContext(ctx context.Context) error {
	_, err := VerifyContext(ctx, "", dummyHash())
	return err
}

// dummyHash returns a well-formed hash with the current parameters that no
// password matches in practice (its key is all zeros).
func dummyHash() string {
	salt := []byte("ppp-dummy-salt!!") // saltLen bytes, like a real salt
	return encode(currentParams(), salt, make([]byte, keyLen))
}

// encode writes a PHC string.
func encode(p params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decode reads a PHC string written by encode, with any parameters within
// the limits. It is strict on purpose: parameters in the order m, t, p,
// canonical decimal numbers, unpadded base64 with no stray bits.
func decode(encoded string) (p params, salt, key []byte, err error) {
	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" || fields[1] != "argon2id" {
		return params{}, nil, nil, fmt.Errorf("%w: not an $argon2id$ PHC string", ErrMalformed)
	}
	version, ok := strings.CutPrefix(fields[2], "v=")
	if !ok {
		return params{}, nil, nil, fmt.Errorf("%w: no version", ErrMalformed)
	}
	v, err := parseDecimal(version, 1<<32-1)
	if err != nil {
		return params{}, nil, nil, err
	}
	if v != argon2.Version {
		return params{}, nil, nil, fmt.Errorf("%w: Argon2 version %d", ErrUnsupported, v)
	}

	costs := strings.Split(fields[3], ",")
	if len(costs) != 3 {
		return params{}, nil, nil, fmt.Errorf("%w: want parameters m, t and p", ErrMalformed)
	}
	var values [3]uint64
	for i, name := range [3]string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(costs[i], name)
		if !ok {
			return params{}, nil, nil, fmt.Errorf("%w: want parameters m, t and p", ErrMalformed)
		}
		if values[i], err = parseDecimal(digits, 1<<32-1); err != nil {
			return params{}, nil, nil, err
		}
	}
	m, t, threads := values[0], values[1], values[2]
	switch {
	case threads < 1 || threads > maxParallelism:
		return params{}, nil, nil, fmt.Errorf("%w: p=%d", ErrUnsupported, threads)
	case t < 1 || t > maxIterations:
		return params{}, nil, nil, fmt.Errorf("%w: t=%d", ErrUnsupported, t)
	case m < 8*threads || m > maxMemoryKiB:
		// Argon2 needs 8 KiB per lane; below that the library would
		// quietly raise m, and the string would not say what was done.
		return params{}, nil, nil, fmt.Errorf("%w: m=%d", ErrUnsupported, m)
	}
	p = params{memory: uint32(m), time: uint32(t), threads: uint8(threads)}

	if salt, err = decodeBase64(fields[4]); err != nil {
		return params{}, nil, nil, fmt.Errorf("%w: salt", err)
	}
	if len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return params{}, nil, nil, fmt.Errorf("%w: %d-byte salt", ErrUnsupported, len(salt))
	}
	if key, err = decodeBase64(fields[5]); err != nil {
		return params{}, nil, nil, fmt.Errorf("%w: hash", err)
	}
	if len(key) < minKeyLen || len(key) > maxKeyLen {
		return params{}, nil, nil, fmt.Errorf("%w: %d-byte hash", ErrUnsupported, len(key))
	}
	return p, salt, key, nil
}

// decodeBase64 decodes unpadded standard base64 written exactly as encode
// writes it. The decoder alone skips '\r' and '\n', so the result is
// encoded again and compared.
func decodeBase64(s string) ([]byte, error) {
	b64 := base64.RawStdEncoding.Strict()
	b, err := b64.DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil, ErrMalformed
	}
	return b, nil
}

// parseDecimal parses a canonical unsigned decimal number (no sign, no
// leading zeros, no spaces) of at most limit.
func parseDecimal(s string, limit uint64) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || strconv.FormatUint(n, 10) != s || n > limit {
		return 0, fmt.Errorf("%w: a parameter is not a decimal number", ErrMalformed)
	}
	return n, nil
}
