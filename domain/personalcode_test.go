package domain

import (
	"strings"
	"testing"
	"time"
)

func TestValidatePersonalCode_BriefVectors(t *testing.T) {
	for _, code := range []string{"180565-05610", "061193-06460", "32550128526"} {
		if err := ValidatePersonalCode(code); err != nil {
			t.Errorf("ValidatePersonalCode(%q) = %v, want nil", code, err)
		}
	}
	wantKey(t, ValidatePersonalCode("180565-05611"), "personal_code.checksum")
	wantKey(t, ValidatePersonalCode("290213-29381"), "personal_code.date")
}

// wantKey fails unless err is an EINVALID *Error with the given key.
func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	e := AsError(err)
	if e == nil {
		t.Errorf("error = %v, want EINVALID %s", err, key)
		return
	}
	if e.Code != EINVALID || e.Key != key {
		t.Errorf("error = {Code %q, Key %q}, want {%q, %q}", e.Code, e.Key, EINVALID, key)
	}
}

func TestValidatePersonalCode_OldForm_ChecksDateCenturyAndCheckDigit(t *testing.T) {
	tests := []struct {
		code string
		key  string // "" when valid
	}{
		{"290200-23453", ""},                       // 29 Feb 2000: divisible by 400, leap
		{"290204-12344", ""},                       // 29 Feb 1904: leap
		{"290296-12342", ""},                       // 29 Feb 1996: leap
		{"290297-12343", "personal_code.date"},     // 1997 is not a leap year
		{"290200-13458", "personal_code.date"},     // 1900 is not a leap year
		{"310485-12340", "personal_code.date"},     // there is no 31 April
		{"000185-12340", "personal_code.date"},     // day zero
		{"011385-12340", "personal_code.date"},     // month 13
		{"310555-12348", ""},                       // starts with 31: old form, not new
		{"010100-00000", ""},                       // century 0: 1 January 1800
		{"010100-10005", ""},                       // century 1: 1 January 1900
		{"150720-29999", ""},                       // century 2: 15 July 2020
		{"290200-34566", "personal_code.century"},  // century digit 3
		{"180130-31232", "personal_code.century"},  // century digit 3
		{"180565-05612", "personal_code.checksum"}, // one digit off
		{"061193-06461", "personal_code.checksum"},
	}
	for _, tt := range tests {
		err := ValidatePersonalCode(tt.code)
		if tt.key == "" {
			if err != nil {
				t.Errorf("ValidatePersonalCode(%q) = %v, want nil", tt.code, err)
			}
			continue
		}
		t.Run(tt.code, func(t *testing.T) { wantKey(t, err, tt.key) })
	}
}

func TestValidatePersonalCode_FutureBirthDate_Fails(t *testing.T) {
	now := time.Date(2026, time.June, 7, 12, 0, 0, 0, time.UTC)
	// 8 June is "tomorrow" in UTC, which is today just after midnight in Riga.
	if _, err := normalizePersonalCode("080626-20000", now); err != nil {
		t.Errorf("birth date tomorrow (UTC): %v, want nil", err)
	}
	_, err := normalizePersonalCode("010130-21236", now) // 1 January 2030
	wantKey(t, err, "personal_code.date")
	wantKey(t, ValidatePersonalCode("311299-29999"), "personal_code.date") // 31 December 2099
}

func TestValidatePersonalCode_NewForm_NeedsThreeThenTwoToNine(t *testing.T) {
	for _, code := range []string{"32550128526", "325501-28526", "39000000000", "32000000000"} {
		if err := ValidatePersonalCode(code); err != nil {
			t.Errorf("ValidatePersonalCode(%q) = %v, want nil", code, err)
		}
	}
	// A first digit 3 and a second 0 or 1 is an old-form code for the
	// 30th or 31st, so it must carry a real date and check digit.
	wantKey(t, ValidatePersonalCode("31550128526"), "personal_code.date")
	wantKey(t, ValidatePersonalCode("30000000000"), "personal_code.date")
}

func TestValidatePersonalCode_BadShape_FailsWithFormat(t *testing.T) {
	for _, code := range []string{
		"", "   ", "18056505", "180565-0561", "180565-056100", "1805650561O",
		"180565 05610", "18056-505610", "180565--05610", "180565-05610-",
		"+1805650561", "１８０５６５０５６１０", "3255012852", "325501285260",
	} {
		t.Run(code, func(t *testing.T) { wantKey(t, ValidatePersonalCode(code), "personal_code.format") })
	}
}

