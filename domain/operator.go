package domain

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Role is a back-office role. One operator may hold several.
type Role string

// The back-office roles (BRIEF: who uses it).
const (
	RoleReviewer Role = "reviewer"
	RoleHelpdesk Role = "helpdesk"
	RoleSecurity Role = "security"
	RoleEditor   Role = "editor"
	RoleAdmin    Role = "admin"
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleReviewer, RoleHelpdesk, RoleSecurity, RoleEditor, RoleAdmin}

// ParseRoles parses a comma-separated list such as "reviewer,admin". It
// returns EINVALID naming the first unknown role, or when the list is empty.
func ParseRoles(s string) ([]Role, error) {
	var out []Role
	for _, part := range strings.Split(s, ",") {
		r := Role(strings.ToLower(strings.TrimSpace(part)))
		if r == "" {
			continue
		}
		if !slices.Contains(Roles, r) {
			return nil, Errorf(EINVALID, "role.unknown", "unknown role %q (known: reviewer, helpdesk, security, editor, admin)", string(r))
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "role.none", "at least one role is required")
	}
	return out, nil
}

// Operator is an agency employee who signs in to the back office.
type Operator struct {
	ID          int64
	Name        string // sign-in name, e.g. "ilze.berzina"
	FullName    string
	Email       string
	Roles       []Role
	Language    string // "lv" or "en"
	Disabled    bool
	LockedUntil time.Time // zero when not locked
	HasPassword bool
	CreatedAt   time.Time
}

// HasRole reports whether the operator holds role r.
func (o *Operator) HasRole(r Role) bool { return slices.Contains(o.Roles, r) }

// CanSignIn reports whether the operator may start a session with a
// password at now: neither disabled nor locked. A key ignores the lock
// (see CanSignInWith).
func (o *Operator) CanSignIn(now time.Time) bool {
	return !o.Disabled && !now.Before(o.LockedUntil)
}

var operatorNameRE = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// ValidateOperatorName checks a sign-in name: 2–32 characters, lower-case
// Latin letters, digits, '.', '_' or '-', starting with a letter. It returns
// EINVALID.
func ValidateOperatorName(name string) error {
	if !operatorNameRE.MatchString(name) {
		return Errorf(EINVALID, "operator.bad_name", "invalid operator name %q: 2–32 lower-case letters, digits, '.', '_' or '-', starting with a letter", name)
	}
	return nil
}

// Validate checks the operator before it is stored. It returns EINVALID.
func (o *Operator) Validate() error {
	if err := ValidateOperatorName(o.Name); err != nil {
		return err
	}
	if !IsPlainText(o.FullName, false) {
		return Errorf(EINVALID, "operator.bad_full_name", "the full name holds control characters or is not valid UTF-8")
	}
	return checkRoles(o.Roles)
}

// checkRoles returns EINVALID "role.none" for no roles and "role.unknown"
// for a role not in Roles.
func checkRoles(roles []Role) error {
	if len(roles) == 0 {
		return Errorf(EINVALID, "role.none", "at least one role is required")
	}
	for _, r := range roles {
		if !slices.Contains(Roles, r) {
			return Errorf(EINVALID, "role.unknown", "unknown role %q (known: reviewer, helpdesk, security, editor, admin)", string(r))
		}
	}
	return nil
}

// OperatorKey is an SSH public key registered to an operator.
type OperatorKey struct {
	OperatorID  int64
	Fingerprint string // "SHA256:…", as ssh-keygen -l prints it
	Type        string // "ssh-ed25519" …
	Comment     string
	AddedAt     time.Time
}

