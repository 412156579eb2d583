package domain

import (
	"strings"
	"time"
)

// A Latvian personal code (personas kods) has 11 digits, usually written
// with a hyphen after the sixth. Codes issued before 1 July 2017 have the
// old form DDMMYY-CNNNN: a birth date, a century digit C and a check digit
// last. Codes issued since have the new form 3XNNNN-NNNNN (X from 2 to 9)
// and carry neither a date nor a check digit. Because an old-form code
// starting with 3 has a second digit of 0 or 1 (days 30 and 31), the first
// two digits tell the forms apart.

// personalCodeMasked replaces a value that is not even shaped like a
// personal code, so that nothing of it shows.
const personalCodeMasked = "************"

// ValidatePersonalCode checks a personal code, with or without the hyphen
// and surrounding spaces. It returns an *Error with code EINVALID and key
// "personal_code.format" (not 11 digits), "personal_code.century" (a
// century digit other than 0, 1 or 2), "personal_code.date" (a birth date
// that does not exist or lies in the future) or "personal_code.checksum"
// (a wrong check digit). The messages never repeat the code, since it is
// personal data and they end up in logs.
func ValidatePersonalCode(s string) error {
	_, err := NormalizePersonalCode(s)
	return err
}

// NormalizePersonalCode validates s like ValidatePersonalCode and returns
// it in the one form it is stored in: "DDMMYY-CNNNN" for an old-form code,
// the 11 digits without a hyphen for a new-form code. It returns the same
// errors as ValidatePersonalCode.
func NormalizePersonalCode(s string) (string, error) {
	return normalizePersonalCode(s, time.Now())
}

// normalizePersonalCode is NormalizePersonalCode with the clock passed in,
// so that tests can place "the future" where they need it.
func normalizePersonalCode(s string, now time.Time) (string, error) {
	d, ok := personalCodeDigits(s)
	if !ok {
		return "", Errorf(EINVALID, "personal_code.format", "a personal code is 11 digits, as DDMMYY-CNNNN or 3XNNNN-NNNNN")
	}
	if isNewFormPersonalCode(d) {
		return d, nil
	}
	if _, err := oldFormBirthDate(d, now); err != nil {
		return "", err
	}
	if personalCodeCheckDigit(d) != d[10]-'0' {
		return "", Errorf(EINVALID, "personal_code.checksum", "the check digit of the personal code is wrong")
	}
	return d[:6] + "-" + d[6:], nil
}

// BirthDateFromPersonalCode returns the birth date (midnight UTC) that a
// valid old-form personal code carries. It returns false for a new-form
// code, which has no date, and for an invalid code.
func BirthDateFromPersonalCode(s string) (time.Time, bool) {
	d, ok := personalCodeDigits(s)
	if !ok || isNewFormPersonalCode(d) {
		return time.Time{}, false
	}
	birth, err := oldFormBirthDate(d, time.Now())
	if err != nil || personalCodeCheckDigit(d) != d[10]-'0' {
		return time.Time{}, false
	}
	return birth, true
}

// MaskPersonalCode hides all but the first six digits of a personal code,
// for lists and logs: "180565-05610" becomes "180565-*****", and so does
// "18056505610". A new-form code keeps its first six digits the same way.
// A value that is not 11 digits (with an optional hyphen after the sixth)
// is masked completely; an empty or blank value stays empty. The code is
// not otherwise validated: a mistyped code is masked all the same.
func MaskPersonalCode(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	d, ok := personalCodeDigits(s)
	if !ok {
		return personalCodeMasked
	}
	return d[:6] + "-*****"
}

// personalCodeDigits returns the 11 digits of s after dropping surrounding
// white space and a hyphen after the sixth digit, or false when s is not
// shaped like a personal code.
func personalCodeDigits(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 12 && s[6] == '-' {
		s = s[:6] + s[6+1:]
	}
	if len(s) != 11 || !isASCIIDigits(s) {
		return "", false
	}
	return s, true
}

// isNewFormPersonalCode reports whether the 11 digits d are a code of the
// form issued since 1 July 2017.
func isNewFormPersonalCode(d string) bool {
	return d[0] == '3' && d[1] >= '2' && d[1] <= '9'
}

// oldFormBirthDate reads the birth date of the old-form digits d. It
// returns EINVALID "personal_code.century" for an unknown century digit
// and "personal_code.date" for a date that is not on the calendar or lies
// after now (allowing a day, since a child born just after midnight in
// Riga is still "yesterday" in UTC).
func oldFormBirthDate(d string, now time.Time) (time.Time, error) {
	day := twoDigits(d[0:2])
	month := twoDigits(d[2:4])
	year := twoDigits(d[4:6])
	switch d[6] {
	case '0':
		year += 1800
	case '1':
		year += 1900
	case '2':
		year += 2000
	default:
		return time.Time{}, Errorf(EINVALID, "personal_code.century", "the century digit of the personal code must be 0, 1 or 2")
	}
	// time.Date carries 31 April over into 1 May, so a date that does not
	// come back unchanged was not on the calendar.
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if birth.Day() != day || int(birth.Month()) != month || birth.Year() != year {
		return time.Time{}, Errorf(EINVALID, "personal_code.date", "the personal code contains a birth date that does not exist")
	}
	if birth.After(now.UTC().AddDate(0, 0, 1)) {
		return time.Time{}, Errorf(EINVALID, "personal_code.date", "the personal code contains a birth date in the future")
	}
	return birth, nil
}

// personalCodeCheckDigit computes the check digit of the old-form digits d
// from the first ten: (1101 − Σ wᵢ·dᵢ) mod 11 mod 10. The sum is at most
// 9·55 = 495, so the difference is never negative.
func personalCodeCheckDigit(d string) byte {
	weights := [10]int{1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += w * int(d[i]-'0')
	}
	return byte((1101 - sum) % 11 % 10)
}

// twoDigits returns the value of two ASCII digits.
func twoDigits(s string) int {
	return int(s[0]-'0')*10 + int(s[1]-'0')
}
