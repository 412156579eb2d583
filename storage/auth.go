package storage

import (
	"context"
	"errors"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/passhash"
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
}

// DefaultSignInPolicy returns the policy of ¶31 as the Agency applies it:
// 5 failures in 15 minutes lock an account for 15 minutes, and 20 failures
// in 15 minutes block a source address.
func DefaultSignInPolicy() SignInPolicy {
	return SignInPolicy{AccountFailures: 5, Window: 15 * time.Minute, LockFor: 15 * time.Minute, AddressFailures: 20}
}

// AuthService decides who may open a session. It implements
// domain.AuthService. Its methods run during the SSH handshake, so callers
// pass a context with a deadline.
type AuthService struct {
	db *DB
	// Policy is read at every attempt; set it before the service is used.
	Policy SignInPolicy
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
// theirs and they may sign in. Failures are counted per source address
// (too many refuse the address before any account is looked at) and per
// account (too many lock it for Policy.LockFor); each one is recorded in
// sign_in_attempts and audited as "auth.failure", and a lock as
// "auth.lock". An unknown name, a wrong password, a disabled, locked or
// password-less account and a blocked address all return the same
// EUNAUTHORIZED "auth.failed" after the same password-hashing work. A
// database that does not answer gives EUNAVAILABLE, and an expired context
// its error. A success is not recorded here: call RecordSignIn once the
// session opens.
func (s *AuthService) AuthenticatePassword(ctx context.Context, name, password, remoteAddr string) (*domain.Operator, error) {
	name = nameTried(name)
	host := remoteHost(remoteAddr)
	p := s.Policy

	var addressFailures int
	err := s.db.pool.QueryRow(ctx, `
		SELECT count(*) FROM sign_in_attempts
		 WHERE remote_addr = $1 AND NOT success AND at > $2`,
		host, s.db.now().Add(-p.Window),
	).Scan(&addressFailures)
	if err != nil {
		return nil, dbError("authenticate", err)
	}
	if addressFailures >= p.AddressFailures {
		return nil, s.recordFailure(ctx, nil, name, remoteAddr, "address blocked")
	}

	var hash *string
	op, err := scanOperator(s.db.pool.QueryRow(ctx, `
		SELECT `+operatorColumns+`, password_hash FROM operators WHERE name = $1`, name), &hash)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		passhash.DummyVerify()
		return nil, s.recordFailure(ctx, nil, name, remoteAddr, "unknown name")
	case err != nil:
		return nil, dbError("authenticate", err)
	}

	// The same work for every refusal, so the time taken does not tell
	// them apart.
	ok := false
	if hash != nil {
		var verr error
		ok, verr = passhash.Verify(password, *hash)
		if verr != nil {
			// An unreadable stored hash fails like a wrong password;
			// the hashing work was skipped, so do it now.
			passhash.DummyVerify()
			ok = false
		}
	} else {
		passhash.DummyVerify()
	}

	now := s.db.now()
	switch {
	case op.Disabled:
		return nil, s.recordFailure(ctx, op, name, remoteAddr, "disabled")
	case now.Before(op.LockedUntil):
		return nil, s.recordFailure(ctx, op, name, remoteAddr, "locked")
	case hash == nil:
		return nil, s.recordFailure(ctx, op, name, remoteAddr, "no password")
	case !ok:
		return nil, s.recordFailure(ctx, op, name, remoteAddr, "wrong password")
	}
	return op, nil
}