// OperatorService manages back-office accounts. Every method that changes
// something writes an audit entry in the same transaction, attributed to the
// actor in ctx (see WithActor). Every method needs an administrator, except
// that an operator reads their own account and sets their own language and
// password (see Actor.IsOperator).
type OperatorService interface {
	// CreateOperator stores a new operator; password may be empty (key-only
	// sign-in). It returns EINVALID for a bad name, role or password and
	// ECONFLICT when the name is taken.
	CreateOperator(ctx context.Context, op *Operator, password string) error
	// FindOperatorByName returns ENOTFOUND when no operator has that name.
	FindOperatorByName(ctx context.Context, name string) (*Operator, error)
	// FindOperatorByID returns ENOTFOUND when no operator has that id.
	FindOperatorByID(ctx context.Context, id int64) (*Operator, error)
	// ListOperators returns every operator, by name.
	ListOperators(ctx context.Context) ([]*Operator, error)
	// SetOperatorDisabled disables or enables an operator; disabling ends
	// their open sessions (through a notification). ENOTFOUND.
	SetOperatorDisabled(ctx context.Context, name string, disabled bool, reason string) error
	// UnlockOperator ends a lock of the operator's password that failed
	// attempts caused (¶31), so that their failures count afresh, and
	// reports whether it was locked; it is audited. ENOTFOUND.
	UnlockOperator(ctx context.Context, name string) (wasLocked bool, err error)
	// SetOperatorRoles replaces an operator's roles. EINVALID, ENOTFOUND.
	SetOperatorRoles(ctx context.Context, name string, roles []Role) error
	// SetOperatorPassword checks password against the rule (¶31) and
	// stores its hash. EINVALID with every failed rule, ENOTFOUND.
	SetOperatorPassword(ctx context.Context, name, password string) error
	// SetOperatorLanguage remembers the operator's UI language.
	SetOperatorLanguage(ctx context.Context, id int64, lang string) error
	// AddOperatorKey registers an authorized_keys line. EINVALID for a
	// malformed key, ECONFLICT when the key is registered already.
	AddOperatorKey(ctx context.Context, name, authorizedKey string) (*OperatorKey, error)
	// RemoveOperatorKey removes a key by fingerprint. ENOTFOUND.
	RemoveOperatorKey(ctx context.Context, name, fingerprint string) error
	// ListOperatorKeys returns an operator's keys. ENOTFOUND.
	ListOperatorKeys(ctx context.Context, name string) ([]*OperatorKey, error)
}

// SignInMethod says how an operator proved who they are.
type SignInMethod string

// Sign-in methods.
const (
	SignInPublicKey SignInMethod = "publickey"
	SignInPassword  SignInMethod = "password"
)

// AuthService decides who may open a session.
type AuthService interface {
	// AuthenticatePassword checks name and password. Every attempt is
	// recorded before the password is hashed and its outcome is recorded
	// even when ctx ends first, so N attempts leave N records; failures
	// are counted per account (5 in 15 minutes lock the password for 15
	// minutes, and a locked account is refused without hashing) and per
	// source address (too many refuse the address; recent failures make
	// its attempts wait). Every failure is audited. It returns
	// EUNAUTHORIZED for any failure that must look alike to the caller
	// (unknown name, wrong password, disabled, locked, deadline passed),
	// so a reply never reveals whether an account exists, and
	// EUNAVAILABLE when the database does not answer (nothing is counted
	// then).
	AuthenticatePassword(ctx context.Context, name, password, remoteAddr string) (*Operator, error)
	// AuthenticateAnswer checks the answer to the SSH password prompt:
	// the operator's password, or the one-time sign-in code e-mailed to
	// an operator who forgot theirs (¶31.3; codeUsed is then true and
	// the session must have a new password set first). One answer is one
	// attempt, recorded and counted as AuthenticatePassword does; a code
	// works while the password is locked. Errors as AuthenticatePassword.
	AuthenticateAnswer(ctx context.Context, name, answer, remoteAddr string) (op *Operator, codeUsed bool, err error)
	// OperatorForKey returns the operator named name that has the key
	// with this fingerprint and may sign in by key (not disabled; a
	// password lock does not stop a key). EUNAUTHORIZED otherwise.
	OperatorForKey(ctx context.Context, name, fingerprint string) (*Operator, error)
	// RecordSignIn audits a successful sign-in and the session it opened.
	RecordSignIn(ctx context.Context, op *Operator, method SignInMethod, sessionID, remoteAddr string) error
	// RecordNoSession records an authentication after which the
	// connection ended without a session (why: what the client did), so
	// that a client cannot test credentials unseen. ENOTFOUND,
	// EUNAVAILABLE.
	RecordNoSession(ctx context.Context, operatorID int64, method SignInMethod, remoteAddr, why string) error
	// RecordSignOut audits the end of a session and why it ended.
	RecordSignOut(ctx context.Context, op *Operator, sessionID, remoteAddr, why string) error
}
