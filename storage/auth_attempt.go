package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/passhash"
)

// A password or one-time-code attempt goes through three steps (issue 13):
//
//  1. reserve: in one short transaction, under a lock per source address
//     and per name tried, the attempt is counted and written to
//     sign_in_attempts, pending. A pending row counts as a failure, so
//     concurrent attempts see each other: the fifth failure locks the
//     account and the sixth attempt is refused here, without hashing,
//     however many arrive at once. A blocked address is refused here too.
//  2. judge: the one-time code (a SHA-256 look-up) and then the password
//     (Argon2id, through passhash's gate, waiting only until the caller's
//     deadline; a wait that runs out is a failure).
//  3. record the outcome, under the name's lock, with a context of its
//     own: the caller's may be gone (the client hung up, the deadline
//     passed) but the attempt has happened and is recorded all the same.
//
// So N attempts always leave N rows, whatever the load. A row that stays
// pending (the server stopped mid-hash) remains a failure.

// recordTimeout bounds each database step of an attempt (the reservation,
// a code's redemption, the recording of the outcome), which do not end
// with the caller's context.
const recordTimeout = 10 * time.Second

// stepContext gives one database step of an attempt a context of its own:
// the caller's values, none of its cancellation, and recordTimeout from
// the moment the step starts, so that a long wait for a hashing slot
// under load cannot leave an outcome unrecorded.
func stepContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
}

// secretKind says what an attempt's secret may be.
type secretKind int

const (
	passwordOnly   secretKind = iota // the "password" method, and the command line
	passwordOrCode                   // the answer to the SSH password prompt
	codeOnly                         // RedeemOperatorResetCode
)

// Why attempts fail, as the audit log's details say.
const (
	whyWrongPassword  = "wrong password"
	whyWrongCode      = "wrong code"
	whyUnknownName    = "unknown name"
	whyDisabled       = "disabled"
	whyLocked         = "locked"
	whyTooMany        = "too many failures"
	whyNoPassword     = "no password"
	whyAddressBlocked = "address blocked"
	whyTimedOut       = "timed out" // the caller's deadline passed before the attempt was judged
)

// attempt is one reserved attempt.
type attempt struct {
	id     int64 // its sign_in_attempts row
	name   string
	remote string // the address as the caller gave it, for the audit
	op     *domain.Operator
	hash   *string
	// codeOnly is set when the password cannot succeed any more (the
	// account is locked) but a one-time code still may.
	codeOnly bool
	delay    time.Duration // the address's throttle
	// suspect is set when the address or the name has recent failures:
	// its hash goes after everyone else's, paced (passhash.Suspect).
	suspect bool
}

