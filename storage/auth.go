package storage

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// SignInPolicy sets how password guessing is slowed down.
type SignInPolicy struct {
	// AccountFailures failed passwords within Window lock the account.
	AccountFailures int
	// Window is how far back failures are counted.
	Window time.Duration
	// LockFor is how long a locked account stays locked.
	LockFor time.Duration
	// AddressFailures failures from one source address within Window
	// refuse every further password from it until they age out.
	AddressFailures int
	// AddressDelayAfter failures from one source address within Window
	// make each further attempt from it wait AddressDelay for every
	// failure from the AddressDelayAfter-th on, at most AddressDelayMax,
	// before anything is hashed (and before a refusal is answered).
	AddressDelayAfter int
	AddressDelay      time.Duration
	AddressDelayMax   time.Duration
	// TrustedProxies are source addresses exempt from the per-address
	// limits (a bastion or load balancer every attempt comes through);
	// the per-account lock still applies.
	TrustedProxies []netip.Prefix
}

// DefaultSignInPolicy returns the policy of ¶31 as the Agency applies it:
// 5 failures in 15 minutes lock an account for 15 minutes, and 20 failures
// in 15 minutes block a source address; from its third failure on, each
// attempt from an address waits half a second more, up to 3 seconds.
func DefaultSignInPolicy() SignInPolicy {
	return SignInPolicy{
		AccountFailures: 5, Window: 15 * time.Minute, LockFor: 15 * time.Minute, AddressFailures: 20,
		AddressDelayAfter: 3, AddressDelay: 500 * time.Millisecond, AddressDelayMax: 3 * time.Second,
	}
}

// addressDelay is how long an attempt from an address with failures
// recent failures waits.
func (p SignInPolicy) addressDelay(failures int) time.Duration {
	if p.AddressDelay <= 0 || failures < p.AddressDelayAfter {
		return 0
	}
	return min(time.Duration(failures-p.AddressDelayAfter+1)*p.AddressDelay, p.AddressDelayMax)
}

// trusted reports whether host is one of the trusted proxies.
func (p SignInPolicy) trusted(host string) bool {
	if len(p.TrustedProxies) == 0 {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, pfx := range p.TrustedProxies {
		if pfx.Contains(addr) {
			return true
		}
	}
	return false
}

// AuthService decides who may open a session. It implements
// domain.AuthService. Its methods run during the SSH handshake, so callers
// pass a context with a deadline.
type AuthService struct {
	db *DB
	// Policy is read at every attempt; set it before the service is used.
	Policy SignInPolicy
	// wait replaces the throttle's sleep in tests.
	wait func(ctx context.Context, d time.Duration) bool
}

var _ domain.AuthService = (*AuthService)(nil)

// NewAuthService returns an AuthService on db with DefaultSignInPolicy.
func NewAuthService(db *DB) *AuthService {
	return &AuthService{db: db, Policy: DefaultSignInPolicy()}
}

// errSignInFailed is the one answer to every refused sign-in, so that no
// reply tells an unknown name from a wrong password, a disabled or a
// locked account.
func errSignInFailed() error {
	return domain.Errorf(domain.EUNAUTHORIZED, "auth.failed", "sign-in failed")
}

// AuthenticatePassword returns the operator named name when password is
// theirs and they may sign in with it. Every attempt is recorded in
// sign_in_attempts before the password is hashed (see auth_attempt.go),
// and its outcome is recorded even when ctx ends first, so that a flood
// of attempts leaves one row each and locks the account from the fifth
// failure; a failure is audited as "auth.failure" and a lock as
// "auth.lock". Failures are counted per source address (too many refuse
// the address before any hashing, and each attempt from an address with
// recent failures waits longer) and per account (too many lock it for
// Policy.LockFor; a locked account is refused without hashing). An
// unknown name, a wrong password, a disabled, locked or password-less
// account, a blocked address and a caller whose deadline passed before
// the password could be hashed all get the same EUNAUTHORIZED
// "auth.failed"; an unknown name, a disabled and a password-less account
// after the same hashing work as a wrong password. A database that does
// not answer gives EUNAVAILABLE, and nothing is recorded or counted then.
// A success is recorded as a successful attempt; call RecordSignIn once
// the session opens, or RecordNoSession when the connection ends without
// one.
func (s *AuthService) AuthenticatePassword(ctx context.Context, name, password, remoteAddr string) (*domain.Operator, error) {
	op, _, err := s.authenticate(ctx, name, password, remoteAddr, passwordOnly)
	return op, err
}

// AuthenticateAnswer checks the answer typed at the SSH password prompt:
// an answer with the shape of a one-time sign-in code (¶31.3,
// domain.HashOperatorResetCode) is first tried as the operator's open code
// (and used up when it is, audited as "auth.reset_code_used"; codeUsed is
// then true and the session must make the operator set a new password),
// otherwise, or when it is not their code, as their password. One answer
// is one attempt, recorded and counted once, exactly as
// AuthenticatePassword does, with one difference: a code still works
// while the account is locked by failed passwords, so that an operator
// locked out by someone else's guessing can get back in through the
// helpdesk. Errors are those of AuthenticatePassword.
func (s *AuthService) AuthenticateAnswer(ctx context.Context, name, answer, remoteAddr string) (op *domain.Operator, codeUsed bool, err error) {
	return s.authenticate(ctx, name, answer, remoteAddr, passwordOrCode)
}

// OperatorForKey returns the operator named name when the key with this
// fingerprint is registered to them and they may sign in by key now: a
// disabled operator (an access denial disables one too) is refused, a
// locked one is not, since the lock is the answer to failed passwords and
// a key is a credential of its own (domain.Operator.CanSignInWith). It
// returns EUNAUTHORIZED "auth.failed" otherwise (an unknown name, another
// operator's key, a disabled account), and EUNAVAILABLE when the database
// does not answer. It records nothing: the SSH server calls it for keys a
// client merely offers, too.
func (s *AuthService) OperatorForKey(ctx context.Context, name, fingerprint string) (*domain.Operator, error) {
	op, err := scanOperator(s.db.pool.QueryRow(ctx, `
		SELECT `+operatorColumns+`
		  FROM operators
		 WHERE name = $1
		   AND EXISTS (SELECT FROM operator_keys WHERE operator_id = operators.id AND fingerprint = $2)`,
		name, fingerprint))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errSignInFailed()
	}
	if err != nil {
		return nil, dbError("find operator by key", err)
	}
	if !op.CanSignInWith(domain.SignInPublicKey, s.db.now()) {
		return nil, errSignInFailed()
	}
	return op, nil
}

