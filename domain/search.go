package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Searches by personal code (issue 13). A list shows a personal code
// masked ("397678-*****"), so a search must never match part of one: from
// a masked code, 26 prefix searches recovered the whole of it. Every
// search that accepts a personal code matches a whole code only, in either
// form and with or without the hyphen, and counts as a look-up of the
// person it finds (the misuse alerts' views).

// NumberSearch is a search text that is a number: digits only, with
// hyphens and spaces allowed between them, as personal codes and
// registration numbers are written.
type NumberSearch struct {
	// Digits are the text's digits, without hyphens and spaces.
	Digits string
	// Code is the personal code Digits name, in the form it is stored in
	// (NormalizePersonalCode), or "" when they are not a valid one.
	Code string
	// grouped is set when the digits were written with a hyphen or a space
	// between them, as personal codes are and registration numbers are not.
	grouped bool
}

// ParseNumberSearch reads s as a search by number. It reports false when s
// (trimmed) holds anything but digits, hyphens and spaces, or no digit at
// all: such a text is a search by name, e-mail address or words.
func ParseNumberSearch(s string) (NumberSearch, bool) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	grouped := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ':
			grouped = true
		default:
			return NumberSearch{}, false
		}
	}
	n := NumberSearch{Digits: b.String(), grouped: grouped}
	if n.Digits == "" {
		return NumberSearch{}, false
	}
	if len(n.Digits) == 11 {
		if code, err := NormalizePersonalCode(n.Digits); err == nil {
			n.Code = code
		}
	}
	return n, true
}

// Whole checks that the number is a whole personal code, or a whole number
// of one of the other lengths the list knows (registration numbers: 10 or
// 11 digits, written without hyphens or spaces). It returns nil for those;
// the errors of NormalizePersonalCode (EINVALID "personal_code.checksum" …)
// for 11 digits that are no valid code and no other number; and EINVALID
// "search.whole_code" for any other number, which could only be part of a
// code.
func (n NumberSearch) Whole(lengths ...int) error {
	if n.Code != "" || !n.grouped && slices.Contains(lengths, len(n.Digits)) {
		return nil
	}
	if len(n.Digits) == 11 {
		_, err := NormalizePersonalCode(n.Digits)
		return err
	}
	return Errorf(EINVALID, "search.whole_code", "search by the whole personal code (11 digits, with or without the hyphen), never a part of it")
}

// CodeForms returns the ways the personal code is written: its stored
// form first, then the other (with or without the hyphen); nil when the
// number is no personal code.
func (n NumberSearch) CodeForms() []string {
	if n.Code == "" {
		return nil
	}
	return []string{n.Code, personalCodeOtherForm(n.Code)}
}

// personalCodeOtherForm writes an 11-digit code with the hyphen after the
// sixth digit, or a hyphenated one without it.
func personalCodeOtherForm(code string) string {
	if len(code) == 12 {
		return code[:6] + code[7:]
	}
	return code[:6] + "-" + code[6:]
}

// PersonKey is the key a person is counted under for the misuse alerts
// (issue 9): the hex SHA-256 of the personal code in its stored form
// (either way of writing it gives the same key); "" when code is blank.
// A value that is not a valid code is hashed as it is, trimmed.
func PersonKey(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return ""
	}
	if n, err := NormalizePersonalCode(code); err == nil {
		code = n
	}
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}
