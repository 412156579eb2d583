package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
)

// constraintErrors names, for the constraints a person can run into, the
// error to show instead of the generic one of its SQLSTATE.
var constraintErrors = map[string]struct{ code, key, message string }{
	"operators_name_key": {domain.ECONFLICT, "operator.name_taken", "an operator with this name exists already"},
	"operator_keys_pkey": {domain.ECONFLICT, "operator.key_taken", "this key is registered already"},
}

// dbError is the one place where errors of pgx and PostgreSQL become
// domain errors. It prefixes what was being done and keeps the original
// error in the chain (errors.As finds both), so logs see the SQLSTATE and
// people see a message from the catalog:
//
//   - a cancelled or expired context is passed through unchanged in kind;
//   - a *domain.Error is passed through (only prefixed);
//   - pgx.ErrNoRows becomes ENOTFOUND;
//   - unique violations (23505), serialization failures (40001) and
//     deadlocks (40P01) become ECONFLICT;
//   - text with a NUL byte or invalid UTF-8 (22021, 22P05) becomes EINVALID
//     "storage.bad_text", a value too long for its column or index (22001,
//     54000) EINVALID "storage.too_long";
//   - other integrity violations (23xxx) and bad data (22xxx) become
//     EINVALID;
//   - insufficient privilege (42501, raised by the audit log's guards)
//     becomes EFORBIDDEN;
//   - a lost or refused connection, a server shutting down (57P0x), a
//     cancelled statement (57014) or exhausted resources (53xxx) become
//     EUNAVAILABLE;
//   - anything else is an internal error.
func dbError(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return errorf(what, err)
	}
	if domain.AsError(err) != nil {
		return errorf(what, err)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errorf(what, &domain.Error{Code: domain.ENOTFOUND, Message: "not found"})
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return joinf(what, pgError(pgErr), err)
	}
	if isConnectionError(err) {
		return joinf(what, &domain.Error{Code: domain.EUNAVAILABLE, Message: "the database is not available"}, err)
	}
	return errorf(what, err)
}

// pgError maps an error the server reported.
func pgError(e *pgconn.PgError) *domain.Error {
	if c, ok := constraintErrors[e.ConstraintName]; ok && e.ConstraintName != "" {
		return &domain.Error{Code: c.code, Key: c.key, Message: c.message}
	}
	code := e.Code
	switch {
	case code == "23505":
		return &domain.Error{Code: domain.ECONFLICT, Message: "it exists already"}
	case code == "40001" || code == "40P01" || code == "55P03":
		return &domain.Error{Code: domain.ECONFLICT, Message: "a concurrent change got in the way"}
	case code == "22021" || code == "22P05":
		// Text with a NUL byte, or bytes that are not UTF-8: PostgreSQL
		// cannot store either in a text column.
		return &domain.Error{Code: domain.EINVALID, Key: "storage.bad_text", Message: "the text holds a NUL byte or is not valid UTF-8"}
	case code == "22001" || code == "54000":
		// A value longer than its column, or too large for an index.
		return &domain.Error{Code: domain.EINVALID, Key: "storage.too_long", Message: "a value is too long to be stored"}
	case strings.HasPrefix(code, "23") || strings.HasPrefix(code, "22"):
		return &domain.Error{Code: domain.EINVALID, Message: "the database refused an invalid value"}
	case code == "42501":
		return &domain.Error{Code: domain.EFORBIDDEN, Message: "the database refused the change"}
	case strings.HasPrefix(code, "08") || strings.HasPrefix(code, "53") ||
		code == "57P01" || code == "57P02" || code == "57P03" || code == "57014":
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: "the database is not available"}
	}
	return &domain.Error{Code: domain.EINTERNAL, Message: "unexpected database error"}
}

// isConnectionError reports whether err means the connection to the
// server could not be made or was lost, rather than that a statement
// failed.
func isConnectionError(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	// pgx reports a connection it has closed after a failure as "conn
	// closed", an error that is safe to retry because nothing was sent.
	return pgconn.SafeToRetry(err)
}

// joinf wraps both the domain error and the driver error behind it:
// "what: message (driver error)".
func joinf(what string, dom *domain.Error, err error) error {
	return fmt.Errorf("%s: %w (%w)", what, dom, err)
}