// RecordSignIn audits a successful sign-in of op as "auth.sign_in" with
// the session it opened. A key sign-in is also recorded in
// sign_in_attempts here; a password sign-in was recorded there by
// AuthenticatePassword or AuthenticateAnswer already. It returns
// EUNAVAILABLE when the database does not answer.
func (s *AuthService) RecordSignIn(ctx context.Context, op *domain.Operator, method domain.SignInMethod, sessionID, remoteAddr string) error {
	return s.db.inTx(ctx, "record sign-in", func(tx *Tx) error {
		if method != domain.SignInPassword {
			if err := insertAttempt(ctx, tx, op.Name, remoteAddr, method, true); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			ActorID:     op.ID,
			ActorName:   op.Name,
			SessionID:   sessionID,
			RemoteAddr:  remoteAddr,
			Action:      domain.AuditSignIn,
			SubjectKind: "operator",
			SubjectID:   op.Name,
			Details:     "method=" + string(method),
		})
	})
}

// RecordNoSession records that the operator with id operatorID
// authenticated by method from remoteAddr and the connection ended
// without a session: audited as "auth.no_session" (why says what the
// client did, e.g. "no session" or "no terminal"), and for a key also in
// sign_in_attempts (a password attempt is there already). Without it a
// client could test passwords, or keys, and leave no trace. It returns
// ENOTFOUND for an unknown id and EUNAVAILABLE when the database does not
// answer.
func (s *AuthService) RecordNoSession(ctx context.Context, operatorID int64, method domain.SignInMethod, remoteAddr, why string) error {
	return s.db.inTx(ctx, "record authentication without a session", func(tx *Tx) error {
		var name string
		err := tx.QueryRow(ctx, `SELECT name FROM operators WHERE id = $1`, operatorID).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.OperatorNotFound(strconv.FormatInt(operatorID, 10))
		}
		if err != nil {
			return dbError("record authentication without a session", err)
		}
		if method != domain.SignInPassword {
			if err := insertAttempt(ctx, tx, name, remoteAddr, method, true); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			ActorID:     operatorID,
			ActorName:   name,
			RemoteAddr:  remoteAddr,
			Action:      domain.AuditNoSession,
			SubjectKind: "operator",
			SubjectID:   name,
			Details:     "method=" + string(method) + "; " + why,
		})
	})
}

// RecordSignOut audits the end of op's session as "auth.sign_out", with
// why it ended ("quit", "idle", "disabled" …) as the reason. It returns
// EUNAVAILABLE when the database does not answer.
func (s *AuthService) RecordSignOut(ctx context.Context, op *domain.Operator, sessionID, remoteAddr, why string) error {
	return s.db.inTx(ctx, "record sign-out", func(tx *Tx) error {
		return appendAudit(ctx, tx, &domain.AuditEntry{
			ActorID:     op.ID,
			ActorName:   op.Name,
			SessionID:   sessionID,
			RemoteAddr:  remoteAddr,
			Action:      domain.AuditSignOut,
			SubjectKind: "operator",
			SubjectID:   op.Name,
			Reason:      why,
		})
	})
}

// insertAttempt adds a row to sign_in_attempts.
func insertAttempt(ctx context.Context, tx *Tx, name, remoteAddr string, method domain.SignInMethod, success bool) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO sign_in_attempts (at, operator_name, remote_addr, method, success)
		VALUES ($1, $2, $3, $4, $5)`,
		tx.now, nameTried(name), remoteHost(remoteAddr), string(method), success)
	return dbError("record sign-in attempt", err)
}

// nameTried makes a user name sent by a client storable and harmless on
// a terminal (domain.NameTried): an attacker's name carrying escape
// sequences is recorded as the subject of auth.failure.
func nameTried(name string) string { return domain.NameTried(name) }

// remoteHost returns the host of a "host:port" address, or the address
// itself when it has no port, so that failures count per host.
func remoteHost(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return nameTried(addr)
}
