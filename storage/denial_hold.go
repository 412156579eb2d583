package storage

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// An approval is held while a denial in force reaches the person or the
// institution it is about (¶24, ¶32; domain.DenialHold). A deciding
// transaction takes the denials' lock shared before it reads the hold, so
// that a denial taking force meanwhile (which takes it exclusively) is
// either seen by the decision or comes after it, and then suspends what
// the decision granted.

// holdDenials takes the denials' transaction lock shared.
func holdDenials(ctx context.Context, tx *Tx) error {
	_, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock_shared($1)", denialLockKey)
	return dbError("lock denials", err)
}

// roleRequestHold returns the denial that holds the approval of role
// request id, or nil; it takes the denials' lock shared first.
// ENOTFOUND "rolerequest.not_found".
func roleRequestHold(ctx context.Context, tx *Tx, id int64) (*domain.DenialHold, error) {
	if err := holdDenials(ctx, tx); err != nil {
		return nil, err
	}
	var h holdScan
	err := tx.QueryRow(ctx, `SELECT `+holdColumns+` FROM role_requests r`+roleRequestHoldJoin+` WHERE r.id = $1`, id).Scan(h.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, roleRequestNotFound(id)
	}
	if err != nil {
		return nil, dbError("read denials holding the request", err)
	}
	return h.hold(), nil
}

// imkHold returns the denial that holds the approval of IMK application
// id, or nil; it takes the denials' lock shared first. ENOTFOUND
// "imk.not_found".
func imkHold(ctx context.Context, tx *Tx, id int64) (*domain.DenialHold, error) {
	if err := holdDenials(ctx, tx); err != nil {
		return nil, err
	}
	var h holdScan
	err := tx.QueryRow(ctx, `SELECT `+holdColumns+` FROM imk_applications a`+imkHoldJoin+` WHERE a.id = $1`, id).Scan(h.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, imkNotFound(id)
	}
	if err != nil {
		return nil, dbError("read denials holding the application", err)
	}
	return h.hold(), nil
}
