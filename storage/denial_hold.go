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
	return readHold(ctx, tx, `role_requests r`+roleRequestHoldJoin+` WHERE r.id = $1`, id, roleRequestNotFound, "request")
}

// imkHold returns the denial that holds the approval of IMK application
// id, or nil; it takes the denials' lock shared first. ENOTFOUND
// "imk.not_found".
func imkHold(ctx context.Context, tx *Tx, id int64) (*domain.DenialHold, error) {
	return readHold(ctx, tx, `imk_applications a`+imkHoldJoin+` WHERE a.id = $1`, id, imkNotFound, "application")
}

// readHold takes the denials' lock shared and reads the hold of row id
// of from (a table joined to its hold, WHERE naming id as $1); notFound
// when there is no such row.
func readHold(ctx context.Context, tx *Tx, from string, id int64, notFound func(int64) error, what string) (*domain.DenialHold, error) {
	if err := holdDenials(ctx, tx); err != nil {
		return nil, err
	}
	var h holdScan
	err := tx.QueryRow(ctx, `SELECT `+holdColumns+` FROM `+from, id).Scan(h.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, dbError("read denials holding the "+what, err)
	}
	return h.hold(), nil
}