// authenticate runs one attempt of secret for name from remoteAddr. It
// returns the operator and whether a one-time code was used up, or the one
// EUNAUTHORIZED "auth.failed" for every refusal, or EUNAVAILABLE when the
// attempt could not even be reserved (nothing is recorded or counted then).
func (s *AuthService) authenticate(ctx context.Context, name, secret, remoteAddr string, kind secretKind) (*domain.Operator, bool, error) {
	name = nameTried(name)
	codeShaped := kind != passwordOnly && domain.HashOperatorResetCode(secret) != nil
	a, refused, err := s.reserve(ctx, name, remoteAddr, kind, codeShaped, secret == "")
	if err != nil {
		return nil, false, err
	}
	if refused {
		// Recorded already; the throttle holds the reply, and it is never
		// quicker than a hash, so that a locked account answers in the
		// time an unknown name does.
		s.pause(ctx, max(a.delay, passhash.TypicalDuration()))
		return nil, false, errSignInFailed()
	}
	if !s.pause(ctx, a.delay) {
		return nil, false, s.fail(ctx, a, whyTimedOut)
	}

	if codeShaped && a.op != nil && !a.op.Disabled {
		used, err := s.redeemCode(ctx, a, secret)
		if err != nil {
			return nil, false, err
		}
		if used {
			return a.op, true, nil
		}
	}
	switch {
	case kind == codeOnly && a.op == nil:
		return nil, false, s.fail(ctx, a, whyUnknownName)
	case kind == codeOnly && a.op.Disabled:
		return nil, false, s.fail(ctx, a, whyDisabled)
	case kind == codeOnly:
		return nil, false, s.fail(ctx, a, whyWrongCode)
	case a.codeOnly:
		// A locked account's answer that was not its code: no hash is run,
		// but the reply takes as long as one.
		s.pause(ctx, passhash.TypicalDuration())
		return nil, false, s.fail(ctx, a, whyLocked)
	}

	// The same hashing work for an unknown name, a disabled or a
	// password-less account as for a wrong password, so that the time
	// taken does not tell them apart. Where failures were seen lately the
	// hash waits behind the others' and is paced, so that a flood cannot
	// take the processors from the sessions.
	hctx := ctx
	if a.suspect {
		hctx = passhash.Suspect(ctx)
	}
	why := ""
	switch {
	case a.op == nil:
		why, err = whyUnknownName, passhash.DummyVerifyContext(hctx)
	case a.hash == nil:
		why, err = whyNoPassword, passhash.DummyVerifyContext(hctx)
	default:
		var ok bool
		ok, err = passhash.VerifyContext(hctx, secret, *a.hash)
		switch {
		case errors.Is(err, passhash.ErrBusy):
		case err != nil:
			// An unreadable stored hash fails like a wrong password;
			// its hashing was skipped, so do it now.
			err = passhash.DummyVerifyContext(hctx)
			why = whyWrongPassword
		case !ok:
			why = whyWrongPassword
		}
		if why == "" && err == nil && a.op.Disabled {
			why = whyDisabled
		}
	}
	if errors.Is(err, passhash.ErrBusy) {
		why = whyTimedOut
	}
	if why != "" {
		return nil, false, s.fail(ctx, a, why)
	}
	op, err := s.succeed(ctx, a)
	return op, false, err
}

