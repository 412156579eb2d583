package domain

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. Storage maps SQLSTATEs onto them; the
// TUI and the command line turn them into messages for a person.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Key names the rule
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	ECONFLICT     = "conflict"     // someone else changed or holds it first
	EUNAUTHORIZED = "unauthorized" // the caller could not be identified
	EFORBIDDEN    = "forbidden"    // the caller lacks the role or the right
	ELOCKED       = "locked"       // too many failed attempts; try later
	EUNAVAILABLE  = "unavailable"  // the database or a register did not answer
	EINTERNAL     = "internal"     // a bug or an unexpected failure
)

// Error is an error a person can be shown. Key names a message in the
// catalogs of domain/i18n and Args fill its placeholders; Message is the
// English text used in logs and when no catalog is at hand. Problems carries
// every failed rule when one input breaks several (a password, a form).
type Error struct {
	Code     string
	Key      string
	Args     []any
	Message  string
	Problems []Problem
}

// Problem is one broken rule: the field it concerns, and a catalog key.
type Problem struct {
	Field string
	Key   string
	Args  []any
}

// Error returns the English message.
func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Code
}

// Errorf returns an *Error with the given code, catalog key and English
// message; args fill both the key's placeholders and the message.
func Errorf(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err when it is (or wraps) an *Error, and
// EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns the *Error inside err, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