func TestValidatePersonalCode_ErrorMessage_DoesNotRepeatTheCode(t *testing.T) {
	for _, code := range []string{"180565-05611", "290213-29381", "290200-34566", "1805650561x"} {
		err := ValidatePersonalCode(code)
		if err == nil {
			t.Fatalf("ValidatePersonalCode(%q) = nil", code)
		}
		if strings.Contains(err.Error(), code[:6]) {
			t.Errorf("error %q reveals the personal code", err)
		}
	}
}

func TestNormalizePersonalCode_HyphenAndSpacesOptional(t *testing.T) {
	tests := []struct{ in, want string }{
		{"180565-05610", "180565-05610"},
		{"18056505610", "180565-05610"},
		{"  180565-05610\t", "180565-05610"},
		{" 06119306460 ", "061193-06460"},
		{"32550128526", "32550128526"},
		{"325501-28526", "32550128526"},
		{" 325501-28526\n", "32550128526"},
	}
	for _, tt := range tests {
		got, err := NormalizePersonalCode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePersonalCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizePersonalCode_Invalid_ReturnsEmptyAndError(t *testing.T) {
	got, err := NormalizePersonalCode("180565-05611")
	if got != "" {
		t.Errorf("NormalizePersonalCode of an invalid code = %q, want \"\"", got)
	}
	wantKey(t, err, "personal_code.checksum")
}

func TestBirthDateFromPersonalCode(t *testing.T) {
	tests := []struct {
		code   string
		want   time.Time
		wantOK bool
	}{
		{"180565-05610", time.Date(1865, time.May, 18, 0, 0, 0, 0, time.UTC), true},
		{"06119306460", time.Date(1893, time.November, 6, 0, 0, 0, 0, time.UTC), true},
		{"290296-12342", time.Date(1996, time.February, 29, 0, 0, 0, 0, time.UTC), true},
		{"290200-23453", time.Date(2000, time.February, 29, 0, 0, 0, 0, time.UTC), true},
		{"32550128526", time.Time{}, false},  // new form has no date
		{"180565-05611", time.Time{}, false}, // wrong check digit
		{"290213-29381", time.Time{}, false}, // no such date
		{"garbage", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := BirthDateFromPersonalCode(tt.code)
		if ok != tt.wantOK || !got.Equal(tt.want) {
			t.Errorf("BirthDateFromPersonalCode(%q) = %v, %v; want %v, %v", tt.code, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestMaskPersonalCode_KeepsOnlyFirstSixDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"180565-05610", "180565-*****"},
		{"18056505610", "180565-*****"},
		{" 180565-05610 ", "180565-*****"},
		{"180565-05611", "180565-*****"}, // mistyped codes are masked too
		{"32550128526", "325501-*****"},
		{"325501-28526", "325501-*****"},
		{"180565-0561", "************"},
		{"hello", "************"},
		{"180565-05610 and more", "************"},
		{"", ""},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := MaskPersonalCode(tt.in); got != tt.want {
			t.Errorf("MaskPersonalCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzValidatePersonalCode(f *testing.F) {
	for _, seed := range []string{
		"180565-05610", "061193-06460", "32550128526", "180565-05611", "290213-29381",
		"290200-23453", "310555-12348", " 18056505610 ", "", "-", "180565-0561x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mask := MaskPersonalCode(s)
		if len(mask) > 7 && strings.ContainsAny(mask[7:], "0123456789") {
			t.Fatalf("MaskPersonalCode(%q) = %q shows digits after position 7", s, mask)
		}
		err := ValidatePersonalCode(s)
		norm, nerr := NormalizePersonalCode(s)
		if (err == nil) != (nerr == nil) {
			t.Fatalf("ValidatePersonalCode(%q) = %v but NormalizePersonalCode gives %v", s, err, nerr)
		}
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ValidatePersonalCode(%q) = %v, want EINVALID", s, err)
			}
			return
		}
		again, err := NormalizePersonalCode(norm)
		if err != nil || again != norm {
			t.Fatalf("NormalizePersonalCode(%q) = %q, but again gives %q, %v", s, norm, again, err)
		}
		if MaskPersonalCode(norm) != mask {
			t.Fatalf("mask of %q is %q but of its normal form %q is %q", s, mask, norm, MaskPersonalCode(norm))
		}
		if _, ok := BirthDateFromPersonalCode(s); ok != (len(norm) == 12) {
			t.Fatalf("BirthDateFromPersonalCode(%q) ok = %v, normal form %q", s, ok, norm)
		}
	})
}