// reserve counts and records the attempt before anything is hashed. It
// returns refused when the attempt is turned away at once (a blocked
// address, a locked account, an empty secret), recorded as a failure
// already; otherwise the attempt's row is pending.
func (s *AuthService) reserve(ctx context.Context, name, remoteAddr string, kind secretKind, codeShaped, empty bool) (*attempt, bool, error) {
	ctx, cancel := stepContext(ctx)
	defer cancel()
	p := s.Policy
	host := remoteHost(remoteAddr)
	a := &attempt{name: name, remote: remoteAddr}
	refused := false
	err := s.db.inTx(ctx, "reserve sign-in attempt", func(tx *Tx) error {
		trusted := p.trusted(host)
		addressFailures := 0
		if !trusted {
			if err := advisoryLock(ctx, tx, "ppp.sign-in.address:"+host); err != nil {
				return err
			}
			err := tx.QueryRow(ctx, `
				SELECT count(*) FROM sign_in_attempts
				 WHERE remote_addr = $1 AND NOT success AND at > $2`,
				host, tx.now.Add(-p.Window)).Scan(&addressFailures)
			if err != nil {
				return dbError("reserve sign-in attempt", err)
			}
			a.delay = p.addressDelay(addressFailures)
		}
		if err := advisoryLock(ctx, tx, "ppp.sign-in.name:"+name); err != nil {
			return err
		}
		op, err := scanOperator(tx.QueryRow(ctx, `
			SELECT `+operatorColumns+`, password_hash FROM operators WHERE name = $1`, name), &a.hash)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return dbError("reserve sign-in attempt", err)
		default:
			a.op = op
		}
		var lockedUntil time.Time
		if a.op != nil {
			lockedUntil = a.op.LockedUntil
		}
		failures, err := accountFailures(ctx, tx, name, lockedUntil, p.Window)
		if err != nil {
			return err
		}
		a.suspect = addressFailures > 0 || failures > 0
		locked := tx.now.Before(lockedUntil)
		tooMany := failures >= p.AccountFailures
		lockNow := a.op != nil && !locked && tooMany

		why := ""
		switch {
		case !trusted && addressFailures >= p.AddressFailures:
			why = whyAddressBlocked
		case empty:
			why = whyWrongPassword
		case locked || tooMany:
			// A one-time code is the way back in for an operator locked
			// out by someone else's guesses; the password is not.
			if kind != passwordOnly && codeShaped && a.op != nil && !a.op.Disabled {
				a.codeOnly = true
			} else if locked {
				why = whyLocked
			} else {
				why = whyTooMany
			}
		}
		refused = why != ""
		if err := tx.QueryRow(ctx, `
			INSERT INTO sign_in_attempts (at, operator_name, remote_addr, method, success, pending)
			VALUES ($1, $2, $3, 'password', false, $4)
			RETURNING id`,
			tx.now, name, host, !refused).Scan(&a.id); err != nil {
			return dbError("reserve sign-in attempt", err)
		}
		if lockNow {
			if err := s.lock(ctx, tx, a, failures+1); err != nil {
				return err
			}
		}
		if refused {
			return auditFailure(ctx, tx, a, why)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return a, refused, nil
}

// fail records a judged attempt as a failure and locks the account when
// it has failed too often. It returns EUNAUTHORIZED, or the database's
// error (the row then stays pending, which counts as a failure).
func (s *AuthService) fail(ctx context.Context, a *attempt, why string) error {
	ctx, cancel := stepContext(ctx)
	defer cancel()
	err := s.db.inTx(ctx, "record failed sign-in", func(tx *Tx) error {
		if err := advisoryLock(ctx, tx, "ppp.sign-in.name:"+a.name); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE sign_in_attempts SET pending = false WHERE id = $1`, a.id); err != nil {
			return dbError("record failed sign-in", err)
		}
		if a.op != nil {
			var lockedUntil *time.Time
			if err := tx.QueryRow(ctx, `SELECT locked_until FROM operators WHERE id = $1`, a.op.ID).
				Scan(&lockedUntil); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return dbError("record failed sign-in", err)
			}
			var until time.Time
			if lockedUntil != nil {
				until = *lockedUntil
			}
			if !tx.now.Before(until) {
				failures, err := accountFailures(ctx, tx, a.name, until, s.Policy.Window)
				if err != nil {
					return err
				}
				if failures >= s.Policy.AccountFailures {
					if err := s.lock(ctx, tx, a, failures); err != nil {
						return err
					}
				}
			}
		}
		return auditFailure(ctx, tx, a, why)
	})
	if err != nil {
		return err
	}
	return errSignInFailed()
}

// succeed records a judged attempt as a success, unless the account has
// been disabled or locked while its password was being hashed: the lock
// applies from the fifth failure, even to attempts that started before.
func (s *AuthService) succeed(ctx context.Context, a *attempt) (*domain.Operator, error) {
	ctx, cancel := stepContext(ctx)
	defer cancel()
	why := ""
	err := s.db.inTx(ctx, "record sign-in attempt", func(tx *Tx) error {
		if err := advisoryLock(ctx, tx, "ppp.sign-in.name:"+a.name); err != nil {
			return err
		}
		op, err := scanOperator(tx.QueryRow(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = $1`, a.op.ID))
		if err != nil {
			return dbError("record sign-in attempt", err)
		}
		switch {
		case op.Disabled:
			why = whyDisabled
		case tx.now.Before(op.LockedUntil):
			why = whyLocked
		default:
			a.op = op
			_, err := tx.Exec(ctx, `UPDATE sign_in_attempts SET pending = false, success = true WHERE id = $1`, a.id)
			return dbError("record sign-in attempt", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if why != "" {
		return nil, s.fail(ctx, a, why)
	}
	return a.op, nil
}

// redeemCode uses up the operator's open one-time code when code is it,
// and records the attempt as a success. It reports false, changing
// nothing, when code is not their open code or they are disabled.
func (s *AuthService) redeemCode(ctx context.Context, a *attempt, code string) (bool, error) {
	ctx, cancel := stepContext(ctx)
	defer cancel()
	hash := domain.HashOperatorResetCode(code)
	if hash == nil {
		return false, nil
	}
	used := false
	err := s.db.inTx(ctx, "redeem operator reset code", func(tx *Tx) error {
		if err := advisoryLock(ctx, tx, "ppp.sign-in.name:"+a.name); err != nil {
			return err
		}
		op, err := scanOperator(tx.QueryRow(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = $1`, a.op.ID))
		if err != nil {
			return dbError("redeem operator reset code", err)
		}
		if op.Disabled {
			return nil
		}
		var codeID int64
		err = tx.QueryRow(ctx, `
			UPDATE operator_reset_codes SET used_at = $3
			 WHERE operator_id = $1 AND code_hash = $2
			   AND used_at IS NULL AND voided_at IS NULL AND expires_at > $3
			RETURNING id`, op.ID, hash, tx.now).Scan(&codeID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return dbError("redeem operator reset code", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE sign_in_attempts SET pending = false, success = true WHERE id = $1`, a.id); err != nil {
			return dbError("redeem operator reset code", err)
		}
		used, a.op = true, op
		return appendAudit(ctx, tx, &domain.AuditEntry{
			ActorID: op.ID, ActorName: op.Name, SessionID: domain.ActorFrom(ctx).SessionID, RemoteAddr: a.remote,
			Action: domain.AuditResetCodeUsed, SubjectKind: "operator", SubjectID: op.Name,
			Details: "code=" + strconv.FormatInt(codeID, 10),
		})
	})
	return used, err
}

// lock locks a's account for Policy.LockFor and audits it as "auth.lock".
// Like the failures, the entry goes to audit_pending, so that it stays in
// order with them on the chain.
func (s *AuthService) lock(ctx context.Context, tx *Tx, a *attempt, failures int) error {
	until := tx.now.Add(s.Policy.LockFor)
	if _, err := tx.Exec(ctx, `UPDATE operators SET locked_until = $2 WHERE id = $1`, a.op.ID, until); err != nil {
		return dbError("lock operator", err)
	}
	return appendPendingAudit(ctx, tx, &domain.AuditEntry{
		ActorName:   "system",
		SessionID:   domain.ActorFrom(ctx).SessionID,
		RemoteAddr:  a.remote,
		Action:      domain.AuditSignInLock,
		SubjectKind: "operator",
		SubjectID:   a.name,
		Details:     "failures=" + strconv.Itoa(failures) + "; until=" + until.Format(time.RFC3339),
	})
}

// auditFailure audits a refused attempt as "auth.failure". The entry goes
// to audit_pending (migration 0072), chained within a second by the
// sealer: a flood of failures must not queue every other audited write,
// sign-ins included, behind the chain's lock.
func auditFailure(ctx context.Context, tx *Tx, a *attempt, why string) error {
	return appendPendingAudit(ctx, tx, &domain.AuditEntry{
		ActorName:   "system",
		SessionID:   domain.ActorFrom(ctx).SessionID,
		RemoteAddr:  a.remote,
		Action:      domain.AuditSignInFailure,
		SubjectKind: "operator",
		SubjectID:   a.name,
		Details:     "method=" + string(domain.SignInPassword) + "; " + why,
	})
}

// accountFailures counts the failed (and pending) password attempts of
// name since the window opened, the account's last password success and
// the end of its last lock, whichever came last: once a lock has run out
// (or an administrator lifted it) the account gets a fresh allowance. A key
// sign-in does not restart the count: it says nothing about who is
// guessing the password.
func accountFailures(ctx context.Context, tx *Tx, name string, lockedUntil time.Time, window time.Duration) (int, error) {
	since := tx.now.Add(-window)
	if lockedUntil.After(since) {
		since = lockedUntil
	}
	var failures int
	err := tx.QueryRow(ctx, `
		SELECT count(*) FROM sign_in_attempts
		 WHERE operator_name = $1 AND NOT success AND at > $2
		   AND at > coalesce((SELECT max(at) FROM sign_in_attempts
		                       WHERE operator_name = $1 AND success AND method = 'password' AND at > $2), '-infinity')`,
		name, since).Scan(&failures)
	if err != nil {
		return 0, dbError("count failed sign-ins", err)
	}
	return failures, nil
}

// advisoryLock takes a transaction-level advisory lock on key, so that
// attempts on one name (or from one address) are counted one at a time.
func advisoryLock(ctx context.Context, tx *Tx, key string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key)
	return dbError("lock sign-in attempts", err)
}

// pause waits d, or until ctx ends; it reports whether d passed.
func (s *AuthService) pause(ctx context.Context, d time.Duration) bool {
	if s.wait != nil {
		return s.wait(ctx, d)
	}
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