// recordFailure records and audits a refused password and, for a wrong
// password, locks the account when it has failed too often. It returns the
// error to give the caller: EUNAUTHORIZED, or the database's error.
func (s *AuthService) recordFailure(ctx context.Context, op *domain.Operator, name, remoteAddr, why string) error {
	p := s.Policy
	err := s.db.inTx(ctx, "record failed sign-in", func(tx *Tx) error {
		lockNow := false
		if op != nil && why == "wrong password" {
			// Failures of one account take turns here, so that
			// concurrent guesses cannot each count one short of the
			// limit.
			var lockedUntil *time.Time
			err := tx.QueryRow(ctx, `SELECT locked_until FROM operators WHERE id = $1 FOR UPDATE`, op.ID).Scan(&lockedUntil)
			if err != nil {
				return dbError("record failed sign-in", err)
			}
			if err := insertAttempt(ctx, tx, name, remoteAddr, domain.SignInPassword, false); err != nil {
				return err
			}
			// Count failures since the window opened, the last success
			// and the end of the last lock, whichever came last: once a
			// lock has run out the account gets a fresh allowance.
			since := tx.now.Add(-p.Window)
			if lockedUntil != nil && lockedUntil.After(since) {
				since = *lockedUntil
			}
			var failures int
			err = tx.QueryRow(ctx, `
				SELECT count(*) FROM sign_in_attempts
				 WHERE operator_name = $1 AND NOT success AND at > $2
				   AND at > coalesce((SELECT max(at) FROM sign_in_attempts
				                       WHERE operator_name = $1 AND success AND at > $2), '-infinity')`,
				name, since,
			).Scan(&failures)
			if err != nil {
				return dbError("record failed sign-in", err)
			}
			if failures >= p.AccountFailures {
				lockNow = true
				if _, err := tx.Exec(ctx, `UPDATE operators SET locked_until = $2 WHERE id = $1`,
					op.ID, tx.now.Add(p.LockFor)); err != nil {
					return dbError("lock operator", err)
				}
			}
		} else if err := insertAttempt(ctx, tx, name, remoteAddr, domain.SignInPassword, false); err != nil {
			return err
		}

		err := appendAudit(ctx, tx, &domain.AuditEntry{
			ActorName:   "system",
			SessionID:   domain.ActorFrom(ctx).SessionID,
			RemoteAddr:  remoteAddr,
			Action:      "auth.failure",
			SubjectKind: "operator",
			SubjectID:   name,
			Details:     "method=" + string(domain.SignInPassword) + "; " + why,
		})
		if err != nil || !lockNow {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			ActorName:   "system",
			SessionID:   domain.ActorFrom(ctx).SessionID,
			RemoteAddr:  remoteAddr,
			Action:      "auth.lock",
			SubjectKind: "operator",
			SubjectID:   name,
			Details:     "failures=" + strconv.Itoa(p.AccountFailures) + "; until=" + tx.now.Add(p.LockFor).Format(time.RFC3339),
		})
	})
	if err != nil {
		return err
	}
	return errSignInFailed()
}

// OperatorForKey returns the operator named name when the key with this
// fingerprint is registered to them and they may sign in now. It returns
// EUNAUTHORIZED "auth.failed" otherwise (an unknown name, another
// operator's key, a disabled or locked account), and EUNAVAILABLE when the
// database does not answer. It records nothing: the SSH server calls it
// after the client has proved it holds the key.
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
	if !op.CanSignIn(s.db.now()) {
		return nil, errSignInFailed()
	}
	return op, nil
}

// RecordSignIn records a successful sign-in of op (which also restarts the
// count of the account's failures) and audits it as "auth.sign_in" with
// the session it opened. It returns EUNAVAILABLE when the database does
// not answer.
func (s *AuthService) RecordSignIn(ctx context.Context, op *domain.Operator, method domain.SignInMethod, sessionID, remoteAddr string) error {
	return s.db.inTx(ctx, "record sign-in", func(tx *Tx) error {
		if err := insertAttempt(ctx, tx, op.Name, remoteAddr, method, true); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			ActorID:     op.ID,
			ActorName:   op.Name,
			SessionID:   sessionID,
			RemoteAddr:  remoteAddr,
			Action:      "auth.sign_in",
			SubjectKind: "operator",
			SubjectID:   op.Name,
			Details:     "method=" + string(method),
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
			Action:      "auth.sign_out",
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
