package domain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"time"
)

// APIClient is a system that calls the portal API (issue 15), such as the
// Platform portal itself. It proves who it is with a bearer token that is
// shown once, when the client is added; only the token's SHA-256 is kept.
type APIClient struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	CreatedBy string
	RevokedAt time.Time // zero while the client may call
	RevokedBy string
}

// Revoked reports whether the client's token no longer works.
func (c *APIClient) Revoked() bool { return !c.RevokedAt.IsZero() }

// Actor returns the actor a call of the client acts as: not an operator,
// named "api:<client>", so that the audit log names the client.
func (c *APIClient) Actor(sessionID, remoteAddr string) Actor {
	return Actor{Name: "api:" + c.Name, SessionID: sessionID, RemoteAddr: remoteAddr, APIClient: c.Name, APIClientID: c.ID}
}

// apiClientName is the shape of a client's name: lower-case letters,
// digits, dots, hyphens and underscores, starting with a letter or digit.
var apiClientName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// ValidateAPIClientName returns EINVALID "api.client_name" unless name is
// 1–63 lower-case ASCII letters, digits, '.', '-' or '_', starting with a
// letter or digit.
func ValidateAPIClientName(name string) error {
	if !apiClientName.MatchString(name) {
		return Errorf(EINVALID, "api.client_name", "an API client's name is 1 to 63 lower-case letters, digits, '.', '-' or '_'")
	}
	return nil
}

// APITokenPrefix starts every API token, so that one found in a log or a
// repository is recognised for what it is.
const APITokenPrefix = "ppp_"

// apiTokenBytes is the entropy of an API token: 256 bits.
const apiTokenBytes = 32

// NewAPIToken returns a fresh bearer token for an API client (APITokenPrefix
// and 32 random bytes, base64url without padding) and its SHA-256, the only
// form in which it is stored. A token of 256 random bits needs no slow
// hash: nobody can guess one, whatever the speed of the hash.
func NewAPIToken() (token string, hash []byte) {
	b := make([]byte, apiTokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	token = APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashAPIToken(token)
}

// HashAPIToken returns the SHA-256 of a token as presented, or nil when it
// cannot be a token NewAPIToken made. Clients are found by this hash, so a
// token is never compared byte by byte with a stored secret.
func HashAPIToken(token string) []byte {
	rest, ok := strings.CutPrefix(token, APITokenPrefix)
	if !ok {
		return nil
	}
	if b, err := base64.RawURLEncoding.DecodeString(rest); err != nil || len(b) != apiTokenBytes {
		return nil
	}
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// IdempotencyTTL is how long a client's idempotency key and the response
// stored with it are kept: a retry within it gets the stored response, a
// request with the key after it is a new request.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyKeyMaxLength bounds an Idempotency-Key, in bytes.
const IdempotencyKeyMaxLength = 255

// CheckIdempotencyKey returns EINVALID "api.idempotency_key_required" for an
// empty key and "api.idempotency_key_bad" for one longer than
// IdempotencyKeyMaxLength or holding anything but printable ASCII.
func CheckIdempotencyKey(key string) error {
	if key == "" {
		return Errorf(EINVALID, "api.idempotency_key_required", "every POST needs an Idempotency-Key header")
	}
	if len(key) > IdempotencyKeyMaxLength {
		return Errorf(EINVALID, "api.idempotency_key_bad", "an Idempotency-Key is 1 to %d printable ASCII characters", IdempotencyKeyMaxLength)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return Errorf(EINVALID, "api.idempotency_key_bad", "an Idempotency-Key is 1 to %d printable ASCII characters", IdempotencyKeyMaxLength)
		}
	}
	return nil
}

// IdempotentCall names one POST of a client: its key and the SHA-256 of
// what it asked (method, path and body), so that a retry can be told from
// a different request that reuses the key.
type IdempotentCall struct {
	ClientID    int64
	Key         string
	RequestHash []byte
}

// StoredResponse is the response a successful idempotent call gave, kept
// to be given again to a retry.
type StoredResponse struct {
	Status int
	Body   []byte
}

// APIClientService keeps the API's clients, authenticates their calls and
// makes their POSTs idempotent. Adding, listing and revoking clients is
// administration: the command line (the back office itself) or an
// administrator; an API client may do none of it.
type APIClientService interface {
	// AddAPIClient adds a client and returns it with its bearer token,
	// which exists nowhere else afterwards. EINVALID "api.client_name",
	// ECONFLICT "api.client_exists" (names are never reused, so the audit
	// log's names stay unambiguous).
	AddAPIClient(ctx context.Context, name string) (*APIClient, string, error)
	// ListAPIClients returns every client, revoked ones included, by name.
	ListAPIClients(ctx context.Context) ([]*APIClient, error)
	// RevokeAPIClient stops the client's token at once. ENOTFOUND
	// "api.client_not_found"; revoking twice changes nothing.
	RevokeAPIClient(ctx context.Context, name string) error
	// AuthenticateAPIClient returns the client whose token this is.
	// EUNAUTHORIZED "api.unauthorized" for a token that is malformed,
	// unknown or revoked (the same error for all).
	AuthenticateAPIClient(ctx context.Context, token string) (*APIClient, error)
	// Idempotent runs fn once per call.Key of the client: the response of
	// a success is stored in the same transaction as everything fn
	// changed (fn's storage calls join it), and a retry with the same key
	// and request gets the stored response (replayed true) without fn
	// running again; a concurrent retry waits for the first to finish. A
	// failure stores nothing, so a retry runs afresh. EINVALID
	// "api.idempotency_key_reused" when the key was used with another
	// request; fn's own errors as they are.
	Idempotent(ctx context.Context, call IdempotentCall, fn func(ctx context.Context) (StoredResponse, error)) (resp StoredResponse, replayed bool, err error)
	// RecordAPICall writes an audit entry of a call that changed nothing
	// (AuditAPIRefused, AuditAPIReplayed), as the client in ctx, without
	// waiting for the audit chain's lock. EFORBIDDEN "api.not_a_client"
	// when ctx acts as no API client.
	RecordAPICall(ctx context.Context, action, details string) error
	// ExpireIdempotencyKeys deletes keys older than IdempotencyTTL and
	// returns how many.
	ExpireIdempotencyKeys(ctx context.Context) (int64, error)
}
